"""Tables. Exact numbers are stored as text (SQLite has no exact decimal type); times as UTC.

Append-only tables: sheet_versions and audit_records are only ever inserted into. The current
state of a sheet is its latest version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal kept exactly, as its text."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else format(value, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite returns naive ones otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """An organiser (or another account that signs in with a password)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))  # organiser, or quiz_master (of one competition)
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competitions.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Competition(Base):
    __tablename__ = "competitions"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    document: Mapped[str] = mapped_column(Text)  # the competition file as loaded
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("competition_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    key: Mapped[str] = mapped_column(String(64))
    name_zh: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("competition_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    key: Mapped[str] = mapped_column(String(64))
    unit_key: Mapped[str] = mapped_column(String(64))
    name_zh: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))


class Contestant(Base):
    __tablename__ = "contestants"
    __table_args__ = (UniqueConstraint("competition_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    unit_key: Mapped[str] = mapped_column(String(64))
    team_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    role: Mapped[str] = mapped_column(String(32))


class RubricVersion(Base):
    """A rubric (or quiz rules) as a validated document. A new upload is a new version; the
    versions marks were made with never change."""

    __tablename__ = "rubric_versions"
    __table_args__ = (UniqueConstraint("competition_id", "key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("competition_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(16))
    title_zh: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str] = mapped_column(String(255))
    weight: Mapped[Decimal] = mapped_column(DecimalText)
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    # marks count for results once the round is locked; True: submitted sheets count before that
    results_before_lock: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))


class Round(Base):
    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("event_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    key: Mapped[str] = mapped_column(String(64))
    publication: Mapped[str] = mapped_column(String(16), default="open")  # open, locked, notice, final


class Judge(Base):
    __tablename__ = "judges"
    __table_args__ = (UniqueConstraint("competition_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    pin_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    token_version: Mapped[int] = mapped_column(Integer, default=1)  # raising it revokes access links
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class PanelSeat(Base):
    """A judge on the panel of one event round; `chief` marks the chief judge. `marks` is False
    for a chief seated as referee who keeps the desk and the console but marks no sheet."""

    __tablename__ = "panel_seats"
    __table_args__ = (UniqueConstraint("round_id", "judge_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"))
    chief: Mapped[bool] = mapped_column(Boolean, default=False)
    marks: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Sheet(Base):
    """One judge's sheet for one entry in one round; its content lives in its versions."""

    __tablename__ = "sheets"
    __table_args__ = (UniqueConstraint("round_id", "entry_key", "judge_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    entry_key: Mapped[str] = mapped_column(String(64))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"))
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("rubric_versions.id"))
    # The one device the judge marks this sheet on ("" = none yet); only the chief judge releases it.
    device: Mapped[str] = mapped_column(String(128), default="", server_default="")


class SheetVersion(Base):
    """Append-only: every save, submit, return, correction and lock of a sheet."""

    __tablename__ = "sheet_versions"
    # a client id identifies a change of one sheet: ids are scoped to the sheet, so no one can
    # squat an id another sheet (or the server) will use
    __table_args__ = (UniqueConstraint("sheet_id", "version"), UniqueConstraint("sheet_id", "client_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheets.id"))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    marks: Mapped[dict[str, str]] = mapped_column(JSON)
    notes: Mapped[dict[str, str]] = mapped_column(JSON)
    client_id: Mapped[str] = mapped_column(String(64))
    payload_digest: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(128))
    device: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditRecord(Base):
    """Append-only, hash-chained: each record carries the hash of the one before. `hash` is an
    HMAC with the chain's key, whose id is `key_id`; "" marks a record written without a key
    (plain SHA-256: stores made before the chain was keyed, and tests' bare sessions)."""

    __tablename__ = "audit_records"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC, hashed as written
    actor: Mapped[str] = mapped_column(String(128))
    address: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(128))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16), default="", server_default="")


class AuditHead(Base):
    """The last record of the chain (one row), so that deleting the newest records shows."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class Draw(Base):
    """A draw of lots for a round, with the seed that replays it and who drew it. Append-only:
    a redraw is a new row (the newest of a purpose is the one in force) with its reason."""

    __tablename__ = "draws"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    purpose: Mapped[str] = mapped_column(String(16))  # order, stations, checkin, codes
    seed: Mapped[str] = mapped_column(String(32))  # an integer, as text (exact on every database)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    drawn_by: Mapped[str] = mapped_column(String(128))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why it replaced the one before


class EntryCode(Base):
    """A blind event's drawn code for an entry: judges see the code, organisers the mapping."""

    __tablename__ = "entry_codes"
    __table_args__ = (UniqueConstraint("round_id", "entry_key"), UniqueConstraint("round_id", "code"))
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    entry_key: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32))


class QuizAnswer(Base):
    """Append-only: one record of a quiz round's log, as the quiz master made it: an answer (`kind`
    its question type), a question put (`kind` "question", `outcome` its type, `number`), the end
    of the regular questions ("end"), or an undo ("undo") voiding the record whose seq is `voids`
    (scoring/events/quiz_log.py)."""

    __tablename__ = "quiz_answers"
    __table_args__ = (
        UniqueConstraint("round_id", "seq"),
        UniqueConstraint("round_id", "client_id"),
        UniqueConstraint("round_id", "voids"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    seq: Mapped[int] = mapped_column(Integer)
    team_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    stake: Mapped[str] = mapped_column(String(16), default="")
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    voids: Mapped[int | None] = mapped_column(Integer, nullable=True)
    client_id: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SignIn(Base):
    """A signed-in session, kept on the server: the browser's cookie holds only its token, so
    signing out or revoking a judge ends it at once, wherever the cookie was copied to. Only
    the token's SHA-256 is stored."""

    __tablename__ = "sign_ins"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("judges.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class OfficialValues(Base):
    """Append-only: the values an official enters for one entry of a round, not a judge's marks
    (a theory paper's answers, a degree of difficulty, an official's time). The current values
    of an entry are its latest version; keys are a criterion, or "attempt/criterion"."""

    __tablename__ = "official_values"
    __table_args__ = (
        UniqueConstraint("round_id", "entry_key", "version"),
        UniqueConstraint("round_id", "entry_key", "client_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    entry_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict[str, str]] = mapped_column(JSON)
    client_id: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ResultPublication(Base):
    """Append-only: one act of publishing a competition's results, with what was published
    (`snapshot`, frozen) and the audit head of that moment. `kind` is notice (公示, open to
    appeal until `deadline`), final, or withdrawn (a notice taken back for a correction);
    `version` is the final version it is (or, for a notice, the one it prepares)."""

    __tablename__ = "result_publications"
    __table_args__ = (UniqueConstraint("competition_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    snapshot: Mapped[Any] = mapped_column(JSON)
    audit_seq: Mapped[int] = mapped_column(Integer)
    audit_hash: Mapped[str] = mapped_column(String(64))
    published_by: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Appeal(Base):
    """An appeal (申诉) lodged during a notice, by a team's leader or by the organiser on the
    team's behalf; its decisions are in appeal_decisions."""

    __tablename__ = "appeals"
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    publication_id: Mapped[int] = mapped_column(ForeignKey("result_publications.id"))
    team_key: Mapped[str] = mapped_column(String(64))
    lodged_by: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text)
    attachment_name: Mapped[str] = mapped_column(String(255), default="")
    attachment_type: Mapped[str] = mapped_column(String(100), default="")
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    client_id: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AppealDecision(Base):
    """Append-only: the chief judge's or the arbitration committee's (仲裁委员会) decision on an
    appeal, upheld or dismissed, with reasons."""

    __tablename__ = "appeal_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id"))
    outcome: Mapped[str] = mapped_column(String(16))  # upheld, dismissed
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OrganisationAward(Base):
    """Append-only: the organiser's decision to give (or take back) an organisation award
    (优秀组织奖) to a unit, with the reason recorded."""

    __tablename__ = "organisation_awards"
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    award_key: Mapped[str] = mapped_column(String(64))
    unit_key: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # give, withdraw
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LiveHead(Base):
    """A competition's live sequence number: the seq of its newest change on the boards. Bumped
    by an UPDATE in the transaction of the change it numbers, so seqs are gapless and in
    commit order."""

    __tablename__ = "live_heads"
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)


class LiveChange(Base):
    """Append-only: one change the live boards must show (a sheet counted, a round locked, a
    publication, a quiz action, officials' values, a freeze, a reveal step), numbered by its
    competition's seq. It names what changed, never marks; `payload` holds a control's state
    (a freeze's frozen public board, a reveal's step)."""

    __tablename__ = "live_changes"
    __table_args__ = (UniqueConstraint("competition_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), nullable=True)
    entries: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)  # None: any entry of the round
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    actor: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


# Tables kept in modules of their own, imported here so that Base.metadata knows every table
# wherever the models are imported (the migrations test compares it with the migrated schema).
from scoring.store import works_models  # noqa: E402, F401
