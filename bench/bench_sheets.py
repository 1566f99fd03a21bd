"""Benchmark: judges' sheets in the store, and the chief judge's console over them.

A practical round of 200 teams, 9 judges on the panel (1,800 sheets) with the judge-timed hose
rubric, on SQLite with the server's settings (WAL, synchronous = FULL, BEGIN IMMEDIATE):
- submitting every sheet through `record_write` (idempotency look-up, version check, state
  and marks checks, the version row, the hash-chained audit record, one transaction each),
  against a baseline of inserting the same version rows bare, one transaction each;
- sending every submission again with its client id (a tablet's retries): answered, not stored;
- the console (sheet states, disagreement flags through the scoring engine, judges' severity)
  against a baseline of only reading the round's current sheets.
Times are printed with their ratio to the baseline, never asserted.
Run: make bench (or .venv/bin/python bench/bench_sheets.py [teams]).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.measure import measure
from judges.console import console
from organiser.service import set_panel
from scoring.competition import load_competition
from scoring.sheet_rules import Actor, SheetAction
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.models import Judge, Round, Sheet, SheetVersion
from scoring.store.rounds import round_context, rubric_of
from scoring.store.sheet_writes import SheetWrite
from scoring.store.sheets import current_sheets, record_write

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "examples" / "rubrics" / "hose_coupling_judge_timed.toml"
JUDGES = 9


def committed(sessions: Any, use_case: Any, *args: Any, **kwargs: Any) -> Any:
    """One use case in one transaction, as a route runs it."""
    with sessions.begin() as db:
        return use_case(db, *args, **kwargs)


def competition_text(teams: int) -> str:
    parts = [
        '[competition]\nkey = "bench"\nname = { zh = "基准", en = "Bench" }\n',
        f'[[events]]\nkey = "hose"\ntitle = {{ zh = "水带", en = "Hose" }}\nkind = "practical"\nrubric = "{RUBRIC}"\n',
        '[[units]]\nkey = "u1"\nname = { zh = "单位", en = "Unit" }\n',
    ]
    parts += [f'[[judges]]\nkey = "j{j}"\nname = "J{j}"\n' for j in range(1, JUDGES + 1)]
    parts += [f'[[teams]]\nkey = "t{t:04d}"\nunit = "u1"\nname = {{ zh = "队", en = "Team" }}\n' for t in range(teams)]
    return "\n".join(parts)


def marks(rng: random.Random) -> dict[str, str]:
    return {
        "inspect_hose": rng.choice("01"),
        "couple_firm": rng.choice("01"),
        "technique": f"{rng.randint(10, 20) / 2:g}",
        "lane_offset": str(rng.randint(0, 40)),
        "time": f"{rng.randint(250, 600) / 10:g}",
        "kink": str(rng.randint(0, 3)),
    }


def main() -> None:
    teams = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "competition.toml").write_text(competition_text(teams), encoding="utf-8")
        engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
        migrate(engine)
        sessions = session_factory(engine)
        committed(sessions, store_competition, load_competition(folder / "competition.toml"), actor="bench")
        with sessions() as db:
            round_id = db.execute(select(Round.id)).scalar_one()
            judges = dict(db.execute(select(Judge.key, Judge.id)).all())
            context = round_context(db, round_id)
            rubric = rubric_of(db, context)
        committed(sessions, set_panel, round_id, sorted(judges), "j1", actor="bench")
        rng = random.Random(7)
        writes = [
            SheetWrite(
                round_id=round_id,
                entry_key=f"t{t:04d}",
                judge_id=judges[f"j{j}"],
                rubric_version_id=context.rubric_version_id,
                action=SheetAction.SUBMIT,
                actor=Actor.JUDGE,
                base_version=0,
                client_id=uuid.uuid4().hex,
                author=f"judge:j{j}",
                device=f"tablet-{j}",
                marks=marks(rng),
            )
            for t in range(teams)
            for j in range(1, JUDGES + 1)
        ]
        print(f"sheets: {teams} teams x {JUDGES} judges = {len(writes):,} submissions, SQLite (WAL, synchronous FULL)")

        # the baseline: the same version rows inserted bare, one transaction each
        bare = session_factory(make_engine(f"sqlite:///{folder / 'bare.sqlite3'}"))
        migrate(bare.kw["bind"])
        committed(bare, store_competition, load_competition(folder / "competition.toml"), actor="bench")
        with bare.begin() as db:
            sheet_rows = [
                Sheet(round_id=1, entry_key=w.entry_key, judge_id=w.judge_id, rubric_version_id=1) for w in writes
            ]
            db.add_all(sheet_rows)
            db.flush()
            sheet_ids = [s.id for s in sheet_rows]
        start = time.perf_counter()
        for sheet_id, w in zip(sheet_ids, writes, strict=True):
            with bare.begin() as db:
                db.add(
                    SheetVersion(
                        sheet_id=sheet_id,
                        version=1,
                        state="submitted",
                        action="submit",
                        marks=w.marks,
                        notes={},
                        client_id=w.client_id,
                        payload_digest="",
                        author=w.author,
                        device=w.device,
                    )
                )
        base = time.perf_counter() - start
        print(f"  {'baseline: bare version inserts':<46} {base:8.3f} s   {base / len(writes) * 1000:6.2f} ms each")

        start = time.perf_counter()
        for w in writes:
            committed(sessions, record_write, w, rubric)
        stored = time.perf_counter() - start
        print(
            f"  {'record_write: submit every sheet':<46} {stored:8.3f} s   {stored / len(writes) * 1000:6.2f} ms each"
            f"   ratio to baseline {stored / base:.2f}"
        )
        start = time.perf_counter()
        replayed = sum(committed(sessions, record_write, w, rubric).replayed for w in writes)
        again = time.perf_counter() - start
        with sessions() as db:
            versions = db.execute(select(func.count()).select_from(SheetVersion)).scalar_one()
        print(
            f"  {'the same submissions retried':<46} {again:8.3f} s   {again / len(writes) * 1000:6.2f} ms each"
            f"   answered as retries: {replayed:,}; versions stored: {versions:,}"
        )

        with sessions() as db:
            read_time, _, _ = measure("baseline: read the round's current sheets", lambda: current_sheets(db, round_id))
            view_time, _, view = measure("console: states, flags, severity", lambda: console(db, context))
        print(
            f"  console / read ratio: {view_time / read_time:.2f}; flags: {len(view['flags'])}, "
            f"judges reviewed: {len(view['reviews'])}, sheets: {sum(view['states'].values()):,}"
        )


if __name__ == "__main__":
    main()
