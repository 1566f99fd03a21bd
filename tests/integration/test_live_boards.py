"""The live boards' protocol against a running server (uvicorn on a copy of the stored safety
example, every round locked): a snapshot with the competition's seq, then each change as an
update that follows it, resuming with since, a snapshot where updates are no longer kept, the
provisional view for organisers only, heartbeats; freeze hides and the ceremony reveals, and
nothing counted after a freeze ever reaches the public."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

import live.hub
from results.from_store import View, results_from_store
from scoring.decimals import decimal_text
from scoring.store.database import make_engine, session_factory
from scoring.store.live import head
from tests.integration.live_clients import KEY, Viewer, cookie_of, organiser, post, rows
from tests.integration.stored_examples import StoredExample
from tests.serving import serve_store


@pytest.fixture
def server(stored_safety: StoredExample, tmp_path: Path) -> Iterator[dict[str, Any]]:
    with serve_store(tmp_path, stored_safety.database) as base:
        sessions = session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))
        yield {"base": base, "sessions": sessions, "organiser": organiser(base)}


def round_id(board: dict[str, Any], event: str) -> int:
    return int(next(r["id"] for r in board["rounds"] if r["event"] == event))


def publish(server: dict[str, Any], round_: int, state: str) -> None:
    post(server["organiser"], f"/api/admin/rounds/{round_}/publication", {"state": state})


def test_a_snapshot_with_the_seq_then_each_change_as_an_update_and_a_resume_with_since(server):
    with server["sessions"]() as db:
        seq = head(db, 1)
        expected = results_from_store(db, KEY, View.LOCKED).overall
    assert expected is not None
    viewer, other = Viewer(server["base"]), Viewer(server["base"])
    first = viewer.receive()
    assert first["type"] == "snapshot" and first["seq"] == seq
    assert first["board"]["view"] == "public" and not first["board"]["overall"]["partial"]
    assert [(r["entry"], r["place"], r["score"]) for r in first["board"]["overall"]["rows"]] == [
        (s.entry, s.place_label, decimal_text(s.score)) for s in expected.standings
    ]
    other.receive()

    hydrant = round_id(first["board"], "hydrant")
    publish(server, hydrant, "open")  # reopened: the public no longer counts it
    update = viewer.receive()
    assert (update["type"], update["prev"], update["seq"]) == ("update", seq, seq + 1)
    assert update["board"]["overall"]["partial"] is True
    assert "hydrant" not in update["board"]["overall"]["events"]
    assert next(r for r in update["board"]["rounds"] if r["id"] == hydrant)["rows"] == []
    assert "competition" not in update["board"]  # only the sections that changed
    assert other.receive()["seq"] == seq + 1  # every viewer, in the same order

    publish(server, hydrant, "locked")
    viewer.until(seq + 2)
    assert viewer.board["overall"]["rows"] == first["board"]["overall"]["rows"]  # the same marks again

    resumed = Viewer(
        server["base"], f"since={seq}", holding=(seq, first["board"])
    )  # it missed two updates: it gets both
    assert [(m["type"], m.get("prev"), m["seq"]) for m in (resumed.receive(), resumed.receive())] == [
        ("update", seq, seq + 1),
        ("update", seq + 1, seq + 2),
    ]
    assert resumed.board["overall"] == viewer.board["overall"]
    for since in (seq - 1, seq + 50):  # not kept (before this server's first board), or ahead
        fresh = Viewer(server["base"], f"since={since}")
        assert (fresh.receive()["type"], fresh.seq) == ("snapshot", seq + 2)
        fresh.close()
    for each in (viewer, other, resumed):
        each.close()


def test_the_provisional_view_is_for_organisers_and_says_so(server):
    refused = Viewer(server["base"], "view=provisional")
    with pytest.raises(ConnectionClosed) as closed:
        refused.receive()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
    with connect(server["base"].replace("http://", "ws://") + "/live/no-such/ws") as missing:
        with pytest.raises(ConnectionClosed) as gone:
            missing.recv(timeout=10)
    assert gone.value.rcvd is not None and gone.value.rcvd.code == 4404

    provisional = Viewer(server["base"], "view=provisional", cookie_of(server["organiser"]))
    public = Viewer(server["base"])
    assert provisional.receive()["board"]["view"] == "provisional"
    public.receive()
    hydrant = round_id(public.board, "hydrant")
    publish(server, hydrant, "open")
    provisional.receive()
    public.receive()
    # reopened, its locked sheets still count provisionally; the public waits for the lock
    assert provisional.board["overall"]["partial"] is False
    assert public.board["overall"]["partial"] is True
    for each in (provisional, public):
        each.close()


def test_heartbeats_keep_an_idle_socket_alive(server, monkeypatch):
    monkeypatch.setattr(live.hub, "HEARTBEAT_SECONDS", 0.3)
    monkeypatch.setattr(live.hub, "WATCH_SECONDS", 0.1)
    viewer = Viewer(server["base"])
    viewer.receive()
    message = viewer.socket.recv(timeout=5)  # the next frame: a heartbeat
    assert '"type":"heartbeat"' in message and f'"seq":{viewer.seq}' in message
    viewer.close()


def scores_of(board_rows: list[dict[str, Any]]) -> set[tuple[Any, Any]]:
    return {(r.get("entry", r.get("team")), r["score"]) for r in board_rows if r.get("score")}


def test_freeze_hides_later_results_from_the_public_and_the_ceremony_reveals_step_by_step(server):
    org = server["organiser"]
    public = Viewer(server["base"])
    provisional = Viewer(server["base"], "view=provisional", cookie_of(org))
    public.receive()
    provisional.receive()
    before = public.board
    post(org, f"/api/admin/competitions/{KEY}/live/freeze")
    public.receive()
    provisional.receive()
    assert public.board["status"]["frozen"] is True and provisional.board["status"]["frozen"] is True
    frozen = scores_of(rows(public.board))
    assert frozen == scores_of(rows(before))

    hydrant = round_id(before, "hydrant")
    publish(server, hydrant, "open")  # the public's live view would change every overall score
    public.receive()
    provisional.receive()
    assert public.board["overall"]["partial"] is False  # still the frozen board
    moved = [r for r in public.board["overall"]["rows"] if r["pending"]]
    assert moved, "entries whose results moved since the freeze are marked pending"
    publish(server, hydrant, "locked")
    public.receive()

    post(org, f"/api/admin/competitions/{KEY}/live/reveal", {"by": "entry"})
    public.receive()
    reveal = public.board["status"]["reveal"]
    last = before["overall"]["rows"][-1]
    assert (reveal["step"], reveal["of"], reveal["current"]) == (1, len(before["overall"]["rows"]), last["entry"])
    assert public.board["overall"]["rows"][-1] == last  # revealed: its final place, score and award
    assert all(r["pending"] for r in public.board["overall"]["rows"][:-1])

    joined = Viewer(server["base"])  # a screen joining midway shows the current step
    assert joined.receive()["board"]["status"]["reveal"] == reveal

    post(org, f"/api/admin/competitions/{KEY}/live/reveal", {"by": "award"})
    public.receive()
    step = public.board["status"]["reveal"]["step"]
    awarded = public.board["overall"]["rows"][-step:]
    assert step > 1 and len({str(r["award"]) for r in awarded[:-1]}) == 1  # one award's entries at once
    # nothing the public received after the freeze carries a score it did not have at the freeze
    for message in public.messages[2:]:
        assert scores_of(rows(message.get("board", {}))) <= frozen

    post(org, f"/api/admin/competitions/{KEY}/live/unfreeze")
    public.receive()
    assert public.board["status"] == {"frozen": False, "frozen_at": None, "reveal": None}
    assert public.board["overall"]["rows"] == before["overall"]["rows"]
    for each in (public, provisional, joined):
        each.close()


def test_freeze_and_reveal_refuse_what_makes_no_sense(server):
    org = server["organiser"]
    post(org, f"/api/admin/competitions/{KEY}/live/reveal", {"by": "entry"}, 409)
    post(org, f"/api/admin/competitions/{KEY}/live/unfreeze", None, 409)
    post(org, f"/api/admin/competitions/{KEY}/live/freeze")
    post(org, f"/api/admin/competitions/{KEY}/live/freeze", None, 409)
    status = org.get(f"/api/admin/competitions/{KEY}/live").json()
    assert status["frozen"] is True and status["reveal"] is None


def test_scoring_watch_prints_the_real_server_s_snapshot_and_updates_as_json_lines(server):
    """`scoring watch URL --json` against the running server: one JSON message a line."""
    import subprocess
    import sys

    from tests.helpers import ROOT

    command = [
        sys.executable,
        "-c",
        "from server.cli import main; main()",
        "watch",
        f"{server['base']}/live/{KEY}",
        "--json",
        "--count",
        "2",
    ]
    watcher = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert watcher.stdout is not None
    first = json.loads(watcher.stdout.readline())
    assert first["type"] == "snapshot"
    board = Viewer(server["base"])
    board.receive()
    publish(server, round_id(board.board, "hydrant"), "open")
    second = json.loads(watcher.stdout.readline())
    assert watcher.wait(timeout=30) == 0
    assert (second["type"], second["prev"], second["seq"]) == ("update", first["seq"], first["seq"] + 1)
    board.close()


def test_odd_since_values_get_a_snapshot(server):
    for since in ("-1", "abc", "%C2%B2", "9" * 40):  # %C2%B2 is "²", a digit to str.isdigit
        viewer = Viewer(server["base"], f"since={since}")
        assert viewer.receive()["type"] == "snapshot"
        viewer.close()
