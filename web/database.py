"""The database as the routes receive it: one transaction per use case.

The app keeps one `Database`; Litestar's dependency injection hands it to every route that
names a `database` parameter. A route runs a use case in one transaction
(`database.do(use_case, ...)`, or `with database.transaction() as db:` when it calls several
services), handing the session to the services and store functions (which never open their
own), and announces what changed only after the transaction has committed. A refusal raised
inside rolls everything back, so a failed request changes nothing. `database.read()` is for
routes that only read; `await database.run(...)` is `do` from an async page handler.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any, TypeVar

import anyio
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from scoring.store.database import deferred_read, writer_queue
from scoring.store.live import COMMITTED_SEQS

T = TypeVar("T")


class Database:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        bind = sessions.kw.get("bind")
        self._writers = writer_queue(bind) if isinstance(bind, Engine) else None
        #: Told, after a transaction commits, the (competition id, seq) of the live changes it
        #: recorded (scoring/store/live.py); the app sets it to announce them to the boards.
        self.on_live_changes: Callable[[list[tuple[int, int]]], None] | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on any error.
        The live changes it recorded are announced after the commit, never before."""
        with self._writers or nullcontext(), self._sessions.begin() as session:  # SQLite: writers in turn
            yield session
        seqs = session.info.pop(COMMITTED_SEQS, None)
        if seqs and self.on_live_changes is not None:
            self.on_live_changes(seqs)

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


#: How a route names the database it is handed: `database: InjectedDatabase`.
InjectedDatabase = NamedDependency[Database]


def provide_database(state: State) -> Database:
    """The dependency named `database` (registered on the app)."""
    database: Database = state.database
    return database
