"""`scoring watch`'s client of docs/live-protocol.md without a network: the state machine
(snapshot, updates applied only on the seq they were made from, sections replaced whole,
heartbeats, gaps that need a resync), the socket's address, and the standings table."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console

from server.watch import BoardState, Outcome, WatchStopped, socket_url, standings


def row(entry: str, place: str, score: str, **extra: Any) -> dict[str, Any]:
    return {
        "entry": entry,
        "name": {"zh": f"{entry}队", "en": f"Team {entry}"},
        "unit": {"zh": "一车间", "en": "Workshop 1"},
        "place": place,
        "score": score,
        "award": None,
        "pending": False,
    } | extra


BOARD = {
    "competition": {"key": "demo", "name": {"zh": "演示赛", "en": "Demo contest"}, "logo": None},
    "view": "public",
    "status": {"frozen": False, "frozen_at": None, "reveal": None},
    "overall": {"title": {"zh": "总成绩", "en": "Overall"}, "partial": True, "events": ["drill"], "rows": []},
    "events": [{"key": "drill", "rows": []}],
    "ticker": [],
}


def snapshot(seq: int, board: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "snapshot", "protocol": 1, "seq": seq, "board": board if board is not None else BOARD}


def update(seq: int, prev: int, **sections: Any) -> dict[str, Any]:
    return {"type": "update", "protocol": 1, "seq": seq, "prev": prev, "board": sections}


def heartbeat(seq: int) -> dict[str, Any]:
    return {"type": "heartbeat", "protocol": 1, "seq": seq, "at": "2026-11-29T10:15:00+00:00"}


def test_a_snapshot_is_the_whole_board_at_its_seq():
    state = BoardState()
    assert state.seq is None
    assert state.apply(snapshot(41)) is Outcome.SNAPSHOT
    assert state.seq == 41 and state.board == BOARD
    assert state.apply(snapshot(50, {"view": "public"})) is Outcome.SNAPSHOT  # a fresh snapshot replaces all
    assert state.seq == 50 and state.board == {"view": "public"}


def test_an_update_on_the_seq_held_replaces_the_sections_it_carries_whole():
    state = BoardState()
    state.apply(snapshot(41))
    overall = {"title": {"zh": "总成绩", "en": "Overall"}, "partial": False, "rows": [row("t01", "1", "93.50")]}
    assert state.apply(update(43, 41, overall=overall)) is Outcome.APPLIED  # prev < seq - 1: coalesced
    assert state.seq == 43
    assert state.board["overall"] == overall  # replaced: "events" inside the old section is gone
    assert "events" not in state.board["overall"]
    assert state.board["events"] == BOARD["events"] and state.board["ticker"] == []  # absent: unchanged
    assert state.apply(update(44, 43)) is Outcome.APPLIED  # an empty board moves the seq only
    assert state.seq == 44 and state.board["overall"] == overall


def test_an_update_that_does_not_follow_the_seq_held_asks_for_a_resync_and_changes_nothing():
    state = BoardState()
    assert state.apply(update(2, 1, ticker=[])) is Outcome.RESYNC  # nothing held yet
    state.apply(snapshot(41))
    before = dict(state.board)
    for message in (update(43, 42, ticker=["x"]), update(41, 40, ticker=["x"]), update(40, 41, ticker=["x"])):
        assert state.apply(message) is Outcome.RESYNC
        assert state.seq == 41 and state.board == before
    assert state.apply(update(42, 41, ticker=["y"])) is Outcome.APPLIED  # the right one still applies


def test_a_heartbeat_says_the_stream_is_alive_or_that_something_was_missed():
    state = BoardState()
    state.apply(snapshot(43))
    assert state.apply(heartbeat(43)) is Outcome.HEARTBEAT
    assert state.heartbeat_at == "2026-11-29T10:15:00+00:00" and state.seq == 43
    assert state.apply(heartbeat(45)) is Outcome.RESYNC and state.seq == 43
    assert BoardState().apply(heartbeat(1)) is Outcome.RESYNC


def test_unknown_types_are_ignored_and_broken_or_newer_messages_stop_the_client():
    state = BoardState()
    state.apply(snapshot(1))
    assert state.apply({"type": "confetti", "protocol": 1, "seq": 9}) is Outcome.IGNORED and state.seq == 1
    broken: list[object] = [
        [],
        {"type": "snapshot", "protocol": 2, "seq": 1, "board": {}},
        {"type": "snapshot", "seq": 1, "board": {}},
        {"type": "snapshot", "protocol": 1, "seq": "1", "board": {}},
        {"type": "snapshot", "protocol": 1, "seq": True, "board": {}},
        {"type": "snapshot", "protocol": 1, "seq": 1, "board": []},
        {"type": "update", "protocol": 1, "seq": 2, "board": {}},
        {"type": "update", "protocol": 1, "seq": 2, "prev": -1, "board": {}},
        {"type": "update", "protocol": 1, "seq": 2, "prev": 1, "board": None},
    ]
    for bad in broken:
        with pytest.raises(WatchStopped) as stopped:
            state.apply(bad)
        assert stopped.value.zh and stopped.value.en
    assert state.seq == 1


@pytest.mark.parametrize(
    ("url", "since", "expected"),
    [
        ("http://host:8000/live/demo", None, "ws://host:8000/live/demo/ws"),
        ("https://scores.example.org/live/demo/screen?lang=en", None, "wss://scores.example.org/live/demo/ws"),
        ("http://host/live/demo?view=provisional&board=overall", 7, "ws://host/live/demo/ws?view=provisional&since=7"),
        ("ws://host:8000/live/demo/ws", 0, "ws://host:8000/live/demo/ws?since=0"),
        ("wss://host/live/demo/ws?since=3", 5, "wss://host/live/demo/ws?since=5"),
        ("http://host/live/demo/quiz/7", None, "ws://host/live/demo/ws"),
    ],
)
def test_the_socket_of_a_board(url, since, expected):
    assert socket_url(url, since) == expected


@pytest.mark.parametrize(
    "url", ["host:8000/live/demo", "ftp://host/live/demo", "http://host/results/demo", "http://host/live"]
)
def test_a_url_that_is_not_a_board_is_refused_in_both_languages(url):
    with pytest.raises(WatchStopped) as refused:
        socket_url(url)
    assert "/live/" in refused.value.zh and "/live/" in refused.value.en


def _drawn(state: BoardState, lang: str = "zh", live: bool = True) -> str:
    console = Console(record=True, width=200)
    console.print(standings(state, lang, live))
    return console.export_text()


def test_the_standings_show_places_scores_awards_and_pending_rows():
    state = BoardState()
    assert "等待数据" in _drawn(state)
    rows = [
        row("t01", "1", "93.50", award={"zh": "一等奖", "en": "First prize"}),
        row("t02", "=2", "90.00"),
        row("t03", "=2", "90.00"),
        row("t04", "", "", pending=True),
    ]
    board = BOARD | {
        "view": "provisional",
        "status": {"frozen": True, "frozen_at": "2026-11-29T10:00:00+00:00", "reveal": {"step": 2, "of": 4}},
        "overall": {"title": {"zh": "总成绩", "en": "Overall"}, "partial": False, "rows": rows},
    }
    state.apply(snapshot(12, board))
    zh = _drawn(state)
    assert "演示赛" in zh and "暂定成绩" in zh and "已冻结" in zh and "揭晓 2/4" in zh and "seq 12" in zh
    assert "t01队" in zh and "93.50" in zh and "一等奖" in zh and "=2" in zh and "待揭晓" in zh
    en = _drawn(state, "en", live=False)
    assert "Demo contest" in en and "provisional" in en and "frozen" in en and "not live" in en
    assert "Team t04" in en and "pending" in en and "First prize" in en and "Workshop 1" in en
