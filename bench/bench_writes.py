"""Benchmark: judges' sheet writes through the HTTP API at once, a burst of submissions, the
chief's console meanwhile, and where the machine's CPU goes. Printed, never asserted.

Main run: N judges signed in through their access links (the power-safety example made by
`scoring init`, the hydrant round's panel made of N judges) all save, then submit, their sheet
for each of the 14 teams at once, each from its own client thread and connection, against K
server processes (uvicorn, `server.app:create_app`, a port each; the judges spread over them;
with K > 1 they share Redis). Meanwhile the round's chief asks for the console every 100 ms, with
one entry's working (as the console page asks with one entry opened: ?working=s01).
Burst (--burst B): B complete sheets submitted at the same moment (bench/write_burst.py).

Printed for each run, and how to read it:
- writes acknowledged a second, p50/p95/p99/max of a write, errors (status: count; 0 is a
  timeout or a lost connection), connections reopened (the server closed them while idle);
- CPU a write, by whom (bench/cpu_account.py): the servers' processes (the console's reads
  included), the load client (this whole process), on PostgreSQL the run's backends and its
  shared processes (WAL writer, checkpointer...). Their sum bounds the rate the machine can
  reach: writes/s <= cores / (sum a write), and <= K / (server a write), as each process's
  Python runs on at most one core; "reached" is the rate against the lower bound. The busy CPU
  of the whole machine shows how much else (other people's work) ran at the same time;
- the chief's console meanwhile: p50/p99;
- stored once (versions in the store = writes answered 200) and `scoring audit verify`;
- the bare baseline: as many one-row transactions on the same kind of database with the
  server's settings (SQLite: WAL, synchronous = FULL, BEGIN IMMEDIATE) from as many threads,
  and the ratio;
- with several process counts, each against one process; what the K-process run's CPU a write
  allows against the one-process rate; and at best, from the one-process run's CPU a write,
  min(K, cores x server / all) times one process on a core of its own: where PostgreSQL and the
  client share the cores, this is what says whether "two processes 1.7 times one" is reachable;
  and how much more work K busy loops do at once than one alone (bench/core_capacity.py): the
  ceiling of that ratio on this machine whatever the servers run;
- the burst: the time from the release to the last acknowledgement, p50/p99/max of the time
  to each acknowledgement and of each submission's own time, the spread of the sends (the
  client's part), errors, whether all B were acknowledged within 2 s; the console meanwhile;
  CPU a submission; stored once and the audit.

The judges' client is the standard library's HTTP connection (bench/judge_client.py; its CPU
a request is about a third of httpx's); `--client httpx` runs the same requests on httpx.
Wall-clock figures move with the machine's other load (say `uptime` beside them); CPU a write
moves less. Backends: sqlite (a file in a temporary folder) or postgresql (a fresh database on
$SCORING_BENCH_POSTGRES_URL's server, default postgresql://postgres@127.0.0.1:5432/postgres).

Run: .venv/bin/python bench/bench_writes.py [--judges 50 100] [--burst 300] [--threads T]
     [--backend sqlite|postgresql] [--processes 1 2] [--client light|httpx]
("--judges" with no number: the burst alone.)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_live import REDIS_URL
from bench.core_capacity import capacity, loops_at_once
from bench.cpu_account import CORES, Ceiling, Reading, Spent, account, spent
from bench.cpu_account import cpu_seconds as cpu_seconds  # the names bench/bench_online.py takes from here
from bench.judge_client import CLIENTS
from bench.write_burst import Burst, Gate, plan, start_burst
from bench.write_store import COMPLETE, TEAMS, Stage, check_store, drop_postgres, fresh_postgres, stage
from bench.write_store import prepare_store as prepare_store
from bench.write_store import start_server as start_server
from bench.write_store import store_env as store_env
from scoring.store.database import make_engine


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def spread(values_ms: list[float], *qs: float) -> str:
    return ", ".join(f"p{round(q * 100)} {percentile(values_ms, q):.0f} ms" for q in qs) + (
        f", max {max(values_ms):.0f} ms" if values_ms else ""
    )


def errors_of(statuses: list[int]) -> str:
    wrong = [s for s in statuses if s != 200]
    return str({s: wrong.count(s) for s in sorted(set(wrong))}) if wrong else "none"


def judge_run(kind: str, base: str, link: str, round_id: int, start: Gate,
              out: list[tuple[float, int]], reopened: list[int]) -> None:  # fmt: skip
    """A judge: signs in, then saves and submits each team's sheet, one request after another."""
    try:
        signing = CLIENTS[kind](base, 120)
        assert signing.sign_in(link) in (302, 303)
        judge = CLIENTS[kind](base, 120, signing.cookies)  # the writes' connection, opened before the start
        signing.close()
        device = uuid.uuid4().hex
        writes = [
            (f"/api/judge/sheets/{round_id}/{team}", json.dumps({"action": action, "base_version": version,
             "client_id": uuid.uuid4().hex, "marks": marks, "device": device}).encode())
            for team in TEAMS
            for action, version, marks in (("save", 0, {"lay_hose": "12"}), ("submit", 1, COMPLETE))
        ]  # fmt: skip
        judge.connect()
    except BaseException:
        start.abort()  # the others, and the measurement, stop waiting for this judge
        raise
    start.pass_when_ready()
    for path, body in writes:
        began = time.perf_counter()
        status = judge.put(path, body)
        out.append((time.perf_counter() - began, status))
    reopened.append(judge.reopened)
    judge.close()


def console_run(
    kind: str, base: str, link: str, round_id: int, stop: threading.Event, out: list[tuple[float, float]]
) -> None:
    """The round's chief: the console every 100 ms until `stop` (one entry's working, as the page
    with one entry opened asks); when each read began, how long it took."""
    client = CLIENTS[kind](base, 120)
    assert client.sign_in(link) in (302, 303)
    while not stop.is_set():
        began = time.perf_counter()
        client.request("GET", f"/api/chief/rounds/{round_id}/console?working={TEAMS[0]}")
        out.append((began, time.perf_counter() - began))
        time.sleep(0.1)
    client.close()


def bare_baseline(count: int, threads: int, backend: str) -> float:
    """One-row transactions on the same kind of database with the server's settings, from
    `threads` threads: transactions a second."""
    with tempfile.TemporaryDirectory() as scratch:
        url = fresh_postgres() if backend == "postgresql" else f"sqlite:///{scratch}/bare.sqlite3"  # fmt: skip
        engine = make_engine(url, pool_size=threads + 2)
        with engine.begin() as c:
            key = "SERIAL" if backend == "postgresql" else "INTEGER"
            c.execute(text(f"CREATE TABLE rows (id {key} PRIMARY KEY, body TEXT)"))
        each = max(1, count // threads)

        def work() -> None:
            for _ in range(each):
                with engine.begin() as c:
                    c.execute(text("INSERT INTO rows (body) VALUES (:b)"), {"b": uuid.uuid4().hex})

        began = time.perf_counter()
        workers = [threading.Thread(target=work) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        took = time.perf_counter() - began
        engine.dispose()
        if backend == "postgresql":
            drop_postgres(url)
        return each * threads / took


@dataclass
class Figures:
    writes_per_second: float
    ceiling: Ceiling | None  # what the CPU a write allows this many processes on this machine


@dataclass
class Run:
    """One run's settings."""

    kind: str  # the judges' client
    threads: int
    backend: str
    processes: int


def watched(run: Run, on: Stage, gate: Gate, workers: list[threading.Thread]) -> tuple[Spent, list[float]]:
    """Once every worker is ready: a CPU reading, the gate opened, the workers joined, another
    reading, the servers stopped; the chief reads the console meanwhile. The CPU spent, and the
    console's times (ms) of the reads that began between the two readings."""
    console: list[tuple[float, float]] = []
    stop = threading.Event()
    watcher = threading.Thread(
        target=console_run, args=(run.kind, on.bases[0], on.links[0], on.round_id, stop, console)
    )
    watcher.start()
    gate.ready()
    before = Reading.now(on.pids, on.postgres_url is not None)
    gate.open()
    for w in workers:
        w.join()
    after = Reading.now(on.pids, on.postgres_url is not None)
    stop.set()
    watcher.join()
    used = spent(before, after, on.postgres_url)
    on.stop()
    return used, [took * 1000 for began, took in console if before.wall <= began <= after.wall]


def measure(run: Run, judges: int) -> Figures:
    with stage(run.backend, run.threads, run.processes, judges, REDIS_URL) as on:
        writes: list[tuple[float, int]] = []
        reopened: list[int] = []
        gate = Gate(judges)
        runners = [
            threading.Thread(
                target=judge_run,
                args=(run.kind, on.bases[n % run.processes], link, on.round_id, gate, writes, reopened),
            )
            for n, link in enumerate(on.links)
        ]
        for r in runners:
            r.start()
        used, shown = watched(run, on, gate, runners)
        stored = check_store(on.folder, on.database_url, sum(1 for _, s in writes if s == 200))
    times = [t * 1000 for t, _ in writes]
    ok = sum(1 for _, s in writes if s == 200)
    rate = ok / used.wall
    lines = [
        f"  {judges} judges, {run.processes} process{'es' if run.processes > 1 else ''}, {len(writes)} writes in "
        f"{used.wall:.1f} s: {rate:.0f} writes/s acknowledged; {spread(times, 0.5, 0.95, 0.99)}; "
        f"errors {errors_of([s for _, s in writes])}; connections reopened {sum(reopened)}"
    ]
    cpu_lines, ceiling = account(used, ok, run.processes, rate)
    lines += cpu_lines
    lines.append(
        f"  the chief's console meanwhile: {len(shown)} reads, {spread(shown, 0.5, 0.99)}, "
        f"mean {statistics.mean(shown) if shown else float('nan'):.0f} ms"
    )
    lines.append(stored)
    bare = bare_baseline(len(writes), min(judges, 32), run.backend)
    lines.append(
        f"  bare baseline: {bare:.0f} one-row transactions/s; ratio acknowledged writes / bare: {rate / bare:.2f}"
    )
    print("\n".join(lines), flush=True)
    return Figures(rate, ceiling)


def measure_burst(run: Run, size: int) -> None:
    judges, each = plan(size)
    with stage(run.backend, run.threads, run.processes, judges, REDIS_URL) as on:
        burst = Burst()
        senders, gate = start_burst(run.kind, on.bases, on.links, on.round_id, size, burst)
        used, during = watched(run, on, gate, senders)
        ok = burst.statuses.count(200)
        stored = check_store(on.folder, on.database_url, ok)
    last = max(burst.acknowledged) * 1000
    within = ok == size and last <= 2000
    lines = [
        f"  burst of {size} submissions ({judges} judges x {each} teams, a connection each, released at once), "
        f"{run.processes} process{'es' if run.processes > 1 else ''}: last acknowledged {last:.0f} ms after the "
        f"release; all {size} acknowledged within 2 s: {'yes' if within else 'NO'}",
        f"    to each acknowledgement: {spread([t * 1000 for t in burst.acknowledged], 0.5, 0.99)}; "
        f"each submission's own time: {spread([t * 1000 for t in burst.own], 0.5, 0.99)}",
        f"    sends spread over {max(burst.sent) * 1000:.0f} ms after the release (the client's threads); "
        f"errors {errors_of(burst.statuses)}; connections reopened {burst.reopened}",
    ]
    cpu_lines, _ = account(used, ok, run.processes, ok / used.wall if used.wall else 0.0)
    lines += ["  " + line.replace("a write", "a submission") for line in cpu_lines[:1]]
    lines.append(f"    the chief's console during the burst: {len(during)} reads, {spread(during, 0.5, 0.99)}")
    lines.append("  " + stored)
    print("\n".join(lines), flush=True)


def compare(figures: Figures, alone: Figures, processes: int) -> str:
    """K processes against one; what the CPU a write of the K-process run allows against one; and
    what the one-process run's CPU a write allows K processes at best (is 1.7x reachable here?)."""
    line = f"  {processes} processes / 1 process: {figures.writes_per_second / alone.writes_per_second:.2f}x"
    if figures.ceiling:
        line += (
            f"; the CPU a write of this run allows at most {figures.ceiling.idle / alone.writes_per_second:.2f}x "
            "on idle cores"
        )
        if figures.ceiling.left:
            line += f", {figures.ceiling.left / alone.writes_per_second:.2f}x on what the other work left it"
    if alone.ceiling:
        one = alone.ceiling
        line += (
            f"\n  at best, with the one-process run's CPU a write, {processes} processes reach min({processes}, "
            f"{CORES} cores x server {one.server_ms:.2f} ms / all {one.total_ms:.2f} ms) = "
            f"{one.scaling(processes):.2f}x one process on a core of its own"
        )
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--judges", type=int, nargs="*", default=[50, 100])
    parser.add_argument("--burst", type=int, default=0, help="submissions sent at once (0: no burst)")
    parser.add_argument("--threads", type=int, default=0, help="SCORING_THREADS for the server (0: its default)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--processes", type=int, nargs="+", default=[1], help="server processes (several: Redis)")
    parser.add_argument("--client", choices=sorted(CLIENTS), default="light", help="the judges' HTTP client")
    args = parser.parse_args()
    print(f"sheet writes through the API: power-safety hydrant round, 14 teams, save then submit; "
          f"{args.backend}; {CORES} cores; client {args.client}; load average {os.getloadavg()[0]:.2f}; "
          f"a core: {loops_at_once(1, 1.0)[0] / 1e6:.1f} M loop iterations/s (bench/core_capacity.py)")  # fmt: skip
    for count in args.judges:
        alone: Figures | None = None
        for processes in args.processes:
            figures = measure(Run(args.client, args.threads, args.backend, processes), count)
            if processes == 1:
                alone = figures
            elif alone:
                print(compare(figures, alone, processes))
                print(capacity(processes).line())
    for processes in args.processes if args.burst else []:
        measure_burst(Run(args.client, args.threads, args.backend, processes), args.burst)
    print(f"load average afterwards {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
