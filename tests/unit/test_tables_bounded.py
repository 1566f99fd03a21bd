"""Every uploaded table is read within bounds: a small file that claims a huge sheet, a very
wide header, too many rows or columns, or too many bytes is refused (or read) without growing
the process, and the refusal names the cap."""

from __future__ import annotations

import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from scoring.problems import InvalidInput
from scoring.tables import TableLimits, read_table

ROSTER_HEADER = ["unit", "unit_name", "team", "team_name", "contestant", "name", "role"]


def claimed_dimension_bomb(path: Path, rows: int = 3000) -> Path:
    """An XLSX of `rows` short rows whose <dimension> claims A1:XFD{rows} (16,384 columns)."""
    book = Workbook()
    sheet = book.active
    sheet.append(ROSTER_HEADER)
    for i in range(1, rows):
        sheet.append([f"u{i % 11}", "Unit", f"t{i}", "Team", f"c{i}", "Name", "member"])
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:XFD{rows}"'.encode(), data)
                assert count == 1
            target.writestr(item, data)
    return path


def peak_mib(action) -> tuple[object, float]:
    tracemalloc.start()
    try:
        result = action()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return result, peak


def test_an_xlsx_claiming_a_huge_dimension_is_read_row_by_row(tmp_path):
    bomb = claimed_dimension_bomb(tmp_path / "roster.xlsx")
    assert bomb.stat().st_size < 200_000
    frame, peak = peak_mib(lambda: read_table(bomb))
    assert len(frame) == 2999 and list(frame.columns) == ROSTER_HEADER + ["row"]
    assert frame["row"].iloc[-1] == 3000
    assert peak < 64, f"reading a {bomb.stat().st_size} byte file took {peak:.0f} MiB"


def test_a_very_wide_csv_header_is_refused_early(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(300_000)) + "\n1,2\n", encoding="utf-8")
    assert wide.stat().st_size > 1_800_000
    with pytest.raises(InvalidInput) as refused:
        peak_mib(lambda: read_table(wide))
    assert "100 columns" in refused.value.problems[0].en and refused.value.problems[0].file == "wide.csv"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_rows_columns_cells_and_bytes_have_caps_named_in_the_refusal(tmp_path, suffix):
    limits = TableLimits(bytes=50_000, rows=5, columns=3, cell_chars=10)

    def table(rows: list[list[str]]) -> Path:
        path = tmp_path / f"t{len(rows)}-{len(rows[-1])}{suffix}"
        if suffix == ".csv":
            path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
        else:
            book = Workbook()
            for r in rows:
                book.active.append(r)
            book.save(path)
        return path

    ok = read_table(table([["a", "b"], ["1", "2"]] * 3), limits)
    assert len(ok) == 5
    cases = {
        "more than 5 rows": [["a", "b"]] + [["1", "2"]] * 6,
        "more than 3 columns": [["a", "b", "c", "d"], ["1", "2", "3", "4"]],
        "longer than 10 characters": [["a"], ["x" * 11]],
    }
    for words, rows in cases.items():
        with pytest.raises(InvalidInput, match=words):
            read_table(table(rows), limits)
    big = tmp_path / f"big{suffix}"
    big.write_bytes(b"a,b\n" * 20_000)
    with pytest.raises(InvalidInput, match="limit is 50000 bytes"):
        read_table(big, limits)


def test_a_csv_that_is_not_utf8_says_so(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("单位,名称\n".encode("gbk"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        read_table(path)
