"""`scoring watch` against a small fake board server (the websockets library, in a thread): it
prints every message as a JSON line, reconnects by itself after 1012 with `since` set to the seq
it holds, reconnects at once with `since` after an update that skips a seq, and stops on 4404
with a message in both languages. The real server's tests join the live/ area."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from typer.testing import CliRunner

from server.cli import app as cli

Handler = Callable[[Any, int], Awaitable[None]]  # (connection, how many connections before it)


@contextmanager
def fake_board(handler: Handler) -> Iterator[tuple[int, list[str]]]:
    """A WebSocket server on a free port in its own thread; yields the port and the paths
    (with their query) that clients asked for, in order."""
    from websockets.asyncio.server import serve

    paths: list[str] = []
    ready = threading.Event()
    port: list[int] = []
    loop = asyncio.new_event_loop()
    stop = loop.create_future()

    async def on_connect(ws: Any) -> None:
        paths.append(ws.request.path)
        await handler(ws, len(paths) - 1)

    async def main() -> None:
        async with serve(on_connect, "127.0.0.1", 0) as server:
            port.append(next(iter(server.sockets)).getsockname()[1])
            ready.set()
            await stop

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10), "the fake board did not start"
    try:
        yield port[0], paths
    finally:
        loop.call_soon_threadsafe(stop.set_result, None)
        thread.join(timeout=10)
        loop.close()


def snapshot(seq: int, rows: list[dict[str, Any]] | None = None) -> str:
    board = {
        "competition": {"key": "demo", "name": {"zh": "演示赛", "en": "Demo"}},
        "view": "public",
        "status": {"frozen": False, "frozen_at": None, "reveal": None},
        "overall": {"title": {"zh": "总成绩", "en": "Overall"}, "partial": False, "rows": rows or []},
    }
    return json.dumps({"type": "snapshot", "protocol": 1, "seq": seq, "board": board})


def update(seq: int, prev: int) -> str:
    return json.dumps({"type": "update", "protocol": 1, "seq": seq, "prev": prev, "board": {"ticker": [seq]}})


def test_watch_json_reconnects_with_since_after_1012_and_after_a_gap_then_stops_on_4404():
    async def board(ws: Any, n: int) -> None:
        if n == 0:
            for message in (snapshot(1), update(2, 1), update(3, 2)):
                await ws.send(message)
            await ws.close(1012, "restarting")
        elif n == 1:  # the client asked since=3: carry on from it, then skip a seq
            await ws.send(update(4, 3))
            await ws.send(update(10, 9))
            await ws.wait_closed()  # the client leaves to resync
        else:
            await ws.send(snapshot(12))
            await ws.close(4404, "no such competition")

    with fake_board(board) as (port, paths):
        result = CliRunner().invoke(cli, ["watch", f"http://127.0.0.1:{port}/live/demo", "--json"])
    assert paths == ["/live/demo/ws", "/live/demo/ws?since=3", "/live/demo/ws?since=4"]
    lines = result.stdout.splitlines()
    messages = [json.loads(line) for line in lines]  # every line one JSON object, nothing else
    assert [(m["type"], m["seq"]) for m in messages] == [
        ("snapshot", 1),
        ("update", 2),
        ("update", 3),
        ("update", 4),
        ("update", 10),
        ("snapshot", 12),
    ]
    assert result.exit_code == 1
    assert "没有这个竞赛" in result.stderr and "no such competition (close code 4404)" in result.stderr
    assert "reconnecting" in result.stderr


def test_watch_draws_the_standings_and_stops_after_count_messages():
    rows = [
        {"entry": "t01", "name": {"zh": "一队", "en": "Team 1"}, "unit": {"zh": "一车间", "en": "Workshop 1"},
         "place": "1", "score": "93.50", "award": {"zh": "一等奖", "en": "First prize"}, "pending": False},
    ]  # fmt: skip

    async def board(ws: Any, n: int) -> None:
        await ws.send(snapshot(5, rows))
        await ws.wait_closed()

    with fake_board(board) as (port, _):
        result = CliRunner().invoke(
            cli,
            ["watch", f"ws://127.0.0.1:{port}/live/demo/ws", "--count", "1", "--lang", "en"],
            env={"COLUMNS": "160"},
        )
    assert result.exit_code == 0, result.output
    assert "Demo" in result.stdout and "Team 1" in result.stdout and "93.50" in result.stdout
    assert "First prize" in result.stdout and "seq 5" in result.stdout


def test_watch_refuses_a_url_that_is_not_a_board():
    result = CliRunner().invoke(cli, ["watch", "http://127.0.0.1:8000/results/demo"])
    assert result.exit_code == 2 and "/live/" in result.stderr
