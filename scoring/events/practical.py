"""Practical events: one sheet per judge per entry, combined by the rubric's panel rules.

Also the scoring of any rubric file given to `scoring compute` that is not a theory paper or
a quiz. Marks are the long form of scoring/marks.py, from a file or from the store's sheets.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pandas as pd

from scoring.decimals import score_context
from scoring.document import Fields
from scoring.events.base import BoundEvent, EntryScore, EventResult, NoParams, NoParamsKind
from scoring.marks import check_mark_columns, check_marks, read_marks_frame
from scoring.rubrics.engine import score_rubric
from scoring.rubrics.explain import explain_entry, render_explanation
from scoring.rubrics.loader import read_rubric
from scoring.rubrics.model import Rubric
from scoring.rubrics.trace import RubricResult


def result_from_rubric(kind: str, result: RubricResult) -> EventResult:
    rubric = result.rubric

    def criterion_values(key: str) -> dict[str, Decimal]:
        """Sum over attempts of one criterion's value per entry (for tie-breaks such as time)."""
        trace = result.trace
        if key not in trace.criteria:
            return {}
        values = trace.criteria[key].value
        out: dict[str, Decimal] = {}
        with decimal.localcontext(score_context()):  # whoever asks: 7/3 has 34 digits, never 28
            for entry, value in zip(trace.groups["entry"], values, strict=True):
                out[entry] = out.get(entry, Decimal(0)) + value
        return out

    def breakdown() -> pd.DataFrame:
        """Each entry and attempt: every criterion's value after its panel rule, rounding and
        veto (for a rubric whose panel judges totals, the panel's value of the totals), and the
        attempt's score."""
        trace = result.trace
        frame = trace.groups[["entry", "attempt"]].reset_index(drop=True).copy()
        for key, criterion in trace.criteria.items():
            frame[key] = criterion.value
        frame["attempt_score"] = trace.score if trace.score is not None else None
        return frame.sort_values(["entry", "attempt"], kind="stable").reset_index(drop=True)

    return EventResult(
        kind=kind,
        scores=[EntryScore(r.entry, r.score, r.disqualified) for r in result.results],
        lower_is_better=rubric.lower_is_better,
        max_score=rubric.max_score(),
        explain=lambda entry: explain_entry(result, entry),
        render=render_explanation,
        flags=result.flags,
        criterion_values=criterion_values,
        breakdown=breakdown,
    )


class PracticalEvent(BoundEvent):
    """A practical event bound to its rubric."""

    key = "practical"

    def __init__(self, rubric: Rubric) -> None:
        self._rubric = rubric

    @property
    def rubric(self) -> Rubric:
        return self._rubric

    @property
    def lower_is_better(self) -> bool:
        return self._rubric.lower_is_better

    @property
    def max_score(self) -> Decimal | None:
        return self._rubric.max_score()

    def read_table(self, path: Path) -> pd.DataFrame:
        return read_marks_frame(path)

    def score(
        self,
        table: pd.DataFrame,
        entries: set[str] | None = None,
        judges: set[str] | None = None,
        source: str = "marks",
    ) -> EventResult:
        marks = check_marks(check_mark_columns(table, source), self._rubric, source, entries=entries, judges=judges)
        return result_from_rubric(self.key, score_rubric(self._rubric, marks))


class PracticalKind(NoParamsKind[Rubric]):
    key = "practical"
    title: ClassVar[dict[str, str]] = {"zh": "实操", "en": "Practical"}

    def read_rules(self, f: Fields) -> Rubric:
        return read_rubric(f, f.doc.file)

    def bind(self, rules: Rubric, params: NoParams) -> PracticalEvent:
        return PracticalEvent(rules)
