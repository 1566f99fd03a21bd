"""Integration tests run against SQLite always, and against PostgreSQL when it answers.

Each test gets a database of its own, copied from a template built once per test run and
database kind (tests/integration/databases.py): `sessions` a migrated database, `world` the
API tests' world (tests/integration/world.py). Where PostgreSQL is not reachable its tests are
skipped with the reason, except in CI (CI=true), where they must run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.models import Event, Judge, Round
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.integration.databases import KINDS, POSTGRES_URL, Place, Templates, require
from tests.integration.stored_examples import StoredExample
from tests.integration.world import SharedApp, World, ok


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    made.remove()


@pytest.fixture(params=KINDS)
def database_kind(request: pytest.FixtureRequest) -> str:
    require(request.param)
    return str(request.param)


def _migrated(place: Place) -> None:
    engine = make_engine(place.url)
    migrate(engine)
    engine.dispose()


@pytest.fixture
def database_url(database_kind: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of this test's own, with no schema yet: a SQLite file, or a PostgreSQL
    schema made for the test and dropped after it (for tests of migrating and of refusing)."""
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')  # type: ignore[arg-type]


@pytest.fixture
def sessions(database_kind: str, templates: Templates, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A migrated database of this test's own."""
    with templates.copy("migrated", database_kind, _migrated, tmp_path / "data") as (place, _):
        engine = make_engine(place.url)
        yield session_factory(engine)
        engine.dispose()


@pytest.fixture(scope="session")
def shared_apps() -> dict[str, SharedApp]:
    """The app every copy of a database kind's world shares (tests/integration/world.py)."""
    return {kind: SharedApp() for kind in KINDS}


@pytest.fixture
def world(
    database_kind: str, templates: Templates, shared_apps: dict[str, SharedApp], tmp_path: Path
) -> Iterator[World]:
    """The API tests' world (tests/integration/world.py), a copy of this test's own."""
    with templates.copy("world", database_kind, World.build, tmp_path / "data") as (place, seating):
        made = World(place, seating, shared=shared_apps[database_kind])
        yield made
        made.close()


@pytest.fixture
def venue(stored_safety: StoredExample, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The app on a copy of the stored power-safety example (every round locked): an organiser
    signed in, the hydrant round's chief judge (e1) signed in, and a client for anyone else."""
    sessions = stored_safety.sessions(tmp_path)
    with sessions.begin() as db:
        create_user(db, "org", "correct horse", "organiser", actor="test")
        hydrant = db.scalar(select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == "hydrant"))
        chief_id = db.scalar(select(Judge.id).where(Judge.key == "e1"))
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'store.sqlite3'}"))
    with TestClient(app) as organiser, TestClient(app) as chief, TestClient(app) as leader:
        ok(organiser.post("/api/session", json={"username": "org", "password": "correct horse"}))
        access = ok(organiser.post(f"/api/admin/judges/{chief_id}/access"))
        ok(chief.get(access["link"], follow_redirects=False), (302, 303))
        yield {"organiser": organiser, "chief": chief, "leader": leader, "hydrant": hydrant, "sessions": sessions}


REDIS_URL = os.environ.get("SCORING_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url() -> str:
    """Redis at 127.0.0.1:6379 (or $SCORING_TEST_REDIS_URL); skipped where absent, except in CI."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:  # any failure to connect means "not available here"
        problem = f"Redis not reachable at {REDIS_URL}: {exc}".splitlines()[0]
        if os.environ.get("CI"):
            pytest.fail(f"{problem} (Redis tests must run in CI)")
        pytest.skip(problem)
    return REDIS_URL
