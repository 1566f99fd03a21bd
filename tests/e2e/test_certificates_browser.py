"""The organiser opens an award list's certificates at tablet size (1024x768), in Chinese and in
English, from a server on the cement example's store (every round locked)."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from scoring.store.database import make_engine, session_factory
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.e2e.conftest import _free_port
from tests.helpers import committed
from tests.integration.stored_examples import StoredExample


@pytest.fixture
def cement(stored_cement: StoredExample) -> StoredExample:
    return stored_cement


@pytest.fixture
def cement_server(cement: StoredExample, tmp_path: Path) -> Iterator[str]:
    shutil.copyfile(cement.database, tmp_path / "scoring.sqlite3")
    url = f"sqlite:///{tmp_path / 'scoring.sqlite3'}"
    app = create_app(Settings(data_dir=tmp_path, database_url=url))
    committed(session_factory(make_engine(url)), create_user, "organiser", "demo-password", "organiser", actor="test")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_organiser_prints_the_certificates_of_an_award(cement_server: str, browser: Any, shots: Path) -> None:
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    certificates = cement_server + "/admin/competitions/cement-team-leaders-2023/awards/first/certificates"
    page.goto(certificates)
    assert page.url.endswith("/admin/login")  # organisers only
    page.fill("#username", "organiser")
    page.fill("#password", "demo-password")
    page.click("button[type=submit]")
    page.goto(certificates)
    assert page.locator("section.certificate").count() == 3
    assert "荣誉证书" in page.locator("h1").first.inner_text()
    assert "一等奖" in page.locator(".award").first.inner_text()
    page.screenshot(path=str(shots / "certificate-zh.png"))
    page.goto(certificates + "?lang=en")
    assert "First prize" in page.locator("section.certificate").first.inner_text()
    page.screenshot(path=str(shots / "certificate-en.png"))
    page.goto(cement_server + "/admin/competitions/cement-team-leaders-2023/awards/nope/certificates?lang=en")
    assert "no award 'nope'" in page.locator("[role=alert]").inner_text()  # a page, in the reader's language
