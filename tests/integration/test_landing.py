"""What a newcomer at http://127.0.0.1:8000/ sees: a landing page, and API documentation that
works at a venue without internet (issue 9, item 18)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from server.app import create_app
from server.settings import Settings
from tests.helpers import ROOT, committed

POWER = ROOT / "examples" / "power_safety" / "competition.toml"
DRILL = ROOT / "examples" / "drill_yard" / "competition.toml"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient[Any]]:
    url = f"sqlite:///{tmp_path / 'scoring.sqlite3'}"
    app = create_app(Settings(data_dir=tmp_path, database_url=url))
    sessions = session_factory(make_engine(url))
    for path in (POWER, DRILL):
        committed(sessions, store_competition, load_competition(path), actor="test")
    with TestClient(app) as c:
        yield c


def test_landing_page_lists_the_competitions_and_where_to_sign_in_in_chinese_first(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="zh-CN">' in html
    assert "安全文化专项劳动竞赛" in html and "safety-culture-2023" in html and "drill-yard-2026" in html
    assert 'href="/admin/login"' in html and 'href="/judge/pin"' in html and 'href="/schema"' in html
    assert "组织者" in html and "评委" in html


def test_landing_page_in_english(client):
    html = client.get("/?lang=en").text
    assert '<html lang="en">' in html
    names = {c["name"]["en"] for c in client.get("/api/public/competitions").json()}
    assert all(name in html for name in names), names
    assert "Organisers" in html and "Judges" in html and "安全文化专项劳动竞赛" not in html
    assert '<html lang="en">' in client.get("/").text  # the cookie remembers the choice


def test_api_documentation_needs_no_internet(client):
    page = client.get("/schema")
    assert page.status_code == 200, page.text
    html = page.text
    referenced = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    referenced += re.findall(r"""@import\s+(?:url\()?["']?([^"')]+)""", html)
    assert referenced, html[:500]
    external = [ref for ref in referenced if re.match(r"(?i)(https?:)?//", ref)]
    assert external == [], external
    for host in ("cdn.", "unpkg", "jsdelivr", "googleapis", "redoc.ly"):
        assert host not in html, host
    scripts = re.findall(r"""<script[^>]+src\s*=\s*["']([^"']+)["']""", html)
    styles = re.findall(r"""<link[^>]+href\s*=\s*["']([^"']+\.css)["']""", html)
    assert scripts and styles
    for asset in scripts + styles:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert len(served.content) > 10_000, asset  # the real bundle, not a stub
        kind = "javascript" if asset.endswith(".js") else "css"
        assert kind in served.headers["content-type"], (asset, served.headers["content-type"])
    assert client.get("/schema/openapi.json").status_code == 200
