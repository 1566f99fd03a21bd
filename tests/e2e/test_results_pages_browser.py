"""The organiser's results page and the chief judge's results of a round in Chromium, on the
power-safety example's store (generated marks, every round locked), as their users use them:
the organiser publishes a notice through the form, downloads the exports and sees the charts;
the chief judge opens the round's results from the console, reads the panel's fairness and
decides an appeal the organiser lodged for a team. On a tablet (1024x768) and a phone
(390x844), in zh and en; the page never scrolls sideways (wide tables scroll in their box)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from scoring.store.database import make_engine, session_factory
from scoring.store.models import Event, Judge, Round
from tests.integration.stored_examples import StoredExample
from tests.serving import serve_store

KEY = "safety-culture-2023"
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".json": "application/json",
    "/certificates": "text/html",
    "/certificates.pdf": "application/pdf",
}


@dataclass
class Venue:
    url: str
    hydrant: int  # the hydrant round, whose chief judge is e1
    chief: int


@pytest.fixture
def safety(stored_safety: StoredExample) -> StoredExample:
    return stored_safety


@pytest.fixture
def venue(safety: StoredExample, tmp_path: Path) -> Iterator[Venue]:
    with serve_store(tmp_path, copy_of=safety.database) as url:
        with session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))() as db:
            hydrant = db.scalar(select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == "hydrant"))
            chief = db.scalar(select(Judge.id).where(Judge.key == "e1"))
        yield Venue(url, int(hydrant or 0), int(chief or 0))


def organiser_context(browser: Any, url: str, viewport: dict[str, int], locale: str = "zh-CN") -> Any:
    """A context signed in as the organiser through the login page, as a person would."""
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale=locale)
    page = context.new_page()
    page.goto(f"{url}/admin/login")
    page.fill("#username", "organiser")
    page.fill("#password", "demo-password")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/admin/login" not in page.url
    return context


def check_fits(page: Any, viewport: dict[str, int]) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {viewport}"


def check_images_loaded(page: Any, selector: str, at_least: int) -> None:
    images = page.locator(selector)
    assert images.count() >= at_least
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function("e => e.complete", arg=image.element_handle())
        assert image.evaluate("e => e.naturalWidth") > 0, image.get_attribute("src")


def test_the_organiser_publishes_a_notice_downloads_and_sees_the_charts(venue: Venue, browser: Any, shots: Path):
    results = f"{venue.url}/admin/competitions/{KEY}/results"
    context = organiser_context(browser, venue.url, TABLET)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    assert page.goto(results).status == 200
    assert "成绩" in page.locator("h1").inner_text()
    assert "尚未发布成绩" in page.locator("#publications").inner_text()  # nothing published yet
    assert page.locator("#standings tbody tr").count() > 3
    assert page.locator("#unit option").count() > 3  # units picked by name, not typed as keys

    page.fill("#deadline", "2030-12-06T08:00")
    page.locator("form[action$='/results/notice'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.split("?")[0] == results, page.url
    rows = page.locator("#publications tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "公示" in row and "2030" in row, row
    assert page.locator("#publications code").first.inner_text().startswith("1:") or ":" in row

    links = page.locator("#downloads a")
    assert links.count() >= 8
    tried: set[str] = set()
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href") or ""
        kind = next(end for end in sorted(TYPES, key=len, reverse=True) if href.split("?")[0].endswith(end))
        if kind in tried:  # one link of each kind (every file is checked in tests/integration)
            continue
        tried.add(kind)
        answer = context.request.get(venue.url + href)
        assert answer.status == 200, (href, answer.status, answer.text()[-1500:])
        path = href.split("?")[0]
        wanted = next(t for end, t in sorted(TYPES.items(), key=lambda kv: -len(kv[0])) if path.endswith(end))
        assert answer.headers["content-type"].startswith(wanted), (href, answer.headers["content-type"])
        assert len(answer.body()) > 100, href
    assert tried == set(TYPES)

    check_images_loaded(page, "img.chart", at_least=2)
    assert errors == [], errors
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / "results-organiser-zh-tablet.png"), full_page=True)
    check_fits(page, TABLET)

    phone = organiser_context(browser, venue.url, PHONE, "en-GB").new_page()
    assert phone.goto(results + "?lang=en").status == 200
    assert "Results" in phone.locator("h1").inner_text()
    assert "Notice" in phone.locator("#publications tbody tr").first.inner_text()
    check_images_loaded(phone, "img.chart", at_least=2)
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=str(shots / "results-organiser-en-phone.png"), full_page=True)
    check_fits(phone, PHONE)


def test_the_chief_judge_reads_the_rounds_fairness_and_decides_an_appeal(venue: Venue, browser: Any, shots: Path):
    organiser = organiser_context(browser, venue.url, TABLET)
    api = f"{venue.url}/api/admin/competitions/{KEY}"
    page = organiser.new_page()
    page.goto(f"{venue.url}/admin/competitions/{KEY}/results")
    page.fill("#deadline", "2030-12-06T08:00")
    page.locator("form[action$='/results/notice'] button[type=submit]").click()
    page.wait_for_load_state()
    lodged = organiser.request.post(f"{api}/appeals", data={"team": "s03", "reason": "水带连接计时读错了"})
    assert lodged.status == 201, lodged.text()
    access = organiser.request.post(f"{venue.url}/api/admin/judges/{venue.chief}/access")
    assert access.status == 200, access.text()
    link = access.json()["link"]

    chief = browser.new_context(viewport=TABLET, device_scale_factor=1, locale="zh-CN").new_page()
    errors: list[str] = []
    chief.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    chief.goto(link if link.startswith("http") else venue.url + link)
    chief.goto(f"{venue.url}/judge/console/{venue.hydrant}")
    chief.locator(f"a[href='/judge/console/{venue.hydrant}/results']").click()
    chief.wait_for_load_state()
    assert chief.url.endswith(f"/judge/console/{venue.hydrant}/results")
    assert chief.locator("#standings tbody tr").count() > 3
    assert chief.locator("#fairness-judges tbody tr").count() >= 3
    assert chief.locator("#agreement tbody tr").count() == 1
    judges = chief.locator("#fairness-judges td.judge").all_inner_texts()
    assert all(len(j.split()) == 2 for j in judges), judges  # each judge's name beside the key
    check_images_loaded(chief, "img.chart", at_least=1)
    appeal = chief.locator("[id^=appeal-]").first
    assert "水带连接计时读错了" in appeal.inner_text()
    chief.evaluate("window.scrollTo(0, 0)")
    chief.screenshot(path=str(shots / "round-results-chief-zh-tablet.png"), full_page=True)
    check_fits(chief, TABLET)

    appeal.locator("select").select_option("dismissed")
    appeal.locator("input[name=reason]").fill("录像核实计时无误")
    appeal.locator("button[type=submit]").click()
    chief.wait_for_load_state()
    assert chief.url.endswith(f"/judge/console/{venue.hydrant}/results")
    decided = chief.locator("[id^=appeal-]").first.inner_text()
    assert "驳回" in decided and "录像核实计时无误" in decided, decided
    assert chief.locator("[id^=appeal-] form").count() == 0
    assert errors == [], errors

    chief.set_viewport_size(PHONE)
    assert chief.goto(f"{venue.url}/judge/console/{venue.hydrant}/results?lang=en").status == 200
    assert "Dismissed" in chief.locator("[id^=appeal-]").first.inner_text()
    check_images_loaded(chief, "img.chart", at_least=1)
    chief.evaluate("window.scrollTo(0, 0)")
    chief.screenshot(path=str(shots / "round-results-chief-en-phone.png"), full_page=True)
    check_fits(chief, PHONE)
