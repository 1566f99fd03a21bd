"""The quiz master's console through the HTTP API: answers, questions, undo and the tie-break,
each a numbered live change, the board as the big screen will read it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from scoring.store.live import competition_of_round, head
from scoring.store.models import AuditRecord, QuizAnswer
from tests.integration.world import World, ok


def api(world: World, what: str) -> str:
    return f"/api/quiz/rounds/{world.quiz_round}/{what}"


def post(world: World, what: str, body: dict[str, Any], status: int = 201) -> Any:
    return ok(world.quiz.post(api(world, what), json={"client_id": uuid.uuid4().hex} | body), status)


def answer(world: World, team: str, kind: str, outcome: str, stake: str = "") -> Any:
    return post(world, "answers", {"team": team, "type": kind, "outcome": outcome, "stake": stake})


def state(world: World) -> Any:
    return ok(world.quiz.get(api(world, "console")))


def scores(world: World) -> dict[str, str]:
    return {row["team"]: row["score"] for row in state(world)["board"]["teams"]}


def live_head(world: World) -> int:
    with world.app.state.database.read() as db:
        return head(db, competition_of_round(db, world.quiz_round))


def test_answers_score_and_undo_restores_the_previous_scores(world):
    post(world, "questions", {"number": 1, "type": "compulsory", "team": "s01"})
    answer(world, "s01", "compulsory", "right")
    post(world, "questions", {"number": 2, "type": "risk", "team": "s02", "stake": "30"})
    answer(world, "s02", "risk", "wrong", "30")
    assert (scores(world)["s01"], scores(world)["s02"]) == ("110", "70")
    seen = state(world)
    assert seen["undo"]["seq"] == 4 and seen["undo"]["points"] == "-30"
    undone = post(world, "undo", {"expect": 4})
    assert undone["kind"] == "undo" and undone["voids"] == 4 and undone["voided"]["team"] == "s02"
    assert (scores(world)["s01"], scores(world)["s02"]) == ("110", "100")
    seen = state(world)
    assert [r["voided"] for r in seen["log"]] == [False, True, False, False, False]  # newest first
    assert seen["board"]["last"] == {
        "team": "s01",
        "type": "compulsory",
        "outcome": "right",
        "stake": None,
        "points": "10",
    }
    # the record stays: five rows, none deleted; each action audited
    with world.app.state.database.read() as db:
        assert db.execute(select(func.count()).select_from(QuizAnswer)).scalar_one() == 5
        actions = db.execute(select(AuditRecord.action).where(AuditRecord.action.like("quiz.%"))).scalars().all()
    assert actions == ["quiz.question", "quiz.answer", "quiz.question", "quiz.answer", "quiz.undo"]
    # the published standings read the same log: the undone answer does not count
    standings = ok(world.quiz.get(api(world, "scores")))
    assert {s["team"]: s["score"] for s in standings}["s02"] == "100"


def test_undo_is_idempotent_and_refuses_when_the_log_moved_on(world):
    answer(world, "s03", "buzzer", "right")
    answer(world, "s03", "buzzer", "wrong")
    body = {"client_id": "undo-once-0001"}
    first = ok(world.quiz.post(api(world, "undo"), json=body), 201)
    again = ok(world.quiz.post(api(world, "undo"), json=body), 201)
    assert again == first | {"replayed": True} and first["replayed"] is False
    assert scores(world)["s03"] == "110"  # only the wrong answer was voided
    moved = world.quiz.post(api(world, "undo"), json={"client_id": uuid.uuid4().hex, "expect": 2})
    assert moved.status_code == 409 and moved.json()["last_seq"] == 1
    post(world, "undo", {"expect": 1})
    nothing = world.quiz.post(api(world, "undo"), json={"client_id": uuid.uuid4().hex})
    assert nothing.status_code == 409 and nothing.json()["en"] == "there is nothing to undo"
    reused = world.quiz.post(api(world, "end"), json=body)  # an undo's client id for another kind
    assert reused.status_code == 409
    assert scores(world)["s03"] == "100"


def test_a_question_put_shows_on_the_board_and_the_next_team_is_suggested(world):
    assert state(world)["next"] == {"number": 1, "team": "s01"}
    post(world, "questions", {"number": 1, "type": "必答", "team": "s01"})
    board = state(world)["board"]
    assert board["question"] == {"type": "compulsory", "value": "10", "number": 1, "team": "s01"}
    assert state(world)["next"] == {"number": 2, "team": "s02"}
    post(world, "questions", {"number": 2, "type": "risk", "team": "s05", "stake": "20"})
    assert state(world)["board"]["question"] == {"type": "risk", "value": "20", "number": 2, "team": "s05"}
    assert state(world)["next"] == {"number": 3, "team": "s02"}  # a risk question is not a compulsory turn
    refused = world.quiz.post(
        api(world, "questions"),
        json={"number": 3, "type": "risk", "team": "s05", "stake": "25", "client_id": "q-bad-01"},
    )
    assert refused.status_code == 422 and refused.json()["problems"][0]["zh"].startswith("风险题分值")
    no_team = world.quiz.post(
        api(world, "questions"), json={"number": 3, "type": "compulsory", "client_id": "q-bad-02"}
    )
    assert no_team.status_code == 422
    assert scores(world)["s05"] == "100"  # a question changes no score


def test_each_action_is_one_live_change_and_a_replay_none(world):
    before = live_head(world)
    body = {"number": 1, "type": "buzzer", "client_id": "q-live-0001"}
    ok(world.quiz.post(api(world, "questions"), json=body), 201)
    assert live_head(world) == before + 1
    ok(world.quiz.post(api(world, "questions"), json=body), 201)  # replayed
    assert live_head(world) == before + 1
    reply = {"team": "s04", "type": "buzzer", "outcome": "early", "client_id": "a-live-0001"}
    ok(world.quiz.post(api(world, "answers"), json=reply), 201)
    ok(world.quiz.post(api(world, "answers"), json=reply), 201)
    assert live_head(world) == before + 2
    undo = {"client_id": "u-live-0001"}
    ok(world.quiz.post(api(world, "undo"), json=undo), 201)
    ok(world.quiz.post(api(world, "undo"), json=undo), 201)
    assert live_head(world) == before + 3
    ok(world.quiz.post(api(world, "end"), json={"client_id": "e-live-0001"}), 201)
    assert live_head(world) == before + 4
    refused = world.quiz.post(api(world, "undo"), json={"client_id": "u-live-0002", "expect": 1})
    assert refused.status_code == 409 and live_head(world) == before + 4  # a refusal numbers nothing


def test_a_tie_is_reported_level_and_resolved_by_extra_questions(world):
    for team in ("s01", "s02", "s03"):
        answer(world, team, "buzzer", "right")
    answer(world, "s03", "buzzer", "wrong")
    post(world, "end", {})
    seen = state(world)
    assert seen["ended"] is True and seen["board"]["question"] is None
    level = seen["board"]["level"]
    assert ["s01", "s02"] in level and level[0] == ["s01", "s02"]  # level at 110, highest first
    post(world, "questions", {"number": seen["next"]["number"], "type": "extra"})
    answer(world, "s01", "加赛", "错")
    answer(world, "s02", "extra", "right")
    seen = state(world)
    assert ["s01", "s02"] not in seen["board"]["level"]
    assert scores(world)["s01"] == scores(world)["s02"] == "110"  # extra questions break the tie only
    extra = {s["team"]: s["extra_right"] for s in ok(world.quiz.get(api(world, "scores")))}
    assert extra["s02"] == "1" and extra["s01"] == "0"


def test_the_console_pages_are_the_quiz_masters(world):
    page = world.quiz.get(f"/quiz/rounds/{world.quiz_round}?lang=en")
    assert page.status_code == 200 and "Quiz console" in page.text and "/quiz/console.js" in page.text
    assert "竞答控制台" in world.quiz.get(f"/quiz/rounds/{world.quiz_round}?lang=zh").text
    home = world.quiz.get("/quiz")
    assert home.status_code == 200 and f"/quiz/rounds/{world.quiz_round}" in home.text
    assert world.quiz.get(f"/quiz/rounds/{world.hydrant}").status_code == 409  # not a quiz
    assert world.quiz.get("/quiz/rounds/2147483647").status_code == 404
    assert world.public.get("/quiz", follow_redirects=False).headers["location"] == "/quiz/login"
