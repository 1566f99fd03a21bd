"""Marks given as categoricals (what the readers give) are checked and scored as text columns are.

The readers hand the engine categorical columns (scoring.tables.text_categories) and checking
reads their categories and codes instead of a million strings. Hypothesis writes the rubrics and
marks of test_exact_path.py, spoils some rows (spaces around values, unknown criteria and judges,
bad attempts, repeated marks, missing values) and checks the same table three ways: as plain text,
as the readers' categoricals, and as categoricals whose categories are shuffled, padded with
unused values and written with spaces. All three give the same problems (message and row), or
the same scores and working, digit for digit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.marks import MARK_COLUMNS, check_marks
from scoring.problems import InvalidInput
from scoring.rubrics.engine import score_rubric
from scoring.tables import text_categories
from tests.helpers import marks_frame, rubric_from
from tests.unit.test_exact_path import cases, working

SPOILS = [
    lambda r: (f" {r[0]} ", *r[1:]),
    lambda r: (*r[:3], "nope", r[4]),
    lambda r: (r[0], "9", *r[2:]),
    lambda r: (r[0], r[1], "J9", *r[3:]),
    lambda r: (r[0], r[1], r[2], r[3], f"{r[4]} "),
    lambda r: (r[0], r[1], r[2], r[3], "x"),
    lambda r: ("", *r[1:]),
]


def _untidy(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Categoricals with shuffled categories, some unused and some with spaces around them."""
    rng = np.random.default_rng(seed)
    out = frame.copy()
    for column in MARK_COLUMNS:
        values = out[column].to_numpy(dtype=object)
        extra = [" " + str(v) for v in values[:2]] + ["unused"]
        categories = list(dict.fromkeys([*values.tolist(), *extra]))
        rng.shuffle(categories)
        out[column] = pd.Categorical(values, categories=categories)
    return out


def _outcome(rubric: Any, frame: pd.DataFrame, judges: set[str] | None) -> Any:
    try:
        table = check_marks(frame, rubric, "marks.csv", judges=judges)
        return working(score_rubric(rubric, table))
    except InvalidInput as exc:
        return [(p.en, p.row) for p in exc.problems]


@given(case=cases(), spoil=st.lists(st.tuples(st.integers(0, 200), st.sampled_from(SPOILS)), max_size=3))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_categorical_marks_are_checked_and_scored_as_text_is(case, spoil):
    text, rows = case
    rows = list(rows)
    for where, change in spoil:
        if rows:
            rows[where % len(rows)] = change(rows[where % len(rows)])
    if rows and spoil:
        rows.append(rows[0])  # a repeated mark
    rubric = rubric_from(text)
    plain = marks_frame(rows)
    judges = {f"J{j}" for j in range(5)}
    expected = _outcome(rubric, plain, judges)
    assert _outcome(rubric, text_categories(plain, MARK_COLUMNS), judges) == expected
    assert _outcome(rubric, _untidy(plain, len(rows)), judges) == expected


def test_a_bad_value_after_an_unknown_criterion_is_reported_not_a_crash():
    """The unknown criterion's rows are left out before values are read, so the criteria's codes
    skip one; the bad value is still reported with its row."""
    rubric = rubric_from(
        'key = "k"\ntitle = "K"\n[[criteria]]\nkey = "a"\ntitle = "A"\nkind = "scale"\nmax = 10\n'
        '[[criteria]]\nkey = "b"\ntitle = "B"\nkind = "scale"\nmax = 10\n'
    )
    rows = [("E1", "", "J1", "a", "5"), ("E1", "", "J1", "nope", "5"), ("E1", "", "J1", "b", "11")]
    for frame in (marks_frame(rows), text_categories(marks_frame(rows), MARK_COLUMNS)):
        problems = _outcome(rubric, frame, None)
        assert [row for _, row in problems] == [3, 4]
        assert problems[0][0].startswith("unknown criterion or parameter 'nope'")
        assert problems[1][0].startswith("b: ")
