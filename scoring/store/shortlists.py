"""Storing a call's shortlists (入围名单): append-only, the newest in force; publishing one
lets the public call page show it. Which works a shortlist takes is scoring/shortlist.py; moving
them into the next round is the organiser's use case (organiser/works_review.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.refusals import NotFound
from scoring.store import audit
from scoring.store.works_models import WorkShortlist


def latest_shortlist(db: Session, call_id: int) -> WorkShortlist | None:
    return db.execute(
        select(WorkShortlist).where(WorkShortlist.call_id == call_id).order_by(WorkShortlist.id.desc()).limit(1)
    ).scalar_one_or_none()


def record_shortlist(
    db: Session, call_id: int, rule: str, value: str, entries: list[str], next_round_id: int | None, actor: str
) -> WorkShortlist:
    row = WorkShortlist(
        call_id=call_id, rule=rule, value=value, entries=entries, next_round_id=next_round_id, made_by=actor
    )
    db.add(row)
    db.flush()
    audit.append(
        db,
        actor=actor,
        action="works.shortlist",
        entity="work_call",
        entity_id=str(call_id),
        after={"rule": rule, "value": value, "entries": entries, "next_round": next_round_id},
    )
    return row


def publish_shortlist(db: Session, call_id: int, actor: str) -> WorkShortlist:
    """Make the shortlist in force public (a new row, the same list, published)."""
    current = latest_shortlist(db, call_id)
    if current is None:
        raise NotFound("还没有入围名单", "there is no shortlist yet")
    row = WorkShortlist(
        call_id=call_id,
        rule=current.rule,
        value=current.value,
        entries=list(current.entries),
        next_round_id=current.next_round_id,
        published=True,
        made_by=actor,
    )
    db.add(row)
    db.flush()
    audit.append(db, actor=actor, action="works.shortlist_publish", entity="work_call", entity_id=str(call_id))
    return row
