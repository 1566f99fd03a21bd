"""Opening a store that `scoring init` (or `make demo`) made, and only such a store.

Every command but `scoring init` works on an existing store: a missing or mistyped data
folder, or a database URL whose database has no schema, is refused with how to make one, and
nothing is created (no folder, no SQLite file, no tables). Creating stays the one deliberate
step, so a typo never leaves an empty database behind for the next command to find.

A store counts as existing when its schema was made: Alembic's version table is there. Such a
store is brought to the newest schema on opening, as the server does on start.

A process that serves a data folder holds a shared lock on its `.serving.lock` for as long as
it serves (`serving`); the demo, which wipes its folder to start afresh, first takes the lock
exclusively (`exclusive_use`) and is refused while anyone serves it, so it never destroys a
database another process is serving. (flock: POSIX systems, where the project runs.)
"""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import inspect, make_url
from sqlalchemy.orm import Session, sessionmaker

from scoring.refusals import Conflict, NotFound
from scoring.store.database import make_engine, migrate, private_dir, session_factory
from server.settings import Settings

SERVING_LOCK = ".serving.lock"
# where `make demo` keeps its database, relative to the repository (and so to the usual cwd)
DEMO_DATA = Path("data") / "demo-server"


class NoStore(NotFound):
    """There is no store where the settings point; says how to make one."""


class StoreInUse(Conflict):
    """Another process serves the data folder that was to be wiped."""


def _sqlite_file(url: str) -> Path | None:
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def _has_schema_sqlite(file: Path) -> bool:
    """Read-only look: opening a file for writing would already change it."""
    if not file.is_file():
        return False
    connection = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone()
    except sqlite3.DatabaseError:  # not a SQLite database at all: not a store either
        return False
    finally:
        connection.close()
    return found is not None


def missing_store(settings: Settings) -> NoStore:
    """The refusal for a store that is not there: where it was looked for and how to make one."""
    if settings.database_url.startswith("sqlite"):
        where = str(settings.data_dir)
        make = f"scoring init --data {settings.data_dir}"
    else:
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        make = "scoring init"
    zh = f"没有数据库：{where}。请先运行 {make} 创建（或用 --data 指定已有的数据目录）"
    en = f"no database at {where}: make one with `{make}` (or point --data at an existing data folder)"
    demo = DEMO_DATA / "scoring.sqlite3"
    if (
        settings.database_url.startswith("sqlite")
        and demo.is_file()
        and settings.data_dir.resolve() != DEMO_DATA.resolve()
    ):
        zh += f"；make demo 的数据库在 {DEMO_DATA}：加上 --data {DEMO_DATA}"
        en += f"; the demo's database (make demo) is in {DEMO_DATA}: add --data {DEMO_DATA}"
    return NoStore(zh, en)


def require_store(settings: Settings) -> None:
    """Refuse (NoStore) unless the store the settings name exists; creates nothing."""
    url = settings.database_url
    if url.startswith("sqlite"):
        file = _sqlite_file(url)
        if file is None or not _has_schema_sqlite(file):
            raise missing_store(settings)
        return
    engine = make_engine(url)
    try:
        if not inspect(engine).has_table("alembic_version"):
            raise missing_store(settings)
    finally:
        engine.dispose()


def open_store(settings: Settings) -> sessionmaker[Session]:
    """Sessions on the existing store the settings name, brought to the newest schema; raises
    NoStore, creating nothing, when there is none."""
    require_store(settings)
    engine = make_engine(settings.database_url)
    migrate(engine)
    return session_factory(engine)


@contextmanager
def serving(data_dir: Path) -> Iterator[None]:
    """Held while this process serves the store in `data_dir`: nobody may wipe it meanwhile."""
    private_dir(data_dir)
    with (data_dir / SERVING_LOCK).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield


@contextmanager
def exclusive_use(data_dir: Path) -> Iterator[None]:
    """`data_dir` for this process alone (to wipe it); StoreInUse, at once, while another serves it.
    The lock file stays: whoever wipes the folder keeps it, so that the lock outlives the wipe."""
    private_dir(data_dir)
    with (data_dir / SERVING_LOCK).open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreInUse(
                f"{data_dir} 正被另一个进程使用（仍在运行的演示或 scoring serve）：请先停止它，数据库未被改动",
                f"another process is serving {data_dir} (a demo or scoring serve still running): "
                "stop it first; its database was left as it is",
            ) from None
        yield
