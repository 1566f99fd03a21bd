"""A PDF of certificates through Chromium's print to PDF (Playwright's `page.pdf`).

Needs Chromium: Debian's at /usr/bin/chromium (or SCORING_CHROMIUM), driven by the Playwright
Python package; Playwright's own browser downloads are not used (a venue often has no
internet). Without either, `ChromiumMissing` says so in both languages, and the organiser can
still print the HTML certificates from a browser (the print CSS gives the same A4 pages).

The page loads nothing from the network: the certificate is rendered HTML set as the page's
content, and every request it would make other than inline data is refused. The page size
comes from the document's `@page` rule (A4 landscape in the shipped template).
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Any

from scoring.refusals import Refusal

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ChromiumMissing(Refusal):
    """No Chromium (or no Playwright) to print with: the PDF cannot be made here."""

    kind = "chromium-missing"
    status = 503


def chromium_path() -> Path:
    """The Chromium to print with; ChromiumMissing when it is not there."""
    path = Path(os.environ.get("SCORING_CHROMIUM", CHROMIUM))
    if not path.is_file():
        raise ChromiumMissing(
            zh=f"无法生成 PDF：本机没有 Chromium 浏览器（{path}）。请安装 chromium，或打开证书网页用浏览器打印。",
            en=f"cannot make the PDF: Chromium is not installed here ({path}). "
            "Install chromium, or open the certificates page and print it from a browser.",
        )
    return path


async def html_to_pdf_async(html: str) -> bytes:
    """The document printed to PDF by Chromium, pages sized by its `@page` rule."""
    path = chromium_path()
    try:
        from playwright.async_api import async_playwright
    except ImportError as missing:  # the package is a dev dependency
        raise ChromiumMissing(
            zh="无法生成 PDF：未安装 Python 包 playwright。",
            en="cannot make the PDF: the playwright package is missing.",
        ) from missing
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(path), args=FLAGS)
        try:
            page = await browser.new_page()

            async def refuse(route: Any) -> None:
                if route.request.url.startswith("data:"):
                    await route.continue_()
                else:
                    await route.abort()

            await page.route("**/*", refuse)
            await page.set_content(html, wait_until="load")
            await page.emulate_media(media="print")
            return await page.pdf(prefer_css_page_size=True, print_background=True)
        finally:
            await browser.close()


def html_to_pdf(html: str) -> bytes:
    """The same, for callers outside an event loop (the `scoring certificates` command)."""
    return asyncio.run(html_to_pdf_async(html))


def pdf_page_count(pdf: bytes) -> int:
    """The pages of a PDF as Chromium writes it (its page objects are not compressed), for checks."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
