"""Fuzz the API from its own OpenAPI document: whatever is sent, the answer is never a 5xx.

Schemathesis generates requests for every operation (valid and invalid bodies, paths and
parameters) and sends them to the app in-process, signed in as an organiser and as a judge.
Every operation gets a Hypothesis run of its own, of EXAMPLES cases, each sent as each of the
three roles. Ten cases (thirty requests) per operation keep every operation fuzzed as every role
in half the time twenty took, which made this the slowest test of the suite.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from litestar.testing import TestClient

from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.helpers import ROOT, committed
from tests.integration.world import ok
from web.security import AttemptLimiter

EXAMPLES = 10


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory):
    data = Path(tmp_path_factory.mktemp("fuzz"))
    url = f"sqlite:///{data / 'fuzz.sqlite3'}"
    app = create_app(Settings(data_dir=data, database_url=url))
    app.state.limiter = AttemptLimiter(limit=1_000_000)
    sessions = session_factory(make_engine(url))
    committed(sessions, create_user, "org", "fuzz password", "organiser", actor="test")
    committed(
        sessions,
        store_competition,
        load_competition(ROOT / "examples" / "power_safety" / "competition.toml"),
        actor="test",
    )
    with TestClient(app) as client:
        ok(client.post("/api/session", json={"username": "org", "password": "fuzz password"}))
        organiser = dict(client.cookies)
        link = ok(client.post("/api/admin/judges/1/access"))["link"]
        ok(client.put("/api/admin/rounds/1/panel", json={"judges": ["e1"], "chief": "e1"}))
    with TestClient(app) as client:
        ok(client.get(link, follow_redirects=False), (302, 303))
        judge = dict(client.cookies)
    return app, {"organiser": organiser, "judge": judge, "public": {}}


def operations(app) -> list:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_no_request_gets_a_server_error(fuzz_target):
    """(schemathesis's pytest plugin does not run under pytest 9 yet, so each operation gets a
    Hypothesis run of its own here, from the operation's request strategy.)"""
    app, cookies = fuzz_target
    ops = operations(app)
    assert len(ops) >= 15
    for operation in ops:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def no_server_error(case) -> None:
            for role in ("organiser", "judge", "public"):
                response = case.call(cookies=cookies[role])
                assert response.status_code < 500, (
                    f"{case.method} {case.path} as {role}: {response.status_code} {response.text[:300]}"
                )

        no_server_error()
