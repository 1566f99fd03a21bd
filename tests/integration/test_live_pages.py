"""The live pages as a browser asks for them: refusals are pages in the reader's language, the
provisional view by the socket's right, the logo from the data folder (tests/e2e/test_live_board.py
drives them in Chromium)."""

from __future__ import annotations

from pathlib import Path

KEY = "safety-culture-2023"


def test_live_pages_provisional_view_is_for_organisers_and_chief_judges_only(world):
    for role, client in world.by_role().items():
        response = client.get(f"/live/{KEY}/screen?view=provisional&lang=en")
        if role in ("organiser", "chief"):
            assert response.status_code == 200, role
            assert "provisional" in response.text
        else:
            assert response.status_code == 403, role
            assert "text/html" in response.headers["content-type"]
            assert "The provisional view is for organisers and chief judges" in response.text
    refused = world.client().get(f"/live/{KEY}?view=provisional")
    assert refused.status_code == 403 and "暂定成绩仅供组织者和裁判长查看" in refused.text


def test_live_pages_refuse_what_does_not_exist_with_a_page(world):
    client = world.client()
    for path in (
        "/live/no-such-competition",
        f"/live/{KEY}/screen?board=nonsense",
        f"/live/{KEY}/screen?view=nonsense",
        f"/live/{KEY}/quiz/{world.hydrant}",  # not a quiz round
        f"/live/{KEY}/quiz/99999",
        f"/live/{KEY}/logo",
    ):
        response = client.get(path + ("&" if "?" in path else "?") + "lang=en")
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"], path
    assert "没有这个竞赛" in client.get("/live/no-such-competition").text


def test_live_pages_carry_the_strict_policy_and_no_inline_script(world):
    client = world.client()
    for path in (f"/live/{KEY}", f"/live/{KEY}/screen?board=units&lang=en", f"/live/{KEY}/quiz/{world.quiz_round}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        scripts = response.text.split("<script")[1:]
        assert all('type="application/json"' in s.split(">")[0] or "src=" in s.split(">")[0] for s in scripts)
        assert " onclick=" not in response.text and " onload=" not in response.text
    script = client.get("/live/assets/board.js")
    assert script.headers["content-type"].startswith("text/javascript") and "prev" in script.text


def test_live_pages_serve_the_organisers_logo_beside_the_title(world):
    folder = Path(world.app.state.logos)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{KEY}.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    client = world.client()
    logo = client.get(f"/live/{KEY}/logo")
    assert logo.status_code == 200 and logo.headers["content-type"] == "image/svg+xml"
    assert "default-src 'none'" in logo.headers["content-security-policy"]
    assert f'src="/live/{KEY}/logo"' in client.get(f"/live/{KEY}/screen").text
    (folder / f"{KEY}.svg").unlink()
    assert f'src="/live/{KEY}/logo"' not in client.get(f"/live/{KEY}/screen").text
