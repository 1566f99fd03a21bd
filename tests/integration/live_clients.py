"""Small clients the live boards' tests share: a viewer on the WebSocket that checks the
protocol as it reads (every update follows the seq it holds), and an organiser over HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

KEY = "safety-culture-2023"


class Viewer:
    """A board's socket: holds the board and its seq and refuses to apply an update that does
    not follow what it holds (the test fails there: a gap)."""

    def __init__(
        self, base: str, query: str = "", cookie: str = "", holding: tuple[int, dict[str, Any]] | None = None
    ) -> None:
        url = base.replace("http://", "ws://") + f"/live/{KEY}/ws" + (f"?{query}" if query else "")
        headers = {"Cookie": cookie} if cookie else None
        self.socket: ClientConnection = connect(url, additional_headers=headers, open_timeout=10).__enter__()
        self.seq: int | None = holding[0] if holding else None  # what a resuming client holds
        self.board: dict[str, Any] = dict(holding[1]) if holding else {}
        self.messages: list[dict[str, Any]] = []

    def receive(self, timeout: float = 15) -> dict[str, Any]:
        """The next snapshot or update (heartbeats kept in `messages`, skipped), applied."""
        while True:
            message = json.loads(self.socket.recv(timeout=timeout))
            self.messages.append(message)
            assert message["protocol"] == 1
            if message["type"] == "heartbeat":
                continue
            if message["type"] == "snapshot":
                self.seq, self.board = message["seq"], message["board"]
            else:
                assert message["type"] == "update", message
                assert message["prev"] == self.seq, (
                    f"a gap: holding {self.seq}, update {message['prev']}->{message['seq']}"
                )
                assert message["seq"] > message["prev"]
                self.seq = message["seq"]
                self.board = self.board | message["board"]
            return message

    def until(self, seq: int, timeout: float = 20) -> None:
        """Receive until holding `seq` (or later)."""
        while self.seq is None or self.seq < seq:
            self.receive(timeout)

    def close(self) -> None:
        self.socket.close()


def organiser(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, headers={"Origin": base}, timeout=30)
    answer = client.post("/api/session", json={"username": "organiser", "password": "demo-password"})
    assert answer.status_code == 200, answer.text
    return client


def cookie_of(client: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def post(client: httpx.Client, path: str, body: Any = None, status: int = 200) -> Any:
    answer = client.post(path, json=body)
    assert answer.status_code == status, answer.text
    return answer.json()


def rows(board: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of every section that carries results."""
    found = list(board.get("overall", {}).get("rows", []))
    for section in ("events", "rounds"):
        for part in board.get(section, []):
            found += part["rows"]
    found += board.get("individuals", []) + board.get("units", [])
    for quiz in board.get("quiz", []):
        found += quiz["teams"]
    return found
