"""The live boards' record of changes: each competition's seq and its numbered changes.

Every use case that changes what a board shows (a sheet counted or returned, a round locked or
published, a quiz action, officials' values, a freeze, a reveal step) calls `record_change` in
its own transaction: the competition's seq is bumped by one UPDATE of its `live_heads` row (a
row lock on PostgreSQL, the write lock on SQLite), so seqs are gapless, in commit order, and a
change and its number commit or roll back together. Only after the commit does the web layer
announce the new seq; whoever hears it reads the changes since the seq it holds from here, so
a lost announcement loses nothing.

A change names what changed (a round, its entries), never marks. Freeze and reveal are
controls: their state is the payload of the newest control change (`board_control`).
Nothing here computes a board or decides who may see it (live/ does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scoring.store.fixed_statements import fixed_postgresql
from scoring.store.models import Event, LiveChange, LiveHead, Round, utcnow

# What a change is. Controls decide what the public board shows; the others say what moved.
KINDS = {
    "sheet",  # a judge's or chief's sheet counted, returned or corrected
    "round",  # a round locked, reopened, put on notice or made final
    "publication",  # a publication of results (notice, final, withdrawn)
    "officials",  # officials' values uploaded
    "quiz",  # a quiz master's action (answer, question, undo)
    "setup",  # the roster, an event, a rubric or a draw changed
    "freeze",  # control: the public board frozen (payload: the frozen public board)
    "reveal",  # control: a ceremony step (payload: the step)
    "unfreeze",  # control: the public board live again
}
CONTROLS = {"freeze", "reveal", "unfreeze"}
#: The session.info key under which a transaction's recorded (competition id, seq) wait for its commit.
COMMITTED_SEQS = "live_seqs"
CHANGES: Table = LiveChange.__table__  # type: ignore[assignment]  # appended as plain Core (no unit of work)
INSERT_CHANGE = insert(CHANGES)  # built once; each change's values are its parameters
HEADS: Table = LiveHead.__table__  # type: ignore[assignment]
BUMP = (
    update(HEADS)
    .where(HEADS.c.competition_id == bindparam("competition"))
    .values(seq=HEADS.c.seq + 1)
    .returning(HEADS.c.seq)
)
_BUMPED = BUMP.cte("bumped")
_FIELDS = ("competition_id", "kind", "round_id", "entries", "payload", "actor", "created_at")
#: PostgreSQL: the head bumped (a data-modifying WITH, run once) and the change inserted with its
#: seq, in one statement: one round trip less while the head is locked. No row when the
#: competition has no head yet. SQLite has no such WITH: BUMP, then INSERT_CHANGE. Fixed text
#: (scoring/store/fixed_statements.py): SQLAlchemy would compile it on every execution.
INSERT_CHANGE_BUMPING = fixed_postgresql(
    insert(CHANGES)
    .from_select(
        ["seq", *_FIELDS],
        # parameters named apart from the columns: a key naming a column of live_heads would
        # also be SET by the WITH's UPDATE
        select(_BUMPED.c.seq, *(bindparam(f"new_{name}", type_=CHANGES.c[name].type) for name in _FIELDS)),
        include_defaults=False,
    )
    .add_cte(_BUMPED)
    .returning(CHANGES.c.seq)
)


@dataclass(frozen=True)
class Change:
    seq: int
    kind: str
    round_id: int | None
    entries: list[str] | None
    payload: dict[str, Any] | None
    actor: str
    at: datetime | None = None

    @staticmethod
    def of(row: LiveChange) -> Change:
        return Change(row.seq, row.kind, row.round_id, row.entries, row.payload, row.actor, row.created_at)


def competition_of_round(db: Session, round_id: int) -> int:
    """The competition a round belongs to."""
    found = db.execute(
        select(Event.competition_id).join(Round, Round.event_id == Event.id).where(Round.id == round_id)
    ).scalar_one()
    return int(found)


def record_change(
    db: Session,
    competition_id: int,
    kind: str,
    *,
    round_id: int | None = None,
    entries: Sequence[str] | None = None,
    payload: dict[str, Any] | None = None,
    actor: str = "",
) -> int:
    """Number a change with the competition's next seq, in the caller's transaction; the seq."""
    if kind not in KINDS:
        raise ValueError(f"unknown live change kind {kind!r}")
    values = {
        "competition_id": competition_id,
        "kind": kind,
        "round_id": round_id,
        "entries": None if entries is None else sorted(set(entries)),
        "payload": payload,
        "actor": actor,
    }
    connection = db.connection()
    if connection.dialect.name == "postgresql":
        bumping = {f"new_{name}": value for name, value in (values | {"created_at": utcnow()}).items()}
        bumping["competition"] = competition_id
        found = connection.execute(INSERT_CHANGE_BUMPING, bumping).scalar()
        if found is not None:
            db.info.setdefault(COMMITTED_SEQS, []).append((competition_id, int(found)))
            return int(found)
    bumped = _bump(db, competition_id)
    if bumped is None:  # the competition's first change: its head row is made here
        try:
            with db.begin_nested():
                db.execute(insert(LiveHead).values(competition_id=competition_id, seq=1))
            bumped = 1
        except IntegrityError:  # another transaction made it first: take the next seq after its
            bumped = _bump(db, competition_id)
            assert bumped is not None
    connection.execute(INSERT_CHANGE, values | {"seq": bumped})
    # for whoever opened the transaction: the seqs to announce once it has committed
    db.info.setdefault(COMMITTED_SEQS, []).append((competition_id, int(bumped)))
    return int(bumped)


def _bump(db: Session, competition_id: int) -> int | None:
    found = db.execute(BUMP, {"competition": competition_id}).scalar_one_or_none()
    return None if found is None else int(found)


def record_round_change(
    db: Session,
    round_id: int,
    kind: str,
    entries: Sequence[str] | None = None,
    *,
    actor: str = "",
    payload: dict[str, Any] | None = None,
    competition_id: int | None = None,
) -> tuple[int, int]:
    """`record_change` for a change in a round: (competition id, seq). The caller may name the
    round's competition when it has read it already (a sheet write has)."""
    if competition_id is None:
        competition_id = competition_of_round(db, round_id)
    seq = record_change(db, competition_id, kind, round_id=round_id, entries=entries, payload=payload, actor=actor)
    return competition_id, seq


def head(db: Session, competition_id: int) -> int:
    """The seq of the competition's newest committed change (0 before any)."""
    found = db.execute(select(LiveHead.seq).where(LiveHead.competition_id == competition_id)).scalar_one_or_none()
    return int(found or 0)


def changes_since(db: Session, competition_id: int, seq: int, upto: int | None = None) -> list[Change]:
    """The competition's changes after `seq` (up to `upto`), in order."""
    query = select(LiveChange).where(LiveChange.competition_id == competition_id, LiveChange.seq > seq)
    if upto is not None:
        query = query.where(LiveChange.seq <= upto)
    return [Change.of(c) for c in db.execute(query.order_by(LiveChange.seq)).scalars()]


def board_control(db: Session, competition_id: int, upto: int | None = None) -> Change | None:
    """The newest control change (freeze, reveal or unfreeze) at or before `upto`; None: live."""
    query = select(LiveChange).where(LiveChange.competition_id == competition_id, LiveChange.kind.in_(CONTROLS))
    if upto is not None:
        query = query.where(LiveChange.seq <= upto)
    found = db.execute(query.order_by(LiveChange.seq.desc()).limit(1)).scalar_one_or_none()
    if found is None or found.kind == "unfreeze":
        return None
    return Change.of(found)


def latest_of_kinds(db: Session, competition_id: int, kinds: Sequence[str], upto: int, limit: int) -> list[Change]:
    """The newest changes of these kinds at or before `upto`, newest first (the ticker's)."""
    query = (
        select(LiveChange)
        .where(LiveChange.competition_id == competition_id, LiveChange.kind.in_(kinds), LiveChange.seq <= upto)
        .order_by(LiveChange.seq.desc())
        .limit(limit)
    )
    return [Change.of(c) for c in db.execute(query).scalars()]


def change_at(db: Session, competition_id: int, seq: int) -> Change | None:
    """The change numbered `seq`."""
    found = db.execute(
        select(LiveChange).where(LiveChange.competition_id == competition_id, LiveChange.seq == seq)
    ).scalar_one_or_none()
    return None if found is None else Change.of(found)
