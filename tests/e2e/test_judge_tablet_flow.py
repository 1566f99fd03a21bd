"""A judge's way through the round on a tablet (issue 12, items 5, 6 and 8): every assigned sheet
kept for use offline as the judge signs in, the assignments page included; a sheet tied to a
tablet by its first write, not by being opened; the assignments telling a returned sheet from
one not started, buttons that look disabled when they are, and a button to the next entry."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.e2e.tablets import SIZES, devices, judge_page, mark, prepare, versions, wait_sent
from tests.integration.world import COMPLETE

SUBMITTED = ("已提交", "submitted")


def test_every_assigned_sheet_opens_offline_once_the_judge_has_signed_in(server, browser, shots: Path, tmp_path):
    round_id, pins = prepare(tmp_path)
    page = judge_page(browser, server, "E1", pins["e1"])  # the key typed in capitals: e1
    page.wait_for_function("window.__judgeKept === 14", timeout=30000)
    assert "14" in page.locator("#kept").inner_text()
    page.context.set_offline(True)
    page.goto(server + "/judge")  # the assignments page itself, offline
    assert page.locator("a[data-sheet]").count() == 14
    page.click("a[data-sheet]:has-text('s09')")  # never opened before
    page.wait_for_url(f"{server}/judge/rounds/{round_id}/s09")
    assert page.locator("#net").inner_text() == "离线"
    mark(page, {"lay_hose": "13"})
    page.click("#save")
    assert page.locator("#pending").inner_text() == "1"
    page.click("text=← 我的评分任务")  # and back, still offline
    page.wait_for_url(server + "/judge")
    assert page.locator("a[data-sheet]").count() == 14
    page.evaluate("scrollTo(0, 0)")  # a full page shows the status bar at the top
    page.screenshot(path=str(shots / "judge-tablet-assignments-offline.png"), full_page=True)
    page.context.set_offline(False)
    page.goto(f"{server}/judge/rounds/{round_id}/s09")
    wait_sent(page)
    assert versions(tmp_path) == [("s09", 1, "draft", {"lay_hose": "13"})]


def test_opening_a_sheet_to_look_does_not_tie_it_to_the_tablet(server, browser, tmp_path):
    round_id, pins = prepare(tmp_path)
    looker = judge_page(browser, server, "e1", pins["e1"])
    looker.goto(f"{server}/judge/rounds/{round_id}/s04")  # opened to look, nothing written
    looker.wait_for_load_state("networkidle")
    assert not looker.locator("#elsewhere").is_visible()
    assert devices(tmp_path).get("s04", "") == ""
    writer = judge_page(browser, server, "e1", pins["e1"], SIZES["phone"])
    writer.goto(f"{server}/judge/rounds/{round_id}/s04")
    assert writer.locator("#m-lay_hose").is_enabled() and not writer.locator("#elsewhere").is_visible()
    mark(writer, {"lay_hose": "11"})
    writer.click("#save")
    wait_sent(writer)
    tied = devices(tmp_path)["s04"]
    assert tied and tied == writer.evaluate("JSON.parse(localStorage.getItem('device'))")  # tied by the write
    mark(looker, {"lay_hose": "7"})  # the first tablet now finds the sheet elsewhere: kept, not sent
    looker.click("#save")
    looker.wait_for_selector("#elsewhere.open")
    assert looker.locator("#pending").inner_text() == "1"
    assert versions(tmp_path) == [("s04", 1, "draft", {"lay_hose": "11"})]


@pytest.mark.parametrize(("size", "lang"), [("tablet", "zh"), ("phone", "en")])
def test_states_disabled_buttons_and_the_next_entry_are_plain_to_see(server, browser, shots, tmp_path, size, lang):
    round_id, pins = prepare(tmp_path)
    chief = judge_page(browser, server, "e2", pins["e2"])
    page = judge_page(browser, server, "e1", pins["e1"], SIZES[size], lang)
    api = f"{server}/api/judge/sheets/{round_id}"
    for entry in ("s02", "s03"):
        body = {"action": "submit", "base_version": 0, "client_id": uuid.uuid4().hex, "marks": COMPLETE}
        assert page.request.put(f"{api}/{entry}", data=body | {"device": "tablet-x"}).ok
    back = {"action": "return", "base_version": 1, "client_id": uuid.uuid4().hex, "reason": "复核 / check again"}
    assert chief.request.post(f"{server}/api/chief/sheets/{round_id}/s03/e1", data=back).ok
    page.reload()
    link = {e: page.locator(f"a[data-sheet][href$='/{e}']") for e in ("s01", "s02", "s03")}
    look = "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.borderColor, s.color].join(); }"
    assert link["s03"].evaluate(look) != link["s01"].evaluate(look)  # returned is not "not started"
    assert link["s03"].evaluate(look) != link["s02"].evaluate(look)
    assert link["s03"].inner_text().startswith("↩") and link["s02"].inner_text().startswith("✓")
    assert ("已退回 1 张" if lang == "zh" else "1 returned") in page.locator(".returned-count").inner_text()
    page.evaluate("scrollTo(0, 0)")  # a full page shows the status bar at the top
    page.screenshot(path=str(shots / f"judge-tablet-assignments-{lang}-{size}.png"), full_page=True)

    page.goto(f"{server}/judge/rounds/{round_id}/s01")
    nxt = page.locator("#next")
    assert nxt.get_attribute("href").endswith("/s02") and "secondary" in nxt.get_attribute("class")
    enabled = page.locator("#save").evaluate("el => getComputedStyle(el).opacity")
    mark(page, COMPLETE)
    page.click("#review")
    page.click("#confirm")
    wait_sent(page)
    assert page.locator("#state").inner_text() in SUBMITTED
    for button in ("#save", "#review", ".crit[data-key=lay_hose] .step >> nth=0"):
        assert page.locator(button).is_disabled()
        faded = page.locator(button).evaluate("el => [getComputedStyle(el).opacity, getComputedStyle(el).cursor]")
        assert float(faded[0]) <= 0.6 < float(enabled) and faded[1] == "not-allowed", button
    assert "secondary" not in nxt.get_attribute("class")  # once submitted, the next entry is the way on
    page.evaluate("scrollTo(0, 0)")  # a full page shows the status bar at the top
    page.screenshot(path=str(shots / f"judge-tablet-submitted-{lang}-{size}.png"), full_page=True)
    nxt.click()
    page.wait_for_url(f"{server}/judge/rounds/{round_id}/s02")
