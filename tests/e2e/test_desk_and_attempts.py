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
from tests.integration.diving import COMPETITION, JUDGES, REFEREE
from web.security import load_secret

CASES = [("tablet", "zh"), ("phone", "en")]


def prepare_diving(tmp_path: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    """The diving competition stored (tests/integration/diving.py), seven judges who mark and the
    referee r1 seated as chief (desk only); the round's id and each one's access (pin, link)."""
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
    committed(store, set_panel, round_id, JUDGES, REFEREE, actor="t")
    seated = [ids[k] for k in [*JUDGES, REFEREE]]
    access = committed(store, renew_access, load_secret(tmp_path, None), seated, actor="t")
    return round_id, {a["judge"]: a for a in access}


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
    round_id, access = prepare_diving(tmp_path)
    page = judge_page(browser, server, REFEREE, access[REFEREE]["pin"], SIZES[size], lang)
    assert page.locator(f"a[href='/judge/rounds/{round_id}/desk']").count() == 1  # the chief's way to the desk
    assert page.locator("[data-sheet]").count() == 0  # the referee marks no sheet: no entries to mark
    assert page.locator(".desk-only").inner_text() == (
        "您在本轮次任裁判长（记录台），不填写评分表"
        if lang == "zh"
        else "You keep this round's desk as its referee and mark no sheets"
    )
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
    round_id, access = prepare_diving(tmp_path)
    chief = judge_page(browser, server, REFEREE, access[REFEREE]["pin"], SIZES[size], lang)
    desk = {"base_version": 0, "client_id": uuid.uuid4().hex, "values": {"1/dd": "2.0", "2/dd": "3.4"}}
    assert chief.request.put(f"{server}/api/chief/rounds/{round_id}/desk/c1", data=desk).ok
    page = judge_page(browser, server, "d1", access["d1"]["pin"], SIZES[size], lang)
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


def desk_put(page: Any, server: str, round_id: int, entry: str, values: dict[str, str], base: int) -> None:
    body = {"base_version": base, "client_id": uuid.uuid4().hex, "values": values}
    assert page.request.put(f"{server}/api/chief/rounds/{round_id}/desk/{entry}", data=body).ok


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_the_tablet_shows_the_desks_dd_as_it_changes_and_offline_the_last_known(server, browser, tmp_path, size, lang):
    round_id, access = prepare_diving(tmp_path)
    chief = judge_page(browser, server, REFEREE, access[REFEREE]["pin"], SIZES[size], lang)
    desk_put(chief, server, round_id, "c1", {"1/dd": "2.0", "2/dd": "3.4"}, 0)
    page = judge_page(browser, server, "d1", access["d1"]["pin"], SIZES[size], lang)
    page.clock.install()  # the tablet asks every ten seconds: the test moves its clock on instead
    page.goto(f"{server}/judge/rounds/{round_id}/c1?lang={lang}")
    dd = page.locator("[data-param='1/dd'] strong")
    note = page.locator("fieldset.attempt[data-attempt='1'] .from-desk")
    assert dd.inner_text() == "2.0"
    desk_put(chief, server, round_id, "c1", {"1/dd": "2.2", "2/dd": "3.4"}, 1)  # the desk corrects dive 1's DD
    page.clock.fast_forward(10_000)
    page.wait_for_function("document.querySelector(\"[data-param='1/dd'] strong\").textContent === '2.2'")
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    desk_put(chief, server, round_id, "c1", {"1/dd": "2.4", "2/dd": "3.4"}, 2)
    page.clock.fast_forward(10_000)
    assert dd.inner_text() == "2.2"  # offline: the last known value, said so
    assert note.inner_text() == (
        "（离线：最后已知的值，可能已更改）" if lang == "zh" else "(offline: last known value, may have changed)"
    )
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("document.querySelector(\"[data-param='1/dd'] strong\").textContent === '2.4'")
    assert note.inner_text() == ("（记录台给出）" if lang == "zh" else "(from the officials' desk)")
    # the desk changes dive 2's DD; the judge submits dive 1 and finds dive 2 with the new value
    desk_put(chief, server, round_id, "c1", {"1/dd": "2.4", "2/dd": "3.6"}, 3)
    page.locator("input[name='1/award']").fill("7")
    page.click("#review")
    page.click("#confirm")
    page.wait_for_function("document.querySelector(\"fieldset.attempt[data-attempt='2']\").hidden === false")
    page.wait_for_function("document.querySelector(\"[data-param='2/dd'] strong\").textContent === '3.6'")
