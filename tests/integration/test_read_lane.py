"""The chief's console never waits behind writes (issue 16, item 4): with every route thread
held by writers waiting for SQLite's write lock, the console still answers, because the guards'
sign-in reads and the console run on the read lane (web/database.py)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import httpx
from sqlalchemy import select

from scoring.store.database import make_engine, session_factory, writer_queue
from scoring.store.models import Event, Judge, Round
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.helpers import committed
from tests.integration.stored_examples import StoredExample
from tests.serving import serve_app


def test_the_console_answers_while_every_route_thread_waits_to_write(stored_safety: StoredExample, tmp_path: Path):
    shutil.copyfile(stored_safety.database, tmp_path / "store.sqlite3")
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    sessions = session_factory(make_engine(url))
    committed(sessions, create_user, "organiser", "demo-password", "organiser", actor="t")
    with sessions() as db:
        hydrant = db.scalar(select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == "hydrant"))
        chief_id = db.scalar(select(Judge.id).where(Judge.key == "e1"))
    app = create_app(Settings(data_dir=tmp_path, database_url=url, threads=2))  # two route threads only
    with serve_app(app) as base:
        organiser = httpx.Client(base_url=base, headers={"Origin": base}, timeout=60)
        assert organiser.post("/api/session", json={"username": "organiser", "password": "demo-password"}).is_success
        link = organiser.post(f"/api/admin/judges/{chief_id}/access").json()["link"]
        chief = httpx.Client(base_url=base, headers={"Origin": base}, timeout=60)
        assert chief.get(link, follow_redirects=False).status_code in (302, 303)
        assert chief.get(f"/api/chief/rounds/{hydrant}/console").status_code == 200

        statuses: list[int] = []

        def write(state: str) -> None:
            answer = organiser.post(f"/api/admin/rounds/{hydrant}/publication", json={"state": state})
            statuses.append(answer.status_code)

        queue = writer_queue(app.state.database._sessions.kw["bind"])
        assert queue is not None
        with queue:  # the write lock's queue held here: every write waits, holding a route thread
            writers = [threading.Thread(target=write, args=("open" if n % 2 else "locked",)) for n in range(6)]
            for w in writers:
                w.start()
            answered: list[httpx.Response] = []
            reader = threading.Thread(
                target=lambda: answered.append(chief.get(f"/api/chief/rounds/{hydrant}/console", timeout=30))
            )
            reader.start()
            reader.join(timeout=30)
            assert answered and answered[0].status_code == 200, "the console waited behind the writers"
            assert answered[0].json()["round"] == hydrant and answered[0].json()["entries"]
            assert statuses == []  # and the writers were all still waiting
        for w in writers:
            w.join(timeout=60)
        assert len(statuses) == 6 and all(s in (200, 409) for s in statuses), statuses
