"""Each entry's panel result in one round, as its rubric computes it, for the chief judge's console.

What counts: the round's counted sheets (submitted or locked; drafts and returned sheets do not)
and the officials' values, read as the provisional view reads them (results/from_store.py). An
entry is complete once every judge of the panel has a counted sheet for it; the complete entries
are scored together by the event's bound kind, so the rubric's own panel rule, roundings, vetoes
and total rounding apply, and ranked as the event ranks them (results/report.py: competition
ranking, 1, 2, 2, 4; a disqualified entry gets no place). The place is provisional: among the
entries scored so far. Each scored entry carries the engine's working (scoring/rubrics/explain.py:
per criterion the marks kept and dropped and why), never a recomputation of it; written when first
read (a round of 100 judges has ten thousand marks to write out, and the console shows the working
of the entries the chief opened only).

A round ranked by placing (an ordinal rule) is scored whole or not at all: until every judge of
the panel has submitted a whole order every entry is pending with the reason ("3 of 5 judges
have submitted their order", results/ordinal_progress.py).

An entry not complete yet is pending, never a zero; so is a complete one the engine cannot score
yet (an official's time not entered, a panel too small for the rule), with the engine's own
reason. Nothing here renders, formats for a page or decides who may read it (judges/ does).

Scoring a round costs an engine run (more when an entry is refused and the rest are scored apart),
and the console asks again on every change and every poll. The answer is kept per process by the
competition's live seq (scoring/store/live.py): every change a result depends on (a sheet counted
or returned, officials' values, the round's state, the panel, the roster) bumps it in its own
transaction, and drafts count for nothing here, so an answer for an unchanged seq is the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from results.from_store import View, round_table
from results.ordinal_progress import order_progress, ranks_by_placing
from results.report import rank_event
from results.stored import round_rows, stored_event
from scoring.events import BoundEvent, EventResult
from scoring.kept import Kept
from scoring.problems import InvalidInput, Problem
from scoring.store.live import head
from scoring.store.rounds import panel_judges
from scoring.store.sheet_rows import SheetRow

KEEP = 16  # each kept round's panels hold its engine result (for the workings not yet written)
#: (database, competition id and creation, round, live seq, entries) -> the panels; a few kept
_KEPT: Kept[list[EntryPanel]] = Kept(KEEP)


@dataclass
class EntryPanel:
    """One entry of the round: scored (score, place, working) or pending (counted < expected, or
    `problem` says why the engine could not score it yet)."""

    entry: str  # the entry's key (a page shows its label: a blind code in a blind event)
    counted: int  # judges of the panel with a counted sheet for it
    expected: int  # judges on the panel
    score: Decimal | None = None  # as the rubric rounds it; None while pending or disqualified
    place: str | None = None  # "1", "=2", "DQ"; None while pending
    disqualified: bool = False
    problem: Problem | None = None
    whole_round: bool = False  # pending with the whole round: not every judge's order is in yet
    #: how to write the entry's working (explain.py's), when it is scored: written the first time
    #: someone reads `working` (a console shows the working of the entries the chief opened only)
    explain: Callable[[], dict[str, Any] | None] | None = field(default=None, repr=False, compare=False)
    _working: list[dict[str, Any] | None] = field(default_factory=list, init=False, repr=False, compare=False)

    @property
    def pending(self) -> bool:
        return self.place is None

    @property
    def working(self) -> dict[str, Any] | None:
        """The entry's working (None while pending), written once (two threads may both write
        it: the same working)."""
        if self.explain is None:
            return None
        if not self._working:
            self._working.append(self.explain())
        return self._working[0]


def _with_officials(rubric: Any, table: pd.DataFrame, complete: list[str], rows: dict[str, EntryPanel]) -> list[str]:
    """The complete entries that have a value for each of the rubric's officials' criteria (a
    time, a measurement); the others are pending with the reason, without an engine run. Mid-round
    the officials' times often come last, and scoring each refused entry on its own to learn why
    cost an engine run per entry on every change."""
    official = [c for c in rubric.criteria() if c.official]
    if not official or not complete:
        return complete
    keys = {c.key for c in official}
    values = table[(table["judge"] == "") & table["criterion"].isin(keys)]
    present = values.groupby("entry", observed=True)["criterion"].unique() if len(values) else None
    ready = []
    for entry in complete:
        have = set(present[entry]) if present is not None and entry in present.index else set()
        missing = [c for c in official if c.key not in have]
        if not missing:
            ready.append(entry)
            continue
        rows[entry].problem = Problem(
            zh="记录台尚未录入：" + "、".join(c.title.get("zh", c.key) for c in missing),
            en="the officials' values are not entered yet: " + ", ".join(c.title.get("en", c.key) for c in missing),
        )
    return ready


def _score(bound: BoundEvent, table: pd.DataFrame, judges: set[str] | None, source: str) -> EventResult:
    return bound.score(table, None, judges, source=source)


def _placed_round(
    bound: BoundEvent,
    table: pd.DataFrame,
    panel: list[str],
    entries: list[str],
    rows: dict[str, EntryPanel],
    source: str,
) -> list[EntryPanel]:
    """A round ranked by placing: every entry pending with the same reason until every judge's
    order is in (or while the engine refuses the orders: its first problem), else all scored."""
    progress = order_progress(table, panel, entries)
    waiting: Problem | None = None if progress.complete else progress.problem()
    result = None
    if waiting is None:
        try:
            result = _score(bound, table[table["entry"].isin(entries)], set(panel), source)
        except InvalidInput as refused:
            waiting = refused.problems[0] if refused.problems else Problem(refused.zh, refused.en)
    if result is None:
        for pending in rows.values():
            pending.problem, pending.whole_round = waiting, True
        return list(rows.values())
    scores = result.score_of()
    for standing in rank_event(result):
        scored = rows.get(standing.entry)
        if scored is not None:
            scored.place, scored.score = standing.place_label, standing.score
            scored.disqualified = scores[standing.entry].disqualified
            scored.explain = partial(result.explain, standing.entry)
    return list(rows.values())


@dataclass(frozen=True)
class SheetsRead:
    """The round's sheets as the caller has read them (scoring/store/sheet_rows.py), and the
    competition's live seq read before them in the same transaction: panels kept under that seq
    are made from sheets at least as new as it, as when entry_panels reads both itself."""

    seq: int
    sheets: list[SheetRow]


def entry_panels(db: Session, round_id: int, entries: list[str], read: SheetsRead | None = None) -> list[EntryPanel]:
    """`entries` (keys, in the order to give them back) with their panel results; empty when the
    round's event has no rubric (a quiz, a theory paper has no panel to show). Kept per live seq
    (the module's docstring); the panels handed back are shared: read them, never change them.
    With `read`, scored from the sheets the caller read instead of reading them again."""
    round_, event, competition = round_rows(db, round_id)
    key = (
        str(db.get_bind().engine.url),
        competition.id,
        competition.created_at,
        round_id,
        head(db, competition.id) if read is None else read.seq,
        tuple(entries),
    )
    sheets = None if read is None else read.sheets
    return _KEPT.get_or_make(key, lambda: _entry_panels(db, round_, event, competition, entries, sheets))


def _entry_panels(
    db: Session, round_: Any, event: Any, competition: Any, entries: list[str], sheets: list[SheetRow] | None = None
) -> list[EntryPanel]:
    round_id = round_.id
    model = stored_event(db, competition.key, event.key)  # its rules: the roster is not read
    if model is None or model.bound is None or model.bound.rubric is None or model.bound.key == "theory":
        return []
    bound = model.bound
    panel = panel_judges(db, round_id)
    table = round_table(db, round_, event, View.PROVISIONAL, sheets=sheets).table
    marked = table[table["judge"] != ""].groupby("entry", observed=True)["judge"].unique() if len(table) else None
    counted = {str(e): len(set(js) & set(panel)) for e, js in marked.items()} if marked is not None else {}
    rows = {e: EntryPanel(e, counted.get(e, 0), len(panel)) for e in entries}
    complete = [e for e in entries if panel and rows[e].counted == len(panel)]
    if ranks_by_placing(bound.rubric):  # places only mean something together: the whole round or none
        return _placed_round(bound, table, panel, entries, rows, f"round {round_.key}")
    complete = _with_officials(bound.rubric, table, complete, rows)
    judges, source = set(panel) or None, f"round {round_.key}"
    scorable, result = complete, None
    if complete:
        try:
            result = _score(bound, table[table["entry"].isin(complete)], judges, source)
        except InvalidInput:
            scorable = []  # find which entries the engine refuses, and why; score the rest together
            for e in complete:
                try:
                    _score(bound, table[table["entry"] == e], judges, source)
                except InvalidInput as refused:
                    rows[e].problem = refused.problems[0] if refused.problems else Problem(refused.zh, refused.en)
                else:
                    scorable.append(e)
            result = _score(bound, table[table["entry"].isin(scorable)], judges, source) if scorable else None
    if result is None:
        return list(rows.values())
    scores = result.score_of()
    for standing in rank_event(result):
        row = rows.get(standing.entry)
        if row is None:
            continue
        row.place = standing.place_label
        row.disqualified = scores[standing.entry].disqualified
        row.score = None if row.disqualified else standing.score
        row.explain = partial(result.explain, standing.entry)
    return list(rows.values())
