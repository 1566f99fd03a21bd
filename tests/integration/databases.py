"""Databases for integration tests: SQLite always; PostgreSQL when it answers.

Each test starts from a template built once per test run and database kind (migrated, and for
the API tests a whole signed-in world) and writes to a copy of its own, so nothing a test writes
reaches another:

- SQLite: the template is a data directory (the database file and the secret key); a test's copy
  is a copy of its files.
- PostgreSQL: the template is a database of its own, with a snapshot of its rows kept beside them
  (schema `snapshot`). Before each test the database is put back as the template was: anything
  still connected is ended, every table emptied and refilled from the snapshot, every sequence
  set back. That costs a tenth of a second; a database per test would cost more, because
  `CREATE DATABASE ... TEMPLATE` copies every file and `DROP DATABASE` forces a checkpoint of the
  whole server (a second or more while another run writes to it).

Database names carry a random part, so two runs on one server (two worktrees) never meet.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from scoring.store.database import make_engine

POSTGRES_URL = os.environ.get("SCORING_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
KINDS = ["sqlite", "postgresql"]
SQLITE_FILE = "scoring.sqlite3"


@cache
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used here, or None (asked once per test run)."""
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except Exception as exc:  # any failure to connect means "not available here"
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}".splitlines()[0]
    return None


def require(kind: str) -> None:
    """Skip a PostgreSQL test where the server is absent, except in CI (CI=true), where it must run."""
    problem = postgres_problem() if kind == "postgresql" else None
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"{problem} (PostgreSQL tests must run in CI)")
        pytest.skip(problem)


def _postgres_url(database: str) -> str:
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


def _admin(statement: str) -> None:
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Place:
    """Where a database is: its URL and the data directory beside it (secret key, uploads)."""

    url: str
    data_dir: Path


@dataclass(frozen=True)
class Snapshot:
    """A PostgreSQL template's rows, kept in its schema `snapshot`: its tables (parents before
    children) and where each sequence stood."""

    tables: list[str]
    sequences: list[tuple[str, int, bool]]


def _take_snapshot(url: str) -> Snapshot:
    engine = make_engine(url)
    try:
        ordered = inspect(engine).get_sorted_table_and_fkc_names(schema="public")
    finally:
        engine.dispose()
    assert ordered[-1] == (None, []), f"foreign keys in a cycle: {ordered[-1]}"
    tables = [table for table, _ in ordered if table is not None]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA snapshot")
        for table in tables:
            conn.execute(f'CREATE TABLE snapshot."{table}" AS TABLE public."{table}"')  # type: ignore[arg-type]
        names = conn.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'").fetchall()
        sequences = []
        for (name,) in names:
            row = conn.execute(f'SELECT last_value, is_called FROM public."{name}"').fetchone()  # type: ignore[arg-type]
            assert row is not None
            sequences.append((name, int(row[0]), bool(row[1])))
    return Snapshot(tables, sequences)


def _restore(url: str, snapshot: Snapshot) -> None:
    with psycopg.connect(url) as conn:  # one transaction: all of it or nothing
        # whatever an earlier test left connected (an engine never disposed) would hold locks
        conn.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        conn.execute("TRUNCATE " + ", ".join(f'public."{table}"' for table in snapshot.tables))  # type: ignore[arg-type]
        for table in snapshot.tables:
            conn.execute(f'INSERT INTO public."{table}" OVERRIDING SYSTEM VALUE SELECT * FROM snapshot."{table}"')  # type: ignore[arg-type]
        for name, value, called in snapshot.sequences:
            conn.execute("SELECT setval(%s, %s, %s)", (f'public."{name}"', value, called))


class Templates:
    """Templates built once per test run, on first use, copied for each test, removed at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[tuple[str, str], tuple[Place, Any, Snapshot | None]] = {}
        self.postgres: list[str] = []

    def _template(self, name: str, kind: str, build: Callable[[Place], Any]) -> tuple[Place, Any, Snapshot | None]:
        if (name, kind) not in self.built:
            data_dir = self.folder / f"{name}-{kind}"
            data_dir.mkdir(parents=True)
            if kind == "sqlite":
                place = Place(f"sqlite:///{data_dir / SQLITE_FILE}", data_dir)
                self.built[name, kind] = (place, build(place), None)
            else:
                database = f"t_{name}_{uuid.uuid4().hex[:12]}"
                _admin(f'CREATE DATABASE "{database}" TEMPLATE template0')  # template0: never connected to
                self.postgres.append(database)
                place = Place(_postgres_url(database), data_dir)
                built = build(place)
                self.built[name, kind] = (place, built, _take_snapshot(place.url))
        return self.built[name, kind]

    @contextmanager
    def copy(self, name: str, kind: str, build: Callable[[Place], Any], data_dir: Path) -> Iterator[tuple[Place, Any]]:
        """The template `name` of a database kind for one test, its data directory copied to
        `data_dir`, and what `build(place)` returned when it made the template.

        `build` fills an empty database and its data directory and leaves nothing connected."""
        template, built, snapshot = self._template(name, kind, build)
        shutil.copytree(template.data_dir, data_dir)
        if snapshot is None:
            yield Place(f"sqlite:///{data_dir / SQLITE_FILE}", data_dir), built
        else:
            _restore(template.url, snapshot)
            yield Place(template.url, data_dir), built

    def remove(self) -> None:
        """Drop the PostgreSQL databases this run made."""
        for database in self.postgres:
            _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
