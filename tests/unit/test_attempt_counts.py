"""Up to N attempts: what the rubric says an attempt not made means, worked by hand."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.marks import check_marks
from scoring.problems import InvalidInput
from scoring.rubrics.engine import score_rubric
from scoring.rubrics.explain import explain_entry, render_explanation
from tests.helpers import marks_frame, panel, rubric_from, score, scores

DRILL = """
key = "drill"
title = "Drill"
attempts = {{ up_to = 3, combine = "{combine}", missing = "{missing}"{extra} }}

[[criteria]]
key = "points"
title = "Points"
kind = "scale"
max = 10
"""


def drill(combine="best", missing="skip", extra=""):
    return rubric_from(DRILL.format(combine=combine, missing=missing, extra=extra))


def runs(entry, *values):
    """One judge's marks for runs 1, 2, ... of an entry."""
    return [(entry, str(k), "J1", "points", v) for k, v in enumerate(values, 1)]


def test_best_of_up_to_three_runs_takes_the_best_of_those_made():
    r = drill()
    # A ran three times (6, 9, 7): best 9; B twice (8, 5): best 8; C once (4): 4
    rows = runs("A", 6, 9, 7) + runs("B", 8, 5) + runs("C", 4)
    assert scores(r, rows) == {"A": D(9), "B": D(8), "C": D(4)}


def test_a_sum_of_up_to_three_counts_the_runs_made_and_says_which_were_not():
    r = drill("sum")
    result = score(r, runs("A", 6, 9, 7) + runs("B", 8, 5))
    assert {e.entry: e.score for e in result.results} == {"A": D(22), "B": D(13)}
    assert result.not_made == {"A": [], "B": [3]}
    assert result.results[1].attempts == {1: D(8), 2: D(5)}  # the attempts made, nothing invented
    working = explain_entry(result, "B")
    assert working is not None and working["not_made"] == [3]
    assert working["attempts_rule"] == "up to 3 attempts, at least 1; an attempt not made is not counted"
    text = render_explanation(working)
    assert "not made 未完成: 3" in text and "sum of 2 attempts made; not made: 3 (not counted)" in text


def test_best_two_with_zero_for_a_run_not_made():
    r = drill("best_n", "zero", ", n = 2")
    # A: 6, 9, 7 -> 9 + 7 = 16; B made one run (8): 8 and 0 for each run not made -> 8 + 0 = 8
    result = score(r, runs("A", 6, 9, 7) + runs("B", 8))
    assert {e.entry: e.score for e in result.results} == {"A": D(16), "B": D(8)}
    assert "0 for each not made" in result.combine_notes["B"] and "not made: 2, 3 (each 0)" in result.combine_notes["B"]


def test_a_diver_who_withdraws_after_dive_three_scores_zero_for_the_dives_left():
    r = rubric_from(
        """
        key = "dive"
        title = "Dive"
        attempts = { up_to = 5, min = 3, missing = "zero" }
        formula = "award * dd"
        round = 2
        [[parameters]]
        key = "dd"
        [[criteria]]
        key = "award"
        title = "Award"
        kind = "scale"
        max = 10
        step = 0.5
        panel = { rule = "trimmed", drop_high = 1, drop_low = 1, then = "sum" }
        """
    )
    rows = []
    for k in range(1, 6):  # the dive sheet lists all five dives' DD before the event
        rows += [("W", str(k), "", "dd", "2.0")]
    for k in range(1, 4):  # 6 | 7 7 | 8 -> 14 x 2.0 = 28.00 for each of three dives
        rows += panel("W", "award", [6, 7, 7, 8], attempt=str(k))
    result = score(r, rows)
    assert result.results[0].score == D("84.00") and result.not_made == {"W": [4, 5]}
    assert "not made: 4, 5 (each 0)" in result.combine_notes["W"]
    with pytest.raises(InvalidInput) as short:  # two dives are fewer than the rubric's min of 3
        score(r, [row for row in rows if row[1] not in ("3", "4", "5") or row[3] == "dd"])
    assert "entry W made 2 attempt(s); the rubric needs at least 3" in str(short.value.problems)


def test_an_exact_count_still_demands_every_attempt():
    r = rubric_from(
        """
        key = "exact"
        title = "Exact"
        attempts = { up_to = 2, missing = "error" }
        [[criteria]]
        key = "points"
        title = "Points"
        kind = "scale"
        max = 10
        """
    )
    assert r.attempts.count == 2 and not r.attempts.variable
    with pytest.raises(InvalidInput) as missing:
        score(r, runs("A", 5))
    assert "entry A has no marks for attempt(s) [2]" in str(missing.value.problems)


@pytest.mark.parametrize(
    ("attempts", "field", "says"),
    [
        ('{ count = 3, missing = "skip" }', "attempts.missing", "missing goes with up_to"),
        ("{ up_to = 3 }", "attempts.missing", "say what an attempt not made means"),
        ('{ up_to = 3, min = 4, missing = "skip" }', "attempts.min", "min cannot exceed up_to"),
        ('{ up_to = 3, min = 2, missing = "error" }', "attempts.min", "min must equal up_to"),
        ('{ up_to = 3, combine = "best_n", n = 2, missing = "skip" }', "attempts.min", "at least 2"),
        ('{ combine = "best" }', "attempts.count", "give one of count"),
        ('{ up_to = 3, missing = "never" }', "attempts.missing", "never"),
        ('{ up_to = 1000000000, missing = "skip" }', "attempts.up_to", "at most 1000 attempts"),
        ("{ count = 5000 }", "attempts.count", "at most 1000 attempts"),
    ],
)
def test_the_attempts_table_is_checked_with_its_field(attempts, field, says):
    with pytest.raises(InvalidInput) as bad:
        rubric_from(
            f"""
            key = "bad"
            title = "Bad"
            attempts = {attempts}
            [[criteria]]
            key = "points"
            title = "Points"
            kind = "scale"
            max = 10
            """
        )
    assert any(p.path == field and says in p.en for p in bad.value.problems), bad.value.problems


def test_zero_for_a_missing_attempt_is_refused_where_lower_is_better():
    with pytest.raises(InvalidInput) as bad:
        rubric_from(
            """
            key = "timed"
            title = "Timed"
            better = "lower"
            attempts = { up_to = 2, missing = "zero" }
            [[criteria]]
            key = "time"
            title = "Time"
            kind = "official_time"
            """
        )
    assert "cannot score 0" in str(bad.value.problems)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=3), st.sampled_from(["sum", "best"]))
def test_zero_and_skip_agree_where_a_missing_run_cannot_matter(made, combine):
    """With points of 0 or more, a run not made scoring 0 changes neither a sum nor a best."""
    rows = runs("A", *made)
    skipped = scores(drill(combine, "skip"), rows)["A"]
    zeroed = scores(drill(combine, "zero"), rows)["A"]
    assert skipped == zeroed == (sum(made) if combine == "sum" else max(made))


@pytest.mark.parametrize(("combine", "missing"), [("sum", "skip"), ("best", "zero"), ("sum", "zero")])
def test_the_integer_path_and_the_reference_agree_with_attempts_not_made(combine, missing):
    r = drill(combine, missing)
    table = check_marks(marks_frame(runs("A", 6, 9, 7) + runs("B", 8) + runs("C", 2, 10)), r, "m.csv")
    fast, reference = score_rubric(r, table), score_rubric(r, table, integers=False)
    assert [(e.entry, str(e.score), e.attempts) for e in fast.results] == [
        (e.entry, str(e.score), e.attempts) for e in reference.results
    ]
    assert fast.not_made == reference.not_made == {"A": [], "B": [2, 3], "C": [3]}
