"""Storing score sheets so that a mark, once acknowledged, is never lost or silently overwritten.

Every write is a new row in sheet_versions, in one transaction with its audit record, which
carries the digest of the row as stored (so `scoring audit verify` finds a row changed later):
- a retry with the same client-made id returns the version it made the first time and adds
  nothing (the same id with different content is refused);
- a write must say which version it was based on; if the sheet has moved on, it is refused
  with the current version (StaleWrite), never applied over it;
- the state change and the marks are checked by the pure rules in scoring/sheet_rules.py first.
Two writers racing for the same sheet queue on its row (locked for the write's transaction; a
new sheet's row is inserted with ON CONFLICT DO NOTHING, so the second writer waits for the
first and then locks the row the first made): the second then finds the first's version and is
answered as a retry (same client id) or as a stale write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, Table, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scoring.publication import check_sheet_write
from scoring.rubrics.model import Rubric
from scoring.sheet_attempts import check_added_attempts
from scoring.sheet_rules import (
    CHANGES_MARKS,
    NEEDS_COMPLETE,
    Actor,
    SheetAction,
    SheetState,
    TransitionRefused,
    canonical_mark,
    check_sheet_marks,
    next_state,
)
from scoring.store import audit
from scoring.store.live import record_round_change
from scoring.store.models import Judge, Round, Sheet, SheetVersion, utcnow
from scoring.store.sheet_writes import (
    DeviceConflict,
    IdempotencyConflict,
    SheetRejected,
    SheetSnapshot,
    SheetWrite,
    StaleWrite,
)


def _current(session: Session, sheet_id: int) -> Row[Any] | None:
    """The sheet's latest version (its columns), None before the first."""
    return session.execute(LATEST_VERSION, {"sheet": sheet_id}).first()


#: Client ids the server makes for its own writes (a round's lock, a typed-in paper file) begin
#: with this; the API's client id pattern has no "/", so no client can take one.
SERVER_ID_PREFIX = "srv/"


#: The write path's statements, built once (SQLAlchemy Core: a write is a few plain statements,
#: with no ORM unit of work).
SHEETS: Table = Sheet.__table__  # type: ignore[assignment]
VERSIONS: Table = SheetVersion.__table__  # type: ignore[assignment]
ROUNDS: Table = Round.__table__  # type: ignore[assignment]
SHEET_FOR_WRITE = (
    select(SHEETS.c.id, SHEETS.c.device, SHEETS.c.rubric_version_id)
    .where(
        SHEETS.c.round_id == bindparam("round_id"),
        SHEETS.c.entry_key == bindparam("entry_key"),
        SHEETS.c.judge_id == bindparam("judge_id"),
    )
    .with_for_update()
)
NEW_SHEET = insert(SHEETS).returning(SHEETS.c.id)
#: A sheet's row made unless another writer made it first (then no row comes back): the ON
#: CONFLICT clause is each dialect's own; SQLite (>= 3.35) and PostgreSQL both return the id.
NEW_SHEET_UNLESS_MADE = {
    "sqlite": sqlite.insert(SHEETS).on_conflict_do_nothing().returning(SHEETS.c.id),
    "postgresql": postgresql.insert(SHEETS).on_conflict_do_nothing().returning(SHEETS.c.id),
}
TIE_DEVICE = update(SHEETS).where(SHEETS.c.id == bindparam("sheet")).values(device=bindparam("new_device"))
LATEST_VERSION = (
    select(VERSIONS).where(VERSIONS.c.sheet_id == bindparam("sheet")).order_by(VERSIONS.c.version.desc()).limit(1)
)
NEW_VERSION = insert(VERSIONS).returning(VERSIONS.c.id)
_NEWEST = VERSIONS.alias("newest")
#: Read once the sheet's row is locked: the version this client id made (a retry) and the
#: sheet's latest version (0, 1 or 2 rows of them), with the round's publication read under a
#: shared lock (PostgreSQL: FOR SHARE OF rounds; SQLite's write transaction holds the whole
#: file), so the publication cannot move until this write commits. One row with no version
#: before the sheet's first; no row when there is no such round.
VERSIONS_AND_ROUND = (
    select(ROUNDS.c.publication, VERSIONS)
    .select_from(
        ROUNDS.outerjoin(
            VERSIONS,
            and_(
                VERSIONS.c.sheet_id == bindparam("sheet"),
                or_(
                    VERSIONS.c.client_id == bindparam("client"),
                    VERSIONS.c.version
                    == select(func.max(_NEWEST.c.version))
                    .where(_NEWEST.c.sheet_id == bindparam("sheet"))
                    .scalar_subquery(),
                ),
            ),
        )
    )
    .where(ROUNDS.c.id == bindparam("round_id"))
    .with_for_update(read=True, of=ROUNDS)
)


@dataclass(frozen=True)
class _SheetRow:
    """The sheet a write goes to, as the write path reads it."""

    id: int
    device: str
    rubric_version_id: int


def find_sheet(session: Session, round_id: int, entry_key: str, judge_id: int, lock: bool = False) -> Sheet | None:
    """The sheet row of one judge for one entry (locked for the transaction with `lock`)."""
    query = select(Sheet).where(Sheet.round_id == round_id, Sheet.entry_key == entry_key, Sheet.judge_id == judge_id)
    return session.execute(query.with_for_update() if lock else query).scalar_one_or_none()


def current_version(session: Session, round_id: int, entry_key: str, judge_id: int) -> SheetSnapshot | None:
    sheet = find_sheet(session, round_id, entry_key, judge_id)
    row = _current(session, sheet.id) if sheet else None
    return SheetSnapshot.of(row) if row else None


def _latest(round_id: int, entry_key: str | None) -> Any:
    """The latest version number of each sheet of the round (or of one entry in it)."""
    mine = Sheet.round_id == round_id
    if entry_key is not None:
        mine = mine & (Sheet.entry_key == entry_key)
    return (
        select(SheetVersion.sheet_id, func.max(SheetVersion.version).label("version"))
        .join(Sheet, Sheet.id == SheetVersion.sheet_id)
        .where(mine)
        .group_by(SheetVersion.sheet_id)
        .subquery()
    )


def _with_latest(columns: tuple[Any, ...], round_id: int, entry_key: str | None) -> Any:
    """A select of `columns` over the latest version of each sheet, with the sheet and its judge."""
    newest = _latest(round_id, entry_key)
    return (
        select(*columns)
        .join(Judge, Judge.id == Sheet.judge_id)
        .join(newest, newest.c.sheet_id == Sheet.id)
        .join(SheetVersion, (SheetVersion.sheet_id == Sheet.id) & (SheetVersion.version == newest.c.version))
    )


def current_sheets(db: Session, round_id: int, entry_key: str | None = None) -> list[tuple[str, str, SheetVersion]]:
    """(entry key, judge key, latest version) for every sheet of the round (or of one entry in
    it), in sheet order."""
    query = _with_latest((Sheet.entry_key, Judge.key, SheetVersion), round_id, entry_key).order_by(Sheet.id)
    return [(entry, judge, version) for entry, judge, version in db.execute(query)]


def current_states_and_marks(
    db: Session, round_id: int, entry_key: str | None = None
) -> list[tuple[str, str, str, dict[str, str]]]:
    """(entry key, judge key, state, marks) of the latest version of every sheet of the round (or
    of one entry), ordered by entry and judge: the rows results read, without building a
    version object per sheet (a large round has tens of thousands)."""
    columns = (Sheet.entry_key, Judge.key, SheetVersion.state, SheetVersion.marks)
    query = _with_latest(columns, round_id, entry_key).order_by(Sheet.entry_key, Judge.key)
    return [(entry, judge, state, marks) for entry, judge, state, marks in db.execute(query)]


def record_write(session: Session, write: SheetWrite, rubric: Rubric) -> SheetSnapshot:
    """Apply one write in the caller's transaction and return the version it made (or made
    before, for a retry). The sheet's row is locked first, so a writer racing this one for the
    sheet's next version (or with this client id) waits, and is then answered as a retry or as
    a stale write; no savepoint is needed."""
    snapshot = _record(session, write, rubric)
    if not snapshot.replayed and write.action is not SheetAction.SAVE:
        record_round_change(
            session, write.round_id, "sheet", [write.entry_key], actor=write.author, competition_id=write.competition_id
        )
    return snapshot


def record_many(session: Session, writes: list[SheetWrite], rubric: Rubric) -> list[SheetSnapshot]:
    """Apply several writes in the caller's transaction: all of them, or (on the first refusal)
    none, since the refusal rolls the transaction back. Used for typing in a stack of paper
    sheets and for locking a round."""
    try:
        with session.begin_nested():
            snapshots = [_record(session, write, rubric) for write in writes]
    except IntegrityError:
        raise SheetRejected(
            "另一操作同时修改了这些评分表，未保存任何内容，请重试",
            "another change to these sheets happened at the same time; nothing was saved, try again",
        ) from None
    moved = [w for w, s in zip(writes, snapshots, strict=True) if not s.replayed and w.action is not SheetAction.SAVE]
    if moved:
        record_round_change(session, moved[0].round_id, "sheet", [w.entry_key for w in moved], actor=moved[0].author)
    return snapshots


def _sheet_row(
    connection: Connection, round_id: int, entry_key: str, judge_id: int, rubric_version_id: int, device: str, new: bool
) -> tuple[_SheetRow, bool]:
    """The sheet row (locked for this transaction), made on first use, tied to `device` when it
    is made now; and whether it was made now. With `new` (a write based on no version) the row
    is inserted first, else looked up first: one statement either way when the guess is right.
    When another writer makes the row at the same moment, the insert returns nothing (it waited
    for the other's commit on PostgreSQL) and the row the other made is locked instead."""
    where = {"round_id": round_id, "entry_key": entry_key, "judge_id": judge_id}
    if not new:
        found = connection.execute(SHEET_FOR_WRITE, where).first()
        if found is not None:
            return _SheetRow(int(found.id), found.device or "", int(found.rubric_version_id)), False
    made_now = NEW_SHEET_UNLESS_MADE.get(connection.dialect.name, NEW_SHEET)
    made = connection.execute(made_now, where | {"rubric_version_id": rubric_version_id, "device": device}).first()
    if made is not None:
        return _SheetRow(int(made.id), device, rubric_version_id), True
    found = connection.execute(SHEET_FOR_WRITE, where).one()
    return _SheetRow(int(found.id), found.device or "", int(found.rubric_version_id)), False


def _tie(connection: Connection, sheet: _SheetRow, made_now: bool, device: str) -> bool:
    """Tie the sheet to the judge's device on first use (True when it is tied now); refuse any
    other device after that. A write that names no device is another device once it is tied."""
    if made_now:
        return bool(device)  # made with the device already
    if sheet.device:
        if sheet.device != device:
            raise DeviceConflict()
        return False
    if not device:
        return False
    connection.execute(TIE_DEVICE, {"sheet": sheet.id, "new_device": device})
    return True


def _tie_record(entity_id: str, device: str, author: str, address: str) -> audit.Entry:
    """The audit record of a sheet tied to a device."""
    return audit.Entry(
        actor=author,
        address=address,
        action="sheet.bind",
        entity="sheet",
        entity_id=entity_id,
        after={"device": device},
    )


def claim_device(
    session: Session,
    round_id: int,
    entry_key: str,
    judge_id: int,
    rubric_version_id: int,
    device: str,
    author: str,
    address: str = "",
) -> bool:
    """The judge's tablet opens a sheet: bind it to this device (True if it was free), or
    refuse (DeviceConflict) when another device holds it."""
    _open_round(session, round_id)
    connection = session.connection()
    sheet, made_now = _sheet_row(connection, round_id, entry_key, judge_id, rubric_version_id, device, new=False)
    if not _tie(connection, sheet, made_now, device):
        return False
    audit.append_all(session, [_tie_record(audit.sheet_entity(round_id, entry_key, judge_id), device, author, address)])
    return True


def release_device(
    session: Session,
    round_id: int,
    entry_key: str,
    judge_id: int,
    author: str,
    reason: str,
    address: str,
) -> str:
    """The chief judge frees a sheet from its device (the tablet broke, the judge moved); the
    next device to open it takes it. Returns the device released ("" if none). Audited."""
    sheet = find_sheet(session, round_id, entry_key, judge_id, lock=True)
    if sheet is None or not sheet.device:
        return ""
    released, sheet.device = sheet.device, ""
    audit.append(
        session,
        actor=author,
        address=address,
        action="sheet.release",
        entity="sheet",
        entity_id=audit.sheet_entity(round_id, entry_key, judge_id),
        before={"device": released},
        after={"device": "", "reason": reason},
    )
    return released


def _open_round(session: Session, round_id: int, is_lock: bool = False) -> None:
    """Refuse a write to a round that is no longer open (scoring/publication.py). The round's row
    is read with a shared lock, so its publication cannot move until this write commits."""
    round_ = session.get(Round, round_id, with_for_update={"read": True})
    if round_ is None:
        raise SheetRejected("没有这个轮次", f"no round {round_id}")
    check_sheet_write(round_.publication, is_lock)


def _record(session: Session, write: SheetWrite, rubric: Rubric) -> SheetSnapshot:
    if write.actor is Actor.JUDGE and write.client_id.startswith(SERVER_ID_PREFIX):
        raise SheetRejected("请求编号无效", f"client ids beginning with {SERVER_ID_PREFIX} are the server's own")
    connection = session.connection()
    device = write.device if write.actor is Actor.JUDGE else ""
    # The sheet's row is locked first, so a retry racing its own original waits for it and is
    # then answered as the replay it is (PostgreSQL reads the committed original next).
    sheet, made_now = _sheet_row(
        connection,
        write.round_id,
        write.entry_key,
        write.judge_id,
        write.rubric_version_id,
        device,
        new=write.base_version == 0,
    )
    rows = connection.execute(
        VERSIONS_AND_ROUND, {"sheet": sheet.id, "client": write.client_id, "round_id": write.round_id}
    ).all()
    if not rows:
        raise SheetRejected("没有这个轮次", f"no round {write.round_id}")
    for found in rows:
        if found.client_id == write.client_id:  # a retry: the version it made before
            if found.payload_digest != write.digest():
                raise IdempotencyConflict(write.client_id)
            return SheetSnapshot.of(found, replayed=True)
    check_sheet_write(rows[0].publication, write.action is SheetAction.LOCK)
    entity_id = audit.sheet_entity(write.round_id, write.entry_key, write.judge_id)
    records = []
    if write.actor is Actor.JUDGE and _tie(connection, sheet, made_now, write.device):
        records.append(_tie_record(entity_id, write.device, write.author, write.address))
    current = max((found for found in rows if found.version is not None), key=lambda found: found.version, default=None)
    version = current.version if current else 0
    if write.base_version != version:
        raise StaleWrite(SheetSnapshot.of(current) if current else None, write.base_version)
    state = SheetState(current.state) if current else SheetState.NEW
    try:
        target = next_state(state, write.action, write.actor, write.reason, rubric.attempts.count)
    except TransitionRefused as refused:
        raise SheetRejected(refused.zh, refused.en) from None
    marks = (
        {key: canonical_mark(value) for key, value in (write.marks or {}).items()}
        if write.action in CHANGES_MARKS
        else dict(current.marks if current else {})
    )
    notes = dict(write.notes) if write.action in CHANGES_MARKS else dict(current.notes if current else {})
    problems = check_sheet_marks(rubric, marks, complete=write.action in NEEDS_COMPLETE)
    if state is SheetState.SUBMITTED and write.action is SheetAction.SUBMIT and current is not None:
        problems += check_added_attempts(dict(current.marks), marks)  # the next attempt, nothing earlier
    if problems:
        raise SheetRejected(
            "评分有误", "some marks are not valid: " + "; ".join(f"{p.path}: {p.en}" for p in problems), problems
        )
    row = SheetVersion(
        sheet_id=sheet.id,
        version=version + 1,
        state=target.value,
        action=write.action.value,
        marks=marks,
        notes=notes,
        client_id=write.client_id,
        payload_digest=write.digest(),
        author=write.author,
        device=write.device,
        reason=write.reason,
        created_at=utcnow(),
    )  # kept out of the session: inserted by one plain statement
    row.id = connection.execute(
        NEW_VERSION, {c.key: getattr(row, c.key) for c in VERSIONS.c if c.key != "id"}
    ).scalar_one()
    stored_sheet = Sheet(
        id=sheet.id,
        round_id=write.round_id,
        entry_key=write.entry_key,
        judge_id=write.judge_id,
        rubric_version_id=sheet.rubric_version_id,
    )
    before: dict[str, Any] | None = (
        {"version": version, "state": state.value, "marks": current.marks} if current else None
    )
    after = {
        "version": version + 1,
        "state": target.value,
        "marks": marks,
        "reason": write.reason,
        "device": write.device,
        "digest": audit.version_digest(stored_sheet, row),  # binds the stored version to this record
    }
    records.append(
        audit.Entry(write.author, f"sheet.{write.action.value}", "sheet", entity_id, before, after, write.address)
    )
    audit.append_all(session, records)  # the tie (a sheet's first write) and the version: one append
    return SheetSnapshot.of(row)
