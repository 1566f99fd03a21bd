"""The session cookie is written when the session changes (signing in, signing out), never
again on an ordinary request: the cookie the browser holds stands (web/session_cookie.py)."""

from __future__ import annotations

from tests.integration.world import ok


def session_cookies(response) -> list[str]:
    return [c for c in response.headers.get_list("set-cookie") if c.startswith("scoring_session")]


def test_the_session_cookie_is_set_at_sign_in_left_alone_after_and_cleared_at_sign_out(world):
    client = world.client()
    signed = client.get(world.access["e1"]["link"], follow_redirects=False)
    assert signed.status_code in (302, 303)
    [made] = session_cookies(signed)
    assert "HttpOnly" in made and "null" not in made
    read = client.get("/api/judge/assignments")
    assert ok(read) and session_cookies(read) == []  # signed in, and no cookie written again
    wrote = client.put(
        f"/api/judge/sheets/{world.hydrant}/s01",
        json={"action": "save", "base_version": 0, "client_id": "cookie-test-1", "marks": {}},
    )
    assert ok(wrote) and session_cookies(wrote) == []
    out = client.delete("/api/session")
    assert ok(out)
    assert any("null" in c for c in session_cookies(out))  # signing out clears it
    assert client.get("/api/judge/assignments").status_code == 401
