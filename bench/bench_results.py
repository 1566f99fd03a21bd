"""Benchmark: a full recompute of a competition's standings from the store's counted sheets.

10,000 individual entries x 10 practical events x 5 judges x 20 criteria (10,000,000 marks,
500,000 locked sheets) in a SQLite store made for the run (the sheets are inserted in bulk;
making the store is not measured). Measured apart: reading the counted sheets into each
event's table (results/from_store.py `included_marks`), and scoring every event and the
overall from those tables. The baseline is the plain Python Decimal loop of
bench/bench_practical.py over the same marks (trimmed mean per criterion, summed per event,
events summed); the script checks that the engine's overall equals it, then prints ratios.
Run: .venv/bin/python bench/bench_results.py [entries] [events]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_practical import CRITERIA, JUDGES, plain_loop, rubric_text
from bench.measure import measure
from results.from_store import IncludedMarks, View, included_marks
from results.overall import combine_events, score_event_marks
from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.models import Judge, PanelSeat, Round, RubricVersion, Sheet, SheetVersion


def competition_text(entries: int, events: int) -> str:
    parts = [
        '[competition]\nkey = "bench"\nname = { zh = "基准", en = "Bench" }\nranking = "individual"\n',
        '[overall]\nmethod = "sum"\nround = 2\n',
        '[[units]]\nkey = "u1"\nname = { zh = "单位", en = "Unit" }\n',
    ]
    for e in range(events):
        parts.append(
            f'[[events]]\nkey = "e{e:02d}"\ntitle = {{ zh = "赛项{e}", en = "Event {e}" }}\nkind = "practical"\n'
            f'scope = "individual"\nweight = 1\nrubric = "rubric.toml"\n'
        )
    for j in range(1, JUDGES + 1):
        parts.append(f'[[judges]]\nkey = "J{j}"\nname = "J{j}"\n')
    for i in range(entries):
        parts.append(f'[[contestants]]\nkey = "E{i:05d}"\nname = "E{i}"\nunit = "u1"\n')
    return "\n".join(parts)


def build_store(folder: Path, entries: int, events: int) -> tuple[sessionmaker[Session], dict[str, pd.DataFrame]]:
    (folder / "rubric.toml").write_text(rubric_text(), encoding="utf-8")
    (folder / "competition.toml").write_text(competition_text(entries, events), encoding="utf-8")
    competition = load_competition(folder / "competition.toml")
    engine = make_engine(f"sqlite:///{folder / 'store.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    rng = random.Random(7)
    values = [f"{i / 2:g}" for i in range(21)]
    frames: dict[str, pd.DataFrame] = {}
    with sessions.begin() as db:
        store_competition(db, competition, actor="bench")
        judges = {k: i for k, i in db.execute(select(Judge.key, Judge.id))}
        rounds = db.execute(select(Round.id, Round.event_id)).all()
        rubric_version = db.execute(select(RubricVersion.id).order_by(RubricVersion.id)).scalars().first()
        for n, (round_id, _event_id) in enumerate(sorted(rounds)):
            db.execute(
                insert(PanelSeat),
                [{"round_id": round_id, "judge_id": j, "chief": k == "J1"} for k, j in judges.items()],
            )
            sheets = [
                {"round_id": round_id, "entry_key": f"E{i:05d}", "judge_id": j, "rubric_version_id": rubric_version}
                for i in range(entries)
                for j in judges.values()
            ]
            db.execute(insert(Sheet), sheets)
            ids = db.execute(select(Sheet.id, Sheet.entry_key, Sheet.judge_id).where(Sheet.round_id == round_id)).all()
            key_of = {j: k for k, j in judges.items()}
            rows, versions = [], []
            for sheet_id, entry, judge_id in ids:
                marks = {f"c{c:02d}": rng.choice(values) for c in range(CRITERIA)}
                versions.append(
                    {
                        "sheet_id": sheet_id,
                        "version": 1,
                        "state": "locked",
                        "action": "lock",
                        "marks": marks,
                        "notes": {},
                        "client_id": "bench",
                        "payload_digest": "",
                        "author": "bench",
                        "device": "",
                    }
                )
                rows += [(entry, "", key_of[judge_id], c, v) for c, v in marks.items()]
            db.execute(insert(SheetVersion), versions)
            db.execute(update(Round).where(Round.id == round_id).values(publication="locked"))
            frames[f"e{n:02d}"] = pd.DataFrame(rows, columns=["entry", "attempt", "judge", "criterion", "value"])
    engine.dispose()
    return sessions, frames


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    print(
        f"full recompute from the store: {entries:,} entries x {events} events x {JUDGES} judges x {CRITERIA} "
        f"criteria = {entries * events * JUDGES * CRITERIA:,} marks in {entries * events * JUDGES:,} sheets"
    )
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        sessions, frames = build_store(Path(tmp), entries, events)
        print(f"  (store made in {time.perf_counter() - start:.1f} s, not measured)")

        def read() -> IncludedMarks:
            with sessions() as db:
                return included_marks(db, "bench", View.PROVISIONAL)

        read_time, _, included = measure("read the counted sheets (included_marks)", read, repeat=1)

        def score() -> dict[str, Decimal | None]:
            results = score_event_marks(included.competition, included.events)
            return combine_events(included.competition, results).overall

        score_time, _, overall = measure("score every event + overall (engine)", score, repeat=1)

        def baseline() -> dict[str, Decimal]:
            totals: dict[str, Decimal] = {}
            for frame in frames.values():
                for entry, value in plain_loop(frame).items():
                    totals[entry] = totals.get(entry, Decimal(0)) + value
            return totals

        base_time, _, expected = measure("baseline: plain Python loop, Decimal", baseline, repeat=1)
        assert overall == expected, "store + engine and the plain loop disagree"
        print(
            f"  same overall from both: yes; read + score {read_time + score_time:.2f} s "
            f"(read {read_time:.2f} s, score {score_time:.2f} s); score / baseline time ratio: "
            f"{score_time / base_time:.2f}; (read + score) / baseline: {(read_time + score_time) / base_time:.2f}"
        )


if __name__ == "__main__":
    main()
