"""Benchmark: grade a theory paper of 100 questions for 10,000 contestants (1,000,000 answers).

The paper mixes single choice, multiple choice with partial credit, true/false and numeric
questions. Measured: grading the answer sheets (each distinct answer to a question graded once
and mapped onto every sheet), totals, and the per-question statistics. The baseline is a plain
Python loop that grades every answer one by one with the same question rules; the script checks
that both give the same totals, then prints the ratio.
Run: make bench (or .venv/bin/python bench/bench_theory.py [contestants]).
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import measure
from scoring.events.theory import grade_wide, theory_result
from scoring.rubrics.loader import load_rubric_document
from scoring.tomlsource import load_toml_text

QUESTIONS = 100


def paper() -> str:
    parts = ['key = "bench_paper"\ntitle = "Bench paper"\n']
    for q in range(QUESTIONS):
        head = f'[[criteria]]\nkey = "q{q:03d}"\ntitle = "Q{q}"\nkind = "answer_key"\n'
        if q % 10 < 5:
            parts.append(head + f'type = "single"\nanswer = "{"ABCD"[q % 4]}"\npoints = 1\n')
        elif q % 10 < 8:
            parts.append(
                head + 'type = "multiple"\nanswer = "ABD"\npoints = 2\npartial = "subset"\npartial_points = 1\n'
            )
        elif q % 10 < 9:
            parts.append(head + 'type = "true_false"\nanswer = true\npoints = 1\n')
        else:
            parts.append(head + 'type = "numeric"\nanswer = 3.14\ntolerance = 0.01\npoints = 1.5\n')
    return "\n".join(parts)


def answers(contestants: int, seed: int = 7) -> pd.DataFrame:
    rng = random.Random(seed)
    choices = {
        "single": ["A", "B", "C", "D", ""],
        "multiple": ["ABD", "AB", "AD", "ABC", "C", ""],
        "tf": ["对", "错", "T", "F", ""],
        "numeric": ["3.14", "3.15", "3.2", "3", ""],
    }
    columns = {}
    for q in range(QUESTIONS):
        pool = choices["single" if q % 10 < 5 else "multiple" if q % 10 < 8 else "tf" if q % 10 < 9 else "numeric"]
        columns[f"q{q:03d}"] = [rng.choice(pool) for _ in range(contestants)]
    frame = pd.DataFrame({"entry": [f"c{i:05d}" for i in range(contestants)], **columns})
    frame["row"] = range(2, contestants + 2)
    return frame


def main() -> None:
    contestants = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rubric = load_rubric_document(load_toml_text(paper(), "paper.toml"))
    frame = answers(contestants)
    questions = rubric.criteria()
    print(f"theory paper: {contestants:,} contestants x {QUESTIONS} questions = {contestants * QUESTIONS:,} answers")

    def baseline() -> dict[str, Decimal]:
        totals = {}
        for row in frame.itertuples(index=False):
            total = Decimal(0)
            for q in questions:
                points = q.kind.convert(getattr(row, q.key))
                assert isinstance(points, Decimal)
                total += points
            totals[row.entry] = total
        return totals

    base_time, _, expected = measure("baseline: plain Python loop over answers", baseline, repeat=1)

    def grade() -> dict[str, Decimal | None]:
        result = theory_result(rubric, grade_wide(rubric, frame, "bench"))
        return {s.entry: s.score for s in result.scores}

    grade_only, _, _ = measure("grade the answer sheets only", lambda: grade_wide(rubric, frame, "bench"), repeat=3)
    event_time, _, got = measure("whole event: grade, totals, question statistics", grade, repeat=3)
    assert got == expected, "grading and baseline disagree"
    print("  same totals from both: yes (target: grading alone under 0.2 s for 10,000 contestants)")
    print(f"  speedup over the plain loop: {base_time / grade_only:.1f}x (grading alone: the loop grades and totals)")
    print(f"  speedup over the plain loop, whole event: {base_time / event_time:.1f}x (with the question statistics)")


if __name__ == "__main__":
    main()
