"""The live hub on its own (no sockets): a slow viewer's backlog is dropped and replaced by a
snapshot while a fast viewer receives every update in order, and a viewer that overflows again
and again is closed with 4408; changes committed while nobody was told still arrive (the poll)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import anyio

import live.hub
from live.hub import QUEUE_SIZE, SNAPSHOT, TOO_SLOW, Hub, Viewer
from scoring.store.live import record_change
from tests.integration.stored_examples import StoredExample
from web.database import Database


def test_a_slow_viewer_gets_a_snapshot_and_never_slows_a_fast_one(stored_safety: StoredExample, tmp_path: Path):
    database = Database(stored_safety.sessions(tmp_path))

    def change() -> None:
        with database.transaction() as db:
            record_change(db, 1, "publication")

    async def run() -> tuple[list[dict[str, Any]], Viewer, Viewer]:
        hub = Hub(database, None)
        stream, fast = await hub.join(1, "public", None)
        _, slow = await hub.join(1, "public", None)
        assert fast.queue.get_nowait() == (0, SNAPSHOT) and slow.queue.get_nowait() == (0, SNAPSHOT)
        received: list[dict[str, Any]] = []
        start = stream.seq
        for n in range(1, QUEUE_SIZE + 11):
            await anyio.to_thread.run_sync(change)
            hub.wake(1)
            seq, frame = await asyncio.wait_for(fast.queue.get(), 10)  # the fast one reads each at once
            received.append(json.loads(frame))
            assert seq == start + n
        assert slow.queue.qsize() <= QUEUE_SIZE
        overflowed = slow.queue.get_nowait()
        assert overflowed == (0, SNAPSHOT)  # its backlog dropped: it carries on from a snapshot
        snapshot_seq, snapshot = stream.snapshot()
        assert snapshot_seq == start + QUEUE_SIZE + 10 and json.loads(snapshot)["type"] == "snapshot"
        for _ in range(4 * (QUEUE_SIZE + 1)):  # overflowing again and again: closed
            await anyio.to_thread.run_sync(change)
            hub.wake(1)
            await asyncio.wait_for(fast.queue.get(), 10)
        await hub.close()
        return received, fast, slow

    received, fast, slow = asyncio.run(run())
    assert [(m["prev"], m["seq"]) for m in received] == [(m["seq"] - 1, m["seq"]) for m in received]
    assert slow.close_code == TOO_SLOW
    assert fast.close_code == live.hub.RESTARTING  # told to reconnect when the hub closed


def test_a_change_nobody_announced_still_reaches_the_viewers(stored_safety: StoredExample, tmp_path, monkeypatch):
    monkeypatch.setattr(live.hub, "POLL_SECONDS", 0.2)
    database = Database(stored_safety.sessions(tmp_path))

    async def run() -> tuple[int, int]:
        hub = Hub(database, None)
        stream, viewer = await hub.join(1, "public", None)
        viewer.queue.get_nowait()
        before = stream.seq
        with database.transaction() as db:  # committed, never announced (a lost pub/sub message)
            record_change(db, 1, "publication")
        seq, _ = await asyncio.wait_for(viewer.queue.get(), 10)
        await hub.close()
        return before, seq

    before, seq = asyncio.run(run())
    assert seq == before + 1
