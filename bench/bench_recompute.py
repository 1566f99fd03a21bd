"""Benchmark: a full recompute of a large competition, as the results projector and the live board do it.

10,000 teams x 10 practical events x 5 judges x 20 criteria (10,000,000 marks), each event the
bench rubric of bench_practical.py (a 0-10 scale by 0.5, trimmed mean rounded to 0.01). Scored
through the entry point results uses for every event (`results.overall.score_event_marks`: each
event's bound kind checks and scores its table), then combined into the overall ranking
(`combine_events`). Printed: the full recompute's time (best of 2) and its parts; the baseline
is the plain Python Decimal loop of bench_practical.py on one event's marks in the same run,
times the number of events, and the engine's own Decimal path on one event, times the events.
Timings are printed, never asserted.
Run: make bench (or .venv/bin/python bench/bench_recompute.py [teams] [events]).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_practical import CRITERIA, JUDGES, plain_loop
from bench.bench_projector import write_competition
from bench.measure import measure
from results.overall import EventMarks, combine_events, score_event_marks
from scoring.marks import check_marks
from scoring.rubrics.engine import score_rubric

VALUES = [f"{i / 2:g}" for i in range(21)]


def event_tables(teams: int, events: int, seed: int = 3) -> dict[str, EventMarks]:
    """Each event's long table, its text columns categoricals as the store's reader gives them
    (results/from_store.py: scoring.tables.text_categories); the entry, judge and criterion
    columns share their codes between events to spare memory; values differ."""
    rng = np.random.default_rng(seed)
    size = teams * JUDGES * CRITERIA
    layout = np.arange(size)
    entry = _categories([f"T{t:05d}" for t in range(teams)], layout // (JUDGES * CRITERIA))
    judge = _categories([f"J{j}" for j in range(1, JUDGES + 1)], layout // CRITERIA % JUDGES)
    criterion = _categories([f"c{c:02d}" for c in range(CRITERIA)], layout % CRITERIA)
    attempt = _categories([""], np.zeros(size, dtype=np.int64))
    out = {}
    for e in range(events):
        value = _categories(VALUES, rng.integers(0, len(VALUES), size))
        frame = pd.DataFrame({"entry": entry, "attempt": attempt, "judge": judge, "criterion": criterion})
        frame["value"] = value
        frame["row"] = np.arange(2, size + 2)
        out[f"e{e}"] = EventMarks(frame, f"e{e}")
    return out


def _categories(names: list[str], codes: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(names, dtype=object)))


def main() -> None:
    teams = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    print(
        f"full recompute: {teams:,} teams x {events} events x {JUDGES} judges x {CRITERIA} criteria "
        f"= {teams * events * JUDGES * CRITERIA:,} marks"
    )
    with tempfile.TemporaryDirectory() as tmp:
        competition = write_competition(Path(tmp), teams, events)
        marks = event_tables(teams, events)
        first = marks["e0"].table
        text = first.astype({c: object for c in ("entry", "criterion", "value")})  # the loop reads plain strings
        base_time, _, expected = measure("baseline: plain loop, one event", lambda: plain_loop(text), repeat=1)
        rubric = competition.events[0].bound.rubric  # type: ignore[union-attr]
        assert rubric is not None
        table = check_marks(first, rubric, "e0")
        decimal_time, _, _ = measure(
            "engine's Decimal path, one event (score only)",
            lambda: score_rubric(rubric, table, integers=False),
            repeat=1,
        )

        def recompute() -> object:
            return combine_events(competition, score_event_marks(competition, marks))

        scored_time, _, scored = measure(
            "score every event (score_event_marks)", lambda: score_event_marks(competition, marks), repeat=2
        )
        start, start_cpu = time.perf_counter(), time.process_time()
        recompute()
        full, full_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        got = {s.entry: s.score for s in scored["e0"].scores}
        assert got == expected, "the engine and the plain loop disagree on e0"
    print(
        f"  full recompute (score every event, then the overall): {full:.3f} s, cpu {full_cpu:.3f} s "
        "(target: under 2 s)"
    )
    print(
        f"  scoring alone {scored_time:.3f} s; plain loop x {events} events {base_time * events:.1f} s "
        f"({base_time * events / scored_time:.1f}x); engine's Decimal path x {events} "
        f"{decimal_time * events:.1f} s, without its checking"
    )


if __name__ == "__main__":
    main()
