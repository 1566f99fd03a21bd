"""The organiser's operations, shared by the JSON API and the pages: create a competition from
uploaded files, seat a panel, draw lots, renew judges' access, import a roster. Each checks its
input, changes the store in one transaction, and leaves an audit record."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import tomlkit
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from scoring.competition import load_competition
from scoring.decimals import parse_decimal
from scoring.document import is_key
from scoring.draws import new_seed
from scoring.model import ROLE_WORDS, Role
from scoring.model import Competition as CompetitionModel
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict, NotFound
from scoring.roster import RosterPlan, plan_import
from scoring.rubrics.form import rubric_form
from scoring.rubrics.model import Rubric
from scoring.store import audit
from scoring.store.competitions import store_competition
from scoring.store.draws import record_draw
from scoring.store.live import record_change
from scoring.store.models import (
    Competition,
    Contestant,
    Event,
    Judge,
    PanelSeat,
    Round,
    RubricVersion,
    Sheet,
    Team,
    Unit,
)
from scoring.store.roster import apply_roster, roster_state
from scoring.store.rounds import event_entry_keys, read_rules, round_context
from scoring.store.sign_ins import end_sign_ins_of_judge, record_success
from web.security import hash_pin, new_pin, sign_judge_token


@dataclass(frozen=True)
class Upload:
    """A file sent by the organiser: its name and its bytes."""

    filename: str
    content: bytes


def create_competition(db: Session, competition: Upload, rubrics: list[Upload], actor: str) -> dict[str, Any]:
    """Store a competition from its file and its rubric files (matched to the file's rubric paths by name)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = set()
        for rubric in rubrics:
            name = Path(rubric.filename).name
            if not name.lower().endswith(".toml") or name.startswith("."):
                raise InvalidInput(
                    [
                        Problem(
                            zh=f"评分细则文件名“{rubric.filename[:80]}”无效，须为 .toml 文件",
                            en=f"'{rubric.filename[:80]}' is not a rubric file name; rubrics are .toml files",
                            file=rubric.filename[:80],
                        )
                    ]
                )
            (folder / name).write_bytes(rubric.content)
            names.add(name)
        try:
            document = tomlkit.parse(competition.content.decode("utf-8"))
        except Exception as exc:  # not UTF-8 or not TOML: reported like any other bad file
            raise InvalidInput(
                [
                    Problem(
                        zh=f"竞赛文件无法读取：{exc}",
                        en=f"the competition file cannot be read: {exc}",
                        file=competition.filename,
                    )
                ]
            ) from None
        for event in document.get("events", []):
            rubric_path = event.get("rubric")
            if isinstance(rubric_path, str):
                name = Path(rubric_path).name
                if name not in names:
                    raise InvalidInput(
                        [
                            Problem(
                                zh=f"未上传评分细则文件 {name}",
                                en=f"rubric file {name} was not uploaded with the competition file",
                                file=competition.filename,
                            )
                        ]
                    )
                event["rubric"] = name
        path = folder / "competition.toml"
        path.write_text(tomlkit.dumps(document), encoding="utf-8")
        try:
            loaded = load_competition(path)
        except InvalidInput as refused:  # name the files as uploaded, never the server's folder
            uploaded = {str(path): competition.filename}
            raise InvalidInput(
                [
                    replace(p, file=uploaded.get(p.file, Path(p.file).name) if p.file else p.file)
                    for p in refused.problems
                ]
            ) from None
        return store_loaded(db, loaded, actor)


def store_loaded(db: Session, loaded: CompetitionModel, actor: str) -> dict[str, Any]:
    """Store a loaded competition and say what was stored."""
    cid = store_competition(db, loaded, actor=actor)
    return {
        "id": cid,
        "key": loaded.key,
        "teams": len(loaded.teams),
        "contestants": len(loaded.contestants),
        "events": [e.key for e in loaded.events],
    }


def set_panel(db: Session, round_id: int, judge_keys: list[str], chief: str | None, actor: str) -> dict[str, Any]:
    context = round_context(db, round_id)
    judges = {
        j.key: j
        for j in db.execute(
            select(Judge).where(Judge.competition_id == context.event.competition_id, Judge.key.in_(judge_keys))
        ).scalars()
    }
    problems = [
        Problem(zh=f"未知的评委“{k}”", en=f"unknown judge '{k}'", path="judges") for k in judge_keys if k not in judges
    ]
    if chief is not None and chief not in judge_keys:
        problems.append(
            Problem(zh="裁判长必须在评委组中", en="the chief judge must be one of the judges", path="chief")
        )
    if problems:
        raise InvalidInput(problems)
    keys = list(dict.fromkeys(judge_keys))
    db.execute(delete(PanelSeat).where(PanelSeat.round_id == round_id))
    db.add_all([PanelSeat(round_id=round_id, judge_id=judges[k].id, chief=k == chief) for k in keys])
    audit.append(
        db,
        actor=actor,
        action="panel.set",
        entity="round",
        entity_id=str(round_id),
        after={"judges": keys, "chief": chief},
    )
    record_change(db, context.event.competition_id, "setup", actor=actor)  # the live boards rebuild
    return {"judges": keys, "chief": chief}


def make_draw(
    db: Session,
    round_id: int,
    purpose: str,
    drawn_by: str,
    seed: int | None,
    stations: int | None,
    prefix: str,
    actor: str,
) -> dict[str, Any]:
    if purpose == "stations" and not stations:
        raise InvalidInput(
            [Problem(zh="抽取工位需要工位数", en="a station draw needs the number of stations", path="stations")]
        )
    entries = event_entry_keys(db, round_context(db, round_id).event)
    params: dict[str, Any] = {"stations": stations} if purpose == "stations" else {}
    if purpose == "codes":
        params["prefix"] = prefix
    return record_draw(
        db,
        round_id=round_id,
        purpose=purpose,
        entries=entries,
        seed=seed if seed is not None else new_seed(),
        params=params,
        drawn_by=drawn_by,
        actor=actor,
    )


def renew_access(db: Session, secret: bytes, judge_ids: list[int], actor: str) -> list[dict[str, Any]]:
    """New links and PINs for these judges; every earlier link and session of theirs stops working."""
    out = []
    for judge_id in judge_ids:
        judge = db.get(Judge, judge_id, with_for_update=True)
        if judge is None:
            raise NotFound("没有这位评委", f"no judge {judge_id}")
        pin = new_pin()
        judge.token_version += 1
        judge.pin_hash = hash_pin(pin)
        end_sign_ins_of_judge(db, judge.id)  # every session of the old link or PIN ends now
        record_success(judge)  # and a judge locked out by failed PINs may sign in again
        audit.append(
            db,
            actor=actor,
            action="judge.access",
            entity="judge",
            entity_id=judge.key,
            after={"token_version": judge.token_version},
        )
        out.append(
            {
                "judge": judge.key,
                "name": judge.name,
                "pin": pin,
                "link": f"/judge/signin/{sign_judge_token(secret, judge.id, judge.token_version)}",
            }
        )
    return out


def competition_by_key(db: Session, key: str) -> Competition:
    competition = db.execute(select(Competition).where(Competition.key == key)).scalar_one_or_none()
    if competition is None:
        raise NotFound(f"没有竞赛“{key}”", f"no competition '{key}'")
    return competition


def plan_roster(db: Session, key: str, upload: Upload) -> tuple[int, RosterPlan]:
    suffix = Path(upload.filename or "roster.csv").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput(
            [Problem(zh="名单须为 .csv 或 .xlsx", en="a roster must be a .csv or .xlsx file", file=upload.filename)]
        )
    competition = competition_by_key(db, key)
    state = roster_state(db, competition.id)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"roster{suffix}"
        path.write_bytes(upload.content)
        return competition.id, plan_import(path, state, source=upload.filename or "roster")


def roster_preview(plan: RosterPlan) -> dict[str, Any]:
    return {
        "rows": [asdict(r) for r in plan.rows],
        "new_units": sorted(plan.new_units),
        "new_teams": sorted(plan.new_teams),
    }


def import_roster(db: Session, competition_id: int, plan: RosterPlan, actor: str) -> int:
    imported = apply_roster(db, competition_id, plan, actor=actor)
    record_change(db, competition_id, "setup", actor=actor)  # the live boards rebuild
    return imported


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def templates() -> list[str]:
    """The example competitions shipped with the project, usable as templates."""
    return sorted(p.parent.name for p in EXAMPLES.glob("*/competition.toml"))


def create_from_template(db: Session, name: str, actor: str) -> dict[str, Any]:
    if name not in templates():
        raise InvalidInput(
            [
                Problem(
                    zh=f"没有模板“{name}”",
                    en=f"no template '{name}'; templates: {', '.join(templates())}",
                    path="template",
                )
            ]
        )
    return store_loaded(db, load_competition(EXAMPLES / name / "competition.toml"), actor)


def add_judge(db: Session, competition_key: str, key: str, name: str, actor: str) -> dict[str, str]:
    problems = _check_key(key, "key")
    if not name.strip():
        problems.append(Problem(zh="请填写评委姓名", en="give the judge's name", path="name"))
    if problems:
        raise InvalidInput(problems)
    competition = competition_by_key(db, competition_key)
    exists = db.execute(select(Judge.id).where(Judge.competition_id == competition.id, Judge.key == key)).first()
    if exists:
        raise InvalidInput([Problem(zh=f"评委编号“{key}”已存在", en=f"judge key '{key}' is already used", path="key")])
    db.add(Judge(competition_id=competition.id, key=key, name=name.strip()))
    audit.append(
        db,
        actor=actor,
        action="judge.create",
        entity="judge",
        entity_id=key,
        after={"competition": competition_key, "name": name.strip()},
    )
    record_change(db, competition.id, "setup", actor=actor)  # the live boards rebuild
    return {"key": key, "name": name.strip()}


def _check_key(key: str, field: str) -> list[Problem]:
    if is_key(key):
        return []
    return [
        Problem(
            zh=f"{field} 只能含字母、数字、_ 和 -，且以字母开头",
            en=f"{field} may hold only ASCII letters, digits, '_' and '-', starting with a letter",
            path=field,
        )
    ]


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
    problems = _check_key(key, "key")
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
