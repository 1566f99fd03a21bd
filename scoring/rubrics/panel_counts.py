"""The panel rules of panel.py over int64 counts of one unit: the integer path of a panel.

Each function takes the present marks of rows of one size (counts and each mark's Decimal
exponent, rows x marks) and gives the panel's value as an exact fraction (numerator and
denominator in the same unit), the exponent the reference's Decimal would carry before any
division (its `ideal` exponent), and which marks were dropped and why, as codes. Sorting is
stable, as in panel.py, so the marks dropped between equal ones are the same judges'.

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


@dataclass
class PanelCounts:
    numerator: np.ndarray  # (rows,) in the marks' unit
    denominator: np.ndarray  # (rows,) 1 for a sum, the marks kept for a mean, 2 for a median of two
    ideal: np.ndarray  # (rows,) the exponent of the Decimal divided (or of the value, when 1)
    reasons: np.ndarray  # (rows, marks) int8 codes into REASONS, in the columns given


def _kept(counts: np.ndarray, exps: np.ndarray, then: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`_combine` of panel.py: the sum of the kept marks plus Decimal 0, divided by their number
    for a mean."""
    numerator = counts.sum(axis=1)
    ideal = np.minimum(exps.min(axis=1), 0)
    k = counts.shape[1]
    denominator = np.full(len(counts), k if then == "mean" else 1, dtype=np.int64)
    return numerator, denominator, ideal


def _none_dropped(counts: np.ndarray) -> np.ndarray:
    return np.zeros(counts.shape, dtype=np.int8)


def _mean(rule: PanelRule, counts: np.ndarray, exps: np.ndarray) -> PanelCounts:
    return PanelCounts(*_kept(counts, exps, "mean"), _none_dropped(counts))


def _sum(rule: PanelRule, counts: np.ndarray, exps: np.ndarray) -> PanelCounts:
    return PanelCounts(*_kept(counts, exps, "sum"), _none_dropped(counts))


def _sorted(counts: np.ndarray, exps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(counts, axis=1, kind="stable")
    return order, np.take_along_axis(counts, order, axis=1), np.take_along_axis(exps, order, axis=1)


def _median_parts(counts: np.ndarray, exps: np.ndarray) -> PanelCounts:
    """The middle mark plus 0, or the two middle marks' sum over 2 (no 0 added: panel.py)."""
    _, ordered, ordered_exps = _sorted(counts, exps)
    n = counts.shape[1]
    rows = len(counts)
    if n % 2:
        numerator = ordered[:, n // 2]
        ideal = np.minimum(ordered_exps[:, n // 2], 0)
        denominator = np.ones(rows, dtype=np.int64)
    else:
        numerator = ordered[:, n // 2 - 1] + ordered[:, n // 2]
        ideal = np.minimum(ordered_exps[:, n // 2 - 1], ordered_exps[:, n // 2])
        denominator = np.full(rows, 2, dtype=np.int64)
    return PanelCounts(numerator, denominator, ideal, _none_dropped(counts))


def _median(rule: PanelRule, counts: np.ndarray, exps: np.ndarray) -> PanelCounts:
    return _median_parts(counts, exps)


def _by_position(order: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Reason codes given per sorted position, put back in the marks' columns."""
    reasons = np.empty(order.shape, dtype=np.int8)
    np.put_along_axis(reasons, order, np.broadcast_to(codes, order.shape), axis=1)
    return reasons


def _trimmed(rule: PanelRule, counts: np.ndarray, exps: np.ndarray) -> PanelCounts:
    assert isinstance(rule, TrimmedRule)
    n = counts.shape[1]
    drops = rule.drops(n)
    assert drops is not None
    high, low = drops
    order, ordered, ordered_exps = _sorted(counts, exps)
    codes = np.full(n, KEPT_CODE, dtype=np.int8)
    codes[:low] = LOW_CODE
    if high:
        codes[n - high :] = HIGH_CODE
    kept = _kept(ordered[:, low : n - high], ordered_exps[:, low : n - high], rule.then)
    return PanelCounts(*kept, _by_position(order, codes))


def _closest(rule: PanelRule, counts: np.ndarray, exps: np.ndarray) -> PanelCounts:
    """Distances to the median in halves of the unit (a median of two may end in .5)."""
    assert isinstance(rule, ClosestRule)
    median = _median_parts(counts, exps)
    twice_median = median.numerator * (2 // median.denominator)
    distance = np.abs(2 * counts - twice_median[:, None])
    by_value = np.argsort(counts, axis=1, kind="stable")
    by_distance = np.argsort(np.take_along_axis(distance, by_value, axis=1), axis=1, kind="stable")
    order = np.take_along_axis(by_value, by_distance, axis=1)
    chosen = order[:, : rule.keep]
    kept = _kept(np.take_along_axis(counts, chosen, axis=1), np.take_along_axis(exps, chosen, axis=1), rule.then)
    codes = np.full(counts.shape[1], KEPT_CODE, dtype=np.int8)
    codes[rule.keep :] = FAR_CODE
    return PanelCounts(*kept, _by_position(order, codes))


_RULES: dict[type, Callable[[PanelRule, np.ndarray, np.ndarray], PanelCounts]] = {
    MeanRule: _mean,
    SumRule: _sum,
    MedianRule: _median,
    TrimmedRule: _trimmed,
    ClosestRule: _closest,
}


def combine_counts(rule: PanelRule, counts: np.ndarray, exps: np.ndarray) -> PanelCounts:
    """The rule over rows of present marks, exactly as panel.py computes it; NotExact for a rule
    without an integer form or marks whose sums could leave int64."""
    apply = _RULES.get(type(rule))
    if apply is None:
        raise NotExact(f"panel rule {rule.key} has no integer form")
    if largest(counts) > LIMIT // (4 * max(counts.shape[1], 1)):
        raise NotExact("the panel's sums could leave int64")
    return apply(rule, counts, exps)
