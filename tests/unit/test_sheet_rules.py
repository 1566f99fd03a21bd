"""The pure rules of score sheets and publication: problems come as located `Problem`s."""

from scoring.problems import Problem
from scoring.publication import Publication, check_move
from scoring.sheet_rules import check_sheet_marks
from tests.helpers import library


def test_sheet_mark_problems_name_their_criterion_as_path():
    rubric = library("fire_hydrant.toml")
    problems = check_sheet_marks(rubric, {"lay_hose": "16", "colour": "red"}, complete=False)
    assert {p.path for p in problems} == {"lay_hose", "colour"}
    by_path = {p.path: p for p in problems}
    assert by_path["colour"] == Problem(
        "评分表中没有评分项“colour”", "'colour' is not a criterion judges mark in this rubric", path="colour"
    )
    assert by_path["lay_hose"].en == "16 is out of range; valid: 0 to 15 by 1"
    assert by_path["lay_hose"].where() == "lay_hose"


def test_a_complete_sheet_names_each_criterion_not_marked_yet():
    rubric = library("fire_hydrant.toml")
    problems = check_sheet_marks(rubric, {}, complete=True)
    judged = [c.key for c in rubric.criteria() if not c.official and not c.is_veto]
    assert problems == [Problem("尚未评分", "not marked yet", path=key) for key in judged]


def test_a_publication_move_not_allowed_says_what_is():
    assert check_move(Publication.OPEN, Publication.LOCKED) is None
    problem = check_move(Publication.FINAL, Publication.OPEN)
    assert problem == Problem(
        "发布状态不能从“final”改为“open”（可改为：-）", "a round that is final cannot become open; it can become: -"
    )


def test_check_move_final_to_locked_only_as_a_correction() -> None:
    assert check_move(Publication.FINAL, Publication.LOCKED) is not None
    assert check_move(Publication.FINAL, Publication.LOCKED, correction="  ") is not None
    assert check_move(Publication.FINAL, Publication.LOCKED, correction="re-check found an error") is None
    assert check_move(Publication.FINAL, Publication.OPEN, correction="any") is not None
