"""Loader errors name the file, the line and the field path, and say what would be valid."""

import pytest

from scoring.problems import InvalidInput
from tests.helpers import RUBRICS, rubric_from

GOOD = """
key = "drill"
title = { zh = "演练", en = "Drill" }
panel = { rule = "trimmed", drop_high = 1, drop_low = 1 }

[[sections]]
key = "steps"
title = "步骤"

  [[sections.criteria]]
  key = "a"
  title = "A"
  kind = "scale"
  max = 10
  step = 0.5

  [[sections.criteria]]
  key = "b"
  title = "B"
  kind = "checklist"
  points = 5
"""


def problems_of(text):
    with pytest.raises(InvalidInput) as info:
        rubric_from(text, "drill.toml")
    return info.value.problems


def test_good_rubric_loads_with_its_structure():
    rubric = rubric_from(GOOD)
    assert [c.key for c in rubric.criteria()] == ["a", "b"]
    assert [s.key for s in rubric.sections()] == ["steps"]
    assert str(rubric.max_score()) == "15"


def test_error_names_file_line_and_field_path():
    text = GOOD.replace("  step = 0.5", "  step = -0.5")
    [p] = problems_of(text)
    assert p.file == "drill.toml"
    assert p.path == "sections[0].criteria[0].step"
    assert p.line == text.splitlines().index("  step = -0.5") + 1
    assert "greater than 0" in p.en and "大于 0" in p.zh


def test_every_problem_is_reported_at_once():
    text = GOOD.replace('kind = "checklist"', 'kind = "checklsit"').replace("max = 10", "max = 10\n  colour = 3")
    problems = problems_of(text)
    paths = {p.path for p in problems}
    assert "sections[0].criteria[1].kind" in paths
    assert "sections[0].criteria[0].colour" in paths
    kind = next(p for p in problems if p.path.endswith("kind"))
    assert "choose one of: scale, checklist" in kind.en


def test_unknown_field_lists_the_fields_allowed():
    [p] = problems_of(GOOD.replace('title = "A"', 'title = "A"\n  weigth = 2'))
    assert "unknown field 'weigth'" in p.en and "tolerance" in p.en


def test_duplicate_keys_are_refused():
    problems = problems_of(GOOD.replace('key = "b"', 'key = "a"'))
    assert any("used twice" in p.en and p.path == "sections[0].criteria[1].key" for p in problems)


def test_formula_with_unknown_name_points_at_formula():
    [p] = problems_of(GOOD.replace("panel = {", 'formula = "a + c"\npanel = {'))
    assert p.path == "formula" and "unknown names: c" in p.en and p.line == 4


def test_formula_syntax_error_names_the_column():
    [p] = problems_of(GOOD.replace("panel = {", 'formula = "a + * b"\npanel = {'))
    assert "column 5" in p.en


def test_panel_rule_errors():
    [p] = problems_of(GOOD.replace('rule = "trimmed"', 'rule = "olympic"'))
    assert p.path == "panel.rule" and "trimmed" in p.en
    [p] = problems_of(GOOD.replace("drop_high = 1, drop_low = 1", 'drop = {"five" = 1}'))
    assert p.path == "panel.drop"


def test_veto_target_must_exist():
    text = GOOD + '\n[[criteria]]\nkey = "v"\ntitle = "V"\nkind = "veto"\nscope = "criterion"\ntarget = "zz"\n'
    [p] = problems_of(text)
    assert "veto target 'zz'" in p.en and p.path == "criteria[0].target"


def test_toml_syntax_error_gives_the_line():
    [p] = problems_of(GOOD.replace('key = "a"', 'key = "a'))
    assert p.line == 11 and "TOML syntax error" in p.en


def test_missing_required_fields():
    problems = problems_of('key = "x"\n[[criteria]]\nkey = "a"\nkind = "scale"\n')
    assert {p.path for p in problems} >= {"title", "criteria[0].title", "criteria[0].max"}


def test_every_library_rubric_loads():
    files = sorted(RUBRICS.rglob("*.toml"))
    assert len(files) >= 14
    from scoring.rules_file import load_rules_file

    for path in files:
        load_rules_file(path)
