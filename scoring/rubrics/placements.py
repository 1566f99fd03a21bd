"""Placements: the criterion kind a judge ranks with, and the check of one judge's places.

In ordinal judging (the DanceSport skating system, median rank, Borda count) a judge does not
score an entry; the judge places every entry of the round 1st, 2nd, 3rd... Each place is stored
as an ordinary mark: one score sheet per entry, mark key = the criterion's key, value "1", "2"...
A rubric with several placement criteria ranks several dances (or several parts) at once.

Here: the kind (`kind = "placement"`, `ties = "refuse" | "allow"`), which checks one mark on its
own (a whole number, 1 or more), and `check_placements`, which checks one judge's places across
the entries of a round: together they must be 1..n for the n entries the judge placed, with
shared places only where the criterion allows them. Shared places follow the usual sports
convention: entries sharing a place take the best of the places they cover, and the next place
is skipped (two entries sharing 2nd: 1, 2, 2, 4). `places_from_order` makes such places from an
order of entries, as a tablet collects it. How places become a result is not here (ordinal.py).
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Mapping, Sequence
from decimal import Decimal

from scoring.document import Fields
from scoring.problems import Problem
from scoring.rubrics.criteria import Converted, CriterionKind
from scoring.rubrics.inputs import Placement, TabletInput
from scoring.rubrics.values import read_count

TIES = ["refuse", "allow"]


def read_place(raw: object) -> int | None:
    """A place from what a judge wrote ("3", " 3 ", 3), or None when it is not a whole number ≥ 1."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if raw >= 1 else None
    count = read_count(str(raw))
    return count if count is not None and count >= 1 else None


class PlacementKind(CriterionKind):
    """A judge's place for an entry among the entries of the round: 1 is best.

    `ties = "refuse"` (the default) lets no judge give two entries the same place;
    `ties = "allow"` lets them share one. A place is its own points (1 for 1st); the rubric's
    `ordinal` rule turns every judge's places into the round's result."""

    key = "placement"

    def __init__(self, f: Fields, lower_is_better: bool) -> None:
        super().__init__(f, lower_is_better)
        self.ties = f.str("ties", "refuse", choices=TIES)

    @property
    def ties_allowed(self) -> bool:
        return self.ties == "allow"

    def convert(self, raw: str) -> Converted:
        place = read_place(raw)
        if place is None:
            return Problem(
                f"“{raw}”不是名次；有效：1、2、3……（正整数）",
                f"'{raw}' is not a place; valid: 1, 2, 3… (a whole number, 1 or more)",
            )
        return Decimal(place)

    def tablet_input(self) -> TabletInput:
        return Placement(ties=self.ties)

    def describe(self) -> str:
        return "placement 1..n" + (", shared places allowed" if self.ties_allowed else ", no shared places")


def _kind(criterion: object) -> PlacementKind:
    kind = getattr(criterion, "kind", criterion)
    if not isinstance(kind, PlacementKind):
        raise TypeError(f"check_placements needs a placement criterion, not {kind!r}")
    return kind


def check_placements(criterion: object, places: Mapping[str, object]) -> list[Problem]:
    """What is wrong with one judge's places for one placement criterion, or [] when nothing is.

    `criterion` is a rubric Criterion of kind "placement" (or the kind itself); `places` maps each
    entry the judge placed to the place written ("1", 2...). The places of n entries must be
    1..n without a gap; a shared place is refused unless the criterion allows ties, and where
    allowed, k entries sharing place p cover places p..p+k-1 (1, 2, 2, 4 is whole; 1, 2, 2, 3
    is not). Each problem names the entries concerned; messages in Chinese and English."""
    kind = _kind(criterion)
    problems: list[Problem] = []
    read: dict[str, int] = {}
    for entry, raw in places.items():
        place = read_place(raw)
        if place is None:
            problems.append(
                Problem(
                    f"{entry}：“{raw}”不是名次（正整数）",
                    f"{entry}: '{raw}' is not a place (a whole number, 1 or more)",
                )
            )
        else:
            read[entry] = place
    if problems:
        return problems
    n = len(read)
    tally = Tally(read.values())
    for place in sorted(tally):
        who = "、".join(sorted(e for e, p in read.items() if p == place))
        who_en = ", ".join(sorted(e for e, p in read.items() if p == place))
        if place > n:
            problems.append(
                Problem(
                    f"名次 {place}（{who}）大于所排参赛者数 {n}",
                    f"place {place} ({who_en}) is above the number of entries placed, {n}",
                )
            )
        elif tally[place] > 1 and not kind.ties_allowed:
            problems.append(
                Problem(
                    f"{who} 同为第 {place} 名；本评分项不允许并列",
                    f"{who_en} share place {place}; this criterion allows no shared places",
                )
            )
    if problems:
        return problems
    expected = 1
    for place in sorted(tally):
        if place != expected:
            problems.append(
                Problem(
                    f"缺少第 {expected} 名：{n} 名参赛者的名次必须是 1 至 {n}，不能跳过",
                    f"place {expected} is missing: the places of {n} entries must run 1 to {n} without a gap"
                    + (" (entries sharing a place cover the places after it: 1, 2, 2, 4)" if kind.ties_allowed else ""),
                )
            )
            break
        expected = place + tally[place]
    return problems


def places_from_order(order: Sequence[Sequence[str]]) -> dict[str, int]:
    """Places from an order of entries, best first, where each item is the entries sharing that
    position: [["a"], ["b", "c"], ["d"]] gives a 1, b 2, c 2, d 4."""
    places: dict[str, int] = {}
    next_place = 1
    for together in order:
        for entry in together:
            places[entry] = next_place
        next_place += len(together)
    return places
