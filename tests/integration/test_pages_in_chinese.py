"""Every organiser page rendered in Chinese shows words, not raw keys (issue 12, item 17): a key
of the data (an event's kind, a scope, a round, a tablet input, a role, a draw's purpose, a
publication state) must reach the page through the translations. Keys shown on purpose are in
<code>, and the other language's text is marked lang="en"; both are left out of the check."""

from __future__ import annotations

import re

from tests.integration.world import ok

KEY = "safety-culture-2023"
# words that are data or message keys: in a Chinese page's text each is a key shown raw
RAW = {
    "practical", "theory", "quiz", "presentation", "team", "individual", "final", "preliminary",
    "stepper", "toggle", "counter", "veto", "stopwatch", "team_leader", "member", "reserve",
    "order", "stations", "checkin", "codes", "open", "locked", "notice", "chief", "key", "name",
    "mean", "median", "trimmed", "drop", "highest", "lowest", "unit", "unit_name", "team_name", "contestant",
}  # fmt: skip
HIDDEN = re.compile(r"<(code|script|style|svg)\b.*?</\1>|<([a-z]+)[^>]*\blang=\"en\"[^>]*>.*?</\2>", re.S)


def raw_keys(html: str) -> set[str]:
    """The raw keys in the visible Chinese text of a page."""
    body = html.split("<body>", 1)[-1]
    text = re.sub(r"<[^>]+>", " ", HIDDEN.sub(" ", body))
    text = re.sub(r"https?://\S+", " ", text)
    return {w for w in re.findall(r"[A-Za-z_]+(?::)?", text) if w.rstrip(":") in RAW or w == "chief:"}


def organiser_pages(world) -> dict[str, str]:
    """Every organiser page of the world's competition, by its path, in Chinese."""
    client = world.organiser
    paths = ["/admin", f"/admin/competitions/{KEY}", f"/admin/competitions/{KEY}/people"]
    paths += [f"/admin/competitions/{KEY}/access-cards", f"/admin/competitions/{KEY}/revoke-access"]
    paths += [f"/admin/judges/{world.judge_ids['e1']}/reissue", f"/admin/competitions/{KEY}/results"]
    paths += [f"/admin/competitions/{KEY}/live", "/admin/no-such-page"]
    competition = client.get(f"/admin/competitions/{KEY}?lang=zh").text
    paths += sorted(set(re.findall(r'href="(/admin/(?:rounds|events)/\d+(?:/rubric)?)"', competition)))
    ok(client.post(f"/api/admin/rounds/{world.hydrant}/draws", json={"purpose": "order", "drawn_by": "王五"}), 201)
    pages = {path: client.get(path, headers={"accept": "text/html"}).text for path in paths}
    ok(client.get("/admin"))
    pages["roster preview"] = client.post(
        f"/admin/competitions/{KEY}/roster",
        files={"roster": ("名单.csv", "单位编号,队号,选手编号,姓名,角色\nd01,s01,p900,,member\n")},
        headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
    ).text
    return pages


def test_every_organiser_page_in_chinese_shows_no_raw_key(world):
    pages = organiser_pages(world)
    assert len(pages) > 15 and all("<body>" in html for html in pages.values())
    found = {path: raw_keys(html) for path, html in pages.items()}
    assert {path: sorted(keys) for path, keys in found.items() if keys} == {}


def test_the_check_finds_a_raw_key_where_one_is_shown():
    assert raw_keys("<body><td>practical</td><td>team</td><p>name 为空</p><code>hydrant</code></body>") == {
        "practical",
        "team",
        "name",
    }
    assert raw_keys('<body><p lang="en">the final</p><code>final</code></body>') == set()


def test_every_judges_page_in_chinese_shows_no_raw_key(world):
    """The judges' and the chief's pages too: the assignments, a sheet, the console, the desk and
    the round's results. (The printed paper sheets say everything in both languages by design:
    their round is named in both.)"""
    ok(world.chief.get("/judge?lang=zh"))  # the language chosen once, kept in the cookie
    h = world.hydrant
    paths = ["/judge", f"/judge/rounds/{h}/s05", f"/judge/console/{h}", f"/judge/rounds/{h}/desk"]
    paths += [f"/judge/console/{h}/results"]
    pages = {path: world.chief.get(path, headers={"accept": "text/html"}) for path in paths}
    assert all(page.status_code == 200 and "<body>" in page.text for page in pages.values()), {
        path: page.status_code for path, page in pages.items()
    }
    found = {path: raw_keys(page.text) for path, page in pages.items()}
    assert {path: sorted(keys) for path, keys in found.items() if keys} == {}
    paper = world.chief.get(f"/judge/rounds/{h}/paper", headers={"accept": "text/html"}).text
    assert "决赛 / final" in paper
