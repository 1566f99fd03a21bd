"""Serving the app for tests that need a real server (browsers, WebSocket clients, the
simulation): uvicorn in a thread on a free local port."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from scoring.store.database import make_engine, session_factory
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.helpers import committed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_app(app: Any, port: int | None = None) -> Iterator[str]:
    """`app` served by uvicorn in a thread on a free port (or `port`); yields the base URL and
    stops the server after."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port or free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_store(data_dir: Path, copy_of: Path | None = None, port: int | None = None) -> Iterator[str]:
    """The app on `data_dir`'s SQLite store (a copy of `copy_of` when given: a stored example),
    with an organiser "organiser" / "demo-password"; yields the base URL. Served again on the
    same folder and port, it is the same server restarted (the organiser is made once)."""
    database = data_dir / "e2e.sqlite3"
    again = database.exists() and copy_of is None
    if copy_of is not None:
        shutil.copyfile(copy_of, database)
    url = f"sqlite:///{database}"
    app = create_app(Settings(data_dir=data_dir, database_url=url))
    if not again:
        sessions = session_factory(make_engine(url))
        committed(sessions, create_user, "organiser", "demo-password", "organiser", actor="test")
    with serve_app(app, port) as base:
        yield base
