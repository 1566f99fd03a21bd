"""What each organiser page shows, read from the store: one function per page, each taking the
session of the request's transaction. The page handlers (organiser/*_pages.py) render these;
nothing here changes anything or knows about requests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from organiser.competition_setup import competition_by_key
from organiser.corrections import event_rules
from scoring.publication import NEXT, Publication
from scoring.refusals import Conflict, NotFound
from scoring.rubrics.form import rubric_form
from scoring.rubrics.model import Rubric
from scoring.store.draws import codes_of, draw_summary, in_force, seen_by_judges
from scoring.store.models import Competition, Contestant, Draw, Event, Judge, PanelSeat, Round, Team, Unit
from scoring.store.official_values import current_values
from scoring.store.rounds import marked_on_sheets, round_context


def competitions_list(db: Session) -> dict[str, Any]:
    """The dashboard: every competition with its number of teams."""
    rows = db.execute(
        select(
            Competition.key,
            Competition.name_zh,
            Competition.name_en,
            select(func.count(Team.id)).where(Team.competition_id == Competition.id).scalar_subquery(),
        ).order_by(Competition.id)
    ).all()
    return {"competitions": [{"key": r[0], "name_zh": r[1], "name_en": r[2], "teams": r[3]} for r in rows]}


def competition_overview(db: Session, key: str) -> dict[str, Any]:
    """A competition's page: its events with their rounds, its judges, and counts."""
    competition = competition_by_key(db, key)
    cid = competition.id

    def count(model: Any) -> int:
        return int(db.execute(select(func.count()).select_from(model).where(model.competition_id == cid)).scalar_one())

    events = []
    for e in db.execute(select(Event).where(Event.competition_id == cid).order_by(Event.id)).scalars():
        rounds = db.execute(select(Round).where(Round.event_id == e.id).order_by(Round.id)).scalars().all()
        events.append(
            {
                "id": e.id,
                "key": e.key,
                "title_zh": e.title_zh,
                "title_en": e.title_en,
                "kind": e.kind,
                "scope": e.scope,
                "weight": e.weight,
                "blind": e.blind,
                "rounds": [{"id": r.id, "key": r.key} for r in rounds],
            }
        )
    judges = [
        {"id": j.id, "key": j.key, "name": j.name, "pin_issued": j.pin_hash is not None}
        for j in db.execute(select(Judge).where(Judge.competition_id == cid).order_by(Judge.key)).scalars()
    ]
    return {
        "competition": competition,
        "events": events,
        "judges": judges,
        "counts": {"units": count(Unit), "teams": count(Team), "contestants": count(Contestant), "judges": len(judges)},
    }


def round_overview(db: Session, round_id: int) -> dict[str, Any]:
    """A round's page: its panel, draws, codes and publication state with the moves it allows."""
    context = round_context(db, round_id)
    competition = db.get(Competition, context.event.competition_id)
    assert competition is not None
    judges = db.execute(select(Judge).where(Judge.competition_id == competition.id).order_by(Judge.key)).scalars().all()
    seats = db.execute(
        select(Judge.key, PanelSeat.chief, PanelSeat.marks)
        .join(Judge, Judge.id == PanelSeat.judge_id)
        .where(PanelSeat.round_id == round_id)
    ).all()
    rows = list(db.execute(select(Draw).where(Draw.round_id == round_id).order_by(Draw.id.desc())).scalars())
    draws = in_force([draw_summary(d) for d in rows])
    for draw, row in zip(draws, rows, strict=True):
        draw["seen"] = draw["in_force"] and seen_by_judges(db, round_id, row)
    return {
        "round": context.round,
        "event": context.event,
        "competition_key": competition.key,
        "judges": [{"key": j.key, "name": j.name} for j in judges],
        "seated": {s[0] for s in seats if s[2]},  # the judges who mark (a referee chief does not)
        "chief": next((s[0] for s in seats if s[1]), None),
        "draws": draws,
        "in_force": {d["purpose"]: d for d in draws if d["in_force"]},
        "names": entry_names(db, context.event),
        "codes": sorted(codes_of(db, round_id).items()),
        "publication": context.round.publication,
        "official_entries": len(current_values(db, round_id)),
        "on_sheets": marked_on_sheets(db, context),  # else no panel (a theory paper, a quiz)
        "next_states": sorted(s.value for s in NEXT[Publication(context.round.publication)]),
    }


def people_overview(db: Session, key: str) -> dict[str, Any]:
    """The people page: units, teams and their members."""
    cid = competition_by_key(db, key).id
    teams = db.execute(select(Team).where(Team.competition_id == cid).order_by(Team.key)).scalars().all()
    units = db.execute(select(Unit).where(Unit.competition_id == cid).order_by(Unit.key)).scalars().all()
    members: dict[str, list[Contestant]] = {}
    for p in db.execute(select(Contestant).where(Contestant.competition_id == cid).order_by(Contestant.key)).scalars():
        members.setdefault(p.team_key or "", []).append(p)
    return {"key": key, "teams": teams, "units": units, "members": members}


def event_overview(db: Session, event_id: int) -> dict[str, Any]:
    """An event's page: its title, weight and rounds."""
    event = db.get(Event, event_id)
    if event is None:
        raise NotFound("没有这个赛项", f"no event {event_id}")
    competition = db.get(Competition, event.competition_id)
    assert competition is not None
    rounds = db.execute(select(Round).where(Round.event_id == event_id).order_by(Round.id)).scalars().all()
    return {"event": event, "rounds": rounds, "competition_key": competition.key}


def rubric_preview(db: Session, event_id: int) -> dict[str, Any]:
    """The rubric page: the event's current rubric as a judge's form, and its version."""
    _, version, rules = event_rules(db, event_id)
    if not isinstance(rules, Rubric):
        raise Conflict("该赛项不用评分表", "this event is not marked on score sheets")
    panel_rule = rules.total_panel.key if rules.total_panel else None  # the page says it in words
    return {"form": rubric_form(rules), "version": version.version, "event_id": event_id, "panel_rule": panel_rule}


def competition_key_of(db: Session, model: Any, row_id: int) -> str:
    """The key of the competition a team, unit or contestant belongs to."""
    row = db.get(model, row_id)
    if row is None:
        raise NotFound("没有这条记录", f"no {model.__tablename__[:-1]} {row_id}")
    competition = db.get(Competition, row.competition_id)
    assert competition is not None
    return competition.key


def judge_of(db: Session, judge_id: int) -> dict[str, Any]:
    """A judge and the key of their competition (the reissue page)."""
    judge = db.get(Judge, judge_id)
    if judge is None:
        raise NotFound("没有这位评委", f"no judge {judge_id}")
    competition = db.get(Competition, judge.competition_id)
    assert competition is not None
    return {"judge": judge, "competition": competition, "competition_key": competition.key}


def entry_names(db: Session, event: Event) -> dict[str, dict[str, str]]:
    """Entry key -> its name in each language: the event's teams, or its contestants."""
    if event.scope == "team":
        teams = db.execute(select(Team).where(Team.competition_id == event.competition_id)).scalars()
        return {t.key: {"zh": t.name_zh, "en": t.name_en} for t in teams}
    people = db.execute(select(Contestant).where(Contestant.competition_id == event.competition_id)).scalars()
    return {p.key: {"zh": p.name, "en": p.name} for p in people}
