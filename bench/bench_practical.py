"""Benchmark: a practical event of 10,000 entries x 5 judges x 20 criteria (1,000,000 marks).

Each criterion is a 0-10 scale by 0.5; the panel drops the highest and lowest mark and
averages the rest, rounded to 0.01; the score is the sum. Measured (best of 3): checking and
converting the marks, and scoring them with the engine's integer path (from an in-memory table
whose text columns are categoricals, as the readers give them: scoring.tables.text_categories;
reading the CSV, and turning text columns into categoricals, are timed apart), and once the
engine's Decimal path. The baseline is a plain Python loop over the same marks (plain strings)
with Decimal, computing the same rule; the script checks that all give the same scores to the
digit, then prints the speedup (plain loop time / engine check + score time, same run, same
marks).
Run: make bench (or .venv/bin/python bench/bench_practical.py [entries]).
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import measure
from scoring.marks import MARK_COLUMNS, MarkTable, check_marks, read_marks_frame
from scoring.rubrics.engine import score_rubric
from scoring.rubrics.loader import load_rubric_document
from scoring.rubrics.model import Rubric
from scoring.tables import TableLimits, text_categories
from scoring.tomlsource import load_toml_text

CRITERIA = 20
JUDGES = 5


def rubric_text() -> str:
    parts = [
        'key = "bench"\ntitle = "Bench"\npanel = { rule = "trimmed", drop_high = 1, drop_low = 1 }\nmin_judges = 5\n'
    ]
    for c in range(CRITERIA):
        parts.append(
            f'[[criteria]]\nkey = "c{c:02d}"\ntitle = "C{c}"\nkind = "scale"\nmax = 10\nstep = 0.5\nround = 2\n'
        )
    return "\n".join(parts)


def make_marks(entries: int, seed: int = 1) -> pd.DataFrame:
    rng = random.Random(seed)
    values = [f"{i / 2:g}" for i in range(21)]
    rows = [
        (f"E{e:05d}", "", f"J{j}", f"c{c:02d}", rng.choice(values))
        for e in range(entries)
        for c in range(CRITERIA)
        for j in range(1, JUDGES + 1)
    ]
    frame = pd.DataFrame(rows, columns=["entry", "attempt", "judge", "criterion", "value"])
    frame["row"] = range(2, len(frame) + 2)
    return frame


def plain_loop(frame: pd.DataFrame) -> dict[str, Decimal]:
    """The baseline: one pass in plain Python, Decimal throughout, no checking beyond parsing."""
    marks: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for entry, criterion, value in zip(frame["entry"], frame["criterion"], frame["value"], strict=True):
        marks[(entry, criterion)].append(Decimal(value))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    cent = Decimal("0.01")
    for (entry, _), values in marks.items():
        kept = sorted(values)[1:-1]
        totals[entry] += (sum(kept, Decimal(0)) / len(kept)).quantize(cent, rounding=ROUND_HALF_UP)
    return dict(totals)


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rubric = load_rubric_document(load_toml_text(rubric_text(), "bench.toml"))
    frame = make_marks(entries)
    print(f"practical event: {entries:,} entries x {JUDGES} judges x {CRITERIA} criteria = {len(frame):,} marks")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "marks.csv"
        frame.drop(columns="row").to_csv(path, index=False)
        # a file this large is past what an upload may be (scoring/tables.py LIMITS): read with room
        roomy = TableLimits(bytes=200 * 2**20, rows=2 * len(frame), seconds=120.0)
        measure("read the CSV (categorical columns)", lambda: read_marks_frame(path, roomy), repeat=1)
    _, _, coded = measure("of which: text columns to categoricals", lambda: text_categories(frame, MARK_COLUMNS))
    base_time, _, expected = measure("baseline: plain Python loop, Decimal", lambda: plain_loop(frame), repeat=3)
    check_time, _, table = measure("engine: check the marks (codes to point codes)", lambda: check(rubric, coded))
    score_time, _, result = measure("engine: score (integer path)", lambda: score_rubric(rubric, table))
    decimal_time, _, reference = measure(
        "engine: score (Decimal path, the reference)", lambda: score_rubric(rubric, table, integers=False), repeat=1
    )
    got = {r.entry: r.score for r in result.results}
    assert got == expected, "engine and baseline disagree"
    assert [repr(s) for s in got.values()] == [repr(expected[e]) for e in got], "not the same digits"
    assert [repr(r.score) for r in reference.results] == [repr(s) for s in got.values()], "the paths disagree"
    engine_time = check_time + score_time
    print(
        f"  same scores from all three: yes; check + score {engine_time:.3f} s, of which checking the raw marks "
        f"{check_time / engine_time:.0%} (target: check + score under 0.2 s)"
    )
    print(f"  speedup over the plain loop: {base_time / engine_time:.1f}x (target: at least 10x)")
    print(f"  integer path over the Decimal path, scoring alone: {decimal_time / score_time:.1f}x")


def check(rubric: Rubric, frame: pd.DataFrame) -> MarkTable:
    return check_marks(frame, rubric, "bench")


if __name__ == "__main__":
    main()
