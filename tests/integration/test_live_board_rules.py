"""Rules of the live board found in review: a blind event shows drawn codes only, and counts in
no total, until it is published; a freeze hides where entries new since stand, and tells rounds
of the same key apart; an organiser's change to the roster is a change the boards hear of."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from sqlalchemy import select

from organiser.service import edit_team
from results.live_board import BoardBuilder
from results.live_controls import compute_board, frozen_view
from scoring.store.live import head
from scoring.store.models import EntryCode, Event, Round, Team
from tests.integration.stored_examples import StoredExample

TEAMS = [f"s{n:02d}" for n in range(1, 15)]


def test_a_blind_event_shows_codes_and_counts_in_no_total_until_it_is_published(
    stored_safety: StoredExample, tmp_path: Path
):
    sessions = stored_safety.sessions(tmp_path)
    with sessions.begin() as db:
        event = db.execute(select(Event).where(Event.key == "extinguisher")).scalar_one()
        event.blind = True
        round_id = db.execute(select(Round.id).where(Round.event_id == event.id)).scalar_one()
        db.add_all([EntryCode(round_id=round_id, entry_key=t, code=f"B{n:02d}") for n, t in enumerate(TEAMS, 1)])
    for view in ("public", "provisional"):
        with sessions() as db:
            board = compute_board(db, BoardBuilder(1, view), head(db, 1))
        shown = next(r for r in board["rounds"] if r["id"] == round_id)["rows"]
        assert sorted(r["entry"] for r in shown) == [f"code:B{n:02d}" for n in range(1, 15)]
        assert all(r["name"]["zh"].startswith("B") and r["unit"] == {"zh": "", "en": ""} for r in shown)
        assert "s01" not in str(next(e for e in board["events"] if e["key"] == "extinguisher"))
        assert "extinguisher" not in board["overall"]["events"] and board["overall"]["partial"] is True
    with sessions.begin() as db:
        db.get(Round, round_id).publication = "notice"  # published: the names show
    with sessions() as db:
        board = compute_board(db, BoardBuilder(1, "public"), head(db, 1))
    assert sorted(r["entry"] for r in next(r for r in board["rounds"] if r["id"] == round_id)["rows"]) == TEAMS
    assert "extinguisher" in board["overall"]["events"]


def _row(entry: str, place: str, score: str) -> dict[str, Any]:
    return {"entry": entry, "name": {"zh": entry, "en": entry}, "unit": {"zh": "", "en": ""}, "place": place,
            "score": score, "award": None, "pending": False}  # fmt: skip


def _board(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "overall": {"rows": []},
        "events": [],
        "rounds": rounds,
        "individuals": [],
        "units": [],
        "quiz": [],
        "stage": [],
        "ticker": [],
    }


def test_a_freeze_hides_where_new_entries_stand_and_tells_rounds_of_the_same_key_apart():
    frozen = _board(
        [
            {"id": 1, "key": "final", "rows": [_row("a", "1", "9.0")]},
            {"id": 2, "key": "final", "rows": []},
        ]
    )
    live = _board(
        [
            {"id": 1, "key": "final", "rows": [_row("a", "1", "9.0")]},
            {"id": 2, "key": "final", "rows": [_row("z", "1", "8.0"), _row("m", "2", "7.0"), _row("b", "3", "6.0")]},
        ]
    )
    shown = frozen_view(copy.deepcopy(frozen), live)
    first, second = shown["rounds"]
    assert first["rows"] == [_row("a", "1", "9.0")]  # unchanged, and nothing of round 2 in it
    assert [(r["entry"], r["place"], r["score"], r["pending"]) for r in second["rows"]] == [
        ("b", "", "", True),
        ("m", "", "", True),
        ("z", "", "", True),
    ]  # in entry order, never in the order they now stand


def test_an_organisers_roster_edit_is_a_change_the_boards_hear_of(stored_safety: StoredExample, tmp_path: Path):
    sessions = stored_safety.sessions(tmp_path)
    with sessions() as db:
        before = head(db, 1)
        team = db.execute(select(Team).where(Team.key == "s01")).scalar_one()
        team_id, unit_key = team.id, team.unit_key
    with sessions.begin() as db:
        edit_team(db, team_id, "新名字", "New name", unit_key, actor="test")
    builder = BoardBuilder(1, "public")
    with sessions() as db:
        assert head(db, 1) == before + 1
        board = compute_board(db, builder, head(db, 1))
    assert next(r for r in board["overall"]["rows"] if r["entry"] == "s01")["name"] == {
        "zh": "新名字",
        "en": "New name",
    }
