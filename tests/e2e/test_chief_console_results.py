"""The chief judge's console for a panel of seven, in a real browser (issue 12, items 9 to 11).

The power-safety presentation: seven experts each give four marks (0.5 steps); the rubric
drops each entry's highest and lowest judge's total and averages the rest, to two places.
Sheets are submitted through the judges' API, each judge signed in by their own link.

- Each entry's panel result as the rubric computes it: the judges' totals kept and dropped, the
  total, the provisional place (a tie shares it); an entry still missing a sheet is pending.
- A flag writes the totals alike (66.00 beside 90.00, never 66 beside 90.0) and names the
  criterion by its title; judges are shown by name with the key beside.
- On a 390x844 phone the matrix scrolls sideways with the entry column held, so the seventh
  judge can be reached; the page itself is never wider than the screen.
- Locking asks first (cancel locks nothing); once locked, the lock and the upload are disabled.
- A refusal is said in the page's language only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from organiser.service import renew_access, set_panel
from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.models import AuditRecord, Event, Judge, Round
from tests.helpers import ROOT, committed
from web.security import load_secret

POWER = ROOT / "examples" / "power_safety" / "competition.toml"
PANEL = ["e1", "e2", "e3", "e4", "e5", "e6", "e7"]
NAMES = {"e1": "何娜", "e2": "韩涛", "e7": "史文杰"}
CRITERIA = ("effect", "innovation", "adoption", "answers")


def prepare(tmp_path: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))
    committed(sessions, store_competition, load_competition(POWER), actor="t")
    with sessions() as db:
        round_id = db.execute(
            select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == "presentation")
        ).scalar_one()
        judges = dict(db.execute(select(Judge.key, Judge.id)).all())
    committed(sessions, set_panel, round_id, PANEL, "e1", actor="t")
    access = committed(sessions, renew_access, load_secret(tmp_path, None), [judges[k] for k in PANEL], actor="t")
    return round_id, {a["judge"]: a for a in access}


def marks(total: str) -> dict[str, str]:
    """Four marks adding up to `total` (a multiple of 0.5 up to 100)."""
    left = float(total)
    out = {}
    for key, top in zip(CRITERIA, (30, 30, 20, 20), strict=True):
        take = min(top, left)
        out[key] = f"{take:g}" if take != int(take) else str(int(take))
        left -= take
    return out


# the judges' totals per entry (one 0.5 mark makes a total like 90.0 beside 86)
TOTALS = {
    "s01": {"e1": "66", "e2": "90.5", "e3": "80", "e4": "82", "e5": "84", "e6": "81", "e7": "79"},
    "s02": {j: "75" for j in PANEL},
    "s03": {j: "75" for j in PANEL},
    "s04": {"e1": "70", "e2": "71", "e3": "72", "e4": "73"},  # three sheets still to come
}


def submit_sheets(
    browser: Any, server: str, round_id: int, access: dict[str, dict[str, Any]], totals: dict[str, dict[str, str]]
) -> None:
    for judge in PANEL:
        context = browser.new_context()
        assert context.request.get(server + access[judge]["link"]).ok  # signs the judge in
        for entry, given in totals.items():
            if judge not in given:
                continue
            body = {
                "action": "submit",
                "base_version": 0,
                "client_id": f"sheet-{entry}-{judge}",
                "marks": marks(given[judge]),
            }
            answer = context.request.put(
                server + f"/api/judge/sheets/{round_id}/{entry}",
                data=json.dumps(body),
                headers={"content-type": "application/json"},
            )
            assert answer.ok, answer.text()
        context.close()


def console(browser: Any, server: str, round_id: int, link: str, width: int, height: int, lang: str) -> Any:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(server + link)
    page.goto(server + f"/judge/console/{round_id}?lang={lang}")
    page.wait_for_selector("#bar.live")
    # the catch-up refresh the socket's opening starts has swapped the page in (a box measured
    # while it swaps can be gone)
    page.wait_for_function("Number(document.body.dataset.refreshes || 0) >= 1")
    return page


def test_the_console_shows_each_entrys_panel_result_names_and_alike_marks(server, browser, shots: Path, tmp_path):
    round_id, access = prepare(tmp_path)
    submit_sheets(browser, server, round_id, access, TOTALS)
    chief = console(browser, server, round_id, access["e1"]["link"], 1024, 768, "zh")

    # judges by name, the key beside
    header = chief.locator("#matrix thead th[data-judge=e2]")
    assert header.locator(".jname").inner_text() == "韩涛" and header.locator(".key").inner_text() == "e2"

    # s01: the totals 90.50 (highest) and 66.00 (lowest) dropped, the mean of the other five
    row = chief.locator("#results details[data-entry=s01]")
    assert row.get_attribute("data-state") == "scored"
    assert row.locator(".place").inner_text() == "1" and row.locator(".total").inner_text() == "81.20"
    row.locator("summary").click()
    working = row.locator(".working tbody tr").first
    assert working.locator("td").first.inner_text() == "评委总分"
    dropped = {m.get_attribute("data-judge"): m.inner_text() for m in working.locator(".mark.dropped").all()}
    assert set(dropped) == {"e1", "e2"}
    assert "90.50" in dropped["e2"] and "最高分" in dropped["e2"]
    assert "66.00" in dropped["e1"] and "最低分" in dropped["e1"]
    assert working.locator(".mark.kept").count() == 5 and working.locator("td").last.inner_text() == "81.20"

    # s02 and s03 tie and share the place; s04 waits for three sheets and shows no score
    assert [chief.locator(f"#results details[data-entry={e}] .place").inner_text() for e in ("s02", "s03")] == [
        "=2",
        "=2",
    ]
    s04 = chief.locator("#results details[data-entry=s04]")
    assert s04.get_attribute("data-state") == "pending"
    assert s04.locator(".total").inner_text() == "待定" and "4/7" in s04.locator(".why").inner_text()
    assert s04.locator(".place").inner_text() == "—"

    # the flag: the criterion by its title, the totals written alike, judges by name
    flag = chief.locator("#flags tbody tr").first
    cells = [c.inner_text() for c in flag.locator("td").all()]
    assert cells[:2] == ["s01", "评委总分"]
    assert flag.locator("td[data-judge=e1]").inner_text() == "66.00"
    assert flag.locator("td[data-judge=e2]").inner_text() == "90.50"
    assert "total" not in " ".join(cells)
    assert chief.locator("#flags thead th[data-judge=e7] .jname").inner_text() == "史文杰"
    assert "史文杰" in chief.locator("#reviews").inner_text()
    chief.locator("#results details[data-entry=s04] summary").click()
    chief.evaluate("scrollTo(0, 0)")
    chief.screenshot(path=str(shots / "chief-console-results-tablet.png"), full_page=True)

    # English: titles and reasons in English, nothing of the Chinese words in the working
    english = console(browser, server, round_id, access["e1"]["link"], 1024, 768, "en")
    english.locator("#results details[data-entry=s01] summary").click()
    line = english.locator("#results details[data-entry=s01] .working tbody tr").first.inner_text()
    assert "judges' totals" in line and "highest, dropped" in line and "最高" not in line
    assert english.locator("#flags tbody tr td").nth(1).inner_text() == "judges' totals"


def test_on_a_phone_every_judge_of_the_matrix_can_be_reached(server, browser, shots: Path, tmp_path):
    round_id, access = prepare(tmp_path)
    submit_sheets(browser, server, round_id, access, TOTALS)
    judge7 = browser.new_context().request
    assert judge7.get(server + access["e7"]["link"]).ok
    for lang in ("zh", "en"):
        phone = console(browser, server, round_id, access["e1"]["link"], 390, 844, lang)
        assert phone.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0  # the page: no wider
        matrix = phone.locator(".matrix")
        phone.wait_for_function("document.fonts.status === 'loaded'")  # the columns at their final width
        entry = phone.locator("#matrix tbody tr[data-entry=s01] td").first
        before = entry.bounding_box()
        matrix.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        # a sheet changes meanwhile: the console refreshes by itself and stays scrolled
        save = {"action": "save", "base_version": 0, "client_id": f"draft-{lang}-e7", "marks": {"effect": "20"}}
        entry_key = "s05" if lang == "zh" else "s06"
        answer = judge7.put(
            server + f"/api/judge/sheets/{round_id}/{entry_key}",
            data=json.dumps(save),
            headers={"content-type": "application/json"},
        )
        assert answer.ok, answer.text()
        phone.wait_for_selector(f"#live .cell[data-entry={entry_key}][data-judge=e7][data-state=draft]")
        last = phone.locator("#matrix thead th[data-judge=e7]").bounding_box()
        box = phone.locator(".matrix").bounding_box()
        assert last is not None and box is not None and before is not None
        assert box["x"] <= last["x"] and last["x"] + last["width"] <= box["x"] + box["width"] + 1  # e7 in view
        after = entry.bounding_box()
        assert after is not None and abs(after["x"] - before["x"]) < 1  # the entry column stays
        # and the seventh judge's sheet opens from there
        phone.locator("#live .cell[data-entry=s01][data-judge=e7]").click()
        phone.wait_for_selector("#panel.open")
        title = phone.locator("#panel-title").inner_text()
        assert title.endswith("s01 · 史文杰 e7"), title
        phone.locator("#do-close").click()
        matrix.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        phone.locator("#results details[data-entry=s01] summary").click()
        phone.wait_for_selector("#results details[data-entry=s01][open] .working")  # asked for when opened
        assert phone.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0  # the working fits too
        phone.evaluate("scrollTo(0, 0)")
        phone.screenshot(path=str(shots / f"chief-console-phone-{lang}.png"), full_page=True)


def test_locking_asks_first_and_then_the_controls_say_the_round_is_locked(server, browser, shots: Path, tmp_path):
    round_id, access = prepare(tmp_path)
    submit_sheets(browser, server, round_id, access, TOTALS)
    chief = console(browser, server, round_id, access["e1"]["link"], 1024, 768, "zh")

    # an error says the page's language only (here: the lock refused while sheets are missing)
    chief.click("#lock")
    assert chief.locator("#lock-confirm").is_visible()
    assert "将锁定已提交的评分表" in chief.locator("#lock-question").inner_text()
    chief.click("#lock-yes")
    chief.wait_for_function("document.getElementById('lock-message').textContent !== ''")
    refused = chief.locator("#lock-message").inner_text()
    assert "未提交" in refused and not re.search(r"[A-Za-z]{3,}", refused), refused

    # a bad paper file: each line in Chinese only (the field named in Chinese, not "value")
    csv = "entry,attempt,judge,criterion,value\ns05,,e5,effect,31\n"
    chief.set_input_files("#marks-file", files=[{"name": "p.csv", "mimeType": "text/csv", "buffer": csv.encode()}])
    chief.click("#upload")
    chief.wait_for_selector("#transcribe-message.problems")
    lines = chief.locator("#transcribe-message").inner_text().splitlines()
    english_words = [line for line in lines if re.search(r"[A-Za-z]{3,}", line.replace("p.csv", ""))]
    assert lines and not english_words, lines
    english = console(browser, server, round_id, access["e1"]["link"], 1024, 768, "en")
    english.set_input_files("#marks-file", files=[{"name": "p.csv", "mimeType": "text/csv", "buffer": csv.encode()}])
    english.click("#upload")
    english.wait_for_selector("#transcribe-message.problems")
    said = english.locator("#transcribe-message").inner_text()
    assert not re.search(r"[\u4e00-\u9fff]", said), said

    # the remaining sheets come in; the chief is asked, cancels (nothing locked), then locks
    rest = {"s04": {j: "70" for j in ("e5", "e6", "e7")}} | {
        f"s{i:02d}": {j: "70" for j in PANEL} for i in range(5, 15)
    }
    submit_sheets(browser, server, round_id, access, rest)
    chief.reload()
    chief.wait_for_selector("#bar.live")
    chief.click("#lock")
    assert "98" in chief.locator("#lock-question").inner_text()  # 14 entries x 7 judges, all submitted
    chief.screenshot(path=str(shots / "chief-console-lock-confirm.png"))
    chief.click("#lock-no")
    assert not chief.locator("#lock-confirm").is_visible()
    with session(tmp_path) as db:
        assert db.execute(select(Round.publication).where(Round.id == round_id)).scalar_one() == "open"
    chief.click("#lock")
    chief.click("#lock-yes")
    chief.wait_for_function("document.getElementById('lock-message').textContent === '已锁定评分表: 98'")
    chief.wait_for_function("document.getElementById('publication').textContent === '已锁定'", timeout=10000)
    assert chief.locator("#lock").is_disabled() and chief.locator("#lock").inner_text() == "本轮次已锁定"
    assert chief.locator("#upload").is_disabled() and chief.locator("#marks-file").is_disabled()
    assert chief.locator("#transcribe-closed").is_visible()
    chief.locator("#live .cell[data-entry=s01][data-judge=e2]").click()
    chief.wait_for_selector("#panel.open")
    assert chief.locator("#do-correct").is_disabled() and chief.locator("#do-return").is_disabled()
    chief.click("#do-close")
    with session(tmp_path) as db:
        actions = [r.action for r in db.execute(select(AuditRecord)).scalars()]
    assert actions.count("sheet.lock") == 98

    # a fresh page of the locked round shows the same (rendered so by the server), on a phone too
    phone = console(browser, server, round_id, access["e1"]["link"], 390, 844, "en")
    assert phone.locator("#lock").is_disabled() and phone.locator("#upload").is_disabled()
    assert phone.locator("#lock").inner_text() == "The round is locked"
    phone.screenshot(path=str(shots / "chief-console-locked-phone-en.png"), full_page=True)


def session(tmp_path: Path) -> Any:
    return session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))()
