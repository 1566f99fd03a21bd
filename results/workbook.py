"""Results as files: an XLSX workbook (a sheet per table of results/export_tables.py), CSV of one
table, and JSON of everything.

Every score is written as text, exactly as `format_decimal` gives it: an XLSX number is a binary
double, which cannot hold 0.1 exactly and drops the places a score has (85.50 would show as
85.5), and a results sheet must show what was computed, digit for digit. A place is written as
a number when it is a plain one (so a sheet sorts by it) and as text when shared ("=2").

Every cell, header and note passes through `neutralised` (results/spreadsheet.py): a team named
"=HYPERLINK(...)" is data, never a formula, in Excel or WPS (openpyxl itself takes a text
beginning with "=" for a formula; after neutralising none does).

Provisional results say so in the file's first row (and the caller's file name says so too).
Headers are two rows in the workbook (zh, then en); CSV and JSON use the columns' keys, the
ones `scoring compute` prints.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from results.export_tables import PROVISIONAL_NOTICE, ExportTable
from results.from_store import StoredResults
from results.spreadsheet import as_text_cell, neutralised

SHEET_NAME_LIMIT = 31  # Excel's limit on a sheet's name


def notice_lines(table: ExportTable, provisional: bool) -> list[str]:
    """The lines above a table: provisional or not, then the table's own notes (zh / en)."""
    lines = [f"{PROVISIONAL_NOTICE[0]} / {PROVISIONAL_NOTICE[1]}"] if provisional else []
    lines += [zh if zh == en else f"{zh} / {en}" for zh, en in table.notes]
    return [str(as_text_cell(line)) for line in lines]


def _sheet_name(key: str, taken: set[str]) -> str:
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in key)[:SHEET_NAME_LIMIT] or "sheet"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f"~{n}"
        name, n = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _cell(sheet: WriteOnlyWorksheet, value: object, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula, whatever it begins with
    if bold:
        cell.font = Font(bold=True)
    return cell


def _place_value(value: str) -> object:
    return int(value) if value.isdigit() else value


def write_sheet(sheet: WriteOnlyWorksheet, table: ExportTable, provisional: bool) -> None:
    for line in notice_lines(table, provisional):
        sheet.append([_cell(sheet, line, bold=True)])
    columns = list(table.frame.columns)
    zh = neutralised(pd.DataFrame(columns=[table.header(c)[0] for c in columns])).columns
    en = neutralised(pd.DataFrame(columns=[table.header(c)[1] for c in columns])).columns
    sheet.append([_cell(sheet, h, bold=True) for h in zh])
    sheet.append([_cell(sheet, h, bold=True) for h in en])
    place = columns.index("place") if "place" in columns else -1
    # rows as plain values, which openpyxl writes far faster than cell objects: after
    # `neutralised` no text begins with "=", the one start openpyxl would take for a formula
    for row in neutralised(table.frame).itertuples(index=False, name=None):
        values = list(row)
        if place >= 0:
            values[place] = _place_value(values[place])
        sheet.append(values)


def write_workbook(tables: Sequence[ExportTable], provisional: bool) -> bytes:
    """The workbook: one sheet per table, in order (overall, events, award lists, marks)."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        write_sheet(book.create_sheet(_sheet_name(table.key, taken)), table, provisional)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(table: ExportTable, provisional: bool) -> str:
    """One table as CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese right): the
    notice lines, then the columns' keys, then the rows."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    for line in notice_lines(table, provisional):
        writer.writerow([line])
    safe = neutralised(table.frame)
    writer.writerow(list(safe.columns))
    writer.writerows(safe.itertuples(index=False, name=None))
    return out.getvalue()


def _records(table: ExportTable) -> dict[str, Any]:
    return {
        "title": {"zh": table.title[0], "en": table.title[1]},
        "columns": [{"key": c, "zh": table.header(c)[0], "en": table.header(c)[1]} for c in table.frame.columns],
        "notes": [{"zh": zh, "en": en} for zh, en in table.notes],
        "rows": table.frame.to_dict(orient="records"),
    }


def write_json(stored: StoredResults, tables: Sequence[ExportTable]) -> str:
    """Everything as one JSON document; every number is a string, exactly as computed."""
    competition = stored.competition
    document: dict[str, Any] = {
        "competition": {"key": competition.key, "name": competition.name},
        "view": str(stored.view),
        "provisional": stored.provisional,
        "notice": {"zh": PROVISIONAL_NOTICE[0], "en": PROVISIONAL_NOTICE[1]} if stored.provisional else None,
        "waiting_for": list(stored.waiting_for),
        "tables": {t.key: _records(t) for t in tables},
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
