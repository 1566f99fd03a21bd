"""Breaks an outside probe found (issue 9), each reproduced over HTTP: a judge squatting the
server's own client ids, writes to closed rounds, cross-origin and text/plain writes, CSRF
switched off by a competition's key, an uploaded file's name used as a path."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient

from tests.helpers import ROOT, RUBRICS
from tests.integration.world import COMPLETE, World, ok, sheet_body

ENTRIES = [f"s{i:02d}" for i in range(1, 15)]
# Checks of the HTTP layer (origins, bodies, names, messages) run on SQLite only: the database
# plays no part in them. The checks that involve locks and transactions run on both.
HTTP_ONLY = pytest.mark.parametrize("database_kind", ["sqlite"])


def submit_all(world: World, client_ids=None, skip=()) -> None:
    """Both judges of the hydrant panel (e1, and e2 the chief) submit every entry's sheet."""
    for i, entry in enumerate(ENTRIES):
        for client in (world.judge, world.chief):
            if (entry, client) in skip:
                continue
            body = sheet_body("submit", marks=COMPLETE)
            if client is world.judge and client_ids:
                body["client_id"] = client_ids(i)
            ok(client.put(f"/api/judge/sheets/{world.hydrant}/{entry}", json=body))


def test_a_judge_cannot_block_the_lock_by_taking_the_servers_client_ids(world):
    # the lock's ids used to be lock-{sheet}-{version}, unique across the database: a judge
    # who took them for their own writes made the chief's lock fail
    submit_all(world, client_ids=lambda i: f"lock-{i + 1}-1")
    taken = world.judge.put(
        f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body("save", base=1) | {"client_id": "srv/lock/1"}
    )
    assert taken.status_code == 400  # the server's own ids are outside what a client may send
    assert ok(world.chief.post(f"/api/chief/rounds/{world.hydrant}/lock"))["locked_sheets"] == 28


@HTTP_ONLY
def test_client_ids_are_scoped_to_their_sheet(world):
    same = "tablet-7-0001"
    first = ok(world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body(client_id=same)))
    other = ok(world.judge.put(f"/api/judge/sheets/{world.hydrant}/s02", json=sheet_body(client_id=same)))
    assert first["replayed"] is False and other["replayed"] is False  # another sheet: another change


def closed_round_writes(world: World) -> dict[str, object]:
    """Every kind of write to a hydrant sheet, as each role would send it."""
    sheet = f"/api/judge/sheets/{world.hydrant}/s01"
    chief = f"/api/chief/sheets/{world.hydrant}/s01/e1"
    paper = "entry,attempt,judge,criterion,value\n" + "\n".join(f"s03,,e1,{k},{v}" for k, v in COMPLETE.items())
    return {
        "judge save": lambda: world.judge.put(sheet, json=sheet_body("save", base=2, marks=COMPLETE)),
        "judge claim": lambda: world.judge.post(f"{sheet}/claim", json={"device": "tablet-9"}),
        "chief correct": lambda: world.chief.post(
            chief,
            json={
                "action": "correct",
                "base_version": 2,
                "client_id": uuid.uuid4().hex,
                "reason": "x",
                "marks": COMPLETE,
            },
        ),
        "chief return": lambda: world.chief.post(
            chief, json={"action": "return", "base_version": 2, "client_id": uuid.uuid4().hex, "reason": "x"}
        ),
        "chief transcribe": lambda: world.chief.post(
            f"/api/chief/rounds/{world.hydrant}/transcriptions", files={"marks": ("paper.csv", paper.encode())}
        ),
        "late judge submit": lambda: world.unseated.put(
            f"/api/judge/sheets/{world.hydrant}/s02", json=sheet_body("submit", marks=COMPLETE)
        ),
    }


@pytest.mark.parametrize("state", ["locked", "notice", "final"])
def test_a_closed_round_refuses_every_write_of_every_role(world, state):
    # s01 holds a submitted sheet of e1's; the round is then closed by the organiser (a chief's lock
    # moves it the same way: test_chief_api.py), and a closed round refuses before anything else
    ok(world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body("save", marks=COMPLETE)))
    ok(world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body("submit", base=1, marks=COMPLETE)))
    ok(world.organiser.post(f"/api/admin/rounds/{world.hydrant}/publication", json={"state": "locked"}))
    # a judge seated after the lock (e3) must not write either
    ok(
        world.organiser.put(
            f"/api/admin/rounds/{world.hydrant}/panel", json={"judges": ["e1", "e2", "e3"], "chief": "e2"}
        )
    )
    for step in {"locked": [], "notice": ["notice"], "final": ["notice", "final"]}[state]:
        ok(world.organiser.post(f"/api/admin/rounds/{world.hydrant}/publication", json={"state": step}))
    before = ok(world.chief.get(f"/api/chief/sheets/{world.hydrant}/s01/e1"))
    for name, write in closed_round_writes(world).items():
        refused = write()
        assert refused.status_code == 409, (name, refused.text)
        assert refused.json()["type"] == "urn:scoring:problem:round-closed", name
    assert ok(world.chief.get(f"/api/chief/sheets/{world.hydrant}/s01/e1")) == before
    assert ok(world.chief.get(f"/api/chief/sheets/{world.hydrant}/s02/e3"))["version"] == 0


def test_a_retry_of_a_write_made_while_open_is_still_answered_after_the_lock(world):
    url = f"/api/judge/sheets/{world.hydrant}/s01"
    body = sheet_body("submit", marks=COMPLETE, client_id="tablet-7-late-ack")
    ok(world.judge.put(url, json=body))
    submit_all(world, skip={("s01", world.judge)})  # the rest
    ok(world.chief.post(f"/api/chief/rounds/{world.hydrant}/lock"))
    assert ok(world.judge.put(url, json=body))["replayed"] is True  # the tablet lost the first answer


@HTTP_ONLY
def test_json_routes_refuse_text_plain_and_cross_origin_writes(world):
    url = "/api/admin/competitions/safety-culture-2023/judges"
    body = b'{"key": "x1", "name": "Probe"}'
    json_type = {"content-type": "application/json"}
    plain = world.organiser.post(url, content=body, headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    foreign = world.organiser.post(url, content=body, headers=json_type | {"origin": "http://testserver.local:9999"})
    assert foreign.status_code == 403 and foreign.json()["type"] == "urn:scoring:problem:cross-origin"
    evil = world.organiser.post(url, json={"key": "x2", "name": "Probe"}, headers={"origin": "http://evil.example"})
    assert evil.status_code == 403
    own = world.organiser.post(url, content=body, headers=json_type | {"origin": "http://testserver.local"})
    assert own.status_code == 201  # the server's own pages may write; none of the refused ones was stored:
    again = world.organiser.post(url, json={"key": "x1", "name": "Probe"})
    assert again.status_code == 422 and world.organiser.post(url, json={"key": "x2", "name": "P"}).status_code == 201


@HTTP_ONLY
def test_a_websocket_from_another_origin_is_refused(world):
    with pytest.raises(WebSocketDisconnect) as closed:
        with world.chief.websocket_connect(
            f"/api/chief/rounds/{world.hydrant}/live", headers={"origin": "http://testserver.local:9999"}
        ) as socket:
            socket.receive_json()
    assert closed.value.code == 4403


@HTTP_ONLY
def test_a_competition_key_beginning_with_api_keeps_csrf_on_its_forms(world):
    text = (ROOT / "examples" / "power_safety" / "competition.toml").read_text(encoding="utf-8")
    files = {
        "competition": ("competition.toml", text.replace('key = "safety-culture-2023"', 'key = "api-cup"').encode())
    }
    files |= {p.stem: (p.name, p.read_bytes()) for p in RUBRICS.glob("*.toml")}
    ok(world.organiser.post("/api/admin/competitions", files=files), 201)
    page = world.organiser.post("/admin/competitions/api-cup/revoke-access", data={"confirm": "api-cup", "reason": "x"})
    assert page.status_code == 403  # no CSRF token: refused, whatever the key
    assert "PIN" not in page.text


@HTTP_ONLY
@pytest.mark.parametrize("name", ["..", "/", "../../etc/passwd.csv"])
def test_an_uploaded_files_name_is_never_a_path(world, name):
    url = f"/api/chief/rounds/{world.hydrant}/transcriptions"
    paper = world.chief.post(url, files={"marks": (name, b"entry\n")})
    assert paper.status_code == 422, paper.text
    rubric = (RUBRICS / "fire_hydrant.toml").read_bytes()
    competition = (ROOT / "examples" / "power_safety" / "competition.toml").read_bytes()
    created = world.organiser.post(
        "/api/admin/competitions", files={"competition": ("competition.toml", competition), "r": (name, rubric)}
    )
    assert created.status_code == 422, created.text


@HTTP_ONLY
@pytest.mark.parametrize(
    "body",
    [
        b'{"action": "save", "base_version": 0, "client_id": "abcdefgh-1", "marks": {"lay_hose": "\xff\xfe"}}',
        b"[" * 1_000_000 + b"]" * 1_000_000,
        b'{"action": "save", "base_version": 1' + b"0" * 5000 + b', "client_id": "abcdefgh-2"}',
    ],
    ids=["invalid-utf8", "nested-a-million-deep", "5000-digit-integer"],
)
def test_hostile_json_bodies_are_answered_400_not_500(world, body):
    url = f"/api/judge/sheets/{world.hydrant}/s01"
    answer = world.judge.put(url, content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400, answer.text[:300]
    assert ok(world.judge.get(url))["version"] == 0


@HTTP_ONLY
def test_marks_are_stored_in_one_canonical_form(world):
    url = f"/api/judge/sheets/{world.hydrant}/s01"
    saved = ok(world.judge.put(url, json=sheet_body(marks={"lay_hose": " +12 ", "couple": "1", "unsafe": "-0"})))
    assert saved["marks"] == {"lay_hose": "12", "couple": "1", "unsafe": "0"}
    for odd in ["٨", "８", "1e1", "12" + "0" * 50]:
        refused = world.judge.put(url, json=sheet_body(base=1, marks={"lay_hose": odd}))
        assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "lay_hose", odd
    assert ok(world.judge.get(url))["marks"]["lay_hose"] == "12"


def test_failed_pins_lock_one_judge_not_the_venue_and_successes_are_not_counted(world):
    from sqlalchemy import select

    from scoring.store.models import AuditRecord
    from web.security import AttemptLimiter

    world.app.state.limiter = AttemptLimiter(limit=50)  # the server's default
    pin_of = {k: world.access[k]["pin"] for k in ("e1", "e2", "e3", "e4")}
    venue = world.client()  # every tablet of the venue shares one address

    def pin_sign_in(judge: str, pin: str):
        body = {"competition": "safety-culture-2023", "judge": judge, "pin": pin}
        return venue.post("/api/session/judge-pin", json=body)

    wrong = "000000" if pin_of["e1"] != "000000" else "111111"
    statuses = [pin_sign_in("e1", wrong).status_code for _ in range(7)]
    assert statuses == [401] * 5 + [429] * 2  # e1 is locked after five failures in a row
    assert pin_sign_in("e1", pin_of["e1"]).status_code == 429  # even with the right PIN, for now
    for _ in range(3):
        for judge in ("e2", "e3", "e4"):  # twelve successes from the same address: all let in
            assert pin_sign_in(judge, pin_of[judge]).status_code == 200
    with world.app.state.database.read() as db:
        locked = db.execute(select(AuditRecord).where(AuditRecord.action == "sign_in.locked")).scalars().all()
    assert [r.entity_id for r in locked] == ["e1"]  # the lockout is on the record
    console = ok(world.chief.get(f"/api/chief/rounds/{world.hydrant}/console"))
    assert [entry["judge"] for entry in console["locked_out"]] == ["e1"]  # the chief judge is told
    assert "e1" in world.chief.get(f"/judge/console/{world.hydrant}").text.split('id="locked-out"')[1][:400]
    renewed = ok(world.organiser.post(f"/api/admin/judges/{world.judge_ids['e1']}/access"))
    assert pin_sign_in("e1", renewed["pin"]).status_code == 200  # renewing access lifts the lockout
    assert ok(world.chief.get(f"/api/chief/rounds/{world.hydrant}/console"))["locked_out"] == []


def test_sign_out_ends_the_session_on_the_server_even_for_a_copied_cookie(world):
    copied = dict(world.organiser.cookies)
    thief = world.client()
    thief.cookies.update(copied)
    assert thief.get("/api/admin/competitions").status_code == 200
    assert ok(world.organiser.delete("/api/session")) == {"role": "public"}
    assert thief.get("/api/admin/competitions").status_code == 401
    judge_cookie = dict(world.judge.cookies)
    ok(world.organiser.post("/api/session", json={"username": "org", "password": "correct horse"}))
    ok(world.organiser.post(f"/api/admin/judges/{world.judge_ids['e1']}/access"))  # revoking the judge
    copy = world.client()
    copy.cookies.update(judge_cookie)
    assert copy.get("/api/judge/assignments").status_code == 401


def test_cookies_are_secure_over_https_and_the_store_is_private(tmp_path):
    import stat

    from scoring.store.database import make_engine, session_factory
    from scoring.store.users import create_user
    from server.app import create_app
    from server.settings import Settings
    from tests.helpers import committed

    data = tmp_path / "fresh"
    app = create_app(Settings(data_dir=data, database_url=f"sqlite:///{data / 'scoring.sqlite3'}"))
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "scoring.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "secret.key").stat().st_mode) == 0o600
    committed(
        session_factory(make_engine(f"sqlite:///{data / 'scoring.sqlite3'}")),
        create_user,
        "o",
        "pw pw pw",
        "organiser",
        actor="t",
    )
    with TestClient(app, base_url="https://testserver.local") as https:
        signed = https.post("/api/session", json={"username": "o", "password": "pw pw pw"})
        assert signed.status_code == 200
        assert all("secure" in c.lower() for c in signed.headers.get_list("set-cookie"))
    with TestClient(app, base_url="http://testserver.local") as http:
        assert http.get("/admin/login").status_code == 200
    assert Settings.from_env(tmp_path).uvicorn_proxy_options() == {"proxy_headers": False}


@HTTP_ONLY
def test_an_unreadable_upload_never_shows_a_server_path(world):
    broken = b"PK\x03\x04" + b"\x00" * 200  # a zip header and nothing that follows it
    answer = world.organiser.post(
        "/api/admin/competitions/safety-culture-2023/roster", files={"roster": ("roster.xlsx", broken)}
    )
    assert answer.status_code == 422
    assert "/tmp" not in answer.text and "/work" not in answer.text and "roster.xlsx" in answer.text


@HTTP_ONLY
def test_a_bad_competition_upload_names_the_uploaded_files_not_server_paths(world):
    text = (ROOT / "examples" / "power_safety" / "competition.toml").read_text(encoding="utf-8")
    bad_rubric = (RUBRICS / "fire_hydrant.toml").read_text(encoding="utf-8").replace("max = 15", "max = 1e308")
    files = {"competition": ("competition.toml", text.replace('key = "safety-culture-2023"', 'key = "other"').encode())}
    files |= {p.stem: (p.name, p.read_bytes()) for p in RUBRICS.glob("*.toml") if p.name != "fire_hydrant.toml"}
    files["fire_hydrant"] = ("fire_hydrant.toml", bad_rubric.encode())
    answer = world.organiser.post("/api/admin/competitions", files=files)
    assert answer.status_code == 422, answer.text
    assert "/tmp" not in answer.text and "fire_hydrant.toml" in answer.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
sheet_bodies = st.fixed_dictionaries(
    {},
    optional={
        "action": st.sampled_from(["save", "submit", "lock", "", "SAVE"]) | json_values,
        "base_version": st.integers(min_value=-(2**70), max_value=2**70) | json_values,
        "client_id": st.text(max_size=80) | json_values,
        "marks": st.dictionaries(st.text(max_size=70), st.text(max_size=70) | json_values, max_size=5) | json_values,
        "notes": json_values,
        "device": st.text(max_size=200) | json_values,
        "extra": json_values,
    },
)


@HTTP_ONLY
def test_any_json_body_sent_to_a_sheet_gets_an_answer_never_a_server_error(world):
    url = f"/api/judge/sheets/{world.hydrant}/s01"
    seen: set[int] = set()

    @settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(sheet_bodies)
    def send(body):
        answer = world.judge.put(url, json=body)
        seen.add(answer.status_code)
        assert answer.status_code < 500, (body, answer.text[:300])
        assert answer.headers["content-type"].startswith(("application/problem+json", "application/json"))

    send()
    assert {400} <= seen  # the bodies reached the checks


@HTTP_ONLY
def test_a_ten_thousand_character_key_is_refused_by_validation(world):
    answer = world.organiser.post(
        "/api/admin/competitions/safety-culture-2023/judges", json={"key": "k" * 10_000, "name": "Long"}
    )
    assert answer.status_code in (400, 422) and answer.status_code != 500
    text = (ROOT / "examples" / "power_safety" / "competition.toml").read_text(encoding="utf-8")
    long_key = text.replace('key = "safety-culture-2023"', f'key = "{"k" * 10_000}"')
    files = {"competition": ("competition.toml", long_key.encode())}
    files |= {p.stem: (p.name, p.read_bytes()) for p in RUBRICS.glob("*.toml")}
    refused = world.organiser.post("/api/admin/competitions", files=files)
    assert refused.status_code == 422, refused.text[:300]
    [problem] = [p for p in refused.json()["problems"] if "at most 64 characters" in p["en"]]
    assert problem["line"] == 5 and len(problem["en"]) < 200  # located, and the key is not echoed whole


@HTTP_ONLY
def test_a_refused_pin_page_keeps_what_the_judge_typed_but_never_the_pin(world):
    page = world.client()
    assert page.get("/judge/pin").status_code == 200  # sets the CSRF cookie
    form = {"competition": "safety-culture-2023", "judge": "e1", "pin": "999999"}
    refused = page.post("/judge/pin", data=form, headers={"x-csrftoken": page.cookies.get("csrftoken", "")})
    assert refused.status_code == 401, refused.text[:300]
    assert 'value="safety-culture-2023"' in refused.text and 'value="e1"' in refused.text
    assert "999999" not in refused.text
