"""Benchmark: judges' sheet writes through the HTTP API at once, and the chief's console meanwhile.

N judges signed in through their access links (the power-safety example made by `scoring
init`, the hydrant round's panel made of N judges) all save, then submit, their sheet for each
of the 14 teams at once, each from its own client thread, against one server process (uvicorn,
`server.app:create_app`, in a process of its own). Meanwhile the round's chief asks for the
console every 100 ms. Printed: writes acknowledged per second, p50/p95/p99/max of a write,
errors, the console's p50/p99; afterwards every acknowledged write is stored once (versions in
the store = writes answered 200) and `scoring audit verify` passes. In the same run, the bare
baseline: the same number of one-row transactions on a SQLite file with the server's settings
(WAL, synchronous = FULL, BEGIN IMMEDIATE) from as many threads. Printed, never asserted.

Run: .venv/bin/python bench/bench_writes.py [--judges 50 100] [--threads T]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_live import HOST, ROOT, free_port, prepare_ours
from scoring.store.database import make_engine, session_factory, sqlite_url
from scoring.store.models import Event, Judge, Round, SheetVersion

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


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def start_server(folder: Path, threads: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = os.environ | {"SCORING_DATA_DIR": str(folder)}
    for name in ("SCORING_DATABASE_URL", "SCORING_SECRET_KEY", "SCORING_REDIS_URL"):
        env.pop(name, None)
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


def seat_judges(folder: Path, base: str, organiser: dict[str, str], key: str, count: int) -> tuple[int, list[str]]:
    """N judges made, seated on the hydrant round (the first its chief), their access links."""
    org = httpx.Client(base_url=base, headers={"Origin": base}, timeout=60)
    org.post("/api/session", json=organiser).raise_for_status()
    keys = [f"b{n:03d}" for n in range(count)]
    for judge in keys:
        org.post(f"/api/admin/competitions/{key}/judges", json={"key": judge, "name": judge}).raise_for_status()
    engine = make_engine(sqlite_url(folder))
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


def bare_baseline(count: int, threads: int) -> float:
    """One-row transactions on a SQLite file with the server's settings, from `threads` threads:
    transactions a second."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/bare.sqlite3")
        with engine.begin() as c:
            c.execute(text("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)"))
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
        return each * threads / took


def run(judges: int, threads: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "store"
        store = prepare_ours(folder)
        server, base = start_server(folder, threads)
        try:
            round_id, links = seat_judges(folder, base, store.organiser, store.competition, judges)
            writes: list[tuple[float, int]] = []
            console: list[float] = []
            start = threading.Barrier(judges + 1)
            stop = threading.Event()
            runners = [threading.Thread(target=judge_run, args=(base, link, round_id, start, writes)) for link in links]
            for r in runners:
                r.start()
            watcher = threading.Thread(target=console_run, args=(base, links[0], round_id, stop, console))
            start.wait()
            began = time.perf_counter()
            watcher.start()
            for r in runners:
                r.join()
            took = time.perf_counter() - began
            stop.set()
            watcher.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
        engine = make_engine(sqlite_url(folder))
        with session_factory(engine)() as db:
            stored = db.execute(select(func.count(SheetVersion.id))).scalar_one()
        engine.dispose()
        verify = subprocess.run(
            [sys.executable, "-c", "from server.cli import main; main()", "audit", "verify", "--data", str(folder)],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    times = [t * 1000 for t, _ in writes]
    ok = sum(1 for _, s in writes if s == 200)
    errors = {s: sum(1 for _, x in writes if x == s) for s in {s for _, s in writes if s != 200}}
    print(
        f"  {judges} judges, {len(writes)} writes in {took:.1f} s: {ok / took:.0f} writes/s acknowledged; "
        f"p50 {percentile(times, 0.5):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, "
        f"p99 {percentile(times, 0.99):.0f} ms, max {max(times):.0f} ms; errors {errors or 'none'}"
    )
    shown = [c * 1000 for c in console]
    print(
        f"  the chief's console meanwhile: {len(shown)} reads, p50 {percentile(shown, 0.5):.0f} ms, "
        f"p99 {percentile(shown, 0.99):.0f} ms, mean {statistics.mean(shown) if shown else float('nan'):.0f} ms"
    )
    print(
        f"  stored once: {stored} versions for {ok} writes acknowledged ({'yes' if stored == ok else 'NO'}); "
        f"audit verify: {'passed' if verify.returncode == 0 else 'FAILED: ' + verify.stdout[-300:]}"
    )
    bare = bare_baseline(len(writes), min(judges, 32))
    print(
        f"  bare baseline: {bare:.0f} one-row transactions/s; ratio acknowledged writes / bare: {ok / took / bare:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--judges", type=int, nargs="+", default=[50, 100])
    parser.add_argument("--threads", type=int, default=0, help="SCORING_THREADS for the server (0: its default)")
    args = parser.parse_args()
    print(f"sheet writes through the API: power-safety hydrant round, 14 teams, save then submit; SQLite; "
          f"{os.cpu_count()} cores")  # fmt: skip
    for count in args.judges:
        run(count, args.threads)


if __name__ == "__main__":
    main()
