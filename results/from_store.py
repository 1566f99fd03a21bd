"""Standings from the store: each round's counted marks scored by its event's bound kind, each
event from its last round, then the overall, tie-breaks and places as from files.

Two views:
- provisional, for organisers and chief judges: every round, every submitted or locked sheet
  (marked provisional wherever it is shown);
- published, for the public: only rounds on notice (公示) or final, their locked sheets; and
  rounds of an event that says `results_before_lock`, with their submitted sheets.
A round ranked by placing counts only once every judge of its panel has a whole order in the
view (results/ordinal_progress.py); until then it is left out, as a round not yet included.
An event's score comes from the last of its rounds (in the order they were made) that the view
includes; the overall is computed once every event has one, and is None until then (the
per-round and per-event standings are there meanwhile).

What feeds each kind: rubric kinds (practical, presentation) the judges' sheets plus the
officials' values (rows with no judge: times, a degree of difficulty); theory the officials'
values (the answers); quiz the quiz master's log. The same tables `scoring compute` reads, so
the same marks give the same standings from files and from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from results.ordinal_progress import order_progress, ranks_by_placing
from results.overall import CompetitionResult, EventMarks, combine_events, score_event_marks
from results.stored import competition_row, stored_competition
from scoring.events import EventResult
from scoring.marks import MARK_COLUMNS
from scoring.model import Competition, Event
from scoring.publication import PUBLIC, Publication
from scoring.refusals import NotFound
from scoring.sheet_rules import SheetState, counts_for_results
from scoring.store import models as m
from scoring.store.official_values import current_values, values_table
from scoring.store.quiz import answers_of
from scoring.store.rounds import entry_labels, panel_judges, round_context
from scoring.store.sheet_rows import SheetRow, with_versions
from scoring.store.sheets import current_states_and_marks
from scoring.tables import text_categories


class View(StrEnum):
    PROVISIONAL = "provisional"  # every submitted or locked sheet
    PUBLISHED = "published"  # rounds on notice or final (and events that count before the lock)
    LOCKED = "locked"  # the live boards' public view: rounds locked, on notice or final (idem)


@dataclass
class RoundMarksTaken:
    """One round's table as the view takes it, and what was left out."""

    round_id: int
    round_key: str
    event_key: str
    publication: str
    table: pd.DataFrame
    counted: int = 0  # sheets (or quiz answers, or entries' official values) taken
    left_out: list[tuple[str, str, str]] = field(default_factory=list)  # (entry, judge, state)


@dataclass
class RoundResult:
    round_id: int
    round_key: str
    event_key: str
    publication: str
    result: EventResult
    counted: int
    left_out: list[tuple[str, str, str]]


@dataclass
class StoredResults:
    competition: Competition
    view: View
    rounds: list[RoundResult]
    events: dict[str, EventResult]  # from each event's last included round
    overall: CompetitionResult | None  # None until every event has an included round
    waiting_for: list[str]  # events with no included round yet

    @property
    def provisional(self) -> bool:
        return self.view is View.PROVISIONAL


def round_included(view: View, publication: str, results_before_lock: bool) -> bool:
    """Whether the view counts a round in this publication state."""
    if view is View.LOCKED:
        return Publication(publication) is not Publication.OPEN or results_before_lock
    return view is View.PROVISIONAL or Publication(publication) in PUBLIC or results_before_lock


def round_table(
    db: Session,
    round_: m.Round,
    event: m.Event,
    view: View,
    entry: str | None = None,
    sheets: list[SheetRow] | None = None,
) -> RoundMarksTaken:
    """The round's marks in its kind's table form, as the view counts them (only `entry`'s rows
    when it is given; a quiz's log is always whole). `sheets`: the round's sheets as the caller
    has read them already in this transaction (scoring/store/sheet_rows.py), instead of reading
    them again."""
    taken = RoundMarksTaken(round_.id, round_.key, event.key, round_.publication, pd.DataFrame())
    if event.kind == "quiz":
        log = answers_of(db, round_.id)  # voided answers, questions and undos do not count
        taken.counted = len(log)
        taken.table = pd.DataFrame(
            [(a.seq, a.team_key, a.kind, a.outcome, a.stake) for a in log],
            columns=["row", "team", "type", "outcome", "stake"],
        )
        return taken
    # a round the live view takes is closed (locked or later), so its submitted sheets are as
    # final as locked ones (an organiser may lock a round whose sheets the chief did not lock)
    submitted_count = view in (View.PROVISIONAL, View.LOCKED) or event.results_before_lock
    counted: list[tuple[str, str, dict[str, str]]] = []
    current = (
        current_states_and_marks(db, round_.id, entry)
        if sheets is None
        else [(s.entry, s.judge, s.state, s.marks) for s in with_versions(sheets) if entry is None or s.entry == entry]
    )
    for key, judge, state, marks in current:
        if counts_for_results(state, submitted_count):
            counted.append((key, judge, marks))
        elif state != SheetState.DRAFT or marks:
            taken.left_out.append((key, judge, state))
    taken.counted = len(counted)
    official = current_values(db, round_.id, entry)
    taken.counted += len(official)
    table = _long_form(counted)
    if official:
        table = pd.concat([table, values_table(official)], ignore_index=True)
    taken.table = text_categories(table, MARK_COLUMNS)  # as the file readers give them
    return taken


def _long_form(sheets: list[tuple[str, str, dict[str, str]]]) -> pd.DataFrame:
    """Sheets' marks as long-form rows (entry, attempt, judge, criterion, value), built column
    by column (criterion by criterion; the engine groups, so order does not matter): a mark's
    key is its criterion, or "attempt/criterion"."""
    if not sheets:
        return pd.DataFrame(columns=MARK_COLUMNS)
    wide = pd.DataFrame.from_records([marks for _, _, marks in sheets])
    wide.insert(0, "judge", [judge for _, judge, _ in sheets])
    wide.insert(0, "entry", [entry for entry, _, _ in sheets])
    long = wide.melt(id_vars=["entry", "judge"], var_name="key", value_name="value").dropna(subset=["value"])
    split = {key: str(key).rpartition("/") for key in wide.columns[2:]}  # a few distinct keys: split once each
    long = long.assign(
        attempt=long["key"].map({k: v[0] for k, v in split.items()}),
        criterion=long["key"].map({k: v[2] for k, v in split.items()}),
        value=long["value"].astype(str),
    )
    return long[MARK_COLUMNS].reset_index(drop=True)


@dataclass
class IncludedMarks:
    """What a view takes from the store: every included round's table, in event then round
    order, and each event's marks from its last included round."""

    competition: Competition
    rounds: list[RoundMarksTaken]
    events: dict[str, EventMarks]

    @property
    def waiting_for(self) -> list[str]:
        return [e.key for e in self.competition.events if e.key not in self.events]


def included_marks(db: Session, key: str, view: View) -> IncludedMarks:
    """Read what the view includes (NotFound for an unknown competition)."""
    competition = stored_competition(db, key)
    row = competition_row(db, key)
    events = {e.key: e for e in db.execute(select(m.Event).where(m.Event.competition_id == row.id)).scalars()}
    key_of = {e.id: k for k, e in events.items()}
    by_event: dict[str, list[m.Round]] = {}
    for round_ in db.execute(select(m.Round).where(m.Round.event_id.in_(list(key_of))).order_by(m.Round.id)).scalars():
        by_event.setdefault(key_of[round_.event_id], []).append(round_)
    included = IncludedMarks(competition, [], {})
    for event in competition.events:
        stored = events[event.key]
        for round_ in by_event.get(event.key, []):
            if round_included(view, round_.publication, stored.results_before_lock):
                taken = round_table(db, round_, stored, view)
                if not orders_in(db, round_, event, taken):
                    continue  # a round ranked by placing counts whole or not at all
                included.rounds.append(taken)
                included.events[event.key] = EventMarks(taken.table, _source(taken))
    return included


def orders_in(db: Session, round_: m.Round, event: Event, taken: RoundMarksTaken) -> bool:
    """False for a round ranked by placing (an ordinal rubric) whose seated panel has not every
    judge's whole order among the taken marks (results/ordinal_progress.py): its places would come
    from part of the panel. Any other round: True."""
    if not ranks_by_placing(event.bound.rubric if event.bound is not None else None):
        return True
    panel = panel_judges(db, round_.id)
    entries = list(entry_labels(db, round_context(db, round_.id)))
    return not panel or order_progress(taken.table, panel, entries).complete


def _source(taken: RoundMarksTaken) -> str:
    return f"round {taken.round_key} of event {taken.event_key}"


def score_round(competition: Competition, taken: RoundMarksTaken, table: pd.DataFrame | None = None) -> EventResult:
    """A round's taken marks (or `table`, a part of them) scored by its event's kind alone.
    Raises InvalidInput when they do not fit the rules."""
    one = replace(competition, events=[e for e in competition.events if e.key == taken.event_key])
    marks = EventMarks(taken.table if table is None else table, _source(taken))
    return score_event_marks(one, {taken.event_key: marks})[taken.event_key]


def round_result(db: Session, round_id: int, view: View) -> RoundResult | None:
    """One round scored on its own (None when the view does not include it)."""
    round_ = db.get(m.Round, round_id)
    event = db.get(m.Event, round_.event_id) if round_ is not None else None
    competition = db.get(m.Competition, event.competition_id) if event is not None else None
    if round_ is None or event is None or competition is None:
        raise NotFound("没有这个轮次", f"no round {round_id}")
    if not round_included(view, round_.publication, event.results_before_lock):
        return None
    model = stored_competition(db, competition.key)
    taken = round_table(db, round_, event, view)
    result = score_round(model, taken)
    return RoundResult(
        taken.round_id, taken.round_key, taken.event_key, taken.publication, result, taken.counted, taken.left_out
    )


def results_from_store(db: Session, key: str, view: View, included: IncludedMarks | None = None) -> StoredResults:
    """Every included round scored, each event from its last included round, and the overall
    once every event has one (from `included` when the caller has read it already). Raises
    InvalidInput when stored marks do not fit the rules."""
    included = included or included_marks(db, key, view)
    competition = included.competition
    rounds: list[RoundResult] = []
    for taken in included.rounds:
        result = score_round(competition, taken)
        rounds.append(
            RoundResult(
                taken.round_id,
                taken.round_key,
                taken.event_key,
                taken.publication,
                result,
                taken.counted,
                taken.left_out,
            )
        )
    scored = {r.event_key: r.result for r in rounds}  # the last round of each event wins
    waiting = included.waiting_for
    overall = None if waiting else combine_events(competition, scored)
    return StoredResults(competition, view, rounds, scored, overall, waiting)
