"""Sheets of a rubric with attempts: marks keyed "attempt/criterion", submitted attempt by attempt."""

from dataclasses import replace

from scoring.problems import Problem
from scoring.rubrics.model import Attempts
from scoring.sheet_attempts import check_added_attempts, split_attempt
from scoring.sheet_rules import Actor, SheetAction, SheetState, TransitionRefused, check_sheet_marks, next_state
from tests.helpers import library

DIVING = library("diving_individual.toml")


def test_split_attempt_reads_plain_whole_numbers_only():
    assert split_attempt("2/award") == (2, "award")
    assert split_attempt("award") == (None, "award")
    assert split_attempt("02/award")[0] is None and split_attempt("x/award")[0] is None


def test_attempt_marks_need_an_attempt_in_range_and_a_judges_criterion():
    problems = check_sheet_marks(DIVING, {"award": "7", "6/award": "7", "1/dd": "3", "1/award": "7.25"}, False)
    by_path = {p.path: p.en for p in problems}
    assert set(by_path) == {"award", "6/award", "1/dd", "1/award"}
    assert "attempt/criterion" in by_path["award"] and "1 to 5" in by_path["6/award"]
    assert "not a criterion judges mark" in by_path["1/dd"]  # the DD is the desk's, not a judge's
    assert "off the step" in by_path["1/award"]


def test_a_complete_attempt_sheet_is_contiguous_from_the_first_attempt():
    assert check_sheet_marks(DIVING, {"1/award": "7"}, complete=True) == []
    assert check_sheet_marks(DIVING, {"1/award": "7", "2/award": "6.5"}, complete=True) == []
    gap = check_sheet_marks(DIVING, {"1/award": "7", "3/award": "6.5"}, complete=True)
    assert gap == [Problem("尚未评分", "not marked yet", path="2/award")]
    assert check_sheet_marks(DIVING, {}, complete=True) == [Problem("尚未评分", "not marked yet", path="1/award")]


def test_a_judge_submits_again_only_to_add_the_next_attempt():
    assert next_state(SheetState.SUBMITTED, SheetAction.SUBMIT, Actor.JUDGE, attempts=5) is SheetState.SUBMITTED
    try:
        next_state(SheetState.SUBMITTED, SheetAction.SUBMIT, Actor.JUDGE)
        raise AssertionError("a rubric without attempts takes one submission")
    except TransitionRefused:
        pass
    before = {"1/award": "7"}
    assert check_added_attempts(before, {"1/award": "7", "2/award": "8"}) == []
    changed = check_added_attempts(before, {"1/award": "7.5", "2/award": "8"})
    assert [p.path for p in changed] == ["1/award"] and "chief judge" in changed[0].en
    nothing_new = check_added_attempts(before, {"1/award": "7"})
    assert [p.path for p in nothing_new] == ["2/"] and "mark the next one (2)" in nothing_new[0].en


SEGMENT = library("figure_skating/segment.toml")  # elements up to 13, components once per skater
COMPONENTS = {"composition": "7", "presentation": "7.25", "skating_skills": "6.5"}
FIXED = replace(SEGMENT, attempts=Attempts(count=3))  # three elements, every one made


def test_a_per_entry_mark_is_keyed_by_its_criterion_alone_and_checked_as_its_kind():
    assert check_sheet_marks(SEGMENT, {"1/goe": "2"} | COMPONENTS, complete=True) == []
    problems = check_sheet_marks(SEGMENT, {"1/goe": "2", "1/composition": "7", "goe": "1", "factor": "2"}, False)
    by_path = {p.path: p.en for p in problems}
    assert set(by_path) == {"1/composition", "goe", "factor"}  # components have no attempt, GOEs need one
    off = check_sheet_marks(SEGMENT, {"1/goe": "2"} | COMPONENTS | {"presentation": "7.1"}, complete=True)
    assert [p.path for p in off] == ["presentation"] and "off the step" in off[0].en


def test_the_per_entry_part_is_marked_all_at_once_and_after_the_attempts():
    part = check_sheet_marks(SEGMENT, {"1/goe": "2", "composition": "7"}, complete=True)
    assert {p.path for p in part} == {"presentation", "skating_skills"}
    assert check_sheet_marks(SEGMENT, {"1/goe": "2", "composition": "7"}, complete=False) == []  # a draft may hold part
    early = check_sheet_marks(SEGMENT, COMPONENTS, complete=True)
    assert [p.path for p in early] == ["1/goe", "composition"] and "after the attempts" in early[1].en
    two = check_sheet_marks(FIXED, {"1/goe": "2", "2/goe": "1"} | COMPONENTS, complete=True)
    assert [p.path for p in two] == ["composition"] and "mark all 3 attempts first (2 so far)" in two[0].en
    assert check_sheet_marks(FIXED, {f"{k}/goe": "1" for k in (1, 2, 3)} | COMPONENTS, complete=True) == []


def test_the_per_entry_part_closes_the_sheet_for_the_judge():
    assert check_added_attempts({"1/goe": "2"}, {"1/goe": "2"} | COMPONENTS) == []  # the part alone
    assert check_added_attempts({"1/goe": "2"}, {"1/goe": "2", "2/goe": "1"} | COMPONENTS) == []  # with the last
    after = check_added_attempts({"1/goe": "2"} | COMPONENTS, {"1/goe": "2", "2/goe": "1"} | COMPONENTS)
    assert len(after) == 1 and "sheet is complete" in after[0].en
