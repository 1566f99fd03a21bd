"""Benchmark: judges' sheet writes through the HTTP API at once, and the chief's console meanwhile.

N judges signed in through their access links (the power-safety example made by `scoring
init`, the hydrant round's panel made of N judges) all save, then submit, their sheet for each
of the 14 teams at once, each from its own client thread, against K server processes (uvicorn,
`server.app:create_app`, each a process of its own on a port of its own; the judges spread over
them; with K > 1 they share Redis for the live channels). Meanwhile the round's chief asks for
the console every 100 ms. Printed: writes acknowledged per second, p50/p95/p99/max of a write,
errors, the console's p50/p99, the servers' CPU time per write (from /proc: a figure the
machine's other load changes less than the wall clock); afterwards every acknowledged write is
stored once (versions in the store = writes answered 200) and `scoring audit verify` passes. In
the same run, the bare baseline: the same number of one-row transactions on the same database kind with the server's
settings (SQLite: WAL, synchronous = FULL, BEGIN IMMEDIATE) from as many threads; with several
process counts, the ratio of each to one process. Printed, never asserted.

Backends: sqlite (a file in a temporary folder) or postgresql (a fresh database made on
$SCORING_BENCH_POSTGRES_URL's server, default postgresql://postgres@127.0.0.1:5432/postgres,
dropped afterwards).

Run: .venv/bin/python bench/bench_writes.py [--judges 50 100] [--threads T]
     [--backend sqlite|postgresql] [--processes 1 2]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_live import EXAMPLE, HOST, REDIS_URL, ROOT, free_port
from scoring.store.database import make_engine, session_factory, sqlite_url
from scoring.store.models import Competition, Event, Judge, Round, SheetVersion

POSTGRES_SERVER = os.environ.get("SCORING_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

TEAMS = [f"s{n:02d}" for n in range(1, 15)]
COMPLETE = {
    "open_cabinet": "1",
    "lay_hose": "12",
    "couple": "1",
    "open_valve": "1",
    "hit_target": "18",
    "unsafe": "0",
    "no_reset": "0",
}


def cpu_seconds(pid: int) -> float | None:
    """A process's CPU time so far (user + system) from /proc; None where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def store_env(folder: Path, database_url: str, redis_url: str | None = None) -> dict[str, str]:
    """The environment of `scoring` and the servers for this run's store."""
    env = os.environ | {"SCORING_DATA_DIR": str(folder), "SCORING_DATABASE_URL": database_url}
    for name in ("SCORING_SECRET_KEY", "SCORING_REDIS_URL", "SCORING_THREADS"):
        env.pop(name, None)
    if redis_url:
        env["SCORING_REDIS_URL"] = redis_url
    return env


def prepare_store(folder: Path, database_url: str) -> tuple[str, dict[str, str]]:
    """`scoring init` with the power-safety example: the competition's key and the organiser."""
    init = subprocess.run(
        [sys.executable, "-m", "server.cli", "init", "--data", str(folder), "--competition", str(EXAMPLE)],
        cwd=ROOT, env=store_env(folder, database_url), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    password = re.search(r"password: (\S+)", init.stdout)
    assert init.returncode == 0 and password, init.stdout + init.stderr
    engine = make_engine(database_url)
    with session_factory(engine)() as db:
        key = db.execute(select(Competition.key)).scalar_one()
    engine.dispose()
    return key, {"username": "organiser", "password": password.group(1)}


def fresh_postgres() -> str:
    """A new, empty database on the PostgreSQL server: its URL."""
    import psycopg

    name = f"bench_writes_{os.getpid()}_{int(time.time() * 1000) % 10**9}"
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_SERVER.rsplit("/", 1)[0] + "/" + name


def drop_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server(env: dict[str, str], threads: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(env)
    folder = Path(env["SCORING_DATA_DIR"])
    if threads:
        env["SCORING_THREADS"] = str(threads)
    command = [sys.executable, "-m", "uvicorn", "server.app:create_app", "--factory", "--host", HOST,
               "--port", str(port), "--log-level", "warning", "--no-access-log"]  # fmt: skip
    log = (folder.parent / f"server-{port}.log").open("wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.2)


def seat_judges(database_url: str, base: str, organiser: dict[str, str], key: str, count: int) -> tuple[int, list[str]]:
    """N judges made, seated on the hydrant round (the first its chief), their access links."""
    org = httpx.Client(base_url=base, headers={"Origin": base}, timeout=60)
    org.post("/api/session", json=organiser).raise_for_status()
    keys = [f"b{n:03d}" for n in range(count)]
    for judge in keys:
        org.post(f"/api/admin/competitions/{key}/judges", json={"key": judge, "name": judge}).raise_for_status()
    engine = make_engine(database_url)
    with session_factory(engine)() as db:
        hydrant = db.execute(select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == "hydrant"))
        round_id = int(hydrant.scalar_one())
        ids = {k: i for k, i in db.execute(select(Judge.key, Judge.id).where(Judge.key.in_(keys)))}
    engine.dispose()
    org.put(f"/api/admin/rounds/{round_id}/panel", json={"judges": keys, "chief": keys[0]}).raise_for_status()
    links = [org.post(f"/api/admin/judges/{ids[k]}/access").json()["link"] for k in keys]
    org.close()
    return round_id, links


def judge_run(base: str, link: str, round_id: int, start: threading.Barrier, out: list[tuple[float, int]]) -> None:
    client = httpx.Client(base_url=base, headers={"Origin": base}, timeout=120)
    assert client.get(link, follow_redirects=False).status_code in (302, 303)
    device = uuid.uuid4().hex
    start.wait()
    for team in TEAMS:
        for action, version, marks in (("save", 0, {"lay_hose": "12"}), ("submit", 1, COMPLETE)):
            body = {"action": action, "base_version": version, "client_id": uuid.uuid4().hex, "marks": marks}
            began = time.perf_counter()
            try:
                status = client.put(f"/api/judge/sheets/{round_id}/{team}", json=body | {"device": device}).status_code
            except httpx.HTTPError:
                status = 0
            out.append((time.perf_counter() - began, status))
    client.close()


def console_run(base: str, link: str, round_id: int, stop: threading.Event, out: list[float]) -> None:
    client = httpx.Client(base_url=base, headers={"Origin": base}, timeout=120)
    assert client.get(link, follow_redirects=False).status_code in (302, 303)
    while not stop.is_set():
        began = time.perf_counter()
        client.get(f"/api/chief/rounds/{round_id}/console")
        out.append(time.perf_counter() - began)
        time.sleep(0.1)
    client.close()


def bare_baseline(count: int, threads: int, backend: str) -> float:
    """One-row transactions on the same kind of database with the server's settings, from
    `threads` threads: transactions a second."""
    with tempfile.TemporaryDirectory() as scratch:
        url = fresh_postgres() if backend == "postgresql" else f"sqlite:///{scratch}/bare.sqlite3"
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
    line: str


def run(judges: int, threads: int, backend: str, processes: int) -> Figures:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "store"
        database_url = fresh_postgres() if backend == "postgresql" else sqlite_url(folder)
        try:
            return measure(folder, database_url, judges, threads, backend, processes)
        finally:
            if backend == "postgresql":
                drop_postgres(database_url)


def measure(folder: Path, database_url: str, judges: int, threads: int, backend: str, processes: int) -> Figures:
    key, organiser = prepare_store(folder, database_url)
    env = store_env(folder, database_url, REDIS_URL if processes > 1 else None)
    servers = []
    try:
        servers = [start_server(env, threads) for _ in range(processes)]
        bases = [base for _, base in servers]
        round_id, links = seat_judges(database_url, bases[0], organiser, key, judges)
        writes: list[tuple[float, int]] = []
        console: list[float] = []
        start = threading.Barrier(judges + 1)
        stop = threading.Event()
        runners = [
            threading.Thread(target=judge_run, args=(bases[n % processes], link, round_id, start, writes))
            for n, link in enumerate(links)
        ]
        for r in runners:
            r.start()
        watcher = threading.Thread(target=console_run, args=(bases[0], links[0], round_id, stop, console))
        start.wait()
        cpu_before = [cpu_seconds(server.pid) for server, _ in servers]
        began = time.perf_counter()
        watcher.start()
        for r in runners:
            r.join()
        took = time.perf_counter() - began
        cpu_after = [cpu_seconds(server.pid) for server, _ in servers]
        stop.set()
        watcher.join()
    finally:
        for server, _ in servers:
            server.terminate()
            server.wait(timeout=30)
    engine = make_engine(database_url)
    with session_factory(engine)() as db:
        stored = db.execute(select(func.count(SheetVersion.id))).scalar_one()
    engine.dispose()
    verify = subprocess.run(
        [sys.executable, "-c", "from server.cli import main; main()", "audit", "verify", "--data", str(folder)],
        cwd=ROOT, env=store_env(folder, database_url), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    times = [t * 1000 for t, _ in writes]
    ok = sum(1 for _, s in writes if s == 200)
    errors = {s: sum(1 for _, x in writes if x == s) for s in {s for _, s in writes if s != 200}}
    rate = ok / took
    lines = [
        f"  {judges} judges, {processes} process{'es' if processes > 1 else ''}, {len(writes)} writes in {took:.1f} s: "
        f"{rate:.0f} writes/s acknowledged; p50 {percentile(times, 0.5):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, "
        f"p99 {percentile(times, 0.99):.0f} ms, max {max(times):.0f} ms; errors {errors or 'none'}"
    ]
    spent = [a - b for a, b in zip(cpu_after, cpu_before, strict=True) if a is not None and b is not None]
    if spent and ok:
        per_write = sum(spent) / ok * 1000  # the console's reads are in it too
        lines.append(
            f"  server CPU: {sum(spent):.1f} s for {ok} writes and {len(console)} console reads, {per_write:.2f} ms "
            f"a write (so at most {1000 / per_write:.0f} writes/s a process on one free core)"
        )
    shown = [c * 1000 for c in console]
    lines.append(
        f"  the chief's console meanwhile: {len(shown)} reads, p50 {percentile(shown, 0.5):.0f} ms, "
        f"p99 {percentile(shown, 0.99):.0f} ms, mean {statistics.mean(shown) if shown else float('nan'):.0f} ms"
    )
    lines.append(
        f"  stored once: {stored} versions for {ok} writes acknowledged ({'yes' if stored == ok else 'NO'}); "
        f"audit verify: {'passed' if verify.returncode == 0 else 'FAILED: ' + verify.stdout[-300:]}"
    )
    bare = bare_baseline(len(writes), min(judges, 32), backend)
    lines.append(
        f"  bare baseline: {bare:.0f} one-row transactions/s; ratio acknowledged writes / bare: {rate / bare:.2f}"
    )
    print("\n".join(lines), flush=True)
    return Figures(rate, lines[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--judges", type=int, nargs="+", default=[50, 100])
    parser.add_argument("--threads", type=int, default=0, help="SCORING_THREADS for the server (0: its default)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--processes", type=int, nargs="+", default=[1], help="server processes (several: Redis)")
    args = parser.parse_args()
    print(f"sheet writes through the API: power-safety hydrant round, 14 teams, save then submit; "
          f"{args.backend}; {os.cpu_count()} cores")  # fmt: skip
    for count in args.judges:
        alone: float | None = None
        for processes in args.processes:
            figures = run(count, args.threads, args.backend, processes)
            if processes == 1:
                alone = figures.writes_per_second
            elif alone:
                print(f"  {processes} processes / 1 process: {figures.writes_per_second / alone:.2f}x")


if __name__ == "__main__":
    main()
