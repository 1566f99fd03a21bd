"""The audit log: one append-only, keyed, hash-chained record of every change.

Each record holds who, when, from where, what, and the state before and after; its hash
covers all of that and the hash of the record before, so editing, inserting or deleting any
record breaks the chain at that point. The newest record is also kept in `audit_head`, so
deleting the newest records shows too. `append` runs inside the caller's transaction: a change
and its audit record commit together or not at all.

The chain is keyed: a record's hash is an HMAC-SHA256 with a key kept outside the database (the
server and the `scoring` command derive it from the deployment's secret and hand it to every
session: `session_factory(engine, audit_key=...)`), so whoever can write the database but not
read the secret cannot write a record that verifies. Each record names the key it was made with
(`key_id`, a fingerprint of the key, never the key); a session without a key writes records
with key_id "" and a plain SHA-256 hash, and `verify_chain` (scoring/store/audit_verify.py)
says so: with the deployment's key, an unkeyed record after a keyed one is a finding, and so is
a chain with no keyed record at all.
Unkeyed records before the first keyed one (a store written before the chain was keyed) are
vouched for by that keyed record, whose HMAC covers their hashes through its link.

A record of a sheet version (`sheet.save`, `sheet.submit`, ...) carries the digest of the
version as stored (`version_digest`): `verify_chain` recomputes it for every row of
sheet_versions, so marks changed in the table, versions inserted without a record and versions
deleted are found. The head (`head`: seq and hash of the newest record) can be printed on result
sheets; `verify_chain(session, anchors=[...])` checks that the chain still passes through a head
printed earlier, which finds a chain rewritten by someone who holds the key, or cut back to an
earlier record.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scoring.store.fixed_statements import fixed_postgresql
from scoring.store.models import AuditHead, AuditRecord, Sheet, SheetVersion

GENESIS = "0" * 64
#: where a session carries the chain's key (`session.info`), put there by `session_factory`
KEY_INFO = "audit_key"
#: the tables as plain Core (appends skip the ORM's unit of work)
RECORDS: Table = AuditRecord.__table__  # type: ignore[assignment]
HEADS: Table = AuditHead.__table__  # type: ignore[assignment]
HEAD_FOR_UPDATE = select(HEADS.c.seq, HEADS.c.hash).where(HEADS.c.id == 1).with_for_update()
#: statements built once, with their values as parameters (compiled once, not per record)
INSERT_RECORD = insert(RECORDS)
MOVE_HEAD = update(HEADS).where(HEADS.c.id == 1).values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
#: PostgreSQL: the record inserted and the head moved by one statement (the head's UPDATE a
#: data-modifying WITH, which PostgreSQL runs once, to completion): one round trip less while the
#: head is locked, the span every append of the store waits behind. SQLite has no such WITH.
#: Written as fixed text: SQLAlchemy compiles a statement with such a WITH on every execution.
HEAD_MOVED = MOVE_HEAD.returning(HEADS.c.id).cte("moved_head")
INSERT_RECORD_MOVING_HEAD = fixed_postgresql(insert(RECORDS).add_cte(HEAD_MOVED))


@functools.cache
def _records_moving_head(count: int) -> Any:
    """PostgreSQL: `count` records inserted and the head moved by one statement, built once per
    count with its values as parameters (`<column>_<n>`), as fixed text."""
    rows = [{c.key: bindparam(f"{c.key}_{n}", type_=c.type) for c in RECORDS.c} for n in range(count)]
    return fixed_postgresql(insert(RECORDS).values(rows).add_cte(HEAD_MOVED))


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def key_id(key: bytes) -> str:
    """The key's fingerprint, stored with each record it made: names the key, reveals nothing of it."""
    return hmac.new(key, b"audit key id", hashlib.sha256).hexdigest()[:16]


def session_key(session: Session) -> bytes | None:
    """The chain's key the session carries, if any."""
    key = session.info.get(KEY_INFO)
    return key if isinstance(key, bytes) and key else None


def record_hash(
    seq: int,
    at: str,
    actor: str,
    address: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any,
    after: Any,
    prev_hash: str,
    *,
    key: bytes | None = None,
) -> str:
    """HMAC-SHA256 of the record with `key` (its key id included), or SHA-256 without one."""
    fields: list[Any] = [seq, at, actor, address, action, entity, entity_id, before, after, prev_hash]
    if key is None:
        return hashlib.sha256(_canonical(fields)).hexdigest()
    return hmac.new(key, _canonical([*fields, key_id(key)]), hashlib.sha256).hexdigest()


def sheet_entity(round_id: int, entry_key: str, judge_id: int) -> str:
    """The entity id of a sheet's records: round / entry / judge."""
    return f"{round_id}/{entry_key}/{judge_id}"


def version_digest(sheet: Sheet, version: SheetVersion) -> str:
    """SHA-256 of a stored sheet version's whole content, with the sheet it belongs to."""
    created = version.created_at
    body = {
        "round": sheet.round_id,
        "entry": sheet.entry_key,
        "judge": sheet.judge_id,
        "rubric_version": sheet.rubric_version_id,
        "version": version.version,
        "state": version.state,
        "action": version.action,
        "marks": version.marks,
        "notes": version.notes,
        "client_id": version.client_id,
        "payload_digest": version.payload_digest,
        "author": version.author,
        "device": version.device,
        "reason": version.reason or "",
        "created_at": created.astimezone(UTC).isoformat(timespec="microseconds") if created else None,
    }
    return hashlib.sha256(_canonical(body)).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One record to append: who did what to which entity, with the state before and after."""

    actor: str
    action: str
    entity: str
    entity_id: str
    before: Any = None
    after: Any = None
    address: str = ""


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
    address: str = "",
) -> Head:
    """Add the next record of the chain, keyed with the session's key, and return its point."""
    return append_all(session, [Entry(actor, action, entity, entity_id, before, after, address)])


def append_all(session: Session, entries: list[Entry]) -> Head:
    """Add these records to the chain, in order, and return the point of the last. The head row
    is locked first, so appends queue up; the records are inserted by one statement and the head
    moved once (a sheet's first write appends its tie to the device and the version together).
    Plain statements (SQLAlchemy Core): the ORM's unit of work cost more than the rest of a
    sheet write."""
    assert entries, "nothing to append"
    connection = session.connection()  # the session's own transaction; nothing for the ORM to track
    found = connection.execute(HEAD_FOR_UPDATE).one_or_none()
    if found is None:
        try:  # the chain's first record: its head row is made here
            with session.begin_nested():
                session.execute(insert(HEADS).values(id=1, seq=0, hash=GENESIS))
        except IntegrityError:  # another transaction made it first
            pass
        found = connection.execute(HEAD_FOR_UPDATE).one()
    seq, digest = int(found[0]), str(found[1])
    key = session_key(session)
    kid = key_id(key) if key else ""
    rows = []
    for entry in entries:
        prev_hash, seq = digest, seq + 1
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        before, after = _plain(entry.before), _plain(entry.after)
        digest = record_hash(
            seq, at, entry.actor, entry.address, entry.action, entry.entity, entry.entity_id, before, after,
            prev_hash, key=key,
        )  # fmt: skip
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": entry.actor,
                "address": entry.address,
                "action": entry.action,
                "entity": entry.entity,
                "entity_id": entry.entity_id,
                "before": before,
                "after": after,
                "prev_hash": prev_hash,
                "hash": digest,
                "key_id": kid,
            }
        )
    moved = {"new_seq": seq, "new_hash": digest}
    if connection.dialect.name != "postgresql":
        connection.execute(INSERT_RECORD, rows)
        connection.execute(MOVE_HEAD, moved)
    elif len(rows) == 1:
        connection.execute(INSERT_RECORD_MOVING_HEAD, rows[0] | moved)
    else:  # several records (a sheet's first write: its tie and its version): one multi-row insert
        numbered = {f"{column}_{n}": value for n, row in enumerate(rows) for column, value in row.items()}
        connection.execute(_records_moving_head(len(rows)), numbered | moved)
    return Head(seq, digest)


def _plain(value: Any) -> Any:
    """JSON-safe and stable: what is hashed is exactly what the database gives back."""
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False, default=str))


@dataclass(frozen=True)
class Head:
    """A point of the chain: a record's seq and hash. Printed as `seq:hash`."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @staticmethod
    def parse(text: str) -> Head:
        """`seq:hash` as `head` prints it; ValueError otherwise."""
        seq, sep, digest = text.strip().partition(":")
        digest = digest.lower()
        if not sep or not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a head digest (seq:64 hex digits): {text!r}")
        return Head(int(seq), digest)


def head(session: Session) -> Head | None:
    """The newest record of the chain as the store says (not verified), None for an empty log."""
    row = session.execute(select(HEADS.c.seq, HEADS.c.hash).where(HEADS.c.id == 1)).one_or_none()
    return Head(int(row[0]), str(row[1])) if row is not None and row[0] > 0 else None
