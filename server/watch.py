"""`scoring watch`: a live board in a terminal, as a client of docs/live-protocol.md.

`BoardState` is the protocol's state machine, with no network: a snapshot replaces the board,
an update is applied only on top of the seq it was made from (its `prev` equals the seq held),
replacing the top-level sections it carries whole; anything else says the client must resync
(reconnect with `?since=<seq held>`). `follow` is the connection: it reads the socket, hands
each message to the caller and the state, reconnects by itself with backoff (1, 2, 4 ... 30 s)
after a close (4408 too slow, 1012 restarting, any other) or a network error or 40 s of
silence, and stops on 4404 (no such competition) and 4403 (no right to the provisional view).
`standings` draws the overall standings as a rich table.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from rich.table import Table
from rich.text import Text

PROTOCOL = 1
BACKOFF = (1, 30)  # first and longest wait before reconnecting, in seconds
SILENCE = 40.0  # no message for this long (heartbeats come every 15 s): reconnect
MAX_MESSAGE = 16 * 1024 * 1024
MAX_ROWS = 500  # rows drawn at most
STOP_CODES = {
    4404: ("没有这个竞赛", "no such competition"),
    4403: (
        "无权查看暂定成绩（需以组织者或裁判长身份登录）",
        "no right to the provisional view (organisers and chief judges only)",
    ),
}


class WatchStopped(Exception):
    """The board cannot be watched (a stop code, a wrong URL, a protocol we do not speak)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


class Outcome(Enum):
    SNAPSHOT = "snapshot"
    APPLIED = "applied"
    HEARTBEAT = "heartbeat"
    RESYNC = "resync"  # something was missed: reconnect with ?since=<seq held>
    IGNORED = "ignored"  # a message type this client does not know


def _seq(message: dict[str, Any], name: str) -> int:
    value = message.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise WatchStopped(f"消息的 {name} 不是非负整数", f"a message's {name} is not a non-negative integer")
    return value


@dataclass
class BoardState:
    """The board a client holds and the seq it is at (None before the first snapshot)."""

    seq: int | None = None
    board: dict[str, Any] = field(default_factory=dict)
    heartbeat_at: str | None = None

    def apply(self, message: object) -> Outcome:
        if not isinstance(message, dict):
            raise WatchStopped("消息不是 JSON 对象", "a message is not a JSON object")
        protocol = message.get("protocol")
        if protocol != PROTOCOL:
            raise WatchStopped(
                f"服务器使用协议版本 {protocol!r}，本程序只支持版本 {PROTOCOL}",
                f"the server speaks protocol {protocol!r}; this client speaks version {PROTOCOL}",
            )
        kind = message.get("type")
        if kind == "snapshot":
            board = message.get("board")
            if not isinstance(board, dict):
                raise WatchStopped("快照缺少 board", "a snapshot has no board")
            self.seq, self.board = _seq(message, "seq"), dict(board)
            return Outcome.SNAPSHOT
        if kind == "update":
            seq, prev = _seq(message, "seq"), _seq(message, "prev")
            board = message.get("board")
            if not isinstance(board, dict):
                raise WatchStopped("更新缺少 board", "an update has no board")
            if self.seq is None or prev != self.seq or seq < prev:
                return Outcome.RESYNC
            self.board = {**self.board, **board}  # each section whole: replaced, never merged inside
            self.seq = seq
            return Outcome.APPLIED
        if kind == "heartbeat":
            seq = _seq(message, "seq")
            self.heartbeat_at = str(message.get("at") or "")
            if self.seq is None or seq > self.seq:  # the stream is past what we hold: we missed something
                return Outcome.RESYNC
            return Outcome.HEARTBEAT
        return Outcome.IGNORED


# -- addresses ------------------------------------------------------------------------------------


def socket_url(url: str, since: int | None = None) -> str:
    """The board's WebSocket from a board page's URL (http://host/live/KEY, .../screen, ...) or the
    socket's own (ws://host/live/KEY/ws), keeping `view`; with `since` to resume."""
    parts = urlsplit(url.strip())
    schemes = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme not in schemes or not parts.netloc or len(segments) < 2 or segments[0] != "live":
        raise WatchStopped(
            f"地址应类似 http://127.0.0.1:8000/live/竞赛代码，而不是“{url}”",
            f"the URL should look like http://127.0.0.1:8000/live/COMPETITION, not '{url}'",
        )
    query: dict[str, str] = {}
    view = parse_qs(parts.query).get("view")
    if view:
        query["view"] = view[0]
    if since is not None:
        query["since"] = str(since)
    return urlunsplit((schemes[parts.scheme], parts.netloc, f"/live/{segments[1]}/ws", urlencode(query), ""))


# -- the connection -------------------------------------------------------------------------------

OnMessage = Callable[[dict[str, Any], Outcome], None]
OnLive = Callable[[bool, str], None]  # live or not, and why not (en)


async def follow(
    url: str,
    state: BoardState,
    on_message: OnMessage,
    on_live: OnLive = lambda live, why: None,
    count: int | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Keep `state` in step with the board at `url` until `count` messages were read (for ever
    with None); raises WatchStopped on a stop code or a message it cannot read."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

    wait, read = BACKOFF[0], 0
    resyncs = 0
    while True:
        target = socket_url(url, state.seq)
        why = "closed"
        try:
            async with connect(target, max_size=MAX_MESSAGE, open_timeout=10, compression=None) as ws:
                on_live(True, "")
                while True:
                    raw = await asyncio.wait_for(ws.recv(), SILENCE)
                    try:
                        message = json.loads(raw)
                    except ValueError:
                        raise WatchStopped("收到的消息不是 JSON", "a message is not JSON") from None
                    outcome = state.apply(message)
                    on_message(message, outcome)
                    read += 1
                    if count is not None and read >= count:
                        return
                    if outcome is Outcome.RESYNC:
                        why = f"missed a change; resuming from seq {state.seq}"
                        break
                    wait, resyncs = BACKOFF[0], 0
        except ConnectionClosed as exc:
            code = exc.rcvd.code if exc.rcvd is not None else None
            if code in STOP_CODES:
                zh, en = STOP_CODES[code]
                raise WatchStopped(f"{zh}（关闭码 {code}）", f"{en} (close code {code})") from None
            why = f"closed with code {code}" if code is not None else "connection lost"
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in (403, 404):
                code = 4403 if status == 403 else 4404
                zh, en = STOP_CODES[code]
                raise WatchStopped(f"{zh}（HTTP {status}）", f"{en} (HTTP {status})") from None
            why = f"HTTP {status}"
        except (OSError, TimeoutError, WebSocketException) as exc:
            why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        on_live(False, why)
        if why.startswith("missed") and resyncs == 0:
            resyncs += 1  # a gap: resume at once the first time
            continue
        await sleep(wait)
        wait = min(wait * 2, BACKOFF[1])


# -- the table ------------------------------------------------------------------------------------


def _text(value: object, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or value.get("en") or "")
    return "" if value is None else str(value)


def _section(board: dict[str, Any], name: str) -> dict[str, Any]:
    found = board.get(name)
    return found if isinstance(found, dict) else {}


def standings(state: BoardState, lang: str = "zh", live: bool = True) -> Table:
    """The overall standings: place, name, unit, score, award; pending rows marked; the view,
    a freeze or a reveal and whether the board is live in the title."""
    board = state.board
    zh = lang == "zh"
    overall, status = _section(board, "overall"), _section(board, "status")
    name = _text(_section(board, "competition").get("name"), lang)
    tags = []
    if board.get("view") == "provisional":
        tags.append("暂定成绩" if zh else "provisional")
    if status.get("frozen"):
        tags.append(("已冻结 " if zh else "frozen ") + str(status.get("frozen_at") or ""))
    reveal = status.get("reveal")
    if isinstance(reveal, dict):
        tags.append(("揭晓 " if zh else "reveal ") + f"{reveal.get('step')}/{reveal.get('of')}")
    if overall.get("partial"):
        tags.append("部分赛项" if zh else "partial")
    if not live:
        tags.append("未连接，正在重连" if zh else "not live, reconnecting")
    if state.seq is None:
        tags.append("等待数据" if zh else "waiting for the board")
    title = " · ".join(
        t for t in [name, _text(overall.get("title"), lang) or ("总成绩" if zh else "Overall"), *tags] if t.strip()
    )
    table = Table(title=title, caption=f"seq {state.seq}" if state.seq is not None else None)
    for header, justify in (
        ("名次", "Place"),
        ("名称", "Name"),
        ("单位", "Unit"),
        ("成绩", "Score"),
        ("奖项", "Award"),
    ):
        table.add_column(header if zh else justify, justify="right" if justify in ("Place", "Score") else "left")
    found = overall.get("rows")
    rows: list[Any] = found if isinstance(found, list) else []
    for row in rows[:MAX_ROWS]:
        if not isinstance(row, dict):
            continue
        pending = bool(row.get("pending"))
        mark = ("待揭晓" if zh else "pending") if pending else ""
        table.add_row(
            str(row.get("place") or ("…" if pending else "")),
            _text(row.get("name"), lang) or str(row.get("entry") or ""),
            _text(row.get("unit"), lang),
            str(row.get("score") or ("…" if pending else "")),
            _text(row.get("award"), lang) or mark,
            style="dim" if pending else None,
        )
    if len(rows) > MAX_ROWS:
        table.add_row("", Text(f"… +{len(rows) - MAX_ROWS}"), "", "", "")
    return table
