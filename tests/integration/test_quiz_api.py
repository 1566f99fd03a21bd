"""The quiz master's API: answers recorded once, running scores, and only their own competition."""

from __future__ import annotations

from tests.integration.world import ok


def test_quiz_master_records_answers_and_reads_running_scores(world):
    url = f"/api/quiz/rounds/{world.quiz_round}/answers"
    first = world.quiz.post(url, json={"team": "s01", "type": "必答", "outcome": "对", "client_id": "qm-00001"})
    assert first.status_code == 201 and first.json()["seq"] == 1 and first.json()["replayed"] is False
    retry = world.quiz.post(url, json={"team": "s01", "type": "必答", "outcome": "对", "client_id": "qm-00001"})
    assert retry.json() == first.json() | {"replayed": True}
    ok(
        world.quiz.post(
            url, json={"team": "s02", "type": "risk", "outcome": "wrong", "stake": "30", "client_id": "qm-00002"}
        ),
        201,
    )
    bad = world.quiz.post(
        url, json={"team": "s02", "type": "risk", "outcome": "right", "stake": "25", "client_id": "qm-00003"}
    )
    assert bad.status_code == 422 and "choose one of: 10, 20, 30" in bad.json()["problems"][0]["en"]
    early = world.quiz.post(url, json={"team": "s03", "type": "必答", "outcome": "抢跑", "client_id": "qm-00004"})
    assert early.status_code == 422
    unknown = world.quiz.post(url, json={"team": "zz", "type": "必答", "outcome": "对", "client_id": "qm-00005"})
    assert unknown.status_code == 422 and "unknown team 'zz'" in unknown.json()["problems"][0]["en"]
    scores = {s["team"]: s["score"] for s in ok(world.quiz.get(f"/api/quiz/rounds/{world.quiz_round}/scores"))}
    assert scores["s01"] == "110" and scores["s02"] == "70" and scores["s14"] == "100" and len(scores) == 14
    not_quiz = world.quiz.get(f"/api/quiz/rounds/{world.hydrant}/scores")
    assert not_quiz.status_code == 409


def test_a_quiz_master_reaches_only_their_own_competition(world):
    ok(world.organiser.post("/api/admin/competitions/from-template", json={"template": "cement"}), 201)
    made = ok(
        world.organiser.post("/api/admin/competitions/cement-team-leaders-2023/quiz-masters", json={"username": "qm2"}),
        201,
    )
    other = world.client()
    ok(other.post("/api/session", json={"username": "qm2", "password": made["password"]}))
    assert other.get(f"/api/quiz/rounds/{world.quiz_round}/scores").status_code == 403
    taken = world.organiser.post(
        "/api/admin/competitions/cement-team-leaders-2023/quiz-masters", json={"username": "qm2"}
    )
    assert taken.status_code == 422
