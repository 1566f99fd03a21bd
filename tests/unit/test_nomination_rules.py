"""A unit's nomination checked against the call (scoring/nomination_rules.py): each rule's
refusal names its field; every problem is reported at once."""

from __future__ import annotations

import pytest

from scoring.nomination_rules import PHOTO_MAX, CallRules, NominationForm, check_nomination, photo_type
from scoring.problems import InvalidInput

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
RULES = CallRules(min_service_years=3, front_line_required=True, unit_quota=3, region_quota=5, regions={"u1": "north"})


def form(**changes) -> NominationForm:
    fields = {
        "name": "李护林",
        "post": "护林员",
        "years_of_service": "5",
        "front_line": True,
        "story_zh": "巡山二十年。",
        "story_en": "",
        "photo": PNG,
    }
    return NominationForm(**(fields | changes))


def paths(refused: InvalidInput) -> list[str | None]:
    return [p.path for p in refused.problems]


def test_nomination_rules_a_good_nomination_passes_and_gives_its_years():
    assert check_nomination(RULES, form(), 2, 4) == 5


@pytest.mark.parametrize(
    ("changes", "field", "en"),
    [
        ({"years_of_service": "2"}, "years_of_service", "at least 3 years of service are required (given: 2)"),
        ({"years_of_service": "two"}, "years_of_service", "whole number"),
        ({"front_line": False}, "front_line", "front line"),
        ({"photo": b""}, "photo", "attach a photo"),
        ({"photo": b"GIF89a" + b"\0" * 10}, "photo", "JPEG or PNG"),
        ({"photo": PNG + b"\0" * PHOTO_MAX}, "photo", "at most"),
        ({"name": "  "}, "name", "give the name"),
        ({"story_zh": "x" * 4001}, "story_zh", "at most 4000"),
    ],
)
def test_nomination_rules_each_rule_names_its_field(changes, field, en):
    with pytest.raises(InvalidInput) as refused:
        check_nomination(RULES, form(**changes), 0, 0)
    assert paths(refused.value) == [field]
    assert en in refused.value.problems[0].en and refused.value.problems[0].zh


def test_nomination_rules_quotas_per_unit_and_region():
    with pytest.raises(InvalidInput) as refused:
        check_nomination(RULES, form(), 3, 5)
    assert paths(refused.value) == ["unit_quota", "region_quota"]
    assert "quota of 3" in refused.value.problems[0].en


def test_nomination_rules_every_problem_at_once():
    with pytest.raises(InvalidInput) as refused:
        check_nomination(RULES, form(years_of_service="1", front_line=False, photo=b""), 0, 0)
    assert paths(refused.value) == ["years_of_service", "front_line", "photo"]


def test_nomination_rules_no_rules_no_quota():
    assert check_nomination(CallRules(), form(years_of_service="0", front_line=False), 99, 99) == 0


def test_nomination_rules_photo_known_by_its_bytes():
    assert photo_type(PNG) == "image/png"
    assert photo_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert photo_type(b"<svg") is None


def test_nomination_rules_call_rules_checked():
    with pytest.raises(InvalidInput) as refused:
        CallRules(min_service_years=-1, unit_quota=0).check()
    assert paths(refused.value) == ["min_service_years", "unit_quota"]
