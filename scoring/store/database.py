"""Engines, sessions and migrations, for SQLite (the default) and PostgreSQL.

The database file is this user's alone (0600), and so is a data folder made here (0700).
SQLite is opened so that an acknowledged write survives a power cut: write-ahead log,
synchronous = FULL, foreign keys on, and every transaction begun IMMEDIATE so that writers
queue instead of failing half-way. Migrations (Alembic) run on start.
"""

from __future__ import annotations

import collections
import os
import threading
import weakref
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

#: An execution option for a session that only reads and wants one consistent state of the
#: database: on SQLite its transaction begins deferred (no write lock), on PostgreSQL it runs
#: at REPEATABLE READ. `snapshot_read(session)` sets it.
SNAPSHOT_READ = "scoring_snapshot_read"


def deferred_read(session: Any) -> None:
    """Make `session` (before its first statement) a read that takes no write lock on SQLite
    (its transaction begins deferred and reads one snapshot); nothing on PostgreSQL, whose reads
    never wait for writers."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={SNAPSHOT_READ: True})


def snapshot_read(session: Any) -> None:
    """Make `session` (before its first statement) a snapshot read. A SQLite session begun by
    `deferred_read` is one already."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    elif not session.in_transaction():
        session.connection(execution_options={SNAPSHOT_READ: True})


def private_dir(path: Path) -> Path:
    """The data folder, made readable by this user only (0700) when it is made here."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'scoring.sqlite3').resolve()}"


def make_engine(url: str, **options: Any) -> Engine:
    """An engine with the settings this project relies on for its database."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **options)

        database_file = url.removeprefix("sqlite:///")

        @event.listens_for(engine, "connect")
        def _sqlite_settings(dbapi_connection: Any, _record: Any) -> None:
            if database_file and database_file != ":memory:" and os.path.exists(database_file):
                os.chmod(database_file, 0o600)  # before the WAL files, which take the database's mode
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON", "busy_timeout = 30000"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection: Any) -> None:
            # a snapshot read (SNAPSHOT_READ) begins deferred: in WAL mode it sees one consistent
            # state and never waits for, or holds up, a writer
            deferred = connection.get_execution_options().get(SNAPSHOT_READ)
            connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, **options)


def session_factory(engine: Engine, audit_key: bytes | None = None) -> sessionmaker[Session]:
    """Sessions on the engine. `audit_key` keys the audit chain (scoring/store/audit.py): every
    session carries it in `session.info`, so each store function's `audit.append` uses it. The
    server and the `scoring` command pass the deployment's key; without one, records are
    written unkeyed, and `scoring audit verify` says so."""
    return sessionmaker(engine, expire_on_commit=False, info={"audit_key": audit_key} if audit_key else {})


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def schema_is_current(engine: Engine) -> bool:
    """Whether the database is at the newest schema; reads only (migrating is `migrate`)."""
    newest = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == newest


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema."""
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class WriterQueue:
    """SQLite's writers of one process, one at a time, in the order they came (a FIFO hand-off,
    re-entrant for the thread that holds it): a writer waits here, woken when its turn comes,
    instead of spinning on SQLite's busy timeout behind BEGIN IMMEDIATE. Writers of other
    processes still meet at SQLite's lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: collections.deque[tuple[threading.Event, int]] = collections.deque()
        self._owner: int | None = None
        self._depth = 0

    def __enter__(self) -> WriterQueue:
        me = threading.get_ident()
        with self._lock:
            if self._owner == me:
                self._depth += 1
                return self
            if self._owner is None and not self._waiting:
                self._owner, self._depth = me, 1
                return self
            turn = threading.Event()
            self._waiting.append((turn, me))
        turn.wait()  # the holder hands the queue over: owner already set to this thread
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth:
                return
            if self._waiting:
                turn, thread = self._waiting.popleft()
                self._owner, self._depth = thread, 1
                turn.set()
            else:
                self._owner = None


_queues: weakref.WeakKeyDictionary[Engine, WriterQueue] = weakref.WeakKeyDictionary()
_queues_lock = threading.Lock()


def writer_queue(engine: Engine) -> WriterQueue | None:
    """The engine's queue of writers (SQLite), None where the database queues them (PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return None
    with _queues_lock:
        found = _queues.get(engine)
        if found is None:
            found = _queues[engine] = WriterQueue()
        return found
