"""A running server (uvicorn on a free local port) and Debian's Chromium driven by Playwright.

Playwright cannot download browsers here, so it launches /usr/bin/chromium. Without it the
browser tests are skipped with the reason, except in CI (CI=true), where they must run.
Screenshots go to $SCORING_SCREENSHOTS (docs/screenshots when refreshing the committed ones),
else to the test's temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from results.certificate_pdf import CHROMIUM, FLAGS  # one launch line for Chromium, tests and PDFs
from tests.serving import serve_store


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
