"""Cells written for a spreadsheet are data, never formulas.

A name beginning with = + - @ (or a tab or carriage return) becomes a live formula when a
CSV or XLSX file is opened in Excel or WPS; so does a shared place printed as =3. Every
export passes its cells through `as_text_cell`: such a cell is written with a leading
apostrophe, which spreadsheets read as "this is text". Plain numbers (-3.5, +2) are left as
they are: they are values, not formulas.
"""

from __future__ import annotations

import pandas as pd

from scoring.decimals import parse_decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value: object) -> object:
    """The cell as a spreadsheet should read it: text that could run as a formula is quoted."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if parse_decimal(value) is not None:
        return value
    return "'" + value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with every cell (and header) passed through `as_text_cell`."""
    out = frame.map(as_text_cell)
    out.columns = [as_text_cell(str(c)) for c in frame.columns]
    return out
