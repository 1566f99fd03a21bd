"""The audit log: one append-only, hash-chained record of every change.

Each record holds who, when, from where, what, and the state before and after; its hash
covers all of that and the hash of the record before, so editing, inserting or deleting any
record breaks the chain at that point. The newest record is also kept in `audit_head`, so
deleting the newest records shows too. `append` runs inside the caller's transaction: a change
and its audit record commit together or not at all. `verify` reads the whole chain and says
which records were tampered with.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.store.models import AuditHead, AuditRecord

GENESIS = "0" * 64


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
) -> str:
    body = json.dumps(
        [seq, at, actor, address, action, entity, entity_id, before, after, prev_hash],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


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
) -> AuditRecord:
    """Add the next record of the chain; the head row is locked so appends queue up."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
        session.flush()
    seq = head.seq + 1
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    before, after = _plain(before), _plain(after)
    digest = record_hash(seq, at, actor, address, action, entity, entity_id, before, after, head.hash)
    record = AuditRecord(
        seq=seq,
        at=at,
        actor=actor,
        address=address,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        prev_hash=head.hash,
        hash=digest,
    )
    session.add(record)
    head.seq, head.hash = seq, digest
    session.flush()
    return record


def _plain(value: Any) -> Any:
    """JSON-safe and stable: what is hashed is exactly what the database gives back."""
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False, default=str))


@dataclass(frozen=True)
class Finding:
    seq: int | None
    zh: str
    en: str

    def __str__(self) -> str:
        where = f"record {self.seq}: " if self.seq is not None else ""
        return f"{where}{self.zh} / {self.en}"


def verify(session: Session) -> tuple[int, list[Finding]]:
    """(records read, problems found); no problems means the chain is whole."""
    findings: list[Finding] = []
    expected_seq, expected_prev = 1, GENESIS
    count = 0
    for r in session.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars():
        count += 1
        if r.seq != expected_seq:
            missing = f"{expected_seq}" if r.seq == expected_seq + 1 else f"{expected_seq}–{r.seq - 1}"
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
        actual = record_hash(
            r.seq, r.at, r.actor, r.address, r.action, r.entity, r.entity_id, r.before, r.after, r.prev_hash
        )
        if actual != r.hash:
            findings.append(
                Finding(
                    r.seq,
                    "内容与其哈希不符（记录被改动或伪造）",
                    "its content does not match its hash (the record was edited or forged)",
                )
            )
        expected_seq, expected_prev = r.seq + 1, r.hash
    head = session.get(AuditHead, 1)
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.hash != expected_prev):
        if head.seq > last_seq:
            findings.append(
                Finding(
                    None,
                    f"最新的记录 {last_seq + 1}–{head.seq} 缺失（被删除）",
                    f"the newest record(s) {last_seq + 1} to {head.seq} are missing (deleted)",
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
    return count, findings
