"""A selection by nomination, up to the experts' count: the organiser's call (rules, quotas,
panel, counting rule), a unit's nomination checked against the call and its photo kept under
the data folder by content hash, the experts' ballots, and the tally by the stated rule.

Each function writes in the caller's transaction and is audited; the rules are the core's
(scoring/nomination_rules.py, scoring/deliberation.py). The notice, objections and the final
list are scoring/store/nomination_lists.py.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scoring.deliberation import APPROVE, REJECT, CountingRule, Tally, count_approvals, count_borda
from scoring.nomination_rules import CallRules, NominationForm, check_nomination, photo_type
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict, Forbidden, NotFound
from scoring.store import audit
from scoring.store.models import Competition, Judge, Unit, utcnow
from scoring.store.nomination_models import DeliberationBallot, Nomination, NominationCall

STAGES = ("open", "deliberation", "notice", "final")


@dataclass(frozen=True)
class CallSettings:
    title_zh: str
    title_en: str
    intro_zh: str
    intro_en: str
    rules: CallRules
    panel: tuple[str, ...]
    counting: CountingRule


def competition_of(db: Session, key: str) -> Competition:
    row = db.execute(select(Competition).where(Competition.key == key)).scalar_one_or_none()
    if row is None:
        raise NotFound("没有这个竞赛", f"no competition '{key}'")
    return row


def call_of(db: Session, competition_id: int) -> NominationCall | None:
    return db.execute(
        select(NominationCall).where(NominationCall.competition_id == competition_id)
    ).scalar_one_or_none()


def open_call_of(db: Session, key: str) -> tuple[Competition, NominationCall]:
    competition = competition_of(db, key)
    call = call_of(db, competition.id)
    if call is None:
        raise NotFound("这个竞赛没有推荐评选", "this competition has no call for nominations")
    return competition, call


def rules_of(call: NominationCall) -> CallRules:
    return CallRules(
        call.min_service_years, call.front_line_required, call.unit_quota, call.region_quota, dict(call.regions or {})
    )


def counting_of(call: NominationCall) -> CountingRule:
    c = call.counting or {}
    return CountingRule(c["method"], c.get("seats"), Fraction(c.get("threshold", "2/3")), c.get("tie", "include_tied"))


def set_call(db: Session, key: str, settings: CallSettings, actor: str) -> NominationCall:
    """Make or change the call. Its rules may change while units nominate or experts deliberate,
    never once a list is on notice; the panel names the competition's judges."""
    competition = competition_of(db, key)
    settings.rules.check()
    settings.counting.check()
    problems = []
    if not settings.title_zh.strip() or not settings.title_en.strip():
        problems.append(Problem(zh="请填写中英文标题", en="give the title in Chinese and English", path="title"))
    judges = set(db.execute(select(Judge.key).where(Judge.competition_id == competition.id)).scalars())
    unknown = [k for k in settings.panel if k not in judges]
    if unknown or not settings.panel:
        problems.append(
            Problem(
                zh=f"评审专家须是本竞赛的评委：{'、'.join(unknown) or '（空）'}",
                en=f"the panel names this competition's judges: {', '.join(unknown) or '(none)'}",
                path="panel",
            )
        )
    units = set(db.execute(select(Unit.key).where(Unit.competition_id == competition.id)).scalars())
    strays = [u for u in settings.rules.regions if u not in units]
    if strays:
        problems.append(
            Problem(
                zh=f"地区表中有未知单位：{'、'.join(strays)}",
                en=f"unknown units in the regions: {', '.join(strays)}",
                path="regions",
            )
        )
    if problems:
        raise InvalidInput(problems)
    call = call_of(db, competition.id)
    before = None
    if call is None:
        call = NominationCall(competition_id=competition.id, stage="open")
        db.add(call)
    elif call.stage in ("notice", "final"):
        raise Conflict("名单已公示，规则不能再改", "the list is on notice; the rules can no longer change")
    else:
        before = call_settings_view(call)
    call.title_zh, call.title_en = settings.title_zh.strip(), settings.title_en.strip()
    call.intro_zh, call.intro_en = settings.intro_zh.strip(), settings.intro_en.strip()
    r = settings.rules
    call.min_service_years, call.front_line_required = r.min_service_years, r.front_line_required
    call.unit_quota, call.region_quota, call.regions = r.unit_quota, r.region_quota, dict(r.regions)
    call.panel = list(settings.panel)
    c = settings.counting
    call.counting = {"method": c.method, "seats": c.seats, "threshold": str(c.threshold), "tie": c.tie}
    call.updated_at = utcnow()
    db.flush()
    audit.append(
        db,
        actor=actor,
        action="nomination_call.set",
        entity="nomination_call",
        entity_id=str(call.id),
        before=before,
        after=call_settings_view(call),
    )
    return call


def call_settings_view(call: NominationCall) -> dict[str, Any]:
    return {
        "title": {"zh": call.title_zh, "en": call.title_en},
        "min_service_years": call.min_service_years,
        "front_line_required": call.front_line_required,
        "unit_quota": call.unit_quota,
        "region_quota": call.region_quota,
        "regions": dict(call.regions or {}),
        "panel": list(call.panel or []),
        "counting": dict(call.counting or {}),
        "stage": call.stage,
    }


def move_stage(db: Session, call: NominationCall, to: str, actor: str) -> None:
    """Move the call forward one stage (open -> deliberation -> notice -> final), audited."""
    if STAGES.index(to) != STAGES.index(call.stage) + 1:
        raise Conflict(
            f"现在是“{call.stage}”阶段，不能进入“{to}”", f"the call is at '{call.stage}'; it cannot move to '{to}'"
        )
    before, call.stage, call.updated_at = call.stage, to, utcnow()
    audit.append(
        db,
        actor=actor,
        action="nomination_call.stage",
        entity="nomination_call",
        entity_id=str(call.id),
        before={"stage": before},
        after={"stage": to},
    )


def nominations_of(db: Session, call_id: int) -> list[Nomination]:
    return list(db.execute(select(Nomination).where(Nomination.call_id == call_id).order_by(Nomination.id)).scalars())


def store_photo(photos: Path, data: bytes) -> str:
    """Keep the photo as `<sha256>` in `photos` (made 0700); the same bytes are kept once."""
    digest = hashlib.sha256(data).hexdigest()
    photos.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = photos / digest
    if not target.exists():
        partial = photos / f".{digest}.{os.getpid()}.part"
        partial.write_bytes(data)
        os.replace(partial, target)
    return digest


def nominate(db: Session, key: str, unit_key: str, form: NominationForm, client_id: str, photos: Path) -> Nomination:
    """A unit's nomination, checked against the call's rules and quotas; a retry with the same
    client id answers the nomination it made. Refused whole, nothing stored, on any problem."""
    competition, call = open_call_of(db, key)
    # the call's row locked first: two nominations at once count each other against the quotas
    db.execute(select(NominationCall.id).where(NominationCall.id == call.id).with_for_update())
    unit = db.execute(
        select(Unit).where(Unit.competition_id == competition.id, Unit.key == unit_key)
    ).scalar_one_or_none()
    if unit is None:
        raise NotFound("没有这个单位", f"no unit '{unit_key}'")
    if client_id:
        again = db.execute(
            select(Nomination).where(
                Nomination.call_id == call.id, Nomination.unit_key == unit_key, Nomination.client_id == client_id
            )
        ).scalar_one_or_none()
        if again is not None:
            return again
    if call.stage != "open":
        raise Conflict("推荐已截止", "nominations are closed")
    rules = rules_of(call)
    region = rules.region_of(unit_key)
    held = db.execute(
        select(func.count()).where(Nomination.call_id == call.id, Nomination.unit_key == unit_key)
    ).scalar_one()
    region_held = (
        db.execute(select(func.count()).where(Nomination.call_id == call.id, Nomination.region == region)).scalar_one()
        if region
        else 0
    )
    years = check_nomination(rules, form, held, region_held)  # a unit in no region meets no region quota
    digest = store_photo(photos, form.photo)
    row = Nomination(
        call_id=call.id,
        unit_key=unit_key,
        region=region,
        client_id=client_id[:64] or uuid.uuid4().hex,
        name=form.name.strip(),
        post=form.post.strip(),
        name_en=form.name_en.strip(),
        post_en=form.post_en.strip(),
        years_of_service=years,
        front_line=form.front_line,
        story_zh=form.story_zh.strip(),
        story_en=form.story_en.strip(),
        photo_sha256=digest,
        photo_type=photo_type(form.photo) or "",
    )
    db.add(row)
    db.flush()
    audit.append(
        db,
        actor=f"unit:{unit_key}",
        action="nomination.made",
        entity="nomination",
        entity_id=str(row.id),
        after={
            "unit": unit_key,
            "region": region,
            "name": row.name,
            "post": row.post,
            "name_en": row.name_en,
            "post_en": row.post_en,
            "years": years,
            "front_line": row.front_line,
            "photo": digest,
            "story_zh": row.story_zh,
            "story_en": row.story_en,
        },
    )
    return row


def cast_ballot(db: Session, key: str, judge_id: int, choices: Any) -> DeliberationBallot:
    """An expert's ballot while the panel deliberates: {nomination id: approve|reject} for a
    vote, or nomination ids most preferred first for a Borda count. A newer ballot stands."""
    competition, call = open_call_of(db, key)
    judge = db.get(Judge, judge_id)
    if judge is None or judge.competition_id != competition.id or judge.key not in (call.panel or []):
        raise Forbidden("您不是评审专家组成员", "you are not on this selection's panel")
    if call.stage != "deliberation":
        raise Conflict("现在不是专家审议阶段", "the panel is not deliberating now")
    known = {n.id for n in nominations_of(db, call.id)}
    if counting_of(call).method == "borda":
        ranking = [int(i) for i in choices] if isinstance(choices, list) else None
        if ranking is None or len(set(ranking)) != len(ranking) or not set(ranking) <= known or not ranking:
            raise InvalidInput(
                [
                    Problem(
                        zh="请按顺序排列候选人，每人至多一次", en="rank candidates, each at most once", path="ranking"
                    )
                ]
            )
        stored: Any = ranking
    else:
        votes = {str(k): v for k, v in dict(choices).items()} if isinstance(choices, dict) else {}
        bad = [k for k, v in votes.items() if not k.isdigit() or int(k) not in known or v not in (APPROVE, REJECT)]
        if bad or not votes:
            raise InvalidInput(
                [Problem(zh="每位候选人只能赞成或反对", en="each vote is approve or reject", path="votes")]
            )
        stored = votes
    row = DeliberationBallot(call_id=call.id, judge_id=judge.id, choices=stored)
    db.add(row)
    db.flush()
    audit.append(
        db,
        actor=f"judge:{judge.key}",
        action="deliberation.ballot",
        entity="nomination_call",
        entity_id=str(call.id),
        after={"judge": judge.key, "choices": stored},
    )
    return row


def panels_sat_on(db: Session, judge_id: int) -> list[dict[str, Any]]:
    """The selections whose expert panel the judge sits on (their competition's call, if its panel
    names them): the competition's key, the call's titles and stage, for a link to the ballot."""
    judge = db.get(Judge, judge_id)
    if judge is None:
        return []
    found = db.execute(
        select(NominationCall, Competition.key)
        .join(Competition, Competition.id == NominationCall.competition_id)
        .where(NominationCall.competition_id == judge.competition_id)
    ).all()
    return [
        {"key": key, "zh": call.title_zh, "en": call.title_en, "stage": call.stage}
        for call, key in found
        if judge.key in (call.panel or [])
    ]


def standing_ballots(db: Session, call: NominationCall) -> dict[str, Any]:
    """Each panel expert's newest ballot, by judge key."""
    rows = db.execute(
        select(DeliberationBallot, Judge.key)
        .join(Judge, Judge.id == DeliberationBallot.judge_id)
        .where(DeliberationBallot.call_id == call.id)
        .order_by(DeliberationBallot.id)
    ).all()
    return {judge_key: ballot.choices for ballot, judge_key in rows if judge_key in (call.panel or [])}


def tally(db: Session, call: NominationCall) -> Tally:
    """The panel's standing ballots counted by the call's rule; candidates in nomination order."""
    rule = counting_of(call)
    candidates = [str(n.id) for n in nominations_of(db, call.id)]
    ballots = standing_ballots(db, call)
    if rule.method == "borda":
        return count_borda(rule, candidates, call.panel, {k: [str(i) for i in v] for k, v in ballots.items()})
    return count_approvals(rule, candidates, call.panel, ballots)


def read_photo(photos: Path, digest: str) -> bytes:
    """A kept photo's bytes by its hash (64 hex digits), NotFound when there is none."""
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest) or not (photos / digest).is_file():
        raise NotFound("没有这张照片", "no such photo")
    return (photos / digest).read_bytes()


def photos_dir(uploads: str | Path) -> Path:
    """Where the nominations' photos are kept: in the data folder's uploads, by content hash."""
    return Path(uploads) / "photos"
