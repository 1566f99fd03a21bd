"""Benchmark: writing a results workbook for 10,000 entries.

The workbook has the overall (10,000 rows: place, entry, name, unit, 6 event scores, overall,
tie-break) and 6 event sheets (10,000 rows each: place, entry, name, unit, 20 criteria, score),
every cell exact text passed through the formula neutraliser, as results/workbook.py writes
them (openpyxl in write-only mode). The baseline writes the same rows, neutralised alike, with
Python's csv module into one text buffer per sheet. Printed, never asserted.
Run: .venv/bin/python bench/bench_workbook.py [entries]
"""

from __future__ import annotations

import csv
import io
import random
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import measure
from results.export_tables import ExportTable
from results.spreadsheet import neutralised
from results.workbook import write_workbook

EVENTS = 6
CRITERIA = 20


def score(rng: random.Random) -> str:
    return f"{rng.randint(0, 99)}.{rng.randint(0, 99):02d}"


def tables(entries: int, seed: int = 11) -> list[ExportTable]:
    rng = random.Random(seed)
    keys = [f"e{i:05d}" for i in range(entries)]
    names = [f"选手{i}" for i in range(entries)]
    units = [f"单位{i % 300}" for i in range(entries)]
    places = [str(i + 1) if i % 50 else f"={i}" for i in range(entries)]
    overall = pd.DataFrame(
        {"place": places, "entry": keys, "name": names, "unit": units}
        | {f"event{e}": [score(rng) for _ in keys] for e in range(EVENTS)}
        | {"overall": [score(rng) for _ in keys], "tie_break": [""] * entries}
    )
    out = [ExportTable("overall", ("总成绩", "Overall"), overall)]
    for e in range(EVENTS):
        frame = pd.DataFrame(
            {"place": places, "entry": keys, "name": names, "unit": units}
            | {f"c{c:02d}": [score(rng) for _ in keys] for c in range(CRITERIA)}
            | {"score": [score(rng) for _ in keys], "tie_break": [""] * entries}
        )
        out.append(ExportTable(f"event{e}", (f"赛项{e}", f"Event {e}"), frame))
    return out


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    sheets = tables(entries)
    cells = sum(t.frame.size for t in sheets)
    print(f"results workbook: {entries:,} entries, {len(sheets)} sheets, {cells:,} cells")

    def baseline() -> int:
        size = 0
        for t in sheets:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            safe = neutralised(t.frame)
            writer.writerow(list(safe.columns))
            writer.writerows(safe.itertuples(index=False, name=None))
            size += len(buffer.getvalue())
        return size

    base_time, _, _ = measure("baseline: the same rows with csv", baseline, repeat=1)
    book_time, _, book = measure("workbook (openpyxl, write-only)", lambda: write_workbook(sheets, True), repeat=1)
    print(f"  workbook size: {len(book) / 2**20:.1f} MiB; workbook / csv time ratio: {book_time / base_time:.1f}")


if __name__ == "__main__":
    main()
