"""Corrections of a stored competition: units, teams and contestants renamed or moved, an event's
titles and weight, a new round, a new rubric version (refused once the event has sheets). Each
is checked, audited with before and after, and announced to the live boards."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from organiser.competition_setup import Upload, check_key
from scoring.decimals import parse_decimal
from scoring.model import ROLE_WORDS, Role
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict, NotFound
from scoring.rubrics.form import rubric_form
from scoring.rubrics.model import Rubric
from scoring.store import audit
from scoring.store.live import record_change
from scoring.store.models import (
    Contestant,
    Event,
    Round,
    RubricVersion,
    Sheet,
    Team,
    Unit,
)
from scoring.store.rounds import read_rules


def edit_team(db: Session, team_id: int, name_zh: str, name_en: str, unit_key: str, actor: str) -> dict[str, Any]:
    team = db.get(Team, team_id, with_for_update=True)
    if team is None:
        raise NotFound("没有这个参赛队", f"no team {team_id}")
    problems = (
        []
        if name_zh.strip() and name_en.strip()
        else [Problem(zh="参赛队名称不能为空", en="the team needs a name in both languages", path="name")]
    )
    if not db.execute(select(Unit.id).where(Unit.competition_id == team.competition_id, Unit.key == unit_key)).first():
        problems.append(Problem(zh=f"未知的单位“{unit_key}”", en=f"unknown unit '{unit_key}'", path="unit"))
    if problems:
        raise InvalidInput(problems)
    before = {"name_zh": team.name_zh, "name_en": team.name_en, "unit": team.unit_key}
    team.name_zh, team.name_en, team.unit_key = name_zh.strip(), name_en.strip(), unit_key
    after = {"name_zh": team.name_zh, "name_en": team.name_en, "unit": team.unit_key}
    audit.append(db, actor=actor, action="team.edit", entity="team", entity_id=team.key, before=before, after=after)
    record_change(db, team.competition_id, "setup", actor=actor)  # the live boards rebuild
    return {"key": team.key} | after


def edit_contestant(
    db: Session, contestant_id: int, name: str, role: str, team_key: str | None, actor: str
) -> dict[str, Any]:
    person = db.get(Contestant, contestant_id, with_for_update=True)
    if person is None:
        raise NotFound("没有这名选手", f"no contestant {contestant_id}")
    problems = [] if name.strip() else [Problem(zh="姓名不能为空", en="the name is empty", path="name")]
    chosen = ROLE_WORDS.get(role)
    if chosen is None:
        problems.append(
            Problem(
                zh=f"角色“{role}”无效",
                en=f"role '{role}' is not valid; roles: team_leader, member, reserve",
                path="role",
            )
        )
    team = None
    if team_key:
        team = db.execute(
            select(Team).where(Team.competition_id == person.competition_id, Team.key == team_key)
        ).scalar_one_or_none()
        if team is None:
            problems.append(Problem(zh=f"未知的参赛队“{team_key}”", en=f"unknown team '{team_key}'", path="team"))
    if chosen is Role.TEAM_LEADER and team_key:
        leaders = db.execute(
            select(func.count())
            .select_from(Contestant)
            .where(
                Contestant.competition_id == person.competition_id,
                Contestant.team_key == team_key,
                Contestant.role == Role.TEAM_LEADER.value,
                Contestant.id != person.id,
            )
        ).scalar_one()
        if leaders:
            problems.append(
                Problem(zh=f"参赛队 {team_key} 已有队长", en=f"team {team_key} already has a team leader", path="role")
            )
    if problems:
        raise InvalidInput(problems)
    assert chosen is not None
    before = {"name": person.name, "role": person.role, "team": person.team_key}
    person.name, person.role, person.team_key = name.strip(), chosen.value, team_key or None
    if team is not None:
        person.unit_key = team.unit_key
    after = {"name": person.name, "role": person.role, "team": person.team_key}
    audit.append(
        db,
        actor=actor,
        action="contestant.edit",
        entity="contestant",
        entity_id=person.key,
        before=before,
        after=after,
    )
    record_change(db, person.competition_id, "setup", actor=actor)  # the live boards rebuild
    return {"key": person.key} | after


def edit_event(db: Session, event_id: int, title_zh: str, title_en: str, weight: str, actor: str) -> dict[str, Any]:
    number = parse_decimal(weight)
    problems = (
        []
        if title_zh.strip() and title_en.strip()
        else [Problem(zh="赛项名称不能为空", en="the event needs a title in both languages", path="title")]
    )
    if number is None or number < 0:
        problems.append(Problem(zh="权重必须是非负数", en="the weight must be a number, 0 or more", path="weight"))
    if problems:
        raise InvalidInput(problems)
    assert number is not None
    event = db.get(Event, event_id, with_for_update=True)
    if event is None:
        raise NotFound("没有这个赛项", f"no event {event_id}")
    before = {"title_zh": event.title_zh, "title_en": event.title_en, "weight": str(event.weight)}
    event.title_zh, event.title_en, event.weight = title_zh.strip(), title_en.strip(), number
    after = {"title_zh": event.title_zh, "title_en": event.title_en, "weight": str(event.weight)}
    audit.append(db, actor=actor, action="event.edit", entity="event", entity_id=event.key, before=before, after=after)
    record_change(db, event.competition_id, "setup", actor=actor)  # the live boards rebuild
    return {"key": event.key} | after


def add_round(db: Session, event_id: int, key: str, actor: str) -> dict[str, Any]:
    problems = check_key(key, "key")
    if problems:
        raise InvalidInput(problems)
    event = db.get(Event, event_id)
    if event is None:
        raise NotFound("没有这个赛项", f"no event {event_id}")
    if db.execute(select(Round.id).where(Round.event_id == event_id, Round.key == key)).first():
        raise InvalidInput([Problem(zh=f"轮次“{key}”已存在", en=f"round '{key}' already exists", path="key")])
    round_ = Round(event_id=event_id, key=key)
    db.add(round_)
    db.flush()
    audit.append(db, actor=actor, action="round.create", entity="event", entity_id=event.key, after={"round": key})
    record_change(db, event.competition_id, "setup", actor=actor)  # the live boards rebuild
    return {"id": round_.id, "key": key, "event": event.key}


def event_rules(db: Session, event_id: int) -> tuple[Event, RubricVersion, Any]:
    event = db.get(Event, event_id)
    if event is None:
        raise NotFound("没有这个赛项", f"no event {event_id}")
    version = db.get(RubricVersion, event.rubric_version_id)
    assert version is not None
    return event, version, read_rules(event.kind, version.document, f"{event.key} rubric v{version.version}")


def replace_rubric_version(db: Session, event_id: int, upload: Upload, actor: str) -> dict[str, Any]:
    """A new version of the event's rubric; refused once any sheet of the event exists."""
    try:
        document = upload.content.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            [Problem(zh="文件不是 UTF-8 编码", en="the file is not UTF-8 text", file=upload.filename)]
        ) from None
    event = db.get(Event, event_id, with_for_update=True)
    if event is None:
        raise NotFound("没有这个赛项", f"no event {event_id}")
    rules = read_rules(event.kind, document, upload.filename)
    in_use = db.execute(
        select(func.count())
        .select_from(Sheet)
        .join(Round, Round.id == Sheet.round_id)
        .where(Round.event_id == event_id)
    ).scalar_one()
    if in_use:
        raise Conflict(
            "该赛项已有评分，评分细则不能再改",
            "this event already has score sheets; its rubric cannot change under them",
        )
    current = db.get(RubricVersion, event.rubric_version_id)
    assert current is not None
    version = RubricVersion(
        competition_id=event.competition_id,
        key=current.key,
        version=current.version + 1,
        document=document,
        digest=hashlib.sha256(upload.content).hexdigest(),
    )
    db.add(version)
    db.flush()
    event.rubric_version_id = version.id
    audit.append(
        db,
        actor=actor,
        action="rubric.replace",
        entity="event",
        entity_id=event.key,
        before={"version": current.version, "digest": current.digest},
        after={"version": version.version, "digest": version.digest},
    )
    record_change(db, event.competition_id, "setup", actor=actor)  # the live boards rebuild
    return {
        "event": event.key,
        "version": version.version,
        "form": rubric_form(rules) if isinstance(rules, Rubric) else None,
    }


def edit_unit(db: Session, unit_id: int, name_zh: str, name_en: str, actor: str) -> dict[str, Any]:
    if not (name_zh.strip() and name_en.strip()):
        raise InvalidInput([Problem(zh="单位名称不能为空", en="the unit needs a name in both languages", path="name")])
    unit = db.get(Unit, unit_id, with_for_update=True)
    if unit is None:
        raise NotFound("没有这个单位", f"no unit {unit_id}")
    before = {"name_zh": unit.name_zh, "name_en": unit.name_en}
    unit.name_zh, unit.name_en = name_zh.strip(), name_en.strip()
    after = {"name_zh": unit.name_zh, "name_en": unit.name_en}
    audit.append(db, actor=actor, action="unit.edit", entity="unit", entity_id=unit.key, before=before, after=after)
    record_change(db, unit.competition_id, "setup", actor=actor)  # the live boards rebuild
    return {"key": unit.key} | after
