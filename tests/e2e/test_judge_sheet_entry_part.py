"""A figure-skating judge's sheet in Chromium, a rubric with a part marked once per entry, at
tablet and phone size, in Chinese and English: the judge marks an element and submits it, then
opens the per-entry step after the elements, marks the three programme components (a mark off
its step is said in place, in the page's language, and nothing is sent), submits them with the
element already submitted, and the sheet is complete: nothing on it can change any more."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from organiser.service import renew_access, set_panel
from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.models import Judge, Round
from scoring.store.official_values import current_values
from tests.e2e.tablets import SIZES, judge_page, sessions, type_into, versions
from tests.helpers import committed
from tests.integration.skating import COMPETITION, JUDGES, REFEREE, RUBRIC
from web.security import load_secret

CASES = [("tablet", "zh"), ("tablet", "en"), ("phone", "zh"), ("phone", "en")]
ELEMENTS = 13  # the example's "up to 13" elements, then the per-entry step


def prepare_skating(tmp_path: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    """The skating competition stored (tests/integration/skating.py), five judges and the
    referee r1 seated as chief; the round's id and each one's access (pin, link)."""
    folder = tmp_path / "files" / "competition"
    folder.mkdir(parents=True)
    (tmp_path / "files" / "rubrics").mkdir()
    shutil.copy(RUBRIC, tmp_path / "files" / "rubrics" / "segment.toml")
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


@pytest.mark.parametrize(("size", "lang"), CASES)
def test_a_skating_judge_marks_an_element_then_the_components_once(server, browser, shots, tmp_path, size, lang):
    round_id, access = prepare_skating(tmp_path)
    page = judge_page(browser, server, "j1", access["j1"]["pin"], SIZES[size], lang)
    page.goto(f"{server}/judge/rounds/{round_id}/s1?lang={lang}")
    part = page.locator("fieldset.entry-part")
    tab = page.locator(f"#attempts [data-go='{ELEMENTS + 1}']")
    assert tab.inner_text() == ("每人一次" if lang == "zh" else "Once per entry")
    assert not part.is_visible() and tab.is_disabled()  # the components come after an element
    goe = page.locator("input[name='1/goe']")
    goe.fill("2")
    goe.blur()
    assert page.locator("#review").inner_text() == ("提交第 1 次" if lang == "zh" else "Submit attempt 1")
    page.click("#review")
    assert page.locator("#summary-table tr").count() == 1
    page.click("#confirm")
    page.wait_for_function("document.querySelector(\"fieldset.attempt[data-attempt='2']\").hidden === false")
    assert versions(tmp_path) == [("s1", 1, "submitted", {"1/goe": "2"})]
    tab.click()
    assert part.is_visible() and not page.locator("fieldset.attempt[data-attempt='2']").is_visible()
    assert page.locator("#review").inner_text() == (
        "提交每人一次的评分" if lang == "zh" else "Submit the per-entry marks"
    )
    type_into(page, "composition", "7.25")
    type_into(page, "presentation", "7.1")
    why = page.locator(".crit[data-key='presentation'] .why")
    assert why.inner_text() == (
        "7.1 不在步长上：从 0.25 起每步 0.25" if lang == "zh" else "7.1 is off the step: from 0.25 in steps of 0.25"
    )
    page.click("#review")  # not valid: nothing goes out, the judge is told how many
    assert page.locator("#message").inner_text() == (
        "有 1 项评分无效（已标红），请先更正" if lang == "zh" else "1 mark(s) not valid (in red): correct them first"
    )
    page.evaluate("scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"judge-sheet-entry-part-{size}-{lang}.png"), full_page=True)
    type_into(page, "presentation", "7")
    type_into(page, "skating_skills", "6.5")
    page.click("#review")
    assert page.locator("#summary-table tr").count() == 3  # the three components
    page.click("#confirm")
    page.wait_for_function("document.querySelector('fieldset.entry-part .attempt-done').hidden === false")
    marks = {"1/goe": "2", "composition": "7.25", "presentation": "7", "skating_skills": "6.5"}
    assert versions(tmp_path)[-1] == ("s1", 2, "submitted", marks)
    assert page.locator("#m-composition").is_disabled() and page.locator("#review").is_disabled()
    assert page.locator("#attempts [data-go='2']").is_disabled()  # no element after the components
    page.evaluate("scrollTo(0, 0)")
    if size == "tablet":
        page.screenshot(path=str(shots / f"judge-sheet-entry-part-done-{lang}.png"), full_page=False)


@pytest.mark.parametrize(("size", "lang"), [("tablet", "zh"), ("phone", "en")])
def test_the_desk_takes_each_elements_base_value_and_the_deductions_once(server, browser, shots, tmp_path, size, lang):
    round_id, access = prepare_skating(tmp_path)
    page = judge_page(browser, server, REFEREE, access[REFEREE]["pin"], SIZES[size], lang)
    page.goto(f"{server}/judge/rounds/{round_id}/desk?lang={lang}")
    assert page.locator("tbody tr").count() == 3 * (ELEMENTS + 1)  # three skaters x 13 elements, and once each
    once = page.locator("tr.once[data-entry='s1']")
    assert once.locator("td").nth(1).inner_text() == ("每人一次" if lang == "zh" else "Once per entry")
    base = page.locator("input.value[data-entry='s1'][name='1/base_value']")
    base.fill("10.00")
    base.blur()
    deductions = once.locator("input[name='deductions']")
    deductions.fill("-1")
    deductions.blur()
    why = once.locator(".why").nth(1)
    assert why.inner_text() == ("-1 太小：不能小于 0" if lang == "zh" else "-1 is too small: at least 0")
    deductions.fill("1")
    deductions.blur()
    once.locator("input[name='factor']").fill("1.67")
    once.locator("input[name='factor']").blur()
    wanted = {"1/base_value": "10.00", "deductions": "1", "factor": "1.67"}
    for _ in range(100):  # drafts of one entry not yet tried collapse: how many versions it takes varies
        with sessions(tmp_path)() as db:
            if current_values(db, round_id).get("s1") == wanted:
                break
        page.wait_for_timeout(200)
    page.wait_for_function("document.getElementById('pending').textContent === '0'", timeout=20000)
    with sessions(tmp_path)() as db:
        assert current_values(db, round_id)["s1"] == wanted
    once.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"desk-entry-part-{size}-{lang}.png"), full_page=False)
