"""Benchmark: the CPU one read of the chief judge's console costs (`judges.console.console`), in
this process, on a store of its own. Printed, never asserted.

The store is the power-safety example made by `scoring init` in a temporary folder on SQLite
(bench/write_store.py's `prepare_store`); N judges (default 100) are made and seated on the
hydrant round (the first its chief), and every judge submits a sheet for each of its 14 teams
through the store's own write function (`record_write`, the judges' API's), not HTTP, so only the
console's CPU is measured; the desk has entered every team's time (`record_values`), so complete
entries are scored for the panel results (without, each would be pending without an engine run).
Then, CPU ms (time.process_time) of one console read with the working of O entries (default 1:
the page writes the workings of the entries the chief opened only), p50 over R reads:

  (a) cold: every kept answer cleared (`Kept.clear_all`) before each read;
  (b) warm, nothing changed since the read before;
  (c) warm after K (default 15) new submitted versions spread over the entries (the chief's
      corrections: a submitted sheet stays counted with new marks, as ~15 submissions land
      between two reads while 100 judges mark);
  (d) warm after one new submitted version;
  (e) as (c), with every entry's working (what every read wrote before the page asked by name);

and (c) / (a): what a read under load costs against one that keeps nothing, and (c) / (e), both
measured in the same run. Alongside: the round's counted sheets and what one write costs (not the console's).

Run: .venv/bin/python bench/bench_console.py [--judges 100] [--changes 15] [--reads 9] [--open 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.write_store import COMPLETE, TEAMS, prepare_store  # noqa: E402
from judges.console import console  # noqa: E402
from organiser.judge_access import add_judge  # noqa: E402
from organiser.round_setup import set_panel  # noqa: E402
from scoring.kept import Kept  # noqa: E402
from scoring.sheet_rules import Actor, SheetAction  # noqa: E402
from scoring.store.database import make_engine, session_factory, sqlite_url  # noqa: E402
from scoring.store.models import Competition, Event, Judge, Round  # noqa: E402
from scoring.store.official_values import record_values  # noqa: E402
from scoring.store.rounds import round_context, rubric_of  # noqa: E402
from scoring.store.sheet_writes import SheetWrite  # noqa: E402
from scoring.store.sheets import current_version, record_write  # noqa: E402


def marks(rng: random.Random) -> dict[str, str]:
    """A complete hydrant sheet with marks that differ between judges (some panels flag)."""
    return COMPLETE | {"lay_hose": str(rng.randint(8, 12)), "hit_target": str(2 * rng.randint(6, 9))}


class Round_:
    """The seated hydrant round of a fresh store, and how to write its sheets."""

    def __init__(self, factory: Callable[[], Session], judges: int) -> None:
        self.factory = factory
        self.rng = random.Random(7)
        with factory() as db, db.begin():
            competition = db.execute(select(Event.competition_id).where(Event.key == "hydrant")).scalar_one()
            ckey = db.execute(select(Competition.key).where(Competition.id == competition)).scalar_one()
            self.keys = [f"b{n:03d}" for n in range(judges)]
            for key in self.keys:
                add_judge(db, ckey, key, key, "organiser:bench")
        with factory() as db, db.begin():
            self.round_id = int(
                db.execute(
                    select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == "hydrant")
                ).scalar_one()
            )
            set_panel(db, self.round_id, self.keys, self.keys[0], "organiser:bench")
            self.ids = dict(db.execute(select(Judge.key, Judge.id).where(Judge.key.in_(self.keys))).all())  # type: ignore[arg-type]
            context = round_context(db, self.round_id)
            self.rubric = rubric_of(db, context)
            self.rubric_version_id = context.rubric_version_id
            self.competition_id = context.event.competition_id
        self.written = 0
        with factory() as db, db.begin():
            for n, team in enumerate(TEAMS):
                time = {"time": str(35 + 3 * n)}
                record_values(db, round_id=self.round_id, entry=team, values=time, client_id=team, author="desk:bench")

    def write(self, entry: str, judge: str, action: SheetAction) -> None:
        with self.factory() as db, db.begin():
            now = current_version(db, self.round_id, entry, self.ids[judge])
            chief = action is SheetAction.CORRECT
            write = SheetWrite(
                round_id=self.round_id,
                entry_key=entry,
                judge_id=self.ids[judge],
                rubric_version_id=self.rubric_version_id,
                action=action,
                actor=Actor.CHIEF if chief else Actor.JUDGE,
                base_version=now.version if now else 0,
                client_id=f"bench-{self.written}",
                author=f"judge:{self.keys[0] if chief else judge}",
                marks=marks(self.rng),
                reason="bench" if chief else "",
                competition_id=self.competition_id,
            )
            record_write(db, write, self.rubric)
        self.written += 1

    def changes(self, count: int) -> None:
        """`count` new submitted versions, spread over the entries (a chief's corrections)."""
        for n in range(count):
            self.write(TEAMS[(self.written + n) % len(TEAMS)], self.rng.choice(self.keys), SheetAction.CORRECT)


def cpu_ms(read: Callable[[], object]) -> float:
    start = time.process_time()
    read()
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--judges", type=int, default=100)
    parser.add_argument("--changes", type=int, default=15)
    parser.add_argument("--reads", type=int, default=9)
    parser.add_argument("--open", type=int, default=1, help="entries whose working a read writes (the page's opened)")
    args = parser.parse_args()
    opened = TEAMS[: args.open]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "store"
        url = sqlite_url(folder)
        prepare_store(folder, url)
        engine = make_engine(url)
        factory = session_factory(engine)
        stage = Round_(factory, args.judges)
        started = time.process_time()
        for judge in stage.keys:
            for entry in TEAMS:
                stage.write(entry, judge, SheetAction.SUBMIT)
        setup = (time.process_time() - started) * 1000 / max(stage.written, 1)

        def read(workings: list[str] | None = opened) -> dict[str, object]:
            with factory() as db:
                return console(db, round_context(db, stage.round_id), workings)

        read()  # imports, the rubric's parse: not a console read's
        cold, warm, after_k, after_1, every = [], [], [], [], []
        for _ in range(args.reads):
            Kept.clear_all()
            cold.append(cpu_ms(read))
            warm.append(cpu_ms(read))
            stage.changes(args.changes)
            after_k.append(cpu_ms(read))
            stage.changes(1)
            after_1.append(cpu_ms(read))
            stage.changes(args.changes)
            every.append(cpu_ms(lambda: read(None)))
        body = read()
        engine.dispose()
    p50 = statistics.median
    print(f"console read, CPU ms (time.process_time), p50 of {args.reads}; {args.judges} judges x {len(TEAMS)} entries")
    print(f"  sheets counted: {sum(body['states'].values())} ({body['states']}); a write cost {setup:.1f} ms CPU")
    print(f"  (a) cold, every kept answer cleared: {p50(cold):7.1f}  (min {min(cold):.1f})")
    print(f"  (b) warm, nothing changed:           {p50(warm):7.1f}  (min {min(warm):.1f})")
    print(f"  (c) warm after {args.changes} submissions:      {p50(after_k):7.1f}  (min {min(after_k):.1f})")
    print(f"  (d) warm after 1 submission:         {p50(after_1):7.1f}  (min {min(after_1):.1f})")
    print(f"  (e) as (c), every entry's working:   {p50(every):7.1f}  (min {min(every):.1f})")
    print(f"  (c) / (a): {p50(after_k) / p50(cold):.2f}; (c) / (e): {p50(after_k) / p50(every):.2f}")


if __name__ == "__main__":
    main()
