"""Standings kept in order while entries move one at a time (for the results projector).

The order is results/standings.py's: the same `sort_key` (score, each tie-break, then the
entry's key), kept in a sorted list that is bisected, so moving one entry costs a removal, an
insertion and a refresh of the places between its old and its new position, never a sort of
everything. Places, shared places and `decided_by` are given by the same rules as
`rank_entries` (1, 2, 2, 4; no place without a score; the tie-break that separated an entry
from the one just above it), and a test holds the two equal. What does not move keeps its
place. This module ranks; it does not compute scores or tie-break values.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from results.standings import Candidate, Standing, decision, rank_entries, sort_key


@dataclass(frozen=True)
class StandingChange:
    """One entry whose line on a board changed: its score, place, shared mark or what decided
    its tie. `previous_*` say what it was, so an announcer can say "up from 5th"."""

    entry: str
    score: Decimal | None
    place: int | None
    shared: bool
    decided_by: tuple[str, ...]
    previous_score: Decimal | None
    previous_place: int | None


def _line(row: Standing) -> tuple[Decimal | None, int | None, bool, tuple[str, ...]]:
    return (row.score, row.place, row.shared, tuple(row.decided_by))


class RankedStandings:
    """The standings of one ranking, best first, updated one candidate at a time."""

    def __init__(self, candidates: Iterable[Candidate], tiebreak_names: list[str]) -> None:
        self._names = tiebreak_names
        self._candidates = {c.entry: c for c in candidates}
        ordered = sorted(self._candidates.values(), key=sort_key)
        self._keys = [sort_key(c) for c in ordered]
        self._rows = rank_entries(ordered, tiebreak_names=tiebreak_names)
        self._before: dict[str, tuple[Decimal | None, int | None, bool, tuple[str, ...]]] = {}

    def candidate(self, entry: str) -> Candidate:
        return self._candidates[entry]

    def standings(self) -> list[Standing]:
        """A copy of the standings, as `rank_entries` would give them."""
        return [replace(row, decided_by=list(row.decided_by)) for row in self._rows]

    def move(self, candidate: Candidate) -> None:
        """Put one entry where its new candidate goes and refresh the places it passed."""
        old = self._candidates[candidate.entry]
        if repr(old) == repr(candidate):  # equal Decimals may print differently (70.5, 70.50)
            return
        i = bisect_left(self._keys, sort_key(old))
        row = self._rows[i]
        self._before.setdefault(row.entry, _line(row))
        del self._keys[i], self._rows[i]
        key = sort_key(candidate)
        j = bisect_left(self._keys, key)
        self._keys.insert(j, key)
        self._rows.insert(j, row)
        row.score = candidate.score
        self._candidates[candidate.entry] = candidate
        self._refresh(min(i, j), max(i, j))

    def take_changes(self) -> list[StandingChange]:
        """The entries whose line changed since the last call, best placed first."""
        changes = []
        for row in self._rows_of(self._before):
            before = self._before.get(row.entry)
            if before is None or before == _line(row):
                continue
            changes.append(
                StandingChange(
                    entry=row.entry,
                    score=row.score,
                    place=row.place,
                    shared=row.shared,
                    decided_by=tuple(row.decided_by),
                    previous_score=before[0],
                    previous_place=before[1],
                )
            )
        self._before.clear()
        return changes

    def _rows_of(self, entries: Iterable[str]) -> list[Standing]:
        positions = [bisect_left(self._keys, sort_key(self._candidates[e])) for e in entries]
        return [self._rows[p] for p in sorted(positions)]

    def _same(self, a: int, b: int) -> bool:
        """Whether positions a and b share a place: equal on everything but the entry's key."""
        return self._keys[a][:-1] == self._keys[b][:-1]

    def _refresh(self, lo: int, hi: int) -> None:
        """Places, shared marks and decisions of positions lo..hi, widened to whole groups of
        shared places and to the neighbours whose entry above or below changed."""
        n = len(self._rows)
        start = max(0, lo - 1)
        while start > 0 and self._same(start - 1, start):
            start -= 1
        end = min(n - 1, hi + 1)
        while end + 1 < n and self._same(end, end + 1):
            end += 1
        place = start + 1
        for k in range(start, end + 1):
            row = self._rows[k]
            self._before.setdefault(row.entry, _line(row))
            up = k > 0 and self._same(k - 1, k)
            if not up:
                place = k + 1
            row.place = None if row.score is None else place
            row.shared = up or (k + 1 < n and self._same(k, k + 1))
            here = self._candidates[row.entry]
            row.decided_by = decision(self._candidates[self._rows[k - 1].entry], here, self._names) if k else []
