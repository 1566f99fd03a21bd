"""The write benchmark's stage: a fresh store, the servers on it, the judges seated, the check after.

A store is the power-safety example made by `scoring init` in a temporary folder, on SQLite
(a file there) or PostgreSQL (a fresh database on $SCORING_BENCH_POSTGRES_URL's server, default
postgresql://postgres@127.0.0.1:5432/postgres, dropped afterwards). Servers are uvicorn
processes of `server.app:create_app`, each on a port of its own; with several, they share Redis.
Judges are made and seated through the organiser's API (a panel holds at most 100). Afterwards,
the versions stored and `scoring audit verify`. It measures nothing: bench/bench_writes.py does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from bench.bench_live import EXAMPLE, HOST, ROOT, free_port
from scoring.store.database import make_engine, session_factory, sqlite_url
from scoring.store.models import Competition, Event, Judge, Round, SheetVersion

POSTGRES_SERVER = os.environ.get("SCORING_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PANEL_MOST = 100  # the organiser's API seats at most 100 judges on a round (organiser/api.py)
TEAMS = [f"s{n:02d}" for n in range(1, 15)]  # the hydrant round's entries
COMPLETE = {
    "open_cabinet": "1",
    "lay_hose": "12",
    "couple": "1",
    "open_valve": "1",
    "hit_target": "18",
    "unsafe": "0",
    "no_reset": "0",
}


def store_env(folder: Path, database_url: str, redis_url: str | None = None) -> dict[str, str]:
    """The environment of `scoring` and the servers for this run's store."""
    env = os.environ | {"SCORING_DATA_DIR": str(folder), "SCORING_DATABASE_URL": database_url}
    for name in ("SCORING_SECRET_KEY", "SCORING_REDIS_URL", "SCORING_THREADS"):
        env.pop(name, None)
    if redis_url:
        env["SCORING_REDIS_URL"] = redis_url
    return env


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


@contextmanager
def fresh_store(folder: Path, backend: str) -> Iterator[str]:
    """An empty database for a store in `folder`: its URL (a PostgreSQL one dropped afterwards)."""
    database_url = fresh_postgres() if backend == "postgresql" else sqlite_url(folder)
    try:
        yield database_url
    finally:
        if backend == "postgresql":
            drop_postgres(database_url)


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


@contextmanager
def servers_on(folder: Path, database_url: str, threads: int, processes: int, redis_url: str) -> Iterator[
    list[tuple[subprocess.Popen[bytes], str]]
]:  # fmt: skip
    """K servers on the store, stopped afterwards; with K > 1 they share Redis."""
    env = store_env(folder, database_url, redis_url if processes > 1 else None)
    servers: list[tuple[subprocess.Popen[bytes], str]] = []
    try:
        for _ in range(processes):
            servers.append(start_server(env, threads))
        yield servers
    finally:
        for server, _ in servers:
            server.terminate()
            server.wait(timeout=30)


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


def count_and_verify(folder: Path, database_url: str, counted: Any) -> tuple[int, str]:
    """How many rows the store holds of `counted` (a model's id column), and what `scoring audit
    verify` says of the chain: "passed", or "FAILED: " and the end of its report."""
    engine = make_engine(database_url)
    with session_factory(engine)() as db:
        stored = int(db.execute(select(func.count(counted))).scalar_one())
    engine.dispose()
    verify = subprocess.run(
        [sys.executable, "-c", "from server.cli import main; main()", "audit", "verify", "--data", str(folder)],
        cwd=ROOT, env=store_env(folder, database_url), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return stored, "passed" if verify.returncode == 0 else "FAILED: " + verify.stdout[-300:]


def check_store(folder: Path, database_url: str, acknowledged: int) -> str:
    """Whether every acknowledged write is stored once, and the audit chain verifies: a line."""
    stored, verified = count_and_verify(folder, database_url, SheetVersion.id)
    return (
        f"  stored once: {stored} versions for {acknowledged} writes acknowledged "
        f"({'yes' if stored == acknowledged else 'NO'}); audit verify: {verified}"
    )


@dataclass
class Stage:
    """A fresh store with its servers running and the judges seated, for one measurement."""

    folder: Path
    database_url: str
    backend: str
    servers: list[tuple[subprocess.Popen[bytes], str]]
    round_id: int
    links: list[str]

    @property
    def bases(self) -> list[str]:
        return [base for _, base in self.servers]

    @property
    def pids(self) -> list[int]:
        return [server.pid for server, _ in self.servers]

    @property
    def postgres_url(self) -> str | None:
        return self.database_url if self.backend == "postgresql" else None

    def stop(self) -> None:
        """Stops the servers (before the store is checked)."""
        for server, _ in self.servers:
            server.terminate()
            server.wait(timeout=30)


@contextmanager
def stage(backend: str, threads: int, processes: int, judges: int, redis_url: str) -> Iterator[Stage]:
    """The power-safety store on `backend`, K servers on it, N judges seated on the hydrant round;
    everything gone afterwards."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "store"
        with fresh_store(folder, backend) as database_url:
            key, organiser = prepare_store(folder, database_url)
            with servers_on(folder, database_url, threads, processes, redis_url) as servers:
                round_id, links = seat_judges(database_url, servers[0][1], organiser, key, judges)
                yield Stage(folder, database_url, backend, servers, round_id, links)
