"""The panel rules of panel.py over int64 counts of one unit: the integer path of a panel.

Each function takes the present marks of rows of one size (counts, rows x marks) and gives the
panel's value as an exact fraction (numerator and denominator in the same unit), and the rest of
its working as a recipe (`PanelCounts.working`) run only when someone reads it: given each
mark's Decimal exponent, the exponent the reference's Decimal would carry before any division
(its `ideal` exponent) and which marks were dropped and why, as codes. The value itself needs no
order among equal marks (a sum of the kept marks is the same whichever of two equal ones is
dropped), so a trimmed mean drops the lowest and highest by min and max; the working sorts, and
sorting is stable, as in panel.py, so the marks dropped between equal ones are the same judges'.

A rule with no integer form here (a plug-in added later) raises NotExact and its criteria take
the Decimal path of panel.py, which stays the reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scoring.rubrics.exact import LIMIT, NotExact, largest
from scoring.rubrics.panel import (
    FAR,
    HIGH,
    KEPT,
    LOW,
    ClosestRule,
    MeanRule,
    MedianRule,
    PanelRule,
    SumRule,
    TrimmedRule,
)

#: The reasons a mark was dropped, by code (0 = kept).
REASONS = np.array([KEPT, LOW, HIGH, FAR], dtype=object)
KEPT_CODE, LOW_CODE, HIGH_CODE, FAR_CODE = 0, 1, 2, 3


Working = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass
class PanelCounts:
    numerator: np.ndarray  # (rows,) in the marks' unit
    denominator: np.ndarray  # (rows,) 1 for a sum, the marks kept for a mean, 2 for a median of two
    # given each mark's exponent (rows, marks): the exponent of the Decimal divided (or of the
    # value, when the denominator is 1), and the reasons, int8 codes into REASONS, in the columns given
    working: Working


def _denominator(rows: int, kept: int, then: str) -> np.ndarray:
    return np.full(rows, kept if then == "mean" else 1, dtype=np.int64)


def _ideal(exps: np.ndarray) -> np.ndarray:
    """`_combine` of panel.py adds the kept marks to Decimal 0: the least exponent, at most 0."""
    return np.minimum(exps.min(axis=1), 0)


def _kept_only(exps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _ideal(exps), np.zeros(exps.shape, dtype=np.int8)


def _mean(rule: PanelRule, counts: np.ndarray) -> PanelCounts:
    return PanelCounts(counts.sum(axis=1), _denominator(len(counts), counts.shape[1], "mean"), _kept_only)


def _sum(rule: PanelRule, counts: np.ndarray) -> PanelCounts:
    return PanelCounts(counts.sum(axis=1), _denominator(len(counts), counts.shape[1], "sum"), _kept_only)


def _sorted(counts: np.ndarray, exps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stable order of each row's marks by count, and their exponents in that order."""
    order = np.argsort(counts, axis=1, kind="stable")
    return order, np.take_along_axis(exps, order, axis=1)


def _median_value(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The middle mark, or the two middle marks' sum over 2 (numerator, denominator)."""
    n, rows = counts.shape[1], len(counts)
    ordered = np.sort(counts, axis=1)
    if n % 2:
        return ordered[:, n // 2], np.ones(rows, dtype=np.int64)
    return ordered[:, n // 2 - 1] + ordered[:, n // 2], np.full(rows, 2, dtype=np.int64)


def _median(rule: PanelRule, counts: np.ndarray) -> PanelCounts:
    """The middle mark plus 0, or the two middle marks' sum over 2 (no 0 added: panel.py)."""
    n = counts.shape[1]

    def working(exps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        _, ordered_exps = _sorted(counts, exps)
        if n % 2:
            ideal = np.minimum(ordered_exps[:, n // 2], 0)
        else:
            ideal = np.minimum(ordered_exps[:, n // 2 - 1], ordered_exps[:, n // 2])
        return ideal, np.zeros(counts.shape, dtype=np.int8)

    return PanelCounts(*_median_value(counts), working)


def _by_position(order: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Reason codes given per sorted position, put back in the marks' columns."""
    reasons = np.empty(order.shape, dtype=np.int8)
    np.put_along_axis(reasons, order, np.broadcast_to(codes, order.shape), axis=1)
    return reasons


def _trimmed(rule: PanelRule, counts: np.ndarray) -> PanelCounts:
    assert isinstance(rule, TrimmedRule)
    n = counts.shape[1]
    drops = rule.drops(n)
    assert drops is not None
    high, low = drops
    if high <= 1 and low <= 1:  # the sum less the lowest and the highest: no sorting
        numerator = counts.sum(axis=1)
        if low:
            numerator -= counts.min(axis=1)
        if high:
            numerator -= counts.max(axis=1)
    else:
        numerator = np.sort(counts, axis=1)[:, low : n - high].sum(axis=1)
    codes = np.full(n, KEPT_CODE, dtype=np.int8)
    codes[:low] = LOW_CODE
    if high:
        codes[n - high :] = HIGH_CODE

    def working(exps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        order, ordered_exps = _sorted(counts, exps)
        return _ideal(ordered_exps[:, low : n - high]), _by_position(order, codes)

    return PanelCounts(numerator, _denominator(len(counts), n - high - low, rule.then), working)


def _closest(rule: PanelRule, counts: np.ndarray) -> PanelCounts:
    """Distances to the median in halves of the unit (a median of two may end in .5); which marks
    are kept depends on the order among equally far ones, so it is found here, stably."""
    assert isinstance(rule, ClosestRule)
    median, halves = _median_value(counts)
    twice_median = median * (2 // halves)
    distance = np.abs(2 * counts - twice_median[:, None])
    by_value = np.argsort(counts, axis=1, kind="stable")
    by_distance = np.argsort(np.take_along_axis(distance, by_value, axis=1), axis=1, kind="stable")
    order = np.take_along_axis(by_value, by_distance, axis=1)
    chosen = order[:, : rule.keep]
    codes = np.full(counts.shape[1], KEPT_CODE, dtype=np.int8)
    codes[rule.keep :] = FAR_CODE

    def working(exps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _ideal(np.take_along_axis(exps, chosen, axis=1)), _by_position(order, codes)

    numerator = np.take_along_axis(counts, chosen, axis=1).sum(axis=1)
    return PanelCounts(numerator, _denominator(len(counts), chosen.shape[1], rule.then), working)


_RULES: dict[type, Callable[[PanelRule, np.ndarray], PanelCounts]] = {
    MeanRule: _mean,
    SumRule: _sum,
    MedianRule: _median,
    TrimmedRule: _trimmed,
    ClosestRule: _closest,
}


def combine_counts(rule: PanelRule, counts: np.ndarray) -> PanelCounts:
    """The rule over rows of present marks, exactly as panel.py computes it; NotExact for a rule
    without an integer form or marks whose sums could leave int64."""
    apply = _RULES.get(type(rule))
    if apply is None:
        raise NotExact(f"panel rule {rule.key} has no integer form")
    if largest(counts) > LIMIT // (4 * max(counts.shape[1], 1)):
        raise NotExact("the panel's sums could leave int64")
    return apply(rule, counts)
