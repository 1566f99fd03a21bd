"""Theory papers: answer sheets graded against the key, per-question statistics."""

from decimal import Decimal as D

import pandas as pd
import pytest

from scoring.events import THEORY, NoParams
from scoring.events.theory import grade_wide, question_statistics, theory_result
from scoring.problems import InvalidInput
from tests.helpers import rubric_from

PAPER = """
key = "paper"
title = "Paper"
[[criteria]]
key = "q1"
title = "Q1"
kind = "answer_key"
type = "single"
answer = "B"
points = 1
[[criteria]]
key = "q2"
title = "Q2"
kind = "answer_key"
type = "multiple"
answer = "ABD"
points = 2
partial = "subset"
partial_points = 1
[[criteria]]
key = "q3"
title = "Q3"
kind = "answer_key"
type = "true_false"
answer = true
points = 1
[[criteria]]
key = "q4"
title = "Q4"
kind = "answer_key"
type = "numeric"
answer = 0.89
tolerance = 0.01
points = 1
"""


def sheet(rows):
    frame = pd.DataFrame(rows, columns=["entry", "q1", "q2", "q3", "q4"])
    frame["row"] = range(2, len(frame) + 2)
    return frame


def test_answer_sheets_are_graded_exactly():
    rubric = rubric_from(PAPER)
    points = grade_wide(
        rubric,
        sheet([("c1", "B", "AB", "对", "0.885"), ("c2", "c", "ABD", "F", "0.9"), ("c3", "", "ACD", "√", "1")]),
        "answers.csv",
    )
    # c1: 1 + 1 (subset) + 1 + 1 = 4; c2: 0 + 2 + 0 + 1 = 3; c3: 0 + 0 + 1 + 0 = 1
    result = theory_result(rubric, points)
    assert {s.entry: s.score for s in result.scores} == {"c1": D(4), "c2": D(3), "c3": D(1)}
    assert result.explain("c2")["questions"][1] == {"question": "q2", "points": "2", "max": "2"}


def test_bad_answers_name_the_row_and_question_and_nothing_is_graded():
    rubric = rubric_from(PAPER)
    with pytest.raises(InvalidInput) as info:
        grade_wide(
            rubric,
            sheet([("c1", "E", "AB", "对", "x"), ("c1", "B", "AB", "maybe", "1")]),
            "answers.csv",
            entries={"c1"},
        )
    found = {(p.row, p.en.split(";")[0].split(" from")[0]) for p in info.value.problems}
    assert (2, "question q1: 'E' is not a valid choice") in found
    assert (2, "question q4: 'x' is not a number") in found
    assert (3, "question q3: 'maybe' is not true/false (对/错, T/F, 1/0)") in found
    assert any("more than one answer sheet" in p.en for p in info.value.problems)


def test_unknown_question_column_is_an_error():
    frame = sheet([("c1", "B", "AB", "对", "1")]).rename(columns={"q4": "q9"})
    with pytest.raises(InvalidInput, match="unknown question column 'q9'"):
        grade_wide(rubric_from(PAPER), frame, "answers.csv")


def test_question_statistics_difficulty_and_discrimination():
    rubric = rubric_from(PAPER)
    rows = [(f"c{i}", "B" if i < 6 else "A", "ABD" if i < 3 else "", "对", "0.89") for i in range(10)]
    stats = question_statistics(grade_wide(rubric, sheet(rows), "a.csv"), rubric).set_index("question")
    # q1: 6 of 10 right -> 0.60; the top 27% (3 sheets) all right, the bottom 3 all wrong -> 1.00
    assert stats.loc["q1", "difficulty"] == D("0.60") and stats.loc["q1", "discrimination"] == D("1.00")
    # q3 everyone right: difficulty 1.00, discrimination 0.00
    assert stats.loc["q3", "difficulty"] == D("1.00") and stats.loc["q3", "discrimination"] == D("0.00")
    # q2: 3 of 10 with 2 of 2 points -> 0.30
    assert stats.loc["q2", "difficulty"] == D("0.30")


def test_long_form_answers_grade_like_the_wide_sheet(tmp_path):
    rubric = rubric_from(PAPER)
    path = tmp_path / "answers.csv"
    path.write_text(
        "entry,attempt,judge,criterion,value\nc1,,,q1,B\nc1,,,q2,AB\nc1,,,q3,对\nc1,,,q4,0.885\n"
        "c2,,,q1,C\nc2,,,q2,ABD\n",
        encoding="utf-8",
    )
    result = THEORY.bind(rubric, NoParams()).score_file(path, entries={"c1", "c2"})
    # c1: 1 + 1 + 1 + 1 = 4; c2: 0 + 2, and the questions it left out count 0
    assert {s.entry: s.score for s in result.scores} == {"c1": D(4), "c2": D(2)}


def test_a_paper_of_more_questions_than_the_usual_column_cap_is_read_but_still_bounded(tmp_path):
    """The bounded reader's column cap (100) leaves room for a 120-question paper's wide form
    (entry and 120 questions), and still refuses a row wider than that."""
    questions = "".join(
        f'[[criteria]]\nkey = "q{i:03d}"\ntitle = "Q{i}"\nkind = "answer_key"\ntype = "single"\nanswer = "A"\n'
        "points = 1\n"
        for i in range(1, 121)
    )
    bound = THEORY.bind(rubric_from('key = "long"\ntitle = "Long"\n' + questions), NoParams())
    keys = [f"q{i:03d}" for i in range(1, 121)]
    path = tmp_path / "answers.csv"
    path.write_text("entry," + ",".join(keys) + "\nc1," + ",".join("A" * 120) + "\n", encoding="utf-8")
    result = bound.score(bound.read_table(path))
    assert [(s.entry, s.score) for s in result.scores] == [("c1", D(120))]
    path.write_text("entry," + ",".join(keys) + "\nc1," + ",".join("A" * 130) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="more than 122 columns"):
        bound.read_table(path)
