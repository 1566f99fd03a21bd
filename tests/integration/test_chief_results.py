"""The chief judge's results of a round beside the console: provisional standings, the panel's
fairness, the severity chart, and deciding an appeal."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from results.fairness import assess_round
from results.from_store import View, round_table
from results.stored import stored_competition
from scoring.store.models import Event, Round
from tests.integration.world import ok


def test_the_chief_sees_the_rounds_standings_and_fairness_in_zh_and_en(venue):
    chief, hydrant = venue["chief"], venue["hydrant"]
    page = chief.get(f"/judge/console/{hydrant}/results")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    with venue["sessions"]() as db:
        round_ = db.get(Round, hydrant)
        event = db.get(Event, round_.event_id)
        taken = round_table(db, round_, event, View.PROVISIONAL)
        bound = stored_competition(db, "safety-culture-2023").event("hydrant").bound
    report = assess_round(bound, taken.table)
    text = page.text
    assert "暂定成绩" in text and "各评委与评委组的比较" in text
    for judge in report.judges:  # every panel judge's row, by name with the key beside it
        assert f'<span class="muted">{judge.judge}</span></td>' in text
    best = bound.score(taken.table)
    top = max(best.scores, key=lambda s: s.score)
    assert top.entry in text
    english = chief.get(f"/judge/console/{hydrant}/results?lang=en").text
    assert "Each judge against the panel" in english and "Provisional results" in english
    svg = chief.get(f"/judge/console/{hydrant}/severity.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    ET.fromstring(svg.content)  # a well-formed chart


def test_another_rounds_chief_and_an_organiser_do_not_reach_it(venue):
    chief, organiser = venue["chief"], venue["organiser"]
    with venue["sessions"]() as db:
        other = db.query(Round).join(Event, Event.id == Round.event_id).filter(Event.key == "presentation").one()
    # e1 chairs every judged round of the stored example; the quiz round has no panel
    with venue["sessions"]() as db:
        quiz = db.query(Round).join(Event, Event.id == Round.event_id).filter(Event.key == "safety_quiz").one()
    assert chief.get(f"/judge/console/{quiz.id}/results").status_code == 403
    assert organiser.get(f"/judge/console/{other.id}/results", follow_redirects=False).status_code in (302, 303)


def test_the_chief_decides_an_appeal_of_the_notice(venue):
    organiser, chief, hydrant = venue["organiser"], venue["chief"], venue["hydrant"]
    deadline = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    ok(organiser.post("/api/admin/competitions/safety-culture-2023/results/notice", json={"deadline": deadline}), 201)
    appeal = ok(
        organiser.post(
            "/api/admin/competitions/safety-culture-2023/appeals", json={"team": "s03", "reason": "time misread"}
        ),
        201,
    )
    page = chief.get(f"/judge/console/{hydrant}/results")
    assert "time misread" in page.text
    token = chief.cookies.get("csrftoken") or ""
    decided = chief.post(
        f"/judge/console/{hydrant}/appeals/{appeal['id']}",
        data={"outcome": "dismissed", "reason": "the video confirms the time"},
        headers={"x-csrftoken": token},
        follow_redirects=False,
    )
    assert decided.status_code in (302, 303), decided.text
    again = chief.get(f"/judge/console/{hydrant}/results").text
    assert "驳回" in again and "the video confirms the time" in again


def test_the_organiser_downloads_charts_of_an_event_and_a_rounds_panel(venue):
    organiser, hydrant = venue["organiser"], venue["hydrant"]
    svg = organiser.get("/admin/competitions/safety-culture-2023/charts/hydrant?lang=en")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "Fire hydrant" in svg.text or "hydrant" in svg.text.lower()
    ET.fromstring(svg.content)
    png = organiser.get(f"/admin/rounds/{hydrant}/severity?format=png")
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert organiser.get(f"/admin/rounds/{hydrant}/severity?format=gif").status_code == 404
    page = organiser.get("/admin/competitions/safety-culture-2023/results")
    assert "/admin/competitions/safety-culture-2023/charts/hydrant" in page.text
    assert "/admin/competitions/safety-culture-2023/results.xlsx" in page.text
