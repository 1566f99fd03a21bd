"""The deviation window, a panel rule: marks far from the panel's mean (or median) are void.

Several Chinese contests write it as 偏离平均分 d 分以上的评分无效，取其余评分的平均分: every mark
more than `within` points from the centre of all the panel's marks (their mean, or their
median) is dropped, and the rest are averaged. The rubric states what happens when fewer than
`min_kept` marks remain (`too_few`): "error" refuses to compute the criterion (the chief judge
has it marked again), "all" takes the mean of every mark, "centre" takes the centre itself.
A mark exactly `within` away is kept (`edge = "keep"`, the English "more than d"); where a
rulebook follows the legal reading of 以上 (以上包括本数: "d or more"), write `edge = "drop"`.

Like every rule in panel.py it depends only on the multiset of marks. It has no integer form
(panel_counts.py): its criteria take the Decimal path. Marks are Decimals in numpy object arrays.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import numpy as np

from scoring.decimals import format_decimal
from scoring.document import Fields
from scoring.problems import Problem
from scoring.rubrics.combine import pick
from scoring.rubrics.panel import KEPT, MeanRule, MedianRule, PanelRule

ZERO = Decimal(0)


def _shown(value: Decimal) -> str:
    """The centre as the working shows it: exact, or to four places and "…" when longer."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else 0
    return format_decimal(value) if places <= 4 else format_decimal(value.quantize(Decimal("0.0001"))) + "…"


class WindowRule(PanelRule):
    """Drop the marks more than `within` from the mean (or median) of all marks; the mean of the rest."""

    key = "window"
    AROUND: ClassVar[list[str]] = ["mean", "median"]
    EDGE: ClassVar[list[str]] = ["keep", "drop"]
    TOO_FEW: ClassVar[list[str]] = ["error", "all", "centre"]

    def __init__(self, f: Fields | None = None) -> None:
        self.within = Decimal(1)
        self.around = "mean"
        self.edge = "keep"
        self.min_kept = 1
        self.too_few = "error"
        if f is None:
            return
        self.within = f.decimal("within", minimum=ZERO)
        self.around = f.str("around", "mean", choices=self.AROUND)
        self.edge = f.str("edge", "keep", choices=self.EDGE)
        self.min_kept = f.int("min_kept", 1, minimum=1)
        self.too_few = f.str("too_few", choices=self.TOO_FEW)
        f.finish()

    @property
    def reason(self) -> str:
        more = "more than" if self.edge == "keep" else "at least"
        return f"{more} {format_decimal(self.within)} from the {self.around}"

    def size_problem(self, n: int) -> Problem | None:
        if n < self.min_kept and self.too_few == "error":
            return Problem(
                f"{n} 个评分少于偏差窗口规则要求保留的 {self.min_kept} 个",
                f"{n} marks are fewer than the {self.min_kept} the deviation window must keep",
            )
        return super().size_problem(n)

    def centre(self, marks: np.ndarray) -> np.ndarray:
        rule = MeanRule() if self.around == "mean" else MedianRule()
        return rule.apply(marks)[0]

    def _far(self, marks: np.ndarray, centre: np.ndarray) -> np.ndarray:
        distance = np.abs(marks - centre[:, None])
        far = distance > self.within if self.edge == "keep" else distance >= self.within
        return np.asarray(far, dtype=bool)

    def apply(self, marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        centre = self.centre(marks)
        far = self._far(marks, centre)
        kept = (~far).sum(axis=1)
        too_few = kept < self.min_kept
        sums = pick(far, ZERO, marks).sum(axis=1) + ZERO
        values = np.empty(len(marks), dtype=object)
        for i in range(len(marks)):
            if not too_few[i]:
                values[i] = sums[i] / Decimal(int(kept[i]))
            elif self.too_few == "all":
                values[i] = (marks[i].sum() + ZERO) / Decimal(marks.shape[1])
            else:  # "centre", and "error" (refused by `refused`; the centre keeps the row defined)
                values[i] = centre[i]
        reasons = np.full(marks.shape, KEPT, dtype=object)
        for i, k in zip(*np.nonzero(far & ~too_few[:, None]), strict=True):
            reasons[i, k] = f"{self.reason} {_shown(centre[i])}"
        return values, reasons

    def refused(self, marks: np.ndarray) -> tuple[np.ndarray, Problem] | None:
        if self.too_few != "error":
            return None
        kept = (~self._far(marks, self.centre(marks))).sum(axis=1)
        rows = kept < self.min_kept
        if not rows.any():
            return None
        d = format_decimal(self.within)
        where = "平均分" if self.around == "mean" else "中位数"
        return rows, Problem(
            f'偏离{where}不超过 {d} 分的评分不足 {self.min_kept} 个；评分标准规定须重新评分（too_few = "error"）',
            f"fewer than {self.min_kept} marks lie within {d} of the {self.around}; the rubric says the "
            f'criterion is marked again (too_few = "error")',
        )

    def describe(self) -> str:
        fallback = {
            "error": "too few left: marked again",
            "all": "too few left: mean of all",
            "centre": f"too few left: the {self.around}",
        }[self.too_few]
        return f"drop marks {self.reason}, mean of the rest (at least {self.min_kept}; {fallback})"
