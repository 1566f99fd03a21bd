"""Presentations (成果展示 / 答辩): a panel judges a submitted work, in a drawn order.

Scoring is the rubric's, as for a practical event (usually panel_on = "total": each judge gives
one total, the highest and lowest are dropped). The kind adds the performance order, drawn with
a recorded seed so that anyone can replay the draw and get the same order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from scoring.document import Fields
from scoring.draws import draw_order
from scoring.events.base import EventResult
from scoring.events.practical import PracticalKind


class PresentationKind(PracticalKind):
    key = "presentation"
    title: ClassVar[dict[str, str]] = {"zh": "成果展示", "en": "Presentation"}

    def read_params(self, f: Fields | None) -> dict[str, Any]:
        if f is None:
            return {"draw_seed": None}
        seed = f.int("draw_seed", None, minimum=0)
        f.finish()
        return {"draw_seed": seed}

    def score_file(
        self,
        rules: Any,
        params: dict[str, Any],
        path: Path,
        entries: set[str] | None = None,
        judges: set[str] | None = None,
    ) -> EventResult:
        result = super().score_file(rules, params, path, entries, judges)
        result.kind = self.key
        seed = params.get("draw_seed")
        if seed is not None:
            result.details["order"] = draw_order(sorted(entries or {s.entry for s in result.scores}), seed)
            result.details["draw_seed"] = seed
        return result
