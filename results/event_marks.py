"""One event's marks held by entry, and what each entry scored, for the results projector.

An entry's rows are replaced one sheet at a time; the event's bound kind then scores that
entry's rows alone, which gives the same score as scoring the whole table when the kind scores
each entry from its own rows. That holds for theory (one answer sheet per entry), quiz (each
team's answers from its base) and for practical and presentation rubrics with one exception,
which is why `whole_event_reason` exists: the panel of a criterion is the judges who marked it
for *any* entry, so under `missing = "error"` or `"zero"` (panel_on = "criterion") an entry a
judge sat on but did not mark for a criterion that judge marked elsewhere is an error or counts
0, and a judge's first (or last) mark of a criterion anywhere changes every other entry's panel.
`PanelCoverage` watches for exactly those two cases and the event is then scored whole.

An event whose derived values depend on every entry (a standardised column, a rank-based
score) must be scored whole on every change: say so in `whole_event_reason`. None of the four
kinds has one today: theory's question statistics depend on every sheet but no score does, and
the projector does not keep them (the full recompute does).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from scoring.events import EventResult
from scoring.model import Competition, Event
from scoring.problems import InvalidInput, Problem


@dataclass(frozen=True)
class EntryValues:
    """What one entry of one event scored, and the values of it the tie-breaks read."""

    score: Decimal | None
    tiebreak: Decimal | None = None  # the kind's own tie-break value (quiz extra questions)
    criteria: tuple[tuple[str, Decimal], ...] = ()  # criterion values named by tie-breaks


def entry_values(result: EventResult, criteria: Sequence[str]) -> dict[str, EntryValues]:
    """Each scored entry's values; an entry the result does not name has no score."""
    columns = {c: result.criterion_values(c) for c in criteria}
    return {
        s.entry: EntryValues(
            s.score, s.tiebreak, tuple((c, columns[c][s.entry]) for c in criteria if s.entry in columns[c])
        )
        for s in result.scores
    }


def whole_event_reason(event: Event) -> str | None:
    """Why every change to this event must rescore it whole, or None when an entry's score
    depends only on its own rows. The place for a derived column that reads every entry (a
    per-event standardisation): return its reason here and the projector rescores the event."""
    return None


def entry_column(event: Event) -> str:
    """The column that names the entry in the event's input table."""
    return "team" if event.kind == "quiz" else "entry"


def _text(column: pd.Series) -> pd.Series:
    return column.fillna("").astype(str).str.strip()


class PanelCoverage:
    """Which judges marked each criterion anywhere in the event, counted, for the criteria
    where a missing mark is an error or 0 (rubrics judged per criterion only)."""

    def __init__(self, criteria: set[str], table: pd.DataFrame) -> None:
        self.criteria = criteria
        self.counts = self.pairs(table)

    @classmethod
    def of(cls, event: Event, table: pd.DataFrame) -> PanelCoverage | None:
        rubric = event.rubric
        if rubric is None or rubric.panel_on == "total" or event.kind == "theory":
            return None
        strict = {c.key for c in rubric.criteria() if not c.official and c.missing != "ignore"}
        return cls(strict, table) if strict else None

    def pairs(self, rows: pd.DataFrame) -> Counter[tuple[str, str]]:
        if rows.empty or "judge" not in rows.columns or "criterion" not in rows.columns:
            return Counter()
        judge, criterion = _text(rows["judge"]), _text(rows["criterion"])
        keep = (judge != "") & criterion.isin(self.criteria)
        return Counter(zip(criterion[keep], judge[keep], strict=True))

    def check(self, old: pd.DataFrame, new: pd.DataFrame) -> tuple[Counter[tuple[str, str]], str | None]:
        """The counts after replacing an entry's `old` rows by `new`, and why the event must be
        scored whole (None: the entry's own rows give its score)."""
        before, after = self.pairs(old), self.pairs(new)
        counts = self.counts.copy()
        counts.subtract(before)
        counts.update(after)
        for pair in before.keys() | after.keys():
            if (self.counts[pair] > 0) != (counts[pair] > 0):
                return counts, f"judge {pair[1]} now marks {pair[0]} in {'some' if counts[pair] else 'no'} entry"
        on_panel = set(_text(new["judge"])) - {""} if "judge" in new.columns else set()
        own = set(after)
        for criterion, judge in counts:
            if counts[(criterion, judge)] > 0 and judge in on_panel and (criterion, judge) not in own:
                return counts, f"judge {judge} gave no {criterion} here but did elsewhere"
        return counts, None


class EventMarksByEntry:
    """One event's current table, as a base table and the entries' rows replaced since."""

    def __init__(self, competition: Competition, event: Event, table: pd.DataFrame, source: str) -> None:
        assert event.bound is not None
        self.event, self.bound, self.source = event, event.bound, source
        self.entries = competition.entries_for(event)
        self.judges = {j.key for j in competition.judges} or None
        self.column = entry_column(event)
        self._base = table
        self._positions: dict[str, np.ndarray] = {}
        if self.column in table.columns and len(table):
            groups = pd.Series(np.arange(len(table))).groupby(_text(table[self.column]).to_numpy()).indices
            self._positions = {str(k): np.asarray(v) for k, v in groups.items()}
        self._replaced: dict[str, pd.DataFrame] = {}
        self.coverage = PanelCoverage.of(event, table)

    def rows_of(self, entry: str) -> pd.DataFrame:
        if entry in self._replaced:
            return self._replaced[entry]
        return self._base.iloc[self._positions.get(entry, [])]

    def table(self, change: tuple[str, pd.DataFrame] | None = None) -> pd.DataFrame:
        """The whole current table (with one entry's rows changed), renumbered."""
        replaced = self._replaced if change is None else {**self._replaced, change[0]: change[1]}
        gone = [self._positions[e] for e in replaced if e in self._positions]
        keep = np.ones(len(self._base), dtype=bool)
        if gone:
            keep[np.concatenate(gone)] = False
        parts = [self._base[keep], *replaced.values()]
        return pd.concat(parts, ignore_index=True).drop(columns="row", errors="ignore")

    def checked_rows(self, entry: str, rows: pd.DataFrame) -> pd.DataFrame:
        """`rows` as this entry's rows: refused if the entry is not the event's or a row names
        another entry; no columns at all means no rows."""
        if entry not in self.entries:
            raise InvalidInput(
                [
                    Problem(
                        zh=f"赛项 {self.event.key} 没有参赛对象“{entry}”",
                        en=f"event {self.event.key} has no entry '{entry}'",
                    )
                ]
            )
        if len(rows.columns) == 0:
            return self._base.iloc[:0]
        named = _text(rows[self.column]) if self.column in rows.columns else pd.Series([], dtype=object)
        if self.column not in rows.columns or (named != entry).any():
            raise InvalidInput(
                [
                    Problem(
                        zh=f"这些行不全是“{entry}”的",
                        en=f"rows for entry '{entry}' must name it in column {self.column}",
                        file=self.source,
                    )
                ]
            )
        return rows

    def score_entry(self, entry: str, rows: pd.DataFrame, criteria: Sequence[str]) -> EntryValues | None:
        result = self.bound.score(rows, {entry}, self.judges, source=f"{self.source} ({entry})")
        return entry_values(result, criteria).get(entry)

    def score_whole(self, change: tuple[str, pd.DataFrame] | None = None) -> EventResult:
        return self.bound.score(self.table(change), self.entries, self.judges, source=self.source)

    def replace(self, entry: str, rows: pd.DataFrame, counts: Counter[tuple[str, str]] | None) -> None:
        """Keep `rows` as the entry's rows (after they were scored without a problem)."""
        self._replaced[entry] = rows
        if self.coverage is not None and counts is not None:
            self.coverage.counts = counts
