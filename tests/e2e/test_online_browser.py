"""The online drills in a real browser: a contestant on a phone (390x844) in Chinese and in English
opens their link, finds the levels locked in turn, sits the preliminary, loses the network half
way, keeps answering, comes back and finds every answer stored; the organiser's page at 1024x768
shows participation, the leaderboard and the item analysis, selects finalists and publishes, and
the public board and a unit's page read on a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.helpers import ROOT

KEY = "safety-culture-2023"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
BANK = ROOT / "examples" / "online_practice" / "bank.csv"
WORDS = {
    "zh": {
        "locked": "未解锁",
        "offline": "离线",
        "all_saved": "全部答案已保存到服务器",
        "score": "得分",
        "finalist": "入围决赛",
        "rate": "完成率",
    },
    "en": {
        "locked": "Locked",
        "offline": "Offline",
        "all_saved": "Every answer is stored on the server",
        "score": "Score",
        "finalist": "Finalist",
        "rate": "Rate",
    },
}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def organiser(server: str) -> httpx.Client:
    client = httpx.Client(base_url=server)
    ok(client.post("/api/session", json={"username": "organiser", "password": "demo-password"}))
    return client


def set_up(server: str) -> tuple[httpx.Client, dict[str, Any]]:
    """The power-safety competition with the example bank, three levels and a preliminary."""
    org = organiser(server)
    ok(org.post("/api/admin/competitions/from-template", json={"template": "power_safety"}), 201)
    ok(org.post(f"/api/admin/competitions/{KEY}/online/bank", files={"bank": ("bank.csv", BANK.read_bytes())}), 201)
    for level in (1, 2, 3):
        paper = {
            "key": f"level{level}",
            "kind": "practice",
            "level": level,
            "title_zh": f"安全基础 {level}",
            "title_en": f"Safety basics {level}",
            "pass_mark": "3",
            "rules": [{"topic": "safety", "difficulty": "*", "count": 4}],
        }
        ok(org.post(f"/api/admin/competitions/{KEY}/online/papers", json=paper), 201)
    prelim = {
        "key": "prelim",
        "kind": "preliminary",
        "title_zh": "初赛",
        "title_en": "Preliminary",
        "time_limit_minutes": 30,
        "rules": [{"topic": "*", "difficulty": "easy", "count": 4}, {"topic": "*", "difficulty": "hard", "count": 4}],
    }
    ok(org.post(f"/api/admin/competitions/{KEY}/online/papers", json=prelim), 201)
    return org, ok(org.get(f"/api/admin/competitions/{KEY}/online/links"))


def answer_question(page: Any, box: Any) -> None:
    kind = box.get_attribute("data-type")
    if kind == "numeric":
        box.locator("input").fill("12")
        box.locator("input").blur()
    else:
        box.locator("label.opt").first.click()


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_online_contestant_on_a_phone_loses_the_network_and_loses_no_answer(server, browser, shots: Path, lang):
    said = WORDS[lang]
    org, links = set_up(server)
    person = links["contestants"][0]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{server}/online?lang={lang}")  # the typed code opens the same page as the link
    page.fill("#competition", KEY)
    page.fill("#code", person["code"].lower())
    assert fits(page)
    page.screenshot(path=str(shots / f"online-code-phone-{lang}.png"), full_page=False)
    page.click("form[action='/online'] button[type=submit]")
    assert page.url.split("?")[0] == person["link"]
    page.goto(f"{person['link']}?lang={lang}")
    assert page.locator("[data-paper=level1]").get_attribute("data-open") == "yes"
    assert page.locator("[data-paper=level2]").get_attribute("data-open") == "no"
    assert said["locked"] in page.locator("[data-paper=level2]").inner_text()
    assert fits(page)
    page.screenshot(path=str(shots / f"online-home-phone-{lang}.png"), full_page=True)

    page.locator("[data-paper=prelim] button[type=submit]").click()
    page.wait_for_selector("#paper")
    boxes = page.locator("fieldset.q")
    assert boxes.count() == 8
    for i in range(3):
        answer_question(page, boxes.nth(i))
    page.wait_for_function(f"document.getElementById('status').textContent.includes({said['all_saved']!r})")
    context.set_offline(True)
    for i in range(3, 8):
        answer_question(page, boxes.nth(i))
    page.wait_for_function("document.getElementById('status').classList.contains('offline')")
    assert said["offline"] in page.locator("#status").inner_text()
    waiting = page.evaluate(
        "JSON.parse(localStorage.getItem('online-outbox:' + document.getElementById('paper').dataset.attempt)).length"
    )
    assert waiting == 5
    assert fits(page)
    page.screenshot(path=str(shots / f"online-paper-offline-phone-{lang}.png"), full_page=False)
    attempt = page.locator("#paper").get_attribute("data-attempt")
    stored = ok(org.get(f"/api/admin/online/attempts/{attempt}"))
    assert len(stored["answers"]) == 3  # nothing left the phone while offline

    context.set_offline(False)
    page.wait_for_function(f"document.getElementById('status').textContent.includes({said['all_saved']!r})")
    stored = ok(org.get(f"/api/admin/online/attempts/{attempt}"))
    assert len(stored["answers"]) == 8  # every answer, those given offline too
    shown = {box.get_attribute("data-question") for box in boxes.all()}
    assert set(stored["answers"]) == shown

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#hand-in")
    page.wait_for_selector("#score")
    assert said["score"] in page.locator(".result").inner_text()
    assert fits(page)
    page.screenshot(path=str(shots / f"online-result-phone-{lang}.png"), full_page=False)
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_online_organiser_page_finalists_and_the_public_board(server, browser, shots: Path, lang):
    said = WORDS[lang]
    org, links = set_up(server)
    for n, person in enumerate(links["contestants"][:6]):
        token = urlsplit(person["link"]).path.rsplit("/", 1)[1]
        attempt = ok(httpx.post(f"{server}/api/online/{token}/papers/prelim/start", json={"client_id": f"s{n}"}), 201)[
            "attempt"
        ]
        view = ok(httpx.get(f"{server}/api/online/{token}/attempts/{attempt}"))
        for q in view["questions"][: n + 2]:
            value = {"single": "A", "multiple": "AB", "true_false": "TRUE", "numeric": "3"}[q["type"]]
            ok(
                httpx.put(
                    f"{server}/api/online/{token}/attempts/{attempt}/answers/{q['key']}",
                    json={"answer": value, "client_id": f"{n}-{q['key']}"},
                )
            )
        ok(httpx.post(f"{server}/api/online/{token}/attempts/{attempt}/submit"))
    ok(
        org.post(
            "/api/admin/competitions/from-template",
            json={"template": "drill_yard", "key": "final-2026", "name_zh": "决赛", "name_en": "Final"},
        ),
        201,
    )

    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    page.goto(f"{server}/admin/login?lang={lang}")
    page.fill("#username", "organiser")
    page.fill("#password", "demo-password")
    page.click("button[type=submit]")
    page.goto(f"{server}/admin/competitions/{KEY}/online?lang={lang}")
    board = page.locator("[data-preliminary=prelim]")
    assert board.locator("tbody tr").count() >= 6
    page.select_option("#rule-prelim", "top_overall")
    page.fill("#value-prelim", "3")
    page.fill("#target-prelim", "final-2026")
    page.fill("#reason-prelim", "前三名" if lang == "zh" else "top three")
    page.click("[data-preliminary=prelim] form[action$='/finalists'] button")
    assert page.url.endswith("/online") and "final-2026" in page.locator("[data-preliminary=prelim]").inner_text()
    page.click("[data-preliminary=prelim] form[action$='/publish'] button")
    assert fits(page)
    assert "online_" not in page.locator("main").inner_text()  # no raw key left untranslated
    page.screenshot(path=str(shots / f"online-organiser-{lang}.png"), full_page=True)
    context.close()

    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(f"{server}/online/results/{KEY}/prelim?lang={lang}")
    assert phone.locator("tr.finalist").count() >= 3 and said["finalist"] in phone.locator("main").inner_text()
    assert fits(phone)
    phone.screenshot(path=str(shots / f"online-board-phone-{lang}.png"), full_page=True)
    phone.goto(f"{links['units'][0]['link']}?lang={lang}")
    assert said["rate"] in phone.locator("main").inner_text()
    assert fits(phone)
    phone.screenshot(path=str(shots / f"online-unit-phone-{lang}.png"), full_page=True)
