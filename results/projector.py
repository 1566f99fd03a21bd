"""The results projector: standings kept current one sheet at a time.

Built from a competition and every event's marks by one full compute, the projector then takes
one change at a time (`apply`: one entry's rows in one event replaced, or removed) and
recomputes only what that change touches:
1. the entry's score in the event, by the event's kind scoring the entry's rows alone
   (results/event_marks.py says when the event is scored whole instead);
2. the ranking entries' scores in that event at the ranking's scope: for a team ranking an
   individual event recomputes the aggregate of the teams the contestant is a member of; for an
   individual ranking a team event gives its score to each of the team's contestants;
3. those ranking entries' overall and tie-break values (results/overall.py's `overall_of`);
4. their places, in standings kept sorted (results/ranked.py), equal to `rank_entries`.
It answers what changed (`Update`), for a caller to announce.

Recomputed whole on every change: an event for which `whole_event_reason` gives a reason (none
today), an event whose panel coverage changes (see `PanelCoverage`), an event with
standardisation (its standardised column, then every entry's overall and place: a change to one
entry moves the event's median and spread), and a tie-break metric
this module cannot read for one entry: the four registered ones (event, kind, criterion,
quiz_extra) each read only the entry's own values; any other metric is computed by its
`values` over every event scored whole, and every entry is re-placed.

The full recompute, `combine_events(competition, score_event_marks(competition, marks))`, is
the reference: tests/unit/test_projector.py holds the two equal after random changes.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from results.event_marks import EntryValues, EventMarksByEntry, entry_values, whole_event_reason
from results.overall import (
    EventMarks,
    event_maximum,
    overall_of,
    ranking_entries,
    score_event_marks,
    standardised_scores,
    team_score,
)
from results.ranked import RankedStandings, StandingChange
from results.standings import Candidate, Standing
from scoring.decimals import score_context
from scoring.events import EventResult
from scoring.model import Competition, Event, Scope
from scoring.tiebreaks import TIEBREAK_METRICS

ENTRY_METRICS = ("event", "kind", "criterion", "quiz_extra")  # read per entry by `_tiebreak_reader`


@dataclass(frozen=True)
class Update:
    """What one change did: the event entries whose score in the event changed (new score;
    None: no score any more) and the standings lines that changed."""

    event: str
    entry: str
    event_scores: dict[str, Decimal | None]
    standings: list[StandingChange]
    whole: str | None = None  # why the event was scored whole, if it was


@dataclass(frozen=True)
class Projection:
    """The projector's view of the results, shaped as `CompetitionResult`'s."""

    entry_scores: dict[str, dict[str, Decimal | None]]  # event -> its own entries' scores
    event_scores: dict[str, dict[str, Decimal | None]]  # event -> ranking entries' scores
    overall: dict[str, Decimal]
    standings: list[Standing]


class Projector:
    def __init__(self, competition: Competition, marks: Mapping[str, EventMarks]) -> None:
        results = score_event_marks(competition, marks)
        self.competition = competition
        self._events = {e.key: e for e in competition.events}
        self._marks = {
            e.key: EventMarksByEntry(competition, e, marks[e.key].table, marks[e.key].source)
            for e in competition.events
        }
        self._criteria = {e.key: self._criteria_read(e) for e in competition.events}
        self._values = {k: entry_values(results[k], self._criteria[k]) for k in self._events}
        self._maxima = {e.key: event_maximum(e, results[e.key]) for e in competition.events}
        self._entries = ranking_entries(competition)
        self._teams = {t.key: t for t in competition.teams}
        self._team_of = competition.team_of()
        self._teams_with: dict[str, list[str]] = {}
        for t in competition.teams:
            for m in t.members:
                self._teams_with.setdefault(m, []).append(t.key)
        self._members: dict[str, list[str]] = {}
        for contestant, team in self._team_of.items():
            self._members.setdefault(team, []).append(contestant)
        self._tiebreaks = [
            (tb, TIEBREAK_METRICS[tb.metric].lower_is_better(tb.argument, competition))
            for tb in competition.overall.tiebreaks
        ]
        self._whole_columns = [tb for tb, _ in self._tiebreaks if tb.metric not in ENTRY_METRICS]
        with decimal.localcontext(score_context()):
            self._scores: dict[str, dict[str, Decimal | None]] = {k: {} for k in self._events}
            for event in competition.events:
                for r in self._entries:
                    self._set_ranking_score(event, r)
            self._standardised = standardised_scores(competition, self._scores)
            columns = self._columns_read_whole()
            self._overall: dict[str, Decimal] = {}
            candidates = [self._candidate(r, columns) for r in self._entries]
        self._ranked = RankedStandings(candidates, [tb.label for tb, _ in self._tiebreaks])

    def _criteria_read(self, event: Event) -> list[str]:
        """The criteria of `event` that tie-breaks read per entry."""
        out = []
        for tb in self.competition.overall.tiebreaks:
            key, _, criterion = tb.argument.partition(".")
            if tb.metric == "criterion" and key == event.key:
                out.append(criterion)
        return out

    # Reading the state -------------------------------------------------------------------

    def standings(self) -> list[Standing]:
        return self._ranked.standings()

    def result(self) -> Projection:
        return Projection(
            entry_scores={k: {e: v.score for e, v in vs.items()} for k, vs in self._values.items()},
            event_scores={k: dict(v) for k, v in self._scores.items()},
            overall=dict(self._overall),
            standings=self.standings(),
        )

    # One change --------------------------------------------------------------------------

    def apply(self, event_key: str, entry_key: str, rows: pd.DataFrame) -> Update:
        """Replace one entry's rows in one event (no rows: the entry has no marks any more) and
        bring the standings up to date. Raises InvalidInput, changing nothing, when the rows
        (or, when the event is scored whole, the event's table with them) have a problem."""
        event, marks = self._events[event_key], self._marks[event_key]
        rows = marks.checked_rows(entry_key, rows)
        with decimal.localcontext(score_context()):
            changed, whole = self._rescore_event(event, marks, entry_key, rows)
            ranking = self._touched(event, changed)
            for r in ranking:
                self._set_ranking_score(event, r)
            if event.standardise is not None and ranking:  # every entry's standardised score moves
                self._standardised = standardised_scores(self.competition, self._scores)
                ranking = list(self._entries)
            columns = self._columns_read_whole()
            for r in self._entries if self._whole_columns else ranking:
                self._ranked.move(self._candidate(r, columns))
        return Update(event_key, entry_key, changed, self._ranked.take_changes(), whole)

    def _rescore_event(
        self, event: Event, marks: EventMarksByEntry, entry: str, rows: pd.DataFrame
    ) -> tuple[dict[str, Decimal | None], str | None]:
        """Score the change; keep it only once it scored. Returns the event entries whose values
        changed (with their new score) and why the event was scored whole, if it was."""
        counts, why = None, whole_event_reason(event)
        if why is None and marks.coverage is not None:
            counts, why = marks.coverage.check(marks.rows_of(entry), rows)
        values = self._values[event.key]
        if why is None:
            new: dict[str, EntryValues] = dict(values)
            got = marks.score_entry(entry, rows, self._criteria[event.key])
            if got is None:
                new.pop(entry, None)
            else:
                new[entry] = got
            keys = [entry]
        else:
            new = entry_values(marks.score_whole((entry, rows)), self._criteria[event.key])
            keys = sorted(values.keys() | new.keys())
        marks.replace(entry, rows, counts)
        changed = {k: new[k].score if k in new else None for k in keys if values.get(k) != new.get(k)}
        if why is None and entry in new:
            values[entry] = new[entry]
        elif why is None:
            values.pop(entry, None)
        else:
            self._values[event.key] = new
        return changed, why

    def _touched(self, event: Event, changed: Mapping[str, object]) -> list[str]:
        """The ranking entries whose score in `event` follows from the changed event entries."""
        ranking = self.competition.ranking
        out: dict[str, None] = {}
        for e in changed:
            if event.scope is ranking:
                out[e] = None
            elif ranking is Scope.TEAM:
                out.update(dict.fromkeys(self._teams_with.get(e, [])))
            else:
                out.update(dict.fromkeys(self._members.get(e, [])))
        return list(out)

    # Values at the ranking's scope -------------------------------------------------------

    def _set_ranking_score(self, event: Event, r: str) -> None:
        """As results/overall.py's `_to_ranking_scope`: an event of the ranking's scope names only
        its scored entries; an event brought to the other scope names every ranking entry."""
        scores, values = self._scores[event.key], self._values[event.key]
        if event.scope is self.competition.ranking:
            if r in values:
                scores[r] = values[r].score
            else:
                scores.pop(r, None)
        elif self.competition.ranking is Scope.TEAM:
            members = self._teams[r].members
            scores[r] = team_score(self.competition, event, (_score(values.get(m)) for m in members))
        else:
            scores[r] = _score(values.get(self._team_of.get(r, "")))

    def _candidate(self, r: str, columns: Mapping[str, Mapping[str, Decimal | None]]) -> Candidate:
        counted = {k: self._standardised.get(k, s).get(r) for k, s in self._scores.items()}
        overall, _ = overall_of(self.competition, r, counted, self._maxima)
        self._overall[r] = overall
        tiebreaks = tuple(
            (columns[tb.label].get(r) if tb.label in columns else self._tiebreak_reader(tb.metric)(tb.argument, r), low)
            for tb, low in self._tiebreaks
        )
        return Candidate(entry=r, score=overall, tiebreaks=tiebreaks)

    # Tie-breaks --------------------------------------------------------------------------

    def _tiebreak_reader(self, metric: str) -> Callable[[str, str], Decimal | None]:
        """One ranking entry's value of a registered metric, as the metric's `values` gives it."""
        return {
            "event": lambda arg, r: self._scores[arg].get(r),
            "kind": self._kind_sum,
            "criterion": self._criterion_value,
            "quiz_extra": lambda arg, r: v.tiebreak if (v := self._values[arg].get(r)) else None,
        }[metric]

    def _kind_sum(self, kind: str, r: str) -> Decimal | None:
        out: Decimal | None = None
        for key, event in self._events.items():
            if event.kind == kind and r in self._scores[key]:
                out = (out or Decimal(0)) + (self._scores[key][r] or Decimal(0))
        return out

    def _criterion_value(self, argument: str, r: str) -> Decimal | None:
        event_key, _, criterion = argument.partition(".")
        values = self._values[event_key].get(r)
        return dict(values.criteria).get(criterion) if values else None

    def _columns_read_whole(self) -> dict[str, dict[str, Decimal | None]]:
        """Tie-break columns of metrics not read per entry: every event scored whole, then the
        metric's own `values` (no registered metric needs this)."""
        if not self._whole_columns:
            return {}
        results: dict[str, EventResult] = {k: m.score_whole() for k, m in self._marks.items()}
        return {
            tb.label: TIEBREAK_METRICS[tb.metric].values(tb.argument, self.competition, self._scores, results)
            for tb in self._whole_columns
        }


def _score(values: EntryValues | None) -> Decimal | None:
    return values.score if values else None
