"""Signing in over the API: organisers by password (rate-limited), judges by link and by PIN, and
renewed access that revokes old links and sessions. Each test signs in for real."""

from __future__ import annotations

from tests.integration.world import ok
from web.security import AttemptLimiter


def test_organiser_sign_in_refuses_a_wrong_password_and_rate_limits(world):
    world.app.state.limiter = AttemptLimiter()  # ten attempts per address in five minutes
    client = world.client()
    assert client.post("/api/session", json={"username": "org", "password": "nope"}).status_code == 401
    assert client.post("/api/session", json={"username": "nobody", "password": "nope"}).status_code == 401
    statuses = [client.post("/api/session", json={"username": "org", "password": "x"}).status_code for _ in range(12)]
    assert statuses == [401] * 4 + [429] * 8  # the account is locked after five failures in a row (issue 9)
    limited = client.post("/api/session", json={"username": "org", "password": "correct horse"})
    assert limited.status_code == 429 and "locked" in limited.json()["en"]


def test_judge_signs_in_by_link_and_sees_only_their_assignments(world):
    judge, unseated = world.signed_in("e1"), world.signed_in("e3")  # by their links, for real
    response = judge.get("/api/judge/assignments")
    assert response.status_code == 200
    [seat] = response.json()
    assert seat["event"] == "hydrant" and seat["chief"] is False and len(seat["entries"]) == 14
    assert unseated.get("/api/judge/assignments").json() == []


def test_judge_signs_in_by_pin(world):
    client = world.client()
    body = {"competition": "safety-culture-2023", "judge": "e1", "pin": world.access["e1"]["pin"]}
    assert (
        client.post(
            "/api/session/judge-pin", json=body | {"pin": "000000" if body["pin"] != "000000" else "111111"}
        ).status_code
        == 401
    )
    assert client.post("/api/session/judge-pin", json=body).status_code == 200
    assert client.get("/api/judge/assignments").status_code == 200


def test_renewing_a_judges_access_revokes_the_old_link_and_session(world):
    old_link = world.access["e1"]["link"]
    fresh = world.signed_in("e1")  # a session of this test's own, besides the world's judge
    ok(fresh.get("/api/judge/assignments"))
    ok(world.organiser.post(f"/api/admin/judges/{world.judge_ids['e1']}/access"))
    assert world.judge.get("/api/judge/assignments").status_code == 401
    assert fresh.get("/api/judge/assignments").status_code == 401
    assert world.client().get(old_link, follow_redirects=False).status_code == 401
