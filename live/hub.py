"""The live hub of one server process: each competition's boards kept current and sent to
every viewer, as docs/live-protocol.md says.

A stream is a competition in one view (public or provisional). When a competition's seq is
announced on `live:{id}` (web/channels.py; from this process or, through Redis, from
another), or every POLL_SECONDS in case an announcement was lost, the competition's one
refresher reads the changes since the seq its streams hold from the store, rescores what they
name (results/live_board.py), applies the freeze and the ceremony to the public board
(results/live_controls.py), and sends each stream's viewers one update: the sections that
changed, with `seq` and `prev`. The board is computed once per batch of changes whatever the
number of viewers, and each message is encoded once.

Each viewer has its own bounded queue. A full queue is emptied and replaced by one snapshot
(the viewer then carries on from the snapshot's seq); a viewer whose queue overflows again and
again, or whose send takes longer than SEND_TIMEOUT, is closed with 4408 (reconnect with
since). Litestar's channels only wake the refresher (their backlog is bounded, oldest dropped):
no viewer is ever a channel subscriber, so no pitfall of theirs reaches a viewer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
from litestar.channels import ChannelsPlugin
from sqlalchemy.orm import Session

from results.live_board import BoardBuilder
from results.live_controls import compute_board, control_status, public_view
from scoring.store.database import snapshot_read
from scoring.store.live import changes_since, head
from web.channels import live_channel
from web.database import Database

log = logging.getLogger("scoring")

PROTOCOL = 1
QUEUE_SIZE = 64
HISTORY = 256
HEARTBEAT_SECONDS = 15.0
SEND_TIMEOUT = 10.0
POLL_SECONDS = 5.0
OVERFLOWS_BEFORE_CLOSE = 3  # in a minute
TOO_SLOW = 4408
RESTARTING = 1012
GONE = 1000  # the client closed: nothing more to send

SNAPSHOT = "snapshot"  # a queue item: send the stream's current snapshot
HEARTBEAT = "heartbeat"  # a queue item: send a heartbeat
JOIN_TIMEOUT = 30.0  # a board that cannot be computed this long: the viewer is told to try later
WATCH_SECONDS = 1.0  # how often the watchdog looks for idle viewers and stuck sends


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


@dataclass(eq=False)
class Viewer:
    """One open socket's queue of (seq, frame) to send; (0, SNAPSHOT) stands for a snapshot."""

    queue: asyncio.Queue[tuple[int, str]] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    overflows: deque[float] = field(default_factory=deque)
    close_code: int | None = None
    sent_seq: int = -1  # the seq of the last snapshot or update sent
    last_sent: float = field(default_factory=time.monotonic)
    sending_since: float | None = None  # while a send is under way
    sender: asyncio.Task[Any] | None = None  # cancelled by the watchdog when a send is stuck

    def offer(self, seq: int, frame: str) -> None:
        if self.close_code is not None:
            return
        try:
            self.queue.put_nowait((seq, frame))
            return
        except asyncio.QueueFull:
            pass
        while not self.queue.empty():  # too slow: its backlog goes, a snapshot replaces it
            self.queue.get_nowait()
        now = time.monotonic()
        self.overflows.append(now)
        while self.overflows and self.overflows[0] < now - 60:
            self.overflows.popleft()
        if len(self.overflows) > OVERFLOWS_BEFORE_CLOSE:
            self.stop(TOO_SLOW)
        else:
            self.queue.put_nowait((0, SNAPSHOT))

    def stop(self, code: int) -> None:
        if self.close_code is not None:
            return  # already told why
        self.close_code = code
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait((0, ""))  # wakes the sender, which closes


@dataclass
class Stream:
    """A competition's board in one view, the updates kept for resuming, and its viewers."""

    builder: BoardBuilder
    board: dict[str, Any] | None = None
    seq: int = 0
    history: deque[tuple[int, int, str]] = field(default_factory=lambda: deque(maxlen=HISTORY))  # (prev, seq, frame)
    viewers: set[Viewer] = field(default_factory=set)
    _snapshot: tuple[int, str] | None = None

    def snapshot(self) -> tuple[int, str]:
        """The current board as a snapshot frame (encoded once per seq)."""
        if self._snapshot is None or self._snapshot[0] != self.seq:
            frame = encode({"type": "snapshot", "protocol": PROTOCOL, "seq": self.seq, "board": self.board})
            self._snapshot = (self.seq, frame)
        return self._snapshot

    def resume(self, since: int) -> list[tuple[int, str]] | None:
        """The kept updates after `since`, in order (None when they are not all kept)."""
        if since == self.seq:
            return []
        found: list[tuple[int, str]] = []
        expected = since
        for prev, seq, frame in self.history:
            if seq <= since:
                continue
            if prev != expected:
                return None
            found.append((seq, frame))
            expected = seq
        return found if expected == self.seq and found else None

    def advance(self, seq: int, board: dict[str, Any]) -> None:
        """Move to the board at `seq` and send each viewer the sections that changed."""
        old = self.board or {}
        changed = {k: v for k, v in board.items() if old.get(k) != v}
        frame = encode({"type": "update", "protocol": PROTOCOL, "seq": seq, "prev": self.seq, "board": changed})
        self.history.append((self.seq, seq, frame))
        self.seq, self.board = seq, board
        for viewer in list(self.viewers):
            viewer.offer(seq, frame)


@dataclass
class _Competition:
    streams: dict[str, Stream] = field(default_factory=dict)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    listener: asyncio.Task[None] | None = None


class Hub:
    """This process's live streams (one hub per app, made at start-up)."""

    def __init__(self, database: Database, channels: ChannelsPlugin | None) -> None:
        self._database = database
        self._channels = channels
        self._competitions: dict[int, _Competition] = {}
        self._watchdog: asyncio.Task[None] | None = None
        self.computed = 0  # boards computed (tests, benchmarks)

    def wake(self, competition_id: int) -> None:
        found = self._competitions.get(competition_id)
        if found is not None:
            found.wake.set()

    async def join(self, competition_id: int, view: str, since: int | None) -> tuple[Stream, Viewer]:
        """A new viewer of the stream, its queue primed with the updates after `since` or a snapshot."""
        state = self._competition(competition_id)
        stream = state.streams.get(view)
        if stream is None:
            stream = state.streams[view] = Stream(BoardBuilder(competition_id, view))
        if stream.board is None:
            state.wake.set()
            async with asyncio.timeout(JOIN_TIMEOUT):  # TimeoutError: the caller says try later
                while stream.board is None:
                    state.ready.clear()
                    await state.ready.wait()
        viewer = Viewer(sender=asyncio.current_task())
        self._watching()
        resumed = stream.resume(since) if since is not None else None
        if since is None or resumed is None or len(resumed) >= QUEUE_SIZE:
            viewer.queue.put_nowait((0, SNAPSHOT))
        else:
            for item in resumed:
                viewer.queue.put_nowait(item)
            viewer.sent_seq = since
        stream.viewers.add(viewer)
        return stream, viewer

    def leave(self, stream: Stream, viewer: Viewer) -> None:
        stream.viewers.discard(viewer)

    def _watching(self) -> None:
        if self._watchdog is None or self._watchdog.done():
            self._watchdog = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        """Heartbeats for viewers idle HEARTBEAT_SECONDS, and 4408 for a send stuck longer than
        SEND_TIMEOUT: one timer for all viewers instead of two per message sent."""
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            now = time.monotonic()
            for state in self._competitions.values():
                for stream in state.streams.values():
                    for viewer in list(stream.viewers):
                        if viewer.sending_since is not None and now - viewer.sending_since > SEND_TIMEOUT:
                            viewer.close_code = TOO_SLOW
                            if viewer.sender is not None:
                                viewer.sender.cancel()
                        elif now - viewer.last_sent > HEARTBEAT_SECONDS and viewer.queue.empty():
                            viewer.last_sent = now
                            viewer.queue.put_nowait((0, HEARTBEAT))

    async def board(self, competition_id: int, view: str) -> tuple[int, dict[str, Any]]:
        """The stream's current (seq, board), computed if nobody watches it yet."""
        stream, viewer = await self.join(competition_id, view, None)
        self.leave(stream, viewer)
        assert stream.board is not None
        return stream.seq, stream.board

    def viewers(self) -> int:
        return sum(len(s.viewers) for c in self._competitions.values() for s in c.streams.values())

    async def close(self) -> None:
        """On shutdown: every viewer is told to reconnect (1012); refreshers stop."""
        for state in self._competitions.values():
            for stream in state.streams.values():
                for viewer in list(stream.viewers):
                    viewer.stop(RESTARTING)
            for task in (state.task, state.listener):
                if task is not None:
                    task.cancel()
        if self._watchdog is not None:
            self._watchdog.cancel()
        await asyncio.sleep(0.05)  # the senders close their sockets

    def _competition(self, competition_id: int) -> _Competition:
        state = self._competitions.get(competition_id)
        if state is None:
            state = self._competitions[competition_id] = _Competition()
            state.task = asyncio.get_running_loop().create_task(self._refresher(competition_id, state))
            if self._channels is not None:
                state.listener = asyncio.get_running_loop().create_task(self._listen(competition_id, state))
        return state

    async def _listen(self, competition_id: int, state: _Competition) -> None:
        assert self._channels is not None
        pause = 1.0
        while True:  # listening again after a failure (Redis gone a while); the poll covers the gap
            try:
                async with self._channels.start_subscription([live_channel(competition_id)]) as subscriber:
                    pause = 1.0
                    async for _ in subscriber.iter_events():
                        state.wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live hub: listening to competition %s failed; again in %.0f s", competition_id, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, 30.0)

    async def _refresher(self, competition_id: int, state: _Competition) -> None:
        while True:
            try:
                await asyncio.wait_for(state.wake.wait(), POLL_SECONDS)
            except TimeoutError:
                pass
            state.wake.clear()
            streams = dict(state.streams)
            try:
                found = await anyio.to_thread.run_sync(self._compute, competition_id, streams)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live hub: could not refresh competition %s", competition_id)
                for stream in streams.values():
                    stream.builder.forget()
                await asyncio.sleep(1)
                continue
            for view, (seq, board) in found.items():
                stream = streams[view]
                if stream.board is None:
                    stream.seq, stream.board = seq, board
                else:
                    stream.advance(seq, board)
            state.ready.set()

    def _compute(self, competition_id: int, streams: dict[str, Stream]) -> dict[str, tuple[int, dict[str, Any]]]:
        """In a worker thread, in one read of the store: each stream's board at the newest seq
        (only streams behind it)."""
        found: dict[str, tuple[int, dict[str, Any]]] = {}
        with self._reading() as db:
            now = head(db, competition_id)
            for view, stream in streams.items():
                if stream.board is not None and stream.seq >= now:
                    continue
                try:  # each view on its own: one that fails holds up neither the other nor its viewers' hub
                    if stream.board is None:
                        stream.builder.forget()
                    else:
                        stream.builder.note(changes_since(db, competition_id, stream.seq, now))
                    live = compute_board(db, stream.builder, now)
                    if view == "public":
                        board = public_view(db, competition_id, now, live)
                    else:
                        board = live | {"status": control_status(db, competition_id, now)}
                except Exception:
                    log.exception("live hub: the %s board of competition %s failed", view, competition_id)
                    stream.builder.forget()  # rebuilt from nothing at the next change or poll
                    continue
                found[view] = (now, board)
                self.computed += 1
        return found

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """One consistent read that blocks no writer (scoring/store/database.py `snapshot_read`),
        so a board and its seq agree."""
        with self._database.read() as db:
            snapshot_read(db)
            yield db
