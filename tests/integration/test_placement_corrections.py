"""The chief judge changes single sheets of a round judged by placing (issue 15, item 4): a
correction or a paper transcription that would leave a judge's places invalid (two couples on one
place where the dance refuses it, a place beyond the round) is refused whole, 422 naming judge,
dance and couples in Chinese and English, nothing stored; one that leaves a valid order is
stored; a returned sheet reopens the judge's ordering form, which changes and resubmits it.
SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from scoring.store.models import SheetVersion
from tests.integration.dancing import COUPLES, in_order, order_body, store_dancing
from tests.integration.test_chief_api import paper_csv
from tests.integration.world import ok

SAMBA = in_order("c03", "c01", "c05", "c02", "c06", "c04")
RUMBA = {"c01": "1", "c02": "2", "c03": "2", "c04": "4", "c05": "5", "c06": "6"}  # the rumba allows ties


def versions(world) -> int:
    with world.app.state.database.read() as db:
        return db.scalar(select(func.count()).select_from(SheetVersion)) or 0


def test_a_correction_that_breaks_the_judges_order_is_refused_and_one_that_keeps_it_is_stored(world):
    dance = store_dancing(world)
    ok(
        dance.judges["j2"].put(
            f"/api/judge/placements/{dance.round_id}", json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA})
        )
    )
    before = versions(world)
    url = f"/api/chief/sheets/{dance.round_id}/c02/j2"
    # c02 moved to 1st in the samba, where c03 is 1st: two couples on one place
    body = {"action": "correct", "base_version": 1, "client_id": "fix-c02-samba-1", "reason": "笔误 / slip"}
    refused = dance.judges["j1"].post(url, json=body | {"marks": {"samba": "1", "rumba": "2"}})
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["type"] == "urn:scoring:problem:sheet-rejected"
    assert "return the judge's sheets" in problem["en"]
    assert "judge j2's places in Samba: c02, c03 share place 1" in problem["problems"][0]["en"]
    assert "评委 j2 的“桑巴”名次：c02、c03 同为第 1 名" in problem["problems"][0]["zh"]
    assert versions(world) == before  # nothing stored
    assert ok(dance.judges["j1"].get(url))["marks"] == {"samba": "4", "rumba": "2"}
    # a place beyond the six couples
    beyond = dance.judges["j1"].post(
        url, json=body | {"client_id": "fix-c02-samba-2", "marks": {"samba": "7", "rumba": "2"}}
    )
    assert beyond.status_code == 422 and versions(world) == before
    # the rumba allows shared places: c03 moved from a shared 2nd to 3rd leaves 1..6 whole
    fixed = dance.judges["j1"].post(
        f"/api/chief/sheets/{dance.round_id}/c03/j2",
        json=body | {"client_id": "fix-c03-rumba-1", "marks": {"samba": "1", "rumba": "3"}},
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["marks"] == {"samba": "1", "rumba": "3"} and versions(world) == before + 1


def test_paper_orders_are_taken_whole_and_a_broken_one_is_refused_with_nothing_stored(world):
    dance = store_dancing(world)
    url = f"/api/chief/rounds/{dance.round_id}/transcriptions"
    tied = dict(SAMBA, c04="2")  # c01 and c04 both 2nd in the samba
    bad = paper_csv([(c, "j3", {"samba": tied[c], "rumba": RUMBA[c]}) for c in COUPLES])
    refused = dance.judges["j1"].post(url, files={"marks": ("j3-order.csv", bad)})
    assert refused.status_code == 422, refused.text
    assert "judge j3's places in Samba: c01, c04 share place 2" in refused.text and versions(world) == 0
    # one paper sheet alone that already clashes with nothing is taken; a second on its place is not
    one = paper_csv([("c01", "j3", {"samba": "2", "rumba": "1"})])
    ok(dance.judges["j1"].post(url, files={"marks": ("j3-c01.csv", one)}))
    clash = paper_csv([("c04", "j3", {"samba": "2", "rumba": "4"})])
    refused = dance.judges["j1"].post(url, files={"marks": ("j3-c04.csv", clash)})
    assert refused.status_code == 422 and "c01, c04 share place 2" in refused.text and versions(world) == 1
    # the single-sheet transcription is checked the same way
    single = {
        "action": "transcribe",
        "base_version": 0,
        "client_id": "paper-c04-j3",
        "marks": {"samba": "2", "rumba": "4"},
    }
    refused = dance.judges["j1"].post(f"/api/chief/sheets/{dance.round_id}/c04/j3", json=single)
    assert refused.status_code == 422 and versions(world) == 1
    # the whole order on paper is taken (c01's sheet already holds its places and is left as typed)
    good = paper_csv([(c, "j3", {"samba": SAMBA[c], "rumba": RUMBA[c]}) for c in COUPLES if c != "c01"])
    done = ok(dance.judges["j1"].post(url, files={"marks": ("j3-rest.csv", good)}))
    assert done["transcribed"] == 5 and versions(world) == 6


def test_a_returned_sheet_reopens_the_judges_order_which_changes_and_is_resubmitted(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    judge = dance.judges["j2"]
    ok(judge.put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA})))
    for couple in ("c02", "c06"):  # the chief returns both sheets whose samba places are to swap
        back = {"action": "return", "base_version": 1, "client_id": f"back-{couple}-0001", "reason": "复核 / check"}
        ok(dance.judges["j1"].post(f"/api/chief/sheets/{dance.round_id}/{couple}/j2", json=back))
    mine = ok(judge.get(url))
    assert mine["sheets"]["c02"]["state"] == "returned" and mine["sheets"]["c02"]["reason"] == "复核 / check"
    assert mine["sheets"]["c01"]["state"] == "submitted"
    bases = {c: s["version"] for c, s in mine["sheets"].items()}
    swapped = dict(SAMBA, c02=SAMBA["c06"], c06=SAMBA["c02"])
    answer = ok(judge.put(url, json=order_body("submit", {"samba": swapped, "rumba": RUMBA}, bases)))
    assert answer["written"] == 2
    assert {c: s["state"] for c, s in answer["sheets"].items()} == dict.fromkeys(COUPLES, "submitted")
    assert answer["sheets"]["c02"]["marks"]["samba"] == SAMBA["c06"]
    console = ok(dance.judges["j1"].get(f"/api/chief/rounds/{dance.round_id}/console"))
    samba = console["placements"][0]["places"]
    assert samba["c02"]["j2"] == {"place": SAMBA["c06"], "state": "submitted"}
