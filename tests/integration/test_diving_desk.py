"""A whole 7-judge individual diving event through the HTTP API: the desk enters each dive's DD
and a penalty, the judges submit dive by dive, the chief locks; the standings from the store
equal `scoring compute` on the exported marks to the last digit. With the rules of the desk and
of attempt-by-attempt sheets."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select
from typer.testing import CliRunner

from results.from_store import View, results_from_store
from results.report import event_table
from scoring.store.models import AuditRecord, OfficialValues
from scoring.store.sheet_marks import round_marks
from server.cli import app
from tests.helpers import RUBRICS
from tests.integration.diving import DIVERS, JUDGES, KEY, REFEREE, desk_put, store_diving, submit
from tests.integration.world import ok

# each diver's seven awards for every dive, and each dive's DD (the same for every diver here)
AWARDS = {
    "c1": ["7", "7.5", "8", "8", "8.5", "8.5", "9"],
    "c2": ["6", "6.5", "6.5", "7", "7", "7", "10"],
    "c3": ["8.5", "8", "9", "9", "8.5", "9.5", "9"],
    "c4": ["5", "5.5", "6", "6", "6.5", "5", "7"],
}
DD = {1: "2.0", 2: "2.8", 3: "3.1", 4: "3.4", 5: "3.5"}


def test_a_diving_event_from_tablets_and_desk_scores_as_scoring_compute(world, tmp_path):
    diving = store_diving(world)
    r, chief = diving.round_id, diving.chief
    desk = ok(chief.get(f"/api/chief/rounds/{r}/desk"))
    assert desk["attempts"] == 5 and [f["key"] for f in desk["fields"]] == ["dd", "penalty"]
    assert [e["entry"] for e in desk["entries"]] == DIVERS and all(e["version"] == 0 for e in desk["entries"])
    for diver in DIVERS:  # the desk: every dive's DD, and a referee's penalty on c2's third dive
        values = {f"{k}/dd": dd for k, dd in DD.items()} | ({"3/penalty": "2"} if diver == "c2" else {})
        assert ok(desk_put(chief, r, diver, values, 0))["version"] == 1
    for dive in range(1, 6):  # the judges mark dive by dive, each submission adding the next dive
        for j, judge in enumerate(JUDGES):
            for diver in DIVERS:
                marks = {f"{k}/award": AWARDS[diver][j] for k in range(1, dive + 1)}
                got = ok(submit(diving.judges[judge], r, diver, marks, dive - 1))
                assert got["state"] == "submitted" and got["version"] == dive
    # the referee (the chief, not among the judges) marks nothing: the console waits for no sheet
    # of theirs, and every entry counts the seven marking judges' sheets only
    console = ok(chief.get(f"/api/chief/rounds/{r}/console"))
    assert console["judges"] == JUDGES and console["states"] == {"submitted": len(JUDGES) * len(DIVERS)}
    assert [(e["counted"], e["expected"], e["state"]) for e in console["results"]] == [(7, 7, "scored")] * 4
    locked = ok(chief.post(f"/api/chief/rounds/{r}/lock"))
    assert locked["locked_sheets"] == len(JUDGES) * len(DIVERS)
    assert desk_put(chief, r, "c1", {"1/dd": "3.0"}, 1).status_code == 409  # the desk is closed with the round

    with world.app.state.database.read() as db:
        stored = results_from_store(db, KEY, View.PROVISIONAL).events["springboard"]
        exported = round_marks(db, r).marks
    path = tmp_path / "springboard.csv"
    exported.to_csv(path, index=False)
    computed = CliRunner().invoke(
        app,
        ["compute", "--rubric", str(RUBRICS / "diving_individual.toml"), "--marks", str(path), "--format", "csv"],
    )
    assert computed.exit_code == 0, computed.output
    from_file = [(r["place"], r["entry"], r["score"], r["flags"]) for r in csv.DictReader(io.StringIO(computed.output))]
    table = event_table(stored)  # the standings from the store, as the results pages rank them
    from_store = [
        (str(p), e, s, str(f)) for p, e, s, f in table[["place", "entry", "score", "flags"]].itertuples(False)
    ]
    assert from_store == from_file and len(from_store) == len(DIVERS)
    scores = {entry: score for _, entry, score, _ in from_store}
    assert [entry for _, entry, _, _ in from_store] == ["c3", "c1", "c2", "c4"]
    # c1: middle three awards 8 + 8 + 8.5 = 24.5 times the DDs' sum 14.8 = 362.60
    assert scores["c1"] == "362.60"
    # c2: 6.5 + 7 + 7 = 20.5 x (2.0 + 2.8 + 3.4 + 3.5) = 239.85, and the third dive with the penalty
    # (each award less 2): 4.5 + 5 + 5 = 14.5 x 3.1 = 44.95; 284.80 in all
    assert scores["c2"] == "284.80"


def test_the_desk_checks_values_keeps_versions_and_answers_retries(world):
    diving = store_diving(world)
    r, chief = diving.round_id, diving.chief
    bad = desk_put(chief, r, "c1", {"1/dd": "9.9", "6/dd": "2", "1/award": "7", "2/penalty": "x"}, 0)
    assert bad.status_code == 422, bad.text
    fields = {p["field"] for p in bad.json()["problems"]}
    assert fields == {"6/dd", "1/award"}  # keys the desk does not have are named first, alone
    bad = desk_put(chief, r, "c1", {"1/dd": "9.9", "2/penalty": "x"}, 0)
    assert {p["field"] for p in bad.json()["problems"]} == {"1/dd", "2/penalty"}
    assert "4.8" in bad.text
    body = {"base_version": 0, "client_id": "desk-0001-c1", "values": {"1/dd": " 3.0 ", "2/dd": ""}}
    first = ok(chief.put(f"/api/chief/rounds/{r}/desk/c1", json=body))
    assert first == {"entry": "c1", "version": 1, "values": {"1/dd": "3.0"}}
    assert ok(chief.put(f"/api/chief/rounds/{r}/desk/c1", json=body)) == first  # a retry: stored once
    stale = desk_put(chief, r, "c1", {"1/dd": "3.5"}, 0)
    assert stale.status_code == 409 and stale.json()["current"] == {"version": 1, "values": {"1/dd": "3.0"}}
    reused = chief.put(f"/api/chief/rounds/{r}/desk/c1", json=body | {"values": {"1/dd": "2.0"}})
    assert reused.status_code == 409
    assert ok(desk_put(chief, r, "c1", {"1/dd": "3.5", "1/penalty": "0.5"}, 1))["version"] == 2
    assert diving.judges["d1"].get(f"/api/chief/rounds/{r}/desk").status_code == 403  # the chief's desk
    assert diving.judges["d1"].put(f"/api/chief/rounds/{r}/desk/c1", json=body).status_code == 403
    assert desk_put(chief, r, "zz", {"1/dd": "3.0"}, 0).status_code == 404
    with world.app.state.database.read() as db:
        versions = db.scalar(select(func.count()).select_from(OfficialValues).where(OfficialValues.round_id == r))
        audited = db.scalar(
            select(func.count()).select_from(AuditRecord).where(AuditRecord.action == "official_values.write")
        )
    assert versions == 2 and audited == 2  # two changes, two versions, two audit records
    row = next(e for e in ok(chief.get(f"/api/chief/rounds/{r}/desk"))["entries"] if e["entry"] == "c1")
    assert row == {"entry": "c1", "version": 2, "values": {"1/dd": "3.5", "1/penalty": "0.5"}}


def test_a_judge_submits_attempt_by_attempt_and_cannot_change_a_submitted_dive(world):
    diving = store_diving(world)
    r, judge = diving.round_id, diving.judges["d1"]
    assert submit(judge, r, "c1", {"award": "7"}, 0).status_code == 422  # the attempt must be named
    gap = submit(judge, r, "c1", {"1/award": "7", "3/award": "7"}, 0)
    assert gap.status_code == 422 and [p["field"] for p in gap.json()["problems"]] == ["2/award"]
    ok(submit(judge, r, "c1", {"1/award": "7"}, 0))
    changed = submit(judge, r, "c1", {"1/award": "7.5", "2/award": "8"}, 1)
    assert changed.status_code == 422 and [p["field"] for p in changed.json()["problems"]] == ["1/award"]
    same = submit(judge, r, "c1", {"1/award": "7"}, 1)
    assert same.status_code == 422 and "next one (2)" in same.text
    two = ok(submit(judge, r, "c1", {"1/award": "7", "2/award": "8", "3/award": "6"}, 1))
    assert two["version"] == 2 and two["marks"] == {"1/award": "7", "2/award": "8", "3/award": "6"}
    saved = judge.put(
        f"/api/judge/sheets/{r}/c1",
        json={
            "action": "save",
            "base_version": 2,
            "client_id": "save-after-submit",
            "marks": {},
            "device": f"tablet-{id(judge)}",
        },
    )
    assert saved.status_code == 422  # a submitted sheet is not a draft again
    # the chief corrects an earlier dive (with a reason); the judge then adds the next dive on top
    fixed = diving.chief.post(
        f"/api/chief/sheets/{r}/c1/d1",
        json={
            "action": "correct",
            "base_version": 2,
            "client_id": "chief-fix-0001",
            "marks": {"1/award": "7.5", "2/award": "8", "3/award": "6"},
            "reason": "dive 1 misread",
        },
    )
    assert ok(fixed)["version"] == 3
    ok(submit(judge, r, "c1", {"1/award": "7.5", "2/award": "8", "3/award": "6", "4/award": "6"}, 3))
    refused = diving.chief.post(f"/api/chief/rounds/{r}/lock")
    assert refused.status_code == 409  # sheets missing, and c1/d1 holds four dives of five


def test_paper_sheets_of_a_diving_event_are_typed_in_with_their_attempts(world):
    diving = store_diving(world)
    r = diving.round_id
    rows = "entry,attempt,judge,criterion,value\n" + "".join(f"c1,{k},d2,award,{6 + k}\n" for k in (1, 2))
    sent = diving.chief.post(f"/api/chief/rounds/{r}/transcriptions", files={"marks": ("paper.csv", rows)})
    assert ok(sent)["transcribed"] == 1
    assert ok(diving.chief.get(f"/api/chief/sheets/{r}/c1/d2"))["marks"] == {"1/award": "7", "2/award": "8"}
    bad = "entry,attempt,judge,criterion,value\nc2,,d2,award,7\nc2,6,d2,award,7\n"
    refused = diving.chief.post(f"/api/chief/rounds/{r}/transcriptions", files={"marks": ("bad.csv", bad)})
    assert refused.status_code == 422 and refused.text.count("attempt must be 1 to 5") == 2


def test_a_referee_chief_keeps_the_desk_and_the_console_and_marks_no_sheet(world):
    diving = store_diving(world)
    r, chief, organiser = diving.round_id, diving.chief, world.organiser
    panel = ok(organiser.get(f"/api/admin/rounds/{r}/panel"))
    assert panel == {"judges": JUDGES, "chief": REFEREE, "chief_marks": False}
    home = ok(chief.get("/api/judge/assignments"))
    assert [(a["chief"], a["marks"], a["entries"]) for a in home] == [(True, False, [])]
    refused = submit(chief, r, "c1", {"1/award": "7"}, 0)
    assert refused.status_code == 403 and "mark no sheets" in refused.text
    assert chief.get(f"/api/judge/sheets/{r}/c1").status_code == 403
    assert chief.get(f"/api/chief/sheets/{r}/c1/{REFEREE}").status_code == 404  # a referee has no sheet
    assert chief.get(f"/judge/rounds/{r}/c1").status_code == 403
    rows = "entry,attempt,judge,criterion,value\nc1,1,r1,award,7\n"
    typed = chief.post(f"/api/chief/rounds/{r}/transcriptions", files={"marks": ("paper.csv", rows)})
    assert typed.status_code == 422  # no paper sheet of the referee either
    ok(chief.get(f"/api/chief/rounds/{r}/desk"))
    assert REFEREE not in ok(chief.get(f"/api/chief/rounds/{r}/console"))["judges"]
    # a chief among the judges marks as before; and a chief alone is no panel
    assert ok(organiser.put(f"/api/admin/rounds/{r}/panel", json={"judges": JUDGES, "chief": "d7"}))["chief_marks"]
    assert ok(organiser.get(f"/api/admin/rounds/{r}/panel")) == {"judges": JUDGES, "chief": "d7", "chief_marks": True}
    assert organiser.put(f"/api/admin/rounds/{r}/panel", json={"judges": [], "chief": REFEREE}).status_code == 422
    assert organiser.put(f"/api/admin/rounds/{r}/panel", json={"judges": JUDGES, "chief": "zz"}).status_code == 422


def test_a_judge_reads_the_desks_values_with_the_sheet_as_they_are_now(world):
    diving = store_diving(world)
    r, judge = diving.round_id, diving.judges["d1"]
    before = ok(judge.get(f"/api/judge/sheets/{r}/c1?device=tablet-1"))
    assert before["parameters"] == {f"{k}/dd": None for k in range(1, 6)} | {f"{k}/penalty": "0" for k in range(1, 6)}
    ok(desk_put(diving.chief, r, "c1", {"1/dd": "2.0", "2/dd": "3.4"}, 0))
    ok(desk_put(diving.chief, r, "c1", {"1/dd": "2.0", "2/dd": "3.6", "2/penalty": "2"}, 1))  # the desk changes dive 2
    now = ok(judge.get(f"/api/judge/sheets/{r}/c1"))["parameters"]
    assert (now["1/dd"], now["2/dd"], now["2/penalty"], now["3/dd"]) == ("2.0", "3.6", "2", None)


def test_the_organisers_panel_form_seats_a_chief_left_unticked_as_referee(world):
    diving = store_diving(world)
    r, organiser = diving.round_id, world.organiser
    page = organiser.get(f"/admin/rounds/{r}?lang=zh")
    assert 'id="referee-note"' in page.text and "不填写评分表" in page.text
    assert 'value="r1" aria-label="裁判长 r1" checked' in page.text and 'name="judges" value="r1" >' in page.text
    form = {"judges": JUDGES[:5], "chief": REFEREE}
    sent = organiser.post(
        f"/admin/rounds/{r}/panel", data=form, headers={"x-csrftoken": organiser.cookies.get("csrftoken") or ""}
    )
    assert sent.status_code in (200, 302, 303), sent.text
    assert ok(organiser.get(f"/api/admin/rounds/{r}/panel")) == {
        "judges": JUDGES[:5],
        "chief": REFEREE,
        "chief_marks": False,
    }
