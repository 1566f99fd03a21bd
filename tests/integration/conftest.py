"""Databases for integration tests: SQLite always; PostgreSQL when it answers.

PostgreSQL tests run in a schema of their own that is dropped afterwards. Where PostgreSQL is
not reachable they are skipped with the reason, except in CI (CI=true), where they must run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.orm import Session, sessionmaker

from scoring.store.database import make_engine, migrate, session_factory
from tests.integration.world import World

POSTGRES_URL = os.environ.get("SCORING_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_problem() -> str | None:
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except Exception as exc:  # any failure to connect means "not available here"
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}".splitlines()[0]
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    problem = _postgres_problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"{problem} (PostgreSQL tests must run in CI)")
        pytest.skip(problem)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    migrate(engine)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[World]:
    """The API tests' world (tests/integration/world.py)."""
    made = World(database_url, tmp_path)
    yield made
    made.close()
