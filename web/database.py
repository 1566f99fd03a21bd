"""The database as the routes receive it: one transaction per use case.

The app keeps one `Database`; Litestar's dependency injection hands it to every route that
names a `database` parameter. A route runs a use case in one transaction
(`database.do(use_case, ...)`, or `with database.transaction() as db:` when it calls several
services), handing the session to the services and store functions (which never open their
own), and announces what changed only after the transaction has committed. A refusal raised
inside rolls everything back, so a failed request changes nothing. `database.read()` is for
routes that only read; `await database.run(...)` is `do` from an async page handler.

The read lane: the guards' sign-in checks and the screens that must answer at once however
many judges are writing (the chief's console) run on a few threads of their own
(`await database.in_read_lane(...)`, `await database.read_async(...)`), never queued behind the
writers waiting for the routes' threads and SQLite's write lock.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from functools import partial
from typing import Any, TypeVar

import anyio
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from scoring.store.database import deferred_read, writer_queue
from scoring.store.live import COMMITTED_SEQS

T = TypeVar("T")


#: Threads of the read lane (each may hold a database connection: Settings.database_pool counts them).
READ_LANE_THREADS = 4


class Database:
    def __init__(self, sessions: sessionmaker[Session], read_lane_threads: int = READ_LANE_THREADS) -> None:
        self._sessions = sessions
        self._read_lane_threads = read_lane_threads
        self._read_lane: ThreadPoolExecutor | None = None  # made when first used
        self._read_lane_made = threading.Lock()
        self._writing = threading.local()  # .depth: this thread's open write transactions
        bind = sessions.kw.get("bind")
        self._writers = writer_queue(bind) if isinstance(bind, Engine) else None
        #: Told, after a transaction commits, the (competition id, seq) of the live changes it
        #: recorded (scoring/store/live.py); the app sets it to announce them to the boards.
        self.on_live_changes: Callable[[list[tuple[int, int]]], None] | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on any error.
        The live changes it recorded are announced after the commit, never before."""
        self._writing.depth = getattr(self._writing, "depth", 0) + 1
        try:
            with self._writers or nullcontext(), self._sessions.begin() as session:  # SQLite: writers in turn
                yield session
        finally:
            self._writing.depth -= 1
        seqs = session.info.pop(COMMITTED_SEQS, None)
        if seqs and self.on_live_changes is not None:
            self.on_live_changes(seqs)

    def writing_here(self) -> bool:
        """Whether the calling thread is inside a write transaction (for checks that slow work,
        such as hashing a PIN, is never done while holding one)."""
        return getattr(self._writing, "depth", 0) > 0

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed. On SQLite it takes no write lock
        (a deferred transaction on one snapshot), so a guard's or a page's read never waits
        behind the writers."""
        with self._sessions() as session:
            deferred_read(session)
            yield session

    def do(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a use case in one transaction: `use_case(session, *args, **kwargs)`."""
        with self.transaction() as session:
            return use_case(session, *args, **kwargs)

    async def run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a use case in a worker thread, in one transaction: `use_case(session, *args)`.
        For async handlers (the pages), which must not block the event loop."""

        def call() -> T:
            with self.transaction() as session:
                return use_case(session, *args, **kwargs)

        return await anyio.to_thread.run_sync(call)

    def _lane(self) -> ThreadPoolExecutor:
        with self._read_lane_made:
            if self._read_lane is None:
                self._read_lane = ThreadPoolExecutor(self._read_lane_threads, thread_name_prefix="read-lane")
            return self._read_lane

    async def in_read_lane(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on the read lane's threads (for work that only reads the database)."""
        return await asyncio.get_running_loop().run_in_executor(self._lane(), partial(fn, *args))

    async def read_async(self, use_case: Callable[..., T], *args: Any) -> T:
        """`use_case(session, *args)` in a read session, on the read lane."""

        def call() -> T:
            with self.read() as session:
                return use_case(session, *args)

        return await self.in_read_lane(call)

    def close(self) -> None:
        """Stop the read lane's threads (the app's shutdown)."""
        with self._read_lane_made:
            lane, self._read_lane = self._read_lane, None
        if lane is not None:
            lane.shutdown(wait=False)


#: How a route names the database it is handed: `database: InjectedDatabase`.
InjectedDatabase = NamedDependency[Database]


def provide_database(state: State) -> Database:
    """The dependency named `database` (registered on the app)."""
    database: Database = state.database
    return database
