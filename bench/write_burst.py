"""The write benchmark's burst: B sheet submissions sent at the same moment, and how long until
the last is acknowledged.

A round's panel holds at most 100 judges, so B submissions are made by min(100, B) judges, each
submitting ceil(B / judges) teams' sheets (at most the round's 14), each submission on a
connection of its own (tabs of one browser: one sign-in, one cookie jar, a connection each).
Every judge signs in through their access link and every connection is opened before a barrier
releases all B at once: connection setup and sign-in are not in the figures. A submission is
the complete sheet on a fresh sheet (base version 0), its body encoded before the release.
The chief's console is read every 100 ms meanwhile.

Measured: from the release to each acknowledgement (the time to the last one is the burst's
figure), each submission's own time from its send, the spread of the sends (how long this
process's threads took to send all B after the release: the load client's share of the
figure), statuses, connections the server had closed while waiting and that were opened again
(their setup is then in the figure). It prints nothing; bench/bench_writes.py does.
"""

from __future__ import annotations

import json
import math
import threading
import time
import uuid
from dataclasses import dataclass, field

from bench.judge_client import CLIENTS, JudgeClient
from bench.write_store import COMPLETE, PANEL_MOST, TEAMS


class Gate:
    """Workers that get ready, wait, and start together: each calls `pass_when_ready()` once
    ready (or `abort()` where it failed, so nobody waits for it); the caller, `ready()` to wait
    until every worker is, then `open()` to start them all (the moment kept in `opened`)."""

    def __init__(self, workers: int) -> None:
        self._ready = threading.Barrier(workers + 1)
        self._go = threading.Barrier(workers + 1, action=self._mark)
        self.opened = 0.0

    def _mark(self) -> None:
        self.opened = time.perf_counter()

    def pass_when_ready(self) -> None:
        self._ready.wait(timeout=600)
        self._go.wait(timeout=600)

    def abort(self) -> None:
        self._ready.abort()
        self._go.abort()

    def ready(self) -> None:
        self._ready.wait(timeout=600)

    def open(self) -> None:
        self._go.wait(timeout=600)


@dataclass
class Burst:
    sent: list[float] = field(default_factory=list)  # seconds after the release each was sent
    acknowledged: list[float] = field(default_factory=list)  # seconds after the release each was answered
    own: list[float] = field(default_factory=list)  # each submission's time from its send
    statuses: list[int] = field(default_factory=list)
    reopened: int = 0


def plan(size: int) -> tuple[int, int]:
    """Judges, and submissions each (teams), for a burst of `size`."""
    judges = min(PANEL_MOST, size)
    each = math.ceil(size / judges)
    if each > len(TEAMS):
        raise ValueError(f"a burst of {size} needs more than {PANEL_MOST} judges x {len(TEAMS)} teams")
    return judges, each


def start_burst(kind: str, bases: list[str], links: list[str], round_id: int, size: int, figures: Burst) -> tuple[
    list[threading.Thread], Gate
]:  # fmt: skip
    """The B senders, started; they sign in, connect and wait at the gate returned."""
    judges, _ = plan(size)
    client = CLIENTS[kind]
    jars = []
    for n in range(judges):  # sign-ins one after another, before the release, on connections of their own
        signing = client(bases[n % len(bases)], 120)
        assert signing.sign_in(links[n]) in (302, 303)
        jars.append(signing.cookies)
        signing.close()
    lock = threading.Lock()
    gate = Gate(size)
    devices = [uuid.uuid4().hex for _ in range(judges)]  # one browser a judge

    def send(team: str, device: str, tab: JudgeClient) -> None:
        body = {"action": "submit", "base_version": 0, "client_id": uuid.uuid4().hex, "marks": COMPLETE}
        payload = json.dumps(body | {"device": device}).encode()
        path = f"/api/judge/sheets/{round_id}/{team}"
        try:
            tab.connect()
        except BaseException:
            gate.abort()
            raise
        gate.pass_when_ready()
        began = time.perf_counter()
        status = tab.put(path, payload)
        ended = time.perf_counter()
        with lock:
            figures.sent.append(began - gate.opened)
            figures.acknowledged.append(ended - gate.opened)
            figures.own.append(ended - began)
            figures.statuses.append(status)
            figures.reopened += tab.reopened
        tab.close()

    senders = []
    for k in range(size):
        n, team = k % judges, TEAMS[k // judges]
        tab = client(bases[n % len(bases)], 120, jars[n])
        senders.append(threading.Thread(target=send, args=(team, devices[n], tab)))
    for s in senders:
        s.start()
    return senders, gate
