"""The judge's API: the sheet contract over HTTP (idempotent, stale writes refused, marks checked),
seats and entries checked on the server, blind rounds by code only, one device per sheet."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from scoring.store.models import AuditRecord, Event, Judge, Round
from tests.helpers import ROOT, RUBRICS
from tests.integration.world import COMPLETE, ok, sheet_body


def test_sheet_over_http_idempotent_stale_and_checked(world):
    url = f"/api/judge/sheets/{world.hydrant}/s01"
    first = world.judge.put(url, json=sheet_body(client_id="tablet-7-0001"))
    assert first.status_code == 200 and first.json()["version"] == 1 and first.json()["replayed"] is False
    retry = world.judge.put(url, json=sheet_body(client_id="tablet-7-0001"))
    assert retry.status_code == 200 and retry.json() | {"replayed": False} == first.json()
    assert retry.json()["replayed"] is True
    ok(world.judge.put(url, json=sheet_body(base=1, marks={"lay_hose": "13"})))
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
    ok(world.judge.put(url, json=sheet_body(marks={"lay_hose": "14"})))
    assert world.chief.get(url).json() == {"version": 0, "state": "new", "marks": {}, "notes": {}, "reason": ""}


def test_seats_and_entries_are_checked_on_the_server(world):
    assert world.unseated.put(f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body()).status_code == 403
    assert world.judge.put(f"/api/judge/sheets/{world.extinguisher}/s01", json=sheet_body()).status_code == 403
    assert world.judge.put(f"/api/judge/sheets/{world.hydrant}/zz99", json=sheet_body()).status_code == 404
    assert world.judge.get("/api/judge/sheets/999999/s01").status_code == 404


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
    access = ok(world.organiser.post(f"/api/admin/judges/{j1}/access"))
    ok(judge.get(access["link"], follow_redirects=False), (302, 303))
    [seat] = judge.get("/api/judge/assignments").json()
    assert seat["blind"] is True and seat["entries"] == []
    assert judge.get(f"/api/judge/sheets/{round_id}/t01").status_code == 409  # no codes yet
    draws = f"/api/admin/rounds/{round_id}/draws"
    assert world.organiser.post(draws, json={"purpose": "codes", "drawn_by": "李四"}).status_code == 409
    ok(world.organiser.post(draws, json={"purpose": "checkin", "drawn_by": "李四", "seed": 1}), 201)
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


def test_a_sheet_is_tied_to_one_device_until_the_chief_releases_it(world):
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

    with world.app.state.database.read() as db:
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


def test_asking_whether_a_sheet_is_elsewhere_ties_nothing(world):
    """Opening a sheet to look ties it to no device (issue 12, item 6): only its first write does."""
    url = f"/api/judge/sheets/{world.hydrant}/s06"
    looked = ok(world.judge.get(f"{url}?device=tablet-a"))
    assert looked["elsewhere"] is False and looked["version"] == 0
    assert "elsewhere" not in ok(world.judge.get(url))  # only a tablet that names itself is told
    assert ok(world.judge.get(f"{url}?device=tablet-b"))["elsewhere"] is False  # tablet-a did not take it
    ok(world.judge.put(url, json=sheet_body(marks={"lay_hose": "12"}) | {"device": "tablet-b"}))
    assert ok(world.judge.get(f"{url}?device=tablet-a"))["elsewhere"] is True
    assert ok(world.judge.get(f"{url}?device=tablet-b"))["elsewhere"] is False
    with world.app.state.database.read() as db:
        records = db.execute(
            select(AuditRecord).where(AuditRecord.entity_id.like(f"{world.hydrant}/s06/%")).order_by(AuditRecord.seq)
        ).scalars()
        assert [(r.action, (r.after or {}).get("device")) for r in records] == [
            ("sheet.bind", "tablet-b"),
            ("sheet.save", "tablet-b"),
        ]
