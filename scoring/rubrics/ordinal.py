"""Ordinal panel rules: a round's result from every judge's placements of every entry.

A rubric ranks instead of scoring when it names an ordinal rule (`[ordinal] rule = ...`) and its
criteria are placements (placements.py), one per dance. The rule sees the whole round at once:
`PlacementTable` holds, for each dance, each entry's places in the order of that dance's judges.
Each rule gives every entry a final place (entries that cannot be separated share places and
each gets their mean: 2.5 for 2nd and 3rd shared), a figure per dance for the breakdown, and its
working for the explanation:
- "skating": the DanceSport skating system (skating.py): rules 5 to 8 in each dance, 9 to 11
  over several dances. Judges may not tie entries (its rule 4), so the rubric must refuse ties;
- "median": each entry's median place over every judge and dance, lowest first; equal medians
  go to the entry with more places at or better than that median, then the lower sum of places;
- "borda": a place p among n entries is worth n - p points (entries sharing places share their
  points equally), added over judges and dances; most points first, equal totals share.
Reading marks and checking each judge's places are not here (ordinal_engine.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any, ClassVar

from scoring.document import Fields
from scoring.rubrics.skating import DanceSheet, Summary, place_dance, place_summary, shared


@dataclass
class PlacementTable:
    """Every judge's places in a round: dance -> entry -> places, in the order of `judges[dance]`."""

    dances: list[str]
    entries: list[str]
    judges: dict[str, list[str]]
    places: dict[str, dict[str, list[int]]]

    def pooled(self, entry: str) -> list[int]:
        return [p for d in self.dances for p in self.places[d][entry]]


@dataclass
class OrdinalOutcome:
    """The final place of each entry, a figure per dance and entry (its place in the dance, or the
    rule's own figure), the rule's figures per entry for the explanation, and for the skating
    system its sheets and summary."""

    final: dict[str, Decimal]
    per_dance: dict[str, dict[str, Decimal]]
    figures: dict[str, dict[str, str]] = field(default_factory=dict)
    decided_by: dict[str, str] = field(default_factory=dict)
    sheets: dict[str, DanceSheet] = field(default_factory=dict)
    summary: Summary | None = None


def places_by(entries: list[str], key: Any) -> dict[str, Decimal]:
    """Final places from a sort key (smaller is better); equal keys share places."""
    out: dict[str, Decimal] = {}
    place = 1
    for _, run in groupby(sorted(entries, key=key), key=key):
        together = list(run)
        for e in together:
            out[e] = shared(place, len(together))
        place += len(together)
    return out


class OrdinalRule(ABC):
    """Base of every ordinal rule; `key` is what rubric files name in `[ordinal] rule`."""

    key: ClassVar[str]
    title: ClassVar[dict[str, str]]
    allows_ties: ClassVar[bool] = True

    def __init__(self, f: Fields | None = None) -> None:
        if f is not None:
            f.finish()

    @abstractmethod
    def rank(self, table: PlacementTable) -> OrdinalOutcome: ...

    def describe(self) -> str:
        return self.title["en"]


class SkatingRule(OrdinalRule):
    key = "skating"
    title: ClassVar[dict[str, str]] = {"zh": "斯卡丁法（多数名次法）", "en": "skating system (majority of places)"}
    allows_ties = False

    def rank(self, table: PlacementTable) -> OrdinalOutcome:
        sheets = {d: place_dance(table.judges[d], table.places[d]) for d in table.dances}
        per_dance = {d: dict(s.places) for d, s in sheets.items()}
        if len(sheets) == 1:
            [sheet] = sheets.values()
            rules = {e: f"rule {sheet.rule[e]}" for e in table.entries}
            return OrdinalOutcome(dict(sheet.places), per_dance, decided_by=rules, sheets=sheets)
        summary = place_summary(sheets)
        rules = {e: f"rule {summary.rule[e]}" for e in table.entries}
        final = {e: summary.final[e] for e in table.entries}
        figures = {e: {"total": str(summary.totals[e])} for e in table.entries}
        return OrdinalOutcome(final, per_dance, figures, rules, sheets, summary)


def median(values: list[int]) -> Decimal:
    ordered = sorted(values)
    n = len(ordered)
    if n % 2:
        return Decimal(ordered[n // 2])
    return Decimal(ordered[n // 2 - 1] + ordered[n // 2]) / Decimal(2)


class MedianRule(OrdinalRule):
    key = "median"
    title: ClassVar[dict[str, str]] = {"zh": "名次中位数", "en": "median rank"}

    def rank(self, table: PlacementTable) -> OrdinalOutcome:
        pooled = {e: table.pooled(e) for e in table.entries}
        medians = {e: median(pooled[e]) for e in table.entries}
        at_or_better = {e: sum(1 for p in pooled[e] if p <= medians[e]) for e in table.entries}
        sums = {e: sum(pooled[e]) for e in table.entries}
        final = places_by(table.entries, lambda e: (medians[e], -at_or_better[e], sums[e]))
        per_dance = {d: {e: median(table.places[d][e]) for e in table.entries} for d in table.dances}
        figures = {
            e: {"median": str(medians[e]), "at_or_better": str(at_or_better[e]), "sum": str(sums[e])}
            for e in table.entries
        }
        return OrdinalOutcome(final, per_dance, figures)


class BordaRule(OrdinalRule):
    key = "borda"
    title: ClassVar[dict[str, str]] = {"zh": "博尔达计数", "en": "Borda count"}

    def rank(self, table: PlacementTable) -> OrdinalOutcome:
        n = len(table.entries)
        per_dance: dict[str, dict[str, Decimal]] = {}
        for d in table.dances:
            points = {e: Decimal(0) for e in table.entries}
            for k in range(len(table.judges[d])):
                given = {e: table.places[d][e][k] for e in table.entries}
                for e, place in given.items():
                    sharing = sum(1 for p in given.values() if p == place)
                    points[e] += Decimal(n) - shared(place, sharing)
            per_dance[d] = points
        totals = {e: sum((per_dance[d][e] for d in table.dances), Decimal(0)) for e in table.entries}
        final = places_by(table.entries, lambda e: -totals[e])
        figures = {e: {"points": str(totals[e])} for e in table.entries}
        return OrdinalOutcome(final, per_dance, figures)


ORDINAL_RULES: dict[str, type[OrdinalRule]] = {rule.key: rule for rule in (SkatingRule, MedianRule, BordaRule)}
