"""Small builders for tests: a rubric from TOML text, marks from rows, scores by entry."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pandas as pd

from scoring.marks import MARK_COLUMNS, check_marks
from scoring.rubrics.engine import score_rubric
from scoring.rubrics.loader import load_rubric, load_rubric_document
from scoring.rubrics.model import Rubric
from scoring.rubrics.trace import RubricResult
from scoring.tomlsource import load_toml_text

D = Decimal
ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
RUBRICS = ROOT / "examples" / "rubrics"


def rubric_from(text: str, file: str = "test.toml") -> Rubric:
    return load_rubric_document(load_toml_text(textwrap.dedent(text), file))


def library(name: str) -> Rubric:
    return load_rubric(RUBRICS / name)


def marks_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame([tuple(str(v) for v in r) for r in rows], columns=MARK_COLUMNS)
    frame["row"] = range(2, len(frame) + 2)
    return frame


def score(rubric: Rubric, rows: list[tuple]) -> RubricResult:
    return score_rubric(rubric, check_marks(marks_frame(rows), rubric, "marks.csv"))


def scores(rubric: Rubric, rows: list[tuple]) -> dict[str, Decimal | None]:
    return {r.entry: r.score for r in score(rubric, rows).results}


def panel(entry: str, criterion: str, marks: list, attempt: str = "", prefix: str = "J") -> list[tuple]:
    """One row per judge J1..Jn for one criterion."""
    return [(entry, attempt, f"{prefix}{i + 1}", criterion, m) for i, m in enumerate(marks)]


def committed(sessions, use_case, *args, **kwargs):
    """Run a store use case in a transaction of its own, as a route does, and return its result."""
    with sessions.begin() as db:
        return use_case(db, *args, **kwargs)
