"""The write benchmark's parts do what its figures rely on: the standard-library judge client
sends the requests httpx sends (Origin, the session cookie from the sign-in, the JSON body) on
one kept-alive connection, records a timeout as status 0 and reopens a connection the server
closed while idle; the CPU accounting's arithmetic and its /proc readings; the burst's plan
within a panel of 100. Figures are the benchmark's business: nothing here is timed."""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from bench import cpu_account
from bench.judge_client import HttpxJudge, Judge, remember
from bench.write_burst import plan

SESSION = "scoring_session"


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[dict[str, Any]]] = []

    def note(self, method: str, body: bytes | None = None) -> None:
        headers, peer = dict(self.headers), self.client_address
        self.seen.append({"method": method, "path": self.path, "headers": headers, "body": body, "peer": peer})

    def log_message(self, *args: Any) -> None:
        pass

    def answer(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self) -> None:
        self.note("GET")
        if self.path.startswith("/judge/signin/"):
            self.answer(303, {"Location": "/judge", "Set-Cookie": f"{SESSION}=abc; Path=/; HttpOnly; SameSite=lax"})
        elif self.path == "/signout":
            self.answer(200, {"Set-Cookie": f"{SESSION}=null; expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/"})
        elif self.path == "/slow":
            time.sleep(1.0)
            self.answer(200)
        elif self.path == "/then-close":
            self.answer(200)
            self.close_connection = True  # closed without telling the client: as an idle keep-alive timeout
        else:
            self.answer(200)

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.note("PUT", body)
        self.answer(200)


@pytest.fixture
def server() -> Iterator[str]:
    Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("client", [Judge, HttpxJudge])
def test_sign_in_then_write_sends_origin_cookie_and_body(server: str, client: Any) -> None:
    judge = client(server, 5)
    assert judge.sign_in("/judge/signin/token") == 303
    assert judge.put("/api/judge/sheets/1/s01", b'{"action":"save"}') == 200
    judge.close()
    signin, write = Recorder.seen[-2:]
    assert write["method"] == "PUT" and write["path"] == "/api/judge/sheets/1/s01"
    assert write["body"] == b'{"action":"save"}'
    headers = {k.lower(): v for k, v in write["headers"].items()}
    assert headers["origin"] == server
    assert headers["cookie"] == f"{SESSION}=abc"
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "*/*" and headers["accept-encoding"] == "gzip, deflate"
    assert signin["peer"] == write["peer"]  # one kept-alive connection


def test_tabs_share_the_sign_in_and_a_cleared_cookie_is_not_sent(server: str) -> None:
    first = Judge(server, 5)
    first.sign_in("/judge/signin/token")
    tab = Judge(server, 5, first.cookies)
    tab.put("/x", b"{}")
    assert Recorder.seen[-1]["headers"]["Cookie"] == f"{SESSION}=abc"
    assert Recorder.seen[-1]["peer"] != Recorder.seen[-2]["peer"]  # a connection of its own
    tab.request("GET", "/signout")
    tab.put("/x", b"{}")
    assert "Cookie" not in Recorder.seen[-1]["headers"]
    first.close()
    tab.close()


def test_timeout_is_status_0_and_the_next_request_reconnects(server: str) -> None:
    judge = Judge(server, 0.2)
    assert judge.request("GET", "/slow") == 0
    assert judge.put("/x", b"{}") == 200
    judge.close()


def test_a_connection_the_server_closed_while_idle_is_reopened(server: str) -> None:
    judge = Judge(server, 5)
    assert judge.request("GET", "/then-close") == 200
    assert select.select([judge.connection.sock], [], [], 5)[0]  # the server's close has arrived
    assert judge.put("/x", b"{}") == 200
    assert judge.reopened == 1
    assert judge.put("/x", b"{}") == 200  # the new connection is kept
    assert judge.reopened == 1
    judge.close()


def test_remember_keeps_and_drops_cookies() -> None:
    jar: dict[str, str] = {}
    remember(jar, "a=1; Path=/; HttpOnly")
    remember(jar, "b=2; Max-Age=3600")
    assert jar == {"a": "1", "b": "2"}
    remember(jar, "a=null; expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/")
    remember(jar, "b=; Max-Age=0")
    assert jar == {}


def test_account_splits_cpu_a_write_and_its_ceilings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpu_account, "CORES", 2)
    used = cpu_account.Spent(server=1.0, client=0.1, database=0.4, shared=None, machine=3.0, wall=2.0)
    lines, ceiling = cpu_account.account(used, writes=200, processes=1, reached=150)
    assert "server 5.00 ms + client 0.50 ms + database 2.00 ms = 7.50 ms" in lines[0]
    assert ceiling is not None
    assert ceiling.idle == pytest.approx(200)  # one process: 1000 / 5 ms, below 2 cores / 7.5 ms = 267
    # other work took 3.0 - 1.5 = 1.5 CPU s in 2 s: 1.25 cores left, 1250 / 7.5 ms
    assert ceiling.left == pytest.approx(1250 / 7.5)
    _, two = cpu_account.account(used, writes=200, processes=2, reached=150)
    assert two is not None and two.idle == pytest.approx(2000 / 7.5)  # the machine's cores bound two processes
    # two processes at best: 2 cores x 5 ms / 7.5 ms = 1.33 times one process on a core of its own
    assert ceiling.scaling(2) == pytest.approx(2 * 5 / 7.5)
    assert ceiling.scaling(1) == 1


def test_account_says_nothing_without_writes_or_server_figures() -> None:
    used = cpu_account.Spent(server=None, client=0.1, database=None, shared=None, machine=None, wall=1.0)
    assert cpu_account.account(used, writes=100, processes=1, reached=1) == ([], None)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_cpu_readings_follow_this_process() -> None:
    before, machine = cpu_account.cpu_seconds(os.getpid()), cpu_account.machine_busy()
    assert before is not None and machine is not None
    spin = time.process_time()
    while time.process_time() - spin < 0.1:
        pass
    after = cpu_account.cpu_seconds(os.getpid())
    assert after is not None and after - before >= 0.05
    assert (cpu_account.machine_busy() or 0) >= machine + 0.05


def test_burst_plan_stays_within_a_panel_and_the_round() -> None:
    assert plan(300) == (100, 3)
    assert plan(50) == (50, 1)
    assert plan(1400) == (100, 14)
    with pytest.raises(ValueError):
        plan(1401)


def test_core_capacity_runs_its_loops_together_and_divides_by_one_alone():
    from bench.core_capacity import Capacity, loops_at_once

    counts = loops_at_once(2, 0.2)  # two processes, each counting its iterations in the same window
    assert len(counts) == 2 and all(n > 10_000 for n in counts), counts  # each ran its loop
    shown = Capacity(2, [1.2, 1.9, 1.5], [1e6, 3e6, 2e6])
    assert shown.ratio == 1.5  # the median trial
    assert "1.50x the work of one" in shown.line() and "2.0 M iterations/s" in shown.line()
