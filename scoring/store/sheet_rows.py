"""A round's sheets as light rows for reading: the chief's console and the panel results read a
whole round on every change (100 judges x 14 entries is 1,400 sheets), so they take plain rows
of the columns they use (entry, judge, device, state, version, marks: each sheet's marks decoded
once), not version objects with their notes, dates and audit columns.

Reading only; writing sheets is scoring/store/sheets.py's. `current_sheets` there gives whole
versions for the callers that need them (locking, exports).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Table, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from scoring.store.models import Judge, Sheet, SheetVersion


class SheetRow(NamedTuple):
    """One sheet of a round as its latest version stands; a sheet tied to a device but not
    written yet is state "new", version 0, no marks."""

    entry: str
    judge: str
    device: str  # "" when no device is tied to it
    state: str
    version: int
    marks: dict[str, str]


SHEETS: Table = Sheet.__table__  # type: ignore[assignment]
VERSIONS: Table = SheetVersion.__table__  # type: ignore[assignment]
JUDGES: Table = Judge.__table__  # type: ignore[assignment]
_NEWEST = (
    select(func.max(VERSIONS.c.version)).where(VERSIONS.c.sheet_id == SHEETS.c.id).correlate(SHEETS).scalar_subquery()
)
#: Built once: every sheet of the round with a version or a device, each with its newest version
#: (the unique (sheet, version) index finds both), ordered by entry and judge as results read them.
ROUND_SHEETS = (
    select(SHEETS.c.entry_key, JUDGES.c.key, SHEETS.c.device, VERSIONS.c.state, VERSIONS.c.version, VERSIONS.c.marks)
    .join(JUDGES, JUDGES.c.id == SHEETS.c.judge_id)
    .outerjoin(VERSIONS, and_(VERSIONS.c.sheet_id == SHEETS.c.id, VERSIONS.c.version == _NEWEST))
    .where(SHEETS.c.round_id == bindparam("round"), or_(VERSIONS.c.id.is_not(None), SHEETS.c.device != ""))
    .order_by(SHEETS.c.entry_key, JUDGES.c.key)
)


def round_sheets(db: Session, round_id: int) -> list[SheetRow]:
    """Every sheet of the round that has a version or a device, ordered by entry and judge."""
    rows: Any = db.connection().execute(ROUND_SHEETS, {"round": round_id}).all()
    return [
        SheetRow(entry, judge, device or "", state or "new", version or 0, marks or {})
        for entry, judge, device, state, version, marks in rows
    ]


def with_versions(rows: list[SheetRow]) -> list[SheetRow]:
    """The rows of sheets that have a version (a device alone is no sheet written)."""
    return [row for row in rows if row.version]
