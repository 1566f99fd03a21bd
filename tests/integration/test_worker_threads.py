"""Threads and connections that fit: with more worker threads than the old database pool (15
connections), a burst of concurrent reads and writes gets no 5xx, because the pool is sized from
the threads (server/settings.py `database_pool`)."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from scoring.store.database import make_engine, session_factory
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.helpers import committed
from tests.integration.stored_examples import StoredExample
from tests.serving import serve_app

KEY = "safety-culture-2023"


def test_more_threads_than_the_old_pool_and_no_5xx_under_a_burst(stored_safety: StoredExample, tmp_path: Path):
    shutil.copyfile(stored_safety.database, tmp_path / "store.sqlite3")
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    committed(session_factory(make_engine(url)), create_user, "organiser", "demo-password", "organiser", actor="t")
    settings = Settings(data_dir=tmp_path, database_url=url, threads=24)
    assert settings.database_pool["pool_size"] >= 2 * 24 > 15
    with serve_app(create_app(settings)) as base:
        login = httpx.post(f"{base}/api/session", json={"username": "organiser", "password": "demo-password"})
        assert login.status_code == 200, login.text
        cookies = dict(login.cookies)

        def burst(n: int) -> list[int]:
            with httpx.Client(base_url=base, cookies=cookies, headers={"Origin": base}, timeout=60) as client:
                statuses = []
                for k in range(6):
                    if (n + k) % 3 == 0:  # a write: a round reopened or locked again (409 when it already is)
                        state = "open" if k % 2 else "locked"
                        statuses.append(
                            client.post("/api/admin/rounds/1/publication", json={"state": state}).status_code
                        )
                    elif (n + k) % 3 == 1:
                        statuses.append(client.get(f"/live/{KEY}/board.json").status_code)
                    else:
                        statuses.append(client.get("/api/admin/competitions").status_code)
                return statuses

        with ThreadPoolExecutor(48) as pool:
            statuses = [s for part in pool.map(burst, range(48)) for s in part]
    assert len(statuses) == 48 * 6
    assert not [s for s in statuses if s >= 500], sorted(set(statuses))
    assert set(statuses) <= {200, 409}
