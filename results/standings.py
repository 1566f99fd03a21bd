"""Order entries by score and give places in competition ranking (1, 2, 2, 4).

Entries are ordered by score (higher first, or lower first where the event says so); entries
with no score (disqualified) come last and get no place. Equal scores are then separated by
the tie-break values, in the order given; entries equal on the score and on every tie-break
share a place, and the next place skips (1, 2, 2, 4). A shared place is printed as "=2".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Candidate:
    """One entry to rank: its score and its tie-break values, each with its direction."""

    entry: str
    score: Decimal | None
    tiebreaks: tuple[tuple[Decimal | None, bool], ...] = ()  # (value, lower_is_better)


@dataclass
class Standing:
    entry: str
    score: Decimal | None
    place: int | None
    shared: bool = False
    decided_by: list[str] = field(default_factory=list)

    @property
    def place_label(self) -> str:
        if self.place is None:
            return "DQ"
        return f"={self.place}" if self.shared else str(self.place)


def _key(value: Decimal | None, lower_is_better: bool) -> tuple[int, Decimal]:
    if value is None:
        return (1, Decimal(0))
    return (0, value if lower_is_better else value.copy_negate())  # exact in any Decimal context


def sort_key(c: Candidate, lower_is_better: bool = False) -> tuple:
    """Where a candidate goes: score, then each tie-break, then its key (so the order is total).
    Two candidates share a place when their keys agree on everything but the last element; the
    results projector bisects on this same key."""
    return (_key(c.score, lower_is_better),) + tuple(_key(v, low) for v, low in c.tiebreaks) + (c.entry,)


def rank_entries(
    candidates: list[Candidate], lower_is_better: bool = False, tiebreak_names: list[str] | None = None
) -> list[Standing]:
    """Standings, best first. Ties on the score are broken by `tiebreaks` in order."""
    names = tiebreak_names or []

    keys = [sort_key(c, lower_is_better) for c in candidates]  # each candidate's key, made once
    by_key = sorted(range(len(candidates)), key=keys.__getitem__)
    ordered = [candidates[i] for i in by_key]
    standings: list[Standing] = []
    previous: tuple | None = None
    place = 0
    for position, i in enumerate(by_key, start=1):
        c, key = candidates[i], keys[i][:-1]
        same = previous is not None and previous == key
        if not same:
            place = position
        standings.append(Standing(entry=c.entry, score=c.score, place=None if c.score is None else place))
        if same:
            standings[-1].shared = standings[-2].shared = True
        previous = key
    for k in range(1, len(ordered)):
        standings[k].decided_by = decision(ordered[k - 1], ordered[k], names)
    return standings


def decision(above: Candidate, here: Candidate, names: list[str]) -> list[str]:
    """Which tie-break separated `here` from the entry ranked just above it on an equal score
    (empty when the scores differ, either has none, or nothing separated them)."""
    if above.score is None or here.score is None or above.score != here.score:
        return []
    for i, ((a, low), (b, _)) in enumerate(zip(above.tiebreaks, here.tiebreaks, strict=False)):
        if _key(a, low) != _key(b, low):
            name = names[i] if i < len(names) else f"tie-break {i + 1}"
            return [f"{name}: {b} vs {a}"]
    return []
