"""A competition's results: every event scored from its marks file, the overall, the standings.

Each event's marks are `<event key>.csv` (or `.xlsx`) in one folder, or tables from any other
source (`score_event_marks`: the store's counted sheets); either way the event's bound kind
scores its table (`Event.bound.score`). Event scores are brought to the ranking's scope
first: for a team ranking, an individual event counts for a team by the event's
`team_aggregate` (mean, sum or best of the members who have a score; a mean is rounded like
the overall); for an individual ranking, a team event's score counts for each member.
The overall is then, for each ranking entry, either the weighted sum of event scores each
normalised to its event's maximum (weight x score / maximum), or the plain sum of weight x score,
rounded as the competition says. An event with `standardise` counts by its standardised score
instead of its raw one (`standardised_scores`, results/standardise.py; only with method "sum",
which the loader enforces); tie-breaks and `event_scores` keep the raw scores. Standings order
by the overall and then the tie-breaks: highest first, except where every event ranks lowest
first (places from ordinal judging: a DanceSport final, summed over dances or finals), where the
lowest total wins and an entry without a score in some event is not placed (a 0 would win).
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from results.standardise import standardise_scores
from results.standings import Candidate, Standing, rank_entries
from scoring.decimals import quantize, score_context
from scoring.events import BoundEvent, EventResult
from scoring.model import Competition, Event, Scope
from scoring.problems import InvalidInput, Problem
from scoring.tiebreaks import TIEBREAK_METRICS


@dataclass
class CompetitionResult:
    competition: Competition
    events: dict[str, EventResult]
    event_scores: dict[str, dict[str, Decimal | None]]
    overall: dict[str, Decimal | None]
    standings: list[Standing]
    notes: list[str] = field(default_factory=list)
    # event key -> entry -> standardised score, for the events that ask for it (raw: event_scores)
    standardised: dict[str, dict[str, Decimal | None]] = field(default_factory=dict)

    def entry_name(self, key: str) -> str:
        for t in self.competition.teams:
            if t.key == key:
                return t.name["zh"]
        for c in self.competition.contestants:
            if c.key == key:
                return c.name
        return key


def marks_file(marks_dir: Path, event: Event) -> Path | None:
    for suffix in (".csv", ".xlsx"):
        candidate = marks_dir / f"{event.key}{suffix}"
        if candidate.exists():
            return candidate
    return None


@dataclass(frozen=True)
class EventMarks:
    """One event's table of marks (its kind's input table) and what its problems name: a file,
    or a round of the store."""

    table: pd.DataFrame
    source: str


def _bound(event: Event) -> BoundEvent:
    assert event.bound is not None  # a loaded competition has every event bound
    return event.bound


def score_events(competition: Competition, marks_dir: Path) -> dict[str, EventResult]:
    """Score every event from its file in `marks_dir`; all problems of all events are reported
    together."""
    problems: list[Problem] = []
    marks: dict[str, EventMarks] = {}
    for event in competition.events:
        path = marks_file(marks_dir, event)
        if path is None:
            problems.append(
                Problem(
                    zh=f"缺少赛项 {event.key} 的评分文件（{event.key}.csv 或 {event.key}.xlsx）",
                    en=f"no marks for event {event.key}: expected {event.key}.csv or {event.key}.xlsx",
                    file=str(marks_dir),
                )
            )
            continue
        try:
            marks[event.key] = EventMarks(_bound(event).read_table(path), str(path))
        except InvalidInput as exc:
            problems.extend(exc.problems)
    return _score(competition, marks, problems)


def score_event_marks(competition: Competition, marks: Mapping[str, EventMarks]) -> dict[str, EventResult]:
    """Score every event from its table, whatever the tables come from (the store's counted
    sheets, through scoring.marks.marks_table); the same call as for files."""
    problems = [
        Problem(zh=f"赛项 {e.key} 没有评分", en=f"no marks for event {e.key}")
        for e in competition.events
        if e.key not in marks
    ]
    return _score(competition, marks, problems)


def _score(
    competition: Competition, marks: Mapping[str, EventMarks], problems: list[Problem]
) -> dict[str, EventResult]:
    results: dict[str, EventResult] = {}
    judges = {j.key for j in competition.judges} or None
    for event in competition.events:
        found = marks.get(event.key)
        if found is None:
            continue
        try:
            results[event.key] = _bound(event).score(
                found.table, competition.entries_for(event), judges, source=found.source
            )
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    return results


def ranking_entries(competition: Competition) -> list[str]:
    """The keys ranked: teams for a team ranking, contestants otherwise."""
    if competition.ranking is Scope.TEAM:
        return [t.key for t in competition.teams]
    return [c.key for c in competition.contestants]


def team_score(competition: Competition, event: Event, member_scores: Iterable[Decimal | None]) -> Decimal | None:
    """An individual event's score for a team: the event's `team_aggregate` (mean, sum or
    best) of the members who have a score; None when none has. A mean is rounded like the
    overall. Call inside `score_context()`."""
    got = [s for s in member_scores if s is not None]
    if not got:
        return None
    if event.team_aggregate == "sum":
        return sum(got, Decimal(0))
    if event.team_aggregate == "best":
        return max(got)
    return quantize(sum(got, Decimal(0)) / len(got), competition.overall.rounding_places or 2)


def event_maximum(event: Event, result: EventResult) -> Decimal | None:
    """The maximum a weighted overall divides an event's score by."""
    return (event.bound.max_score if event.bound else None) or result.max_score


def overall_of(
    competition: Competition,
    entry: str,
    scores: Mapping[str, Decimal | None],
    maxima: Mapping[str, Decimal | None],
) -> tuple[Decimal, list[str]]:
    """One ranking entry's overall from its score in each event (event key -> score at the
    ranking's scope; a missing score counts 0 and is noted). Call inside `score_context()`."""
    spec = competition.overall
    notes: list[str] = []
    total = Decimal(0)
    for event in competition.events:
        score = scores.get(event.key)
        if score is None:
            notes.append(f"{entry}: no score in {event.key}, counted as 0 / 该赛项无成绩，按 0 计")
            continue
        if spec.method == "weighted":
            maximum = maxima[event.key]
            assert maximum is not None
            total += event.weight * score / maximum
        else:
            total += event.weight * score
    if spec.rounding_places is not None:
        total = quantize(total, spec.rounding_places, spec.rounding_mode)
    return total, notes


def _to_ranking_scope(competition: Competition, event: Event, result: EventResult) -> dict[str, Decimal | None]:
    scores = {s.entry: s.score for s in result.scores}
    ranking = competition.ranking
    if event.scope is ranking:
        return scores
    if ranking is Scope.TEAM:
        return {t.key: team_score(competition, event, (scores.get(m) for m in t.members)) for t in competition.teams}
    team_of = competition.team_of()
    return {c.key: scores.get(team_of.get(c.key, "")) for c in competition.contestants}


def standardised_scores(
    competition: Competition, event_scores: Mapping[str, Mapping[str, Decimal | None]]
) -> dict[str, dict[str, Decimal | None]]:
    """The standardised scores (at the ranking's scope) of every event that has standardisation."""
    return {
        e.key: standardise_scores(event_scores[e.key], e.standardise)
        for e in competition.events
        if e.standardise is not None
    }


def combine_events(competition: Competition, results: dict[str, EventResult]) -> CompetitionResult:
    with decimal.localcontext(score_context()):
        return _combine(competition, results)


def _combine(competition: Competition, results: dict[str, EventResult]) -> CompetitionResult:
    entries = ranking_entries(competition)
    event_scores = {e.key: _to_ranking_scope(competition, e, results[e.key]) for e in competition.events}
    standardised = standardised_scores(competition, event_scores)
    counted = event_scores | standardised  # an event with standardisation counts its standardised scores
    maxima = {e.key: event_maximum(e, results[e.key]) for e in competition.events}
    notes: list[str] = []
    overall: dict[str, Decimal | None] = {}
    for entry in entries:
        overall[entry], entry_notes = overall_of(
            competition, entry, {e.key: counted[e.key].get(entry) for e in competition.events}, maxima
        )
        notes += entry_notes
    lower = bool(results) and all(r.lower_is_better for r in results.values())  # places: the fewest wins
    if lower:
        for entry in entries:
            if any(counted[e.key].get(entry) is None for e in competition.events):
                overall[entry] = None
    names = [t.label for t in competition.overall.tiebreaks]
    columns = []
    for tb in competition.overall.tiebreaks:
        metric = TIEBREAK_METRICS[tb.metric]
        columns.append(
            (
                metric.values(tb.argument, competition, event_scores, results),
                metric.lower_is_better(tb.argument, competition),
            )
        )
    candidates = [
        Candidate(entry=e, score=overall[e], tiebreaks=tuple((values.get(e), low) for values, low in columns))
        for e in entries
    ]
    standings = rank_entries(candidates, lower_is_better=lower, tiebreak_names=names)
    return CompetitionResult(
        competition=competition,
        events=results,
        event_scores=event_scores,
        overall=overall,
        standings=standings,
        notes=notes,
        standardised=standardised,
    )


def score_competition(competition: Competition, marks_dir: Path) -> CompetitionResult:
    return combine_events(competition, score_events(competition, marks_dir))
