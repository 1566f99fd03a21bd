"""A judge on a tablet: sign in with a PIN, score a whole sheet, lose the network, submit,
reload, come back online, and the server holds exactly one copy of the sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from organiser.service import renew_access, set_panel
from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.models import Event, Judge, Round, SheetVersion
from tests.helpers import ROOT, committed
from web.security import load_secret

MARKS = {
    "open_cabinet": "1",
    "lay_hose": "12",
    "couple": "1",
    "open_valve": "0",
    "hit_target": "16",
    "unsafe": "1",
    "no_reset": "0",
}


def prepare(tmp_path: Path) -> tuple[int, str]:
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))
    committed(
        sessions,
        store_competition,
        load_competition(ROOT / "examples" / "power_safety" / "competition.toml"),
        actor="t",
    )
    with sessions() as db:
        event = db.execute(select(Event).where(Event.key == "hydrant")).scalar_one()
        round_id = db.execute(select(Round.id).where(Round.event_id == event.id)).scalar_one()
        e1 = db.execute(select(Judge.id).where(Judge.key == "e1")).scalar_one()
    committed(sessions, set_panel, round_id, ["e1", "e2"], "e2", actor="t")
    [access] = committed(sessions, renew_access, load_secret(tmp_path, None), [e1], actor="t")
    return round_id, access["pin"]


def versions(tmp_path: Path) -> list[tuple[int, str]]:
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))
    with sessions() as db:
        return [(v.version, v.state) for v in db.execute(select(SheetVersion).order_by(SheetVersion.id)).scalars()]


def test_judge_scores_offline_and_nothing_is_lost_or_doubled(server, browser, shots: Path, tmp_path: Path):
    round_id, pin = prepare(tmp_path)
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(server + "/judge")
    assert page.url.endswith("/judge/pin")
    page.fill("#competition", "safety-culture-2023")
    page.fill("#judge", "e1")
    page.fill("#pin", pin)
    page.click("button[type=submit]")
    assert page.url.endswith("/judge")
    assert "0 / 14" in page.locator(".card").first.inner_text()
    page.click("a:has-text('s01')")
    page.wait_for_function("window.__pageKept === true")

    # a value out of range is refused in place, with the reason
    page.fill("#m-lay_hose", "99")
    page.locator("#m-lay_hose").dispatch_event("change")
    assert page.locator(".crit[data-key=lay_hose] .why").inner_text() != ""
    for key, value in MARKS.items():
        if page.locator(f"#m-{key}").evaluate("el => el.tagName") == "SELECT":
            page.select_option(f"#m-{key}", value)
        else:
            page.fill(f"#m-{key}", value)
            page.locator(f"#m-{key}").dispatch_event("change")
    # 10 + 12 + 15 + 0 + 16 - 5 - 0 = 48 (sections' bases and caps are the server's)
    assert page.locator("#subtotal").inner_text() == "48"
    page.evaluate("scrollTo(0, 0)")  # a full page shows the status bar at the top
    page.screenshot(path=str(shots / "judge-sheet-tablet.png"), full_page=True)

    context.set_offline(True)
    page.click("#review")
    assert "12" in page.locator("#summary-table").inner_text()
    page.click("#confirm")
    page.wait_for_function("document.getElementById('pending').textContent === '1'")
    assert page.locator("#net").inner_text() in ("离线", "offline")
    page.evaluate("scrollTo(0, 0)")  # a full page shows the status bar at the top
    page.screenshot(path=str(shots / "judge-sheet-offline.png"), full_page=True)
    assert versions(tmp_path) == []

    page.reload()  # offline: the page comes from the service worker, the marks from the device
    assert page.locator("#pending").inner_text() == "1"
    assert page.locator("#m-lay_hose").input_value() == "12"

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("document.getElementById('pending').textContent === '0'", timeout=20000)
    assert page.locator("#state").inner_text() in ("已提交", "submitted")
    assert versions(tmp_path) == [(1, "submitted")]
    assert page.locator("#m-lay_hose").is_disabled()  # read-only once submitted

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    phone.add_cookies(context.cookies())
    small = phone.new_page()
    small.goto(server + f"/judge/rounds/{round_id}/s02")
    small.evaluate("scrollTo(0, 0)")  # a full page shows the status bar at the top
    small.screenshot(path=str(shots / "judge-sheet-phone.png"), full_page=True)
    assert small.locator("#m-lay_hose").is_enabled()


def test_a_submission_whose_answer_is_lost_is_retried_and_stored_once(server, browser, tmp_path: Path):
    """The network drops after the server stored the submission but before the tablet heard:
    the tablet retries with the same client id and the server answers the first result again."""
    round_id, pin = prepare(tmp_path)
    page = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(server + "/judge/pin")
    page.fill("#competition", "safety-culture-2023")
    page.fill("#judge", "e1")
    page.fill("#pin", pin)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/judge")  # signed in
    page.goto(server + f"/judge/rounds/{round_id}/s03")
    for key, value in MARKS.items():
        if page.locator(f"#m-{key}").evaluate("el => el.tagName") == "SELECT":
            page.select_option(f"#m-{key}", value)
        else:
            page.fill(f"#m-{key}", value)
            page.locator(f"#m-{key}").dispatch_event("change")
            page.locator(f"#m-{key}").blur()
    sent: list[str] = []

    def deliver_then_drop(route: Any) -> None:
        sent.append(route.request.post_data_json["client_id"])
        if len(sent) > 1:
            route.continue_()
            return
        route.fetch()  # the first time the server gets it and stores it,
        route.abort("connectionreset")  # but the answer never reaches the tablet

    page.route(f"**/api/judge/sheets/{round_id}/s03", deliver_then_drop)
    page.click("#review")
    page.click("#confirm")
    for _ in range(100):  # until the first try has reached the server and been cut off
        if sent and versions(tmp_path):
            break
        page.wait_for_timeout(100)
    page.wait_for_function("document.getElementById('message').textContent === ''")  # the try has ended
    assert page.locator("#pending").inner_text() == "1"  # no answer: still waiting on the device
    assert versions(tmp_path) == [(1, "submitted")]  # but the server has it
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the network is back: retry now
    page.wait_for_function("document.getElementById('pending').textContent === '0'", timeout=20000)
    assert page.locator("#state").inner_text() in ("已提交", "submitted")
    assert versions(tmp_path) == [(1, "submitted")]  # stored once
    assert len(sent) >= 2 and len(set(sent)) == 1  # the retry carried the same client id
