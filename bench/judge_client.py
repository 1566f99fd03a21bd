"""The write benchmark's judge client: one keep-alive HTTP/1.1 connection on the standard library.

bench/bench_writes.py sends a judge's requests through it so that the load client costs the
machine as little CPU as it can (httpx, which the benchmark used before, spent about three
times as much of this process's CPU a write, 0.8-0.9 ms against 0.2-0.35 ms on the 2-core
machine of November 2026: its URL, header and cookie models, its transport layers; compare the
"client" figure of the benchmark's "CPU a write" line with `--client httpx`). The requests are the same: the
headers httpx sends (Accept, Accept-Encoding, Connection: keep-alive, a User-Agent) and the
Origin the server checks on writes, the cookies the server set (sign-in through the judge's
access link), a JSON body encoded before the clock starts. A status is recorded as answered;
a timeout or a broken connection is status 0, and the next request opens a new connection.

It does not follow redirects, decode bodies (the server compresses none) or honour cookie
paths, domains or lifetimes beyond dropping a cookie set already expired: one server, one judge.
`HttpxJudge` is the same interface on httpx, for comparing the two clients' CPU.
"""

from __future__ import annotations

import http.client
import select
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

HEADERS = {
    "Accept": "*/*",
    "Accept-Encoding": "gzip, deflate",
    "Connection": "keep-alive",
    "User-Agent": "bench-judge",
}


def remember(cookies: dict[str, str], set_cookie: str) -> None:
    """A Set-Cookie header into the jar: the cookie kept, or dropped where it has already expired
    (Max-Age <= 0 or Expires not in the future: how a server clears a cookie)."""
    name, _, rest = set_cookie.partition("=")
    value, *attributes = rest.split(";")
    expired = False
    for attribute in attributes:
        key, _, given = attribute.strip().partition("=")
        if key.lower() == "max-age":
            expired = expired or int(given) <= 0
        elif key.lower() == "expires":
            expired = expired or parsedate_to_datetime(given) <= datetime.now(UTC)
    if expired:
        cookies.pop(name.strip(), None)
    else:
        cookies[name.strip()] = value.strip()


class JudgeClient(Protocol):
    cookies: Any
    reopened: int

    def connect(self) -> None: ...
    def sign_in(self, link: str) -> int: ...
    def put(self, path: str, body: bytes) -> int: ...
    def request(self, method: str, path: str, body: bytes | None = None) -> int: ...
    def close(self) -> None: ...


class Judge:
    """One connection to `base` (http://host:port). `cookies` may be shared by several Judge
    objects of the same judge (tabs of one browser: each its own connection, one cookie jar)."""

    def __init__(self, base: str, timeout: float, cookies: dict[str, str] | None = None) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
        self.headers = HEADERS | {"Origin": base}
        self.cookies = {} if cookies is None else cookies
        self.reopened = 0  # connections the server had closed while idle, opened again

    def connect(self) -> None:
        """Opens the connection now, so that the first timed request does not pay for it."""
        if self.connection.sock is None:
            self.connection.connect()

    def _fresh(self) -> None:
        """Drops a connection the server closed while it was idle (it reads as ready: end of file)."""
        sock = self.connection.sock
        if sock is not None and select.select([sock], [], [], 0)[0]:
            self.connection.close()
            self.reopened += 1

    def request(self, method: str, path: str, body: bytes | None = None) -> int:
        """The response's status, its body read; 0 where no answer came (timeout, connection lost)."""
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            self._fresh()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            return 0
        for line in response.headers.get_all("Set-Cookie") or []:
            remember(self.cookies, line)
        return response.status

    def sign_in(self, link: str) -> int:
        """Follows the judge's access link (a path): the redirect's status; the session cookie kept."""
        return self.request("GET", link)

    def put(self, path: str, body: bytes) -> int:
        return self.request("PUT", path, body)

    def close(self) -> None:
        self.connection.close()


class HttpxJudge:
    """The same interface on an httpx.Client (what the benchmark used first)."""

    def __init__(self, base: str, timeout: float, cookies: httpx.Cookies | None = None) -> None:
        self.client = httpx.Client(base_url=base, headers={"Origin": base}, timeout=timeout, cookies=cookies)
        self.cookies = self.client.cookies
        self.reopened = 0

    def connect(self) -> None:
        self.client.get("/health")  # httpx connects on its first request

    def request(self, method: str, path: str, body: bytes | None = None) -> int:
        headers = {"Content-Type": "application/json"} if body is not None else None
        try:
            return self.client.request(method, path, content=body, headers=headers).status_code
        except httpx.HTTPError:
            return 0

    def sign_in(self, link: str) -> int:
        return self.request("GET", link)

    def put(self, path: str, body: bytes) -> int:
        return self.request("PUT", path, body)

    def close(self) -> None:
        self.client.close()


CLIENTS: dict[str, Callable[..., JudgeClient]] = {"light": Judge, "httpx": HttpxJudge}
