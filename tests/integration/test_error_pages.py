"""Every error a person meets in a browser is a page in their language; API clients get the
problem body (issue 12, item 18). A venue's tablets share one address: QR sign-ins that succeed
never trip the limit, failed ones do."""

from __future__ import annotations

import pytest

from tests.integration.world import ok
from web.security import AttemptLimiter

PAGE = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
API = {"accept": "application/json"}


def test_sixty_qr_sign_ins_from_one_address_all_succeed_with_the_servers_limit(world):
    world.app.state.limiter = AttemptLimiter(limit=50)  # the server's default
    venue = world.client()  # every tablet of the venue behind one Wi-Fi address
    for _ in range(15):
        for judge in ("e1", "e2", "e3", "e4"):
            answer = venue.get(world.access[judge]["link"], follow_redirects=False, headers=PAGE)
            assert answer.status_code in (302, 303), answer.text[:300]


def test_failed_links_are_limited_and_the_429_is_a_page_in_the_readers_language(world):
    world.app.state.limiter = AttemptLimiter(limit=3)
    venue = world.client()
    for _ in range(3):
        revoked = venue.get("/judge/signin/1.999.AAAAAAAAAAAAAAAAAAAAAAAA", headers=PAGE)
        assert revoked.status_code == 401 and revoked.headers["content-type"].startswith("text/html")
        assert "链接无效或已被撤销" in revoked.text and "未登录或链接无效" in revoked.text
    limited = venue.get(world.access["e1"]["link"], headers=PAGE, follow_redirects=False)
    assert limited.status_code == 429 and limited.headers["content-type"].startswith("text/html")
    assert "尝试次数过多" in limited.text and limited.headers["retry-after"] == "300"
    assert '"status"' not in limited.text  # not JSON
    english = venue.get(world.access["e1"]["link"] + "?lang=en", headers=PAGE, follow_redirects=False)
    assert english.status_code == 429 and "<h1" in english.text and "Too many attempts" in english.text
    assert english.text.index("too many attempts; wait") < english.text.index("尝试次数过多，请稍后再试")
    api = venue.get(world.access["e1"]["link"], headers=API, follow_redirects=False)
    assert api.status_code == 429 and api.headers["content-type"] == "application/problem+json"
    assert api.json()["status"] == 429


@pytest.mark.parametrize(
    ("method", "path", "status", "zh"),
    [
        ("GET", "/admin/no-such-page", 404, "没有这个页面"),
        ("GET", "/admin/rounds/99999", 404, "找不到"),
        ("DELETE", "/admin", 405, "不支持此操作"),
        ("GET", "/judge/signin/forged", 401, "链接无效或已被撤销"),
    ],
)
def test_each_error_status_is_a_page_for_a_browser_and_a_problem_for_an_api_client(world, method, path, status, zh):
    page = world.organiser.request(method, path, headers=PAGE)
    assert page.status_code == status and page.headers["content-type"].startswith("text/html"), page.text[:300]
    assert zh in page.text and 'lang="zh-CN"' in page.text
    api = world.organiser.request(method, path, headers=API)
    assert api.status_code == status
    if not path.startswith("/admin/rounds"):  # a refusal outside /api stays a page, as before
        assert api.headers["content-type"] == "application/problem+json"
    unknown_api = world.organiser.get("/api/admin/no-such-route", headers=PAGE)
    assert unknown_api.status_code == 404 and unknown_api.headers["content-type"] == "application/problem+json"


def test_an_unexpected_error_is_a_page_for_a_browser_and_a_problem_for_an_api_client(world, monkeypatch):
    def broken(_db):
        raise RuntimeError("a bug")

    monkeypatch.setattr("organiser.competition_pages.competitions_list", broken)
    page = world.organiser.get("/admin?lang=en", headers=PAGE)
    assert page.status_code == 500 and "Server error" in page.text and "it has been logged" in page.text
    api = world.organiser.get("/admin", headers=API)
    assert api.status_code == 500 and api.json()["type"] == "urn:scoring:problem:server-error"
    assert ok(world.organiser.get("/api/admin/competitions"))  # the rest still answers
