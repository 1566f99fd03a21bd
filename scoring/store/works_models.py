"""Tables of the call for entries (作品征集) and of review away from the venue (评审).

A call belongs to one competition and one round, the review round its works are marked in.
A unit's work (`works`) keeps its content as append-only versions (`work_versions`: each
submission or revision, up to the deadline); its files are stored once by content hash under
the data folder (`work_files` rows say which hash, type and size; the bytes are never in the
database). The organiser's eligibility decisions are append-only (`work_decisions`), the last
one counts. An eligible work becomes an entry (a team row keyed by the work's key) of the
review round. Experts are judges of the competition: `review_experts` gives each its unit
(an expert never reviews their own unit's work), `review_conflicts` what they declared, and
`review_assignments` which entries of a round each expert reviews. `work_shortlists` are
append-only too; the latest is the one in force.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scoring.store.models import Base, UtcDateTime, utcnow


class WorkCall(Base):
    __tablename__ = "work_calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))  # the review round
    title_zh: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str] = mapped_column(String(255))
    notes_zh: Mapped[str] = mapped_column(Text, default="")
    notes_en: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # [{key, zh, en}]
    deadline: Mapped[datetime] = mapped_column(UtcDateTime)
    attachment_max_bytes: Mapped[int] = mapped_column(Integer)
    attachments_max: Mapped[int] = mapped_column(Integer)
    reviews_per_work: Mapped[int] = mapped_column(Integer)
    blind: Mapped[bool] = mapped_column(Boolean, default=True)  # experts never see authors or unit
    published: Mapped[bool] = mapped_column(Boolean, default=False)  # the public call page
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Work(Base):
    __tablename__ = "works"
    __table_args__ = (UniqueConstraint("call_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("work_calls.id"))
    key: Mapped[str] = mapped_column(String(64))  # W001, ...; the entry key once eligible
    unit_key: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str] = mapped_column(String(64))  # the first submission's, so a retry finds it
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WorkVersion(Base):
    """Append-only: a work's content as submitted, then as each revision left it."""

    __tablename__ = "work_versions"
    __table_args__ = (UniqueConstraint("work_id", "version"), UniqueConstraint("work_id", "client_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255))
    authors: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(64))
    abstract: Mapped[str] = mapped_column(Text)
    video_links: Mapped[list[str]] = mapped_column(JSON)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{name, sha256, type, size}]
    client_id: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WorkFile(Base):
    """A file some work version attached, kept at <data dir>/works/<sha256>."""

    __tablename__ = "work_files"
    __table_args__ = (UniqueConstraint("call_id", "sha256"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("work_calls.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)


class WorkDecision(Base):
    """Append-only: the organiser's eligibility check of a work (eligible, or refused with a reason)."""

    __tablename__ = "work_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"))
    version: Mapped[int] = mapped_column(Integer)  # the version decided on
    eligible: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ReviewExpert(Base):
    """An expert of a competition's pool (a judge) and their unit ("" for none)."""

    __tablename__ = "review_experts"
    __table_args__ = (UniqueConstraint("judge_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"))
    unit_key: Mapped[str] = mapped_column(String(64), default="")


class ReviewConflict(Base):
    """A conflict an expert declared with a work: never assigned to it."""

    __tablename__ = "review_conflicts"
    __table_args__ = (UniqueConstraint("judge_id", "work_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"))
    work_key: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")


class ReviewAssignment(Base):
    """One entry of a round that one judge reviews. Where a round has any, its judges see and
    mark only their own (judges/assignments.py)."""

    __tablename__ = "review_assignments"
    __table_args__ = (UniqueConstraint("round_id", "judge_id", "entry_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"))
    entry_key: Mapped[str] = mapped_column(String(64))
    added_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WorkShortlist(Base):
    """Append-only: a shortlist made from the review round (by rank or threshold), the round it
    moves its works into (None: straight to awards) and whether the public may see it."""

    __tablename__ = "work_shortlists"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("work_calls.id"))
    rule: Mapped[str] = mapped_column(String(16))  # rank, threshold
    value: Mapped[str] = mapped_column(String(32))
    entries: Mapped[list[str]] = mapped_column(JSON)  # in rank order
    next_round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), nullable=True)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    made_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
