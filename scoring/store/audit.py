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
with key_id "" and a plain SHA-256 hash, and `verify_chain` says so: with the deployment's key,
an unkeyed record after a keyed one is a finding, and so is a chain with no keyed record at all.
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
from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Finding:
    seq: int | None
    zh: str
    en: str

    def __str__(self) -> str:
        where = f"record {self.seq}: " if self.seq is not None else ""
        return f"{where}{self.zh} / {self.en}"


@dataclass
class Report:
    """What `verify_chain` found: no findings means the chain and every sheet version are whole."""

    records: int = 0
    findings: list[Finding] = field(default_factory=list)
    key_id: str = ""  # the key the check used ("" without one)
    keyed: int = 0  # records keyed with it
    unkeyed_prefix: int = 0  # records 1..n written before the chain was keyed
    versions: int = 0  # sheet versions checked against their records
    head: Head | None = None  # the last record read
    notes: list[Finding] = field(default_factory=list)  # what is not a finding but should be said


def _span(seqs: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for seq in seqs:
        if spans and spans[-1][1] == seq - 1:
            spans[-1] = (spans[-1][0], seq)
        else:
            spans.append((seq, seq))
    return spans


def _range(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first}–{last}"


def verify(session: Session) -> tuple[int, list[Finding]]:
    """(records read, problems found); no problems means the chain is whole (`verify_chain`)."""
    report = verify_chain(session)
    return report.records, report.findings


def verify_chain(session: Session, anchors: Iterable[Head] = ()) -> Report:
    """Check the whole chain with the session's key, every stored sheet version against its
    record, and each head printed earlier (`anchors`). Reads only; run it in a fresh session,
    which reads one snapshot (REPEATABLE READ on PostgreSQL, IMMEDIATE on SQLite)."""
    if not session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    key = session_key(session)
    kid = key_id(key) if key else ""
    report = Report(key_id=kid)
    findings = report.findings
    expected_seq, expected_prev = 1, GENESIS
    deleted = 0
    unkeyed_after_keyed: list[int] = []
    other_keys: dict[str, list[int]] = {}
    versions: dict[tuple[str, int], tuple[int, Any]] = {}
    hashes: dict[int, str] = {}
    wanted = {anchor.seq for anchor in anchors}
    for r in session.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars():
        report.records += 1
        if r.seq != expected_seq:
            deleted += max(r.seq - expected_seq, 0)
            missing = _range(expected_seq, r.seq - 1)
            findings.append(
                Finding(
                    r.seq,
                    f"之前的记录 {missing} 缺失（被删除）",
                    f"record(s) {missing} before it are missing (deleted)",
                )
            )
        elif r.prev_hash != expected_prev:
            findings.append(
                Finding(
                    r.seq,
                    "与前一条记录的链接不符（前面的记录被改动、插入或删除）",
                    "its link to the record before does not match (a record before it was edited, inserted or deleted)",
                )
            )
        fields = (r.seq, r.at, r.actor, r.address, r.action, r.entity, r.entity_id, r.before, r.after, r.prev_hash)
        checkable = True
        if not r.key_id:
            if report.keyed or other_keys:
                unkeyed_after_keyed.append(r.seq)
            elif key is not None:
                report.unkeyed_prefix = r.seq
            actual = record_hash(*fields)
        elif key is not None and r.key_id == kid:
            report.keyed += 1
            actual = record_hash(*fields, key=key)
        else:
            other_keys.setdefault(r.key_id, []).append(r.seq)
            checkable, actual = False, ""
        if checkable and actual != r.hash:
            findings.append(
                Finding(
                    r.seq,
                    "内容与其哈希不符（记录被改动或伪造）",
                    "its content does not match its hash (the record was edited or forged)",
                )
            )
        if r.entity == "sheet" and isinstance(r.after, dict) and isinstance(r.after.get("version"), int):
            versions.setdefault((r.entity_id, r.after["version"]), (r.seq, r.after))
        if r.seq in wanted:
            hashes[r.seq] = r.hash
        expected_seq, expected_prev = r.seq + 1, r.hash
    last_seq = expected_seq - 1
    report.head = Head(last_seq, expected_prev) if report.records else None

    for first, last in _span(unkeyed_after_keyed):
        findings.append(
            Finding(
                first,
                f"记录 {_range(first, last)} 没有用密钥签名，却在已签名的记录之后：能写数据库的人都能写出这样的记录"
                "（链被改写，或有进程未配置部署的密钥）",
                f"record(s) {_range(first, last)} carry no key although records before them do: anyone who can "
                "write the database could have written them (the chain was rewritten, or a process ran without "
                "the deployment's key)",
            )
        )
    for other, seqs in other_keys.items():
        for first, last in _span(seqs):
            if key is None:
                zh = f"记录 {_range(first, last)} 由密钥 {other} 签名，但本次校验没有密钥，无法校验"
                en = f"record(s) {_range(first, last)} are keyed (key id {other}) but this check has no key"
            else:
                zh = (
                    f"记录 {_range(first, last)} 由另一密钥（编号 {other}）签名，不是本部署的密钥（编号 {kid}），"
                    "无法校验（密钥被更换，或这是另一部署的数据库）"
                )
                en = (
                    f"record(s) {_range(first, last)} were made with another key (id {other}), not this "
                    f"deployment's (id {kid}): they cannot be checked (the secret changed, or the store is "
                    "another deployment's)"
                )
            findings.append(Finding(first, zh, en))

    stored = session.execute(select(HEADS.c.seq, HEADS.c.hash).where(HEADS.c.id == 1)).one_or_none()
    if stored is None and report.records:
        findings.append(
            Finding(
                None, "链尾（audit_head）缺失（被删除）", "the chain's recorded end (audit_head) is missing (deleted)"
            )
        )
    elif stored is not None and (stored.seq != last_seq or stored.hash != expected_prev):
        if stored.seq > last_seq:
            deleted += stored.seq - last_seq
            findings.append(
                Finding(
                    None,
                    f"最新的记录 {last_seq + 1}–{stored.seq} 缺失（被删除）",
                    f"the newest record(s) {last_seq + 1} to {stored.seq} are missing (deleted)",
                )
            )
        else:
            findings.append(
                Finding(
                    None,
                    "链尾与记录不符（有记录被追加或改动）",
                    "the chain's recorded end does not match its last record (a record was added or "
                    "edited outside the application)",
                )
            )
    if report.records == 0:
        findings.append(
            Finding(
                None,
                "审计日志没有任何记录：scoring init 创建的数据库至少有一条记录，日志被清空了",
                "the audit log has no records: every store scoring init makes has some, so the log was wiped",
            )
        )
    elif key is not None and report.keyed == 0 and not other_keys:
        findings.append(
            Finding(
                None,
                "没有一条记录用本部署的密钥签名：整条链可能被不知道密钥的人重写",
                "no record is keyed with this deployment's key: the whole chain could have been rewritten by "
                "someone who does not hold the key",
            )
        )
    elif report.unkeyed_prefix and report.keyed:
        report.notes.append(
            Finding(
                None,
                f"记录 1–{report.unkeyed_prefix} 写于日志启用密钥之前，由其后第一条签名记录担保",
                f"records 1 to {report.unkeyed_prefix} were written before the chain was keyed; the first keyed "
                "record after them vouches for them",
            )
        )

    _check_versions(session, report, versions, deleted)

    for anchor in anchors:
        found = hashes.get(anchor.seq)
        if found is None:
            findings.append(
                Finding(
                    None,
                    f"没有第 {anchor.seq} 条记录：导出过的链尾 {anchor} 已不在链上（链被截短或重写）",
                    f"there is no record {anchor.seq}: the head exported as {anchor} is no longer in the chain "
                    "(it was cut back or rewritten)",
                )
            )
        elif not hmac.compare_digest(found, anchor.hash):
            findings.append(
                Finding(
                    anchor.seq,
                    f"与导出的链尾 {anchor} 不符：导出之后链被重写",
                    f"does not match the head exported as {anchor}: the chain was rewritten after it was exported",
                )
            )
    return report


def _check_versions(
    session: Session, report: Report, recorded: dict[tuple[str, int], tuple[int, Any]], deleted: int
) -> None:
    """Every stored sheet version against the record of it: same digest (or, for a record from
    before digests, the same state, marks, reason and device); a version without a record; a
    record whose version is gone. Versions without a record are notes, not findings, when the
    chain already reports at least as many records deleted: their records are among those."""
    unrecorded: list[Finding] = []
    rows = session.execute(
        select(Sheet, SheetVersion).join(Sheet, Sheet.id == SheetVersion.sheet_id).order_by(Sheet.id, SheetVersion.id)
    )
    for sheet, version in rows:
        report.versions += 1
        entity = sheet_entity(sheet.round_id, sheet.entry_key, sheet.judge_id)
        found = recorded.pop((entity, version.version), None)
        if found is None:
            unrecorded.append(
                Finding(
                    None,
                    f"评分表 {entity} 第 {version.version} 版没有审计记录（在应用之外插入，或其记录被删除）",
                    f"sheet {entity} version {version.version} has no audit record (it was inserted outside the "
                    "application, or its record was deleted)",
                )
            )
            continue
        seq, after = found
        if "digest" in after:
            same = hmac.compare_digest(str(after["digest"]), version_digest(sheet, version))
        else:  # recorded before versions were digested: what the record kept of it
            same = (
                after.get("state") == version.state
                and after.get("marks") == version.marks
                and after.get("reason", "") == (version.reason or "")
                and after.get("device", "") == version.device
            )
        if not same:
            report.findings.append(
                Finding(
                    seq,
                    f"评分表 {entity} 第 {version.version} 版的内容与本记录不符（评分、状态或其他内容在写入后被改动）",
                    f"sheet {entity} version {version.version} does not match this record of it (its marks, state "
                    "or other content were changed after it was written)",
                )
            )
    for (entity, number), (seq, _) in sorted(recorded.items(), key=lambda item: item[1][0]):
        report.findings.append(
            Finding(
                seq,
                f"所记录的评分表 {entity} 第 {number} 版不存在（被删除）",
                f"the sheet version it records, {entity} version {number}, is missing (deleted)",
            )
        )
    if unrecorded and len(unrecorded) <= deleted:
        report.notes.extend(unrecorded)  # the deleted records the chain reports were theirs
    else:
        report.findings.extend(unrecorded)
