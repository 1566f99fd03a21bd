"""The public results pages in Chromium, under the real Content-Security-Policy: a notice and a
final on a tablet (1024x768) and a phone (390x844), in zh and en, and printed (print media):
the page never scrolls sideways (wide tables scroll in their own box), the stylesheet loads,
and print hides navigation and shows every event's standings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from tests.helpers import committed
from tests.integration.published_results import cement, cement_snapshot, publish

KEY = "cement-team-leaders-2023"
T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
DEADLINE = datetime(2030, 12, 6, 8, 0, tzinfo=UTC)
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}


def open_page(browser: Any, url: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, bypass_csp=False, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    assert page.goto(url).status == 200
    assert errors == [], errors  # nothing refused by the policy
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {viewport}"
    return page


def check_stylesheet_applied(page: Any) -> None:
    assert page.evaluate("getComputedStyle(document.querySelector('.scroll')).overflowX") == "auto"


def test_notice_and_final_pages_on_a_tablet_a_phone_and_paper(server: str, browser: Any, shots: Path, tmp_path: Path):
    model = cement()
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))
    committed(sessions, store_competition, model, actor="test")
    snap = cement_snapshot(model, kind="notice", version=1, seq=1, published_at=T0, deadline=DEADLINE)
    publish(sessions, KEY, "notice", 1, 1, snap, at=T0, deadline=DEADLINE)

    page = open_page(browser, f"{server}/results/{KEY}?lang=zh", TABLET)
    check_stylesheet_applied(page)
    assert page.locator(".banner-notice").is_visible() and "2030年12月6日" in page.locator(".deadline").inner_text()
    page.screenshot(path=str(shots / "public-notice-zh-tablet.png"))

    page = open_page(browser, f"{server}/results/{KEY}?lang=en", PHONE)
    box = page.locator(".standings").locator("xpath=..")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the wide table scrolls in its box
    assert float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('td')).fontSize)")) >= 14
    page.screenshot(path=str(shots / "public-notice-en-phone.png"))

    v1 = cement_snapshot(model, kind="final", version=1, seq=2, published_at=T0 + timedelta(days=8))
    publish(sessions, KEY, "final", 1, 2, v1, at=T0 + timedelta(days=8))
    t05 = next(r for r in v1["overall"] if r["entry"] == "t05")
    fixed = {"t05": {"theory": "99.90"}}
    probe = cement_snapshot(model, kind="final", version=2, seq=3, published_at=T0, corrected=fixed)
    after = next(r for r in probe["overall"] if r["entry"] == "t05")
    change = {
        "entry": "t05",
        "name": t05["name"],
        "before": {"place": t05["place"], "score": t05["score"]},
        "after": {"place": after["place"], "score": after["score"]},
        "why": {"zh": "申诉 #3 成立：更正理论成绩（阅卷漏计一题）", "en": "appeal #3 upheld: theory score corrected"},
    }
    at = T0 + timedelta(days=20)
    v2 = cement_snapshot(model, kind="final", version=2, seq=3, published_at=at, corrected=fixed, changes=[change])
    publish(sessions, KEY, "final", 2, 3, v2, at=at)

    page = open_page(browser, f"{server}/results/{KEY}?lang=en", TABLET)
    assert "Final results, version 2" in page.locator(".banner-final").inner_text()
    assert page.locator(f'a[href="/results/{KEY}/v/1"]').is_visible()
    page.locator("details.event").first.locator("summary").click()
    assert page.locator("details.event table").first.is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / "public-final-en-tablet.png"))

    page = open_page(browser, f"{server}/results/{KEY}?lang=zh", PHONE)
    page.screenshot(path=str(shots / "public-final-zh-phone.png"), full_page=True)

    page = open_page(browser, f"{server}/results/{KEY}/v/1?lang=zh", PHONE)
    assert "此版本已被第 2 版取代" in page.locator(".banner-final").inner_text()
    page.screenshot(path=str(shots / "public-final-v1-zh-phone.png"))

    page = open_page(browser, f"{server}/results/{KEY}?lang=zh", {"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    assert page.locator("header").is_hidden() and page.locator(".versions").is_hidden()
    assert page.locator(".print-head").is_visible() and "第 2 版" in page.locator(".print-head").inner_text()
    assert page.locator("details.event table").last.is_visible()  # closed on screen, printed all the same
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the printed page is {overflow}px too wide"
    page.screenshot(path=str(shots / "public-final-print.png"), full_page=True)
    pdf = tmp_path / "results.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 20_000
