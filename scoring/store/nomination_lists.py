"""The lists of a selection by nomination: the proposed list on public notice (网上公示) with a
deadline for objections (异议), the objections lodged by anyone with a name and a contact, the
organiser's decision on each with reasons, then the published list (名单发布).

The notice freezes the tally by the call's stated rule (every candidate's count, the rule in
words) and the selected candidates' public record (name, unit, post, years, story, photo). An
upheld objection takes its nominee off the list; the final list is the notice's list without
them, saying who left and why. Each act is audited in the caller's transaction, and each list
carries the audit head of its moment. What the public may read is `public_lists`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict, NotFound
from scoring.store import audit
from scoring.store.models import Unit
from scoring.store.nomination_models import (
    NominationCall,
    NominationList,
    NominationObjection,
    ObjectionDecision,
)
from scoring.store.nominations import move_stage, nominations_of, open_call_of, tally

REASON_MAX, NAME_MAX, CONTACT_MAX = 2000, 64, 128


def aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def lists_of(db: Session, call_id: int) -> list[NominationList]:
    return list(
        db.execute(
            select(NominationList).where(NominationList.call_id == call_id).order_by(NominationList.seq)
        ).scalars()
    )


def _add_list(
    db: Session, call: NominationCall, kind: str, snapshot: dict[str, Any], deadline: datetime | None, actor: str
) -> NominationList:
    head = audit.head(db)
    seq = (db.execute(select(func.max(NominationList.seq)).where(NominationList.call_id == call.id)).scalar() or 0) + 1
    row = NominationList(
        call_id=call.id,
        seq=seq,
        kind=kind,
        deadline=deadline,
        snapshot=snapshot,
        audit_seq=head.seq if head else 0,
        audit_hash=head.hash if head else "",
        published_by=actor,
    )
    db.add(row)
    db.flush()
    audit.append(
        db,
        actor=actor,
        action=f"nomination_list.{kind}",
        entity="nomination_list",
        entity_id=str(row.id),
        after={
            "seq": seq,
            "deadline": deadline.isoformat() if deadline else None,
            "list": [e["id"] for e in snapshot["list"]],
            "removed": snapshot.get("removed", []),
        },
    )
    return row


def publish_notice(
    db: Session, key: str, deadline: datetime, actor: str, now: datetime | None = None
) -> NominationList:
    """Count the panel's ballots by the call's rule and put the selected on notice until
    `deadline`. Only while the panel deliberates, with at least one ballot counted."""
    now = now or datetime.now(UTC)
    competition, call = open_call_of(db, key)
    if call.stage != "deliberation":
        raise Conflict("只有专家审议后才能公示", "a list goes on notice after the panel's deliberation")
    if aware(deadline) <= now:
        raise InvalidInput(
            [Problem(zh="公示截止时间须在将来", en="the notice's deadline must be in the future", path="deadline")]
        )
    counted = tally(db, call)
    if counted.ballots == 0:
        raise Conflict("评审专家还没有投票", "no expert of the panel has voted yet")
    if not counted.selected:
        raise Conflict("按计票规则没有人选入选", "the counting rule selects no candidate; nothing to put on notice")
    units = {u.key: u for u in db.execute(select(Unit).where(Unit.competition_id == competition.id)).scalars()}
    nominations = {str(n.id): n for n in nominations_of(db, call.id)}
    zh, en = counted.rule.stated()

    def named(candidate: str) -> dict[str, Any]:
        n = nominations[candidate]
        unit = units.get(n.unit_key)
        return {
            "id": n.id,
            "name": n.name,
            "name_en": n.name_en,
            "unit": n.unit_key,
            "region": n.region,
            "unit_name": {"zh": unit.name_zh if unit else n.unit_key, "en": unit.name_en if unit else n.unit_key},
        }

    snapshot = {
        "rule": {"zh": zh, "en": en, **call.counting},
        "panel_size": counted.panel_size,
        "ballots": counted.ballots,
        "counted": [
            named(r.candidate)
            | {
                "approvals": r.approvals,
                "rejections": r.rejections,
                "points": r.points,
                "place": r.place,
                "selected": r.selected,
                "tied_at_cut": r.tied_at_cut,
            }
            for r in counted.rows
        ],
        "list": [
            named(c)
            | {
                "post": nominations[c].post,
                "post_en": nominations[c].post_en,
                "years": nominations[c].years_of_service,
                "story_zh": nominations[c].story_zh,
                "story_en": nominations[c].story_en,
                "photo": nominations[c].photo_sha256,
                "photo_type": nominations[c].photo_type,
            }
            for c in counted.selected
        ],
    }
    move_stage(db, call, "notice", actor)
    return _add_list(db, call, "notice", snapshot, aware(deadline), actor)


@dataclass(frozen=True)
class ObjectionState:
    objection: NominationObjection
    decision: ObjectionDecision | None


def objections_of(db: Session, list_id: int) -> list[ObjectionState]:
    rows = db.execute(
        select(NominationObjection, ObjectionDecision)
        .outerjoin(ObjectionDecision, ObjectionDecision.objection_id == NominationObjection.id)
        .where(NominationObjection.list_id == list_id)
        .order_by(NominationObjection.id)
    ).all()
    return [ObjectionState(o, d) for o, d in rows]


def _bounded(value: str, path: str, words: tuple[str, str], limit: int) -> tuple[str, list[Problem]]:
    text = value.strip()
    if not text:
        return text, [Problem(zh=f"请填写{words[0]}", en=f"give your {words[1]}", path=path)]
    if len(text) > limit:
        return text, [
            Problem(zh=f"{words[0]}不能超过 {limit} 字", en=f"the {words[1]} is at most {limit} characters", path=path)
        ]
    return text, []


def lodge_objection(
    db: Session, key: str, nomination_id: int, name: str, contact: str, reason: str, now: datetime | None = None
) -> NominationObjection:
    """An objection to a nominee on the current notice, before its deadline."""
    now = now or datetime.now(UTC)
    _, call = open_call_of(db, key)
    lists = lists_of(db, call.id)
    notice = lists[-1] if lists else None
    if notice is None or notice.kind != "notice":
        raise Conflict("现在没有公示中的名单", "there is no list on notice")
    if notice.deadline is not None and now >= aware(notice.deadline):
        raise Conflict("公示期已结束，不再受理异议", "the notice's period has ended; objections are closed")
    if nomination_id not in {e["id"] for e in notice.snapshot["list"]}:
        raise InvalidInput(
            [Problem(zh="请选择公示名单中的人选", en="choose a nominee on the notice", path="nomination")]
        )
    name, p1 = _bounded(name, "name", ("姓名", "name"), NAME_MAX)
    contact, p2 = _bounded(contact, "contact", ("联系方式", "contact"), CONTACT_MAX)
    reason, p3 = _bounded(reason, "reason", ("异议理由", "reasons"), REASON_MAX)
    if p1 + p2 + p3:
        raise InvalidInput(p1 + p2 + p3)
    row = NominationObjection(
        list_id=notice.id, nomination_id=nomination_id, name=name, contact=contact, reason=reason, created_at=now
    )
    db.add(row)
    db.flush()
    audit.append(
        db,
        actor=f"public:{name}",
        action="nomination_objection.lodged",
        entity="nomination_objection",
        entity_id=str(row.id),
        after={
            "nomination": nomination_id,
            "notice": notice.seq,
            "name": name,
            "reason": reason,
            "contact": hashlib.sha256(contact.encode()).hexdigest(),
        },
    )
    return row


def decide_objection(
    db: Session, key: str, objection_id: int, outcome: str, reason: str, actor: str
) -> ObjectionDecision:
    """Decide an objection once: upheld (its nominee leaves the list) or dismissed, with reasons;
    before the final list."""
    _, call = open_call_of(db, key)
    objection = db.get(NominationObjection, objection_id)
    lists = {row.id: row for row in lists_of(db, call.id)}
    if objection is None or objection.list_id not in lists:
        raise NotFound("没有这项异议", f"no objection {objection_id} in this selection")
    if outcome not in ("upheld", "dismissed"):
        raise InvalidInput([Problem(zh="请选择成立或不成立", en="the outcome is upheld or dismissed", path="outcome")])
    reason, problems = _bounded(reason, "reason", ("决定理由", "reasons of the decision"), REASON_MAX)
    if problems:
        raise InvalidInput(problems)
    if call.stage != "notice":
        raise Conflict("名单已发布，异议不能再决定", "the list is published; objections can no longer be decided")
    if db.execute(select(ObjectionDecision.id).where(ObjectionDecision.objection_id == objection_id)).first():
        raise Conflict("这项异议已经决定", "this objection is already decided; the decision is final")
    row = ObjectionDecision(objection_id=objection_id, outcome=outcome, reason=reason, decided_by=actor)
    db.add(row)
    db.flush()
    audit.append(
        db,
        actor=actor,
        action="nomination_objection.decided",
        entity="nomination_objection",
        entity_id=str(objection_id),
        after={
            "outcome": outcome,
            "reason": reason,
            "nomination": objection.nomination_id,
            "effect": "removed from the list" if outcome == "upheld" else "none",
        },
    )
    return row


def publish_final(db: Session, key: str, actor: str, now: datetime | None = None) -> NominationList:
    """Publish the list once the notice's period has ended and every objection is decided: the
    notice's list without the nominees an upheld objection names."""
    now = now or datetime.now(UTC)
    _, call = open_call_of(db, key)
    lists = lists_of(db, call.id)
    notice = lists[-1] if lists else None
    if call.stage != "notice" or notice is None or notice.kind != "notice":
        raise Conflict("没有公示中的名单", "there is no list on notice to publish")
    if notice.deadline is not None and now < aware(notice.deadline):
        raise Conflict("公示期尚未结束", "the notice's period has not ended yet")
    states = objections_of(db, notice.id)
    if any(s.decision is None for s in states):
        raise Conflict("还有未决定的异议", "some objections are not decided yet")
    upheld = {
        s.objection.nomination_id: s.decision.reason for s in states if s.decision and s.decision.outcome == "upheld"
    }
    snapshot = dict(notice.snapshot)
    snapshot["notice_seq"] = notice.seq
    snapshot["removed"] = [
        {"id": e["id"], "name": e["name"], "name_en": e.get("name_en", ""), "reason": upheld[e["id"]]}
        for e in notice.snapshot["list"]
        if e["id"] in upheld
    ]
    snapshot["list"] = [e for e in notice.snapshot["list"] if e["id"] not in upheld]
    move_stage(db, call, "final", actor)
    return _add_list(db, call, "final", snapshot, None, actor)


def public_lists(db: Session, key: str) -> tuple[NominationCall, NominationList | None, NominationList | None]:
    """(call, the notice the public reads, the final list) — the latest of each kind."""
    _, call = open_call_of(db, key)
    lists = lists_of(db, call.id)
    notices = [row for row in lists if row.kind == "notice"]
    finals = [row for row in lists if row.kind == "final"]
    return call, notices[-1] if notices else None, finals[-1] if finals else None


def public_entry(db: Session, key: str, nomination_id: int) -> dict[str, Any]:
    """A nominee's public record from the final list, else from the notice; NotFound otherwise
    (the public sees no one before the notice, and no candidate who was not selected)."""
    _, notice, final = public_lists(db, key)
    for published in (final, notice):
        if published is not None:
            for entry in published.snapshot["list"]:
                if entry["id"] == nomination_id:
                    return dict(entry)
            if published is final:
                break
    raise NotFound("没有公布这位人选", "no such published nominee")
