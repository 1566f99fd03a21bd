"""The results projector kept current by the app: after each committed change to a sheet, the
competition's provisional standings equal a full recompute, and the change is announced."""

from __future__ import annotations

from results.from_store import View, results_from_store
from scoring.store.sheets import current_sheets
from tests.integration.world import ok
from web import results_feed


def rows(standings: list) -> list[tuple]:
    return [(s.entry, s.score, s.place, s.shared) for s in standings]


def full(venue) -> list[tuple]:
    with venue["sessions"]() as db:
        got = results_from_store(db, "safety-culture-2023", View.PROVISIONAL)
    assert got.overall is not None
    return rows(got.overall.standings)


def test_a_corrected_sheet_moves_the_standings_as_a_full_recompute_does(venue, monkeypatch):
    organiser, chief, hydrant = venue["organiser"], venue["chief"], venue["hydrant"]
    heard: list[tuple[str, dict]] = []
    monkeypatch.setattr(results_feed, "announce", lambda app, channel, message: heard.append((channel, message)))
    feed = chief.app.state.results_feed
    before = rows(feed.standings("safety-culture-2023"))
    assert before == full(venue)
    ok(organiser.post(f"/api/admin/rounds/{hydrant}/publication", json={"state": "open"}))
    with venue["sessions"]() as db:
        sheets = [(e, j, v) for e, j, v in current_sheets(db, hydrant)]
    last = before[-1][0]  # the last team: its hydrant drill re-marked higher on every sheet
    for entry, judge, version in [s for s in sheets if s[0] == last]:
        marks = dict(version.marks) | {"lay_hose": "15", "hit_target": "20"}
        ok(
            chief.post(
                f"/api/chief/sheets/{hydrant}/{entry}/{judge}",
                json={
                    "action": "correct",
                    "base_version": version.version,
                    "client_id": f"fix-sheet-{judge}",
                    "marks": marks,
                    "reason": "re-marked from the video",
                },
            )
        )
    feed.wait()
    after = rows(feed.standings("safety-culture-2023"))
    assert after == full(venue)
    score = {entry: total for entry, total, _, _ in after}
    assert score[last] > before[-1][1]  # the team's overall rose with its corrected drill
    assert heard and all(channel == "results:safety-culture-2023" for channel, _ in heard)
    assert all(m["type"] == "standings" and not m["whole"] for _, m in heard)  # kept, not rebuilt
    assert last in {entry for _, m in heard for entry in m["entries"]}
    assert all("score" not in m for _, m in heard)  # names only: screens fetch what they may see
