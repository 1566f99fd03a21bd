"""Integration tests run against SQLite always, and against PostgreSQL when it answers.

Each test gets a database of its own, copied from a template built once per test run and
database kind (tests/integration/databases.py): `sessions` a migrated database, `world` the
API tests' world (tests/integration/world.py). Where PostgreSQL is not reachable its tests are
skipped with the reason, except in CI (CI=true), where they must run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from scoring.store.database import make_engine, migrate, session_factory
from tests.integration.databases import KINDS, Place, Templates, require
from tests.integration.world import SharedApp, World


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
