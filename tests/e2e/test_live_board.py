"""The live boards in Chromium: the big screen follows a correction made by the chief judge
through HTTP, recovers by itself after the server restarts, and the phone board, the big screen
and the organiser's live console read well at their sizes in both languages (screenshots)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from scoring.store.database import make_engine, session_factory
from scoring.store.models import Event, Judge, Round
from scoring.store.sheets import current_sheets
from tests.integration.stored_examples import StoredExample
from tests.serving import serve_store

KEY = "safety-culture-2023"
SCREEN = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
WAIT = 30_000  # a changed row may be on the other page of the screen: pages turn every 10 s


@pytest.fixture
def store(stored_safety: StoredExample, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A copy of the stored power-safety example served, with the organiser signed in."""
    data = tmp_path / "data"
    data.mkdir()
    with serve_store(data, stored_safety.database) as url:
        organiser = httpx.Client(base_url=url, timeout=30)
        signed = organiser.post("/api/session", json={"username": "organiser", "password": "demo-password"})
        assert signed.status_code == 200, signed.text
        yield {"url": url, "data": data, "organiser": organiser}
        organiser.close()


def _ids(data: Path) -> tuple[int, int]:
    """The hydrant round's id and its chief judge's (e1)."""
    engine = make_engine(f"sqlite:///{data / 'e2e.sqlite3'}")
    with session_factory(engine)() as db:
        hydrant = db.scalar(select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == "hydrant"))
        chief = db.scalar(select(Judge.id).where(Judge.key == "e1"))
    engine.dispose()
    assert hydrant is not None and chief is not None
    return int(hydrant), int(chief)


def _sheets_of(data: Path, round_id: int, entry: str) -> list[tuple[str, int, dict[str, str]]]:
    engine = make_engine(f"sqlite:///{data / 'e2e.sqlite3'}")
    with session_factory(engine)() as db:
        found = [(j, v.version, dict(v.marks)) for e, j, v in current_sheets(db, round_id) if e == entry]
    engine.dispose()
    return found


def _board(client: httpx.Client, view: str = "public") -> dict[str, Any]:
    response = client.get(f"/live/{KEY}/board.json", params={"view": view})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, f"{response.status_code} {response.text}"
    return response.json()


def test_live_screen_shows_a_chief_judges_correction_once_the_round_is_locked(browser, store, shots):
    url, organiser = store["url"], store["organiser"]
    hydrant, chief_id = _ids(store["data"])
    page = browser.new_page(viewport=SCREEN)
    page.goto(f"{url}/live/{KEY}/screen?lang=en")
    page.wait_for_selector("body[data-live=live]")
    first = _board(organiser)["board"]["overall"]["rows"][0]
    page.wait_for_selector(f"[data-entry={first['entry']}] .score:text-is('{first['score']}')")

    _ok(organiser.post(f"/api/admin/rounds/{hydrant}/publication", json={"state": "open"}))
    page.wait_for_selector("#board-note:not([hidden])", timeout=WAIT)  # hydrant no longer counted
    assert "hydrant" not in _board(organiser)["board"]["overall"]["events"]

    link = _ok(organiser.post(f"/api/admin/judges/{chief_id}/access"))["link"]
    with httpx.Client(base_url=url, timeout=30, follow_redirects=True) as chief:
        assert chief.get(link).status_code == 200
        for judge, version, marks in _sheets_of(store["data"], hydrant, first["entry"]):
            _ok(
                chief.post(
                    f"/api/chief/sheets/{hydrant}/{first['entry']}/{judge}",
                    json={
                        "action": "correct",
                        "base_version": version,
                        "client_id": f"live-correction-{judge}",
                        "marks": marks | {"lay_hose": "3"},
                        "reason": "the hose was kinked: video review",
                    },
                )
            )
        # the chief's lock locks the corrected sheets too (the organiser's {"state": "locked"} alone
        # would leave them submitted, which the public view does not count)
        _ok(chief.post(f"/api/chief/rounds/{hydrant}/lock"))

    row = next(r for r in _board(organiser)["board"]["overall"]["rows"] if r["entry"] == first["entry"])
    assert row["score"] != first["score"]
    page.wait_for_selector(f"[data-entry={first['entry']}] .score:text-is('{row['score']}')", timeout=WAIT)
    page.wait_for_selector("#board-note[hidden]", state="attached")
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload
    page.wait_for_timeout(1000)  # the rows have slid; what changed is still highlighted
    page.screenshot(path=str(shots / "live-screen-after-correction.png"))


def test_live_screen_recovers_by_itself_after_the_server_restarts(browser, stored_safety, tmp_path, shots):
    data = tmp_path / "data"
    data.mkdir()
    with serve_store(data, stored_safety.database) as url:
        port = int(url.rsplit(":", 1)[1])
        page = browser.new_page(viewport=SCREEN)
        page.goto(f"{url}/live/{KEY}/screen")
        page.wait_for_selector("body[data-live=live]")
        page.wait_for_selector("#frozen-badge:not(.on)", state="attached")
    page.wait_for_selector("body[data-live=down]", timeout=WAIT)  # the server is gone
    assert "未连接" in page.inner_text("#live-state")
    page.screenshot(path=str(shots / "live-screen-not-live.png"))
    with serve_store(data, port=port) as again:
        page.wait_for_selector("body[data-live=live]", timeout=WAIT)
        with httpx.Client(base_url=again, timeout=30) as organiser:
            _ok(organiser.post("/api/session", json={"username": "organiser", "password": "demo-password"}))
            _ok(organiser.post(f"/api/admin/competitions/{KEY}/live/freeze"))
        page.wait_for_selector("#frozen-badge.on", timeout=WAIT)
        assert "成绩已冻结" in page.inner_text("#frozen-banner")
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1


def test_live_pages_at_their_sizes_in_both_languages(browser, store, shots):
    url, organiser = store["url"], store["organiser"]
    for lang in ("zh", "en"):
        page = browser.new_page(viewport=SCREEN)
        page.goto(f"{url}/live/{KEY}/screen?lang={lang}")
        page.wait_for_selector("body[data-live=live] #rows .row")
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / f"live-screen-{lang}.png"))
        assert page.evaluate("document.documentElement.scrollHeight") <= SCREEN["height"]
        phone = browser.new_page(viewport=PHONE, device_scale_factor=2)
        phone.goto(f"{url}/live/{KEY}?lang={lang}")
        phone.wait_for_selector("body[data-live=live] #rows .row")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.screenshot(path=str(shots / f"live-phone-{lang}.png"))
        phone.select_option("#board-pick", "units")
        phone.wait_for_selector("[data-entry=d08]")
        assert "board=units" in phone.url
    small = browser.new_page(viewport=TABLET)
    small.goto(f"{url}/live/{KEY}/screen?lang=en&board=event:hydrant")
    small.wait_for_selector("body[data-live=live] #rows .row")
    assert small.evaluate("document.documentElement.scrollHeight") <= TABLET["height"]
    small.screenshot(path=str(shots / "live-screen-1024.png"))
    quiz = _board(organiser)["board"]["quiz"][0]["round"]
    screen = browser.new_page(viewport=SCREEN)
    screen.goto(f"{url}/live/{KEY}/quiz/{quiz}?lang=zh")
    screen.wait_for_selector("body[data-live=live] #rows .row")
    screen.screenshot(path=str(shots / "live-quiz-zh.png"))


def test_live_provisional_view_is_refused_to_the_public_and_marked_for_the_organiser(browser, store, shots):
    url = store["url"]
    public = browser.new_page(viewport=PHONE)
    refused = public.goto(f"{url}/live/{KEY}?view=provisional&lang=en")
    assert refused is not None and refused.status == 403
    assert "The provisional view is for organisers and chief judges" in public.inner_text("body")
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    page.goto(f"{url}/admin/login")
    page.fill("#username", "organiser")
    page.fill("#password", "demo-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/admin**")
    page.goto(f"{url}/live/{KEY}/screen?view=provisional&lang=en")
    page.wait_for_selector("body[data-live=live] #rows .row")
    assert page.is_visible("#provisional-banner") and "provisional" in page.inner_text("#provisional-banner")
    page.screenshot(path=str(shots / "live-screen-provisional.png"))


def test_live_console_freezes_and_reveals_and_the_screen_follows(browser, store, shots):
    url = store["url"]
    hall = browser.new_page(viewport=SCREEN)
    hall.goto(f"{url}/live/{KEY}/screen?lang=zh")
    hall.wait_for_selector("body[data-live=live] #rows .row")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = context.new_page()
    console.goto(f"{url}/admin/login")
    console.fill("#username", "organiser")
    console.fill("#password", "demo-password")
    console.click("button[type=submit]")
    console.wait_for_url(f"{url}/admin**")
    console.goto(f"{url}/admin/competitions/{KEY}")
    console.click(f"a[href='/admin/competitions/{KEY}/live']")
    console.screenshot(path=str(shots / "live-console-live.png"), full_page=True)
    console.click("form[action$='/live/freeze'] button")
    hall.wait_for_selector("#frozen-badge.on", timeout=WAIT)
    rows = _board(store["organiser"])["board"]["overall"]["rows"]
    for step in (1, 2):
        console.click("form[action$='/live/reveal']:has(input[value=entry]) button")
        console.wait_for_selector(f"text={step} / {len(rows)}")
        revealed = rows[-step]["entry"]
        hall.wait_for_selector(f"[data-entry={revealed}].current", timeout=WAIT)
        assert hall.is_visible("#ceremony")
    for _ in range(3):  # the places without an award come out first, all at once
        console.click("form[action$='/live/reveal']:has(input[value=award]) button")
        console.wait_for_load_state()
        if console.locator("tbody tr:first-child td:nth-child(5)").inner_text().strip():
            break
    console.screenshot(path=str(shots / "live-console-reveal.png"), full_page=True)
    hall.wait_for_selector("#ceremony .award-title", timeout=WAIT)
    hall.screenshot(path=str(shots / "live-screen-ceremony.png"))
    console.click("form[action$='/live/unfreeze'] button")
    hall.wait_for_selector("#frozen-badge:not(.on)", state="attached", timeout=WAIT)
    hall.wait_for_selector("#ceremony[hidden]", state="attached")
