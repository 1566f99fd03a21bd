"""Verifying the audit log (scoring/store/audit.py): the chain's links and keyed hashes, the head
row, anchors printed earlier, and every sheet version against the record that made it. Reads
only; `scoring audit verify` (server/cli_audit.py) prints what it finds. Appending is audit.py's."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.store.audit import GENESIS, HEADS, Head, key_id, record_hash, session_key, sheet_entity, version_digest
from scoring.store.models import AuditRecord, Sheet, SheetVersion


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
