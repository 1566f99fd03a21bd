"""The world the API tests run in, and the small requests they make to set it up.

A `World` is an app with the power-safety competition, a hydrant panel (e1 judge, e2 chief) and
e3 seated nowhere, an organiser, a quiz master, and a signed-in client for each role. Every
request that sets a world or a test up checks its answer (`ok`), so a setup that fails says so
instead of letting a test pass on a world that is not the one it describes.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
from litestar.testing import TestClient
from sqlalchemy import select

from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.models import Event, Judge, Round
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.helpers import ROOT, committed
from web.security import AttemptLimiter

POWER = ROOT / "examples" / "power_safety" / "competition.toml"
COMPLETE = {
    "open_cabinet": "1",
    "lay_hose": "12",
    "couple": "1",
    "open_valve": "1",
    "hit_target": "18",
    "unsafe": "0",
    "no_reset": "0",
}


def ok(response: httpx.Response, status: int | tuple[int, ...] = 200) -> Any:
    """Check a setup request's status (the answer is in the message when it is not the one expected)
    and return its JSON body (None when the answer is not JSON)."""
    expected = (status,) if isinstance(status, int) else status
    assert response.status_code in expected, (
        f"{response.request.method} {response.request.url.path}: {response.status_code} {response.text[:500]}"
    )
    return response.json() if "json" in response.headers.get("content-type", "") else None


def sheet_body(action: str = "save", base: int = 0, marks: dict[str, str] | None = None, client_id: str | None = None):
    return {
        "action": action,
        "base_version": base,
        "client_id": client_id or uuid.uuid4().hex,
        "marks": marks if marks is not None else {"lay_hose": "12"},
        "device": "tablet-7",
    }


class World:
    """An app on a database set up as the module docstring says, with a client per role."""

    def __init__(self, database_url: str, data_dir: Path, redis_url: str | None = None) -> None:
        self.database_url = database_url
        self.clients: list[TestClient[Any]] = []
        self.app = create_app(Settings(data_dir=data_dir, database_url=database_url, redis_url=redis_url))
        self.app.state.limiter = AttemptLimiter(limit=10_000)  # the tests sign in often; one test checks the limit
        sessions = session_factory(make_engine(database_url))
        committed(sessions, create_user, "org", "correct horse", "organiser", actor="test")
        committed(sessions, store_competition, load_competition(POWER), actor="test")
        with sessions() as db:

            def round_of(key: str) -> int:
                event = db.execute(select(Event).where(Event.key == key)).scalar_one()
                return db.execute(select(Round.id).where(Round.event_id == event.id)).scalar_one()

            self.hydrant, self.extinguisher = round_of("hydrant"), round_of("extinguisher")
            self.quiz_round = round_of("safety_quiz")
            self.event_ids = {
                "quiz": db.execute(select(Event.id).where(Event.key == "safety_quiz")).scalar_one(),
                "hydrant": db.execute(select(Event.id).where(Event.key == "hydrant")).scalar_one(),
            }
            self.judge_ids = {j.key: j.id for j in db.execute(select(Judge)).scalars()}
        self.organiser = self.client()
        ok(self.organiser.post("/api/session", json={"username": "org", "password": "correct horse"}))
        ok(self.organiser.put(f"/api/admin/rounds/{self.hydrant}/panel", json={"judges": ["e1", "e2"], "chief": "e2"}))
        self.access = {
            k: ok(self.organiser.post(f"/api/admin/judges/{self.judge_ids[k]}/access"))
            for k in ("e1", "e2", "e3", "e4")
        }
        self.judge, self.chief, self.unseated = (self.signed_in(k) for k in ("e1", "e2", "e3"))
        made = ok(
            self.organiser.post("/api/admin/competitions/safety-culture-2023/quiz-masters", json={"username": "qm1"}),
            201,
        )
        self.quiz = self.client()
        assert ok(self.quiz.post("/api/session", json={"username": "qm1", "password": made["password"]})) == {
            "role": "quiz_master",
            "username": "qm1",
        }
        self.public = self.client()

    def by_role(self) -> dict[str, TestClient[Any]]:
        """The signed-in clients by role."""
        return {
            "organiser": self.organiser,
            "judge": self.judge,
            "chief": self.chief,
            "unseated": self.unseated,
            "quiz": self.quiz,
        }

    def client(self) -> TestClient[Any]:
        client = TestClient(self.app)
        client.__enter__()
        self.clients.append(client)
        return client

    def close(self) -> None:
        """Shut each client's app lifespan down, newest first (each runs its own event loop)."""
        for client in reversed(self.clients):
            try:
                client.__exit__(None, None, None)
            except Exception:  # a lifespan already stopped by a test
                pass

    def signed_in(self, key: str) -> TestClient[Any]:
        """A new client signed in by judge `key`'s access link, for real."""
        client = self.client()
        ok(client.get(self.access[key]["link"], follow_redirects=False), (302, 303))
        return client
