"""Practical events: one sheet per judge per entry, combined by the rubric's panel rules.

Also the scoring of any rubric file given to `scoring compute` that is not a theory paper or
a quiz. Marks are the long form of scoring/marks.py.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from scoring.document import Fields
from scoring.events.base import EntryScore, EventKind, EventResult
from scoring.marks import check_marks, read_marks_frame
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
        for entry, value in zip(trace.groups["entry"], values, strict=True):
            out[entry] = out.get(entry, Decimal(0)) + value
        return out

    return EventResult(
        kind=kind,
        scores=[EntryScore(r.entry, r.score, r.disqualified) for r in result.results],
        lower_is_better=rubric.lower_is_better,
        max_score=rubric.max_score(),
        explain=lambda entry: explain_entry(result, entry),
        render=render_explanation,
        flags=result.flags,
        criterion_values=criterion_values,
    )


class PracticalKind(EventKind):
    key = "practical"
    title: ClassVar[dict[str, str]] = {"zh": "实操", "en": "Practical"}

    def read_rules(self, f: Fields) -> Rubric:
        return read_rubric(f, f.doc.file)

    def score_file(
        self,
        rules: Any,
        params: dict[str, Any],
        path: Path,
        entries: set[str] | None = None,
        judges: set[str] | None = None,
    ) -> EventResult:
        table = check_marks(read_marks_frame(path), rules, str(path), entries=entries, judges=judges)
        return result_from_rubric(self.key, score_rubric(rules, table))

    def max_score(self, rules: Any) -> Decimal | None:
        return rules.max_score()

    def lower_is_better(self, rules: Any) -> bool:
        return bool(rules.lower_is_better)
