"""A judging round seen on the live boards through a running server: each sheet a judge submits
moves the provisional board (the chief judge's), never the public one; the chief's lock moves
the public board, which then shows the round's results as the provisional board had them.

On a copy of the stored safety example: the organiser reopens the extinguisher round and seats
a fourth judge, who marks every team."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from scoring.store.database import make_engine, session_factory
from scoring.store.models import Event, Judge, PanelSeat, Round
from tests.integration.live_clients import Viewer, cookie_of, organiser, post
from tests.integration.stored_examples import StoredExample
from tests.serving import serve_store

TEAMS = [f"s{n:02d}" for n in range(1, 15)]


@pytest.fixture
def venue(stored_safety: StoredExample, tmp_path: Path) -> Iterator[dict[str, Any]]:
    with serve_store(tmp_path, stored_safety.database) as base:
        with session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))() as db:
            round_id = db.scalar(
                select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == "extinguisher")
            )
            seats = db.execute(
                select(Judge.key, Judge.id, PanelSeat.chief)
                .join(PanelSeat, PanelSeat.judge_id == Judge.id)
                .where(PanelSeat.round_id == round_id)
            ).all()
            fourth = db.scalar(select(Judge.id).where(Judge.key == "e4"))
        yield {"base": base, "round": round_id, "seats": seats, "e4": fourth, "organiser": organiser(base)}


def signed_in(venue: dict[str, Any], judge_id: int) -> httpx.Client:
    link = post(venue["organiser"], f"/api/admin/judges/{judge_id}/access")["link"]
    client = httpx.Client(base_url=venue["base"], headers={"Origin": venue["base"]}, timeout=30)
    assert client.get(link, follow_redirects=False).status_code in (302, 303)
    return client


def rows_of(board: dict[str, Any], round_id: int) -> dict[str, str]:
    return {r["entry"]: r["score"] for r in next(x for x in board["rounds"] if x["id"] == round_id)["rows"]}


def test_a_judge_submitting_moves_the_provisional_board_and_the_lock_the_public_one(venue):
    org, round_id = venue["organiser"], venue["round"]
    chief_key, chief_id = next((key, id_) for key, id_, chief in venue["seats"] if chief)
    post(org, f"/api/admin/rounds/{round_id}/publication", {"state": "open"})
    keys = [key for key, _, _ in venue["seats"]] + ["e4"]
    answer = org.put(f"/api/admin/rounds/{round_id}/panel", json={"judges": keys, "chief": chief_key})
    assert answer.status_code == 200, answer.text
    chief, judge = signed_in(venue, chief_id), signed_in(venue, venue["e4"])

    public, provisional = Viewer(venue["base"]), Viewer(venue["base"], "view=provisional", cookie_of(chief))
    public.receive()
    provisional.receive()
    before = rows_of(provisional.board, round_id)
    assert sorted(before) == TEAMS and rows_of(public.board, round_id) == {}  # reopened: not public

    template = chief.get(f"/api/chief/sheets/{round_id}/s01/{keys[0]}").json()["marks"]
    generous = {key: ("1" if value in ("0", "1") else value) for key, value in template.items()}
    for n, team in enumerate(TEAMS):
        body = {"action": "submit", "base_version": 0, "client_id": f"e4-{team}-live", "marks": generous}
        answer = judge.put(f"/api/judge/sheets/{round_id}/{team}", json=body | {"device": "tablet-e4"})
        assert answer.status_code == 200, answer.text
        if n == 0:  # the first sheet: the provisional board moves, the public one does not
            provisional.receive()
            public.receive()
            assert rows_of(provisional.board, round_id)["s01"] != before["s01"]
            assert rows_of(public.board, round_id) == {}
    locked = chief.post(f"/api/chief/rounds/{round_id}/lock")
    assert locked.status_code == 200, locked.text
    while rows_of(public.board, round_id) == {}:
        public.receive()
    while provisional.seq is not None and public.seq is not None and provisional.seq < public.seq:
        provisional.receive()
    assert rows_of(public.board, round_id) == rows_of(provisional.board, round_id)
    assert public.board["ticker"][0]["text"]["en"].endswith("locked")
    for each in (public, provisional):
        each.close()
