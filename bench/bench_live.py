"""Benchmark: the live boards' fan-out, against a bare `websockets` broadcast.

For each number of viewers N (--viewers), a server is started fresh, N viewers connect, and a
driver submits --updates results at --rate per second; every update must reach every viewer.
- baseline: a bare server on the `websockets` library (its asyncio server and `broadcast`), on
  uvloop as uvicorn is: viewers on /live/bench/ws get a snapshot, then on each POST /submit to
  a plain asyncio HTTP endpoint the server answers the submit and at once broadcasts one JSON
  update of a board section of 30 rows (about 4 KB), with seq and prev.
- ours: the real app (uvicorn running server.app:create_app) on a store made by `scoring init`
  with the power_safety example; each submit is the quiz master recording a buzzer answer on
  its quiz round (POST /api/quiz/rounds/{id}/answers); viewers read /live/{competition}/ws.
  Skipped with a printed line while that route does not answer the upgrade with 101.
- --redis: ours as two server processes sharing the SQLite store and SCORING_REDIS_URL, 2N
  viewers split across them, submits to the first: the target is twice the viewers at ours' p99.

Per (update, viewer): latency = when the viewer first holds the update's seq (a text frame
with that seq or later arrives; stamped as its bytes arrive) - when the submit's HTTP response
arrived at the driver. Both stamps are time.monotonic_ns(), CLOCK_MONOTONIC, one clock for all
the machine's processes. Printed: p50, p99, max (ms) over all pairs; server memory per viewer
(VmRSS after connecting N minus before, / N); missing (viewers lacking some update, and the
pairs); gaps (updates whose prev is not the seq the viewer held); the server's and the client's
CPU while the updates were sent (100% = one core), so a saturated client shows.

Processes, on 2 cores: the server (one process; two with --redis), all viewers in one client
process (bench/live_client.py, raw sockets, uvloop), and the driver in this third process. The
driver sends one request every 1/R s and sleeps between, so it takes little from the others'
cores; in the client process its response stamps would come late whenever the loop is busy
reading a broadcast, which would shrink every latency measured.

Plugging in the live server: nothing to change while it serves /live/{competition}/ws as
docs/live-protocol.md says (a snapshot on connect, updates with seq and prev, keys in that
order). `start_ours` starts `server.app:create_app` (or the factory given as `app`) with uvicorn
on SCORING_DATA_DIR = a store made by `prepare_ours`; it skips while the upgrade on that path is
not answered 101 (uvicorn answers 403 to a WebSocket on a route that does not exist). Each
submit's update is found by its seq: the answer's "live_seq" field if the quiz route ever returns
one, else the viewers' snapshot seq + k for the k-th submit (one change per quiz answer).

Limits here: open files 20,000 soft and hard (so one process holds at most ~19,900 sockets:
the client process needs N, 2N with --redis); client ports 32768-60999 (28,232 connections to
one server port); 2 cores shared with whatever else runs, so figures vary from run to run.

Printed, never asserted. Run: make bench, or
    .venv/bin/python bench/bench_live.py --viewers 200 --updates 20 --rate 10 [--redis]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live_client import (  # noqa: E402
    KINDS,
    accept_key,
    check_upgrade,
    frames_of,
    raise_open_files,
    run_client,
    upgrade_request,
)

HOST = "127.0.0.1"
EXAMPLE = ROOT / "examples" / "power_safety" / "competition.toml"
REDIS_URL = "redis://127.0.0.1:6379/0"
SNAPSHOT, UPDATE = KINDS[b"snapshot"], KINDS[b"update"]
ROWS = 30
Submit = Callable[[int], tuple[int, int | None]]  # k -> (response arrival ns, the update's seq if known)


# ---- the baseline: a bare websockets broadcast -------------------------------------------------


def board_section(seq: int) -> dict[str, Any]:
    """One round's section of a board, 30 rows, shaped as docs/live-protocol.md's Row."""
    rows = [
        {
            "entry": f"t{i:02d}",
            "name": {"zh": f"第{i}队", "en": f"Team {i}"},
            "unit": {"zh": f"单位{i % 7}", "en": f"Unit {i % 7}"},
            "place": str(i + 1),
            "score": f"{95 - i * 0.5 + (seq % 10) * 0.01:.2f}",
            "award": {"zh": "一等奖", "en": "First prize"} if i < 3 else None,
            "pending": False,
        }
        for i in range(ROWS)
    ]
    title = {"zh": "决赛", "en": "Final"}
    return {"rounds": [{"id": 3, "key": "final", "event": "theory", "title": title, "state": "open", "rows": rows}]}


def update_message(seq: int) -> str:
    message = {"type": "update", "protocol": 1, "seq": seq, "prev": seq - 1, "board": board_section(seq)}
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def run_bare_server(ws_port: int, submit_port: int) -> None:
    """The baseline's server process."""
    import asyncio

    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover
        pass
    raise_open_files()
    asyncio.run(_bare_server(ws_port, submit_port))


async def _bare_server(ws_port: int, submit_port: int) -> None:
    import asyncio

    from websockets.asyncio.server import ServerConnection, broadcast, serve

    viewers: set[ServerConnection] = set()
    seq = 0

    async def viewer(ws: ServerConnection) -> None:
        if ws.request is None or ws.request.path != "/live/bench/ws":
            await ws.close(4404)
            return
        snapshot = {"type": "snapshot", "protocol": 1, "seq": seq, "board": board_section(seq)}
        await ws.send(json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")))
        viewers.add(ws)
        try:
            await ws.wait_closed()
        finally:
            viewers.discard(ws)

    async def submits(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal seq
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = re.search(rb"(?i)content-length:\s*(\d+)", head)
                if length:
                    await reader.readexactly(int(length.group(1)))
                seq += 1
                body = b'{"seq":%d}' % seq
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
                )
                writer.write(body)  # answered first, then broadcast, as a route announces after its commit
                broadcast(viewers, update_message(seq))
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async with serve(viewer, HOST, ws_port, backlog=2048), await asyncio.start_server(submits, HOST, submit_port):
        await asyncio.Future()


class BareSubmitter:
    """The driver's keep-alive connection to the baseline's POST /submit."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection((HOST, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request = f"POST /submit HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Length: 2\r\n\r\n{{}}".encode()
        self.buf = b""

    def __call__(self, k: int) -> tuple[int, int | None]:
        self.sock.sendall(self.request)
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end != -1:
                match = re.search(rb"(?i)content-length:\s*(\d+)", self.buf[:end])
                size = int(match.group(1)) if match else 0
                if len(self.buf) >= end + 4 + size:
                    break
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the baseline closed the submit connection")
            self.buf += chunk
        arrived = time.monotonic_ns()
        body = self.buf[end + 4 : end + 4 + size]
        self.buf = self.buf[end + 4 + size :]
        return arrived, int(json.loads(body)["seq"])

    def close(self) -> None:
        self.sock.close()


# ---- servers under test ------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    targets: list[tuple[str, int, str]]  # where viewers connect: (host, port, path)
    pids: list[int]
    submit: Submit
    stop: Callable[[], None]
    notes: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def start_bare() -> Server:
    ws_port, submit_port = free_port(), free_port()
    process = mp.get_context("spawn").Process(target=run_bare_server, args=(ws_port, submit_port), daemon=True)
    process.start()
    wait_for_port(ws_port)
    wait_for_port(submit_port)
    submitter = BareSubmitter(submit_port)

    def stop() -> None:
        submitter.close()
        process.terminate()
        process.join(10)

    import websockets

    assert process.pid is not None
    return Server(f"baseline (websockets {websockets.__version__})", [(HOST, ws_port, "/live/bench/ws")],
                  [process.pid], submitter, stop)  # fmt: skip


def probe_upgrade(port: int, path: str) -> str | None:
    """None when a WebSocket upgrade on `path` is answered with 101; else the answer's first line."""
    key = b"dGhlIHNhbXBsZSBub25jZQ=="
    assert accept_key(key) == b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455's own example
    with socket.create_connection((HOST, port), timeout=10) as s:
        s.sendall(upgrade_request(HOST, port, path, key, f"http://{HOST}:{port}"))
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            if not chunk:
                return head.split(b"\r\n")[0].decode("latin-1") or "connection closed"
            head += chunk
    return check_upgrade(head.split(b"\r\n\r\n")[0], key)


@dataclass
class OursStore:
    """A store made once for every run of ours: `scoring init` with the power_safety example,
    and a quiz master of its competition (made through the organiser's API on first start)."""

    folder: Path
    competition: str
    round_id: int
    organiser: dict[str, str]
    quiz_master: dict[str, str] | None = None


def prepare_ours(folder: Path) -> OursStore:
    from sqlalchemy import select

    from scoring.store.database import make_engine, session_factory, sqlite_url
    from scoring.store.models import Competition, Event, Round

    env = os.environ | {"SCORING_DATA_DIR": str(folder)}
    for name in ("SCORING_DATABASE_URL", "SCORING_SECRET_KEY", "SCORING_REDIS_URL"):
        env.pop(name, None)
    init = subprocess.run(
        [sys.executable, "-m", "server.cli", "init", "--data", str(folder), "--competition", str(EXAMPLE)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    password = re.search(r"password: (\S+)", init.stdout)
    assert init.returncode == 0 and password, init.stdout + init.stderr
    engine = make_engine(sqlite_url(folder))
    with session_factory(engine)() as db:
        competition_id, key = db.execute(select(Competition.id, Competition.key)).one()
        quiz = select(Round.id).join(Event, Round.event_id == Event.id)
        round_id = db.execute(quiz.where(Event.competition_id == competition_id, Event.kind == "quiz")).scalar_one()
    engine.dispose()
    return OursStore(folder, key, round_id, {"username": "organiser", "password": password.group(1)})


def start_ours(
    store: OursStore, processes: int = 1, redis_url: str | None = None, app: str = "server.app:create_app"
) -> Server | None:
    """The real app on `store`: `processes` uvicorn processes (server.app:create_app, the factory
    `scoring serve` uses) on ports of their own, sharing the SQLite store (and Redis, when given).
    Viewers go round-robin to ws://127.0.0.1:{port}/live/{competition}/ws; the submit is
    `submit_ours` on the first process. None, with a printed line, while the live route is missing."""
    import httpx

    env = os.environ | {"SCORING_DATA_DIR": str(store.folder)}
    for name in ("SCORING_DATABASE_URL", "SCORING_SECRET_KEY", "SCORING_REDIS_URL"):
        env.pop(name, None)
    if redis_url:
        env["SCORING_REDIS_URL"] = redis_url
    ports = [free_port() for _ in range(processes)]
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", HOST,
               "--log-level", "warning", "--no-access-log", "--no-proxy-headers"]  # fmt: skip
    servers: list[subprocess.Popen[bytes]] = []
    for port in ports:  # the server's messages go to a file: a pipe nobody reads could fill and stall it
        with (store.folder.parent / f"server-{port}.log").open("wb") as log:
            command_for = [*command, "--port", str(port)]
            servers.append(subprocess.Popen(command_for, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))

    def stop() -> None:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()

    try:
        for port, server in zip(ports, servers, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"http://{HOST}:{port}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    said = (store.folder.parent / f"server-{port}.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"the server on port {port} did not start: {said}")
                time.sleep(0.2)
        path = f"/live/{store.competition}/ws"
        refused = probe_upgrade(ports[0], path)
        if refused is not None:
            print(f"  ours: skipped, the live route is missing: {path} answered {refused!r} to a WebSocket upgrade")
            stop()
            return None
        origin = f"http://{HOST}:{ports[0]}"
        if store.quiz_master is None:
            with httpx.Client(base_url=origin, headers={"origin": origin}, timeout=60) as organiser:
                organiser.post("/api/session", json=store.organiser).raise_for_status()
                made = organiser.post(f"/api/admin/competitions/{store.competition}/quiz-masters",
                                      json={"username": "bench-quiz"})  # fmt: skip
                made.raise_for_status()
                store.quiz_master = {"username": "bench-quiz", "password": made.json()["password"]}
        http = httpx.Client(base_url=origin, headers={"origin": origin}, timeout=60)
        http.post("/api/session", json=store.quiz_master).raise_for_status()
        teams = http.get(f"/api/quiz/rounds/{store.round_id}/scores")
        teams.raise_for_status()
        team = teams.json()[0]["team"]
    except BaseException:
        stop()
        raise

    def submit(k: int) -> tuple[int, int | None]:
        return submit_ours(http, store.round_id, team, k)

    def stop_all() -> None:
        http.close()
        stop()

    name = "ours" if processes == 1 else f"ours, {processes} processes + Redis"
    return Server(name, [(HOST, port, path) for port in ports], [s.pid for s in servers], submit, stop_all)


def submit_ours(http: Any, round_id: int, team: str, k: int) -> tuple[int, int | None]:
    """The quiz master records one buzzer answer (right and wrong in turn: the score stays near
    its base). Returns when the response arrived (monotonic ns) and the live seq of the change
    when the answer says it (a "live_seq" field); else None, and the driver counts on the seq
    after the viewers' snapshot, one per submit (nothing else changes the store meanwhile)."""
    body = {"team": team, "type": "buzzer", "outcome": "right" if k % 2 else "wrong", "client_id": uuid.uuid4().hex}
    response = http.post(f"/api/quiz/rounds/{round_id}/answers", json=body)
    arrived = time.monotonic_ns()
    if response.status_code != 201:
        raise RuntimeError(f"the quiz answer was refused: HTTP {response.status_code} {response.text[:200]}")
    seq = response.json().get("live_seq")
    return arrived, int(seq) if seq is not None else None


# ---- one run: N viewers, K updates -------------------------------------------------------------


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@dataclass
class Figures:
    name: str
    viewers: int
    updates: int
    p50: float
    p99: float
    worst: float
    kb_per_viewer: float
    missing_viewers: int
    missing_pairs: int
    gaps: int
    server_cpu: float
    client_cpu: float
    client_us_per_frame: float  # the client's CPU time per frame it read: what it adds to a latency at most
    rate: float
    refused: dict[str, int]
    closes: dict[int, int]

    def line(self) -> str:
        return (
            f"  {self.name:<38} viewers {self.viewers:>5}  updates {self.updates:>3}  "
            f"p50 {self.p50:7.2f} ms  p99 {self.p99:7.2f} ms  max {self.worst:7.2f} ms  "
            f"memory/viewer {self.kb_per_viewer:6.1f} KB  missing {self.missing_viewers} ({self.missing_pairs} pairs)  "
            f"gaps {self.gaps}  [CPU server {self.server_cpu:.0f}%, client {self.client_cpu:.0f}% "
            f"({self.client_us_per_frame:.0f} us a frame); "
            f"{self.rate:.1f} submits/s]"
        )


def percentile(values: list[int], p: float) -> float:
    """Nearest rank, in ms."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(p * len(values) + 0.5) - 1))] / 1e6


def tally(logs: list[bytes], submits: list[tuple[int, int]]) -> tuple[list[int], int, int, int]:
    """Latencies (ns) of every (update, viewer) pair received, viewers missing some update,
    pairs missing, and gaps (an update whose prev is not the seq the viewer held)."""
    latencies: list[int] = []
    missing_viewers = missing_pairs = gaps = 0
    for log in logs:
        frames = [(seq, prev, kind, t) for kind, seq, prev, t in frames_of(log) if kind in (SNAPSHOT, UPDATE)]
        held = None
        for seq, prev, kind, _ in frames:
            if kind == UPDATE and held is not None and prev != held:
                gaps += 1
            held = seq
        i, missed = 0, 0
        for seq, answered in submits:
            while i < len(frames) and frames[i][0] < seq:
                i += 1
            if i == len(frames):
                missed += 1
            else:
                latencies.append(frames[i][3] - answered)
        missing_pairs += missed
        missing_viewers += missed > 0
    latencies.sort()
    return latencies, missing_viewers, missing_pairs, gaps


def ask(conn: Any, command: tuple[Any, ...], seconds: float = 30) -> Any:
    """The client process's answer to `command`; an error if it does not answer in time."""
    conn.send(command)
    if not conn.poll(seconds):
        raise RuntimeError(f"the client process did not answer {command[0]!r}")
    return conn.recv()


def run_case(server: Server, count: int, rate: float, updates: int, drain: float = 15.0) -> Figures | None:
    ctx = mp.get_context("spawn")
    conn, child = ctx.Pipe()
    before = sum(rss_kb(pid) for pid in server.pids)
    client = ctx.Process(target=run_client, args=(child, server.targets, count), daemon=True)
    client.start()
    try:
        if not conn.poll(60 + count / 20):
            print(f"  {server.name}: the viewers did not connect in time")
            return None
        _, connected, refused, took, snapshot = conn.recv()
        if connected == 0:
            print(f"  {server.name}: no viewer connected: {refused}")
            return None
        time.sleep(1.0)  # settle: the server's last allocations for the viewers
        grown = sum(rss_kb(pid) for pid in server.pids) - before
        # one warm-up update, not measured (first-use costs: caches, imports), for both servers
        _, warm = server.submit(updates + 1)
        snapshot = warm if warm is not None else snapshot + 1
        deadline = time.monotonic() + drain
        while ask(conn, ("reached", snapshot))[0] < connected and time.monotonic() < deadline:
            time.sleep(0.05)
        _, client_times = ask(conn, ("reached", -1))
        cpu_before = sum(cpu_seconds(pid) for pid in server.pids)
        started = time.monotonic()
        submits: list[tuple[int, int]] = []
        for k in range(1, updates + 1):
            pause = started + (k - 1) / rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            last_start = time.monotonic()
            answered, seq = server.submit(k)
            submits.append((seq if seq is not None else snapshot + k, answered))
        deadline = time.monotonic() + drain
        while True:
            reached, times_after = ask(conn, ("reached", submits[-1][0]))
            if reached >= connected or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        wall = time.monotonic() - started
        server_cpu = (sum(cpu_seconds(pid) for pid in server.pids) - cpu_before) / wall * 100
        client_seconds = sum(times_after[:2]) - sum(client_times[:2])
        client_cpu = client_seconds / wall * 100
        logs, closes, errors = ask(conn, ("report",), 120)
    finally:
        client.join(20)
        if client.is_alive():
            client.terminate()
    if errors:
        print(f"  {server.name}: protocol errors seen by viewers: {errors}")
    latencies, missing_viewers, missing_pairs, gaps = tally(logs, submits)
    achieved = (updates - 1) / (last_start - started) if updates > 1 else rate  # submits started a second
    frames = sum(len(log) for log in logs) // 32 - connected  # 4 numbers of 8 bytes a frame; less the snapshots
    figures = Figures(
        server.name, connected, updates, percentile(latencies, 0.5), percentile(latencies, 0.99),
        latencies[-1] / 1e6 if latencies else float("nan"), grown / connected, missing_viewers, missing_pairs,
        gaps, server_cpu, client_cpu, client_seconds / max(frames, 1) * 1e6, achieved, refused, closes,
    )  # fmt: skip
    print(figures.line())
    if refused:
        print(f"    {sum(refused.values())} of {count} viewers not connected: {refused}")
    if closes:
        print(f"    connections closed during the run, by close code (-1: no close frame): {closes}")
    print(f"    connecting {connected} viewers took {took:.1f} s")
    return figures


# ---- the whole benchmark ------------------------------------------------------------------------


def redis_ready() -> str | None:
    """None when Redis answers PING on 127.0.0.1:6379; else why not."""
    try:
        with socket.create_connection((HOST, 6379), timeout=2) as s:
            s.sendall(b"PING\r\n")
            answer = s.recv(64)
    except OSError as exc:
        return str(exc)
    return None if answer.startswith(b"+PONG") else answer.decode(errors="replace")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The live boards' fan-out against a bare websockets broadcast.")
    parser.add_argument("--viewers", type=int, nargs="+", default=[1000, 5000], help="numbers of viewers to run")
    parser.add_argument("--rate", type=float, default=10.0, help="submits per second")
    parser.add_argument("--updates", type=int, default=50, help="submits (updates) per run")
    parser.add_argument("--redis", action="store_true", help="also ours as two processes with Redis, 2N viewers")
    parser.add_argument("--no-baseline", action="store_true", help="skip the bare broadcast")
    args = parser.parse_args(argv)

    soft, hard = raise_open_files()
    ports = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
    print(
        f"live boards: {args.updates} updates at {args.rate:g}/s per run; update frame "
        f"{len(update_message(1).encode()) / 1024:.1f} KB; open files {soft} (hard {hard}); "
        f"client ports {ports[0]}-{ports[1]}; {os.cpu_count()} cores"
    )
    largest = max(args.viewers)
    needed = largest * (2 if args.redis else 1) + 100
    if needed > soft:
        print(f"  the open-files limit ({soft}) is below the {needed} sockets one process needs: runs will refuse")
    results: dict[tuple[str, int], Figures] = {}
    with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
        store: OursStore | None = None
        ours_missing = False
        for count in args.viewers:
            print(f"{count} viewers")
            if not args.no_baseline:
                bare = start_bare()
                try:
                    figures = run_case(bare, count, args.rate, args.updates)
                finally:
                    bare.stop()
                if figures:
                    results[("baseline", count)] = figures
            if ours_missing:
                print("  ours: skipped (the live route is missing)")
                continue
            if store is None:
                store = prepare_ours(Path(tmp) / "data")
            ours = start_ours(store)
            if ours is None:
                ours_missing = True
                continue
            try:
                figures = run_case(ours, count, args.rate, args.updates)
            finally:
                ours.stop()
            if figures:
                results[("ours", count)] = figures
            if args.redis:
                why = redis_ready()
                if why is not None:
                    print(f"  ours with Redis: skipped, Redis does not answer on {HOST}:6379: {why}")
                    continue
                pair = start_ours(store, processes=2, redis_url=REDIS_URL)
                if pair is None:
                    continue
                try:
                    figures = run_case(pair, 2 * count, args.rate, args.updates)
                finally:
                    pair.stop()
                if figures:
                    results[("redis", count)] = figures
        if store is not None:
            shutil.rmtree(store.folder, ignore_errors=True)
    base, ours_figures = results.get(("baseline", largest)), results.get(("ours", largest))
    if ours_missing:
        print("p99 ratio to the bare broadcast: n/a (live route missing)")
    elif ours_figures is None:
        print("p99 ratio to the bare broadcast: n/a (ours did not run)")
    elif base is None:
        print("p99 ratio to the bare broadcast: n/a (no baseline run)")
    else:
        print(f"p99 ratio to the bare broadcast: {ours_figures.p99 / base.p99:.2f}")


if __name__ == "__main__":
    main()
