"""Presentations (成果展示 / 答辩): a panel judges a submitted work, in a drawn order.

Scoring is the rubric's, as for a practical event (usually panel_on = "total": each judge gives
one total, the highest and lowest are dropped). The kind adds the performance order, drawn with
a recorded seed (the event's `params.draw_seed`) so that anyone can replay the draw and get the
same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from scoring.document import Fields
from scoring.draws import draw_order
from scoring.events.base import EventKind, EventResult
from scoring.events.practical import PracticalEvent
from scoring.rubrics.loader import read_rubric
from scoring.rubrics.model import Rubric


@dataclass(frozen=True)
class DrawParams:
    """The seed of the drawn performance order; None: no order is drawn."""

    draw_seed: int | None = None


class PresentationEvent(PracticalEvent):
    """A presentation bound to its rubric and its draw."""

    key = "presentation"

    def __init__(self, rubric: Rubric, params: DrawParams) -> None:
        super().__init__(rubric)
        self.params = params

    def score(
        self,
        table: pd.DataFrame,
        entries: set[str] | None = None,
        judges: set[str] | None = None,
        source: str = "marks",
    ) -> EventResult:
        result = super().score(table, entries, judges, source)
        seed = self.params.draw_seed
        if seed is not None:
            result.details["order"] = draw_order(sorted(entries or {s.entry for s in result.scores}), seed)
            result.details["draw_seed"] = seed
        return result


class PresentationKind(EventKind[Rubric, DrawParams]):
    key = "presentation"
    title: ClassVar[dict[str, str]] = {"zh": "成果展示", "en": "Presentation"}

    def read_rules(self, f: Fields) -> Rubric:
        return read_rubric(f, f.doc.file)

    def read_params(self, f: Fields | None) -> DrawParams:
        if f is None:
            return DrawParams()
        seed = f.int("draw_seed", None, minimum=0)
        f.finish()
        return DrawParams(draw_seed=seed)

    def bind(self, rules: Rubric, params: DrawParams) -> PresentationEvent:
        return PresentationEvent(rules, params)
