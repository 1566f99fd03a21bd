"""The public results pages and their JSON: nothing before publication, a notice with its
deadline and how to appeal, finals kept readable version by version with what changed, a
withdrawn notice, zh and en, and pages (never JSON) for a reader."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session, sessionmaker

from public.published import Act, public_view
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.helpers import committed
from tests.integration.published_results import APPEAL, cement, cement_snapshot, publish

KEY = "cement-team-leaders-2023"
T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
DEADLINE = datetime(2030, 12, 6, 8, 0, tzinfo=UTC)  # 2030年12月6日 16:00 Beijing time, still open
MODEL = cement()


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[TestClient[Any], sessionmaker[Session]]]:
    url = f"sqlite:///{tmp_path / 'scoring.sqlite3'}"
    app = create_app(Settings(data_dir=tmp_path, database_url=url))
    sessions = session_factory(make_engine(url))
    committed(sessions, store_competition, MODEL, actor="test")
    with TestClient(app) as client:
        yield client, sessions


def notice(sessions: sessionmaker[Session], seq: int = 1, version: int = 1, **kw: Any) -> dict[str, Any]:
    snap = cement_snapshot(MODEL, kind="notice", version=version, seq=seq, published_at=T0, deadline=DEADLINE, **kw)
    publish(sessions, KEY, "notice", version, seq, snap, at=T0, deadline=DEADLINE)
    return snap


def final(sessions: sessionmaker[Session], seq: int, version: int, **kw: Any) -> dict[str, Any]:
    at = T0 + timedelta(days=8 * seq)
    snap = cement_snapshot(MODEL, kind="final", version=version, seq=seq, published_at=at, **kw)
    publish(sessions, KEY, "final", version, seq, snap, at=at)
    return snap


def page(client: TestClient[Any], path: str, status: int = 200) -> str:
    response = client.get(path, headers={"accept": "text/html,application/xhtml+xml,application/json;q=0.9"})
    assert response.status_code == status, response.text[:400]
    assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
    return response.text


def test_public_view_shows_the_latest_notice_or_final_and_every_final():
    def act(seq: int, kind: str, version: int) -> Act:
        return Act(seq, seq, kind, version, None, T0)

    assert not public_view([]).published
    view = public_view([act(1, "notice", 1), act(2, "final", 1), act(3, "notice", 2), act(4, "final", 2)])
    assert view.shown == act(4, "final", 2) and [a.version for a in view.finals] == [1, 2]
    view = public_view([act(3, "withdrawn", 2), act(1, "final", 1), act(2, "notice", 2)])
    assert view.withdrawn == act(3, "withdrawn", 2) and view.shown == act(1, "final", 1)
    view = public_view([act(1, "notice", 1), act(2, "withdrawn", 1)])
    assert view.published and view.shown is None and view.finals == ()


def test_results_are_hidden_until_published_as_a_page_and_as_json(stored):
    client, _ = stored
    for path in (f"/results/{KEY}", f"/results/{KEY}/v/1", "/results/no-such-thing", f"/results/{KEY}/v/x"):
        html = page(client, path, 404)
        assert "尚未公布成绩" in html and '<html lang="zh-CN">' in html
    assert "Results not published yet" in page(client, f"/results/{KEY}?lang=en", 404)
    api = client.get(f"/api/public/competitions/{KEY}/results")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")
    assert "尚未公布" in page(client, "/?lang=zh")  # the landing page says so, with no link
    assert f'href="/results/{KEY}"' not in page(client, "/")


def test_a_notice_shows_its_deadline_how_to_appeal_and_the_standings(stored):
    client, sessions = stored
    snap = notice(sessions)
    html = page(client, f"/results/{KEY}")
    assert "成绩公示" in html and "公示截止" in html and "2030年12月6日 16:00（北京时间）" in html
    assert APPEAL["zh"] in html and "尚非最终结果" in html
    first = snap["overall"][0]
    assert first["name"]["zh"] in html and first["score"] in html and first["unit"]["zh"] in html
    assert "理论知识" in html and "一等奖" in html and "优秀组织奖" in html and "组织周密" in html
    assert snap["audit"]["hash"] in html and snap["audit"]["hash"][:12] in html
    assert '<link rel="stylesheet" href="/public/results.css">' in html and "<style " not in html.split("</head>")[1]
    en = page(client, f"/results/{KEY}?lang=en")
    assert "Public notice of results" in en and "6 December 2030, 16:00 (Beijing time)" in en
    assert APPEAL["en"] in en and first["name"]["en"] in en and "First prize" in en and "北方建材" not in en
    home = page(client, "/?lang=zh")
    assert f'href="/results/{KEY}"' in home and "公示中，截止 2030年12月6日" in home
    data = client.get(f"/api/public/competitions/{KEY}/results").json()
    assert data["state"] == "notice" and data["snapshot"] == snap and data["versions"] == []
    css = client.get("/public/results.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"] and "@media print" in css.text


def test_finals_stay_readable_version_by_version_with_what_changed(stored):
    client, sessions = stored
    notice(sessions, seq=1)
    v1 = final(sessions, seq=2, version=1)
    html = page(client, f"/results/{KEY}?lang=zh")
    assert "最终成绩 第 1 版" in html and "公示截止" not in html and "最终成绩 第 1 版" in page(client, "/")
    t05 = next(r for r in v1["overall"] if r["entry"] == "t05")
    why = {"zh": "申诉 #3 成立：更正理论成绩", "en": "appeal #3 upheld: theory score corrected"}
    change = {"entry": "t05", "name": t05["name"], "before": {"place": t05["place"], "score": t05["score"]}}
    v2 = cement_snapshot(
        MODEL, kind="notice", version=2, seq=3, published_at=T0, corrected={"t05": {"theory": "99.90"}}
    )
    after = next(r for r in v2["overall"] if r["entry"] == "t05")
    change |= {"after": {"place": after["place"], "score": after["score"]}, "why": why}
    notice(sessions, seq=3, version=2, corrected={"t05": {"theory": "99.90"}}, changes=[change])
    html = page(client, f"/results/{KEY}")
    assert "成绩公示" in html and "与上次发布相比的更改" in html and why["zh"] in html
    assert f'href="/results/{KEY}/v/1"' in html  # the final before the notice stays linked
    final(sessions, seq=4, version=2, corrected={"t05": {"theory": "99.90"}}, changes=[change])
    current = page(client, f"/results/{KEY}")
    assert "最终成绩 第 2 版" in current and why["zh"] in current and after["score"] in current
    assert f'href="/results/{KEY}/v/1"' in current
    old = page(client, f"/results/{KEY}/v/1")
    assert "最终成绩 第 1 版" in old and "此版本已被第 2 版取代" in old and t05["score"] in old
    assert f'href="/results/{KEY}"' in old
    assert "What changed in this version" in page(client, f"/results/{KEY}/v/2?lang=en")
    assert "This version was replaced by version 2" in page(client, f"/results/{KEY}/v/1?lang=en")
    page(client, f"/results/{KEY}/v/3", 404)
    data = client.get(f"/api/public/competitions/{KEY}/results").json()
    assert data["state"] == "final" and data["snapshot"]["version"] == 2 and data["versions"] == [1, 2]


def test_a_withdrawn_notice_says_so_and_shows_the_final_before_it(stored):
    client, sessions = stored
    publish(sessions, KEY, "notice", 1, 1, None, at=T0, deadline=DEADLINE)
    publish(sessions, KEY, "withdrawn", 1, 2, None, at=T0 + timedelta(hours=2))
    html = page(client, f"/results/{KEY}")
    assert "公示已撤回更正" in html and "总成绩排名" not in html
    assert "The notice was withdrawn for a correction" in page(client, f"/results/{KEY}?lang=en")
    data = client.get(f"/api/public/competitions/{KEY}/results").json()
    assert data["state"] == "withdrawn" and data["snapshot"] is None
    v1 = final(sessions, seq=3, version=1)
    notice(sessions, seq=4, version=2)
    publish(sessions, KEY, "withdrawn", 2, 5, None, at=T0 + timedelta(days=40))
    html = page(client, f"/results/{KEY}?lang=zh")
    assert (
        "公示已撤回更正" in html and "以下为此前发布的最终成绩（第 1 版）" in html and v1["overall"][0]["score"] in html
    )
    assert "公示已撤回更正" in page(client, "/?lang=zh")
    data = client.get(f"/api/public/competitions/{KEY}/results").json()
    assert data["state"] == "withdrawn" and data["snapshot"] == v1


def test_a_signed_in_organiser_reads_the_same_pages(stored):
    """Rendering a page reads who is signed in; that read must not nest in the page's own."""
    client, sessions = stored
    committed(sessions, create_user, "org", "correct horse", "organiser", actor="test")
    assert client.post("/api/session", json={"username": "org", "password": "correct horse"}).status_code in (200, 201)
    page(client, f"/results/{KEY}", 404)
    final(sessions, seq=1, version=1)
    assert "org" in page(client, f"/results/{KEY}") and "org" in page(client, f"/results/{KEY}/v/1")
    page(client, f"/results/{KEY}/v/2", 404)
