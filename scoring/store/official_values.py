"""Officials' values of a round, per entry: a theory paper's answers, a degree of difficulty, an
official's time or penalty. Not a judge's marks (those are sheets, scoring/store/sheets.py).

Each entry's values are append-only versions: writing them again makes the next version, and
the latest one counts. A write is idempotent by its client id (unique per round and entry; a
retry with the same values answers with the version it made, with other values it is refused)
and is refused, like a sheet write, once the round is no longer open. Values are kept as text,
keyed by criterion or "attempt/criterion", exactly as the long form of scoring/marks.py has
them (rows with an empty judge). A write may name the version it was based on (the officials'
desk does; an upload does not): when the entry has moved on it is refused (StaleValues, with the
current version), never applied over it. Checking values against the rules is the caller's job
(it has the bound event); this module stores what it is given.

An organiser's upload of a whole file is recorded as well, as one audit record of its own
(`official_values.upload`: the upload's number in the round, the file's name and digest, how
many entries it changed, and the reason given for replacing earlier values); `uploads_of` lists
them, newest first. The audit log is append-only and hash-chained, so the history of a round's
uploads cannot be rewritten without it showing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scoring.marks import MARK_COLUMNS
from scoring.publication import check_sheet_write
from scoring.refusals import Conflict, NotFound
from scoring.store import audit
from scoring.store.live import record_round_change
from scoring.store.models import AuditRecord, OfficialValues, Round

UPLOAD_ACTION = "official_values.upload"


class StaleValues(Conflict):
    """The entry's values have moved past the version the write was based on."""

    kind = "stale-write"

    def __init__(self, version: int, values: Mapping[str, str], base_version: int) -> None:
        self.current = {"version": version, "values": dict(values)}
        super().__init__(
            f"数值已更新为第 {version} 版（提交基于第 {base_version} 版），请刷新后再改",
            f"the values are at version {version}, not {base_version}; reload them and make the change again",
        )

    def details(self) -> dict[str, Any]:
        return {"current": self.current}


def value_key(attempt: str, criterion: str) -> str:
    return f"{attempt}/{criterion}" if attempt else criterion


def split_key(key: str) -> tuple[str, str]:
    attempt, _, criterion = key.rpartition("/")
    return attempt, criterion


def record_values(
    db: Session,
    *,
    round_id: int,
    entry: str,
    values: Mapping[str, str],
    client_id: str,
    author: str,
    reason: str = "",
    base_version: int | None = None,
) -> OfficialValues:
    """Store the next version of one entry's values, in the caller's transaction (a retry by
    client id answers with the version it made; with `base_version`, a stale write is refused)."""
    round_ = db.get(Round, round_id, with_for_update={"read": True})
    if round_ is None:
        raise NotFound("没有这个轮次", f"no round {round_id}")
    check_sheet_write(round_.publication)
    same = db.execute(
        select(OfficialValues).where(
            OfficialValues.round_id == round_id,
            OfficialValues.entry_key == entry,
            OfficialValues.client_id == client_id,
        )
    ).scalar_one_or_none()
    if same is not None:
        if same.values != dict(values):
            raise Conflict(
                f"请求编号 {client_id} 已用于其他数值",
                f"client id {client_id} was already used for other values of entry {entry}",
            )
        return same
    latest = db.execute(
        select(func.max(OfficialValues.version)).where(
            OfficialValues.round_id == round_id, OfficialValues.entry_key == entry
        )
    ).scalar_one()
    if base_version is not None and base_version != (latest or 0):
        now = current_values(db, round_id, entry).get(entry, {})
        raise StaleValues(latest or 0, now, base_version)
    row = OfficialValues(
        round_id=round_id,
        entry_key=entry,
        version=(latest or 0) + 1,
        values=dict(values),
        client_id=client_id,
        author=author,
        reason=reason,
    )
    db.add(row)
    db.flush()
    audit.append(
        db,
        actor=author,
        action="official_values.write",
        entity="official_values",
        entity_id=f"{round_id}/{entry}",
        after={"version": row.version, "values": len(row.values), "reason": reason},
    )
    record_round_change(db, round_id, "officials", [entry], actor=author)
    return row


def record_upload(
    db: Session, *, round_id: int, file: str, digest: str, changed: int, unchanged: int, reason: str, author: str
) -> int:
    """Audit one upload of a file to the round (after its entries' versions are written, in the
    same transaction) and return its number: 1 for the round's first upload, then 2, 3, ..."""
    number = len(uploads_of(db, round_id)) + 1
    audit.append(
        db,
        actor=author,
        action=UPLOAD_ACTION,
        entity="round",
        entity_id=str(round_id),
        after={"upload": number, "file": file, "sha256": digest, "changed": changed, "unchanged": unchanged}
        | {"reason": reason},
    )
    return number


def uploads_of(db: Session, round_id: int) -> list[dict[str, Any]]:
    """The round's uploads, newest first: number, file, digest, entries changed and unchanged,
    reason, who and when (UTC, ISO 8601)."""
    rows = db.execute(
        select(AuditRecord.at, AuditRecord.actor, AuditRecord.after)
        .where(
            AuditRecord.action == UPLOAD_ACTION,
            AuditRecord.entity == "round",
            AuditRecord.entity_id == str(round_id),
        )
        .order_by(AuditRecord.seq.desc())
    ).all()
    return [dict(after or {}) | {"at": at, "author": actor} for at, actor, after in rows]


def current_values(db: Session, round_id: int, entry_key: str | None = None) -> dict[str, dict[str, str]]:
    """The latest values of every entry of the round that has any (or of one entry)."""
    mine = OfficialValues.round_id == round_id
    if entry_key is not None:
        mine = mine & (OfficialValues.entry_key == entry_key)
    newest = (
        select(OfficialValues.entry_key, func.max(OfficialValues.version).label("version"))
        .where(mine)
        .group_by(OfficialValues.entry_key)
        .subquery()
    )
    rows = db.execute(
        select(OfficialValues)
        .join(
            newest,
            (newest.c.entry_key == OfficialValues.entry_key) & (newest.c.version == OfficialValues.version),
        )
        .where(OfficialValues.round_id == round_id)
        .order_by(OfficialValues.entry_key)
    ).scalars()
    return {row.entry_key: dict(row.values) for row in rows}


def values_with_versions(db: Session, round_id: int) -> dict[str, tuple[int, dict[str, str]]]:
    """Each entry's latest version number and values (entries with none are left out)."""
    newest = (
        select(OfficialValues.entry_key, func.max(OfficialValues.version).label("version"))
        .where(OfficialValues.round_id == round_id)
        .group_by(OfficialValues.entry_key)
        .subquery()
    )
    rows = db.execute(
        select(OfficialValues.entry_key, OfficialValues.version, OfficialValues.values)
        .join(
            newest,
            (newest.c.entry_key == OfficialValues.entry_key) & (newest.c.version == OfficialValues.version),
        )
        .where(OfficialValues.round_id == round_id)
    ).all()
    return {entry: (version, dict(values)) for entry, version, values in rows}


def values_table(values: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """Entries' values in the long form (entry, attempt, judge "", criterion, value)."""
    rows = [
        (entry, *_attempt_judge_criterion(key), value)
        for entry, own in sorted(values.items())
        for key, value in own.items()
    ]
    return pd.DataFrame(rows, columns=MARK_COLUMNS)


def _attempt_judge_criterion(key: str) -> tuple[str, str, str]:
    attempt, criterion = split_key(key)
    return attempt, "", criterion
