"""Competition files: the examples load; mistakes are reported with file, line and field path."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from scoring.competition import load_competition, read_competition
from scoring.events import DrawParams
from scoring.model import Role, Scope
from scoring.problems import InvalidInput
from scoring.tomlsource import load_toml_text
from tests.helpers import ROOT

CEMENT = ROOT / "examples" / "cement" / "competition.toml"
POWER = ROOT / "examples" / "power_safety" / "competition.toml"


def test_cement_example_has_the_published_shape():
    c = load_competition(CEMENT)
    assert (len(c.units), len(c.teams), len(c.contestants)) == (11, 28, 140)
    assert all(len(t.members) == 5 for t in c.teams)
    assert sum(1 for p in c.contestants if p.role is Role.TEAM_LEADER) == 28
    theory = c.event("theory")
    assert theory.scope is Scope.INDIVIDUAL and theory.weight == D(30)
    assert sum(e.weight for e in c.events if e.kind == "practical") == D(70)
    assert [a.ratio for a in c.awards if a.kind == "prize"] == [D("0.10"), D("0.20"), D("0.30")]


def test_power_example_has_fourteen_teams_and_three_kinds_of_event():
    c = load_competition(POWER)
    assert len(c.teams) == 14
    assert {e.kind for e in c.events} == {"practical", "quiz", "presentation"}
    assert c.event("presentation").bound.params == DrawParams(draw_seed=20231103)


def load_text(text: str, tmp_path: Path):
    path = tmp_path / "comp.toml"
    path.write_text(text, encoding="utf-8")
    return read_competition(load_toml_text(text, str(path)))


def broken(tmp_path: Path, old: str, new: str):
    text = CEMENT.read_text(encoding="utf-8").replace(old, new, 1)
    text = text.replace('rubric = "../rubrics/', f'rubric = "{ROOT}/examples/rubrics/')
    with pytest.raises(InvalidInput) as info:
        load_text(text, tmp_path)
    return info.value.problems, text


def test_unknown_unit_of_a_team_names_the_line(tmp_path):
    problems, text = broken(tmp_path, 'unit = "u01"', 'unit = "u99"')
    [p] = problems
    assert p.path == "teams[0].unit" and "unknown unit 'u99'" in p.en
    assert text.splitlines()[p.line - 1].strip() == 'unit = "u99"'


def test_duplicate_contestant_and_bad_role(tmp_path):
    problems, _ = broken(tmp_path, 'key = "c002"', 'key = "c001"')
    assert any("contestant key 'c001' is used twice" in p.en for p in problems)
    problems, _ = broken(tmp_path, 'role = "member"', 'role = "captain"')
    assert any(p.path == "teams[0].members[1].role" and "role 'captain'" in p.en for p in problems)


def test_award_ratios_and_tiebreaks_are_checked(tmp_path):
    problems, _ = broken(tmp_path, "ratio = 0.30", "ratio = 0.80")
    assert any("over 100%" in p.en and p.path == "awards[2].ratio" for p in problems)
    problems, _ = broken(tmp_path, '"event:theory"', '"event:nope"')
    assert any(p.path == "overall.tiebreak[1]" and "no event 'nope'" in p.en for p in problems)
    problems, _ = broken(tmp_path, '"kind:practical"', '"fastest:practical"')
    assert any("unknown tie-break 'fastest:practical'" in p.en for p in problems)


def test_a_broken_rubric_is_reported_under_its_own_file(tmp_path):
    rubric = tmp_path / "bad.toml"
    rubric.write_text(
        'key = "x"\ntitle = "X"\n[[criteria]]\nkey = "a"\ntitle = "A"\nkind = "scale"\nmax = "ten"\n', encoding="utf-8"
    )
    problems, _ = broken(tmp_path, 'rubric = "../rubrics/cement/site_5s.toml"', f'rubric = "{rubric}"')
    [p] = problems
    assert p.file == str(rubric) and p.line == 7 and p.path == "criteria[0].max"


def test_weighting_needs_a_known_maximum_and_higher_is_better(tmp_path):
    problems, _ = broken(
        tmp_path, 'rubric = "../rubrics/cement/site_5s.toml"', 'rubric = "../rubrics/breathing_apparatus_timed.toml"'
    )
    assert any("cannot be weighted against its maximum" in p.en for p in problems)
