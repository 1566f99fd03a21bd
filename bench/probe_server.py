"""Probe a running server as an outsider would, repeating the breaks of issue 9: the XLSX that
claims a huge sheet (memory bomb), a judge squatting the server's client ids to block the
chief's lock, CSRF switched off by a competition's key, a text/plain and a cross-origin
JSON write, and a copied cookie after sign-out.

    python bench/probe_server.py            # starts its own server (SQLite, a temporary folder)

Prints one line per check (held / BROKEN, with what it saw) and exits 1 if any check broke.
It talks only to the server it started on 127.0.0.1, with a bounded number of requests.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.unit.test_tables_bounded import claimed_dimension_bomb  # noqa: E402

COMPLETE = {"open_cabinet": "1", "lay_hose": "12", "couple": "1", "open_valve": "1", "hit_target": "18"}
COMPLETE |= {"unsafe": "0", "no_reset": "0"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def seat_the_hydrant_panel(folder: Path) -> None:
    """Before the server starts: e1 and e2 (chief) on the hydrant round; their links to a file."""
    from sqlalchemy import select

    from organiser.service import renew_access, set_panel
    from scoring.store.database import make_engine, session_factory, sqlite_url
    from scoring.store.models import Event, Judge, Round
    from web.security import load_secret

    engine = make_engine(sqlite_url(folder))
    with session_factory(engine).begin() as db:
        event = db.execute(select(Event).where(Event.key == "hydrant")).scalar_one()
        round_id = db.execute(select(Round.id).where(Round.event_id == event.id)).scalar_one()
        set_panel(db, round_id, ["e1", "e2"], "e2", actor="probe")
        ids = [db.execute(select(Judge.id).where(Judge.key == k)).scalar_one() for k in ("e1", "e2")]
        links = [a["link"] for a in renew_access(db, load_secret(folder, None), ids, actor="probe")]
    engine.dispose()
    (folder / "probe.txt").write_text(f"{round_id} {' '.join(links)}", encoding="utf-8")


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    env = os.environ | {"SCORING_DATA_DIR": str(folder)}
    env.pop("SCORING_DATABASE_URL", None)
    env.pop("SCORING_SECRET_KEY", None)
    init = subprocess.run(
        [sys.executable, "-m", "server.cli", "init", "--data", str(folder), "--competition",
         str(ROOT / "examples" / "power_safety" / "competition.toml")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    password = re.search(r"password: (\S+)", init.stdout)
    assert init.returncode == 0 and password, init.stdout + init.stderr
    seat_the_hydrant_panel(folder)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--data", str(folder), "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    return server, url, {"username": "organiser", "password": password.group(1)}


def main() -> int:
    results: list[tuple[str, bool, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        server, url, login = start_server(Path(tmp) / "data")
        try:
            results = probe(server, url, login, Path(tmp))
        finally:
            server.terminate()
            server.wait(timeout=20)
    for name, held, seen in results:
        print(f"{'held  ' if held else 'BROKEN'}  {name:<58} {seen}")
    return 0 if all(held for _, held, _ in results) else 1


def probe(server: subprocess.Popen[bytes], url: str, login: dict[str, str], tmp: Path) -> list[tuple[str, bool, str]]:
    out: list[tuple[str, bool, str]] = []
    origin = {"origin": url}
    org = httpx.Client(base_url=url, headers=origin, timeout=60)
    assert org.post("/api/session", json=login).status_code == 200
    competitions = org.get("/api/admin/competitions").json()
    key = competitions[0]["key"]

    # 1. the memory bomb: a small XLSX that claims A1:XFD3000
    bomb = claimed_dimension_bomb(tmp / "roster.xlsx")
    before = peak_rss_mib(server.pid)
    started = time.monotonic()
    answer = org.post(
        f"/api/admin/competitions/{key}/roster?dry_run=true", files={"roster": ("r.xlsx", bomb.read_bytes())}
    )
    grew, took = peak_rss_mib(server.pid) - before, time.monotonic() - started
    seen = f"{bomb.stat().st_size // 1024} KB file: HTTP {answer.status_code}, peak RSS +{grew:.0f} MiB, {took:.1f} s"
    out.append(("XLSX claiming 16,384 columns x 3,000 rows", answer.status_code < 500 and grew < 200, seen))

    # 2. a judge squats the ids the chief's lock would use
    round_text, *links = (tmp / "data" / "probe.txt").read_text(encoding="utf-8").split()
    round_id = int(round_text)
    judges = {}
    for k, link in zip(("e1", "e2"), links, strict=True):
        client = httpx.Client(base_url=url, headers=origin, timeout=60)
        client.get(link, follow_redirects=False)
        judges[k] = client
    for i in range(1, 15):
        for k, client in judges.items():
            body = {"action": "submit", "base_version": 0, "marks": COMPLETE, "device": f"tab-{k}",
                    "client_id": f"lock-{i}-1" if k == "e1" else uuid.uuid4().hex}  # fmt: skip
            client.put(f"/api/judge/sheets/{round_id}/s{i:02d}", json=body)
    squat = judges["e1"].put(f"/api/judge/sheets/{round_id}/s01", json={"action": "save", "base_version": 1,
                             "client_id": "srv/lock/2", "marks": COMPLETE, "device": "tab-e1"})  # fmt: skip
    lock = judges["e2"].post(f"/api/chief/rounds/{round_id}/lock")
    seen = f"server-style id: HTTP {squat.status_code}; lock: HTTP {lock.status_code} {lock.text[:60]}"
    out.append(("a judge taking the lock's client ids", lock.status_code == 200 and squat.status_code == 400, seen))

    # 3. CSRF on a competition whose key begins with "api"
    text = (ROOT / "examples" / "power_safety" / "competition.toml").read_text(encoding="utf-8")
    files = {"competition": ("c.toml", text.replace('key = "safety-culture-2023"', 'key = "api-probe"').encode())}
    files |= {p.stem: (p.name, p.read_bytes()) for p in (ROOT / "examples" / "rubrics").glob("*.toml")}
    org.post("/api/admin/competitions", files=files)
    forged = org.post("/admin/competitions/api-probe/access-cards")
    out.append(("CSRF off for a competition keyed api-...", forged.status_code == 403,
                f"form post without a token: HTTP {forged.status_code}"))  # fmt: skip

    # 4. JSON over text/plain, and from another origin
    judge_url = f"/api/admin/competitions/{key}/judges"
    plain = org.post(judge_url, content=b'{"key": "p1", "name": "Probe"}', headers={"content-type": "text/plain"})
    foreign = org.post(judge_url, json={"key": "p2", "name": "Probe"}, headers={"origin": "http://127.0.0.1:1"})
    out.append(("text/plain and cross-origin JSON writes", plain.status_code == 415 and foreign.status_code == 403,
                f"text/plain: HTTP {plain.status_code}; other origin: HTTP {foreign.status_code}"))  # fmt: skip

    # 5. a copied cookie after sign-out
    thief = httpx.Client(base_url=url, timeout=60, cookies=org.cookies)
    before_out = thief.get("/api/admin/competitions").status_code
    org.delete("/api/session")
    after_out = thief.get("/api/admin/competitions").status_code
    out.append(("a copied cookie after sign-out", before_out == 200 and after_out == 401,
                f"before sign-out: HTTP {before_out}; after: HTTP {after_out}"))  # fmt: skip
    return out


if __name__ == "__main__":
    sys.exit(main())
