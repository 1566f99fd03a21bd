"""The organiser's set-up as a person sees it (issue 12, items 12 to 18), in Chromium on a tablet
(1024x768) and a phone (390x844): a competition from a template under a new key and title, a
roster with Chinese headers whose names stay on one line, a redraw warned of and marked in
force with team names, the judges' cards printed without revoking anything and one card
reissued after a confirmation, and an error page in the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest

VIEWPORTS = {"tablet": {"width": 1024, "height": 768}, "phone": {"width": 390, "height": 844}}


def signed_in(browser, server: str, viewport: dict[str, int]):
    page = browser.new_page(viewport=viewport)
    page.goto(server + "/admin/login")
    page.fill("#username", "organiser")
    page.fill("#password", "demo-password")
    page.click("button[type=submit]")
    return page


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_organiser_sets_up_from_a_template_and_prints_the_cards(server, browser, shots: Path, tmp_path, device):
    page = signed_in(browser, server, VIEWPORTS[device])
    options = page.locator("#template option").all_inner_texts()
    assert "安全文化专项劳动竞赛" in options  # templates by their titles, not folders
    page.select_option("#template", "power_safety")
    page.fill("#new_key", "safety-2026")
    page.fill("#name_zh", "安全文化竞赛 2026")
    page.fill("#name_en", "Safety Culture 2026")
    page.click("form[action$='/from-template'] button[type=submit]")
    assert (
        page.url.endswith("/admin/competitions/safety-2026") and "安全文化竞赛 2026" in page.locator("h1").inner_text()
    )

    page.goto(server + "/admin")  # the same key again: refused on the field, the list still there
    page.select_option("#template", "power_safety")
    page.fill("#new_key", "safety-2026")
    page.fill("#name_zh", "再来一次")
    page.fill("#name_en", "Again")
    page.click("form[action$='/from-template'] button[type=submit]")
    alert = page.locator("[role=alert]").inner_text()
    assert "竞赛编号“safety-2026”已被使用" in alert and "/tmp" not in alert and "examples" not in alert
    assert page.locator("#template option").count() >= 4 and page.input_value("#name_zh") == "再来一次"
    if device == "tablet":
        page.screenshot(path=str(shots / "organiser-template-refused.png"), full_page=True)

    # a roster with the Chinese headers: two-character names on one line
    page.goto(server + "/admin/competitions/safety-2026")
    roster = tmp_path / "名单.csv"
    roster.write_text(
        "单位编号,单位名称,队号,队名,选手编号,姓名,角色\nd09,应急中心,s15,应急一队,p101,张伟,队长\n"
        "d09,,s15,,p102,李娜,队员\nd09,,s15,,p103,欧阳晓明,替补\n",
        encoding="utf-8",
    )
    page.set_input_files("#roster", str(roster))
    page.click("form[action$='/roster'] button[type=submit]")
    names = page.locator("#roster-rows td.name")
    assert names.all_inner_texts() == ["张伟", "李娜", "欧阳晓明"]
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#roster-rows td.name')).lineHeight)")
    for i in range(3):
        assert names.nth(i).bounding_box()["height"] < 2 * line  # one line, never a character a line
    assert "队长" in page.locator("#roster-rows").inner_text()
    page.screenshot(path=str(shots / f"organiser-roster-preview-{device}.png"), full_page=True)
    page.click("text=全部导入")
    assert "已导入: 3" in page.locator("[role=status]").inner_text()

    # a draw, then a redraw: warned of, confirmed with a reason, the one in force marked, with names
    page.click("tr:has-text('hydrant') a.button")
    page.fill("#drawn_by", "王五")
    page.fill("#seed", "1")
    page.click("form[action$='/draws'] button[type=submit]")
    page.fill("#drawn_by", "王五")
    page.fill("#seed", "2")
    page.click("form[action$='/draws'] button[type=submit]")
    assert page.locator("#redraw").is_visible() and "重新抽签将取代它" in page.locator("#redraw").inner_text()
    page.check("#replaces")
    page.fill("#reason", "抽签时有队伍未到场")
    page.click("form[action$='/draws'] button[type=submit]")
    rows = page.locator("#draws tbody tr")
    assert rows.count() == 2 and "生效" in rows.nth(0).inner_text() and "已被取代" in rows.nth(1).inner_text()
    assert "抽签时有队伍未到场" in rows.nth(0).inner_text() and "应急一队" in rows.nth(0).inner_text()
    page.screenshot(path=str(shots / f"organiser-redraw-{device}.png"), full_page=True)

    # the cards: printed twice, the same PINs; one card reissued after a confirmation
    page.goto(server + "/admin/competitions/safety-2026")
    assert "e1" in page.locator("#judges").inner_text() and page.locator("#judges tbody tr").count() == 7
    page.click("text=打印评委登录卡")
    first = page.locator(".pin").all_inner_texts()
    assert len(first) == 7 and page.locator(".access svg").count() == 7
    assert page.locator("#unreachable").is_visible()  # the browser used 127.0.0.1: the organiser is told
    page.screenshot(path=str(shots / f"organiser-judge-cards-{device}.png"), full_page=True)
    page.go_back()
    page.click("text=打印评委登录卡")
    assert page.locator(".pin").all_inner_texts() == first  # printing revoked nothing
    page.goto(server + "/admin/competitions/safety-2026")
    page.locator("#judges tr:has-text('e1') a").click()
    page.click("form[action$='/reissue'] button[type=submit]")  # not confirmed: refused, nothing changed
    assert "请勾选确认" in page.locator("[role=alert]").inner_text()
    page.fill("#reason", "登录卡遗失")
    page.check("#confirm")
    if device == "tablet":
        page.screenshot(path=str(shots / "organiser-reissue-confirm.png"), full_page=True)
    page.click("form[action$='/reissue'] button[type=submit]")
    assert page.locator(".access").count() == 1 and page.locator(".pin").inner_text() != first[0]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_an_error_in_the_browser_is_a_page_in_the_readers_language(server, browser, shots: Path, device):
    page = browser.new_page(viewport=VIEWPORTS[device])
    answer = page.goto(server + "/judge/signin/1.99.forgedforgedforgedforged")
    assert answer.status == 401 and "application/json" not in answer.headers["content-type"]
    assert "链接无效或已被撤销" in page.locator("[role=alert]").inner_text()
    assert page.locator("h1").inner_text().startswith("未登录或链接无效")
    page.screenshot(path=str(shots / f"error-page-zh-{device}.png"), full_page=True)
    page.goto(server + "/admin/no-such-page?lang=en")
    assert page.locator("h1").inner_text().startswith("Not found")
