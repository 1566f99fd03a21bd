"""Where the machine's CPU goes during a write benchmark: server processes, the load client,
PostgreSQL, and everything else; per write, and the ceiling on writes a second that implies.

Read from /proc (Linux; elsewhere the figures are missing and nothing is printed): a process's
user + system time from /proc/<pid>/stat, the whole machine's busy time from /proc/stat, the
PostgreSQL processes by their command name (`postgres`, when the server runs on this machine).
PostgreSQL's processes are split with pg_stat_activity into the run's own backends (the client
backends connected to the run's database) and its shared processes (postmaster, WAL writer,
checkpointer, background writer, autovacuum: they serve the run and whatever else uses the
server). A backend that ends during the run takes its CPU with it (the servers' pools keep
theirs open until the servers stop, after the last reading). Nothing here is asserted.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
CORES = os.cpu_count() or 1


def cpu_seconds(pid: int) -> float | None:
    """A process's CPU time so far (user + system) from /proc; None where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_busy() -> float | None:
    """CPU seconds every core of the machine has spent busy since boot (not idle, not waiting on I/O)."""
    try:
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return None
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / TICK  # user..steal, less idle and iowait


def postgres_cpu() -> dict[int, float]:
    """Every process named `postgres` on this machine: its CPU time so far."""
    found: dict[int, float] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() != "postgres":
                    continue
            except OSError:
                continue
            spent = cpu_seconds(int(entry.name))
            if spent is not None:
                found[int(entry.name)] = spent
    return found


def run_backends(database_url: str) -> tuple[set[int], set[int]]:
    """The PostgreSQL backends connected to the run's database (this query's own one left out),
    and PostgreSQL's shared processes (every row that is not a client backend)."""
    import psycopg

    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as c:
        rows = c.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        shared = c.execute("SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'").fetchall()
    return {int(r[0]) for r in rows}, {int(r[0]) for r in shared}


@dataclass
class Reading:
    """CPU seconds so far of the servers, this process, the machine and PostgreSQL's processes."""

    servers: list[float | None]
    client: float
    machine: float | None
    postgres: dict[int, float] = field(default_factory=dict)
    wall: float = 0.0

    @classmethod
    def now(cls, server_pids: list[int], postgres: bool) -> Reading:
        return cls(
            [cpu_seconds(p) for p in server_pids], time.process_time(), machine_busy(),
            postgres_cpu() if postgres else {}, time.perf_counter(),
        )  # fmt: skip


@dataclass
class Spent:
    """CPU seconds spent between two readings, by whom."""

    server: float | None
    client: float
    database: float | None  # the run's PostgreSQL backends (None on SQLite: it is in the server)
    shared: float | None  # PostgreSQL's shared processes
    machine: float | None
    wall: float


def spent(before: Reading, after: Reading, database_url: str | None) -> Spent:
    pairs = [(a, b) for a, b in zip(after.servers, before.servers, strict=True) if a is not None and b is not None]
    server = sum(a - b for a, b in pairs) if pairs else None
    database = shared = None
    if database_url and after.postgres:
        mine, background = run_backends(database_url)
        grew = {pid: cpu - before.postgres.get(pid, 0.0) for pid, cpu in after.postgres.items()}
        postmaster = min(after.postgres)  # the oldest process: the postmaster, in no pg_stat_activity row
        database = sum(grew[p] for p in mine if p in grew)
        shared = sum(grew[p] for p in (background | {postmaster}) if p in grew)
    machine = after.machine - before.machine if after.machine is not None and before.machine is not None else None
    return Spent(server, after.client - before.client, database, shared, machine, after.wall - before.wall)


@dataclass
class Ceiling:
    """Writes a second the CPU a write allows: on idle cores, and on what the other work left."""

    idle: float
    left: float | None
    server_ms: float  # the servers' CPU a write
    total_ms: float  # everyone's CPU a write

    def scaling(self, processes: int) -> float:
        """How many times one process's best rate (its server's CPU a write on a core of its own)
        `processes` processes could reach with this CPU a write: min(K, cores x server / total)."""
        return min(processes, CORES * self.server_ms / self.total_ms)


def account(used: Spent, writes: int, processes: int, reached: float) -> tuple[list[str], Ceiling | None]:
    """Lines saying the CPU a write by whom, and the ceiling it implies; and that ceiling."""
    if not writes or used.server is None:
        return [], None
    ms = {
        "server": used.server,
        "client": used.client,
        "database": used.database,
        "PostgreSQL shared": used.shared,
    }
    parts = {k: v * 1000 / writes for k, v in ms.items() if v is not None}
    total = sum(parts.values())
    whole = CORES * 1000 / total
    own = processes * 1000 / parts["server"]
    ceiling = Ceiling(min(whole, own), None, parts["server"], total)
    lines = [
        "  CPU a write: " + " + ".join(f"{k} {v:.2f} ms" for k, v in parts.items()) + f" = {total:.2f} ms "
        "(server: with the console's reads; client: this whole process)",
        f"  ceiling: {CORES} cores / {total:.2f} ms = {whole:.0f} writes/s for the whole machine; "
        f"{processes} process{'es' if processes > 1 else ''} / {parts['server']:.2f} ms = {own:.0f} writes/s "
        f"(one core a process at most); reached {reached:.0f} = {reached / ceiling.idle:.0%} of {ceiling.idle:.0f}",
    ]
    if used.machine is not None and used.wall > 0:
        ours = sum(v for v in ms.values() if v is not None)
        rest = max(0.0, used.machine - ours)
        free = max(0.0, CORES - rest / used.wall)
        ceiling.left = min(free * 1000 / total, own)
        lines.append(
            f"  the machine meanwhile: {used.machine:.1f} CPU s busy of {CORES * used.wall:.1f} "
            f"({CORES} cores x {used.wall:.1f} s); this run's parts {ours:.1f} s, other work {rest:.1f} s, "
            f"which left this run {free:.2f} cores: at most {ceiling.left:.0f} writes/s"
        )
    return lines, ceiling
