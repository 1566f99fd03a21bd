"""Two server processes share the live boards through Redis: a viewer connected to one sees
every change made through the other, in order, with no gap in seq. Needs Redis (the
`redis_url` fixture: skipped where it is absent, except in CI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from scoring.store.database import make_engine, session_factory
from scoring.store.live import head
from scoring.store.users import create_user
from tests.helpers import ROOT, committed
from tests.integration.live_clients import KEY, Viewer, organiser, post
from tests.integration.stored_examples import StoredExample
from tests.serving import free_port


@contextmanager
def server_process(data_dir: Path, redis_url: str) -> Iterator[str]:
    """`uvicorn --factory server.app:create_app` in a process of its own, on the data folder's store."""
    port = free_port()
    env = os.environ | {
        "SCORING_DATA_DIR": str(data_dir),
        "SCORING_DATABASE_URL": f"sqlite:///{data_dir / 'e2e.sqlite3'}",
        "SCORING_REDIS_URL": redis_url,
        "SCORING_SECRET_KEY": "k" * 64,
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "server.app:create_app", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else "exited"
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server process did not start"
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_a_viewer_of_one_process_sees_every_change_made_through_another(
    stored_safety: StoredExample, tmp_path: Path, redis_url: str
):
    shutil.copyfile(stored_safety.database, tmp_path / "e2e.sqlite3")
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path / 'e2e.sqlite3'}"))
    committed(sessions, create_user, "organiser", "demo-password", "organiser", actor="test")
    with server_process(tmp_path, redis_url) as first, server_process(tmp_path, redis_url) as second:
        viewer = Viewer(second)  # watches through the second process
        snapshot = viewer.receive()
        start = snapshot["seq"]
        hydrant = next(r["id"] for r in snapshot["board"]["rounds"] if r["event"] == "hydrant")
        writer = organiser(first)  # changes go through the first
        for state in ("open", "locked") * 3:
            post(writer, f"/api/admin/rounds/{hydrant}/publication", {"state": state})
        with sessions() as db:
            newest = head(db, 1)
        assert newest == start + 6
        viewer.until(newest)  # the viewer's own checks: every update follows the seq it held
        updates = [m for m in viewer.messages if m["type"] == "update"]
        assert updates[0]["prev"] == start and updates[-1]["seq"] == newest
        assert viewer.board["overall"]["rows"] == snapshot["board"]["overall"]["rows"]  # locked again
        assert [r["state"] for r in viewer.board["rounds"] if r["id"] == hydrant] == ["locked"]
        viewer.close()
        writer.close()
    assert KEY in snapshot["board"]["competition"]["key"]
