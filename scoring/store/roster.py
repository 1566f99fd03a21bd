"""Importing a checked roster into a stored competition: all rows or none, one audit record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.model import ROLE_WORDS, Role
from scoring.problems import InvalidInput
from scoring.roster import RosterPlan, RosterState
from scoring.store import audit
from scoring.store.models import Contestant, Team, Unit


def roster_state(session: Session, competition_id: int) -> RosterState:
    teams = dict(session.execute(select(Team.key, Team.unit_key).where(Team.competition_id == competition_id)).all())
    people = session.execute(
        select(Contestant.key, Contestant.team_key, Contestant.role).where(Contestant.competition_id == competition_id)
    ).all()
    leaders: dict[str, int] = dict.fromkeys(teams, 0)
    for _, team, role in people:
        if team and role == Role.TEAM_LEADER.value:
            leaders[team] = leaders.get(team, 0) + 1
    units = session.execute(select(Unit.key).where(Unit.competition_id == competition_id)).scalars()
    return RosterState(
        units=frozenset(units), team_units=teams, contestants=frozenset(p[0] for p in people), leaders=leaders
    )


def apply_roster(session: Session, competition_id: int, plan: RosterPlan, actor: str) -> int:
    """Add the plan's units, teams and contestants; returns how many contestants were added."""
    if plan.problems:
        raise InvalidInput(plan.problems)
    session.add_all(
        [Unit(competition_id=competition_id, key=k, name_zh=name, name_en=name) for k, name in plan.new_units.items()]
    )
    session.add_all(
        [
            Team(competition_id=competition_id, key=k, unit_key=unit, name_zh=name, name_en=name)
            for k, (unit, name) in plan.new_teams.items()
        ]
    )
    session.add_all(
        [
            Contestant(
                competition_id=competition_id,
                key=r.contestant,
                name=r.name,
                unit_key=r.unit,
                team_key=r.team or None,
                role=ROLE_WORDS.get(r.role or "member", Role.MEMBER).value,
            )
            for r in plan.rows
        ]
    )
    audit.append(
        session,
        actor=actor,
        action="roster.import",
        entity="competition",
        entity_id=str(competition_id),
        after={
            "units": sorted(plan.new_units),
            "teams": sorted(plan.new_teams),
            "contestants": [r.contestant for r in plan.rows],
        },
    )
    return len(plan.rows)
