"""A selection by nomination in Chromium: a unit nominates a candidate through its link on a
phone (390x844) and a tablet (1024x768), in Chinese and English, first refused with the field
named and what was typed kept, then accepted; the public notice on a phone with its objection
form; the published list and an honouree's page. The pages never scroll sideways and every
photo loads."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from scoring.competition import load_competition
from scoring.nomination_rules import NominationForm
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.models import Competition, Judge
from scoring.store.nomination_lists import publish_notice
from scoring.store.nominations import (
    cast_ballot,
    move_stage,
    nominate,
    nominations_of,
    open_call_of,
    photos_dir,
    set_call,
    standing_ballots,
)
from server.demo_nominations import RANGERS, load_ranger_selection, portrait_png, selection_settings
from web.security import load_secret, sign_holder_token, sign_judge_token

KEY = "ranger-2026"
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}


def sessions_of(tmp_path: Path) -> Any:
    return session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))


def with_call(tmp_path: Path, counting: dict[str, Any] | None = None) -> Any:
    """The example's competition and call (its counting rule replaced by `counting`), no
    nominations yet."""
    sessions = sessions_of(tmp_path)
    selection = tomllib.loads((RANGERS / "selection.toml").read_text(encoding="utf-8"))
    selection["counting"] = counting or selection["counting"]
    with sessions.begin() as db:
        store_competition(db, load_competition(RANGERS / "competition.toml"), actor="test")
        set_call(db, KEY, selection_settings(selection), "test")
    return sessions


def open_page(browser: Any, url: str, viewport: dict[str, int]) -> Any:
    page = browser.new_context(viewport=viewport, device_scale_factor=1).new_page()
    assert page.goto(url).status == 200
    return page


def no_sideways_scroll(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def photos_loaded(page: Any) -> int:
    images = page.locator("img")
    count = images.count()
    for i in range(count):
        images.nth(i).scroll_into_view_if_needed()
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0"), i
    return count


def test_a_unit_nominates_on_a_phone_and_a_tablet_in_both_languages(server, browser, shots, tmp_path):
    sessions = with_call(tmp_path)
    with sessions() as db:
        cid = db.execute(select(Competition.id).where(Competition.key == KEY)).scalar_one()
    secret = load_secret(tmp_path, None)
    photo = tmp_path / "portrait.png"
    photo.write_bytes(portrait_png(9))
    runs = [("zh", PHONE, "phone", "u01"), ("en", PHONE, "phone", "u02"), ("zh", TABLET, "tablet", "u03"),
            ("en", TABLET, "tablet", "u04")]  # fmt: skip
    for lang, viewport, device, unit in runs:
        link = f"{server}/nominate/{sign_holder_token(secret, 'unit', cid, unit)}?lang={lang}"
        page = open_page(browser, link, viewport)
        no_sideways_scroll(page)
        page.fill("#name", "林小满")
        page.fill("#post", "护林员")
        if lang == "en":  # the English name and post, shown on English pages
            page.fill("#name_en", "Lin Xiaoman")
            page.fill("#post_en", "Forest ranger")
        page.fill("#years_of_service", "2")
        page.fill("#story_zh", "巡山守林十年。")
        page.fill("#story_en", "Ten years on the mountain.")
        page.set_input_files("#photo", str(photo))
        page.click("#nominate button[type=submit]")
        alert = page.locator("[role=alert]")
        alert.wait_for()
        said = alert.inner_text()
        fields = ("工作年限", "在一线岗位工作") if lang == "zh" else ("Years of service", "Works on the front line")
        assert all(f in said for f in fields) and "years_of_service" not in said, said  # named by label
        assert ("至少 3 年" in said) if lang == "zh" else ("at least 3 years of service" in said), said
        assert page.input_value("#name") == "林小满"  # what was typed is kept
        no_sideways_scroll(page)
        page.screenshot(path=str(shots / f"nomination-unit-refused-{lang}-{device}.png"), full_page=True)
        page.fill("#years_of_service", "10")
        page.check("#front_line")
        page.set_input_files("#photo", str(photo))
        page.click("#nominate button[type=submit]")
        page.locator("[role=status]").wait_for()
        assert ("林小满 · 护林员" if lang == "zh" else "Lin Xiaoman · Forest ranger") in page.locator(
            "#mine"
        ).inner_text()
        no_sideways_scroll(page)
        page.screenshot(path=str(shots / f"nomination-unit-sent-{lang}-{device}.png"), full_page=True)
    with sessions() as db:
        _, call = open_call_of(db, KEY)
        assert sorted(n.unit_key for n in nominations_of(db, call.id)) == ["u01", "u02", "u03", "u04"]


def test_the_public_notice_on_a_phone_takes_an_objection(server, browser, shots, tmp_path):
    sessions = with_call(tmp_path, {"method": "approval_threshold", "threshold": "2/3"})
    photos = photos_dir(tmp_path / "uploads")
    for number, unit in enumerate(["u01", "u02", "u05", "u07"], start=1):
        form = NominationForm(
            f"候选{number}", "护林员", "6", True, "巡山守林。" * 20, "Walks the forest. " * 10, portrait_png(number)
        )
        with sessions.begin() as db:
            nominate(db, KEY, unit, form, f"e2e-{number}", photos)
    with sessions.begin() as db:
        _, call = open_call_of(db, KEY)
        move_stage(db, call, "deliberation", "test")
        ids = [n.id for n in nominations_of(db, call.id)]
        experts = [j.id for j in db.execute(select(Judge).where(Judge.key.in_(call.panel))).scalars()]
    for expert in experts[1:]:
        with sessions.begin() as db:
            cast_ballot(db, KEY, expert, {str(i): "approve" if i != ids[-1] else "reject" for i in ids})
    # the first expert votes on a phone, signed in by the judge's link
    ballot = browser.new_context(viewport=PHONE, device_scale_factor=1).new_page()
    signed = ballot.goto(f"{server}/judge/signin/{sign_judge_token(load_secret(tmp_path, None), experts[0], 1)}")
    assert signed.ok
    assert ballot.goto(f"{server}/judge/?lang=zh").status == 200
    ballot.screenshot(path=str(shots / "nomination-judge-home-zh-phone.png"), full_page=True)
    ballot.click("a[data-ballot]")  # the expert finds the ballot from the judges' home page
    ballot.wait_for_url(f"**/deliberation/{KEY}")
    for i in ids:
        ballot.check(f"input[name=vote_{i}][value={'reject' if i == ids[-1] else 'approve'}]")
    no_sideways_scroll(ballot)
    ballot.click("#ballot button[type=submit]")
    ballot.locator("[role=status]").wait_for()
    ballot.screenshot(path=str(shots / "nomination-ballot-zh-phone.png"), full_page=True)
    with sessions() as db:
        assert len(standing_ballots(db, open_call_of(db, KEY)[1])) == 7
    with sessions.begin() as db:
        publish_notice(db, KEY, datetime.now(UTC) + timedelta(days=7), "test")
    for lang in ("zh", "en"):
        page = open_page(browser, f"{server}/nominations/{KEY}/notice?lang={lang}", PHONE)
        assert page.locator(".person").count() == 3  # the rejected candidate is not shown
        assert "候选4" not in page.content()
        assert photos_loaded(page) == 3
        no_sideways_scroll(page)
        page.screenshot(path=str(shots / f"nomination-notice-{lang}-phone.png"), full_page=True)
    page.select_option("#nomination", str(ids[1]))
    page.fill("#name", "Zhou Ming")
    page.fill("#contact", "zhou@example.org")
    page.click("#objection button[type=submit]")
    refused = page.locator("#objection-problems")  # at the form, where the page opens again
    refused.wait_for()
    assert "Reasons" in refused.inner_text() and refused.is_visible()
    assert page.evaluate("window.scrollY") > 0  # not sent back to the top of a long page
    page.fill("#reason", "The years of service look wrong.")
    page.click("#objection button[type=submit]")
    page.locator("[role=status]").wait_for()
    no_sideways_scroll(page)
    page.locator("#objection").screenshot(path=str(shots / "nomination-objection-sent-en-phone.png"))


def test_the_published_list_and_an_honourees_page_on_a_phone(server, browser, shots, tmp_path):
    shown = load_ranger_selection(sessions_of(tmp_path), tmp_path, load_secret(tmp_path, None))
    for lang in ("zh", "en"):
        page = open_page(browser, f"{server}/nominations/{KEY}/list?lang={lang}", PHONE)
        assert page.locator(".person").count() == 10
        assert photos_loaded(page) == 10
        no_sideways_scroll(page)
        page.screenshot(path=str(shots / f"nomination-list-{lang}-phone.png"))
        first = page.locator(".person h3 a").first.inner_text()
        assert first.isascii() if lang == "en" else not first.isascii(), first  # the pinyin name on English pages
        page.locator(".person h3 a").first.click()
        page.locator("#story").wait_for()
        assert page.locator("h1").inner_text() == first
        assert page.url.endswith(f"/honourees/{shown['honouree']}")
        assert photos_loaded(page) == 1
        no_sideways_scroll(page)
        page.screenshot(path=str(shots / f"nomination-honouree-{lang}-phone.png"), full_page=True)
    page = open_page(browser, f"{server}/nominations/{KEY}/list?lang=zh", TABLET)
    photos_loaded(page)
    page.evaluate("window.scrollTo(0, 0)")
    no_sideways_scroll(page)
    page.screenshot(path=str(shots / "nomination-list-zh-tablet.png"))
    # the organiser's page of the selection: the count by the stated rule, the lists, the objection decided
    admin = open_page(browser, f"{server}/admin/login", TABLET)
    admin.fill("#username", "organiser")
    admin.fill("#password", "demo-password")
    admin.click("form button[type=submit]")
    admin.wait_for_url("**/admin**")
    assert admin.goto(f"{server}/admin/competitions/{KEY}/nominations?lang=zh").status == 200
    assert admin.locator("#tally tbody tr").count() == 30 and admin.locator("#stage").inner_text() == "名单已发布"
    photos_loaded(admin)
    admin.evaluate("window.scrollTo(0, 0)")
    no_sideways_scroll(admin)
    admin.screenshot(path=str(shots / "nomination-organiser-zh-tablet.png"))
    assert admin.goto(f"{server}/admin/competitions/{KEY}/nominations?lang=en").status == 200
    assert "Wang Shoushan" in admin.locator("#nominations").inner_text()
    photos_loaded(admin)
    admin.locator("#nominations").evaluate("table => table.scrollIntoView()")  # the candidates in English
    no_sideways_scroll(admin)
    admin.screenshot(path=str(shots / "nomination-organiser-en-tablet.png"))


def test_an_organiser_sets_up_a_call_from_scratch_and_a_unit_meets_its_quota(server, browser, shots, tmp_path):
    sessions = sessions_of(tmp_path)
    with sessions.begin() as db:
        store_competition(db, load_competition(RANGERS / "competition.toml"), actor="test")  # no call yet
    admin = open_page(browser, f"{server}/admin/login", TABLET)
    admin.fill("#username", "organiser")
    admin.fill("#password", "demo-password")
    admin.click("form button[type=submit]")
    admin.wait_for_url("**/admin**")
    assert admin.goto(f"{server}/admin/competitions/{KEY}/nominations?lang=zh").status == 200
    assert admin.input_value("#min_service_years") == "0"
    admin.fill("#title_zh", "最美护林员")
    admin.fill("#title_en", "Most Beautiful Forest Ranger")
    admin.fill("#min_service_years", "3")
    admin.check("input[name=front_line_required]")
    admin.fill("#unit_quota", "1")
    for expert in ("x1", "x2", "x3"):
        admin.check(f"input[name=panel][value={expert}]")
    admin.fill("#threshold", "most")  # refused: a page in Chinese naming the field by its label
    admin.click("#call-form button[type=submit]")
    alert = admin.locator(".problems[role=alert]")
    alert.wait_for()
    assert admin.evaluate("document.contentType") == "text/html"  # not the page's source as JSON
    assert "赞成比例（如 2/3）" in alert.inner_text() and "threshold" not in alert.inner_text()
    no_sideways_scroll(admin)
    admin.screenshot(path=str(shots / "nomination-organiser-refused-zh-tablet.png"), full_page=True)
    admin.fill("#threshold", "1/2")
    admin.click("#call-form button[type=submit]")
    admin.locator("#done").wait_for()
    assert "设置已保存" in admin.locator("#done").inner_text() and admin.locator("#stage").inner_text() == "接受推荐"
    admin.screenshot(path=str(shots / "nomination-organiser-new-call-zh-tablet.png"), full_page=True)
    link = admin.locator("a[href*='/nominate/']").first.get_attribute("href")
    # the unit's representative, on a phone in English: one nominee, then the quota says no more
    unit = open_page(browser, f"{link}?lang=en", PHONE)
    photo = tmp_path / "portrait.png"
    photo.write_bytes(portrait_png(4))
    unit.fill("#name", "林小满")
    unit.fill("#post", "Forest ranger")
    unit.fill("#years_of_service", "8")
    unit.check("#front_line")
    unit.fill("#story_zh", "巡山守林八年。")
    unit.set_input_files("#photo", str(photo))
    unit.click("#nominate button[type=submit]")
    unit.locator("[role=status]").wait_for()
    assert unit.locator("#nominate").count() == 0 and "quota is used up" in unit.locator("#quota-full").inner_text()
    no_sideways_scroll(unit)
    unit.screenshot(path=str(shots / "nomination-unit-quota-full-en-phone.png"), full_page=True)
    # the organiser closes the call, on a phone: told what was done, the deadline picked as a date and time
    phone = browser.new_context(viewport=PHONE, device_scale_factor=1)
    phone.add_cookies(admin.context.cookies())
    page = phone.new_page()
    assert page.goto(f"{server}/admin/competitions/{KEY}/nominations?lang=en").status == 200
    page.click("text=Close nominations; the panel deliberates")
    page.locator("#done").wait_for()
    assert page.locator("#stage").inner_text() == "Expert deliberation"
    no_sideways_scroll(page)
    page.screenshot(path=str(shots / "nomination-organiser-closed-en-phone.png"), full_page=True)
