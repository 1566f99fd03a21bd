"""The world the API tests run in, and the small requests they make to set it up.

A `World` is an app with the power-safety competition, a hydrant panel (e1 judge, e2 chief) and
e3 seated nowhere, an organiser, a quiz master, and a signed-in client for each role. Building
one costs seconds (migrations, the competition, argon2 hashes of passwords and PINs, sign-ins),
so it is built once per database kind per test run (`World.build`) and each test gets a copy
(tests/integration/databases.py): its own database and data directory as the built world left
them, the app, and clients that carry the built world's session cookies. The cookies stay valid
in the copy: they are encrypted with the secret key in the copied data directory, and a judge's
session names the token version that the copied database still holds (renewing access in a
test revokes them as it would in production).

The copies share one app (`SharedApp`): building one costs a quarter of a second (Litestar
registers some 75 routes), and an app knows its database and data directory only through its
state, which each copy sets afresh.
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from dataclasses import dataclass
from http.cookiejar import Cookie
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, select

from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.models import Event, Judge, Round
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.helpers import ROOT, committed
from tests.integration.databases import Place
from web.database import Database
from web.results_feed import ResultsFeed
from web.security import AttemptLimiter, load_secret

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
SIGNED_IN = ("organiser", "judge", "chief", "unseated", "quiz")


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


@dataclass(frozen=True)
class Seating:
    """What a built world knows once it is set up: the ids tests use, the judges' access (links and
    PINs) and the session cookies of each signed-in role."""

    hydrant: int
    extinguisher: int
    quiz_round: int
    event_ids: dict[str, int]
    judge_ids: dict[str, int]
    access: dict[str, dict[str, Any]]
    cookies: dict[str, list[Cookie]]


# what create_app keeps in the app's state; anything else might carry one test's doings into the
# next, so an app with more in its state is not shared (each copy then builds its own)
SHAREABLE_STATE = {"database", "secret", "limiter", "uploads", "templates", "logos", "results_feed", "public_url"}


class SharedApp:
    """One app for every copy of a template: each copy gets the app with its state as create_app
    made it, except for the database (the copy's) and the uploads folder (in the copy's data
    directory). The secret key is the template's, copied with its data directory."""

    def __init__(self) -> None:
        self.app: Litestar | None = None
        self.initial: dict[str, Any] = {}

    def app_for(self, place: Place, engine: Engine) -> Litestar | None:
        """The app, set up for the copy at `place`; None when it cannot be shared."""
        if self.app is None:
            self.app = create_app(Settings(data_dir=place.data_dir, database_url=place.url))
            self.initial = self.app.state.dict()
        if set(self.initial) != SHAREABLE_STATE:
            return None
        assert load_secret(place.data_dir, None) == self.initial["secret"], "a copy of another template"
        state = self.app.state
        if "results_feed" in state:
            state["results_feed"].close()  # the last copy's worker: done with
        for key in list(state):
            del state[key]
        database = Database(session_factory(engine))
        state.update(
            self.initial
            | {
                "database": database,
                "results_feed": ResultsFeed(database),
                "uploads": str(place.data_dir / "uploads"),
                "templates": str(place.data_dir / "templates"),
                "logos": str(place.data_dir / "logos"),
                "limiter": AttemptLimiter(),
            }
        )
        return self.app


class World:
    """An app on a database set up as the module docstring says, with a client per role."""

    def __init__(
        self, place: Place, seating: Seating, redis_url: str | None = None, shared: SharedApp | None = None
    ) -> None:
        self.database_url = place.url
        self.clients: list[TestClient[Any]] = []
        self.engine = make_engine(place.url)
        app = shared.app_for(place, self.engine) if shared is not None and redis_url is None else None
        self.app: Litestar = app or create_app(
            Settings(data_dir=place.data_dir, database_url=place.url, redis_url=redis_url)
        )
        self.app.state.limiter = AttemptLimiter(limit=10_000)  # the tests sign in often; one test checks the limit
        self.hydrant, self.extinguisher, self.quiz_round = seating.hydrant, seating.extinguisher, seating.quiz_round
        self.event_ids, self.judge_ids, self.access = seating.event_ids, seating.judge_ids, seating.access
        self.organiser, self.judge, self.chief, self.unseated, self.quiz = (
            self.client(seating.cookies.get(role, [])) for role in SIGNED_IN
        )
        self.public = self.client()

    @staticmethod
    def build(place: Place, redis_url: str | None = None) -> Seating:
        """Set a world up on an empty database, signing every role in for real, and close it again."""
        engine = make_engine(place.url)
        try:
            migrate(engine)
            sessions = session_factory(engine)
            committed(sessions, create_user, "org", "correct horse", "organiser", actor="test")
            committed(sessions, store_competition, load_competition(POWER), actor="test")
            with sessions() as db:

                def round_of(key: str) -> int:
                    event = db.execute(select(Event).where(Event.key == key)).scalar_one()
                    return db.execute(select(Round.id).where(Round.event_id == event.id)).scalar_one()

                rounds = {key: round_of(key) for key in ("hydrant", "extinguisher", "safety_quiz")}
                event_ids = {
                    "quiz": db.execute(select(Event.id).where(Event.key == "safety_quiz")).scalar_one(),
                    "hydrant": db.execute(select(Event.id).where(Event.key == "hydrant")).scalar_one(),
                }
                judge_ids = {j.key: j.id for j in db.execute(select(Judge)).scalars()}
        finally:
            engine.dispose()
        seating = Seating(
            hydrant=rounds["hydrant"],
            extinguisher=rounds["extinguisher"],
            quiz_round=rounds["safety_quiz"],
            event_ids=event_ids,
            judge_ids=judge_ids,
            access={},
            cookies={},
        )
        world = World(place, seating, redis_url)
        try:
            organiser = world.organiser
            ok(organiser.post("/api/session", json={"username": "org", "password": "correct horse"}))
            ok(organiser.put(f"/api/admin/rounds/{world.hydrant}/panel", json={"judges": ["e1", "e2"], "chief": "e2"}))
            world.access = {
                k: ok(organiser.post(f"/api/admin/judges/{judge_ids[k]}/access")) for k in ("e1", "e2", "e3", "e4")
            }
            for client, key in ((world.judge, "e1"), (world.chief, "e2"), (world.unseated, "e3")):
                ok(client.get(world.access[key]["link"], follow_redirects=False), (302, 303))
            made = ok(
                organiser.post("/api/admin/competitions/safety-culture-2023/quiz-masters", json={"username": "qm1"}),
                201,
            )
            signed_in = ok(world.quiz.post("/api/session", json={"username": "qm1", "password": made["password"]}))
            assert signed_in == {"role": "quiz_master", "username": "qm1"}
            cookies = {role: [copy.copy(c) for c in client.cookies.jar] for role, client in world.by_role().items()}
            return dataclasses.replace(seating, access=world.access, cookies=cookies)
        finally:
            world.close()  # the app's engine is disposed: nothing stays connected to the template

    def by_role(self) -> dict[str, TestClient[Any]]:
        """The signed-in clients by role."""
        return {
            "organiser": self.organiser,
            "judge": self.judge,
            "chief": self.chief,
            "unseated": self.unseated,
            "quiz": self.quiz,
        }

    def client(self, cookies: list[Cookie] | None = None) -> TestClient[Any]:
        client = TestClient(self.app)
        client.__enter__()
        for cookie in cookies or []:
            client.cookies.jar.set_cookie(copy.copy(cookie))
        self.clients.append(client)
        return client

    def close(self) -> None:
        """Shut each client's app lifespan down, newest first (each runs its own event loop)."""
        for client in reversed(self.clients):
            try:
                client.__exit__(None, None, None)
            except Exception:  # a lifespan already stopped by a test
                pass
        self.engine.dispose()

    def signed_in(self, key: str) -> TestClient[Any]:
        """A new client signed in by judge `key`'s access link, for real."""
        client = self.client()
        ok(client.get(self.access[key]["link"], follow_redirects=False), (302, 303))
        return client
