"""Benchmark: a practical event of 10,000 entries x 5 judges x 20 criteria (1,000,000 marks).

Each criterion is a 0-10 scale by 0.5; the panel drops the highest and lowest mark and
averages the rest, rounded to 0.01; the score is the sum. Measured: checking and converting
the marks, and scoring them with the engine (from an in-memory table; reading the CSV is
timed apart). The baseline is a plain Python loop over the same marks with Decimal, computing
the same rule; the script checks that both give the same scores, then prints the ratio.
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
from scoring.marks import check_marks, read_marks_frame
from scoring.rubrics.engine import score_rubric
from scoring.rubrics.loader import load_rubric_document
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
        measure("read the CSV (pandas, text columns)", lambda: read_marks_frame(path), repeat=1)
    base_time, _, expected = measure("baseline: plain Python loop, Decimal", lambda: plain_loop(frame), repeat=1)

    def engine() -> dict[str, Decimal | None]:
        table = check_marks(frame, rubric, "bench")
        return {r.entry: r.score for r in score_rubric(rubric, table).results}

    engine_time, _, got = measure("engine: check + score (vectorised Decimal)", engine, repeat=1)
    assert got == expected, "engine and baseline disagree"
    print(
        f"  same scores from both: yes; engine / baseline time ratio: {engine_time / base_time:.2f} "
        f"(target: under 2 s for 10,000 entries)"
    )


if __name__ == "__main__":
    main()
