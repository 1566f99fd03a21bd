"""A round's sheets as light rows for reading: the chief's console and the panel results read a
whole round on every change (100 judges x 14 entries is 1,400 sheets), so they take plain rows
of the columns they use (entry, judge, device, state, version, marks), not version objects with
their notes, dates and audit columns.

A version's marks are decoded once per process: a version row never changes, so its id names its
marks. Given what names the database (`database`: its address, the competition and its creation,
as the other kept answers are keyed), a read takes the round's rows without the marks column and
fetches the marks of the versions it has not kept yet (after a submission: that one version's),
keeping them least recently used first out. The marks dicts handed back are shared between reads:
read them, never change them.

Reading only; writing sheets is scoring/store/sheets.py's. `current_sheets` there gives whole
versions for the callers that need them (locking, exports).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, NamedTuple

from sqlalchemy import Table, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from scoring.kept import Kept
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

#: The same rows with each version's id in place of its marks (the marks kept by id are not read).
ROUND_SHEET_IDS = ROUND_SHEETS.with_only_columns(
    SHEETS.c.entry_key, JUDGES.c.key, SHEETS.c.device, VERSIONS.c.state, VERSIONS.c.version, VERSIONS.c.id
)
MARKS_OF = select(VERSIONS.c.id, VERSIONS.c.marks).where(VERSIONS.c.id.in_(bindparam("ids", expanding=True)))
KEEP_MARKS = 20_000  # a few rounds of 100 judges x 14 entries, with their versions before
BATCH = 500  # ids a statement (below every database's limit of parameters)
#: (database, version id) -> that version's marks, decoded
_MARKS: Kept[dict[str, str]] = Kept(KEEP_MARKS)


def round_sheets(db: Session, round_id: int, database: Hashable | None = None) -> list[SheetRow]:
    """Every sheet of the round that has a version or a device, ordered by entry and judge. With
    `database` (what names the database and the competition), each version's marks are kept by
    its id and read once per process; without, read and decoded with the rows."""
    connection = db.connection()
    if database is None:
        rows: Any = connection.execute(ROUND_SHEETS, {"round": round_id}).all()
        return [
            SheetRow(entry, judge, device or "", state or "new", version or 0, marks or {})
            for entry, judge, device, state, version, marks in rows
        ]
    rows = connection.execute(ROUND_SHEET_IDS, {"round": round_id}).all()
    keys: list[Hashable] = [(database, row[5]) for row in rows if row[5] is not None]
    kept = _MARKS.get_many(keys)
    missing = [key[1] for key in keys if key not in kept]  # type: ignore[index]
    for start in range(0, len(missing), BATCH):
        read: dict[Hashable, dict[str, str]] = {(database, vid): marks or {} for vid, marks in connection.execute(
            MARKS_OF, {"ids": missing[start : start + BATCH]}
        )}  # fmt: skip
        _MARKS.put_many(read)
        kept |= read
    return [
        SheetRow(entry, judge, device or "", state or "new", version or 0, kept[(database, vid)] if vid else {})
        for entry, judge, device, state, version, vid in rows
    ]


def with_versions(rows: list[SheetRow]) -> list[SheetRow]:
    """The rows of sheets that have a version (a device alone is no sheet written)."""
    return [row for row in rows if row.version]
