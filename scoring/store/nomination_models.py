"""Tables of a selection by nomination (推荐 -> 专家审议 -> 公示 -> 名单发布): the call with its
rules, the units' nominations, the experts' ballots, the lists published (notice, final), the
public's objections (异议) and their decisions.

Append-only, except the call (its rules and stage change, each change audited): a nomination,
a ballot (an expert's newer ballot stands, the older stays), a list, an objection and a
decision are only ever added.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scoring.store.models import Base, UtcDateTime, utcnow


class NominationCall(Base):
    """A competition's call for nominations: its rules, its panel (judges' keys), its counting
    rule and its stage (open, deliberation, notice, final)."""

    __tablename__ = "nomination_calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), unique=True)
    title_zh: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str] = mapped_column(String(255))
    intro_zh: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    min_service_years: Mapped[int] = mapped_column(Integer, default=0)
    front_line_required: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_quota: Mapped[int | None] = mapped_column(Integer, nullable=True)
    region_quota: Mapped[int | None] = mapped_column(Integer, nullable=True)
    regions: Mapped[Any] = mapped_column(JSON)  # unit key -> region
    panel: Mapped[Any] = mapped_column(JSON)  # judges' keys
    counting: Mapped[Any] = mapped_column(JSON)  # method, seats, threshold, tie
    stage: Mapped[str] = mapped_column(String(16), default="open")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Nomination(Base):
    """A unit's nomination of one candidate; the photo is a file named by its SHA-256."""

    __tablename__ = "nominations"
    __table_args__ = (UniqueConstraint("call_id", "unit_key", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("nomination_calls.id"))
    unit_key: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(64), default="")
    client_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    post: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(64), default="")  # optional; English pages show it
    post_en: Mapped[str] = mapped_column(String(128), default="")
    years_of_service: Mapped[int] = mapped_column(Integer)
    front_line: Mapped[bool] = mapped_column(Boolean)
    story_zh: Mapped[str] = mapped_column(Text)
    story_en: Mapped[str] = mapped_column(Text, default="")
    photo_sha256: Mapped[str] = mapped_column(String(64))
    photo_type: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DeliberationBallot(Base):
    """An expert's ballot: approve/reject per nomination ({id: vote}) or a ranking ([ids])."""

    __tablename__ = "deliberation_ballots"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("nomination_calls.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"))
    choices: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NominationList(Base):
    """A list published: `notice` (公示, open to objections until `deadline`) or `final`
    (名单发布), with what it holds frozen in `snapshot` and the audit head of its moment."""

    __tablename__ = "nomination_lists"
    __table_args__ = (UniqueConstraint("call_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("nomination_calls.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    deadline: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    snapshot: Mapped[Any] = mapped_column(JSON)
    audit_seq: Mapped[int] = mapped_column(Integer)
    audit_hash: Mapped[str] = mapped_column(String(64))
    published_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NominationObjection(Base):
    """An objection (异议) to a nominee on a notice, from anyone, with a name and a contact."""

    __tablename__ = "nomination_objections"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("nomination_lists.id"))
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"))
    name: Mapped[str] = mapped_column(String(64))
    contact: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ObjectionDecision(Base):
    """The organiser's decision on an objection: upheld (the nominee leaves the list) or
    dismissed, with reasons."""

    __tablename__ = "objection_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("nomination_objections.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
