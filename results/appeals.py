"""Appeals (申诉) against a notice (公示): lodged by a team's leader through the team's link, or
by the organiser on the team's behalf, during the notice and before its deadline, with a
reason and an optional attachment (a PDF or an image, at most 5 MB, checked by its first
bytes); each decided once, upheld or dismissed, with reasons, by the chief judge or the
arbitration committee (仲裁委员会). Each use case runs in the caller's transaction and is
audited. What an upheld appeal leads to (a correction, a new notice) is results/publishing.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from results.stored import competition_row
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict, NotFound
from scoring.store import audit
from scoring.store import models as m
from scoring.store.result_publications import AppealState, add_appeal, add_decision, appeals_of, latest_publication


def now_utc() -> datetime:
    return datetime.now(UTC)


def aware_utc(value: datetime) -> datetime:
    """A time as UTC; one without a zone (SQLite gives such) is taken to be UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


REASON_MAX = 2000
ATTACHMENT_MAX = 5 * 1024 * 1024
ATTACHMENT_TYPES = {"application/pdf": b"%PDF-", "image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}


def checked_reason(reason: str, what: tuple[str, str] = ("理由", "reason")) -> str:
    text = reason.strip()
    if not text:
        raise InvalidInput([Problem(zh=f"请填写{what[0]}", en=f"give the {what[1]}", path="reason")])
    if len(text) > REASON_MAX:
        raise InvalidInput(
            [Problem(zh=f"{what[0]}不能超过 {REASON_MAX} 字", en=f"at most {REASON_MAX} characters", path="reason")]
        )
    return text


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


def check_attachment(attachment: Attachment | None) -> None:
    """At most 5 MB, a PDF, PNG or JPEG whose first bytes say so."""
    if attachment is None:
        return
    problems = []
    if len(attachment.data) > ATTACHMENT_MAX:
        problems.append(Problem(zh="附件不能超过 5 MB", en="the attachment may be at most 5 MB", path="attachment"))
    magic = ATTACHMENT_TYPES.get(attachment.content_type)
    if magic is None or not attachment.data.startswith(magic):
        problems.append(
            Problem(zh="附件只能是 PDF、PNG 或 JPEG", en="the attachment must be a PDF, PNG or JPEG", path="attachment")
        )
    if len(attachment.name) > 255:
        problems.append(Problem(zh="附件名太长", en="the attachment's name is too long", path="attachment"))
    if problems:
        raise InvalidInput(problems)


def lodge_appeal(
    db: Session,
    key: str,
    team_key: str,
    reason: str,
    lodged_by: str,
    attachment: Attachment | None = None,
    client_id: str = "",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Lodge a team's appeal against the current notice, before its deadline. A retry with the
    same client id answers the appeal it made."""
    now = now or now_utc()
    competition = competition_row(db, key)
    if (
        db.execute(select(m.Team.id).where(m.Team.competition_id == competition.id, m.Team.key == team_key)).first()
        is None
    ):
        raise NotFound("没有这个参赛队", f"no team '{team_key}'")
    if client_id:
        for state in appeals_of(db, competition.id):
            if state.appeal.client_id == client_id and state.appeal.team_key == team_key:
                return appeal_view(state, _number(db, competition.id, state.appeal.id))
    reason = checked_reason(reason, ("申诉理由", "reasons of the appeal"))
    check_attachment(attachment)
    notice = latest_publication(db, competition.id)
    if notice is None or notice.kind != "notice":
        raise Conflict("现在没有公示中的成绩，不能申诉", "there are no results on notice to appeal against")
    if notice.deadline is not None and now >= aware_utc(notice.deadline):
        raise Conflict("公示期已结束，不能再申诉", "the notice's deadline has passed; appeals are closed")
    row = add_appeal(
        db,
        competition_id=competition.id,
        publication_id=notice.id,
        team_key=team_key,
        lodged_by=lodged_by,
        reason=reason,
        attachment_name=attachment.name if attachment else "",
        attachment_type=attachment.content_type if attachment else "",
        attachment=attachment.data if attachment else None,
        client_id=client_id[:64],
        created_at=now,
    )
    number = _number(db, competition.id, row.id)
    audit.append(
        db,
        actor=lodged_by,
        action="appeal.lodged",
        entity="appeal",
        entity_id=str(row.id),
        after={
            "number": number,
            "team": team_key,
            "notice": notice.seq,
            "reason": reason,
            "attachment": hashlib.sha256(attachment.data).hexdigest() if attachment else "",
        },
    )
    return appeal_view(AppealState(row, []), number)


def _number(db: Session, competition_id: int, appeal_id: int) -> int:
    """An appeal's number in its competition (1, 2, 3 ... in the order lodged)."""
    return [s.appeal.id for s in appeals_of(db, competition_id)].index(appeal_id) + 1


def appeal_view(state: AppealState, number: int) -> dict[str, Any]:
    a = state.appeal
    return {
        "id": a.id,
        "number": number,
        "team": a.team_key,
        "lodged_by": a.lodged_by,
        "reason": a.reason,
        "attachment": {"name": a.attachment_name, "type": a.attachment_type, "bytes": len(a.attachment)}
        if a.attachment
        else None,
        "created_at": aware_utc(a.created_at).isoformat(),
        "outcome": state.outcome,
        "decisions": [
            {
                "outcome": d.outcome,
                "reason": d.reason,
                "decided_by": d.decided_by,
                "at": aware_utc(d.created_at).isoformat(),
            }
            for d in state.decisions
        ],
    }


def decide_appeal(db: Session, key: str, appeal_id: int, outcome: str, reason: str, decided_by: str) -> dict[str, Any]:
    """Decide an appeal once, upheld or dismissed, with reasons."""
    competition = competition_row(db, key)
    states = {s.appeal.id: s for s in appeals_of(db, competition.id)}
    if appeal_id not in states:
        raise NotFound("没有这项申诉", f"no appeal {appeal_id} in this competition")
    if outcome not in ("upheld", "dismissed"):
        raise InvalidInput([Problem(zh="请选择成立或驳回", en="the outcome is upheld or dismissed", path="outcome")])
    reason = checked_reason(reason, ("决定理由", "reasons of the decision"))
    if states[appeal_id].outcome is not None:
        raise Conflict("这项申诉已经决定", "this appeal is already decided; the decision is final")
    add_decision(db, appeal_id, outcome, reason, decided_by)
    audit.append(
        db,
        actor=decided_by,
        action="appeal.decided",
        entity="appeal",
        entity_id=str(appeal_id),
        after={"outcome": outcome, "reason": reason},
    )
    state = appeals_of(db, competition.id)
    number = [s.appeal.id for s in state].index(appeal_id) + 1
    return appeal_view(next(s for s in state if s.appeal.id == appeal_id), number)
