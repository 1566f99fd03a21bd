"""The quiz master's console in a real browser: sign in, put questions, record answers with one
tap each, undo the last one after confirming what it was, and read the scores; on a tablet
(1024x768) and a phone (390x844), in Chinese and English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.models import Competition, Event, QuizAnswer, Round
from scoring.store.users import create_user
from tests.helpers import ROOT, committed

POWER = ROOT / "examples" / "power_safety" / "competition.toml"


def prepare(tmp_path: Path) -> int:
    """The power-safety competition and its quiz master qm1 / quiz-password; the quiz round's id."""
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))
    committed(sessions, store_competition, load_competition(POWER), actor="t")
    with sessions() as db:
        competition = db.execute(select(Competition.id)).scalar_one()
        event = db.execute(select(Event.id).where(Event.key == "safety_quiz")).scalar_one()
        round_id = db.execute(select(Round.id).where(Round.event_id == event)).scalar_one()
    committed(sessions, create_user, "qm1", "quiz-password", "quiz_master", actor="t", competition_id=competition)
    return int(round_id)


def sign_in(browser: Any, server: str, width: int, height: int, lang: str) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{server}/quiz/login?lang={lang}")
    page.fill("#username", "qm1")
    page.fill("#password", "quiz-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/quiz")
    return page


def score_of(page: Any, team: str) -> str:
    return str(page.locator(f".team[data-team={team}] .pts").inner_text())


def tap(page: Any, team: str, outcome: str) -> None:
    page.click(f".team[data-team={team}] button[data-outcome={outcome}]")


def settled(page: Any) -> None:
    """Nothing waits in the outbox and the page shows the server's state after it."""
    page.wait_for_function(
        "() => !document.getElementById('pending').textContent && !document.getElementById('undo').disabled"
    )


def test_quiz_master_records_undoes_and_sees_the_scores(server, browser, shots: Path, tmp_path: Path):
    round_id = prepare(tmp_path)
    page = sign_in(browser, server, 1024, 768, "zh")
    page.click(f"a[href='/quiz/rounds/{round_id}']")
    page.wait_for_selector(".team[data-team=s01] button[data-outcome=right]")
    # question 1: compulsory, the console suggests the first team in roster order
    assert page.locator("#turn").input_value() == "s01"
    page.click("#types button[data-type=compulsory]")
    page.click("#put")
    page.wait_for_function("() => document.getElementById('now').textContent.includes('第 1 题')")
    tap(page, "s01", "right")
    page.wait_for_function("() => document.querySelector('.team[data-team=s01] .pts').textContent === '110'")
    # question 2: buzzer; s02 buzzes early, then s03 answers right
    page.click("#types button[data-type=buzzer]")
    assert page.locator("#number").input_value() == "2"
    page.click("#put")
    page.wait_for_function("() => document.getElementById('now').textContent.includes('抢答')")
    tap(page, "s02", "early")
    tap(page, "s03", "right")
    page.wait_for_function("() => document.querySelector('.team[data-team=s03] .pts').textContent === '110'")
    settled(page)
    assert score_of(page, "s02") == "90"
    # undo the last answer: the console says what will be undone before it is
    page.click("#undo")
    assert "s03" in page.locator("#undo-what").inner_text() and "抢答" in page.locator("#undo-what").inner_text()
    page.screenshot(path=str(shots / "quiz-console-undo-confirm-zh.png"))
    page.click("#undo-yes")
    page.wait_for_function("() => document.querySelector('.team[data-team=s03] .pts').textContent === '100'")
    settled(page)
    assert (score_of(page, "s01"), score_of(page, "s02"), score_of(page, "s03")) == ("110", "90", "100")
    assert page.locator("#log li.voided").count() == 1
    # a refusal is said in place in the page's language: a question numbered 0
    page.fill("#number", "0")
    page.click("#put")
    page.wait_for_function("() => document.getElementById('message').textContent.includes('题号必须是正整数')")
    page.fill("#number", "3")
    page.click("#types button[data-type=risk]")
    page.click("#stakes button[data-stake='20']")
    page.select_option("#turn", "s04")
    page.click("#put")
    page.wait_for_function("() => document.getElementById('now').textContent.includes('风险')")
    tap(page, "s04", "wrong")
    page.wait_for_function("() => document.querySelector('.team[data-team=s04] .pts').textContent === '80'")
    settled(page)
    page.evaluate("window.scrollTo(0, 0)")  # the undo bar is sticky: a full-page shot from the top
    page.screenshot(path=str(shots / "quiz-console-tablet-zh.png"), full_page=True)

    english = page.context.new_page()
    english.goto(f"{server}/quiz/rounds/{round_id}?lang=en")
    english.wait_for_selector(".team[data-team=s04] button[data-outcome=right]")
    assert score_of(english, "s04") == "80" and "Question 3" in english.locator("#now").inner_text()
    english.screenshot(path=str(shots / "quiz-console-tablet-en.png"), full_page=True)

    for lang in ("zh", "en"):
        phone = sign_in(browser, server, 390, 844, lang)
        phone.goto(f"{server}/quiz/rounds/{round_id}?lang={lang}")
        phone.wait_for_selector(".team[data-team=s01] button[data-outcome=right]")
        assert score_of(phone, "s01") == "110"
        box = phone.locator(".team[data-team=s01] button[data-outcome=right]").bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44 and box["x"] + box["width"] <= 390
        phone.screenshot(path=str(shots / f"quiz-console-phone-{lang}.png"), full_page=True)

    # end the regular questions: every team level is offered an extra question
    page.click("#end")
    page.wait_for_selector("#groups button[data-extra]")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / "quiz-console-tiebreak-zh.png"))
    with session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))() as db:
        kinds = db.execute(select(QuizAnswer.kind).order_by(QuizAnswer.seq)).scalars().all()
    assert kinds == ["question", "compulsory", "question", "buzzer", "buzzer", "undo", "question", "risk", "end"]
