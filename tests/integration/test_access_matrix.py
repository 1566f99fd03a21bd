"""Who may reach which route: every registered route, each role granted or refused as intended."""

from __future__ import annotations

import uuid
from typing import Any

from tests.helpers import RUBRICS
from tests.integration.world import COMPLETE, World, ok, sheet_body

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
                ok(client.get("/admin/login"))  # the CSRF cookie
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
