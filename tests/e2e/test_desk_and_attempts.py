"""The officials' desk and an attempt-by-attempt diving sheet in Chromium, at tablet and phone
size, in Chinese and English (issue 12): the desk checks a value in place in the page's language
and sends nothing until it is valid, keeps values offline and sends them once back online; the
judge's sheet shows one dive at a time with the dive's DD from the desk, submits dive 1, then
moves to dive 2 with dive 1 closed."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from organiser.service import renew_access, set_panel
from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.models import Judge, OfficialValues, Round
from tests.e2e.tablets import SIZES, judge_page, sessions, versions
from tests.helpers import RUBRICS, committed
from tests.integration.diving import COMPETITION, JUDGES
from web.security import load_secret

CASES = [("tablet", "zh"), ("phone", "en")]


def prepare_diving(tmp_path: Path) -> tuple[int, dict[str, str]]:
    """The diving competition stored (tests/integration/diving.py), seven judges seated with d7 the
    chief; the round's id and the PINs of d1 and d7."""
    folder = tmp_path / "files" / "competition"
    folder.mkdir(parents=True)
    (tmp_path / "files" / "rubrics").mkdir()
    shutil.copy(RUBRICS / "diving_individual.toml", tmp_path / "files" / "rubrics" / "diving_individual.toml")
    (folder / "competition.toml").write_text(COMPETITION, encoding="utf-8")
    store = sessions(tmp_path)
    committed(store, store_competition, load_competition(folder / "competition.toml"), actor="t")
    with store() as db:
        round_id = db.execute(select(Round.id)).scalar_one()
        ids = dict(db.execute(select(Judge.key, Judge.id)).all())
    committed(store, set_panel, round_id, JUDGES, "d7", actor="t")
    access = committed(store, renew_access, load_secret(tmp_path, None), [ids["d1"], ids["d7"]], actor="t")
    return round_id, {a["judge"]: a["pin"] for a in access}


def desk_values(tmp_path: Path) -> list[tuple[str, int, dict[str, str]]]:
    with sessions(tmp_path)() as db:
        rows = db.execute(select(OfficialValues).order_by(OfficialValues.id)).scalars()
        return [(r.entry_key, r.version, dict(r.values)) for r in rows]


def box(page: Any, entry: str, key: str) -> Any:
    return page.locator(f"input.value[data-entry='{entry}'][name='{key}']")


def wait_pending(page: Any, n: int = 0) -> None:
    page.wait_for_function(f"document.getElementById('pending').textContent === '{n}'", timeout=20000)


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_the_desk_checks_in_place_keeps_offline_and_stores_versions(server, browser, shots, tmp_path, size, lang):
    round_id, pins = prepare_diving(tmp_path)
    page = judge_page(browser, server, "d7", pins["d7"], SIZES[size], lang)
    assert page.locator(f"a[href='/judge/rounds/{round_id}/desk']").count() == 1  # the chief's way to the desk
    page.goto(f"{server}/judge/rounds/{round_id}/desk?lang={lang}")
    assert page.locator("tbody tr").count() == 4 * 5  # four divers x five dives
    dd = box(page, "c1", "1/dd")
    dd.fill("5")
    dd.blur()
    why = dd.locator("xpath=..").locator(".why")
    assert why.inner_text() == ("5 太大：不能大于 4.8" if lang == "zh" else "5 is too large: at most 4.8")
    assert dd.get_attribute("aria-invalid") == "true"
    page.wait_for_timeout(300)
    assert page.locator("#pending").inner_text() == "0" and desk_values(tmp_path) == []  # nothing sent
    dd.fill(" 3.0 ")
    dd.blur()
    wait_pending(page)
    page.wait_for_function("document.querySelector(\"[data-state='c1']\").textContent.startsWith('v1')")
    box(page, "c1", "2/dd").fill("2.8")
    box(page, "c1", "3/penalty").fill("2")
    box(page, "c1", "3/penalty").blur()
    wait_pending(page)
    page.wait_for_function("document.querySelector(\"[data-state='c1']\").textContent.startsWith('v3')")
    assert desk_values(tmp_path)[-1] == ("c1", 3, {"1/dd": "3.0", "2/dd": "2.8", "3/penalty": "2"})
    page.context.set_offline(True)
    box(page, "c2", "1/dd").fill("2.0")
    box(page, "c2", "1/dd").blur()
    assert page.locator("#pending").inner_text() == "1"
    assert page.locator("#net").inner_text() == ("离线" if lang == "zh" else "offline")
    page.evaluate("scrollTo(0, 0)")
    if size == "tablet":
        page.screenshot(path=str(shots / "desk.png"), full_page=False)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_pending(page)
    assert desk_values(tmp_path)[-1] == ("c2", 1, {"1/dd": "2.0"})


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_a_diving_judge_marks_dive_by_dive_with_the_dives_dd(server, browser, shots, tmp_path, size, lang):
    round_id, pins = prepare_diving(tmp_path)
    chief = judge_page(browser, server, "d7", pins["d7"], SIZES[size], lang)
    desk = {"base_version": 0, "client_id": uuid.uuid4().hex, "values": {"1/dd": "2.0", "2/dd": "3.4"}}
    assert chief.request.put(f"{server}/api/chief/rounds/{round_id}/desk/c1", data=desk).ok
    page = judge_page(browser, server, "d1", pins["d1"], SIZES[size], lang)
    page.goto(f"{server}/judge/rounds/{round_id}/c1?lang={lang}")
    dive = {k: page.locator(f"fieldset.attempt[data-attempt='{k}']") for k in range(1, 6)}
    assert dive[1].is_visible() and not any(dive[k].is_visible() for k in range(2, 6))
    assert dive[1].locator("[data-param='1/dd'] strong").inner_text() == "2.0"
    award = page.locator("input[name='1/award']")
    award.fill("7.25")
    award.blur()
    off = "7.25 不在步长上" if lang == "zh" else "7.25 is off the step"
    assert off in dive[1].locator(".why").first.inner_text()
    award.fill("7")
    award.blur()
    assert page.locator("#review").inner_text() == ("提交第 1 次" if lang == "zh" else "Submit attempt 1")
    page.click("#review")
    assert page.locator("#summary-table tr").count() == 1  # the dive being submitted, not the four to come
    page.click("#confirm")
    page.wait_for_function("document.querySelector(\"fieldset.attempt[data-attempt='2']\").hidden === false")
    assert versions(tmp_path) == [("c1", 1, "submitted", {"1/award": "7"})]
    assert not dive[1].is_visible() and dive[2].locator("[data-param='2/dd'] strong").inner_text() == "3.4"
    assert page.locator("#save").is_disabled()  # a submitted sheet takes no draft: the next dive is submitted
    page.evaluate("scrollTo(0, 0)")
    if size == "tablet" and lang == "zh":
        page.screenshot(path=str(shots / "judge-sheet-attempts.png"), full_page=True)
    page.click("#attempts [data-go='1']")  # dive 1 can be looked at, not changed
    assert dive[1].is_visible() and award.is_disabled() and award.input_value() == "7"
    page.click("#attempts [data-go='2']")
    page.locator("input[name='2/award']").fill("8.5")
    page.click("#review")
    page.click("#confirm")
    page.wait_for_function("document.querySelector(\"fieldset.attempt[data-attempt='3']\").hidden === false")
    assert versions(tmp_path)[-1] == ("c1", 2, "submitted", {"1/award": "7", "2/award": "8.5"})
    assert page.locator("#next").get_attribute("href").endswith("/c2")
