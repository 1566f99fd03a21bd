"""The judge's score form on a tablet and a phone, in Chinese and English (issue 12, items 1 to 4):
what a box shows is what the sheet keeps, a mark that is not valid is kept as such, blocks
sending and says why in place in the page's language; the status bar never covers the row the
judge is taken to; the form stays editable while drafts wait offline, and the outbox collapses
successive drafts of one sheet but never a write already tried or another sheet's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.tablets import SIZES, judge_page, mark, prepare, type_into, versions, wait_sent
from tests.integration.world import COMPLETE

WORDS = {
    "zh": {"range": "31 超出范围：应在 0–30 之间", "blocked": "有 1 项评分无效", "step": "不在步长上"},
    "en": {"range": "31 is out of range: enter 0 to 30", "blocked": "1 mark(s) not valid", "step": "off the step"},
}
REST = {"innovation": "20", "adoption": "15.5", "answers": "12"}


def kept(page: Any, round_id: int, entry: str) -> dict[str, str]:
    """The marks the tablet keeps for the sheet (its localStorage copy)."""
    raw = page.evaluate(f"localStorage.getItem('sheet:e1:{round_id}:{entry}')")
    return json.loads(raw)["marks"] if raw else {}


def covered(page: Any, selector: str) -> bool:
    """Whether something else (the status bar) is drawn over the middle of the element."""
    return page.locator(selector).evaluate(
        """el => { const r = el.getBoundingClientRect();
                   const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                   return !(top && (top === el || el.contains(top))); }"""
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_what_the_box_shows_is_what_the_sheet_keeps(server, browser, shots: Path, tmp_path: Path, size, lang):
    round_id, pins = prepare(tmp_path, "presentation")
    page = judge_page(browser, server, "e1", pins["e1"], SIZES[size], lang)
    [seat] = page.request.get(f"{server}/api/judge/assignments").json()
    entry = seat["entries"][0]
    page.goto(f"{server}/judge/rounds/{round_id}/{entry}")
    plus = page.locator(".crit[data-key=effect] .step[data-dir='1']")
    for _ in range(3):
        plus.click()
    assert page.locator("#m-effect").input_value() == "1.5" and page.locator("#subtotal").inner_text() == "1.5"

    type_into(page, "effect", "31")  # above the maximum, 30
    why = page.locator(".crit[data-key=effect] .why")
    assert page.locator("#m-effect").input_value() == "31"
    assert kept(page, round_id, entry) == {"effect": "31"}  # kept as typed, and as not valid
    assert why.inner_text() == WORDS[lang]["range"]  # in the page's language, in place
    assert page.locator("#m-effect").get_attribute("aria-invalid") == "true"
    assert page.locator("#m-effect").evaluate("el => el.validationMessage") == ""  # never the browser's words
    assert page.locator("#subtotal").inner_text() == "—"  # no total the sheet does not hold

    mark(page, REST)
    page.click("#review")  # submitting is refused, and says why
    assert not page.locator("#summary").is_visible()
    assert WORDS[lang]["blocked"] in page.locator("#message").inner_text()
    assert page.evaluate("document.activeElement.id") == "m-effect" and not covered(page, "#m-effect")
    page.screenshot(path=str(shots / f"judge-tablet-invalid-{lang}-{size}.png"))
    page.click("#save")  # so is saving a draft
    assert page.locator("#pending").inner_text() == "0" and versions(tmp_path) == []

    page.reload()  # the device still holds 31, still refused
    assert page.locator("#m-effect").input_value() == "31" and why.inner_text() == WORDS[lang]["range"]
    type_into(page, "effect", "12.25")
    assert WORDS[lang]["step"] in why.inner_text()
    page.locator(".crit[data-key=effect] .step[data-dir='-1']").click()  # back onto the step
    assert page.locator("#m-effect").input_value() == "12" and why.inner_text() == ""
    assert page.locator("#message").inner_text() == ""
    assert page.locator("#subtotal").inner_text() == "59.5"  # 12 + 20 + 15.5 + 12

    page.click("#review")
    listed = page.locator("#summary-table td[data-key=effect]").inner_text()
    assert listed == page.locator("#m-effect").input_value() == "12"
    page.click("#confirm")
    wait_sent(page)
    assert versions(tmp_path) == [(entry, 1, "submitted", {"effect": "12"} | REST)]


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_the_status_bar_never_covers_the_row_the_judge_is_taken_to(server, browser, tmp_path: Path, size):
    round_id, pins = prepare(tmp_path)
    page = judge_page(browser, server, "e1", pins["e1"], SIZES[size])
    page.goto(f"{server}/judge/rounds/{round_id}/s01")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    keys = page.locator(".crit[data-key]").evaluate_all("rows => rows.map(r => r.dataset.key)")
    for key in reversed(keys):  # scrolling up, each row brought to the top as a jump to it does
        page.locator(f"#m-{key}").evaluate("el => el.scrollIntoView()")
        assert page.evaluate("scrollY") > 0 or key == keys[0]
        assert not covered(page, f"#m-{key}"), key
    page.locator("#m-no_reset").focus()
    page.keyboard.press("Shift+Tab")  # back through the form by keyboard
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.className")
        assert page.evaluate(
            """() => { const el = document.activeElement, r = el.getBoundingClientRect();
                       return r.top >= document.getElementById('status').getBoundingClientRect().bottom; }"""
        ), focused


def test_drafts_wait_offline_with_the_form_open_and_collapse(server, browser, shots: Path, tmp_path: Path):
    round_id, pins = prepare(tmp_path)
    page = judge_page(browser, server, "e1", pins["e1"])
    page.wait_for_function("window.__judgeKept >= 14", timeout=30000)  # every sheet kept for offline use
    page.click("a[data-sheet] >> nth=0")  # s01
    page.context.set_offline(True)
    mark(page, {"lay_hose": "10"})
    page.click("#save")
    assert page.locator("#pending").inner_text() == "1"
    assert page.locator("#m-lay_hose").is_enabled() and page.locator("#save").is_enabled()  # still editable
    mark(page, {"lay_hose": "11"})
    page.click("#save")
    assert page.locator("#pending").inner_text() == "1"  # the newer draft replaced the unsent one

    page.goto(f"{server}/judge/rounds/{round_id}/s02")  # another sheet, offline (kept at sign-in)
    mark(page, {"hit_target": "14"})
    page.click("#save")
    page.goto(f"{server}/judge/rounds/{round_id}/s01")
    # A page that opens while the browser's offline switch is still reaching it may try the outbox
    # once; a tried draft is never replaced (its retry must stay the same). The rule, either way:
    tried = page.evaluate(
        """() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('outbox:'))))
                 .some((item) => item.sheet.endsWith('s01') && item.body.base_version !== undefined)"""
    )
    mark(page, {"lay_hose": "12"})
    page.click("#save")
    expect(page.locator("#pending")).to_have_text("3" if tried else "2")  # s01's untried draft collapsed; s02's kept
    page.evaluate("scrollTo(0, 0)")
    page.screenshot(path=str(shots / "judge-tablet-drafts-offline.png"))
    # nothing reached the server while offline, except that one try (when it happened, it may have
    # got through before the offline switch reached the page: then its draft is stored, and kept)
    assert versions(tmp_path) in ([[], [("s01", 1, "draft", {"lay_hose": "11"})]] if tried else [[]])

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_sent(page)
    stored = sorted(versions(tmp_path))
    assert stored[-1] == ("s02", 1, "draft", {"hit_target": "14"})  # another sheet's draft, kept
    assert stored[:-1] == (
        [("s01", 1, "draft", {"lay_hose": "11"}), ("s01", 2, "draft", {"lay_hose": "12"})]
        if tried
        else [("s01", 1, "draft", {"lay_hose": "12"})]
    )


def test_a_draft_already_tried_is_never_collapsed_and_a_submission_never_is(server, browser, tmp_path: Path):
    round_id, pins = prepare(tmp_path)
    page = judge_page(browser, server, "e1", pins["e1"])
    page.goto(f"{server}/judge/rounds/{round_id}/s03")
    tries: list[str] = []

    def no_answer(route: Any) -> None:  # the request leaves, no answer comes back
        tries.append(route.request.post_data_json["client_id"])
        route.abort("connectionreset")

    page.route(f"**/api/judge/sheets/{round_id}/s03", no_answer)
    mark(page, {"lay_hose": "9"})
    page.click("#save")
    page.wait_for_function("document.getElementById('message').textContent === ''")
    assert tries  # tried once: it may be stored, so it stays as it is
    mark(page, {"lay_hose": "10"})
    page.click("#save")
    assert page.locator("#pending").inner_text() == "2"
    mark(page, {"open_cabinet": "1", "couple": "1", "open_valve": "1", "hit_target": "18", "unsafe": "0"})
    mark(page, {"no_reset": "0"})
    page.click("#review")
    page.click("#confirm")
    assert page.locator("#pending").inner_text() == "3"  # a submission follows the drafts, never replaces one
    assert page.locator("#m-lay_hose").is_disabled()  # the form closes once a submission waits
    page.unroute(f"**/api/judge/sheets/{round_id}/s03")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_sent(page)
    assert [(v[1], v[2], v[3].get("lay_hose")) for v in versions(tmp_path)] == [
        (1, "draft", "9"),
        (2, "draft", "10"),
        (3, "submitted", "10"),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_the_server_refuses_is_said_in_place_in_the_pages_language(server, browser, tmp_path: Path, lang):
    round_id, pins = prepare(tmp_path)
    page = judge_page(browser, server, "e1", pins["e1"], lang=lang)
    page.goto(f"{server}/judge/rounds/{round_id}/s05")
    refusal = {
        "type": "urn:scoring:problem:sheet-rejected",
        "zh": "评分有误",
        "en": "some marks are not valid",
        "problems": [{"field": "lay_hose", "zh": "“12” 不在本轮允许的范围", "en": "'12' is not allowed in this round"}],
    }
    page.route(f"**/api/judge/sheets/{round_id}/s05", lambda route: route.fulfill(status=422, json=refusal))
    mark(page, {"lay_hose": "12"})
    page.click("#save")
    page.wait_for_function("document.getElementById('pending').textContent === '0'")
    said = refusal["problems"][0][lang]
    assert page.locator(".crit[data-key=lay_hose] .why").inner_text() == said
    assert said in page.locator("#message").inner_text()
    assert refusal["problems"][0]["zh" if lang == "en" else "en"] not in page.locator("#message").inner_text()
    type_into(page, "lay_hose", "11")  # a change clears what the server said of the old mark
    assert page.locator(".crit[data-key=lay_hose] .why").inner_text() == ""


def test_a_draft_refused_as_stale_shows_the_version_the_server_holds(server, browser, tmp_path: Path):
    """The chief typed the sheet in from paper while the judge's draft waited: the draft is
    refused as stale, and the form shows the marks stored, not the ones refused."""
    round_id, pins = prepare(tmp_path)
    page = judge_page(browser, server, "e1", pins["e1"])
    page.goto(f"{server}/judge/rounds/{round_id}/s07")
    page.context.set_offline(True)
    mark(page, {"lay_hose": "3"})
    page.click("#save")
    chief = judge_page(browser, server, "e2", pins["e2"])
    paper = {"action": "transcribe", "base_version": 0, "client_id": "paper-s07-e1", "marks": COMPLETE}
    assert chief.request.post(f"{server}/api/chief/sheets/{round_id}/s07/e1", data=paper).ok
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_sent(page)
    assert page.locator("#m-lay_hose").input_value() == COMPLETE["lay_hose"]
    assert page.locator("#message").inner_text() == "评分表已在服务器上更新，已载入最新版本"
    assert [v[3] for v in versions(tmp_path)] == [COMPLETE]
