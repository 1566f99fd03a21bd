"""The live benchmark's load client (bench/live_client.py) reads frames and upgrades correctly:
the frame parser on hand-made frames of every length encoding, split anywhere, and the client
against a real `websockets` server (upgrade, text frames, a ping answered, a close recorded,
a refused path). Figures are the benchmark's business: nothing here is timed."""

from __future__ import annotations

import asyncio
import json
import struct

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.http11 import Request, Response

from bench.live_client import (
    CLOSE,
    KINDS,
    OTHER,
    PING,
    TEXT,
    Crowd,
    FrameParser,
    ProtocolError,
    accept_key,
    check_upgrade,
    client_frame,
    frames_of,
    message_head,
)


def server_frame(opcode: int, payload: bytes, fin: bool = True) -> bytes:
    """An unmasked frame as a server sends it, in the shortest length encoding."""
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        return struct.pack("!BB", first, n) + payload
    if n < 1 << 16:
        return struct.pack("!BBH", first, 126, n) + payload
    return struct.pack("!BBQ", first, 127, n) + payload


def test_the_three_length_encodings_fed_whole_and_byte_by_byte() -> None:
    payloads = [b"x" * 5, b"y" * 125, b"z" * 126, b"w" * 65535, b"v" * 65536, b"u" * 200_000]
    stream = b"".join(server_frame(TEXT, p) for p in payloads)
    assert FrameParser().feed(stream) == [(TEXT, p) for p in payloads]
    parser, got = FrameParser(), []
    for i in range(0, len(stream), 7):  # split at every awkward place: headers, lengths, payloads
        got += parser.feed(stream[i : i + 7])
    assert got == [(TEXT, p) for p in payloads]
    assert not parser.buf
    for p in payloads:  # one whole frame a read: the parser's short way
        assert FrameParser().feed(server_frame(TEXT, p)) == [(TEXT, p)]


def test_fragments_are_joined_around_a_control_frame() -> None:
    stream = server_frame(TEXT, b"ab", fin=False) + server_frame(PING, b"p") + server_frame(0, b"cd")
    assert FrameParser().feed(stream) == [(PING, b"p"), (TEXT, b"abcd")]


def test_a_close_and_what_a_server_must_not_send() -> None:
    assert FrameParser().feed(server_frame(CLOSE, struct.pack("!H", 4408))) == [(CLOSE, b"\x118")]  # 4408
    with pytest.raises(ProtocolError):
        FrameParser().feed(b"\xc1\x01x")  # RSV1: compression that was never negotiated
    with pytest.raises(ProtocolError):
        FrameParser().feed(server_frame(0, b"x"))  # a continuation of nothing


def test_a_client_frame_is_masked_and_reads_back() -> None:
    for payload in (b"", b"hi", b"\x03\xe8", b"q" * 300):
        frame = client_frame(TEXT, payload)
        assert frame[1] & 0x80  # the mask bit
        assert FrameParser().feed(frame) == [(TEXT, payload)]


def test_the_head_of_a_message_is_read_without_parsing_it() -> None:
    update = {"type": "update", "protocol": 1, "seq": 43, "prev": 41, "board": {"ticker": [{"seq": 40}]}}
    assert message_head(json.dumps(update).encode()) == (KINDS[b"update"], 43, 41)
    snapshot = {"type": "snapshot", "protocol": 1, "seq": 7, "board": {"ticker": [{"seq": 6, "prev": 5}]}}
    assert message_head(json.dumps(snapshot).encode()) == (KINDS[b"snapshot"], 7, -1)
    board_first = {"board": {"ticker": [{"seq": 1}] * 50}, "type": "update", "seq": 9, "prev": 8}
    assert message_head(json.dumps(board_first).encode()) == (KINDS[b"update"], 9, 8)
    assert message_head(b'{"type":"heartbeat","protocol":1,"seq":3,"at":"x"}') == (KINDS[b"heartbeat"], 3, -1)
    assert message_head(b"not json") == (OTHER, -1, -1)
    compact = json.dumps(update, separators=(",", ":")).encode()  # the short way for the documented order
    assert message_head(compact) == (KINDS[b"update"], 43, 41)
    assert message_head(compact.replace(b'"prev":41', b'"prev":"x"')) == (KINDS[b"update"], 43, -1)


def test_the_upgrade_answer_is_checked() -> None:
    key = b"dGhlIHNhbXBsZSBub25jZQ=="
    assert accept_key(key) == b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455's example
    good = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    assert check_upgrade(good + b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", key) is None
    assert check_upgrade(good + b"Sec-WebSocket-Accept: wrong", key) == "wrong Sec-WebSocket-Accept"
    assert check_upgrade(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0", key) == "HTTP/1.1 404 Not Found"


def test_viewers_against_a_websockets_server() -> None:
    asyncio.run(against_a_server())


async def against_a_server() -> None:
    pongs: list[bool] = []
    big = "x" * 70_000  # a 64-bit length

    async def board(ws: ServerConnection) -> None:
        await ws.send(json.dumps({"type": "snapshot", "protocol": 1, "seq": 1, "board": {}}))
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 5)  # answered only if our pong is a valid masked frame
        pongs.append(True)
        await ws.send(json.dumps({"type": "update", "protocol": 1, "seq": 2, "prev": 1, "board": {"b": "y" * 500}}))
        await ws.send(json.dumps({"type": "update", "protocol": 1, "seq": 3, "prev": 2, "board": {"b": big}}))
        await ws.close(4408, "too slow")

    def only_the_board(connection: ServerConnection, request: Request) -> Response | None:
        return None if request.path == "/live/t/ws" else connection.respond(404, "no such board\n")

    async with serve(board, "127.0.0.1", 0, process_request=only_the_board) as server:
        port = server.sockets[0].getsockname()[1]
        crowd = Crowd()
        await crowd.connect([("127.0.0.1", port, "/live/t/ws")], 3)
        refused = Crowd()
        await refused.connect([("127.0.0.1", port, "/nowhere")], 1)
        for _ in range(500):  # until every viewer saw the close (a guard, not a measure)
            if all(v.lost for v in crowd.viewers):
                break
            await asyncio.sleep(0.01)

    assert len(crowd.viewers) == 3 and not crowd.refused
    assert pongs == [True, True, True]
    for viewer in crowd.viewers:
        frames = list(frames_of(viewer.log.tobytes()))
        assert [(kind, seq, prev) for kind, seq, prev, _ in frames] == [
            (KINDS[b"snapshot"], 1, -1),
            (KINDS[b"update"], 2, 1),
            (KINDS[b"update"], 3, 2),
        ]
        assert [t for *_, t in frames] == sorted(t for *_, t in frames)
        assert viewer.close_code == 4408 and viewer.last_seq == 3 and not viewer.error
    assert refused.refused == {"HTTP/1.1 404 Not Found": 1}
