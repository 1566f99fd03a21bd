"""Exported cells never run as formulas in a spreadsheet; plain numbers stay numbers."""

from __future__ import annotations

import pandas as pd

from results.spreadsheet import as_text_cell, neutralised


def test_text_that_would_run_as_a_formula_is_quoted_and_numbers_are_not():
    assert as_text_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert as_text_cell("=3") == "'=3"
    assert as_text_cell("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert as_text_cell("@SUM(A1)") == "'@SUM(A1)"
    assert as_text_cell("-2+3") == "'-2+3"
    assert as_text_cell("\t=1") == "'\t=1"
    assert [as_text_cell(v) for v in ("-3.5", "+2", "0", "12.50", "张三", "")] == [
        "-3.5",
        "+2",
        "0",
        "12.50",
        "张三",
        "",
    ]
    assert as_text_cell(7) == 7


def test_every_cell_and_header_of_an_exported_table_is_neutralised():
    frame = pd.DataFrame({"place": ["=1", "=1", "3"], "=name": ["=cmd", "王五", "-1.5"]})
    out = neutralised(frame)
    assert list(out.columns) == ["place", "'=name"]
    assert out.to_dict(orient="list") == {"place": ["'=1", "'=1", "3"], "'=name": ["'=cmd", "王五", "-1.5"]}
    assert frame.iloc[0, 0] == "=1"  # the original is left as it was
