"""Standings beside the competition's own: every contestant's, every team's and every unit's.

The competition ranks at one scope (team or individual). Awards may need another: technical
experts are individuals in a team ranking, a unit prize ranks units. Individual and team
standings use the competition's own overall formula, rounding and tie-breaks with the ranking
switched (results/overall.py): for individuals, a team event's score counts for each member of
the team (reserves included) and a contestant outside any team has none (counted as 0); for
teams, an individual event counts by its `team_aggregate`. A unit's score follows the
competition's `[unit_ranking]`: the mean of its teams' overall scores, rounded like the overall,
or the sum of its best n teams (a unit with fewer scored teams counts those it has). In a
competition without teams a unit's entries are its contestants. Units are ranked by score only.

Nothing here reads marks or files, and nothing gives awards (results/awards.py does).
"""

from __future__ import annotations

import dataclasses
import decimal
from dataclasses import dataclass, field
from decimal import Decimal

from results.overall import CompetitionResult, combine_events
from results.standings import Candidate, Standing, rank_entries
from scoring.decimals import quantize, score_context
from scoring.model import Scope


def standings_at(result: CompetitionResult, scope: Scope) -> CompetitionResult:
    """The competition's results ranked at `scope`: the result itself when that is the
    competition's ranking, else the same events combined with the ranking switched (the
    returned result's competition says the scope it ranks at). Tie-breaks that read a value of
    another scope (a team event's criterion for individuals) find none and separate nobody."""
    if result.competition.ranking is scope:
        return result
    switched = dataclasses.replace(result.competition, ranking=scope)
    return combine_events(switched, result.events)


def individual_standings(result: CompetitionResult) -> CompetitionResult:
    """Every contestant ranked by the overall of their own individual events and their team's
    team events."""
    return standings_at(result, Scope.INDIVIDUAL)


def team_standings(result: CompetitionResult) -> CompetitionResult:
    """Every team ranked by the overall, individual events counting by their team aggregate."""
    return standings_at(result, Scope.TEAM)


@dataclass
class UnitStandings:
    """Units ranked by the score their teams (or contestants) give them, best first."""

    method: str  # mean or best
    best: int | None
    scores: dict[str, Decimal | None]  # unit key -> its score; None when no entry of it has one
    counted: dict[str, tuple[str, ...]]  # unit key -> the entries whose scores made its score
    standings: list[Standing]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)


def unit_standings(result: CompetitionResult) -> UnitStandings:
    """Each unit's score from its entries' overall scores, as `[unit_ranking]` says, ranked."""
    with decimal.localcontext(score_context()):
        return _unit_standings(result)


def _unit_standings(result: CompetitionResult) -> UnitStandings:
    competition = result.competition
    spec = competition.unit_ranking
    overall = competition.overall
    if competition.teams:
        base = team_standings(result)
        entries_of = {u.key: [t.key for t in competition.teams if t.unit == u.key] for u in competition.units}
    else:
        base = individual_standings(result)
        entries_of = {u.key: [c.key for c in competition.contestants if c.unit == u.key] for u in competition.units}
    ranked = {s.entry: s for s in base.standings if s.place is not None and s.score is not None}
    position = {s.entry: i for i, s in enumerate(base.standings)}
    scores: dict[str, Decimal | None] = {}
    counted: dict[str, tuple[str, ...]] = {}
    notes: list[tuple[str, str]] = []
    for unit, entries in entries_of.items():
        # best first, in the standings' order (their tie-breaks decide between equal scores)
        mine = [ranked[e] for e in sorted(entries, key=position.__getitem__) if e in ranked]
        if spec.method == "best":
            assert spec.best is not None
            mine = mine[: spec.best]
            if 0 < len(mine) < spec.best:
                notes.append(
                    (
                        f"{unit}：只有 {len(mine)} 个有成绩的参赛者，按 {len(mine)} 个计入（取最好 {spec.best} 个）",
                        f"{unit}: only {len(mine)} entries with a score; {len(mine)} counted (best {spec.best})",
                    )
                )
        counted[unit] = tuple(s.entry for s in mine)
        if not mine:
            scores[unit] = None
            continue
        total = sum((s.score for s in mine if s.score is not None), Decimal(0))
        if spec.method == "mean":
            total = total / len(mine)
            if overall.rounding_places is not None:
                total = quantize(total, overall.rounding_places, overall.rounding_mode)
        scores[unit] = total
    if spec.method == "mean":
        notes.append(("单位成绩 = 各参赛队总分的平均", "a unit's score is the mean of its entries' overall scores"))
    else:
        notes.append(
            (
                f"单位成绩 = 最好 {spec.best} 个参赛队总分之和",
                f"a unit's score is the sum of its best {spec.best} entries' overall scores",
            )
        )
    standings = rank_entries([Candidate(u, scores[u]) for u in entries_of])
    return UnitStandings(
        method=spec.method, best=spec.best, scores=scores, counted=counted, standings=standings, notes=notes
    )
