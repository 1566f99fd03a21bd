"""The organiser in a real browser: sign in, create a competition from files, import a roster
with a preview, seat a panel, draw lots, print the judges' QR codes, switch language."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import ROOT, RUBRICS

POWER = ROOT / "examples" / "power_safety" / "competition.toml"


def test_organiser_sets_up_a_competition(server, browser, shots: Path, tmp_path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/admin")
    assert page.url.endswith("/admin/login")
    page.fill("#username", "organiser")
    page.fill("#password", "wrong")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text().count("用户名或密码错误") == 1
    page.fill("#username", "organiser")
    page.fill("#password", "demo-password")
    page.screenshot(path=str(shots / "organiser-login.png"))
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "竞赛"

    # a competition from its file and rubric files
    page.set_input_files("#competition", str(POWER))
    page.set_input_files("#rubrics", [str(p) for p in sorted(RUBRICS.glob("*.toml"))])
    page.click("form[action='/admin/competitions'] button[type=submit]")
    assert page.url.endswith("/admin/competitions/safety-culture-2023")
    assert "安全文化专项劳动竞赛" in page.locator("h1").inner_text()
    assert page.locator("table#events tbody tr").count() == 5

    # a roster with a bad row is refused with the row named, then a good one is imported
    bad = tmp_path / "roster-bad.csv"
    bad.write_text(
        "unit,unit_name,team,team_name,contestant,name,role\nd09,应急中心,s15,应急一队,p101,张伟,队长\n"
        "d77,,s16,,p102,李娜,队员\n",
        encoding="utf-8",
    )
    page.set_input_files("#roster", str(bad))
    page.click("form[action$='/roster'] button[type=submit]")
    assert "未知的单位“d77”" in page.locator("[role=alert]").inner_text()
    assert page.locator("text=全部导入").count() == 0
    page.screenshot(path=str(shots / "organiser-roster-errors.png"), full_page=True)
    page.goto(server + "/admin/competitions/safety-culture-2023")
    good = tmp_path / "roster.csv"
    good.write_text(
        "unit,unit_name,team,team_name,contestant,name,role\nd09,应急中心,s15,应急一队,p101,张伟,队长\n"
        "d09,,s15,,p102,李娜,队员\n",
        encoding="utf-8",
    )
    page.set_input_files("#roster", str(good))
    page.click("form[action$='/roster'] button[type=submit]")
    page.click("text=全部导入")
    assert "已导入: 2" in page.locator("[role=status]").inner_text()
    assert page.locator(".card .num").nth(1).inner_text() == "15"

    # correct a team's name on the roster page
    page.click("text=编辑参赛队与选手")
    page.fill("input[aria-label='s01 中文名称']", "安全监察部第一队")
    page.click("form[action='/admin/teams/1'] button[type=submit]")
    assert page.locator("input[aria-label='s01 中文名称']").input_value() == "安全监察部第一队"
    page.goto(server + "/admin/competitions/safety-culture-2023")

    # seat a panel and draw the order of appearance for the hydrant drill
    page.click("tr:has-text('hydrant') a.button")
    page.check("input[name=judges][value=e1]")
    page.check("input[name=judges][value=e2]")
    page.check("input[name=chief][value=e2]")
    page.click("form[action$='/panel'] button[type=submit]")
    assert page.is_checked("input[name=judges][value=e1]") and page.is_checked("input[name=chief][value=e2]")
    page.fill("#drawn_by", "王五")
    page.fill("#seed", "20231031")
    page.click("form[action$='/draws'] button[type=submit]")
    draws = page.locator("table").nth(1)
    assert "20231031" in draws.inner_text() and "王五" in draws.inner_text()
    page.click("text=→ 已锁定")
    assert "成绩发布: 已锁定" in page.locator(".card").first.inner_text()
    page.screenshot(path=str(shots / "organiser-round-draw.png"), full_page=True)

    # print the judges' cards (printing revokes nothing)
    page.goto(server + "/admin/competitions/safety-culture-2023")
    page.click("text=打印评委登录卡")
    assert page.locator(".access svg").count() == 7
    assert page.locator(".pin").first.inner_text().startswith("PIN ")
    page.screenshot(path=str(shots / "organiser-judge-qr-codes.png"), full_page=True)

    # the same pages in English, on a tablet
    tablet = browser.new_page(viewport={"width": 1024, "height": 768})
    tablet.context.add_cookies(page.context.cookies())
    tablet.goto(server + "/admin/competitions/safety-culture-2023?lang=en")
    assert tablet.locator("h2").first.inner_text() == "Events"
    tablet.screenshot(path=str(shots / "organiser-competition-en-tablet.png"), full_page=True)
    tablet.goto(server + "/admin")
    assert tablet.locator("h1").inner_text() == "Competitions"  # the language is remembered
