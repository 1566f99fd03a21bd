"""A rubric whose titles hold HTML never runs it on a judge's tablet: the scripts build the page
from text nodes, and the Content-Security-Policy forbids inline script besides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from organiser.service import renew_access, set_panel
from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.models import Event, Judge, Round
from tests.helpers import ROOT, RUBRICS, committed
from web.security import load_secret

HOSTILE = '<img src=x onerror="window.__xss = 1; alert(1)">'


def prepare(tmp_path: Path) -> tuple[int, str]:
    folder = tmp_path / "competition"
    shutil.copytree(ROOT / "examples" / "power_safety", folder)
    rubrics = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, rubrics, ignore=shutil.ignore_patterns("cement"))
    hydrant = rubrics / "fire_hydrant.toml"
    text = hydrant.read_text(encoding="utf-8")
    text = text.replace('en = "Hose laid straight without kinks"', f"en = '{HOSTILE}'")
    text = text.replace('zh = "水带铺设平直无扭折"', f"zh = '{HOSTILE}'")
    assert text.count(HOSTILE) == 2
    hydrant.write_text(text, encoding="utf-8")
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))
    committed(sessions, store_competition, load_competition(folder / "competition.toml"), actor="t")
    with sessions() as db:
        event = db.execute(select(Event).where(Event.key == "hydrant")).scalar_one()
        round_id = db.execute(select(Round.id).where(Round.event_id == event.id)).scalar_one()
        e1 = db.execute(select(Judge.id).where(Judge.key == "e1")).scalar_one()
    assert committed(sessions, set_panel, round_id, ["e1", "e2"], "e2", actor="t")["chief"] == "e2"
    [access] = committed(sessions, renew_access, load_secret(tmp_path, None), [e1], actor="t")
    return round_id, access["link"]


@pytest.mark.parametrize("policy", ["enforced", "bypassed"])
def test_html_in_a_criterion_title_is_shown_as_text_and_never_runs(server, browser, tmp_path, policy):
    _, link = prepare(tmp_path)
    context = browser.new_context(viewport={"width": 1024, "height": 768}, bypass_csp=policy == "bypassed")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(server + link)
    assert response is not None and page.url.endswith("/judge")
    page.click("a:has-text('s01')")
    header = page.evaluate("async () => (await fetch(location.href)).headers.get('content-security-policy')")
    assert "script-src 'self'" in header and "frame-ancestors 'none'" in header
    title = page.locator(".crit[data-key=lay_hose] label")
    assert HOSTILE in title.inner_text()  # the title, shown as the text it is
    page.fill("#m-lay_hose", "12")
    page.locator("#m-lay_hose").dispatch_event("change")
    page.click("#review")  # the summary copies every title into a table
    summary = page.locator("#summary-table")
    summary.wait_for()
    assert HOSTILE in summary.inner_text()
    assert page.locator("#summary-table img, .crit img").count() == 0
    page.wait_for_timeout(300)  # an image error handler would have run by now
    assert dialogs == [] and page.evaluate("() => window.__xss") is None
    context.close()
