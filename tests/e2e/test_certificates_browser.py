"""The organiser opens an award list's certificates at tablet size (1024x768), in Chinese and in
English, from a server on the cement example's store (every round locked)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.stored_examples import StoredExample
from tests.serving import serve_store


@pytest.fixture
def cement_server(stored_cement: StoredExample, tmp_path: Path) -> Iterator[str]:
    with serve_store(tmp_path, copy_of=stored_cement.database) as url:
        yield url


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
