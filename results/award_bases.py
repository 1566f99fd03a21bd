"""The standings an award is drawn from, for each scope and basis an award rule can name.

- basis "overall": the competition's standings at the award's scope (results/groups.py), or
  the unit standings for a unit award;
- basis an event, at the event's own scope: the event's standings (results/report.py
  `rank_event`, with the kind's own tie-break such as a quiz's extra questions);
- an individual event for a team award: the team's score is the event's `team_aggregate` of
  its members' scores (as in the overall), ranked by score;
- a team event for an individual award: each member of a team gets the team's place and score
  (members of one team share that place); contestants outside teams have none.

Nothing here decides who gets an award (results/awards.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from results.groups import standings_at, unit_standings
from results.overall import CompetitionResult
from results.report import rank_event
from results.standings import Candidate, Standing, rank_entries
from scoring.model import AwardRule, Scope

UNIT = "unit"


@dataclass
class AwardBasis:
    """Standings best first, which way scores run, and what the notes should say about them."""

    standings: list[Standing]
    lower_is_better: bool = False
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)


def award_basis(result: CompetitionResult, rule: AwardRule) -> AwardBasis:
    """The standings that `rule`'s scope and basis name."""
    competition = result.competition
    if rule.scope == UNIT:
        units = unit_standings(result)
        return AwardBasis(units.standings, notes=list(units.notes))
    scope = Scope(rule.scope)
    if rule.basis == "overall":
        return AwardBasis(standings_at(result, scope).standings)
    event = competition.event(rule.basis)
    assert event is not None  # the loader checked the basis
    outcome = result.events[event.key]
    title_zh, title_en = event.title["zh"], event.title["en"]
    if event.scope is scope:
        return AwardBasis(rank_event(outcome), outcome.lower_is_better)
    if scope is Scope.TEAM:
        scores = standings_at(result, Scope.TEAM).event_scores[event.key]
        standings = rank_entries(
            [Candidate(t.key, scores.get(t.key)) for t in competition.teams], outcome.lower_is_better
        )
        words = {"mean": ("平均", "mean"), "sum": ("总和", "sum"), "best": ("最好成绩", "best")}[event.team_aggregate]
        note = (
            f"参赛队的{title_zh}成绩为队员成绩的{words[0]}",
            f"a team's {title_en} score is the {words[1]} of its members' scores",
        )
        return AwardBasis(standings, outcome.lower_is_better, [note])
    members = {t.key: t.members for t in competition.teams}
    standings = []
    for team in rank_event(outcome):
        for member in members.get(team.entry, ()):
            shared = team.shared or len(members[team.entry]) > 1
            standings.append(Standing(member, team.score, team.place, shared, list(team.decided_by)))
    note = (
        f"{title_zh}为团体赛项：每名队员取所在参赛队的名次和成绩",
        f"{title_en} is a team event: each member has their team's place and score",
    )
    return AwardBasis(standings, outcome.lower_is_better, [note])
