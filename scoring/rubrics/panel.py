"""Panel rules: how one criterion's (or one total's) marks from several judges become one value.

A rule receives a matrix of marks, one row per entry and one column per judge, all present,
and returns the value per row with the reason each dropped mark was dropped. How missing marks
are handled, and rounding, are decided by the engine before and after a rule runs. Every rule
depends only on the multiset of marks, never on the order of judges: ties between equal marks
drop one of them, and the value is the same whichever.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from decimal import Decimal
from typing import ClassVar

import numpy as np

from scoring.document import Fields
from scoring.problems import Problem

KEPT, HIGH, LOW, FAR = "", "highest", "lowest", "far from median"


def _sorted(marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(marks, axis=1, kind="stable")
    return order, np.take_along_axis(marks, order, axis=1)


def _reasons_for(order: np.ndarray, low: int, high: int) -> np.ndarray:
    rows, n = order.shape
    by_position = np.full((rows, n), KEPT, dtype=object)
    by_position[:, :low] = LOW
    if high:
        by_position[:, n - high :] = HIGH
    reasons = np.empty((rows, n), dtype=object)
    np.put_along_axis(reasons, order, by_position, axis=1)
    return reasons


def _combine(kept: np.ndarray, how: str) -> np.ndarray:
    total = kept.sum(axis=1) + Decimal(0)
    return total if how == "sum" else total / Decimal(kept.shape[1])


class PanelRule(ABC):
    """Base of every panel rule; `key` is what rubric files name."""

    key: ClassVar[str]

    def __init__(self, f: Fields | None = None) -> None:
        if f is not None:
            f.finish()

    def size_problem(self, n: int) -> Problem | None:
        """Why a panel of n marks is too small for this rule, or None."""
        return None if n >= 1 else Problem("没有评分", "no marks")

    @abstractmethod
    def apply(self, marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...

    def refused(self, marks: np.ndarray) -> tuple[np.ndarray, Problem] | None:
        """The rows (a boolean mask) whose marks this rule refuses to combine, and why; None when
        it combines every row. Most rules refuse only by size (`size_problem`)."""
        return None

    def describe(self) -> str:
        return self.key


class MeanRule(PanelRule):
    """The mean of all marks."""

    key = "mean"

    def apply(self, marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _combine(marks, "mean"), np.full(marks.shape, KEPT, dtype=object)


class SumRule(PanelRule):
    """The sum of all marks."""

    key = "sum"

    def apply(self, marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _combine(marks, "sum"), np.full(marks.shape, KEPT, dtype=object)


class MedianRule(PanelRule):
    """The middle mark; with an even count, the mean of the two middle marks."""

    key = "median"

    def apply(self, marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        _, ordered = _sorted(marks)
        n = marks.shape[1]
        if n % 2:
            values = ordered[:, n // 2] + Decimal(0)
        else:
            values = (ordered[:, n // 2 - 1] + ordered[:, n // 2]) / Decimal(2)
        return values, np.full(marks.shape, KEPT, dtype=object)


class TrimmedRule(PanelRule):
    """Drop the k highest and k lowest marks, then take the mean (or the sum) of the rest.

    k is fixed (drop_high, drop_low) or depends on how many judges marked:
    drop = {"5" = 1, "7" = 2} drops one at each end from five marks and two from seven.
    """

    key = "trimmed"
    THEN: ClassVar[list[str]] = ["mean", "sum"]

    def __init__(self, f: Fields | None = None) -> None:
        self.by_size: dict[int, int] = {}
        self.drop_high = self.drop_low = 1
        self.then = "mean"
        if f is None:
            return
        if f.has("drop"):
            table = f.raw("drop")
            if not isinstance(table, dict) or not all(
                str(k).isdigit() and isinstance(v, int) for k, v in table.items()
            ):
                f.error_at(
                    "drop",
                    'drop 必须形如 {"5" = 1, "7" = 2}（评委人数 = 每端去掉几个）',
                    'drop must look like {"5" = 1, "7" = 2} (judges = marks dropped at each end)',
                )
            else:
                self.by_size = {int(k): v for k, v in table.items()}
        else:
            self.drop_high = f.int("drop_high", 1, minimum=0)
            self.drop_low = f.int("drop_low", 1, minimum=0)
        self.then = f.str("then", "mean", choices=self.THEN)
        f.finish()

    def drops(self, n: int) -> tuple[int, int] | None:
        if self.by_size:
            k = self.by_size.get(n)
            return None if k is None else (k, k)
        return self.drop_high, self.drop_low

    def size_problem(self, n: int) -> Problem | None:
        drops = self.drops(n)
        if drops is None:
            sizes = ", ".join(str(s) for s in sorted(self.by_size))
            return Problem(
                f"去高去低规则未定义 {n} 名评委的情况（已定义：{sizes}）",
                f"the trimmed rule does not say what to drop from {n} marks (defined for: {sizes})",
            )
        if sum(drops) >= n:
            return Problem(
                f"{n} 个评分不足以去掉最高 {drops[0]} 个和最低 {drops[1]} 个",
                f"{n} marks are too few to drop the {drops[0]} highest and {drops[1]} lowest",
            )
        return None

    def apply(self, marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = marks.shape[1]
        drops = self.drops(n)
        assert drops is not None
        high, low = drops
        order, ordered = _sorted(marks)
        return _combine(ordered[:, low : n - high], self.then), _reasons_for(order, low, high)

    def describe(self) -> str:
        if self.by_size:
            sizes = ", ".join(f"{k} of {n}" for n, k in sorted(self.by_size.items()))
            return f"drop highest and lowest ({sizes}), {self.then} of the rest"
        return f"drop {self.drop_high} highest and {self.drop_low} lowest, {self.then} of the rest"


class ClosestRule(PanelRule):
    """Keep the `keep` marks closest to the panel's median, then their mean (or sum).
    Between two marks equally far from the median, the lower one is kept."""

    key = "closest"

    def __init__(self, f: Fields | None = None) -> None:
        self.keep = 3
        self.then = "mean"
        if f is not None:
            self.keep = f.int("keep", minimum=1)
            self.then = f.str("then", "mean", choices=TrimmedRule.THEN)
            f.finish()

    def size_problem(self, n: int) -> Problem | None:
        if n < self.keep:
            return Problem(
                f"{n} 个评分少于需保留的 {self.keep} 个", f"{n} marks are fewer than the {self.keep} to keep"
            )
        return None

    def apply(self, marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        median, _ = MedianRule().apply(marks)
        distance = np.abs(marks - median[:, None])
        by_value = np.argsort(marks, axis=1, kind="stable")
        by_distance = np.argsort(np.take_along_axis(distance, by_value, axis=1), axis=1, kind="stable")
        order = np.take_along_axis(by_value, by_distance, axis=1)
        kept = np.take_along_axis(marks, order[:, : self.keep], axis=1)
        rows, n = marks.shape
        by_position = np.full((rows, n), KEPT, dtype=object)
        by_position[:, self.keep :] = FAR
        reasons = np.empty((rows, n), dtype=object)
        np.put_along_axis(reasons, order, by_position, axis=1)
        return _combine(kept, self.then), reasons

    def describe(self) -> str:
        return f"keep the {self.keep} marks closest to the median, {self.then} of them"
