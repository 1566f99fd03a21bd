"""A competition's live board, computed from the store for one view (docs/live-protocol.md).

`BoardBuilder` keeps, per view, each counted round's scored result, and rescores only the
rounds a batch of changes names (a quiz answer rescores the quiz round, not the whole
competition); the events, the overall (partial while some events have no counted round),
individual and unit standings and awards are then combined from those results, as
results/from_store.py would. A full rebuild follows any change it cannot place (the roster, a
rubric, a draw). The board is plain JSON: names as {"zh", "en"}, scores as exact decimal text.

Views: "public" counts rounds locked, on notice or final (results/from_store.py View.LOCKED);
"provisional" every submitted sheet. Freezing and revealing the public board is results/live_controls.py.
Nothing here decides who may see a view (live/ does) or sends anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import scoring.store.models as m
from results.awards import allocate_awards
from results.from_store import RoundMarksTaken, View, round_included, round_table, score_round
from results.groups import individual_standings, unit_standings
from results.live_sections import quiz, stage, text
from results.overall import CompetitionResult, combine_events
from results.report import rank_event
from results.snapshot import Names
from results.standings import Standing
from results.stored import stored_competition
from scoring.decimals import decimal_text
from scoring.events.base import EventResult
from scoring.model import Competition
from scoring.problems import InvalidInput
from scoring.store.draws import codes_of
from scoring.store.live import CONTROLS, Change

log = logging.getLogger("scoring")

VIEWS = {"public": View.LOCKED, "provisional": View.PROVISIONAL}
ENTRY_BY_ENTRY_LIMIT = 300  # a round still being marked is scored entry by entry up to this size


class BoardBuilder:
    """One competition's board in one view, rescoring only the rounds that changed."""

    def __init__(self, competition_id: int, view: str) -> None:
        self.competition_id = competition_id
        self.view = view
        self._results: dict[int, EventResult] = {}  # round id -> its scored result, in this view
        self._made: dict[int, int] = {}  # round id -> when its result was scored (a counter)
        self._counter = 0
        self._model: Competition | None = None
        # the combined sections and what they were combined from: kept while no counted round
        # was scored again (a sheet in an open round leaves the public board's totals alone)
        self._combined: tuple[tuple[Any, ...], Any] | None = None

    def forget(self, rounds: Iterable[int] | None = None) -> None:
        """Rescore these rounds next time (None: everything, the competition's model too)."""
        if rounds is None:
            self._results.clear()
            self._model = None
            self._combined = None
        else:
            for round_id in rounds:
                self._results.pop(round_id, None)

    def note(self, changes: Iterable[Change]) -> None:
        """Forget what a batch of changes makes stale."""
        for change in changes:
            if change.kind in CONTROLS or change.kind == "publication":
                continue  # no marks moved: the freeze is applied over the board, publications name no round
            if change.kind == "setup" or change.round_id is None:
                self.forget()
            else:
                self.forget([change.round_id])

    def build(self, db: Session) -> dict[str, Any]:
        """The board as the store is now, its ticker empty (results/live_controls.py fills it)."""
        row = db.get(m.Competition, self.competition_id)
        assert row is not None
        if self._model is None:
            self._model = stored_competition(db, row.key)
        competition = self._model
        names = Names(competition)
        view = VIEWS[self.view]
        events = {e.key: e for e in db.execute(select(m.Event).where(m.Event.competition_id == row.id)).scalars()}
        rounds_of: dict[str, list[m.Round]] = {}
        for round_ in db.execute(
            select(m.Round).where(m.Round.event_id.in_([e.id for e in events.values()])).order_by(m.Round.id)
        ).scalars():
            rounds_of.setdefault(next(k for k, e in events.items() if e.id == round_.event_id), []).append(round_)
        rounds_out: list[dict[str, Any]] = []
        event_results: dict[str, EventResult] = {}
        coded: dict[str, dict[str, str]] = {}  # blind events not yet published: entry -> drawn code
        made: dict[str, tuple[int, int | None]] = {}  # event -> (its counted round, when scored)
        for event in competition.events:
            stored = events[event.key]
            for round_ in rounds_of.get(event.key, []):
                title = text(f"{event.title['zh']} · {round_.key}", f"{event.title['en']} · {round_.key}")
                entry: dict[str, Any] = {
                    "id": round_.id,
                    "key": round_.key,
                    "event": event.key,
                    "title": title,
                    "state": round_.publication,
                    "rows": [],
                }
                # a quiz counts as it is played: each answer is given in front of the audience
                counts_now = stored.results_before_lock or stored.kind == "quiz"
                if round_included(view, round_.publication, counts_now):
                    result = self._round_result(db, competition, round_, stored, view)
                    if result is not None:
                        event_results[event.key] = result
                        made[event.key] = (round_.id, self._made.get(round_.id))
                        codes = blind_codes(db, stored, round_)
                        if codes is not None:
                            coded[event.key] = codes
                        else:
                            coded.pop(event.key, None)
                        entry["rows"] = rows_of(names, rank_event(result), codes=codes)
                rounds_out.append(entry)
        # a blind event counts in no total until it is published: a total would name its teams
        source = tuple(sorted((k, made[k]) for k in event_results if k not in coded))
        if self._combined is None or self._combined[0] != source:
            overall, counted = _overall(competition, {k: v for k, v in event_results.items() if k not in coded})
            complete = overall is not None and len(counted) == len(competition.events)
            awards = _awards(competition, overall) if complete and overall is not None else {}
            groups = _groups(names, overall) if complete and overall is not None else ([], [])
            self._combined = (source, (overall, counted, awards, groups))
        overall, counted, awards, groups = self._combined[1]
        board: dict[str, Any] = {
            "competition": {"key": row.key, "name": text(row.name_zh, row.name_en)},
            "view": self.view,
            "status": {"frozen": False, "frozen_at": None, "reveal": None},
            "overall": {
                "title": text("总成绩", "Overall"),
                "partial": len(counted) < len(competition.events),
                "events": counted,
                "rows": rows_of(names, overall.standings, awards) if overall is not None else [],
            },
            "events": [
                {
                    "key": e.key,
                    "title": dict(e.title),
                    "kind": e.kind,
                    "rows": rows_of(names, rank_event(event_results[e.key]), codes=coded.get(e.key))
                    if e.key in event_results
                    else [],
                }
                for e in competition.events
            ],
            "rounds": rounds_out,
            "individuals": [],
            "units": [],
            "ticker": [],
            "stage": stage(db, events, rounds_of, names, view),
            "quiz": quiz(db, rounds_out, events, rounds_of, names),
        }
        board["individuals"], board["units"] = groups
        return board

    def _round_result(
        self, db: Session, competition: Competition, round_: m.Round, stored: m.Event, view: View
    ) -> EventResult | None:
        if round_.id in self._results:
            return self._results[round_.id]
        taken = round_table(db, round_, stored, view)
        result: EventResult | None
        try:
            result = score_round(competition, taken)
        except InvalidInput:  # some entries' marks are not complete yet: score those that are
            result = _complete_entries(competition, taken)
        if result is not None:
            self._results[round_.id] = result
            self._counter += 1
            self._made[round_.id] = self._counter
        return result


def _complete_entries(competition: Competition, taken: RoundMarksTaken) -> EventResult | None:
    """A round scored entry by entry, leaving out entries whose marks the rules do not take yet
    (a panel still marking, an official time not in): what a provisional board shows while a
    round is judged. None when no entry can be scored."""
    table = taken.table
    column = "team" if "team" in table.columns and "entry" not in table.columns else "entry"
    if column not in table.columns:
        return None
    entries = table[column].astype(str)
    if entries.nunique() > ENTRY_BY_ENTRY_LIMIT:
        return None  # too many to score one by one after every change: the round shows once complete
    scored: list[tuple[str, EventResult]] = []
    for entry in entries.unique():
        try:
            result = score_round(competition, taken, table[entries == entry])
        except InvalidInput:
            continue
        scored.append((entry, result))
    if not scored:
        return None
    return replace(scored[0][1], scores=[s for entry, r in scored for s in r.scores if s.entry == entry])


def blind_codes(db: Session, event: m.Event, round_: m.Round) -> dict[str, str] | None:
    """entry -> drawn code for a round of a blind event that is not yet on notice or final (its
    rows then show codes only: judges watch the boards too); None when names may show."""
    if not event.blind or round_.publication in ("notice", "final"):
        return None
    return {entry: code for code, entry in codes_of(db, round_.id).items()}


def rows_of(
    names: Names,
    standings: list[Standing],
    awards: dict[str, dict[str, str]] | None = None,
    codes: dict[str, str] | None = None,
) -> list[Any]:
    """Board rows; with `codes` (a blind round), each entry only as its drawn code (an entry
    without one is left out)."""
    if codes is not None:
        return [
            {
                "entry": f"code:{codes[s.entry]}",
                "name": text(codes[s.entry], codes[s.entry]),
                "unit": text("", ""),
                "place": "" if s.place is None else s.place_label,
                "score": decimal_text(s.score) if s.place is not None else "",
                "award": None,
                "pending": False,
            }
            for s in standings
            if s.entry in codes
        ]
    return [
        {
            "entry": s.entry,
            "name": names.name(s.entry),
            "unit": names.unit(s.entry),
            "place": "" if s.place is None else s.place_label,
            "score": decimal_text(s.score) if s.place is not None else "",
            "award": (awards or {}).get(s.entry),
            "pending": False,
        }
        for s in standings
    ]


def _overall(competition: Competition, results: dict[str, EventResult]) -> tuple[CompetitionResult | None, list[str]]:
    """The overall of the events counted so far, weighed as the competition weighs them."""
    counted = [e.key for e in competition.events if e.key in results]
    if not counted:
        return None, []
    try:
        if len(counted) == len(competition.events):
            return combine_events(competition, results), counted
        part = replace(competition, events=[e for e in competition.events if e.key in results])
        overall = replace(part.overall, tiebreaks=())  # tie-breaks may name events not counted yet
        return combine_events(replace(part, overall=overall), results), counted
    except Exception:  # a partial overall the rules cannot form (a standardised event alone)
        log.exception("live board: no overall yet for %s", competition.key)
        return None, []


def _awards(competition: Competition, overall: CompetitionResult) -> dict[str, dict[str, str]]:
    """Each entry's first award (prizes and titles of the ranking's standings), by entry."""
    found: dict[str, dict[str, str]] = {}
    try:
        lists = allocate_awards(competition, overall)
    except Exception:
        log.exception("live board: awards could not be allocated for %s", competition.key)
        return found
    for award in lists:
        for recipient in award.recipients:
            found.setdefault(recipient.entry, dict(award.rule.title))
    return found


def _groups(names: Names, overall: CompetitionResult) -> tuple[list[Any], list[Any]]:
    try:
        individuals = rows_of(names, individual_standings(overall).standings)
        units = rows_of(names, unit_standings(overall).standings)
    except Exception:
        log.exception("live board: no individual or unit standings")
        return [], []
    for row in units:
        row["unit"] = text("", "")
    return individuals, units
