"""The rows of a competition's publication record: publications (notice, final, withdrawn),
appeals and their decisions, organisation award decisions. All of them are append-only: a
row is added, never changed; what is current is read from the newest rows.

These functions write in the caller's transaction and decide no rule (results/publishing.py
does: when a notice may be published, who may appeal, what a decision needs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scoring.store.live import record_change
from scoring.store.models import Appeal, AppealDecision, OrganisationAward, ResultPublication


def publications(db: Session, competition_id: int) -> list[ResultPublication]:
    """Every publication of the competition, oldest first."""
    return list(
        db.execute(
            select(ResultPublication)
            .where(ResultPublication.competition_id == competition_id)
            .order_by(ResultPublication.seq)
        ).scalars()
    )


def latest_publication(db: Session, competition_id: int) -> ResultPublication | None:
    return db.execute(
        select(ResultPublication)
        .where(ResultPublication.competition_id == competition_id)
        .order_by(ResultPublication.seq.desc())
        .limit(1)
    ).scalar_one_or_none()


def latest_published(db: Session, competition_id: int) -> ResultPublication | None:
    """The newest notice or final (what the public reads), skipping withdrawals."""
    return db.execute(
        select(ResultPublication)
        .where(ResultPublication.competition_id == competition_id, ResultPublication.kind.in_(["notice", "final"]))
        .order_by(ResultPublication.seq.desc())
        .limit(1)
    ).scalar_one_or_none()


def add_publication(
    db: Session,
    *,
    competition_id: int,
    seq: int,
    kind: str,
    version: int,
    deadline: datetime | None,
    snapshot: dict[str, Any],
    audit_seq: int,
    audit_hash: str,
    published_by: str,
    reason: str = "",
    created_at: datetime,
) -> ResultPublication:
    """A publication numbered `seq` (next_seq; the unique (competition, seq) constraint turns a
    racing second publisher into an error, never a gap or a double)."""
    row = ResultPublication(
        competition_id=competition_id,
        seq=seq,
        kind=kind,
        version=version,
        deadline=deadline,
        snapshot=snapshot,
        audit_seq=audit_seq,
        audit_hash=audit_hash,
        published_by=published_by,
        reason=reason,
        created_at=created_at,
    )
    db.add(row)
    db.flush()
    return row


def announce_publication(db: Session, row: ResultPublication) -> None:
    """Number the publication as a live change (after its audit record: the order every writer
    takes the audit head and the live head in)."""
    record_change(
        db,
        row.competition_id,
        "publication",
        payload={"kind": row.kind, "version": row.version},
        actor=row.published_by,
    )


def next_seq(db: Session, competition_id: int) -> int:
    return (
        db.execute(
            select(func.max(ResultPublication.seq)).where(ResultPublication.competition_id == competition_id)
        ).scalar()
        or 0
    ) + 1


@dataclass(frozen=True)
class AppealState:
    """An appeal with its decisions, newest decision last (the one that holds)."""

    appeal: Appeal
    decisions: list[AppealDecision]

    @property
    def outcome(self) -> str | None:
        return self.decisions[-1].outcome if self.decisions else None


def appeals_of(db: Session, competition_id: int, publication_id: int | None = None) -> list[AppealState]:
    """The competition's appeals (of one publication when given), oldest first, with decisions."""
    query = select(Appeal).where(Appeal.competition_id == competition_id)
    if publication_id is not None:
        query = query.where(Appeal.publication_id == publication_id)
    appeals = list(db.execute(query.order_by(Appeal.id)).scalars())
    decisions: dict[int, list[AppealDecision]] = {}
    if appeals:
        for d in db.execute(
            select(AppealDecision)
            .where(AppealDecision.appeal_id.in_([a.id for a in appeals]))
            .order_by(AppealDecision.id)
        ).scalars():
            decisions.setdefault(d.appeal_id, []).append(d)
    return [AppealState(a, decisions.get(a.id, [])) for a in appeals]


def add_appeal(db: Session, **fields: Any) -> Appeal:
    row = Appeal(**fields)
    db.add(row)
    db.flush()
    return row


def add_decision(db: Session, appeal_id: int, outcome: str, reason: str, decided_by: str) -> AppealDecision:
    row = AppealDecision(appeal_id=appeal_id, outcome=outcome, reason=reason, decided_by=decided_by)
    db.add(row)
    db.flush()
    return row


def add_organisation_award(
    db: Session, competition_id: int, award_key: str, unit_key: str, action: str, reason: str, decided_by: str
) -> OrganisationAward:
    row = OrganisationAward(
        competition_id=competition_id,
        award_key=award_key,
        unit_key=unit_key,
        action=action,
        reason=reason,
        decided_by=decided_by,
    )
    db.add(row)
    db.flush()
    return row


def organisation_awards(db: Session, competition_id: int) -> list[OrganisationAward]:
    """Every organisation award decision, oldest first."""
    return list(
        db.execute(
            select(OrganisationAward)
            .where(OrganisationAward.competition_id == competition_id)
            .order_by(OrganisationAward.id)
        ).scalars()
    )


def standing_organisation_awards(db: Session, competition_id: int) -> list[OrganisationAward]:
    """The give decisions that still stand (not withdrawn since), in the order given."""
    standing: dict[tuple[str, str], OrganisationAward] = {}
    for row in organisation_awards(db, competition_id):
        if row.action == "give":
            standing.pop((row.award_key, row.unit_key), None)
            standing[(row.award_key, row.unit_key)] = row
        else:
            standing.pop((row.award_key, row.unit_key), None)
    return list(standing.values())
