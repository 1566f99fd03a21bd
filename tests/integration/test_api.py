"""The HTTP API: sign-in, the sheet contract over HTTP, and who may reach which route."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, session_factory
from scoring.store.models import Event, Judge, Round
from scoring.store.users import create_user
from server.app import create_app
from server.settings import Settings
from tests.helpers import ROOT, RUBRICS, committed
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


class World:
    """An app with the power-safety competition, a hydrant panel (e1 judge, e2 chief), and e3 seated nowhere."""

    def __init__(self, database_url: str, data_dir: Path, redis_url: str | None = None) -> None:
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
        assert (
            self.organiser.post("/api/session", json={"username": "org", "password": "correct horse"}).status_code
            == 200
        )
        panel = self.organiser.put(
            f"/api/admin/rounds/{self.hydrant}/panel", json={"judges": ["e1", "e2"], "chief": "e2"}
        )
        assert panel.status_code == 200, panel.text
        self.access = {
            k: self.organiser.post(f"/api/admin/judges/{self.judge_ids[k]}/access").json()
            for k in ("e1", "e2", "e3", "e4")
        }
        self.judge, self.chief, self.unseated = (self.signed_in(k) for k in ("e1", "e2", "e3"))
        made = self.organiser.post("/api/admin/competitions/safety-culture-2023/quiz-masters", json={"username": "qm1"})
        assert made.status_code == 201, made.text
        self.quiz = self.client()
        assert self.quiz.post("/api/session", json={"username": "qm1", "password": made.json()["password"]}).json() == {
            "role": "quiz_master",
            "username": "qm1",
        }
        self.public = self.client()

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
        client = self.client()
        response = client.get(self.access[key]["link"], follow_redirects=False)
        assert response.status_code in (302, 303), response.text
        return client


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[World]:
    made = World(database_url, tmp_path)
    yield made
    made.close()


def sheet_body(action: str = "save", base: int = 0, marks: dict[str, str] | None = None, client_id: str | None = None):
    return {
        "action": action,
        "base_version": base,
        "client_id": client_id or uuid.uuid4().hex,
        "marks": marks if marks is not None else {"lay_hose": "12"},
        "device": "tablet-7",
    }


def test_organiser_sign_in_refuses_a_wrong_password_and_rate_limits(world):
    world.app.state.limiter = AttemptLimiter()  # ten attempts per address in five minutes
    client = world.client()
    assert client.post("/api/session", json={"username": "org", "password": "nope"}).status_code == 401
    assert client.post("/api/session", json={"username": "nobody", "password": "nope"}).status_code == 401
    statuses = [client.post("/api/session", json={"username": "org", "password": "x"}).status_code for _ in range(12)]
    assert statuses == [401] * 4 + [429] * 8  # the account is locked after five failures in a row (issue 9)
    limited = client.post("/api/session", json={"username": "org", "password": "correct horse"})
    assert limited.status_code == 429 and "locked" in limited.json()["en"]


def test_judge_signs_in_by_link_and_sees_only_their_assignments(world):
    response = world.judge.get("/api/judge/assignments")
    assert response.status_code == 200
    [seat] = response.json()
    assert seat["event"] == "hydrant" and seat["chief"] is False and len(seat["entries"]) == 14
    assert world.unseated.get("/api/judge/assignments").json() == []


def test_judge_signs_in_by_pin(world):
    client = world.client()
    body = {"competition": "safety-culture-2023", "judge": "e1", "pin": world.access["e1"]["pin"]}
    assert (
        client.post(
            "/api/session/judge-pin", json=body | {"pin": "000000" if body["pin"] != "000000" else "111111"}
        ).status_code
        == 401
    )
    assert client.post("/api/session/judge-pin", json=body).status_code == 200
    assert client.get("/api/judge/assignments").status_code == 200


def test_sheet_over_http_idempotent_stale_and_checked(world):
    url = f"/api/judge/sheets/{world.hydrant}/s01"
    first = world.judge.put(url, json=sheet_body(client_id="tablet-7-0001"))
    assert first.status_code == 200 and first.json()["version"] == 1 and first.json()["replayed"] is False
    retry = world.judge.put(url, json=sheet_body(client_id="tablet-7-0001"))
    assert retry.status_code == 200 and retry.json() | {"replayed": False} == first.json()
    assert retry.json()["replayed"] is True
    world.judge.put(url, json=sheet_body(base=1, marks={"lay_hose": "13"}))
    stale = world.judge.put(url, json=sheet_body(base=1, marks={"lay_hose": "9"}))
    assert stale.status_code == 409
    assert stale.json()["type"] == "urn:scoring:problem:stale-write" and stale.json()["current"]["marks"] == {
        "lay_hose": "13"
    }
    bad = world.judge.put(url, json=sheet_body(base=2, marks={"lay_hose": "99"}))
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "lay_hose"
    assert world.judge.get(url).json()["marks"] == {"lay_hose": "13"}


def test_a_judge_never_sees_another_judges_marks(world):
    url = f"/api/judge/sheets/{world.hydrant}/s01"
    world.judge.put(url, json=sheet_body(marks={"lay_hose": "14"}))
    assert world.chief.get(url).json() == {"version": 0, "state": "new", "marks": {}, "notes": {}, "reason": ""}


def test_seats_and_entries_are_checked_on_the_server(world):
    assert world.unseated.put(f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body()).status_code == 403
    assert world.judge.put(f"/api/judge/sheets/{world.extinguisher}/s01", json=sheet_body()).status_code == 403
    assert world.judge.put(f"/api/judge/sheets/{world.hydrant}/zz99", json=sheet_body()).status_code == 404
    assert world.judge.get("/api/judge/sheets/999999/s01").status_code == 404


def test_chief_returns_a_sheet_and_a_plain_judge_cannot(world):
    url = f"/api/judge/sheets/{world.hydrant}/s02"
    assert world.judge.put(url, json=sheet_body("submit", marks=COMPLETE)).status_code == 200
    chief_url = f"/api/chief/sheets/{world.hydrant}/s02/e1"
    body = {"action": "return", "base_version": 1, "client_id": uuid.uuid4().hex, "reason": "check lay_hose"}
    assert world.judge.post(chief_url, json=body).status_code == 403
    no_reason = world.chief.post(chief_url, json=body | {"reason": "", "client_id": uuid.uuid4().hex})
    assert no_reason.status_code == 422
    returned = world.chief.post(chief_url, json=body)
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    mine = world.judge.get(url).json()  # the chief acted on e1's sheet, not their own
    assert mine["state"] == "returned" and mine["reason"] == "check lay_hose"  # the judge is told why
    assert world.chief.get(url).json()["version"] == 0
    again = world.judge.put(url, json=sheet_body("submit", base=2, marks=COMPLETE | {"lay_hose": "11"}))
    assert again.status_code == 200 and again.json()["state"] == "submitted"


def test_renewing_a_judges_access_revokes_the_old_link_and_session(world):
    old_link = world.access["e1"]["link"]
    world.organiser.post(f"/api/admin/judges/{world.judge_ids['e1']}/access")
    assert world.judge.get("/api/judge/assignments").status_code == 401
    assert world.client().get(old_link, follow_redirects=False).status_code == 401


def test_upload_a_competition_with_its_rubrics(world):
    cement = ROOT / "examples" / "cement"
    files = {"competition": ("competition.toml", (cement / "competition.toml").read_bytes())}
    for path in sorted((RUBRICS / "cement").glob("*.toml")):
        files[path.stem] = (path.name, path.read_bytes())
    created = world.organiser.post("/api/admin/competitions", files=files)
    assert created.status_code == 201, created.text
    assert created.json()["teams"] == 28
    listed = world.organiser.get("/api/admin/competitions").json()
    assert [c["key"] for c in listed] == ["safety-culture-2023", "cement-team-leaders-2023"]
    missing = world.organiser.post("/api/admin/competitions", files={"competition": files["competition"]})
    assert missing.status_code == 422 and "was not uploaded" in missing.json()["problems"][0]["en"]
    broken = world.organiser.post("/api/admin/competitions", files={"competition": ("c.toml", b"[competition\nkey=")})
    assert broken.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"action": "save"},
        {"action": "delete", "base_version": 0, "client_id": "abcdefgh"},
        {"action": "save", "base_version": -1, "client_id": "abcdefgh"},
        {"action": "save", "base_version": 0, "client_id": "short"},
        {"action": "save", "base_version": "one", "client_id": "abcdefgh"},
        {"action": "save", "base_version": 0, "client_id": "abcdefgh", "marks": {"lay_hose": 12}},
        {"action": "save", "base_version": 0, "client_id": "abcdefgh", "marks": {"x" * 100: "1"}},
        {"action": "save", "base_version": 0, "client_id": "abcdefgh", "extra": 1},
        [1, 2, 3],
        "text",
    ],
)
def test_malformed_sheet_requests_get_400_not_500(world, body):
    response = world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["type"] == "urn:scoring:problem:bad-request"


# -- the access matrix ----------------------------------------------------------------------
ROLES = ["public", "organiser", "judge", "chief", "unseated", "quiz"]
# public routes that answer 404 for what is not published yet, as if it did not exist
HIDDEN_UNTIL_PUBLISHED = {"/api/public/rounds/{round_id:int}/codes"}
# routes the matrix calls with input they must refuse (creating real things would change the world)
REFUSED_INPUT = {
    "/api/chief/rounds/{round_id:int}/lock",
    "/api/admin/competitions/from-template",
    "/api/admin/competitions/{key:str}/judges",
    "/api/admin/rounds/{round_id:int}/publication",
}
OK = {200, 201, 302, 303}


def route_cases(world: World) -> dict[tuple[str, str], tuple[str, Any, set[str]]]:
    """Every registered route: a concrete request and the roles that may reach it."""
    h = world.hydrant
    everyone = set(ROLES)
    return {
        ("GET", "/health"): ("/health", None, everyone),
        ("GET", "/assets/pages.js"): ("/assets/pages.js", None, everyone),
        ("GET", "/"): ("/", None, everyone),
        ("GET", "/api/public/competitions"): ("/api/public/competitions", None, everyone),
        ("POST", "/api/session"): ("/api/session", {"username": "org", "password": "correct horse"}, everyone),
        ("DELETE", "/api/session"): ("/api/session", None, everyone),
        ("POST", "/api/session/judge-pin"): ("/api/session/judge-pin", "PIN", everyone),
        ("GET", "/judge/signin/{token:str}"): ("LINK", None, everyone),
        ("GET", "/api/admin/competitions"): ("/api/admin/competitions", None, {"organiser"}),
        ("POST", "/api/admin/competitions"): ("/api/admin/competitions", "UPLOAD", {"organiser"}),
        ("GET", "/api/admin/rounds/{round_id:int}/panel"): (f"/api/admin/rounds/{h}/panel", None, {"organiser"}),
        ("PUT", "/api/admin/rounds/{round_id:int}/panel"): (
            f"/api/admin/rounds/{h}/panel",
            {"judges": ["e1", "e2"], "chief": "e2"},
            {"organiser"},
        ),
        ("POST", "/api/admin/judges/{judge_id:int}/access"): (
            f"/api/admin/judges/{world.judge_ids['e5']}/access",
            None,
            {"organiser"},
        ),
        ("POST", "/api/admin/rounds/{round_id:int}/draws"): (
            f"/api/admin/rounds/{world.extinguisher}/draws",
            {"purpose": "order", "drawn_by": "张三"},
            {"organiser"},
        ),
        ("GET", "/api/admin/rounds/{round_id:int}/draws"): (
            f"/api/admin/rounds/{world.extinguisher}/draws",
            None,
            {"organiser"},
        ),
        ("POST", "/api/admin/competitions/{key:str}/roster"): (
            "/api/admin/competitions/safety-culture-2023/roster?dry_run=true",
            "ROSTER",
            {"organiser"},
        ),
        ("GET", "/api/admin/events/{event_id:int}/rubric"): (
            f"/api/admin/events/{world.event_ids['quiz']}/rubric",
            None,
            {"organiser"},
        ),
        ("PUT", "/api/admin/events/{event_id:int}/rubric"): (
            f"/api/admin/events/{world.event_ids['quiz']}/rubric",
            "RUBRIC",
            {"organiser"},
        ),
        ("POST", "/api/admin/competitions/from-template"): (
            "/api/admin/competitions/from-template",
            {"template": "no-such-template"},
            {"organiser"},
        ),
        ("POST", "/api/admin/competitions/{key:str}/judges"): (
            "/api/admin/competitions/no-such-competition/judges",
            {"key": "x1", "name": "X"},
            {"organiser"},
        ),
        ("POST", "/admin/competitions/from-template"): (
            "/admin/competitions/from-template",
            "FORM:template=none",
            {"organiser"},
        ),
        ("POST", "/admin/competitions/{key:str}/judges"): (
            "/admin/competitions/safety-culture-2023/judges",
            "FORM:key=&name=",
            {"organiser"},
        ),
        ("GET", "/api/judge/assignments"): ("/api/judge/assignments", None, {"judge", "chief", "unseated"}),
        ("GET", "/api/chief/rounds/{round_id:int}/console"): (f"/api/chief/rounds/{h}/console", None, {"chief"}),
        # (the panel has not submitted: the chief reaches the route and is told what is missing)
        ("POST", "/api/chief/rounds/{round_id:int}/lock"): (f"/api/chief/rounds/{h}/lock", None, {"chief"}),
        ("POST", "/api/admin/competitions/{key:str}/quiz-masters"): (
            "/api/admin/competitions/safety-culture-2023/quiz-masters",
            {"username": "qm-matrix"},
            {"organiser"},
        ),
        ("POST", "/api/quiz/rounds/{round_id:int}/answers"): (
            f"/api/quiz/rounds/{world.quiz_round}/answers",
            "ANSWER",
            {"quiz"},
        ),
        ("GET", "/api/quiz/rounds/{round_id:int}/scores"): (
            f"/api/quiz/rounds/{world.quiz_round}/scores",
            None,
            {"quiz"},
        ),
        ("PATCH", "/api/admin/teams/{team_id:int}"): (
            "/api/admin/teams/1",
            {"name_zh": "安全监察部一队", "name_en": "Safety team 1", "unit": "d01"},
            {"organiser"},
        ),
        ("PATCH", "/api/admin/units/{unit_id:int}"): (
            "/api/admin/units/1",
            {"name_zh": "安全监察部", "name_en": "Safety"},
            {"organiser"},
        ),
        ("PATCH", "/api/admin/contestants/{contestant_id:int}"): (
            "/api/admin/contestants/2",
            {"name": "改名", "role": "member", "team": "s01"},
            {"organiser"},
        ),
        ("PATCH", "/api/admin/events/{event_id:int}"): (
            f"/api/admin/events/{world.event_ids['hydrant']}",
            {"title_zh": "消火栓", "title_en": "Hydrant", "weight": "10"},
            {"organiser"},
        ),
        ("POST", "/api/admin/events/{event_id:int}/rounds"): (
            f"/api/admin/events/{world.event_ids['hydrant']}/rounds",
            "ROUND",
            {"organiser"},
        ),
        ("POST", "/api/admin/rounds/{round_id:int}/publication"): (
            f"/api/admin/rounds/{world.extinguisher}/publication",
            {"state": "final"},
            {"organiser"},
        ),
        ("GET", "/api/public/rounds/{round_id:int}/codes"): (f"/api/public/rounds/{world.hydrant}/codes", None, set()),
        # organiser pages
        ("GET", "/admin/competitions/{key:str}/people"): (
            "/admin/competitions/safety-culture-2023/people",
            None,
            {"organiser"},
        ),
        ("POST", "/admin/teams/{team_id:int}"): (
            "/admin/teams/1",
            "FORM:name_zh=一队&name_en=T1&unit=d01",
            {"organiser"},
        ),
        ("POST", "/admin/units/{unit_id:int}"): (
            "/admin/units/1",
            "FORM:name_zh=安全监察部&name_en=Safety",
            {"organiser"},
        ),
        ("POST", "/admin/contestants/{contestant_id:int}"): (
            "/admin/contestants/2",
            "FORM:name=乙&role=member&team=s01",
            {"organiser"},
        ),
        ("GET", "/judge/pin"): ("/judge/pin", None, everyone),
        ("POST", "/judge/pin"): ("/judge/pin", "FORM:competition=safety-culture-2023&judge=e3&pin=000000", everyone),
        ("GET", "/judge/sw.js"): ("/judge/sw.js", None, everyone),
        ("GET", "/judge/sheet.js"): ("/judge/sheet.js", None, everyone),
        ("GET", "/judge"): ("/judge", None, {"judge", "chief", "unseated"}),
        ("GET", "/judge/rounds/{round_id:int}/{entry:str}"): (f"/judge/rounds/{h}/s05", None, {"judge", "chief"}),
        ("GET", "/judge/rounds/{round_id:int}/paper"): (f"/judge/rounds/{h}/paper", None, {"chief"}),
        ("GET", "/judge/console/{round_id:int}"): (f"/judge/console/{h}", None, {"chief"}),
        ("GET", "/judge/console.js"): ("/judge/console.js", None, everyone),
        ("POST", "/admin/rounds/{round_id:int}/publication"): (
            f"/admin/rounds/{world.extinguisher}/publication",
            "FORM:state=final",
            {"organiser"},
        ),
        ("POST", "/admin/events/{event_id:int}/rubric"): (
            f"/admin/events/{world.event_ids['hydrant']}/rubric",
            "FORM:",
            {"organiser"},
        ),
        ("GET", "/admin/events/{event_id:int}"): (f"/admin/events/{world.event_ids['hydrant']}", None, {"organiser"}),
        ("POST", "/admin/events/{event_id:int}"): (
            f"/admin/events/{world.event_ids['hydrant']}",
            "FORM:title_zh=消火栓&title_en=Hydrant&weight=10",
            {"organiser"},
        ),
        ("POST", "/admin/events/{event_id:int}/rounds"): (
            f"/admin/events/{world.event_ids['hydrant']}/rounds",
            "FORM:key=",
            {"organiser"},
        ),  # (a refused public visitor is sent to the sign-in page)
        ("GET", "/admin/login"): ("/admin/login", None, everyone),
        ("POST", "/admin/login"): ("/admin/login", "FORM:username=org&password=correct horse", everyone),
        ("POST", "/admin/logout"): ("/admin/logout", "FORM:", everyone),
        ("GET", "/admin"): ("/admin", None, {"organiser"}),
        ("POST", "/admin/competitions"): ("/admin/competitions", "FORM:", {"organiser"}),
        ("GET", "/admin/competitions/{key:str}"): ("/admin/competitions/safety-culture-2023", None, {"organiser"}),
        ("POST", "/admin/competitions/{key:str}/roster"): (
            "/admin/competitions/safety-culture-2023/roster",
            "FORM:",
            {"organiser"},
        ),
        ("POST", "/admin/competitions/{key:str}/roster/confirm"): (
            "/admin/competitions/safety-culture-2023/roster/confirm",
            "FORM:token=x",
            {"organiser"},
        ),
        # (an unknown competition: renewing the real judges' access would sign out the judges of this test)
        ("POST", "/admin/competitions/{key:str}/access-sheet"): (
            "/admin/competitions/no-such-competition/access-sheet",
            "FORM:",
            {"organiser"},
        ),
        ("GET", "/admin/rounds/{round_id:int}"): (f"/admin/rounds/{world.extinguisher}", None, {"organiser"}),
        ("POST", "/admin/rounds/{round_id:int}/panel"): (
            f"/admin/rounds/{world.extinguisher}/panel",
            "FORM:judges=e6",
            {"organiser"},
        ),
        ("POST", "/admin/rounds/{round_id:int}/draws"): (
            f"/admin/rounds/{world.extinguisher}/draws",
            "FORM:purpose=order&drawn_by=Li",
            {"organiser"},
        ),
        ("GET", "/admin/events/{event_id:int}/rubric"): (
            f"/admin/events/{world.event_ids['hydrant']}/rubric",
            None,
            {"organiser"},
        ),
        ("GET", "/api/judge/sheets/{round_id:int}/{entry:str}"): (
            f"/api/judge/sheets/{h}/s03",
            None,
            {"judge", "chief"},
        ),
        ("PUT", "/api/judge/sheets/{round_id:int}/{entry:str}"): (
            f"/api/judge/sheets/{h}/s03",
            "SHEET",
            {"judge", "chief"},
        ),
        ("POST", "/api/chief/sheets/{round_id:int}/{entry:str}/{judge:str}"): (
            f"/api/chief/sheets/{h}/s04/e1",
            "TRANSCRIBE",
            {"chief"},
        ),
        ("POST", "/api/judge/sheets/{round_id:int}/{entry:str}/claim"): (
            f"/api/judge/sheets/{h}/s12/claim",
            {"device": "matrix-tablet"},
            {"judge", "chief"},
        ),
        ("GET", "/api/chief/sheets/{round_id:int}/{entry:str}/{judge:str}"): (
            f"/api/chief/sheets/{h}/s12/e1",
            None,
            {"chief"},
        ),
        ("POST", "/api/chief/sheets/{round_id:int}/{entry:str}/{judge:str}/release"): (
            f"/api/chief/sheets/{h}/s12/e1/release",
            {"reason": "tablet broke"},
            {"chief"},
        ),
        # (a file with a row for a judge off the panel: the chief reaches the route and is told)
        ("POST", "/api/chief/rounds/{round_id:int}/transcriptions"): (
            f"/api/chief/rounds/{h}/transcriptions",
            "PAPER",
            {"chief"},
        ),
    }


def test_every_route_grants_and_refuses_each_role_as_intended(world):
    cases = route_cases(world)
    registered = {
        (m, r.path)
        for r in world.app.routes
        for m in getattr(r, "methods", ())
        if m not in ("OPTIONS", "HEAD") and not r.path.startswith("/schema")
    }
    assert registered == set(cases), f"routes without an access rule: {registered - set(cases)}"
    clients = {
        "organiser": world.organiser,
        "judge": world.judge,
        "chief": world.chief,
        "unseated": world.unseated,
        "quiz": world.quiz,
    }
    changes_session = {
        "/api/session",
        "/api/session/judge-pin",
        "/judge/signin/{token:str}",
        "/admin/login",
        "/admin/logout",
        "/judge/pin",
    }
    for (method, template), (path, body, allowed) in cases.items():
        for role in ROLES:
            # sign-in routes replace the caller's session: every role calls them on a client of its own
            client = world.client() if role == "public" or template in changes_session else clients[role]
            target, payload, files = path, body, None
            if path == "LINK":
                target = world.access["e4"]["link"]
            if body == "PIN":
                payload = {"competition": "safety-culture-2023", "judge": "e3", "pin": world.access["e3"]["pin"]}
            if body == "SHEET":
                payload = sheet_body()
            if body == "ROUND":
                payload = {"key": f"r{uuid.uuid4().hex[:8]}"}
            if body == "ANSWER":
                payload = {"team": "s01", "type": "必答", "outcome": "对", "client_id": uuid.uuid4().hex}
            if body == "TRANSCRIBE":
                payload = {
                    "action": "transcribe",
                    "base_version": 0,
                    "client_id": uuid.uuid4().hex,
                    "marks": COMPLETE,
                    "device": role,
                }
                target = f"/api/chief/sheets/{world.hydrant}/s{ROLES.index(role) + 4:02d}/e1"
            if body == "UPLOAD":
                payload, files = None, {"competition": ("c.toml", b"not toml [")}
            if body == "PAPER":
                payload, files = None, {"marks": ("paper.csv", "entry,judge,criterion,value\ns01,zz,lay_hose,12\n")}
            if body == "ROSTER":
                payload, files = (
                    None,
                    {"roster": ("r.csv", "unit,team,contestant,name,role\nd01,s01,p900,张三,member\n")},
                )
            if body == "RUBRIC":
                payload, files = None, {"rubric": ("quiz.toml", (RUBRICS / "safety_quiz.toml").read_bytes())}
            form = None
            headers = {}
            if isinstance(body, str) and body.startswith("FORM:"):
                client.get("/admin/login")  # the CSRF cookie
                headers = {"x-csrftoken": client.cookies.get("csrftoken", "")}
                form = dict(pair.split("=", 1) for pair in body[5:].split("&") if pair)
                if template == "/judge/pin":
                    form["pin"] = world.access["e3"]["pin"]
                payload = None
            response = client.request(
                method, target, json=payload, data=form, files=files, headers=headers, follow_redirects=False
            )
            status = response.status_code
            assert status < 500, (method, template, role, response.text)
            if role not in allowed:
                to_login = status in (302, 303) and response.headers.get("location") in ("/admin/login", "/judge/pin")
                hidden = template in HIDDEN_UNTIL_PUBLISHED and status == 404
                assert status in (401, 403) or to_login or hidden, (method, template, role, status, response.text)
            elif isinstance(body, str) and body.startswith("FORM:") and template not in changes_session:
                assert status not in (401, 403) and response.headers.get("location") != "/admin/login", (
                    method,
                    template,
                    role,
                    status,
                )
            elif body in ("UPLOAD", "PAPER") or template in REFUSED_INPUT:
                assert status in (404, 409, 422), (method, template, role, status)  # reached; the bad input refused
            else:
                assert status in OK, (method, template, role, status, response.text)


def test_openapi_document_describes_every_api_route(world):
    schema = world.public.get("/schema/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/judge/sheets/{round_id}/{entry}", "/api/admin/rounds/{round_id}/panel", "/api/session"):
        assert path in paths
    put = paths["/api/judge/sheets/{round_id}/{entry}"]["put"]
    assert "client_id" in str(schema.json()["components"]) and put["requestBody"]


def test_draws_are_recorded_with_their_seeds_and_replay(world):
    from scoring.draws import draw_order

    url = f"/api/admin/rounds/{world.extinguisher}/draws"
    made = world.organiser.post(url, json={"purpose": "order", "drawn_by": "王五", "seed": 20231031})
    assert made.status_code == 201, made.text
    entries = [f"s{i:02d}" for i in range(1, 15)]
    assert made.json()["result"]["order"] == draw_order(entries, 20231031)
    random_seed = world.organiser.post(url, json={"purpose": "stations", "drawn_by": "王五", "stations": 3}).json()
    assert sorted(set(random_seed["result"]["stations"].values())) == [1, 2, 3]
    listed = world.organiser.get(url).json()
    assert [d["purpose"] for d in listed] == ["order", "stations"] and listed[1]["seed"] == random_seed["seed"]
    no_stations = world.organiser.post(url, json={"purpose": "stations", "drawn_by": "王五"})
    assert no_stations.status_code == 422
    assert world.organiser.post(url, json={"purpose": "lottery", "drawn_by": "x"}).status_code == 400


def test_blind_round_judges_see_and_use_codes_only(world):
    cement = ROOT / "examples" / "cement"
    files = {"competition": ("competition.toml", (cement / "competition.toml").read_bytes())}
    files |= {p.stem: (p.name, p.read_bytes()) for p in sorted((RUBRICS / "cement").glob("*.toml"))}
    assert world.organiser.post("/api/admin/competitions", files=files).status_code == 201
    with world.app.state.database.read() as db:
        event = db.execute(select(Event).where(Event.key == "site_5s")).scalar_one()
        round_id = db.execute(select(Round.id).where(Round.event_id == event.id)).scalar_one()
        j1 = db.execute(
            select(Judge.id).where(Judge.key == "j1", Judge.competition_id == event.competition_id)
        ).scalar_one()
    assert world.organiser.put(f"/api/admin/rounds/{round_id}/panel", json={"judges": ["j1"]}).status_code == 200
    judge = world.client()
    judge.get(world.organiser.post(f"/api/admin/judges/{j1}/access").json()["link"], follow_redirects=False)
    [seat] = judge.get("/api/judge/assignments").json()
    assert seat["blind"] is True and seat["entries"] == []
    assert judge.get(f"/api/judge/sheets/{round_id}/t01").status_code == 409  # no codes yet
    draws = f"/api/admin/rounds/{round_id}/draws"
    assert world.organiser.post(draws, json={"purpose": "codes", "drawn_by": "李四"}).status_code == 409
    world.organiser.post(draws, json={"purpose": "checkin", "drawn_by": "李四", "seed": 1})
    same = world.organiser.post(draws, json={"purpose": "codes", "drawn_by": "李四", "seed": 2})
    assert same.status_code == 422 and "different official" in same.json()["detail"]
    codes = world.organiser.post(draws, json={"purpose": "codes", "drawn_by": "赵六", "seed": 2, "prefix": "B"})
    assert codes.status_code == 201
    mapping = codes.json()["result"]["codes"]
    [seat] = judge.get("/api/judge/assignments").json()
    assert sorted(seat["entries"]) == sorted(mapping.values()) and not set(seat["entries"]) & set(mapping)
    code = mapping["t01"]
    saved = judge.put(f"/api/judge/sheets/{round_id}/{code}", json=sheet_body(marks={"locations": "20"}))
    assert saved.status_code == 200 and "t01" not in saved.text
    assert judge.get(f"/api/judge/sheets/{round_id}/t01").status_code == 404  # keys are not accepted
    again = world.organiser.post(draws, json={"purpose": "codes", "drawn_by": "赵六"})
    assert again.status_code == 409  # a sheet exists: the codes are fixed


def test_roster_import_previews_then_adds_all_or_nothing(world):
    url = "/api/admin/competitions/safety-culture-2023/roster"
    good = (
        "unit,unit_name,team,team_name,contestant,name,role\n"
        "d09,应急中心,s15,应急一队,p101,张伟,队长\nd09,,s15,,p102,李娜,\n"
    )
    preview = world.organiser.post(url + "?dry_run=true", files={"roster": ("roster.csv", good)})
    assert preview.status_code == 200 and preview.json()["new_teams"] == ["s15"] and preview.json()["imported"] == 0
    bad = good + "d77,,s16,,p103,王五,member\n"
    refused = world.organiser.post(url, files={"roster": ("roster.csv", bad)})
    assert refused.status_code == 422
    [problem] = refused.json()["problems"]
    assert problem["row"] == 4 and problem["file"] == "roster.csv" and "unknown unit 'd77'" in problem["en"]
    assert world.organiser.get("/api/admin/competitions").json()[0]["teams"] == 14  # nothing was added
    done = world.organiser.post(url, files={"roster": ("roster.csv", good)})
    assert done.status_code == 201 and done.json()["imported"] == 2
    assert world.organiser.get("/api/admin/competitions").json()[0]["teams"] == 15
    again = world.organiser.post(url, files={"roster": ("roster.csv", good)})
    assert again.status_code == 422 and "already in the competition" in again.json()["problems"][0]["en"]
    assert world.organiser.post(url, files={"roster": ("roster.pdf", b"%PDF")}).status_code == 422
    assert (
        world.organiser.post("/api/admin/competitions/nope/roster", files={"roster": ("r.csv", good)}).status_code
        == 404
    )


def test_rubric_preview_and_new_versions_until_marks_exist(world):
    url = f"/api/admin/events/{world.event_ids['hydrant']}/rubric"
    preview = world.organiser.get(url).json()
    assert preview["version"] == 1 and preview["form"]["max_points"] == "100"
    hose = preview["form"]["items"][0]
    assert hose["section"] == "hose" and [i["input"] for i in hose["items"]] == ["toggle", "stepper", "toggle", "veto"]
    assert [hose["items"][1][k] for k in ("min", "max", "step")] == ["0", "15", "1"]
    broken = world.organiser.put(
        url, files={"rubric": ("hydrant.toml", b'key = "x"\ntitle = "X"\n[[criteria]]\nkey = "a"\n')}
    )
    assert broken.status_code == 422 and broken.json()["problems"][0]["file"] == "hydrant.toml"
    new = world.organiser.put(url, files={"rubric": ("hydrant.toml", (RUBRICS / "fire_hydrant.toml").read_bytes())})
    assert new.status_code == 200 and new.json()["version"] == 2
    world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body())
    frozen = world.organiser.put(url, files={"rubric": ("hydrant.toml", (RUBRICS / "fire_hydrant.toml").read_bytes())})
    assert frozen.status_code == 409


def test_create_from_a_template_and_add_judges(world):
    created = world.organiser.post("/api/admin/competitions/from-template", json={"template": "cement"})
    assert created.status_code == 201 and created.json()["teams"] == 28
    again = world.organiser.post("/api/admin/competitions/from-template", json={"template": "cement"})
    assert again.status_code == 422 and "already stored" in again.json()["problems"][0]["en"]
    added = world.organiser.post(
        "/api/admin/competitions/cement-team-leaders-2023/judges", json={"key": "j9", "name": "周九"}
    )
    assert added.status_code == 201
    twice = world.organiser.post(
        "/api/admin/competitions/cement-team-leaders-2023/judges", json={"key": "j9", "name": "周九"}
    )
    assert twice.status_code == 422 and twice.json()["problems"][0]["field"] == "key"
    bad = world.organiser.post(
        "/api/admin/competitions/cement-team-leaders-2023/judges", json={"key": "9j", "name": " "}
    )
    assert bad.status_code == 422 and {p["field"] for p in bad.json()["problems"]} == {"key", "name"}


def test_quiz_master_records_answers_and_reads_running_scores(world):
    url = f"/api/quiz/rounds/{world.quiz_round}/answers"
    first = world.quiz.post(url, json={"team": "s01", "type": "必答", "outcome": "对", "client_id": "qm-00001"})
    assert first.status_code == 201 and first.json()["seq"] == 1 and first.json()["replayed"] is False
    retry = world.quiz.post(url, json={"team": "s01", "type": "必答", "outcome": "对", "client_id": "qm-00001"})
    assert retry.json() == first.json() | {"replayed": True}
    world.quiz.post(
        url, json={"team": "s02", "type": "risk", "outcome": "wrong", "stake": "30", "client_id": "qm-00002"}
    )
    bad = world.quiz.post(
        url, json={"team": "s02", "type": "risk", "outcome": "right", "stake": "25", "client_id": "qm-00003"}
    )
    assert bad.status_code == 422 and "choose one of: 10, 20, 30" in bad.json()["problems"][0]["en"]
    early = world.quiz.post(url, json={"team": "s03", "type": "必答", "outcome": "抢跑", "client_id": "qm-00004"})
    assert early.status_code == 422
    unknown = world.quiz.post(url, json={"team": "zz", "type": "必答", "outcome": "对", "client_id": "qm-00005"})
    assert unknown.status_code == 422 and "unknown team 'zz'" in unknown.json()["problems"][0]["en"]
    scores = {s["team"]: s["score"] for s in world.quiz.get(f"/api/quiz/rounds/{world.quiz_round}/scores").json()}
    assert scores["s01"] == "110" and scores["s02"] == "70" and scores["s14"] == "100" and len(scores) == 14
    not_quiz = world.quiz.get(f"/api/quiz/rounds/{world.hydrant}/scores")
    assert not_quiz.status_code == 409


def test_a_quiz_master_reaches_only_their_own_competition(world):
    world.organiser.post("/api/admin/competitions/from-template", json={"template": "cement"})
    made = world.organiser.post(
        "/api/admin/competitions/cement-team-leaders-2023/quiz-masters", json={"username": "qm2"}
    )
    other = world.client()
    other.post("/api/session", json={"username": "qm2", "password": made.json()["password"]})
    assert other.get(f"/api/quiz/rounds/{world.quiz_round}/scores").status_code == 403
    taken = world.organiser.post(
        "/api/admin/competitions/cement-team-leaders-2023/quiz-masters", json={"username": "qm2"}
    )
    assert taken.status_code == 422


def test_organiser_edits_teams_contestants_events_and_rounds(world):
    team = world.organiser.patch(
        "/api/admin/teams/1", json={"name_zh": "监察一队", "name_en": "Inspect 1", "unit": "d02"}
    )
    assert team.status_code == 200 and team.json()["unit"] == "d02"
    bad_unit = world.organiser.patch("/api/admin/teams/1", json={"name_zh": "x", "name_en": "x", "unit": "zz"})
    assert bad_unit.status_code == 422 and bad_unit.json()["problems"][0]["field"] == "unit"
    assert (
        world.organiser.patch("/api/admin/teams/999", json={"name_zh": "x", "name_en": "x", "unit": "d01"}).status_code
        == 404
    )
    moved = world.organiser.patch("/api/admin/contestants/2", json={"name": "王强", "role": "member", "team": "s02"})
    assert moved.status_code == 200 and moved.json()["team"] == "s02"
    two_leaders = world.organiser.patch(
        "/api/admin/contestants/5", json={"name": "x", "role": "team_leader", "team": "s02"}
    )
    assert two_leaders.status_code == 422 and "already has a team leader" in two_leaders.json()["problems"][0]["en"]
    event = world.organiser.patch(
        f"/api/admin/events/{world.event_ids['hydrant']}",
        json={"title_zh": "消火栓操作", "title_en": "Hydrant", "weight": "12.5"},
    )
    assert event.status_code == 200 and event.json()["weight"] == "12.5"
    bad_weight = world.organiser.patch(
        f"/api/admin/events/{world.event_ids['hydrant']}", json={"title_zh": "x", "title_en": "x", "weight": "-1"}
    )
    assert bad_weight.status_code == 422
    url = f"/api/admin/events/{world.event_ids['hydrant']}/rounds"
    assert world.organiser.post(url, json={"key": "preliminary"}).status_code == 201
    assert world.organiser.post(url, json={"key": "preliminary"}).status_code == 422
    assert world.organiser.post(url, json={"key": "1st"}).status_code == 422


def test_blind_codes_are_public_only_once_results_are_published(world):
    draws = f"/api/admin/rounds/{world.hydrant}/draws"
    world.organiser.post(draws, json={"purpose": "checkin", "drawn_by": "李四", "seed": 1})
    codes = world.organiser.post(draws, json={"purpose": "codes", "drawn_by": "赵六", "seed": 2}).json()["result"][
        "codes"
    ]
    url = f"/api/public/rounds/{world.hydrant}/codes"
    publication = f"/api/admin/rounds/{world.hydrant}/publication"
    assert world.public.get(url).status_code == 404
    assert world.organiser.post(publication, json={"state": "notice"}).status_code == 409  # lock first
    assert world.organiser.post(publication, json={"state": "locked"}).json()["state"] == "locked"
    assert world.public.get(url).status_code == 404
    assert world.organiser.post(publication, json={"state": "notice"}).status_code == 200
    decoded = world.public.get(url).json()
    assert decoded["state"] == "notice" and decoded["codes"] == {code: entry for entry, code in codes.items()}
    assert world.organiser.post(publication, json={"state": "final"}).status_code == 200
    assert world.organiser.post(publication, json={"state": "locked"}).status_code == 409  # final is final
    assert world.public.get("/api/public/rounds/999999/codes").status_code == 404


def test_chief_console_shows_states_flags_and_severity(world):
    url = f"/api/judge/sheets/{world.hydrant}"
    # lay_hose 15 and 10 are 5 apart, past the rubric's tolerance of 3
    assert (
        world.judge.put(f"{url}/s01", json=sheet_body("submit", marks=COMPLETE | {"lay_hose": "15"})).status_code == 200
    )
    assert (
        world.chief.put(f"{url}/s01", json=sheet_body("submit", marks=COMPLETE | {"lay_hose": "10"})).status_code == 200
    )
    world.judge.put(f"{url}/s02", json=sheet_body(marks={"lay_hose": "12"}))  # a draft: not reviewed
    console = world.chief.get(f"/api/chief/rounds/{world.hydrant}/console")
    assert console.status_code == 200, console.text
    body = console.json()
    assert body["judges"] == ["e1", "e2"] and len(body["entries"]) == 14
    assert body["matrix"]["s01"] == {
        "e1": {"state": "submitted", "version": 1, "device": "tablet-7"},
        "e2": {"state": "submitted", "version": 1, "device": "tablet-7"},
    }
    assert body["matrix"]["s02"] == {"e1": {"state": "draft", "version": 1, "device": "tablet-7"}} and body[
        "states"
    ] == {
        "submitted": 2,
        "draft": 1,
        "new": 25,  # 14 entries x 2 judges, 3 sheets started
    }
    [flag] = body["flags"]
    assert flag == {
        "entry": "s01",
        "criterion": "lay_hose",
        "spread": "5",
        "tolerance": "3",
        "marks": {"e1": "15", "e2": "10"},
    }
    # two marks are too few for the hydrant's trimmed rule: compared with their mean (12.5)
    assert body["compared_with"] == "mean of the marks so far"
    reviews = {r["judge"]: r for r in body["reviews"]}
    assert reviews["e1"]["mean_deviation"] == "0.36" and reviews["e2"]["mean_deviation"] == "-0.36"
    assert world.judge.get(f"/api/chief/rounds/{world.hydrant}/console").status_code == 403


def test_units_rename_and_judges_see_entries_in_the_drawn_order(world):
    renamed = world.organiser.patch(
        "/api/admin/units/1", json={"name_zh": "安全监察部（新）", "name_en": "Safety (new)"}
    )
    assert renamed.status_code == 200 and renamed.json()["key"] == "d01"
    assert world.organiser.patch("/api/admin/units/1", json={"name_zh": " ", "name_en": "x"}).status_code == 422
    drawn = world.organiser.post(
        f"/api/admin/rounds/{world.hydrant}/draws", json={"purpose": "order", "drawn_by": "王五", "seed": 7}
    ).json()["result"]["order"]
    [seat] = world.judge.get("/api/judge/assignments").json()
    assert seat["entries"] == drawn


def test_chief_locks_a_round_only_when_every_sheet_is_submitted(world):
    lock = f"/api/chief/rounds/{world.hydrant}/lock"
    incomplete = world.chief.post(lock)
    assert incomplete.status_code == 409 and "28 sheet(s) are not submitted yet" in incomplete.json()["detail"]
    assert world.judge.post(lock).status_code == 403
    for entry in [f"s{i:02d}" for i in range(1, 15)]:
        for client in (world.judge, world.chief):
            assert (
                client.put(
                    f"/api/judge/sheets/{world.hydrant}/{entry}", json=sheet_body("submit", marks=COMPLETE)
                ).status_code
                == 200
            )
    locked = world.chief.post(lock)
    assert locked.status_code == 200 and locked.json() == {
        "round": world.hydrant,
        "locked_sheets": 28,
        "publication": "locked",
    }
    assert world.judge.get(f"/api/judge/sheets/{world.hydrant}/s01").json()["state"] == "locked"
    again = world.chief.post(lock)  # nothing left to lock; the same answer, nothing doubled
    assert again.status_code == 200 and again.json()["locked_sheets"] == 0
    changed = world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body("save", base=2, marks=COMPLETE))
    assert changed.status_code == 409 and changed.json()["type"] == "urn:scoring:problem:round-closed"  # issue 9


def test_chief_prints_blank_paper_sheets_for_every_entry_and_judge(world):
    paper = world.chief.get(f"/judge/rounds/{world.hydrant}/paper")
    assert paper.status_code == 200
    assert paper.text.count('class="paper-sheet"') == 28  # 14 entries x 2 judges
    assert "水带铺设平直无扭折" in paper.text and "Hose laid straight" in paper.text and "0–15 (1)" in paper.text
    assert world.judge.get(f"/judge/rounds/{world.hydrant}/paper").status_code == 403


# -- one device per sheet ---------------------------------------------------------------------
def test_a_sheet_is_tied_to_one_device_until_the_chief_releases_it(world, database_url):
    url = f"/api/judge/sheets/{world.hydrant}/s05"
    assert world.judge.post(f"{url}/claim", json={"device": "tablet-a"}).json() == {"device": "tablet-a"}
    assert world.judge.post(f"{url}/claim", json={"device": "tablet-a"}).status_code == 200  # the same tablet again
    second = world.judge.post(f"{url}/claim", json={"device": "tablet-b"})
    assert second.status_code == 409 and second.json()["type"] == "urn:scoring:problem:sheet-on-another-device"
    assert "release" in second.json()["en"] and "释放" in second.json()["zh"]
    body = sheet_body(marks={"lay_hose": "12"}) | {"device": "tablet-b"}
    assert world.judge.put(url, json=body).status_code == 409
    assert (
        world.judge.put(url, json=sheet_body(marks={"lay_hose": "12"}) | {"device": ""}).status_code == 409
    )  # no device
    assert world.judge.put(url, json=sheet_body(marks={"lay_hose": "12"}) | {"device": "tablet-a"}).status_code == 200

    chief_sheet = f"/api/chief/sheets/{world.hydrant}/s05/e1"
    assert world.chief.get(chief_sheet).json() | {"created_at": "-"} == {
        "version": 1,
        "state": "draft",
        "marks": {"lay_hose": "12"},
        "notes": {},
        "author": "judge:e1",
        "reason": "",
        "created_at": "-",
        "entry": "s05",
        "judge": "e1",
        "device": "tablet-a",
    }
    cell = world.chief.get(f"/api/chief/rounds/{world.hydrant}/console").json()["matrix"]["s05"]["e1"]
    assert cell == {"state": "draft", "version": 1, "device": "tablet-a"}
    assert world.judge.post(f"{chief_sheet}/release", json={"reason": "mine"}).status_code == 403
    assert world.chief.post(f"{chief_sheet}/release", json={"reason": ""}).status_code == 400
    released = world.chief.post(f"{chief_sheet}/release", json={"reason": "tablet A's battery died"})
    assert released.json() == {"released": "tablet-a"}
    assert world.chief.post(f"{chief_sheet}/release", json={"reason": "again"}).json() == {"released": ""}
    # the next device takes the sheet, and the first one is now the other device
    assert world.judge.post(f"{url}/claim", json={"device": "tablet-b"}).status_code == 200
    assert (
        world.judge.put(url, json=sheet_body(base=1, marks={"lay_hose": "13"}) | {"device": "tablet-a"}).status_code
        == 409
    )
    assert (
        world.judge.put(url, json=sheet_body(base=1, marks={"lay_hose": "13"}) | {"device": "tablet-b"}).status_code
        == 200
    )
    # the chief's own actions are not tied to the judge's device
    assert (
        world.chief.post(
            chief_sheet,
            json={"action": "transcribe", "base_version": 2, "client_id": uuid.uuid4().hex, "marks": COMPLETE},
        ).status_code
        == 200
    )

    sessions = session_factory(make_engine(database_url))
    with sessions() as db:
        from scoring.store.models import AuditRecord

        actions = [
            (r.action, r.actor, r.after)
            for r in db.execute(
                select(AuditRecord)
                .where(AuditRecord.entity_id.like(f"{world.hydrant}/s05/%"))
                .order_by(AuditRecord.seq)
            ).scalars()
        ]
    assert [a for a, _, _ in actions] == [
        "sheet.bind",
        "sheet.save",
        "sheet.release",
        "sheet.bind",
        "sheet.save",
        "sheet.transcribe",
    ]
    assert actions[2][1] == "chief:e2" and actions[2][2] == {"device": "", "reason": "tablet A's battery died"}


# -- paper sheets typed in, in bulk -----------------------------------------------------------
def paper_csv(rows: list[tuple[str, str, dict[str, str]]]) -> str:
    lines = ["entry,attempt,judge,criterion,value"]
    for entry, judge, marks in rows:
        lines += [f"{entry},,{judge},{criterion},{value}" for criterion, value in marks.items()]
    return "\n".join(lines) + "\n"


def test_chief_types_in_a_stack_of_paper_sheets_all_or_nothing(world):
    url = f"/api/chief/rounds/{world.hydrant}/transcriptions"
    good = paper_csv([("s07", "e1", COMPLETE), ("s07", "e2", COMPLETE | {"lay_hose": "14"})])
    done = world.chief.post(url, files={"marks": ("paper-batch-1.csv", good)})
    assert done.status_code == 200, done.text
    assert done.json() | {"sheets": None} == {
        "file": "paper-batch-1.csv",
        "transcribed": 2,
        "already_transcribed": 0,
        "sheets": None,
    }
    assert world.judge.get(f"/api/judge/sheets/{world.hydrant}/s07").json()["state"] == "submitted"
    again = world.chief.post(url, files={"marks": ("paper-batch-1.csv", good)})  # sent twice: stored once
    assert again.json()["transcribed"] == 0 and again.json()["already_transcribed"] == 2
    assert world.chief.get(f"/api/chief/sheets/{world.hydrant}/s07/e2").json()["version"] == 1

    # a bad file: every problem with its row, and nothing stored
    bad = paper_csv(
        [
            ("s08", "e1", COMPLETE),  # rows 2-8: fine on its own
            ("s08", "e2", {k: v for k, v in COMPLETE.items() if k != "hit_target"}),  # rows 9-14: incomplete
            ("s08", "e9", {"lay_hose": "12"}),  # row 15: not on the panel
            ("zz99", "e1", {"lay_hose": "12"}),  # row 16: no such entry
            ("s08", "e1", {"lay_hose": "99"}),  # row 17: repeats row 3
            ("s07", "e1", COMPLETE),  # rows 18-24: already submitted
        ]
    ).replace("s08,,e2,lay_hose,12", "s08,,e2,lay_hose,abc")
    refused = world.chief.post(url, files={"marks": ("paper-batch-2.csv", bad)})
    assert refused.status_code == 422, refused.text
    found = {(p["row"], p["field"]) for p in refused.json()["problems"]}
    assert {(10, "value"), (9, "criterion"), (15, "judge"), (16, "entry"), (17, "criterion"), (18, None)} <= found
    assert all(p["file"] == "paper-batch-2.csv" for p in refused.json()["problems"])
    assert world.chief.get(f"/api/chief/sheets/{world.hydrant}/s08/e1").json()["version"] == 0
    assert world.judge.get(f"/api/judge/sheets/{world.hydrant}/s08").json()["version"] == 0

    # xlsx works the same; a plain judge may not type in paper sheets
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["entry", "attempt", "judge", "criterion", "value"])
    for criterion, value in COMPLETE.items():
        sheet.append(["s09", None, "e1", criterion, float(value) if value.isdigit() else value])
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = ("paper.xlsx", buffer.getvalue())
    assert world.judge.post(url, files={"marks": xlsx}).status_code == 403
    typed = world.chief.post(url, files={"marks": xlsx})
    assert typed.status_code == 200 and typed.json()["transcribed"] == 1, typed.text
    assert world.chief.post(url, files={"marks": ("p.txt", b"x")}).status_code == 422
    assert world.chief.post(url, files={"other": ("p.csv", b"x")}).status_code == 422
    assert world.chief.post(url, files={"marks": ("p.csv", b"\xff\xfe\x00garbage")}).status_code == 422


# -- the console's live channel ----------------------------------------------------------------
def test_the_chief_console_hears_of_every_change_to_its_round(world):
    chief = world.signed_in("e2")  # the newest client runs the app's event loop for channels
    with chief.websocket_connect(f"/api/chief/rounds/{world.hydrant}/live") as socket:
        assert socket.receive_json() == {"type": "hello", "round": world.hydrant}
        assert (
            world.judge.put(
                f"/api/judge/sheets/{world.hydrant}/s10", json=sheet_body(marks={"lay_hose": "12"})
            ).status_code
            == 200
        )
        assert socket.receive_json(timeout=5) == {"type": "sheet", "round": world.hydrant}
        assert (
            world.judge.post(f"/api/judge/sheets/{world.hydrant}/s13/claim", json={"device": "tablet-9"}).status_code
            == 200
        )
        assert socket.receive_json(timeout=5) == {"type": "device", "round": world.hydrant}


def test_only_the_rounds_chief_may_listen_to_its_console(world):
    from litestar.exceptions import WebSocketDisconnect

    for client in (world.signed_in("e1"), world.signed_in("e3"), world.public, world.organiser, world.quiz):
        with pytest.raises(WebSocketDisconnect):
            with client.websocket_connect(f"/api/chief/rounds/{world.hydrant}/live") as socket:
                socket.receive_json(timeout=5)


def test_chief_corrects_a_submitted_mark_with_a_reason_and_it_is_audited(world, database_url):
    url = f"/api/judge/sheets/{world.hydrant}/s11"
    assert world.judge.put(url, json=sheet_body("submit", marks=COMPLETE)).status_code == 200
    chief_url = f"/api/chief/sheets/{world.hydrant}/s11/e1"
    fixed = COMPLETE | {"lay_hose": "11"}
    body = {"action": "correct", "base_version": 1, "client_id": uuid.uuid4().hex, "marks": fixed}
    assert world.chief.post(chief_url, json=body | {"reason": ""}).status_code == 422  # a reason is required
    incomplete = {k: v for k, v in fixed.items() if k != "couple"}
    refused = world.chief.post(
        chief_url, json=body | {"marks": incomplete, "reason": "x", "client_id": uuid.uuid4().hex}
    )
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "couple"
    done = world.chief.post(chief_url, json=body | {"reason": "video shows the hose laid in 11 s"})
    assert done.status_code == 200 and done.json()["state"] == "submitted" and done.json()["version"] == 2
    mine = world.judge.get(url).json()
    assert mine["marks"]["lay_hose"] == "11" and mine["author"] == "chief:e2"
    with session_factory(make_engine(database_url))() as db:
        from scoring.store.models import AuditRecord

        record = (
            db.execute(
                select(AuditRecord).where(AuditRecord.action == "sheet.correct").order_by(AuditRecord.seq.desc())
            )
            .scalars()
            .first()
        )
    assert record is not None and record.actor == "chief:e2"
    assert record.before["marks"]["lay_hose"] == "12" and record.after["marks"]["lay_hose"] == "11"
    assert record.after["reason"] == "video shows the hose laid in 11 s"
