"""Benchmark: N contestants answering an online preliminary at once through the HTTP API.

The power-safety example made by `scoring init`, N contestants added by the roster import, the
example question bank (examples/online_practice/bank.csv) imported and a preliminary of Q
questions drawn per contestant; one server process (uvicorn, `server.app:create_app`). All N
contestants start together (one start each), then each answers every question of their paper
in turn (each answer one write: PUT /api/online/{token}/attempts/{id}/answers/{question}),
changes R of them (a later answer supersedes, history kept), and hands in. The contestants are
N asyncio tasks sharing one HTTP client whose pool holds at most C connections (the machine's
file descriptors; a FIFO gate in front of it), so a request's time includes its wait for a
connection, as a phone's includes its network.

Printed: answers acknowledged per second, p50/p95/p99/max of an answer, errors by status, the
starts' and hand-ins' p50/p99, the server's CPU time per answer (from /proc), whether every
acknowledged answer is stored once (rows in online_answers = answers answered 200) and
`scoring audit verify`; in the same run the bare baseline of bench/bench_writes.py (one-row
transactions on the same database kind with the server's settings) and the ratio to it.
Printed, never asserted. Backends: sqlite or postgresql (a fresh database on
$SCORING_BENCH_POSTGRES_URL's server, dropped afterwards).

Run: .venv/bin/python bench/bench_online.py [--contestants 200 2000] [--questions 20]
     [--backend sqlite|postgresql] [--connections 400]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_live import ROOT
from bench.bench_writes import (
    bare_baseline,
    cpu_seconds,
    drop_postgres,
    fresh_postgres,
    percentile,
    prepare_store,
    start_server,
    store_env,
)
from bench.write_store import count_and_verify
from scoring.store.database import sqlite_url
from scoring.store.online_models import OnlineAnswer

BANK = ROOT / "examples" / "online_practice" / "bank.csv"
VALUES = {"single": ["A", "B"], "multiple": ["AB", "BC"], "true_false": ["TRUE", "FALSE"], "numeric": ["1", "2"]}


def set_up(base: str, organiser: dict[str, str], key: str, contestants: int, questions: int) -> list[str]:
    """The roster, the bank and the preliminary; each contestant's link token."""
    org = httpx.Client(base_url=base, headers={"Origin": base}, timeout=300)
    org.post("/api/session", json=organiser).raise_for_status()
    rows = ["unit,contestant,name,role"] + [f"d0{n % 8 + 1},c{n:05d},选手{n},member" for n in range(contestants)]
    roster = ("roster.csv", "\n".join(rows).encode("utf-8"))
    org.post(f"/api/admin/competitions/{key}/roster", files={"roster": roster}).raise_for_status()
    org.post(
        f"/api/admin/competitions/{key}/online/bank", files={"bank": ("bank.csv", BANK.read_bytes())}
    ).raise_for_status()
    paper = {"key": "prelim", "kind": "preliminary", "title_zh": "初赛", "time_limit_minutes": 120,
             "rules": [{"topic": "*", "difficulty": "*", "count": questions}]}  # fmt: skip
    org.post(f"/api/admin/competitions/{key}/online/papers", json=paper).raise_for_status()
    links = org.get(f"/api/admin/competitions/{key}/online/links").json()["contestants"]
    org.close()
    return [urlsplit(c["link"]).path.rsplit("/", 1)[1] for c in links if c["key"].startswith("c")]


GATE: asyncio.Semaphore | None = None  # requests in flight at most (set by `crowd`)


async def timed(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> tuple[float, int, Any]:
    """One request's time, its wait for a free connection included (the gate: a FIFO queue; the
    HTTP client's own pool slows down badly with thousands of waiters)."""
    began = time.perf_counter()
    assert GATE is not None
    async with GATE:
        try:
            response = await client.request(method, url, **kwargs)
            status, body = response.status_code, response.json() if response.status_code < 500 else None
        except httpx.HTTPError:
            status, body = 0, None
    return time.perf_counter() - began, status, body


async def contestant(
    client: httpx.AsyncClient, token: str, changes: int, start: asyncio.Event, out: dict[str, list]
) -> None:
    await start.wait()
    took, status, body = await timed(
        client, "POST", f"/api/online/{token}/papers/prelim/start", json={"client_id": uuid.uuid4().hex}
    )
    out["starts"].append((took, status))
    if status != 201:
        return
    attempt = body["attempt"]
    took, status, view = await timed(client, "GET", f"/api/online/{token}/attempts/{attempt}")
    if status != 200:
        out["answers"].append((took, status))
        return
    questions = view["questions"]
    plan = [(q, VALUES[q["type"]][0]) for q in questions] + [(q, VALUES[q["type"]][1]) for q in questions[:changes]]
    for q, value in plan:
        url = f"/api/online/{token}/attempts/{attempt}/answers/{q['key']}"
        took, status, _ = await timed(client, "PUT", url, json={"answer": value, "client_id": uuid.uuid4().hex})
        out["answers"].append((took, status))
    out["submits"].append((await timed(client, "POST", f"/api/online/{token}/attempts/{attempt}/submit"))[:2])


async def crowd(base: str, tokens: list[str], changes: int, connections: int) -> tuple[dict[str, list], float]:
    global GATE
    GATE = asyncio.Semaphore(connections)
    out: dict[str, list] = {"starts": [], "answers": [], "submits": []}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, headers={"Origin": base}, timeout=600, limits=limits) as client:
        start = asyncio.Event()
        tasks = [asyncio.create_task(contestant(client, t, changes, start, out)) for t in tokens]
        await asyncio.sleep(0.5)
        began = time.perf_counter()
        start.set()
        await asyncio.gather(*tasks)
        return out, time.perf_counter() - began


def ms(pairs: list[tuple[float, int]]) -> list[float]:
    return [t * 1000 for t, _ in pairs]


def run(contestants: int, questions: int, changes: int, backend: str, connections: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "store"
        database_url = fresh_postgres() if backend == "postgresql" else sqlite_url(folder)
        try:
            key, organiser = prepare_store(folder, database_url)
            env = store_env(folder, database_url)
            server, base = start_server(env, 0)
            try:
                tokens = set_up(base, organiser, key, contestants, questions)
                cpu_before = cpu_seconds(server.pid)
                out, took = asyncio.run(crowd(base, tokens, changes, connections))
                cpu_after = cpu_seconds(server.pid)
            finally:
                server.terminate()
                server.wait(timeout=30)
            report(folder, database_url, backend, contestants, out, took, cpu_before, cpu_after, connections)
        finally:
            if backend == "postgresql":
                drop_postgres(database_url)


def report(folder: Path, url: str, backend: str, n: int, out: dict[str, list], took: float,
           cpu_before: float | None, cpu_after: float | None, connections: int) -> None:  # fmt: skip
    stored, verified = count_and_verify(folder, url, OnlineAnswer.id)
    answers = out["answers"]
    ok = sum(1 for _, s in answers if s == 200)
    errors = {s: sum(1 for _, x in answers if x == s) for s in {s for _, s in answers if s != 200}}
    times, starts, submits = ms(answers), ms(out["starts"]), ms(out["submits"])
    rate = ok / took
    print(
        f"  {n} contestants at once ({connections} connections at most), {len(answers)} answers in {took:.1f} s: "
        f"{rate:.0f} answers/s acknowledged; p50 {percentile(times, 0.5):.0f} ms, "
        f"p95 {percentile(times, 0.95):.0f} ms, p99 {percentile(times, 0.99):.0f} ms, "
        f"max {max(times, default=0):.0f} ms; errors {errors or 'none'}"
    )
    print(
        f"  starts: {sum(1 for _, s in out['starts'] if s == 201)}/{n}, p50 {percentile(starts, 0.5):.0f} ms, "
        f"p99 {percentile(starts, 0.99):.0f} ms; hand-ins: {sum(1 for _, s in out['submits'] if s == 200)}, "
        f"p50 {percentile(submits, 0.5):.0f} ms, p99 {percentile(submits, 0.99):.0f} ms"
    )
    if cpu_before is not None and cpu_after is not None and ok:
        spent = cpu_after - cpu_before
        print(
            f"  server CPU: {spent:.1f} s, {spent / ok * 1000:.2f} ms an answer (starts, reads and hand-ins in it too)"
        )
    print(
        f"  stored once: {stored} answers for {ok} acknowledged ({'yes' if stored == ok else 'NO'}); "
        f"audit verify: {verified}"
    )
    bare = bare_baseline(len(answers), 32, backend)
    print(
        f"  bare baseline: {bare:.0f} one-row transactions/s; ratio acknowledged answers / bare: {rate / bare:.2f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contestants", type=int, nargs="+", default=[200])
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--changes", type=int, default=2, help="answers each contestant changes afterwards")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--connections", type=int, default=400, help="the client's connection pool")
    args = parser.parse_args()
    print(f"online answers through the API: {args.questions} questions a paper, {args.changes} changed; "
          f"{args.backend}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for n in args.contestants:
        run(n, args.questions, args.changes, args.backend, args.connections)


if __name__ == "__main__":
    main()
