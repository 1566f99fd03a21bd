"""Read a CSV or XLSX sheet into text columns, keeping each row's number in the file.

Numbers stay text here so that nothing passes through a binary float; the caller parses them
to Decimal. Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring.problems import InvalidInput, Problem


def read_table(path: str | Path) -> pd.DataFrame:
    p = Path(path)
    if not p.exists():
        raise InvalidInput([Problem(zh="文件不存在", en="file not found", file=str(p))])
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = _read_xlsx(p)
        elif suffix in (".csv", ".txt"):
            frame = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True)
        else:
            raise InvalidInput(
                [Problem(zh="只支持 .csv 和 .xlsx 文件", en="only .csv and .xlsx files are supported", file=str(p))]
            )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, KeyError) as exc:
        if isinstance(exc, InvalidInput):
            raise
        raise InvalidInput(
            [Problem(zh=f"无法读取表格：{exc}", en=f"cannot read the table: {exc}", file=str(p))]
        ) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame["row"] = range(2, len(frame) + 2)
    return frame


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with a `row` column; one that has none is numbered as a file would be (the
    header is row 1), so that problems in a table made in memory name rows too."""
    if "row" in frame.columns:
        return frame
    return frame.assign(row=range(2, len(frame) + 2))


def _read_xlsx(path: Path) -> pd.DataFrame:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(
            [Problem(zh=f"无法打开 Excel 文件：{exc}", en=f"cannot open the Excel file: {exc}", file=str(path))]
        ) from None
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    if not rows:
        return pd.DataFrame()
    header = [str(h).strip() if h is not None else f"column{i + 1}" for i, h in enumerate(rows[0])]
    body = [[_cell_text(v) for v in row] for row in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=str)


def _cell_text(value: object) -> str:
    """Text of a cell as the user sees it; whole floats lose their '.0', others keep repr digits."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
