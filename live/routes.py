"""The live boards' routes: the WebSocket every board reads (/live/{key}/ws) and the board as
JSON (/live/{key}/board.json), as docs/live-protocol.md says.

Who may read which view is decided here: the public view is anyone's; the provisional view is
for organisers and for chief judges of a round of the competition (checked in a short read
when the socket opens; the socket then holds no session). The hub (live/hub.py) does the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime
from typing import Annotated, Any

import anyio
from litestar import Controller, Litestar, Request, WebSocket, get, websocket
from litestar.channels import ChannelsPlugin
from litestar.exceptions import (
    NotFoundException,
    PermissionDeniedException,
    ServiceUnavailableException,
    WebSocketDisconnect,
)
from litestar.params import QueryParameter
from sqlalchemy import select
from sqlalchemy.orm import Session

from live.hub import GONE, HEARTBEAT, PROTOCOL, SNAPSHOT, TOO_SLOW, Hub, Stream, Viewer, encode
from scoring.store.models import Competition, Event, PanelSeat, Round
from web.auth import Principal, principal_async, principal_of
from web.database import Database, InjectedDatabase
from web.params import PathKey

VIEWS = ("public", "provisional")
RECHECK_SECONDS = 30.0
FORBIDDEN = 4403
TRY_AGAIN_LATER = 1013


def may_see_provisional(db: Session, who: Principal, competition_id: int) -> bool:
    """Organisers, and chief judges of any round of the competition."""
    if who.role == "organiser":
        return who.competition_id in (None, competition_id)
    if who.role == "judge" and who.judge_id is not None:
        found = db.execute(
            select(PanelSeat.id)
            .join(Round, Round.id == PanelSeat.round_id)
            .join(Event, Event.id == Round.event_id)
            .where(
                PanelSeat.judge_id == who.judge_id, PanelSeat.chief.is_(True), Event.competition_id == competition_id
            )
            .limit(1)
        ).first()
        return found is not None
    return False


def competition_for(database: Database, key: str, view: str, who: Principal) -> int | str:
    """The competition's id, or why not: "missing" (no such competition, or an unknown view)
    or "forbidden" (the provisional view without the right to it)."""
    if view not in VIEWS:
        return "missing"
    with database.read() as db:
        found = db.execute(select(Competition.id).where(Competition.key == key)).scalar_one_or_none()
        if found is None:
            return "missing"
        if view == "provisional" and not may_see_provisional(db, who, found):
            return "forbidden"
        return int(found)


def start_live_hub(app: Litestar) -> None:
    """On start-up: this process's hub, woken by the competitions' live channels."""
    app.state.live_hub = Hub(app.state.database, app.plugins.get(ChannelsPlugin))


async def stop_live_hub(app: Litestar) -> None:
    """On shutdown: every viewer is told to reconnect (1012)."""
    hub = app.state.get("live_hub")
    if hub is not None:
        await hub.close()


def hub_of(app: Any) -> Hub:
    hub: Hub = app.state.live_hub
    return hub


class LiveController(Controller):
    path = "/live"
    tags = ["live boards"]  # noqa: RUF012

    @get("/{key:str}/board.json")
    async def board_json(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: PathKey,
        view: Annotated[str, QueryParameter()] = "public",
    ) -> dict[str, Any]:
        """The current board of a view and its seq, as the socket's snapshot would carry it."""
        found = await anyio.to_thread.run_sync(competition_for, database, key, view, await principal_async(request))
        if found == "missing":
            raise NotFoundException("no such competition")
        if found == "forbidden":
            raise PermissionDeniedException("the provisional view is for organisers and chief judges")
        assert isinstance(found, int)
        try:
            seq, board = await hub_of(request.app).board(found, view)
        except TimeoutError:
            raise ServiceUnavailableException("the board is not ready; try again shortly") from None
        return {"protocol": PROTOCOL, "seq": seq, "board": board}

    @websocket("/{key:str}/ws")
    async def board_socket(self, socket: WebSocket[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> None:
        """A snapshot, then every change as an update; heartbeats in silence (docs/live-protocol.md)."""
        view = socket.query_params.get("view", "public")
        since_text = socket.query_params.get("since", "")
        since = int(since_text) if since_text.isascii() and since_text.isdigit() and len(since_text) < 12 else None
        found = await anyio.to_thread.run_sync(competition_for, database, key, view, await principal_async(socket))
        await socket.accept()  # then closed with a code the client reads, when refused
        if found == "missing":
            await socket.close(code=4404, reason="no such competition")
            return
        if found == "forbidden":
            await socket.close(code=4403, reason="the provisional view is for organisers and chief judges")
            return
        assert isinstance(found, int)
        hub = hub_of(socket.app)
        try:
            stream, viewer = await hub.join(found, view, since)
        except TimeoutError:
            await socket.close(code=TRY_AGAIN_LATER, reason="the board is not ready; reconnect")
            return
        still_allowed = None
        if view == "provisional":  # signing out or a renewed judge's access ends the view too
            still_allowed = asyncio.create_task(_recheck(database, key, socket, viewer))
        try:
            await _serve(socket, stream, viewer)
        finally:
            hub.leave(stream, viewer)
            if still_allowed is not None:
                still_allowed.cancel()


async def _recheck(database: Database, key: str, socket: WebSocket[Any, Any, Any], viewer: Viewer) -> None:
    """Every RECHECK_SECONDS, whether the provisional view's reader may still see it (their
    session read again from the store); if not, the socket is closed with 4403."""
    while True:
        await asyncio.sleep(RECHECK_SECONDS)

        def check() -> int | str:
            socket.scope.get("state", {}).pop("principal", None)  # the session read afresh
            return competition_for(database, key, "provisional", principal_of(socket))

        found = await anyio.to_thread.run_sync(check)
        if not isinstance(found, int):
            viewer.stop(FORBIDDEN)
            return


async def _serve(socket: WebSocket[Any, Any, Any], stream: Stream, viewer: Viewer) -> None:
    """Send the viewer's queue until the socket closes. A reader task reads (and ignores) what
    the client sends, which is how a closed socket is noticed: it then stops the viewer, which
    wakes the sender. No task, future or timer is made per message (thousands of viewers): the
    hub's watchdog queues heartbeats and cancels a send stuck longer than SEND_TIMEOUT."""

    async def receive() -> None:
        try:
            while True:
                await socket.receive_data(mode="text")
        except (WebSocketDisconnect, OSError, RuntimeError):
            pass
        finally:
            viewer.stop(GONE)

    reader = asyncio.create_task(receive())
    try:
        while True:
            seq, frame = await viewer.queue.get()
            if viewer.close_code is not None:
                if viewer.close_code != GONE:
                    await socket.close(code=viewer.close_code, reason="reconnect with since")
                return
            if frame == SNAPSHOT:
                seq, frame = stream.snapshot()
            elif frame == HEARTBEAT:
                seq = viewer.sent_seq
                frame = encode({"type": "heartbeat", "protocol": PROTOCOL, "seq": seq, "at": _now()})
            elif seq <= viewer.sent_seq:
                continue  # a snapshot sent since already holds it
            viewer.sending_since = time.monotonic()
            await socket.send_text(frame)
            viewer.sending_since = None
            viewer.last_sent = time.monotonic()
            viewer.sent_seq = seq
    except asyncio.CancelledError:
        if viewer.close_code != TOO_SLOW:
            raise
        with contextlib.suppress(Exception):  # the watchdog: a send stuck longer than SEND_TIMEOUT
            await socket.close(code=TOO_SLOW, reason="too slow: reconnect with since")
    except (WebSocketDisconnect, OSError, RuntimeError):
        return
    finally:
        reader.cancel()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
