"""The chief judge's review of a panel: how each judge marks compared with the panel.

For every mark a judge gave on a panel criterion, the deviation is the judge's points minus
the panel's value for that criterion (before rounding): positive means more lenient than the
panel, negative more severe. A judge's severity is the mean of their deviations; they are
outside the tolerance when a mark lies farther from the panel's value than the criterion's
tolerance. Reads the engine's trace; computes no scores of its own.

It works per criterion on the trace's arrays (a 100-judge round has ten thousand marks): each
mark minus its panel's value in one array operation, and each judge's deviations added in the
order a mark-by-mark loop would add them (criterion by criterion, group by group), so the sums
are the same Decimals to the last digit (tests/unit/test_review_by_array.py).

A review is made in parts (the chief's console keeps each entry's part and recomputes only the
entries whose sheets changed): `deviations_by` splits a result's deviations by part (an entry,
from its groups), `review_parts` stacks the parts' deviations in the groups' order and adds them
criterion by criterion, group by group, so the sums are the same Decimals as one run over every
part's marks (tests/unit/test_review_parts.py); `review_judges` is the one-part case.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from scoring.decimals import quantize, score_context
from scoring.rubrics.trace import CriterionTrace, RubricResult


@dataclass
class JudgeReview:
    judge: str
    marks: int = 0
    total_deviation: Decimal = Decimal(0)
    outside: int = 0
    judged: int = 0  # marks on criteria that have a tolerance

    @property
    def mean_deviation(self) -> Decimal | None:
        if not self.marks:
            return None
        with decimal.localcontext(score_context()):
            return quantize(self.total_deviation / self.marks, 2)

    @property
    def outside_share(self) -> Decimal | None:
        if not self.judged:
            return None
        with decimal.localcontext(score_context()):
            return quantize(Decimal(self.outside) / self.judged, 2)


def compared(result: RubricResult) -> list[tuple[CriterionTrace, Decimal | None]]:
    """What the review compares, with its tolerance: the judges' totals with the panel's result
    (panel_on = "total"), else each panel criterion's marks with the panel's value."""
    rubric, trace = result.rubric, result.trace
    if result.judge_trace is not None:
        return [(trace.criteria["total"], rubric.total_tolerance)]
    return [
        (trace.criteria[c.key], c.tolerance)
        for c in rubric.criteria()
        if not (c.official or c.is_veto) and c.key in trace.criteria
    ]


def review_judges(result: RubricResult) -> list[JudgeReview]:
    """One review per judge who marked, in judge order. With panel_on = "total" the judges'
    totals are compared with the panel's result; otherwise each criterion's marks with the
    panel's value for that criterion."""
    return review_parts(list(deviations_by(result, lambda _: "whole").values()))  # one part: the whole result


@dataclass(frozen=True)
class Deviations:
    """One part's deviations (an entry's groups): per compared criterion, in review_judges'
    order, its tolerance, the judges of its marks and their deviations from the panel, a row a
    group (None where a judge gave no mark)."""

    criteria: list[tuple[Decimal | None, list[str], np.ndarray]]


def deviations_by(result: RubricResult, part_of: Callable[[str], Hashable]) -> dict[Hashable, Deviations]:
    """The result's deviations split by part (`part_of` a group's entry column, e.g. the entry
    itself), parts in the order their groups come."""
    groups = [part_of(str(g)) for g in result.trace.groups["entry"]]
    parts: dict[Hashable, Deviations] = {part: Deviations([]) for part in groups}
    rows = {part: np.asarray([i for i, p in enumerate(groups) if p == part], dtype=np.int64) for part in parts}
    with decimal.localcontext(score_context()):
        for t, tolerance in compared(result):
            deviations = _deviations(t)
            for part, mine in rows.items():
                parts[part].criteria.append((tolerance, list(t.judges), deviations[mine]))
    return parts


def _deviations(t: CriterionTrace) -> np.ndarray:
    """Each mark minus its panel's value, a row a group (None where no mark was given)."""
    marks = np.asarray(t.marks, dtype=object).reshape(len(t.raw), len(t.judges))
    given = _GIVEN(marks).astype(bool) if marks.size else np.zeros(marks.shape, dtype=bool)
    raw = np.broadcast_to(np.asarray(t.raw, dtype=object)[:, None], marks.shape)
    deviations = np.full(marks.shape, None, dtype=object)
    deviations[given] = marks[given] - raw[given]  # each mark minus its panel's value, in this context
    return deviations


def review_parts(parts: list[Deviations]) -> list[JudgeReview]:
    """review_judges of a result made of these parts (in the order of their groups): per
    criterion the parts' rows stacked, each judge's deviations added group by group in that
    order, so the counts and the sums are the same."""
    reviews: dict[str, JudgeReview] = {}
    judges = sorted({j for part in parts for _, names, _ in part.criteria for j in names})
    column = {judge: k for k, judge in enumerate(judges)}
    with decimal.localcontext(score_context()):
        for c in range(len(parts[0].criteria) if parts else 0):
            tolerance = parts[0].criteria[c][0]
            height = sum(len(part.criteria[c][2]) for part in parts)
            deviations = np.full((height, len(judges)), None, dtype=object)
            top = 0
            for part in parts:
                _, names, mine = part.criteria[c]
                deviations[top : top + len(mine), [column[j] for j in names]] = mine
                top += len(mine)
            _add(reviews, judges, deviations, tolerance)
    return [reviews[j] for j in sorted(reviews)]


def _add(reviews: dict[str, JudgeReview], judges: list[str], deviations: np.ndarray, tolerance: Decimal | None) -> None:
    """Each judge's deviations of one criterion (None: no mark) added to the judge's review,
    group by group (a judge's column as a list: a few dozen values, cheaper than arrays)."""
    for judge, column in zip(judges, deviations.T.tolist(), strict=True):
        mine = [d for d in column if d is not None]  # the judge's deviations, group by group
        if not judge or not mine:
            continue
        review = reviews.get(judge) or reviews.setdefault(judge, JudgeReview(judge))
        review.marks += len(mine)
        review.total_deviation = sum(mine, review.total_deviation)  # added in the same order as one by one
        if tolerance is not None:
            review.judged += len(mine)
            review.outside += sum(1 for d in mine if abs(d) > tolerance)


#: Whether each mark of a (groups, judges) array was given (None: the judge gave none).
_GIVEN = np.frompyfunc(lambda mark: mark is not None, 1, 1)
