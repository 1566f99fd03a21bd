"""The chief judge's review of a panel: how each judge marks compared with the panel.

For every mark a judge gave on a panel criterion, the deviation is the judge's points minus
the panel's value for that criterion (before rounding): positive means more lenient than the
panel, negative more severe. A judge's severity is the mean of their deviations; they are
outside the tolerance when a mark lies farther from the panel's value than the criterion's
tolerance. Reads the engine's trace; computes no scores of its own.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal

from scoring.decimals import quantize, score_context
from scoring.rubrics.trace import RubricResult


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


def review_judges(result: RubricResult) -> list[JudgeReview]:
    """One review per judge who marked, in judge order. With panel_on = "total" the judges'
    totals are compared with the panel's result; otherwise each criterion's marks with the
    panel's value for that criterion."""
    rubric = result.rubric
    trace = result.trace
    if result.judge_trace is not None:
        compared = [(trace.criteria["total"], rubric.total_tolerance)]
    else:
        compared = [
            (trace.criteria[c.key], c.tolerance)
            for c in rubric.criteria()
            if not (c.official or c.is_veto) and c.key in trace.criteria
        ]
    reviews: dict[str, JudgeReview] = {}
    with decimal.localcontext(score_context()):
        for t, tolerance in compared:
            for i in range(len(t.raw)):
                for k, judge in enumerate(t.judges):
                    mark = t.marks[i, k]
                    if mark is None or not judge:
                        continue
                    review = reviews.setdefault(judge, JudgeReview(judge))
                    deviation = mark - t.raw[i]
                    review.marks += 1
                    review.total_deviation += deviation
                    if tolerance is not None:
                        review.judged += 1
                        review.outside += abs(deviation) > tolerance
    return [reviews[j] for j in sorted(reviews)]
