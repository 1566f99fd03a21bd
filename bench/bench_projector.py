"""Benchmark: the results projector's `apply` after one sheet changes, at 100 and 10,000 teams.

A competition is generated in a temporary folder: a team ranking, 5 practical events, each
judged by 5 judges on 20 criteria (a 0-10 scale by 0.5, trimmed mean). One change is one
judge's sheet of one team in one event: the team's rows with that judge's 20 marks redrawn.
Printed: the median time of one `apply` over many changes, the kind's own scoring of that one
team's rows (the floor of an apply), and the full recompute of the competition (score every
event, combine) as the baseline; with the ratios 10,000/100 and apply/full. Never asserted.
Run: .venv/bin/python bench/bench_projector.py [small] [large] [applies]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_practical import CRITERIA, JUDGES, rubric_text
from results.overall import EventMarks, combine_events, score_event_marks
from results.projector import Projector
from scoring.competition import load_competition
from scoring.model import Competition

EVENTS = 5
VALUES = [f"{i / 2:g}" for i in range(21)]


def write_competition(folder: Path, teams: int, events: int = EVENTS) -> Competition:
    """A team competition of `events` practical events of the bench rubric, equally weighted."""
    (folder / "bench.toml").write_text(rubric_text(), encoding="utf-8")
    parts = [
        '[competition]\nkey = "bench"\nname = { zh = "基准", en = "Bench" }\nranking = "team"\n',
        '[overall]\nmethod = "weighted"\nround = 2\ntiebreak = ["kind:practical", "event:e0"]\n',
        '[[units]]\nkey = "u"\nname = { zh = "单位", en = "Unit" }\n',
    ]
    for e in range(events):
        parts.append(
            f'[[events]]\nkey = "e{e}"\ntitle = {{ zh = "e{e}", en = "e{e}" }}\nkind = "practical"\n'
            f'scope = "team"\nweight = {100 // events}\nrubric = "bench.toml"\n'
        )
    parts += [f'[[judges]]\nkey = "J{j}"\nname = "J{j}"\n' for j in range(1, JUDGES + 1)]
    parts += [f'[[teams]]\nkey = "T{t:05d}"\nname = {{ zh = "T{t}", en = "T{t}" }}\nunit = "u"\n' for t in range(teams)]
    (folder / "competition.toml").write_text("\n".join(parts), encoding="utf-8")
    return load_competition(folder / "competition.toml")


def make_marks(teams: int, rng: random.Random) -> pd.DataFrame:
    rows = [
        (f"T{t:05d}", "", f"J{j}", f"c{c:02d}", rng.choice(VALUES))
        for t in range(teams)
        for j in range(1, JUDGES + 1)
        for c in range(CRITERIA)
    ]
    return pd.DataFrame(rows, columns=["entry", "attempt", "judge", "criterion", "value"])


def one_sheet_changed(table: pd.DataFrame, team: str, rng: random.Random) -> pd.DataFrame:
    rows = table[table["entry"] == team].copy()
    judge = rows["judge"] == f"J{rng.randint(1, JUDGES)}"
    rows.loc[judge, "value"] = [rng.choice(VALUES) for _ in range(int(judge.sum()))]
    return rows


def run(teams: int, applies: int) -> tuple[float, float, float]:
    rng = random.Random(teams)
    with tempfile.TemporaryDirectory() as tmp:
        competition = write_competition(Path(tmp), teams)
        marks = {f"e{e}": EventMarks(make_marks(teams, rng), f"e{e}") for e in range(EVENTS)}
        start = time.perf_counter()
        combine_events(competition, score_event_marks(competition, marks))
        full = time.perf_counter() - start
        projector = Projector(competition, marks)
        keys = [t.key for t in competition.teams]
        apply_times, score_times = [], []
        for _ in range(applies):
            event = f"e{rng.randrange(EVENTS)}"
            team = rng.choice(keys)
            rows = one_sheet_changed(projector._marks[event].rows_of(team), team, rng)
            bound = competition.events[int(event[1:])].bound
            assert bound is not None
            start = time.perf_counter()
            bound.score(rows, {team}, {f"J{j}" for j in range(1, JUDGES + 1)})
            score_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            projector.apply(event, team, rows)
            apply_times.append(time.perf_counter() - start)
    apply_ms, score_ms = statistics.median(apply_times) * 1000, statistics.median(score_times) * 1000
    print(
        f"  {teams:>6} teams  apply {apply_ms:7.2f} ms (median of {applies})   of which the sheet's scoring "
        f"{score_ms:6.2f} ms   full recompute {full:7.3f} s   full/apply {full * 1000 / apply_ms:8.0f}x"
    )
    return apply_ms, score_ms, full


def main() -> None:
    small = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    large = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    applies = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    print(f"projector: {EVENTS} practical events x {JUDGES} judges x {CRITERIA} criteria, one judge's sheet per apply")
    a_small, s_small, _ = run(small, applies)
    a_large, s_large, _ = run(large, applies)
    print(f"  ratio {large}/{small}: apply {a_large / a_small:.2f}x, the sheet's scoring {s_large / s_small:.2f}x")
    print(
        f"  projector's own share of an apply: {a_small - s_small:.2f} ms at {small}, "
        f"{a_large - s_large:.2f} ms at {large}"
    )


if __name__ == "__main__":
    main()
