"""Publishing a competition's results: a public notice (公示) with a deadline, then a final
version; appeals (申诉) decided with reasons; corrections; organisation award decisions.

Each function is one use case in the caller's one transaction, and each is audited.

- A notice is published when every round of every event is locked (or already on notice, or
  final from an earlier version while a correction is published); its rounds move to notice,
  and the published view's results, with the award lists, are frozen in a snapshot that
  carries the audit chain's head of that moment (after the rounds' moves, before the
  publication's own record) and `changes` against the previous publication.
- Appeals are lodged during a notice, before its deadline; each is decided once, upheld or
  dismissed, with reasons, by the chief judge or the arbitration committee (仲裁委员会).
- A final is published from the current notice once every appeal of it is decided and none is
  upheld (an upheld appeal calls for a correction), and once the deadline has passed, unless
  the organiser publishes early with a reason.
- A correction withdraws the notice (rounds back to locked), or, after a final, takes the
  rounds concerned from final back to locked with its reason; the rounds are reopened,
  corrected and locked again through the existing paths, and a new notice then a new final
  version follow. A published version is never changed: each is its own row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from results.appeals import appeal_view, aware_utc, checked_reason, now_utc
from results.awards import AwardList, OrganisationDecision, allocate_awards
from results.from_store import StoredResults, View, results_from_store
from results.snapshot import Why, build_snapshot
from results.stored import competition_row, stored_competition
from scoring.model import Competition
from scoring.problems import InvalidInput, Problem
from scoring.publication import Publication
from scoring.refusals import Conflict, NotFound
from scoring.store import audit
from scoring.store import models as m
from scoring.store.publication import move_publication
from scoring.store.result_publications import (
    add_organisation_award,
    add_publication,
    announce_publication,
    appeals_of,
    latest_publication,
    latest_published,
    next_seq,
    publications,
    standing_organisation_awards,
)


def competition_rounds(db: Session, competition_id: int) -> list[tuple[m.Event, m.Round]]:
    """Every round of every event, in event then round order."""
    rows = db.execute(
        select(m.Event, m.Round)
        .join(m.Round, m.Round.event_id == m.Event.id)
        .where(m.Event.competition_id == competition_id)
        .order_by(m.Event.id, m.Round.id)
    ).all()
    return [(e, r) for e, r in rows]


def organisation_decisions(db: Session, competition_id: int) -> list[OrganisationDecision]:
    return [
        OrganisationDecision(r.award_key, r.unit_key, r.reason, r.decided_by)
        for r in standing_organisation_awards(db, competition_id)
    ]


def award_lists(db: Session, competition_id: int, results: StoredResults) -> list[AwardList]:
    """The award lists of these results with the organiser's standing decisions ([] until the
    overall is there)."""
    if results.overall is None:
        return []
    return allocate_awards(results.competition, results.overall, organisation_decisions(db, competition_id))


def _whys(db: Session, competition_id: int, previous: m.ResultPublication | None) -> list[Why]:
    """Why the results may differ from the previous publication: its upheld appeals (for their
    team) and the corrections recorded since (for everyone)."""
    if previous is None:
        return []
    whys: list[Why] = []
    numbers = {s.appeal.id: n for n, s in enumerate(appeals_of(db, competition_id), start=1)}
    for state in appeals_of(db, competition_id, previous.id):
        if state.outcome == "upheld":
            reason = state.decisions[-1].reason
            n = numbers[state.appeal.id]
            whys.append(Why(state.appeal.team_key, f"申诉 #{n} 成立：{reason}", f"appeal #{n} upheld: {reason}"))
    for row in publications(db, competition_id):
        if row.seq > previous.seq and row.kind == "withdrawn":
            whys.append(Why("", f"更正：{row.reason}", f"correction: {row.reason}"))
    return whys


def _publish(
    db: Session,
    competition_id: int,
    key: str,
    kind: str,
    version: int,
    deadline: datetime | None,
    actor: str,
    now: datetime,
    reason: str = "",
) -> m.ResultPublication:
    """Freeze the published view in a snapshot and store it, then audit the act."""
    results = results_from_store(db, key, View.PUBLISHED)
    if results.overall is None:
        raise Conflict(
            "还有赛项没有可发布的成绩：" + ", ".join(results.waiting_for),
            "some events have no results to publish: " + ", ".join(results.waiting_for),
        )
    head = audit.head(db)
    at = (head.seq, head.hash) if head is not None else (0, "")
    previous = latest_published(db, competition_id)
    seq = next_seq(db, competition_id)
    snapshot = build_snapshot(
        results,
        award_lists(db, competition_id, results),
        kind=kind,
        version=version,
        seq=seq,
        published_at=now,
        deadline=deadline,
        audit=at,
        previous=previous.snapshot if previous is not None else None,
        whys=_whys(db, competition_id, previous),
    )
    row = add_publication(
        db,
        competition_id=competition_id,
        seq=seq,
        kind=kind,
        version=version,
        deadline=deadline,
        snapshot=snapshot,
        audit_seq=at[0],
        audit_hash=at[1],
        published_by=actor,
        reason=reason,
        created_at=now,
    )
    digest = hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    audit.append(
        db,
        actor=actor,
        action=f"results.{kind}",
        entity="competition",
        entity_id=key,
        after={"seq": seq, "version": version, "snapshot_sha256": digest, "reason": reason}
        | ({"deadline": deadline.isoformat()} if deadline else {}),
    )
    announce_publication(db, row)
    return row


def _finals(db: Session, competition_id: int) -> int:
    return sum(1 for p in publications(db, competition_id) if p.kind == "final")


def _summary(row: m.ResultPublication) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "kind": row.kind,
        "version": row.version,
        "deadline": aware_utc(row.deadline).isoformat() if row.deadline else None,
        "audit": {"seq": row.audit_seq, "hash": row.audit_hash},
        "changes": len(row.snapshot.get("changes", [])) if row.kind != "withdrawn" else 0,
    }


def publish_notice(
    db: Session, key: str, deadline: datetime, actor: str, now: datetime | None = None
) -> dict[str, Any]:
    """Publish the results as a notice (公示) open to appeal until `deadline`."""
    now = now or now_utc()
    deadline = aware_utc(deadline)
    if deadline <= now:
        raise InvalidInput(
            [Problem(zh="公示截止时间必须晚于现在", en="the deadline must be in the future", path="deadline")]
        )
    competition = competition_row(db, key)
    latest = latest_publication(db, competition.id)
    if latest is not None and latest.kind == "notice":
        raise Conflict("成绩已在公示中", "the results are already on notice; publish the final or withdraw the notice")
    rounds = competition_rounds(db, competition.id)
    not_ready = [f"{e.key}/{r.key}" for e, r in rounds if r.publication == Publication.OPEN]
    if not_ready:
        raise Conflict(
            "以下轮次尚未锁定，不能公示：" + ", ".join(not_ready),
            "these rounds are not locked yet, so the results cannot go on notice: " + ", ".join(not_ready),
        )
    to_move = [r for _, r in rounds if r.publication == Publication.LOCKED]
    if not to_move:
        raise Conflict("没有需要公示的新成绩", "nothing new to put on notice: no round is locked")
    for round_ in to_move:
        move_publication(db, round_.id, Publication.NOTICE, actor)
    row = _publish(db, competition.id, key, "notice", _finals(db, competition.id) + 1, deadline, actor, now)
    return _summary(row)


def publish_final(
    db: Session, key: str, actor: str, early: bool = False, reason: str = "", now: datetime | None = None
) -> dict[str, Any]:
    """Publish the current notice's results as the next final version."""
    now = now or now_utc()
    competition = competition_row(db, key)
    notice = latest_publication(db, competition.id)
    if notice is None or notice.kind != "notice":
        raise Conflict("没有正在公示的成绩", "there is no notice to make final; publish a notice first")
    appeals = appeals_of(db, competition.id, notice.id)
    open_ = [s.appeal.id for s in appeals if s.outcome is None]
    if open_:
        raise Conflict(f"还有 {len(open_)} 项申诉未决定", f"{len(open_)} appeal(s) of this notice are not decided yet")
    if any(s.outcome == "upheld" for s in appeals):
        raise Conflict(
            "有申诉成立：请撤回公示、更正成绩并重新公示",
            "an appeal was upheld: withdraw the notice, correct the results and publish a new notice",
        )
    deadline = aware_utc(notice.deadline) if notice.deadline else now
    if now < deadline:
        if not early:
            raise Conflict(f"公示期至 {deadline.isoformat()} 才结束", f"the notice runs until {deadline.isoformat()}")
        reason = checked_reason(reason, ("提前发布的理由", "reason for publishing before the deadline"))
    for _, round_ in competition_rounds(db, competition.id):
        if round_.publication == Publication.NOTICE:
            move_publication(db, round_.id, Publication.FINAL, actor)
    row = _publish(db, competition.id, key, "final", notice.version, None, actor, now, reason if early else "")
    return _summary(row)


def _withdrawal(db: Session, competition_id: int, key: str, version: int, reason: str, actor: str) -> dict[str, Any]:
    head = audit.head(db)
    seq = next_seq(db, competition_id)
    row = add_publication(
        db,
        competition_id=competition_id,
        seq=seq,
        kind="withdrawn",
        version=version,
        deadline=None,
        snapshot={"format": 1, "kind": "withdrawn", "seq": seq, "version": version, "reason": reason},
        audit_seq=head.seq if head else 0,
        audit_hash=head.hash if head else "",
        published_by=actor,
        reason=reason,
        created_at=now_utc(),
    )
    audit.append(
        db,
        actor=actor,
        action="results.withdrawn",
        entity="competition",
        entity_id=key,
        after={"seq": seq, "version": version, "reason": reason},
    )
    announce_publication(db, row)
    return _summary(row)


def withdraw_notice(db: Session, key: str, reason: str, actor: str) -> dict[str, Any]:
    """Take the current notice back for a correction: its rounds go back to locked."""
    reason = checked_reason(reason)
    competition = competition_row(db, key)
    notice = latest_publication(db, competition.id)
    if notice is None or notice.kind != "notice":
        raise Conflict("没有正在公示的成绩", "there is no notice to withdraw")
    for _, round_ in competition_rounds(db, competition.id):
        if round_.publication == Publication.NOTICE:
            move_publication(db, round_.id, Publication.LOCKED, actor)
    return _withdrawal(db, competition.id, key, notice.version, reason, actor)


def correct_final(db: Session, key: str, round_ids: Sequence[int], reason: str, actor: str) -> dict[str, Any]:
    """Begin a correction after a final: these rounds go from final back to locked, with the
    reason recorded. The published final versions stay as they are."""
    reason = checked_reason(reason)
    competition = competition_row(db, key)
    latest = latest_publication(db, competition.id)
    if latest is None or latest.kind == "notice":
        raise Conflict(
            "只有最终发布后才能这样更正", "this correction applies after a final; withdraw the notice instead"
        )
    ours = {r.id: r for _, r in competition_rounds(db, competition.id)}
    if not round_ids or any(i not in ours for i in round_ids):
        raise NotFound("本竞赛没有这个轮次", "no such round in this competition")
    for round_id in round_ids:
        move_publication(db, round_id, Publication.LOCKED, actor, correction=reason)
    return _withdrawal(db, competition.id, key, _finals(db, competition.id) + 1, reason, actor)


def decide_organisation_award(
    db: Session,
    key: str,
    award_key: str,
    unit_key: str,
    action: str,
    reason: str,
    actor: str,
    competition: Competition | None = None,
) -> dict[str, Any]:
    """Give an organisation award (优秀组织奖) to a unit, or withdraw it, with the reason."""
    row = competition_row(db, key)
    rules = {a.key: a for a in (competition.awards if competition else _award_rules(db, key))}
    problems = []
    if award_key not in rules or rules[award_key].kind != "organisation":
        problems.append(Problem(zh="没有这个组织奖", en=f"no organisation award '{award_key}'", path="award"))
    if db.execute(select(m.Unit.id).where(m.Unit.competition_id == row.id, m.Unit.key == unit_key)).first() is None:
        problems.append(Problem(zh="没有这个参赛单位", en=f"no unit '{unit_key}'", path="unit"))
    if action not in ("give", "withdraw"):
        problems.append(Problem(zh="请选择授予或撤销", en="the action is give or withdraw", path="action"))
    if problems:
        raise InvalidInput(problems)
    reason = checked_reason(reason)
    standing = {(r.award_key, r.unit_key) for r in standing_organisation_awards(db, row.id)}
    if action == "give" and (award_key, unit_key) in standing:
        raise Conflict("该单位已获此奖", "this unit already has this award")
    if action == "withdraw" and (award_key, unit_key) not in standing:
        raise Conflict("该单位没有此奖", "this unit does not have this award")
    count = rules[award_key].count
    if action == "give" and count is not None and sum(1 for a, _ in standing if a == award_key) >= count:
        raise Conflict(f"此奖最多授予 {count} 个单位", f"this award goes to at most {count} units")
    add_organisation_award(db, row.id, award_key, unit_key, action, reason, actor)
    audit.append(
        db,
        actor=actor,
        action=f"organisation_award.{action}",
        entity="unit",
        entity_id=unit_key,
        after={"award": award_key, "reason": reason},
    )
    return {"award": award_key, "unit": unit_key, "action": action, "reason": reason}


def _award_rules(db: Session, key: str) -> list[Any]:
    return stored_competition(db, key).awards


def publication_record(db: Session, key: str) -> dict[str, Any]:
    """Everything of a competition's publication: its publications, appeals and organisation
    award decisions, for the organiser's page and API."""
    competition = competition_row(db, key)
    return {
        "publications": [
            _summary(p)
            | {"reason": p.reason, "published_by": p.published_by, "at": aware_utc(p.created_at).isoformat()}
            for p in publications(db, competition.id)
        ],
        "appeals": [appeal_view(s, n) for n, s in enumerate(appeals_of(db, competition.id), start=1)],
        "organisation_awards": [
            {"award": r.award_key, "unit": r.unit_key, "reason": r.reason, "decided_by": r.decided_by}
            for r in standing_organisation_awards(db, competition.id)
        ],
    }


def publication_snapshot(db: Session, key: str, seq: int) -> dict[str, Any]:
    competition = competition_row(db, key)
    for p in publications(db, competition.id):
        if p.seq == seq:
            return dict(p.snapshot)
    raise NotFound("没有这次发布", f"no publication {seq}")
