"""The `[[awards]]` tables of a competition file: what they accept, and every mistake named with
its line and field path in both languages (scoring/award_rules.py)."""

import pytest

from scoring.competition import load_competition
from scoring.model import Role
from scoring.problems import InvalidInput
from tests.unit.small_world import write_world


def award(**fields):
    lines = ["[[awards]]", 'key = "x"', 'title = "X"']
    for name, value in fields.items():
        lines.append(f"{name} = {value}")
    return "\n".join(lines) + "\n"


def problems_of(tmp_path, text):
    path = write_world(tmp_path, text)
    with pytest.raises(InvalidInput) as info:
        load_competition(path)
    return info.value.problems, path.read_text(encoding="utf-8").splitlines()


def test_every_new_field_is_read(tmp_path):
    text = (
        award(kind='"title"', scope='"individual"', basis='"theory"', threshold=90, eligible_roles='["队长", "member"]')
        + award(ratio="0.15", ratio_rounding='"ceiling"', ties='"all_out"', min_score=60).replace('"x"', '"y"')
        + award(kind='"organisation"', count=2).replace('"x"', '"z"')
    )
    x, y, z = load_competition(write_world(tmp_path, text)).awards
    assert (x.threshold, x.eligible_roles, x.basis) == (90, (Role.TEAM_LEADER, Role.MEMBER), "theory")
    assert (y.ratio_rounding, y.ties, y.min_score, y.scope) == ("ceiling", "all_out", 60, "team")
    assert (x.ties, x.ratio_rounding) == ("tiebreak", "half_up")
    assert (z.scope, z.count) == ("unit", 2)  # an organisation award is for units by default


@pytest.mark.parametrize(
    "fields, path, words",
    [
        ({}, "ratio", "give exactly one of ratio (a share), count (places) or threshold (a score); 0 given"),
        ({"ratio": "0.1", "count": 3}, "count", "exactly one of ratio"),
        ({"count": 3, "threshold": 80}, "threshold", "2 given"),
        ({"count": 3, "ratio_rounding": '"floor"'}, "ratio_rounding", "applies only with ratio"),
        ({"ratio": "0.1", "ratio_rounding": '"nearest"'}, "ratio_rounding", "'nearest' is not valid"),
        ({"count": 3, "ties": '"coin"'}, "ties", "'coin' is not valid"),
        ({"threshold": 80, "ties": '"all_in"'}, "ties", "only to awards given by ratio or count"),
        ({"count": 3, "eligible_roles": '["team_leader"]'}, "eligible_roles", "only to individual titles"),
        (
            {"kind": '"title"', "scope": '"individual"', "count": 3, "eligible_roles": '["captain"]'},
            "eligible_roles",
            "role 'captain' is not valid",
        ),
        ({"kind": '"organisation"', "ratio": "0.1"}, "ratio", "organisation award is given by the organiser"),
        ({"kind": '"organisation"', "min_score": 60}, "min_score", "no min_score"),
        ({"kind": '"organisation"', "scope": '"team"'}, "scope", 'has scope "unit"'),
        ({"kind": '"title"', "scope": '"unit"', "count": 1}, "scope", "not units"),
        ({"scope": '"unit"', "basis": '"theory"', "count": 1}, "basis", "unit standings"),
        ({"basis": '"quiz"', "count": 1}, "basis", "basis must be 'overall' or an event key"),
        ({"count": 1, "treshold": 80}, "treshold", "unknown field"),
    ],
)
def test_a_bad_award_table_is_named_with_its_line(tmp_path, fields, path, words):
    problems, lines = problems_of(tmp_path, award(**fields))
    found = [p for p in problems if p.path == f"awards[0].{path}" and words in p.en]
    assert found, "\n".join(str(p) for p in problems)
    assert found[0].zh and found[0].line
    if path in fields:
        assert lines[found[0].line - 1].startswith(f"{path} =")


def test_award_keys_are_unique(tmp_path):
    problems, _ = problems_of(tmp_path, award(count=1) + award(count=2))
    assert any(p.path == "awards[1].key" and "award key 'x' is used twice" in p.en for p in problems)


def test_prize_ratios_of_a_scope_and_basis_add_up_to_at_most_all(tmp_path):
    problems, _ = problems_of(tmp_path, award(ratio="0.6") + award(ratio="0.5").replace('"x"', '"y"'))
    assert any(p.path == "awards[1].ratio" and "over 100%" in p.en for p in problems)
