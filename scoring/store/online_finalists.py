"""Finalists chosen from a preliminary become the final's roster.

In the store a round's entries are its competition's contestants (or teams): there is no list of
entries per round. The online drills run in a competition of their own (every worker of every
unit on its roster), and the final is another competition; so the finalists are added to the
final competition's roster, with their units and teams, through the roster import's own checks
and write (scoring/roster.py's plan, scoring/store/roster.py `apply_roster`, audited
`roster.import`). A finalist already on that roster is left as they are. The selection itself
(rule, value, who, into which competition) is kept append-only in `online_selections` and audited
(`online.finalists`), all in one transaction: refused whole if any finalist cannot be added.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.online_rules import RULES, Placed
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict, NotFound
from scoring.roster import RosterPlan, RosterRow
from scoring.store import audit
from scoring.store.models import Competition, Contestant, Team, Unit
from scoring.store.online_models import OnlinePaper, OnlineSelection
from scoring.store.roster import apply_roster, roster_state


def add_finalists(
    db: Session,
    paper: OnlinePaper,
    rule: str,
    value: Decimal,
    finalists: list[Placed],
    target_key: str,
    reason: str,
    actor: str,
) -> OnlineSelection:
    """Record the selection and add its finalists to the roster of competition `target_key`."""
    if rule not in RULES:
        raise InvalidInput(
            [
                Problem(
                    "规则须为 top_overall、top_per_unit 或 threshold",
                    "the rule must be top_overall, top_per_unit or threshold",
                    path="rule",
                )
            ]
        )
    target = db.execute(select(Competition).where(Competition.key == target_key)).scalar_one_or_none()
    if target is None:
        raise NotFound(f"没有竞赛“{target_key}”", f"no competition '{target_key}'")
    if target.id == paper.competition_id:
        raise Conflict(
            "决赛名单须加入另一个竞赛（决赛），不是网上练兵本身",
            "finalists join another competition (the final), not the online drill itself",
        )
    if not finalists:
        raise Conflict("按此规则没有入围者", "no one is selected by this rule")
    source = paper.competition_id
    people = {c.key: c for c in db.execute(select(Contestant).where(Contestant.competition_id == source)).scalars()}
    teams = {t.key: t for t in db.execute(select(Team).where(Team.competition_id == source)).scalars()}
    units = {u.key: u for u in db.execute(select(Unit).where(Unit.competition_id == source)).scalars()}
    state = roster_state(db, target.id)
    plan = RosterPlan(rows=[])
    leaders = dict(state.leaders)
    for place in finalists:
        person = people[place.entry]
        if person.key in state.contestants:
            continue  # already on the final's roster
        if person.unit_key not in state.units and person.unit_key not in plan.new_units:
            plan.new_units[person.unit_key] = (
                units[person.unit_key].name_zh if person.unit_key in units else person.unit_key
            )
        team = person.team_key or ""
        if team:
            held = state.team_units.get(team)
            if held is not None and held != person.unit_key:
                plan.problems.append(
                    Problem(
                        f"参赛队 {team} 在决赛中属于单位 {held}",
                        f"team {team} belongs to unit {held} in the final",
                        path=person.key,
                    )
                )
            if held is None and team not in plan.new_teams:
                plan.new_teams[team] = (person.unit_key, teams[team].name_zh if team in teams else team)
            if person.role == "team_leader":
                leaders[team] = leaders.get(team, 0) + 1
                if leaders[team] > 1:
                    plan.problems.append(
                        Problem(
                            f"参赛队 {team} 在决赛中已有队长",
                            f"team {team} already has a team leader in the final",
                            path=person.key,
                        )
                    )
        plan.rows.append(RosterRow(0, person.unit_key, "", team, "", person.key, person.name, person.role))
    if plan.problems:
        raise InvalidInput(plan.problems)
    added = apply_roster(db, target.id, plan, actor=actor) if plan.rows else 0
    _copy_english_names(db, target.id, units, teams, plan)
    selection = OnlineSelection(
        paper_id=paper.id,
        rule=rule,
        value=value,
        finalists=[{"entry": p.entry, "unit": p.unit, "score": str(p.score), "place": p.place} for p in finalists],
        target=target_key,
        reason=reason[:2000],
        created_by=actor,
    )
    db.add(selection)
    db.flush()
    audit.append(
        db,
        actor=actor,
        action="online.finalists",
        entity="online_paper",
        entity_id=str(paper.id),
        after={
            "rule": rule,
            "value": str(value),
            "target": target_key,
            "finalists": [p.entry for p in finalists],
            "added": added,
            "reason": reason,
        },
    )
    return selection


def _copy_english_names(
    db: Session, target_id: int, units: dict[str, Unit], teams: dict[str, Team], plan: RosterPlan
) -> None:
    """The roster import names new units and teams in one language; the source has both."""
    for key in plan.new_units:
        if key in units:
            for row in db.execute(select(Unit).where(Unit.competition_id == target_id, Unit.key == key)).scalars():
                row.name_en = units[key].name_en
    for key in plan.new_teams:
        if key in teams:
            for t in db.execute(select(Team).where(Team.competition_id == target_id, Team.key == key)).scalars():
                t.name_en = teams[key].name_en
    db.flush()


def selections_of(db: Session, paper_id: int) -> list[OnlineSelection]:
    return list(
        db.execute(
            select(OnlineSelection).where(OnlineSelection.paper_id == paper_id).order_by(OnlineSelection.id)
        ).scalars()
    )
