"""The chief judge's API: returning and correcting sheets, the console and its live channel,
locking a round, printing and typing in paper sheets."""

from __future__ import annotations

import io
import uuid

import openpyxl
import pytest
from litestar.exceptions import WebSocketDisconnect
from sqlalchemy import select

from scoring.store.models import AuditRecord
from tests.integration.world import COMPLETE, ok, sheet_body


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


def test_chief_console_shows_states_flags_and_severity(world):
    url = f"/api/judge/sheets/{world.hydrant}"
    # lay_hose 15 and 10 are 5 apart, past the rubric's tolerance of 3
    assert (
        world.judge.put(f"{url}/s01", json=sheet_body("submit", marks=COMPLETE | {"lay_hose": "15"})).status_code == 200
    )
    assert (
        world.chief.put(f"{url}/s01", json=sheet_body("submit", marks=COMPLETE | {"lay_hose": "10"})).status_code == 200
    )
    ok(world.judge.put(f"{url}/s02", json=sheet_body(marks={"lay_hose": "12"})))  # a draft: not reviewed
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
        "title": {"zh": "水带铺设平直无扭折", "en": "Hose laid straight without kinks"},
        "spread": "5",
        "tolerance": "3",
        "marks": {"e1": "15", "e2": "10"},
    }
    # two marks are too few for the hydrant's trimmed rule: compared with their mean (12.5)
    assert body["compared_with"] == "mean of the marks so far"
    reviews = {r["judge"]: r for r in body["reviews"]}
    assert reviews["e1"]["mean_deviation"] == "0.36" and reviews["e2"]["mean_deviation"] == "-0.36"
    assert world.judge.get(f"/api/chief/rounds/{world.hydrant}/console").status_code == 403


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
    for client in (world.signed_in("e1"), world.signed_in("e3"), world.public, world.organiser, world.quiz):
        with pytest.raises(WebSocketDisconnect):
            with client.websocket_connect(f"/api/chief/rounds/{world.hydrant}/live") as socket:
                socket.receive_json(timeout=5)


def test_chief_corrects_a_submitted_mark_with_a_reason_and_it_is_audited(world):
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
    with world.app.state.database.read() as db:
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
