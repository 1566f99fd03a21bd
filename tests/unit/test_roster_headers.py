"""A roster's headers (issue 12, item 15): the Chinese ones organisers use, or the English ones;
a missing or doubled column is named in both languages with the headers that are valid."""

from __future__ import annotations

from pathlib import Path

from scoring.roster import RosterState, plan_import

EMPTY = RosterState(units=frozenset(), team_units={}, contestants=frozenset(), leaders={})


def plan(tmp_path: Path, text: str):
    path = tmp_path / "名单.csv"
    path.write_text(text, encoding="utf-8")
    return plan_import(path, EMPTY, source="名单.csv")


def test_the_chinese_headers_organisers_use_are_read_as_the_english_columns(tmp_path):
    made = plan(tmp_path, "单位编号,单位名称,队号,队名,选手编号,姓名,角色\nd09,应急中心,s15,应急一队,p101,张伟,队长\n")
    assert made.problems == []
    [row] = made.rows
    assert (row.unit, row.unit_name, row.team, row.team_name, row.contestant, row.name, row.role) == (
        "d09",
        "应急中心",
        "s15",
        "应急一队",
        "p101",
        "张伟",
        "队长",
    )
    assert made.new_units == {"d09": "应急中心"} and made.new_teams == {"s15": ("d09", "应急一队")}


def test_english_headers_in_any_case_and_a_mix_of_both_are_read(tmp_path):
    made = plan(tmp_path, "Unit,Unit_Name,队号,TEAM_NAME,contestant,姓名,role\nd09,应急中心,s15,,p101,张伟,member\n")
    assert made.problems == [] and made.rows[0].name == "张伟"


def test_a_missing_column_is_named_with_the_headers_that_are_valid(tmp_path):
    made = plan(tmp_path, "单位编号,队号,选手编号\nd09,s15,p101\n")
    [problem] = made.problems
    assert problem.file == "名单.csv" and problem.line == 1
    assert "缺少列 姓名（name）" in problem.zh and "单位编号、单位名称、队号" in problem.zh
    assert "missing column 'name' (姓名)" in problem.en and "unit, unit_name, team" in problem.en


def test_a_column_given_in_both_languages_is_refused_and_an_empty_name_named_in_chinese(tmp_path):
    twice = plan(tmp_path, "unit,单位编号,contestant,name\nd09,d09,p1,张\n")
    assert any("出现了两次" in p.zh and "given twice" in p.en for p in twice.problems)
    empty = plan(tmp_path, "单位编号,单位名称,选手编号,姓名\nd09,中心,p1,\n")
    [problem] = empty.problems
    assert problem.row == 2 and problem.zh == "姓名为空" and problem.en == "name is empty"
