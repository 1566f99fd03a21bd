"""The rules of the online drills that are not grading: which practice levels a contestant may open,
which attempt counts, how a preliminary paper ranks its contestants and who goes to the final.

Practice levels (闯关): level 1 is always open; level k opens once level k-1 has been passed (an
attempt reaching its pass mark) and stays open afterwards, whatever later attempts score. A level
counts its best attempt or its last, as the organiser set.

A preliminary ranks the contestants who sat it (an attempt submitted, or past its time limit,
which counts as submitted at the limit) by score, higher first, then by the time they used,
shorter first; equal on both share a place. Finalists are chosen by one rule: the top n overall,
the top n of each unit, or everyone at or above a score. A tie at the cut takes everyone tied
(a shared place is never split by the rule). Nothing here reads the store or knows the final's
roster (scoring/store/online_finalists.py applies a selection).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

COUNTS = ("best", "last")
RULES = ("top_overall", "top_per_unit", "threshold")


def counted_score(scores: list[Decimal], counts: str) -> Decimal | None:
    """The score a level counts from its attempts in order: the best or the last; None if none."""
    if not scores:
        return None
    return max(scores) if counts == "best" else scores[-1]


def open_levels(levels: list[tuple[int, Decimal]], scores: dict[int, list[Decimal]]) -> set[int]:
    """The level numbers a contestant may open, from the levels (number, pass mark) and each
    level's finished attempts' scores."""
    opened: set[int] = set()
    for i, (level, _) in enumerate(sorted(levels)):
        if i == 0:
            opened.add(level)
            continue
        previous, mark = sorted(levels)[i - 1]
        if previous in opened and any(s >= mark for s in scores.get(previous, [])):
            opened.add(level)
        else:
            break
    return opened


@dataclass(frozen=True)
class Sat:
    """One contestant's counted preliminary: score and seconds used."""

    entry: str
    unit: str
    score: Decimal
    seconds: int


@dataclass(frozen=True)
class Placed:
    entry: str
    unit: str
    score: Decimal
    seconds: int
    place: int  # overall
    unit_place: int  # within the unit


def rank_sat(sat: list[Sat]) -> list[Placed]:
    """Places overall and within each unit: score higher first, then time shorter first; equal on
    both share the place (the next place skips, 1, 1, 3)."""
    order = sorted(sat, key=lambda s: (-s.score, s.seconds, s.entry))
    unit_places: dict[str, list[tuple[Decimal, int, int]]] = {}
    placed: list[Placed] = []
    for i, s in enumerate(order):
        before = placed[-1] if placed else None
        place = before.place if before and (before.score, before.seconds) == (s.score, s.seconds) else i + 1
        mine = unit_places.setdefault(s.unit, [])
        last = mine[-1] if mine else None
        unit_place = last[2] if last and (last[0], last[1]) == (s.score, s.seconds) else len(mine) + 1
        mine.append((s.score, s.seconds, unit_place))
        placed.append(Placed(s.entry, s.unit, s.score, s.seconds, place, unit_place))
    return placed


def select_finalists(placed: list[Placed], rule: str, value: Decimal) -> list[Placed]:
    """The finalists by `rule`: top_overall (place <= n), top_per_unit (unit place <= n), or
    threshold (score >= value); in place order."""
    if rule == "top_overall":
        return [p for p in placed if p.place <= value]
    if rule == "top_per_unit":
        return [p for p in placed if p.unit_place <= value]
    if rule == "threshold":
        return [p for p in placed if p.score >= value]
    raise ValueError(f"unknown rule {rule!r}")
