"""Tables of the online drills (网上练兵): question banks, papers, attempts and answers, finalist
selections. Banks, attempts' seeds, answers and selections are only ever inserted; a paper's
publication and an attempt's submission are the two columns set once after insertion.

An answer is one row of an append-only log: a later answer to the same question of the same
attempt supersedes it (the latest by id counts), and the history stays. Each answer carries the
client's id, unique within its attempt, so a retried request is recognised.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scoring.store.models import Base, DecimalText, UtcDateTime, utcnow


class OnlineBank(Base):
    """One import of a competition's question bank: a new import is a new version; papers keep the
    version they were made from, so a paper is rebuilt from the questions it was drawn from."""

    __tablename__ = "online_banks"
    __table_args__ = (UniqueConstraint("competition_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    version: Mapped[int] = mapped_column(Integer)
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OnlinePaper(Base):
    """A practice level (kind "practice", `level` 1, 2, ...) or a preliminary paper (kind
    "preliminary": one attempt, a time limit, a window)."""

    __tablename__ = "online_papers"
    __table_args__ = (UniqueConstraint("competition_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    title_zh: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str] = mapped_column(String(255))
    bank_id: Mapped[int] = mapped_column(ForeignKey("online_banks.id"))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    pass_mark: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    counts: Mapped[str] = mapped_column(String(8), default="best")  # best, last
    opens_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    time_limit_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OnlineAttempt(Base):
    """One contestant's attempt at a paper, with the seed its paper is built from. `deadline_at`
    is when answers stop being taken (the time limit or the window's end, whichever is first);
    `submitted_at` is set once, by the contestant's submission; an attempt past its deadline and
    never submitted counts as submitted at the deadline."""

    __tablename__ = "online_attempts"
    __table_args__ = (
        UniqueConstraint("paper_id", "contestant_key", "number"),
        UniqueConstraint("paper_id", "contestant_key", "client_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("online_papers.id"))
    contestant_key: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(Integer)
    seed: Mapped[str] = mapped_column(String(32))  # an integer, as text
    client_id: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class OnlineAnswer(Base):
    """Append-only: one answer as given (in the letters the contestant was shown)."""

    __tablename__ = "online_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "client_id"),)  # its index serves reads by attempt
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("online_attempts.id"))
    question_key: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OnlineSelection(Base):
    """Append-only: a selection of finalists from a preliminary by a rule, and the competition
    whose roster they were added to."""

    __tablename__ = "online_selections"
    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("online_papers.id"))
    rule: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(DecimalText)
    finalists: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    target: Mapped[str] = mapped_column(String(64))  # the final's competition key
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
