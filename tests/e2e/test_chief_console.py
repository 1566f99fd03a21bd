"""The chief judge's console in a real browser, with judges on their own tablets.

- Two judges disagree beyond the tolerance; the chief sees the flag on the live console (no
  reload), returns one sheet with a reason, the judge corrects and resubmits, the console
  clears the flag by itself; the chief types in the paper sheets in bulk and locks the round.
- A judge cannot reach the console, another judge's sheet, or an entry outside the round.
- A sheet is tied to one tablet: a second tablet is told, and the chief's release moves it.
The drill is timed by the judges' own stopwatches (every kind a judge marks is on the form).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from organiser.service import renew_access, set_panel
from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.models import AuditRecord, Judge, Round, SheetVersion
from tests.helpers import ROOT, committed
from web.security import load_secret

DRILL = ROOT / "examples" / "drill_yard" / "competition.toml"
SUBMITTED = ("已提交", "submitted")


def prepare(tmp_path: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))
    committed(sessions, store_competition, load_competition(DRILL), actor="t")
    with sessions() as db:
        round_id = db.execute(select(Round.id)).scalar_one()
        judges = dict(db.execute(select(Judge.key, Judge.id)).all())
    committed(sessions, set_panel, round_id, ["j1", "j2", "j3"], "j3", actor="t")
    access = committed(
        sessions, renew_access, load_secret(tmp_path, None), [judges[k] for k in ("j1", "j2", "j3")], actor="t"
    )
    return round_id, {a["judge"]: a for a in access}


def database(tmp_path: Path) -> Any:
    return session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))


def tablet(browser: Any, server: str, link: str, width: int = 1024, height: int = 768, clock: bool = False) -> Any:
    """A tablet signed in by a judge's link. With `clock`, the page's clock can be moved on
    (`page.clock.fast_forward`), so a test need not wait out the tablet's ten-second rechecks;
    time still flows as usual otherwise."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    if clock:
        page.clock.install()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(server + link)
    assert page.url.endswith("/judge"), page.url
    return page


def mark(page: Any, marks: dict[str, str]) -> None:
    for key, value in marks.items():
        if page.locator(f"#m-{key}").evaluate("el => el.tagName") == "SELECT":
            page.select_option(f"#m-{key}", value)
        else:
            page.fill(f"#m-{key}", value)
            page.locator(f"#m-{key}").dispatch_event("change")
            page.locator(f"#m-{key}").blur()  # as a judge leaves the field (and no scroll jump after a screenshot)


def submit(page: Any) -> None:
    page.click("#review")
    page.wait_for_selector("#summary.open", timeout=5000)
    page.click("#confirm")
    page.wait_for_function("document.getElementById('pending').textContent === '0'", timeout=20000)
    assert page.locator("#state").inner_text() in SUBMITTED


def cell(page: Any, entry: str, judge: str) -> Any:
    return page.locator(f"#live .cell[data-entry='{entry}'][data-judge='{judge}']")


MARKS = {"inspect_hose": "1", "couple_firm": "1", "technique": "8", "lane_offset": "8", "kink": "1"}


def test_chief_sees_the_flag_returns_a_sheet_and_locks_the_round(server, browser, shots: Path, tmp_path: Path):
    round_id, access = prepare(tmp_path)

    # judge j1 (signed in by the QR link) times the run on the tablet's stopwatch
    j1 = tablet(browser, server, access["j1"]["link"])
    j1.goto(server + f"/judge/rounds/{round_id}/t01")
    mark(j1, MARKS)
    j1.click("[data-watch=time] .sw-start")
    j1.wait_for_timeout(700)
    j1.click("[data-watch=time] .sw-lap")
    j1.wait_for_timeout(500)
    j1.click("[data-watch=time] .sw-start")  # stop: the time goes into the field
    timed = j1.locator("#m-time").input_value()
    assert 1.1 <= float(timed) < 5, timed
    assert j1.locator("[data-watch=time] .lap").count() == 1
    j1.reload()  # the stopwatch and the marks are kept on the device
    assert j1.locator("[data-watch=time] .clock").inner_text() == timed
    assert j1.locator("#m-time").input_value() == timed
    mark(j1, {"time": "28.5"})  # and the field stays editable
    # 5 + 10 + 8 - 2 = 21; the time and the offset map to points by bands on the server
    assert j1.locator("#subtotal").inner_text() == "21"
    assert j1.locator("#subtotal-note").is_visible()
    j1.evaluate("scrollTo(0, 0)")  # a full page shows the status bar at the top
    j1.screenshot(path=str(shots / "judge-stopwatch-tablet.png"), full_page=True)
    submit(j1)

    # judge j2 (signed in by PIN) marks technique far from j1: 3 against 8, tolerance 2
    j2 = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    j2.clock.install()  # (see tablet(): the test moves j2's clock on to its next recheck)
    j2.on("dialog", lambda dialog: dialog.accept())
    j2.goto(server + "/judge/pin")
    j2.fill("#competition", "drill-yard-2026")
    j2.fill("#judge", "j2")
    j2.fill("#pin", access["j2"]["pin"])
    j2.click("button[type=submit]")
    j2.wait_for_url(server + "/judge")  # signed in
    j2.goto(server + f"/judge/rounds/{round_id}/t01")
    mark(j2, MARKS | {"technique": "3", "time": "29.1"})
    submit(j2)

    # the chief judge opens the console from the assignments
    chief = tablet(browser, server, access["j3"]["link"])
    chief.click("a:has-text('裁判长控制台')")
    chief.wait_for_selector("#bar.live")
    assert cell(chief, "t01", "j1").inner_text().startswith(SUBMITTED[0])
    assert chief.locator("#live tr[data-entry=t01]").get_attribute("class") == "flagged"
    flag = chief.locator("#flags tbody tr").first.inner_text()
    assert "动作规范" in flag and "5" in flag and "8" in flag and "3" in flag
    reviews = chief.locator("#reviews tbody").inner_text()
    assert "j1" in reviews and "j2" in reviews
    chief.screenshot(path=str(shots / "chief-console-tablet.png"), full_page=True)

    # a sheet started on a tablet shows up live, without reloading the console
    j1.goto(server + f"/judge/rounds/{round_id}/t02")
    mark(j1, {"technique": "7"})
    j1.click("#save")
    chief.wait_for_function(
        "document.querySelector(\"#live .cell[data-entry='t02'][data-judge='j1']\").dataset.state === 'draft'",
        timeout=10000,
    )

    # return j2's sheet with a reason
    cell(chief, "t01", "j2").click()
    chief.wait_for_selector("#panel.open")
    assert chief.locator("#fix-technique").input_value() == "3"
    chief.click("#do-return")
    assert chief.locator("#panel-message").inner_text() == "请填写原因"  # a reason is required
    chief.fill("#panel-reason", "动作规范 3 分与其他评委差距过大，请复核")
    chief.locator("#panel").scroll_into_view_if_needed()
    chief.screenshot(path=str(shots / "chief-console-return.png"))
    chief.click("#do-return")
    chief.wait_for_function("document.getElementById('panel-message').textContent === '已完成'")
    chief.wait_for_function(
        "document.querySelector(\"#live .cell[data-entry='t01'][data-judge='j2']\").dataset.state === 'returned'"
    )

    # j2's tablet learns by itself that the sheet came back, and why; j2 corrects and resubmits
    j2.clock.fast_forward(10_000)  # the tablet rechecks its sheet every ten seconds
    j2.wait_for_selector("#returned.open", timeout=20000)
    assert "差距过大" in j2.locator("#returned-reason").inner_text()
    assert j2.locator("#state").inner_text() == "已退回"
    assert j2.locator("#m-technique").is_enabled()
    mark(j2, {"technique": "7.5"})
    submit(j2)

    # the console clears the flag by itself
    chief.wait_for_function(
        "document.querySelector(\"#live .cell[data-entry='t01'][data-judge='j2']\").dataset.state === 'submitted'",
        timeout=10000,
    )
    chief.wait_for_selector("#no-flags")
    assert "v3" in cell(chief, "t01", "j2").inner_text()

    # correct one of j1's marks from the console (a reason is required; audited)
    cell(chief, "t01", "j1").click()
    chief.wait_for_function("document.getElementById('panel-title').textContent.endsWith('t01 · 王军 j1')")
    assert chief.locator("#fix-kink").input_value() == "1"
    chief.fill("#fix-kink", "0")
    chief.fill("#panel-reason", "录像复核：水带未扭结")
    chief.click("#do-correct")
    chief.wait_for_function("document.getElementById('panel-message').textContent !== ''")
    assert chief.locator("#panel-message").inner_text() == "已完成"
    assert "版本 2" in chief.locator("#panel-meta").inner_text()
    chief.click("#do-close")

    # locking is refused while sheets are missing, and says which
    chief.click("#lock")
    chief.click("#lock-yes")
    chief.wait_for_function("document.getElementById('lock-message').textContent.includes('未提交')")

    # j3 marked t01 on paper: the chief types that one sheet in from the console
    cell(chief, "t01", "j3").click()
    chief.wait_for_function("document.getElementById('panel-title').textContent.endsWith('t01 · 刘洋 j3')")
    for key, value in (MARKS | {"time": "30.2", "technique": "7.5"}).items():
        chief.fill(f"#fix-{key}", value)
    chief.click("#do-transcribe")
    chief.wait_for_function("document.getElementById('panel-message').textContent !== ''")
    assert chief.locator("#panel-message").inner_text() == "已完成"
    chief.click("#do-close")

    # the paper sheets of the rest are typed in, in bulk (one with a mistake first: nothing stored)
    rows = ["entry,attempt,judge,criterion,value"]
    for entry in ("t01", "t02", "t03", "t04"):
        for judge in ("j1", "j2", "j3"):
            if entry == "t01":
                continue
            marks = MARKS | {"time": "33", "technique": "7.5"}
            rows += [f"{entry},,{judge},{key},{value}" for key, value in marks.items()]
    bad = "\n".join(rows).replace("t03,,j2,technique,7.5", "t03,,j2,technique,11") + "\n"
    chief.set_input_files("#marks-file", files=[{"name": "paper.csv", "mimeType": "text/csv", "buffer": bad.encode()}])
    chief.click("#upload")
    chief.wait_for_selector("#transcribe-message.problems")
    assert "行" in chief.locator("#transcribe-message").inner_text()
    good = "\n".join(rows) + "\n"
    chief.set_input_files("#marks-file", files=[{"name": "paper.csv", "mimeType": "text/csv", "buffer": good.encode()}])
    chief.click("#upload")
    chief.wait_for_selector("#transcribe-message.notice")
    assert chief.locator("#transcribe-message").inner_text() == "paper.csv · 已录入评分表: 9"

    chief.click("#lock")
    chief.click("#lock-yes")
    chief.wait_for_function("document.getElementById('lock-message').textContent === '已锁定评分表: 12'", timeout=10000)
    chief.wait_for_function("document.getElementById('publication').textContent === '已锁定'", timeout=10000)
    assert chief.locator("#lock").is_disabled() and chief.locator("#upload").is_disabled()
    chief.evaluate("scrollTo(0, 0)")
    chief.screenshot(path=str(shots / "chief-console-locked.png"), full_page=True)

    with database(tmp_path)() as db:
        states = [v.state for v in db.execute(select(SheetVersion)).scalars()]
        actions = [r.action for r in db.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars()]
    assert states.count("locked") == 12
    assert actions.count("sheet.return") == 1 and actions.count("sheet.transcribe") == 10  # 1 + 9
    assert actions.count("sheet.correct") == 1

    # the console at phone size, in English
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    phone.add_cookies(chief.context.cookies())
    small = phone.new_page()
    small.goto(server + f"/judge/console/{round_id}?lang=en")
    small.wait_for_selector("#bar.live")
    assert "Chief judge's console" in small.locator("h1").inner_text()
    # (the phone's screenshots, of a panel of seven, are test_chief_console_results.py's)

    # tablets and phones, portrait and landscape: nothing wider than the screen but the matrix
    for width, height in ((1024, 768), (768, 1024), (390, 844), (844, 390)):
        small.set_viewport_size({"width": width, "height": height})
        for path in (f"/judge/console/{round_id}", f"/judge/rounds/{round_id}/t01"):
            small.goto(server + path)
            overflow = small.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, (path, width, height, overflow)


def test_a_judge_cannot_reach_the_console_or_another_judges_sheet(server, browser, tmp_path: Path):
    round_id, access = prepare(tmp_path)
    j2 = tablet(browser, server, access["j2"]["link"])
    j2.goto(server + f"/judge/rounds/{round_id}/t01")
    mark(j2, {"technique": "3"})
    j2.click("#save")
    j2.wait_for_function("document.getElementById('pending').textContent === '0'")

    j1 = tablet(browser, server, access["j1"]["link"])
    assert "裁判长控制台" not in j1.content()  # no link, and no way in by the address either
    console = j1.goto(server + f"/judge/console/{round_id}")
    assert console is not None and console.status == 403
    assert "您不是该轮次的裁判长" in j1.content()
    outside = j1.goto(server + f"/judge/rounds/{round_id}/t99")
    assert outside is not None and outside.status == 404
    assert "no entry 't99' in this round" in j1.content()
    # another judge's sheet: the chief's route refuses, and the judge's own route shows only their own
    assert j1.request.get(server + f"/api/chief/sheets/{round_id}/t01/j2").status == 403
    assert j1.request.post(server + f"/api/chief/sheets/{round_id}/t01/j2/release", data={"reason": "x"}).status == 403
    own = j1.request.get(server + f"/api/judge/sheets/{round_id}/t01").json()
    assert own["version"] == 0 and own["marks"] == {}
    j1.goto(server + f"/judge/rounds/{round_id}/t01")
    assert j1.locator("#m-technique").input_value() == ""  # j2's 3 is nowhere on j1's page


def test_a_sheet_moves_to_another_tablet_only_when_the_chief_releases_it(server, browser, tmp_path: Path):
    round_id, access = prepare(tmp_path)
    first = tablet(browser, server, access["j1"]["link"])
    first.goto(server + f"/judge/rounds/{round_id}/t02")
    mark(first, {"technique": "6"})
    first.click("#save")
    first.wait_for_function("document.getElementById('pending').textContent === '0'")

    # the same judge picks up a second tablet: told to ask the chief, and the form is closed
    second = tablet(browser, server, access["j1"]["link"], clock=True)
    second.goto(server + f"/judge/rounds/{round_id}/t02")
    second.wait_for_selector("#elsewhere.open")
    assert "裁判长" in second.locator("#elsewhere").inner_text()
    assert second.locator("#m-technique").is_disabled()

    chief = tablet(browser, server, access["j3"]["link"])
    chief.goto(server + f"/judge/console/{round_id}")
    assert cell(chief, "t02", "j1").locator(".bound").count() == 1
    cell(chief, "t02", "j1").click()
    chief.wait_for_selector("#panel.open")
    assert "tablet-" in chief.locator("#panel-meta").inner_text()
    chief.fill("#panel-reason", "first tablet's battery is flat")
    chief.click("#do-release")
    chief.wait_for_function("document.getElementById('panel-message').textContent === '已完成'")

    # the second tablet asks again by itself and opens; the first one is now the other device
    second.clock.fast_forward(10_000)  # a tablet told the sheet is elsewhere asks again every ten seconds
    second.wait_for_function("!document.getElementById('elsewhere').classList.contains('open')", timeout=15000)
    assert second.locator("#m-technique").is_enabled()
    mark(second, {"technique": "6.5"})
    second.click("#save")
    second.wait_for_function("document.getElementById('pending').textContent === '0'")
    mark(first, {"technique": "9"})
    first.click("#save")
    first.wait_for_selector("#elsewhere.open")
    assert first.locator("#pending").inner_text() == "1"  # kept on the device, not lost, not sent
    with database(tmp_path)() as db:
        marks = [v.marks.get("technique") for v in db.execute(select(SheetVersion)).scalars()]
    assert marks == ["6", "6.5"]
