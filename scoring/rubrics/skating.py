"""The skating system (DanceSport): places from judges' placements by majority, rules 5 to 11.

As published by the World DanceSport Federation (and in Arthur Dawson's "The Skating System"):
- one dance (rules 5 to 8): with J judges a majority is J // 2 + 1. The columns of the majority
  table are "1st", "1st-2nd", "1st-3rd"...; column k counts the judges who placed the entry k-th
  or better. Columns are taken in order, from the first; at each column the entries not yet
  placed that reach a majority there are placed, before any other, in this order: the greater
  majority first (rule 6); equal majorities, the lower sum of the places forming them (rule 7a);
  equal sums too, the next column decides between them alone (rule 7b), and so on; tied to the
  last column, they share the places (each gets the mean: 2nd and 3rd shared gives 2.5). An entry
  that reaches no majority at a column waits for the next (rule 8);
- several dances (rules 9 to 11): the places in the dances are added, the lowest total first
  (rule 9). Between entries with equal totals, for the place under review p: the entry with p or
  better in more dances takes it, then the lower sum of those places (rule 10); still tied, all
  the judges' marks in all the dances are taken as one dance, with a majority of half of them
  plus one, from column p on (rule 11); tied to the last column, they share the place. Once the
  place under review is given, the remaining tied entries start again from rule 10 for the next.

Pure and small: a final has a handful of entries, so plain Python ints and Decimals. It keeps the
working a scrutineer writes (each entry's cells per column, and which rule placed it) for the
explanation (ordinal_explain.py). Checking the marks is not here (placements.py, ordinal.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any


def shared(first: int, count: int) -> Decimal:
    """The place each of `count` entries gets when they share the places from `first` on."""
    return Decimal(2 * first + count - 1) / Decimal(2)


def _count(marks: list[int], column: int) -> int:
    return sum(1 for m in marks if m <= column)


def _total(marks: list[int], column: int) -> int:
    return sum(m for m in marks if m <= column)


def _grouped(entries: list[str], key: Mapping[str, Any]) -> list[list[str]]:
    """Entries in runs of equal key, lowest key first, each run in the given order."""
    ordered = sorted(entries, key=lambda e: key[e])
    return [list(run) for _, run in groupby(ordered, key=lambda e: key[e])]


def _cell(count: int, total: int | None = None) -> str:
    """A cell as a scrutineer writes it: "-" for no marks, the count, and the sum in brackets
    where rule 7 compared sums."""
    if not count:
        return "-"
    return f"{count}({total})" if total is not None else str(count)


@dataclass
class DanceSheet:
    """One dance's majority table: each judge's marks, the cells a scrutineer fills (column ->
    "count" or "count(sum)"; none after the entry is placed), each entry's place and the rule
    that gave it."""

    judges: list[str]
    marks: dict[str, list[int]]
    majority: int
    columns: int
    cells: dict[str, dict[int, str]] = field(default_factory=dict)
    places: dict[str, Decimal] = field(default_factory=dict)
    rule: dict[str, str] = field(default_factory=dict)


def place_dance(judges: list[str], marks: dict[str, list[int]]) -> DanceSheet:
    """Rules 5 to 8 over one dance: `marks` gives each entry the judges' places, in `judges` order."""
    entries = list(marks)
    n = len(entries)
    sheet = DanceSheet(judges, marks, len(judges) // 2 + 1, n, {e: {} for e in entries})
    unplaced = list(entries)
    place, column = 1, 1
    while unplaced:
        for e in unplaced:
            sheet.cells[e][column] = _cell(_count(marks[e], column))
        group = [e for e in unplaced if _count(marks[e], column) >= sheet.majority]
        if group:
            for block, rule in _order(sheet, group, column, "5" if len(group) == 1 else "6"):
                for e in block:
                    sheet.places[e] = shared(place, len(block))
                    sheet.rule[e] = rule
                place += len(block)
            unplaced = [e for e in unplaced if e not in group]
        column += 1
    return sheet


def _order(sheet: DanceSheet, group: list[str], column: int, rule: str) -> list[tuple[list[str], str]]:
    """The entries of `group` (all with a majority at `column`) in order, as blocks that share a
    place, each with the rule that placed it."""
    marks = sheet.marks
    out: list[tuple[list[str], str]] = []
    by_count = _grouped(group, {e: -_count(marks[e], column) for e in group})
    for same_count in by_count:
        if len(same_count) == 1:
            out.append((same_count, rule))
            continue
        for e in same_count:
            sheet.cells[e][column] = _cell(_count(marks[e], column), _total(marks[e], column))
        for same_sum in _grouped(same_count, {e: _total(marks[e], column) for e in same_count}):
            if len(same_sum) == 1:
                out.append((same_sum, "7a"))
            elif column == sheet.columns:
                out.append((same_sum, "7 shared"))
            else:
                for e in same_sum:
                    sheet.cells[e][column + 1] = _cell(_count(marks[e], column + 1))
                out += _order(sheet, same_sum, column + 1, "7b")
    return out


@dataclass
class Summary:
    """Several dances: each entry's places and total, the final place and the rule that gave it,
    and the figures of rules 10 and 11 where they were needed (as text, place under review first)."""

    dances: list[str]
    places: dict[str, dict[str, Decimal]]  # entry -> dance -> place
    totals: dict[str, Decimal]
    final: dict[str, Decimal] = field(default_factory=dict)
    rule: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def place_summary(sheets: dict[str, DanceSheet]) -> Summary:
    """Rules 9 to 11 over the dances' sheets (every dance places the same entries)."""
    dances = list(sheets)
    entries = list(next(iter(sheets.values())).places)
    places = {e: {d: sheets[d].places[e] for d in dances} for e in entries}
    totals = {e: sum(places[e].values(), Decimal(0)) for e in entries}
    summary = Summary(dances, places, totals)
    place = 1
    for same_total in [list(run) for _, run in groupby(sorted(entries, key=lambda e: totals[e]), key=totals.get)]:
        if len(same_total) == 1:
            summary.final[same_total[0]] = Decimal(place)
            summary.rule[same_total[0]] = "9"
        else:
            _break_tie(summary, sheets, same_total, place)
        place += len(same_total)
    return summary


def _break_tie(summary: Summary, sheets: dict[str, DanceSheet], tied: list[str], place: int) -> None:
    tied = list(tied)
    rule = "10"
    while tied:
        if len(tied) == 1:  # the last of the tie: placed by the rule that placed the one before
            summary.final[tied[0]] = Decimal(place)
            summary.rule[tied[0]] = rule
            return
        counts = {e: sum(1 for p in summary.places[e].values() if p <= place) for e in tied}
        sums = {e: sum((p for p in summary.places[e].values() if p <= place), Decimal(0)) for e in tied}
        figures = ", ".join(f"{e}: {counts[e]} ({sums[e]})" for e in tied)
        summary.notes.append(f"rule 10, place {place}: dances placed {place} or better (their sum): {figures}")
        top = _grouped(tied, {e: -counts[e] for e in tied})[0]
        if len(top) > 1:
            top = sorted(_grouped(top, {e: sums[e] for e in top}), key=lambda run: sums[run[0]])[0]
        if len(top) == 1:
            winners, rule = top, "10"
        else:
            winners, rule = _rule_11(summary, sheets, top, place), "11"
        for e in winners:
            summary.final[e] = shared(place, len(winners))
            summary.rule[e] = rule if len(winners) == 1 else f"{rule} shared"
        tied = [e for e in tied if e not in winners]
        place += len(winners)


def _rule_11(summary: Summary, sheets: dict[str, DanceSheet], tied: list[str], place: int) -> list[str]:
    """The entries among `tied` that take the place under review: one, or several sharing it."""
    pooled = {e: [m for d in summary.dances for m in sheets[d].marks[e]] for e in tied}
    majority = len(pooled[tied[0]]) // 2 + 1
    last = max(s.columns for s in sheets.values())
    candidates, column = list(tied), place
    while True:
        cells = {e: (_count(pooled[e], column), _total(pooled[e], column)) for e in candidates}
        shown = ", ".join(f"{e}: {c} ({s})" for e, (c, s) in cells.items())
        summary.notes.append(
            f"rule 11, place {place}: all {len(pooled[tied[0]])} marks as one dance, majority {majority}; "
            f"column 1-{column}: {shown}"
        )
        having = [e for e in candidates if cells[e][0] >= majority]
        if having:
            best = _grouped(having, {e: -cells[e][0] for e in having})[0]
            if len(best) > 1:
                best = _grouped(best, {e: cells[e][1] for e in best})[0]
            if len(best) == 1 or column >= last:
                return best
            candidates = best
        column += 1
