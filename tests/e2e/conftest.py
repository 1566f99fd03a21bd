"""A running server (uvicorn on a free local port) and Debian's Chromium driven by Playwright.

Playwright cannot download browsers here, so it launches /usr/bin/chromium. Without it the
browser tests are skipped with the reason, except in CI (CI=true), where they must run.
Screenshots go to $SCORING_SCREENSHOTS (docs/screenshots when refreshing the committed ones),
else to the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from results.certificate_pdf import CHROMIUM, FLAGS  # one launch line for Chromium, tests and PDFs
from scoring.store.database import make_engine, session_factory
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.helpers import committed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_store(data_dir: Path, copy_of: Path | None = None, port: int | None = None) -> Iterator[str]:
    """The app served by uvicorn on a free port (or `port`), on `data_dir`'s SQLite store (a copy
    of `copy_of` when given: a stored example), with an organiser "organiser" / "demo-password";
    yields the base URL and stops the server after. Served again on the same folder and port, it
    is the same server restarted (the organiser is made once)."""
    database = data_dir / "e2e.sqlite3"
    again = database.exists() and copy_of is None
    if copy_of is not None:
        shutil.copyfile(copy_of, database)
    url = f"sqlite:///{database}"
    app = create_app(Settings(data_dir=data_dir, database_url=url))
    if not again:
        sessions = session_factory(make_engine(url))
        committed(sessions, create_user, "organiser", "demo-password", "organiser", actor="test")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port or _free_port(), log_level="warning"))
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


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with serve_store(tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One browser per test module: starting Playwright and Chromium costs a second and a half."""
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; browser tests must run in CI")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield CspBypassingBrowser(chromium)
        chromium.close()


class CspBypassingBrowser:
    """The browser with its pages' Content-Security-Policy bypassed by default: Playwright runs a
    string predicate (wait_for_function) with eval, which the pages' policy forbids, as it
    should. A test of the policy itself opens its context with bypass_csp=False."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **options: Any) -> Any:
        return self._browser.new_context(**({"bypass_csp": True} | options))

    def new_page(self, **options: Any) -> Any:
        return self._browser.new_page(**({"bypass_csp": True} | options))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture
def browser(chromium: Any) -> Iterator[Any]:
    """The module's browser; every context a test opened (its pages, cookies, storage and service
    workers) is closed after it, so the next test starts from none."""
    yield chromium
    for context in list(chromium.contexts):
        context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCORING_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
