"""The chief's console of a diving round in Chromium (issue 12, "the console shows attempts"), at
1024x768 in Chinese and 390x844 in English: seven judges mark dive by dive, a referee keeps the
desk and the console and marks nothing. The matrix shows the sheets' states with the dives each
holds, or one dive's marks per judge; the dive picked stays picked across live refreshes; a flag
names its dive; each entry's result lists its dives with the desk's DD beside the working."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.tablets import SIZES
from tests.e2e.test_desk_and_attempts import prepare_diving
from tests.integration.diving import JUDGES, REFEREE

DD = {1: "2.0", 2: "2.8", 3: "3.1", 4: "3.4", 5: "3.5"}
# c1: on dive 2 the seventh judge is far from the others; c2: dive 1 only, from three judges so far
AWARDS = {k: ["7", "7.5", "8", "8", "8.5", "8.5", "9"] for k in DD} | {2: ["6", "6.5", "6.5", "7", "7", "7", "10"]}
WORDS = {
    "zh": {"sheets": "评分表状态", "dive2": "第 2 次", "held": "已评 5/5", "dd": "难度系数"},
    "en": {"sheets": "Sheet states", "dive2": "attempt 2", "held": "held 5/5", "dd": "Degree of difficulty"},
}


def signed_in(browser: Any, server: str, link: str) -> Any:
    context = browser.new_context()
    assert context.request.get(server + link).ok  # signs the judge in
    return context


def put(context: Any, url: str, body: dict[str, Any]) -> None:
    answer = context.request.put(url, data=json.dumps(body), headers={"content-type": "application/json"})
    assert answer.ok, answer.text()


def submit(context: Any, server: str, round_id: int, entry: str, marks: dict[str, str], base: int) -> None:
    body = {"action": "submit", "base_version": base, "client_id": f"s-{entry}-{base}-{id(context)}", "marks": marks}
    put(context, f"{server}/api/judge/sheets/{round_id}/{entry}", body)


@pytest.mark.parametrize(("size", "lang"), [("tablet", "zh"), ("phone", "en")])
def test_the_console_shows_a_diving_round_dive_by_dive(server, browser, shots, tmp_path, size, lang):
    round_id, access = prepare_diving(tmp_path)
    referee = signed_in(browser, server, access[REFEREE]["link"])
    desk = f"{server}/api/chief/rounds/{round_id}/desk"
    put(
        referee,
        f"{desk}/c1",
        {"base_version": 0, "client_id": "desk-c1-0001", "values": {f"{k}/dd": v for k, v in DD.items()}},
    )
    put(referee, f"{desk}/c2", {"base_version": 0, "client_id": "desk-c2-0001", "values": {"1/dd": "1.6"}})
    judges = {j: signed_in(browser, server, access[j]["link"]) for j in JUDGES}
    for dive in DD:
        for j, judge in enumerate(JUDGES):
            submit(
                judges[judge],
                server,
                round_id,
                "c1",
                {f"{k}/award": AWARDS[k][j] for k in range(1, dive + 1)},
                dive - 1,
            )
    for judge in JUDGES[:3]:
        submit(judges[judge], server, round_id, "c2", {"1/award": "5"}, 0)

    page = browser.new_context(viewport=SIZES[size]).new_page()
    page.goto(server + access[REFEREE]["link"])
    page.goto(f"{server}/judge/console/{round_id}?lang={lang}")
    page.wait_for_selector("#bar.live")
    page.wait_for_function("Number(document.body.dataset.refreshes || 0) >= 1")  # the catch-up refresh is in
    w = WORDS[lang]
    assert page.locator("#matrix thead th[data-judge]").count() == 7  # the referee marks nothing
    pick = page.locator("#attempt-pick")
    assert pick.locator("[aria-current]").inner_text() == w["sheets"]
    assert w["held"] in page.locator(".cell[data-entry=c1][data-judge=d7]").inner_text()

    pick.locator("[data-attempt='2']").click()  # one dive's marks, judge by judge
    page.wait_for_function("document.querySelector('#matrix').dataset.attempt === '2'")
    assert "attempt=2" in page.url
    assert page.locator(".cell[data-entry=c1][data-judge=d7]").inner_text() == "10.0"
    assert page.locator(".cell[data-entry=c1][data-judge=d1]").inner_text() == "6.0"
    assert page.locator("#matrix tr[data-entry=c1]").get_attribute("class") == "flagged"
    assert page.locator(".cell[data-entry=c2][data-judge=d4]").inner_text() == "—"
    flag = page.locator("#flags tbody tr").first
    assert [c.inner_text() for c in flag.locator("td").all()[:3]] == [
        "c1",
        w["dive2"],
        "裁判评分" if lang == "zh" else "Judge's award",
    ]

    # a judge submits while the chief looks at dive 2: the live refresh keeps dive 2
    submit(judges["d4"], server, round_id, "c2", {"1/award": "5.5"}, 0)
    page.wait_for_function("document.querySelector('[data-count=submitted]').textContent === '11'")
    assert page.locator("#matrix").get_attribute("data-attempt") == "2"
    assert pick.locator("[aria-current]").inner_text() == w["dive2"]
    assert page.locator(".cell[data-entry=c1][data-judge=d7]").inner_text() == "10.0"

    c1 = page.locator("#results details[data-entry=c1]")
    c1.locator("summary").click()
    second = c1.locator(".working[data-attempt='2']")
    assert second.locator("[data-param='2/dd']").inner_text() == f"{w['dd']} 2.8"
    assert second.locator("tr.formula code").inner_text() == "award * dd"
    assert second.locator("tr").last.locator("td").last.inner_text() == "57.40"
    c2 = page.locator("#results details[data-entry=c2]")
    assert c2.get_attribute("data-state") == "pending"
    c2.locator("summary").click()
    assert c2.locator("[data-param='1/dd']").inner_text().endswith("1.6")
    wide = page.evaluate(
        "[...document.querySelectorAll('#live *')].filter(e => !e.closest('.matrix, .scroll'))"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".slice(0, 8).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"], wide  # within the screen
    page.evaluate("scrollTo(0, 0)")
    if size == "tablet":
        page.locator("#attempt-pick").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "chief-console-attempts.png"), full_page=True)
    else:
        page.screenshot(path=str(shots / "chief-console-attempts-phone-en.png"), full_page=False)
