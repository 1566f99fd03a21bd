"""A judge orders the couples of a dance final on a tablet or a phone, in Chinese and English
(issue 15, item 4): six couples placed in two dances by tapping (a shared place in the rumba,
which allows it; an undo; one couple dragged to another place), submitted, and the stored marks
are the places the form showed; a shared place the samba refuses is said in the page's words and
nothing is sent; offline, the order waits on the device and is stored once when the network is
back; the chief judge reads the placements matrix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from organiser.service import renew_access, set_panel
from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.models import Judge, Round
from tests.e2e.tablets import SIZES, judge_page, sessions, versions, wait_sent
from tests.helpers import committed
from tests.integration.dancing import COUPLES, DANCES, JUDGES, write_files
from web.security import load_secret


def prepare_dancing(tmp_path: Path) -> tuple[int, dict[str, str]]:
    """The dance competition stored (tests/integration/dancing.py), j1..j3 seated (j1 the chief);
    the round's id and each judge's PIN."""
    store = sessions(tmp_path)
    committed(store, store_competition, load_competition(write_files(tmp_path / "files")), actor="t")
    with store() as db:
        round_id = db.execute(select(Round.id)).scalar_one()
        ids = dict(db.execute(select(Judge.key, Judge.id)).all())
    committed(store, set_panel, round_id, JUDGES, "j1", actor="t")
    access = committed(store, renew_access, load_secret(tmp_path, None), [ids[k] for k in JUDGES], actor="t")
    return round_id, {a["judge"]: a["pin"] for a in access}


def tap(page: Any, dance: str, *couples: str) -> None:
    for couple in couples:
        page.click(f"section[data-dance={dance}] button.pick[data-entry={couple}]")


def shown(page: Any) -> dict[str, dict[str, str]]:
    """Each couple's places as the form's boxes show them, by dance."""
    return {
        couple: {
            dance: page.input_value(f"section[data-dance={dance}] input.place[data-entry={couple}]") for dance in DANCES
        }
        for couple in COUPLES
    }


def open_form(
    browser: Any, server: str, pins: dict[str, str], size: str, lang: str, round: int, judge: str = "j2"
) -> Any:
    page = judge_page(browser, server, judge, pins[judge], SIZES[size], lang)
    link = page.locator("a[data-placing]")
    assert link.inner_text().endswith("未开始" if lang == "zh" else "not started")
    assert page.locator("a[data-sheet]:not([data-placing])").count() == 0  # no sheet by sheet
    link.click()
    page.wait_for_url(f"{server}/judge/placements/{round}")
    return page


@pytest.mark.parametrize(("size", "lang"), [("tablet", "zh"), ("phone", "en")])
def test_a_judge_orders_six_couples_in_two_dances_by_tapping(server, browser, shots, tmp_path, size, lang):
    round_id, pins = prepare_dancing(tmp_path)
    page = open_form(browser, server, pins, size, lang, round_id)
    assert page.locator("section.dance").count() == 2
    assert page.locator("section[data-dance=samba] .tie").count() == 0  # the samba shares no place
    tap(page, "samba", "c03", "c01", "c05", "c02", "c04")
    page.click("section[data-dance=samba] .undo")  # c04 was a slip
    tap(page, "samba", "c06", "c04")
    chips = page.locator("section[data-dance=samba] .result li")
    chips.filter(has_text="c06").drag_to(chips.filter(has_text="c01"))  # c06 moved up, before c01
    tap(page, "rumba", "c01", "c02")
    page.click("section[data-dance=rumba] .tie")
    said = page.locator("section[data-dance=rumba] .armed").inner_text()
    assert said == ("下一个点选的参赛对象与第 2 名并列" if lang == "zh" else "the next entry tapped shares place 2")
    tap(page, "rumba", "c03", "c04", "c05", "c06")
    places = shown(page)
    assert {c: p["samba"] for c, p in places.items()} == {
        "c03": "1", "c06": "2", "c01": "3", "c05": "4", "c02": "5", "c04": "6"
    }  # fmt: skip
    assert {c: p["rumba"] for c, p in places.items()} == {
        "c01": "1", "c02": "2", "c03": "2", "c04": "4", "c05": "5", "c06": "6"
    }  # fmt: skip
    result = page.locator("section[data-dance=rumba] .result li").all_inner_texts()
    assert [r.split()[0] for r in result] == ["1", "2", "2", "4", "5", "6"]
    assert page.locator("section[data-dance=rumba] .why").inner_text() == ""
    assert page.locator("section[data-dance=rumba] .pick[data-entry=c03] .badge").inner_text() == (
        "第 2 名" if lang == "zh" else "2"
    )
    page.evaluate("scrollTo(0, 0)")
    name = "judge-ordering.png" if (size, lang) == ("tablet", "zh") else f"judge-ordering-{size}-{lang}.png"
    page.screenshot(path=str(shots / name), full_page=True)
    page.click("#review")
    summary = page.locator("#summary-table tr[data-dance=rumba]").inner_text()
    assert "1 c01 · 2 c02 · 2 c03 · 4 c04" in summary
    page.click("#confirm")
    wait_sent(page)
    assert page.locator("#state").inner_text() == ("已提交" if lang == "zh" else "submitted")
    assert page.locator("section[data-dance=samba] button.pick").first.is_disabled()
    stored = {entry: marks for entry, _, state, marks in versions(tmp_path) if state == "submitted"}
    assert stored == places  # what the server holds is what the form showed
    assert len(versions(tmp_path)) == 6
    page.goto(server + "/judge")
    assert page.locator("a[data-placing]").inner_text().endswith("已提交" if lang == "zh" else "submitted")


@pytest.mark.parametrize(("size", "lang"), [("tablet", "en"), ("phone", "zh")])
def test_a_shared_place_the_dance_refuses_is_said_and_nothing_is_sent(server, browser, shots, tmp_path, size, lang):
    round_id, pins = prepare_dancing(tmp_path)
    page = open_form(browser, server, pins, size, lang, round_id)
    tap(page, "samba", "c03", "c01", "c05")
    box = page.locator("section[data-dance=samba] input.place[data-entry=c02]")
    box.fill("")
    box.press_sequentially("1")
    box.blur()
    why = page.locator("section[data-dance=samba] .why").inner_text()
    shared = "c02, c03 share place 1: this dance allows no shared places"
    assert why == ("c02、c03 同为第 1 名：本项不允许并列" if lang == "zh" else shared)
    assert box.get_attribute("aria-invalid") == "true"
    page.click("#save")
    message = page.locator("#message").inner_text()
    said = "2 placing(s) not valid (in red): correct them first"
    assert message == ("有 2 项排名有误（已标红），请先更正" if lang == "zh" else said)
    page.click("#review")
    assert not page.locator("#summary").is_visible()
    rumba = page.locator("section[data-dance=rumba] .why").inner_text()
    assert rumba.startswith("尚未排名：c01、c02" if lang == "zh" else "not placed yet: c01, c02")
    page.evaluate("scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"judge-ordering-refused-{size}-{lang}.png"), full_page=True)
    assert page.locator("#pending").inner_text() == "0" and versions(tmp_path) == []
    box.fill("4")  # corrected: the samba's places so far are 1..4, saved as a draft
    page.click("#save")
    wait_sent(page)
    assert {e: m for e, _, _, m in versions(tmp_path)} == {
        "c01": {"samba": "2"}, "c02": {"samba": "4"}, "c03": {"samba": "1"}, "c04": {}, "c05": {"samba": "3"}, "c06": {}
    }  # fmt: skip


def test_an_order_submitted_offline_is_stored_once_back_online(server, browser, tmp_path):
    round_id, pins = prepare_dancing(tmp_path)
    page = open_form(browser, server, pins, "tablet", "zh", round_id, "j3")
    page.wait_for_function("window.__pageKept === true")
    page.context.set_offline(True)
    tap(page, "samba", *COUPLES)
    tap(page, "rumba", *reversed(COUPLES))
    page.click("#review")
    page.click("#confirm")
    assert page.locator("#pending").inner_text() == "1"
    assert page.locator("#state").inner_text() == "已提交，等待发送"
    page.reload()  # offline: the page from the tablet's cache, the order from its outbox
    assert page.locator("#pending").inner_text() == "1" and page.locator("#net").inner_text() == "离线"
    assert versions(tmp_path) == []
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_sent(page)
    stored = {entry: (version, state, marks) for entry, version, state, marks in versions(tmp_path)}
    assert len(versions(tmp_path)) == 6
    assert stored["c01"] == (1, "submitted", {"samba": "1", "rumba": "6"})
    assert stored["c06"] == (1, "submitted", {"samba": "6", "rumba": "1"})


@pytest.mark.parametrize(("size", "lang"), [("tablet", "zh"), ("phone", "en")])
def test_the_chief_reads_the_placements_matrix(server, browser, shots, tmp_path, size, lang):
    round_id, pins = prepare_dancing(tmp_path)
    orders = {"j1": COUPLES, "j2": [*COUPLES[1:], COUPLES[0]], "j3": list(reversed(COUPLES))}
    for judge, order in orders.items():
        page = judge_page(browser, server, judge, pins[judge])
        places = {c: str(order.index(c) + 1) for c in COUPLES}
        body = {"action": "submit", "client_id": f"order-{judge}-0001", "device": f"tablet-{judge}"}
        body |= {"base_versions": dict.fromkeys(COUPLES, 0), "places": dict.fromkeys(DANCES, places)}
        assert page.request.put(f"{server}/api/judge/placements/{round_id}", data=body).ok
    chief = judge_page(browser, server, "j1", pins["j1"], SIZES[size], lang)
    chief.goto(f"{server}/judge/console/{round_id}")
    table = chief.locator("table.placements[data-dance=rumba]")
    assert table.locator("caption").inner_text() == ("伦巴" if lang == "zh" else "Rumba")
    row = table.locator("tr[data-entry=c01] td.num").all_inner_texts()
    assert row == ["1", "6", "6"]
    # the round's result is the core's (the median rank): c02's places 2, 1, 5 in both dances win
    assert chief.locator("#results details[data-entry=c02] .place").inner_text() == "1"
    chief.wait_for_load_state("networkidle")  # the live refresh replaces the page's live part
    below_bar = "document.getElementById('bar').offsetHeight + 40"
    chief.evaluate(f"scrollTo(0, document.getElementById('placements').offsetTop - {below_bar})")
    chief.screenshot(path=str(shots / f"chief-console-placements-{size}-{lang}.png"))
