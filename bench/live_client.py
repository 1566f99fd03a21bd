"""The live boards' load client: many WebSocket viewers in one process, cheap enough not to be
the bottleneck (bench/bench_live.py runs it in a process of its own, apart from the server).

Each viewer is an asyncio Protocol on a raw TCP connection (no WebSocket library): it sends the
HTTP upgrade itself (GET with Upgrade headers and a random Sec-WebSocket-Key, no extensions
offered, so the server never compresses), checks the 101 and Sec-WebSocket-Accept, then reads
server frames with `FrameParser` (unmasked; 7-, 16- and 64-bit lengths; fragments; ping
answered with a masked pong; close answered and recorded). A text frame is timestamped with
time.monotonic_ns() (CLOCK_MONOTONIC, one clock for every process of the machine) when its
bytes arrive, and its type, seq and prev are read with a bytes search in its first bytes: a
frame is json-parsed only when "board" comes before "seq" (a server that orders keys otherwise).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import re
import struct
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, BINARY, CLOSE, PING, PONG, CONTINUATION = 1, 2, 8, 9, 10, 0
KINDS = {b"snapshot": 1, b"update": 2, b"heartbeat": 3}  # the type of a text frame, as a number
OTHER = 9  # a text frame of another type (or none)
HEAD = 256  # how far into a frame its type, seq and prev are looked for
SEQ = re.compile(rb'"seq"\s*:\s*(\d+)')
PREV = re.compile(rb'"prev"\s*:\s*(\d+)')
TYPE = re.compile(rb'"type"\s*:\s*"(\w+)"')
BOARD = b'"board"'


def accept_key(key: bytes) -> bytes:
    """The Sec-WebSocket-Accept a server must answer to `key` (RFC 6455, 4.2.2)."""
    return base64.b64encode(hashlib.sha1(key + GUID).digest())


def upgrade_request(host: str, port: int, path: str, key: bytes, origin: str | None = None) -> bytes:
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key.decode()}",
        "Sec-WebSocket-Version: 13",
    ]
    if origin:
        lines.append(f"Origin: {origin}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def check_upgrade(head: bytes, key: bytes) -> str | None:
    """None when `head` (the response up to its blank line) accepts the upgrade; else why not."""
    lines = head.split(b"\r\n")
    status = lines[0].split(b" ", 2)
    if len(status) < 2 or status[1] != b"101":
        return lines[0].decode("latin-1")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if headers.get(b"upgrade", b"").lower() != b"websocket":
        return "101 without Upgrade: websocket"
    if headers.get(b"sec-websocket-accept") != accept_key(key):
        return "wrong Sec-WebSocket-Accept"
    if headers.get(b"sec-websocket-extensions"):
        return "an extension was not offered but accepted"
    return None


def client_frame(opcode: int, payload: bytes = b"") -> bytes:
    """A masked client frame (FIN set), as every frame a client sends must be."""
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    repeated = (mask * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(n, "big") if n else b""
    return head + mask + masked


class ProtocolError(Exception):
    pass


class FrameParser:
    """Server-to-client frames from a byte stream: `feed` returns the complete messages,
    (opcode, payload), fragments joined; control frames come out as they arrive."""

    __slots__ = ("buf", "fragment_opcode", "fragments")

    def __init__(self) -> None:
        self.buf = bytearray()
        self.fragments: list[bytes] = []
        self.fragment_opcode = 0

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        if not self.buf and not self.fragments and len(data) >= 4:  # the common case: one whole frame
            b0, b1 = data[0], data[1]
            if b0 & 0xF0 == 0x80 and not b1 & 0x80:
                length, start = b1, 2
                if length == 126:
                    length, start = (data[2] << 8) | data[3], 4
                if length < 127 and len(data) == start + length and (b0 & 0x0F) in (TEXT, BINARY):
                    return [(b0 & 0x0F, data[start:])]
        buf = self.buf
        buf += data
        out: list[tuple[int, bytes]] = []
        while len(buf) >= 2:
            b0, b1 = buf[0], buf[1]
            if b0 & 0x70:
                raise ProtocolError("reserved bits set: no extension was negotiated")
            fin, opcode = b0 & 0x80, b0 & 0x0F
            masked, length = b1 & 0x80, b1 & 0x7F
            start = 2
            if length == 126:
                if len(buf) < 4:
                    break
                length = (buf[2] << 8) | buf[3]
                start = 4
            elif length == 127:
                if len(buf) < 10:
                    break
                length = struct.unpack_from("!Q", buf, 2)[0]
                start = 10
            if masked:  # a server must not mask (RFC 6455, 5.1); unmasked here all the same
                start += 4
            end = start + length
            if len(buf) < end:
                break
            payload = bytes(buf[start:end])
            if masked:
                key = bytes(buf[start - 4 : start])
                repeated = (key * (length // 4 + 1))[:length]
                payload = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(length, "big")
            del buf[:end]
            if opcode >= 8:
                if not fin or length > 125:
                    raise ProtocolError("a control frame fragmented or longer than 125 bytes")
                out.append((opcode, payload))
            elif opcode == CONTINUATION:
                if not self.fragments:
                    raise ProtocolError("a continuation with nothing to continue")
                self.fragments.append(payload)
                if fin:
                    out.append((self.fragment_opcode, b"".join(self.fragments)))
                    self.fragments = []
            elif self.fragments:
                raise ProtocolError("a new message before the last one's final fragment")
            elif fin:
                out.append((opcode, payload))
            else:
                self.fragment_opcode = opcode
                self.fragments = [payload]
        return out


def message_head(payload: bytes) -> tuple[int, int, int]:
    """(kind, seq, prev) of a text frame, -1 for what it lacks; read from its first bytes."""
    head = payload[:HEAD]
    if head.startswith(b'{"type":"update","protocol":1,"seq":'):  # compact JSON in the documented order
        seq_end = head.find(b",", 36)
        if head.startswith(b'"prev":', seq_end + 1):
            prev_end = head.find(b",", seq_end + 8)
            if seq_end != -1 and prev_end != -1 and head.startswith(b'"board"', prev_end + 1):
                try:
                    return KINDS[b"update"], int(head[36:seq_end]), int(head[seq_end + 8 : prev_end])
                except ValueError:
                    pass
    seq = SEQ.search(head)
    board = head.find(BOARD)
    if seq is None or (board != -1 and board < seq.start()):
        try:
            message = json.loads(payload)
        except ValueError:
            return OTHER, -1, -1
        if not isinstance(message, dict):
            return OTHER, -1, -1
        kind = KINDS.get(str(message.get("type", "")).encode(), OTHER)
        return kind, int(message.get("seq", -1)), int(message.get("prev", -1))
    kind_match = TYPE.search(head, 0, seq.start())
    if kind_match is None:
        kind_match = TYPE.search(head)
    prev = PREV.search(head, seq.end())
    if prev is not None and board != -1 and prev.start() > board:
        prev = None
    return (
        KINDS.get(kind_match.group(1), OTHER) if kind_match else OTHER,
        int(seq.group(1)),
        int(prev.group(1)) if prev else -1,
    )


class Viewer(asyncio.Protocol):
    """One board on a raw connection: records (kind, seq, prev, arrival ns) per text frame."""

    def __init__(self, host: str, port: int, path: str, origin: str | None) -> None:
        self.key = base64.b64encode(os.urandom(16))
        self.request = upgrade_request(host, port, path, self.key, origin)
        self.upgraded: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self.head = b""
        self.parser = FrameParser()
        self.transport: asyncio.Transport | None = None
        self.log = array("q")  # kind, seq, prev, t: four numbers per text frame
        self.last_seq = -1
        self.close_code = -1  # the code of a close frame the server sent
        self.lost = False
        self.error = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports are not subclasses
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        if not self.upgraded.done():
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end == -1:
                return
            refused = check_upgrade(self.head[:end], self.key)
            data, self.head = self.head[end + 4 :], b""
            self.upgraded.set_result(refused)
            if refused:
                self.abort()
                return
            if not data:
                return
        now = time.monotonic_ns()
        try:
            messages = self.parser.feed(data)
        except ProtocolError as exc:
            self.error = str(exc)
            self.abort()
            return
        for opcode, payload in messages:
            if opcode == TEXT:
                kind, seq, prev = message_head(payload)
                self.log.extend((kind, seq, prev, now))
                if seq > self.last_seq:
                    self.last_seq = seq
            elif opcode == PING and self.transport is not None:
                self.transport.write(client_frame(PONG, payload))
            elif opcode == CLOSE:
                self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                if self.transport is not None:
                    self.transport.write(client_frame(CLOSE, payload[:2]))
                    self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if not self.upgraded.done():
            self.upgraded.set_result(f"connection lost before the upgrade: {exc}")

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(client_frame(CLOSE, struct.pack("!H", 1000)))
            self.transport.close()


@dataclass
class Crowd:
    """The viewers of one run, connected round-robin to the targets (host, port, path)."""

    viewers: list[Viewer] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)  # why an upgrade failed: how many

    async def connect(
        self, targets: list[tuple[str, int, str]], count: int, *, in_flight: int = 100, timeout: float = 30.0
    ) -> None:
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(in_flight)

        async def one(i: int) -> None:
            host, port, path = targets[i % len(targets)]
            viewer: Viewer | None = None
            async with gate:
                try:
                    _, viewer = await loop.create_connection(
                        lambda: Viewer(host, port, path, f"http://{host}:{port}"), host, port
                    )
                    refused = await asyncio.wait_for(asyncio.shield(viewer.upgraded), timeout)
                except (OSError, TimeoutError) as exc:
                    refused = f"{type(exc).__name__}: {exc}"
            if refused is None and viewer is not None:
                self.viewers.append(viewer)
            else:
                self.refused[refused or "?"] = self.refused.get(refused or "?", 0) + 1
                if viewer is not None:
                    viewer.abort()

        await asyncio.gather(*(one(i) for i in range(count)))

    def reached(self, seq: int) -> int:
        """How many viewers hold `seq` or later."""
        return sum(1 for v in self.viewers if v.last_seq >= seq)

    def logs(self) -> list[bytes]:
        return [v.log.tobytes() for v in self.viewers]

    def close(self) -> None:
        for viewer in self.viewers:
            viewer.close()


def frames_of(log: bytes) -> Iterable[tuple[int, int, int, int]]:
    """A viewer's log back as (kind, seq, prev, arrival ns) tuples."""
    numbers = array("q")
    numbers.frombytes(log)
    for i in range(0, len(numbers), 4):
        yield numbers[i], numbers[i + 1], numbers[i + 2], numbers[i + 3]


def run_client(conn: Any, targets: list[tuple[str, int, str]], count: int) -> None:
    """The client process: connect `count` viewers, report, then answer the driver's commands
    on `conn` (a multiprocessing Connection): ("reached", seq) -> count; ("report",) -> logs, end."""
    raise_open_files()
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - the plain loop is slower, still correct
        pass
    asyncio.run(_serve_driver(conn, targets, count))


async def _serve_driver(conn: Any, targets: list[tuple[str, int, str]], count: int) -> None:
    crowd = Crowd()
    started = time.monotonic()
    await crowd.connect(targets, count)
    deadline = time.monotonic() + 10  # each viewer's first frame (the snapshot) before the driver starts
    while any(v.last_seq < 0 and not v.lost for v in crowd.viewers) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    snapshot = max((v.last_seq for v in crowd.viewers), default=-1)
    conn.send(("connected", len(crowd.viewers), crowd.refused, time.monotonic() - started, snapshot))
    loop = asyncio.get_running_loop()
    while True:  # the pipe is read in a thread: a loop's reader would make it non-blocking
        command = await loop.run_in_executor(None, conn.recv)
        if command[0] == "reached":
            conn.send((crowd.reached(command[1]), os.times()))
        elif command[0] == "report":
            closes: dict[int, int] = {}
            for v in crowd.viewers:
                if v.close_code != -1 or v.lost:
                    closes[v.close_code] = closes.get(v.close_code, 0) + 1
            conn.send((crowd.logs(), closes, [v.error for v in crowd.viewers if v.error][:3]))
            break
    crowd.close()
    await asyncio.sleep(0.2)


def raise_open_files() -> tuple[int, int]:
    """The soft limit on open files raised to the hard one; (soft, hard) after."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)
