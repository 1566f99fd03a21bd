"""Shortlisting reviewed works (入围): by rank (the best `n`) or by threshold (every score at
or past it), from the review round's exact scores.

Rules, said once here:
- a work without a score (not yet reviewed by its panel, or disqualified) is never shortlisted;
- by rank, works sharing the score of the `n`-th are all taken (a shared place is not split by
  chance), so the list may be longer than `n`; the organiser sees how many and why;
- by threshold, higher is better unless the event ranks lower first, where the score must be at
  or below the threshold;
- the order is the ranking's: best first, then by key.
This module decides the list; it stores nothing (scoring/store/works.py keeps it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from scoring.refusals import Conflict


@dataclass(frozen=True)
class Shortlist:
    entries: list[str]
    tied_at_cut: int  # works taken past `n` because they share the n-th's score


def shortlist_by_rank(scores: Mapping[str, Decimal | None], n: int, lower_is_better: bool = False) -> Shortlist:
    if n < 1:
        raise Conflict("入围数量至少为 1", "at least 1 work must be shortlisted", field="count")
    ranked = _ranked(scores, lower_is_better)
    if len(ranked) <= n:
        return Shortlist([key for key, _ in ranked], 0)
    cut = ranked[n - 1][1]
    taken = [key for key, score in ranked if _as_good(score, cut, lower_is_better)]
    return Shortlist(taken, len(taken) - n)


def shortlist_by_threshold(
    scores: Mapping[str, Decimal | None], threshold: Decimal, lower_is_better: bool = False
) -> Shortlist:
    ranked = _ranked(scores, lower_is_better)
    return Shortlist([key for key, score in ranked if _as_good(score, threshold, lower_is_better)], 0)


def _as_good(score: Decimal, cut: Decimal, lower_is_better: bool) -> bool:
    return score <= cut if lower_is_better else score >= cut


def _ranked(scores: Mapping[str, Decimal | None], lower_is_better: bool) -> list[tuple[str, Decimal]]:
    scored = [(key, score) for key, score in scores.items() if score is not None]
    return sorted(scored, key=lambda item: (item[1] if lower_is_better else -item[1], item[0]))
