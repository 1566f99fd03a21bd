"""The Redis channels backend publishes in batches (web/redis_batches.py): what is announced while
a send is under way goes out in one pipeline, a message identical to one still waiting once,
distinct ones in order, and a failed send neither raises nor stops later sends. Real Redis (the
`redis_url` fixture: skipped where absent, except in CI)."""

from __future__ import annotations

import asyncio
import uuid

from redis.asyncio import Redis

from web.redis_batches import BatchedRedisBackend


async def _received(redis_url: str, channel: str, send) -> tuple[list[bytes], BatchedRedisBackend]:
    listener = Redis.from_url(redis_url)
    pubsub = listener.pubsub()
    await pubsub.subscribe(channel)
    await pubsub.get_message(timeout=1)  # the subscription's confirmation
    backend = BatchedRedisBackend(redis=Redis.from_url(redis_url), key_prefix="TEST")
    await send(backend)
    await backend.on_shutdown()  # waits for what is still being sent
    got: list[bytes] = []
    while (message := await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)) is not None:
        got.append(message["data"])
    await pubsub.aclose()
    await listener.aclose()
    return got, backend


def test_messages_announced_together_go_in_one_pipeline_in_order_identical_ones_once(redis_url: str):
    channel = f"round:{uuid.uuid4().hex}"

    async def send(backend: BatchedRedisBackend) -> None:
        for n in (1, 2, 2, 1, 3):  # as the plugin's publishing task hands them over, one turn
            await backend.publish(f'{{"seq": {n}}}'.encode(), [channel])

    got, backend = asyncio.run(_received(redis_url, channel, send))
    assert got == [b'{"seq": 1}', b'{"seq": 2}', b'{"seq": 3}']
    assert backend.batches == 1


def test_messages_announced_after_a_send_go_in_the_next(redis_url: str):
    channel = f"round:{uuid.uuid4().hex}"

    async def send(backend: BatchedRedisBackend) -> None:
        await backend.publish(b"first", [channel])
        await asyncio.sleep(0.2)  # the first batch has gone
        await backend.publish(b"first", [channel])  # identical, but not to one still waiting
        await backend.publish(b"second", [channel])

    got, backend = asyncio.run(_received(redis_url, channel, send))
    assert got == [b"first", b"first", b"second"]
    assert backend.batches == 2


def test_a_failed_send_is_logged_and_later_sends_go_out(redis_url: str, caplog):
    channel = f"round:{uuid.uuid4().hex}"

    async def send(backend: BatchedRedisBackend) -> None:
        working = backend._redis
        backend._redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)  # nothing listens
        await backend.publish(b"lost", [channel])  # must not raise
        await asyncio.sleep(0.8)
        backend._redis = working
        await backend.publish(b"after", [channel])

    got, _ = asyncio.run(_received(redis_url, channel, send))
    assert got == [b"after"]
    assert "could not publish 1 message(s) to Redis" in caplog.text
