"""Announcing changes to open screens through Litestar's channels.

A channel is named after what changed (`round:{id}` for a round's sheets). A message says only
what changed, never marks: a screen that hears it fetches what it is allowed to see over its
own guarded route. The embedded default keeps channels in process memory; with several server
processes, SCORING_REDIS_URL makes them share channels through Redis pub/sub (chosen here and
nowhere else).

Route handlers that run in worker threads announce through the event loop captured at
start-up, because the channels' queue belongs to that loop. Announcing never fails a request:
a screen that misses a message catches up on its next fetch.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from litestar import Litestar
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend

log = logging.getLogger("scoring")


def channels_plugin(redis_url: str | None = None) -> ChannelsPlugin:
    """In memory (one server process), or through Redis pub/sub when several processes serve."""
    if redis_url:
        from redis.asyncio import Redis

        from web.redis_batches import BatchedRedisBackend

        backend: Any = BatchedRedisBackend(redis=Redis.from_url(redis_url), key_prefix="SCORING_CHANNELS")
    else:
        backend = MemoryChannelsBackend()
    # A subscriber's backlog is bounded and drops its oldest messages: a live hub needs only the
    # newest seq, and a chief's console refetches whatever it hears.
    return ChannelsPlugin(
        backend=backend,
        arbitrary_channels_allowed=True,
        subscriber_max_backlog=256,
        subscriber_backlog_strategy="dropleft",
    )


def round_channel(round_id: int) -> str:
    return f"round:{round_id}"


def remember_loop(app: Litestar) -> None:
    """On start-up: keep the event loop and its thread, for announcements from worker threads."""
    app.state.live_loop = asyncio.get_running_loop()
    app.state.live_thread = threading.get_ident()


def announce(app: Litestar, channel: str, message: dict[str, Any]) -> None:
    """Tell the channel's subscribers that something changed (after the change is committed)."""
    try:
        plugin = app.plugins.get(ChannelsPlugin)
        loop = app.state.get("live_loop")
        if loop is None or loop.is_closed():
            return
        if threading.get_ident() == app.state.get("live_thread"):
            plugin.publish(message, channel)
        else:
            loop.call_soon_threadsafe(plugin.publish, message, channel)
    except Exception:  # a missed announcement is caught up by the screen's next fetch
        log.exception("could not announce on %s", channel)


def live_channel(competition_id: int) -> str:
    """Where a competition's committed live seqs are announced (`{"seq": n}`): the boards' hub
    in every server process listens, then reads the changes themselves from the store."""
    return f"live:{competition_id}"


def announce_live_changes(app: Litestar, seqs: list[tuple[int, int]]) -> None:
    """After a commit: announce each competition's newest recorded seq on its live channel."""
    newest: dict[int, int] = {}
    for competition_id, seq in seqs:
        newest[competition_id] = max(seq, newest.get(competition_id, 0))
    for competition_id, seq in newest.items():
        announce(app, live_channel(competition_id), {"seq": seq})
