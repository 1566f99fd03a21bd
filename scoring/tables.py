"""Read a CSV or XLSX sheet into text columns, keeping each row's number in the file.

Numbers stay text here so that nothing passes through a binary float; the caller parses them
to Decimal. Row numbers count the header as row 1, as a spreadsheet shows them.

Every table anyone can upload (a roster, paper marks, a marks file) is read here, and the
reading is bounded: the file's size, its rows, its columns and the time spent are capped
(`LIMITS`), and a file over a cap is refused with the cap in the message, before it can grow
the server's memory. An XLSX file's declared dimension is ignored (a small file can claim a
sheet of 16,384 columns); rows are streamed and counted as they come.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scoring.problems import InvalidInput, Problem


@dataclass(frozen=True)
class TableLimits:
    bytes: int = 20 * 1024 * 1024
    rows: int = 200_000
    columns: int = 100
    cell_chars: int = 2_000
    seconds: float = 20.0


LIMITS = TableLimits()


def refuse(path: Path | str, zh: str, en: str) -> InvalidInput:
    return InvalidInput([Problem(zh=zh, en=en, file=str(Path(path).name))])


def read_table(path: str | Path, limits: TableLimits = LIMITS) -> pd.DataFrame:
    p = Path(path)
    if not p.is_file():
        raise InvalidInput([Problem(zh="文件不存在", en="file not found", file=str(p))])
    size = p.stat().st_size
    if size > limits.bytes:
        raise refuse(
            p,
            f"文件过大（{size} 字节），上限 {limits.bytes} 字节",
            f"the file is too large ({size} bytes); the limit is {limits.bytes} bytes",
        )
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(p, limits)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(p, limits)
    else:
        raise refuse(p, "只支持 .csv 和 .xlsx 文件", "only .csv and .xlsx files are supported")
    if not rows:
        return pd.DataFrame({"row": []})
    width = len(rows[0][1])
    header = [str(h).strip().lower() if h else f"column{i + 1}" for i, h in enumerate(rows[0][1])]
    body = [cells[:width] + [""] * (width - len(cells)) for _, cells in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=str)
    frame["row"] = [number for number, _ in rows[1:]]
    return frame


def text_categories(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The table with each of `columns` (those it has) as a categorical whose categories are the
    column's distinct values in the order they first appear: each distinct text is kept once and
    each row holds a small integer code, so checking a million marks reads their distinct values
    only (scoring.marks.clean_text). The values are unchanged (a missing one stays missing)."""
    coded = {}
    for column in columns:
        if column in frame.columns and not isinstance(frame[column].dtype, pd.CategoricalDtype):
            codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object))
            dtype = pd.CategoricalDtype(pd.Index(uniques, dtype=object))
            coded[column] = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    return frame.assign(**coded) if coded else frame


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with a `row` column; one that has none is numbered as a file would be (the
    header is row 1), so that problems in a table made in memory name rows too."""
    if "row" in frame.columns:
        return frame
    return frame.assign(row=range(2, len(frame) + 2))


class _Bounds:
    """Counts rows and columns as they are read and refuses the file at the first cap passed."""

    def __init__(self, path: Path, limits: TableLimits) -> None:
        self.path, self.limits, self.start = path, limits, time.monotonic()

    def row(self, cells: list[str], number: int) -> list[str]:
        limits = self.limits
        while cells and cells[-1] == "":
            cells.pop()  # empty cells at the end of a row are no columns
        if number > limits.rows + 1:
            raise refuse(
                self.path, f"行数超过上限 {limits.rows} 行", f"the file has more than {limits.rows} rows (the limit)"
            )
        if len(cells) > limits.columns:
            raise refuse(
                self.path,
                f"第 {number} 行超过 {limits.columns} 列（上限）",
                f"row {number} has more than {limits.columns} columns (the limit)",
            )
        for cell in cells:
            if len(cell) > limits.cell_chars:
                raise refuse(
                    self.path,
                    f"第 {number} 行有单元格超过 {limits.cell_chars} 个字符（上限）",
                    f"row {number} has a cell longer than {limits.cell_chars} characters (the limit)",
                )
        if number % 1000 == 0 and time.monotonic() - self.start > limits.seconds:
            raise refuse(
                self.path,
                f"读取超过 {limits.seconds:g} 秒（上限），文件过大或过于复杂",
                f"reading took more than {limits.seconds:g} s (the limit); the file is too large or too complex",
            )
        return cells


Rows = list[tuple[int, list[str]]]  # (row number in the file, cells); rows with no value are left out


def _csv_rows(path: Path, limits: TableLimits) -> Rows:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(
            path, f"文件不是 UTF-8 编码（第 {exc.start} 字节）", f"the file is not UTF-8 text (byte {exc.start})"
        ) from None
    bounds = _Bounds(path, limits)
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    rows: Rows = []
    line = 0
    try:
        for line, cells in enumerate(reader, start=1):
            if line == 1 or any(c.strip() for c in cells):
                rows.append((line, bounds.row([c.strip() for c in cells], line)))
    except csv.Error as exc:
        raise refuse(
            path, f"无法读取表格（第 {line + 1} 行）：{exc}", f"cannot read the table (row {line + 1}): {exc}"
        ) from None
    return rows


def _xlsx_rows(path: Path, limits: TableLimits) -> Rows:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise refuse(path, f"无法打开 Excel 文件：{exc}", f"cannot open the Excel file: {exc}") from None
    bounds = _Bounds(path, limits)
    rows: Rows = []
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # ignore the declared dimension: never pad rows to it
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):  # streamed
            cells = [_cell_text(v) for v in values[: limits.columns + 1]]
            if len(values) > limits.columns and any(v is not None for v in values[limits.columns :]):
                cells.append("x")  # a value past the cap: refused as too wide below
            if number == 1 or any(c.strip() for c in cells):
                rows.append((number, bounds.row(cells, number)))
    except InvalidInput:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise refuse(path, f"无法读取 Excel 工作表：{exc}", f"cannot read the Excel sheet: {exc}") from None
    finally:
        book.close()
    return rows


def _cell_text(value: object) -> str:
    """Text of a cell as the user sees it; whole floats lose their '.0', others keep repr digits."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()
