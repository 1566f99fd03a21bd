"""A judge's placements over HTTP (issue 15, item 4): the whole order of a round stored as one
sheet per entry, in one transaction, or refused whole with every problem named; shared places
only where the dance allows them; a retry stored once; seats checked as for sheets; SQLite and
PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from scoring.store.models import AuditRecord, Judge, Sheet, SheetVersion
from tests.integration.dancing import COUPLES, in_order, order_body, store_dancing
from tests.integration.world import ok

SAMBA = in_order("c03", "c01", "c05", "c02", "c06", "c04")
RUMBA = {"c01": "1", "c02": "2", "c03": "2", "c04": "4", "c05": "5", "c06": "6"}  # two share 2nd


def stored(world, judge: str = "j2") -> dict[str, tuple[int, str, dict[str, str]]]:
    """Each couple's latest sheet of `judge`: (version, state, marks)."""
    with world.app.state.database.read() as db:
        rows = db.execute(
            select(Sheet.entry_key, SheetVersion.version, SheetVersion.state, SheetVersion.marks)
            .join(SheetVersion, SheetVersion.sheet_id == Sheet.id)
            .join(Judge, Judge.id == Sheet.judge_id)
            .where(Judge.key == judge)
            .order_by(SheetVersion.version)
        ).all()
    return {entry: (version, state, dict(marks)) for entry, version, state, marks in rows}


def version_count(world) -> int:
    with world.app.state.database.read() as db:
        return db.scalar(select(func.count()).select_from(SheetVersion)) or 0


def test_a_valid_order_is_stored_as_one_sheet_per_couple(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    answer = ok(dance.judges["j2"].put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA})))
    assert answer["written"] == 6 and answer["replayed"] is False
    assert set(answer["sheets"]) == set(COUPLES)
    assert stored(world) == {c: (1, "submitted", {"samba": SAMBA[c], "rumba": RUMBA[c]}) for c in COUPLES}
    with world.app.state.database.read() as db:
        audited = db.scalars(select(AuditRecord.action).where(AuditRecord.action == "sheet.submit")).all()
    assert len(audited) == 6  # each sheet's version has its audit record
    mine = ok(dance.judges["j2"].get(url))
    assert mine["entries"] == COUPLES and mine["sheets"]["c03"]["marks"] == {"samba": "1", "rumba": "2"}
    # one sheet per couple, as the chief judge's API sees any sheet
    sheet = ok(dance.judges["j1"].get(f"/api/chief/sheets/{dance.round_id}/c05/j2"))
    assert sheet["marks"] == {"samba": "3", "rumba": "5"}


def test_an_order_that_is_not_valid_is_refused_whole_and_says_what_is_wrong(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    tied = dict(SAMBA, c01="1")  # c03 and c01 both first, where the samba allows no shared places
    refused = dance.judges["j2"].put(url, json=order_body("submit", {"samba": tied, "rumba": RUMBA}))
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["type"] == "urn:scoring:problem:sheet-rejected"
    [problem] = body["problems"]
    assert problem["field"] == "samba" and "c01, c03" in problem["en"] and "share place 1" in problem["en"]
    assert "c01、c03" in problem["zh"] and "桑巴" in problem["zh"]
    gap = dict(SAMBA, c04="7")  # 1..5 and 7: place 6 is missing, and 7 is above six couples
    left_out = {c: p for c, p in RUMBA.items() if c != "c06"}
    refused = dance.judges["j2"].put(url, json=order_body("submit", {"samba": gap, "rumba": left_out}))
    assert refused.status_code == 422
    said = {p["field"]: p["en"] for p in refused.json()["problems"]}
    assert "place 7 (c04) is above the number of entries placed, 6" in said["samba"]
    assert "not placed yet: c06" in said["rumba"]
    assert version_count(world) == 0  # nothing stored, not even the valid dance
    whole = order_body("submit", {"samba": SAMBA, "rumba": RUMBA})
    del whole["base_versions"]["c02"]
    refused = dance.judges["j2"].put(url, json=whole)
    assert refused.status_code == 422 and "left out: c02" in refused.json()["problems"][0]["en"]
    unknown = order_body("submit", {"samba": SAMBA, "rumba": RUMBA, "jive": SAMBA})
    refused = dance.judges["j2"].put(url, json=unknown)
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "jive"
    assert version_count(world) == 0


def test_shared_places_follow_the_dance_and_the_usual_convention(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    dense = dict(RUMBA, c04="3", c05="4", c06="5")  # 1, 2, 2, 3: the next place after two 2nds is 4
    refused = dance.judges["j2"].put(url, json=order_body("submit", {"samba": SAMBA, "rumba": dense}))
    assert refused.status_code == 422
    [problem] = refused.json()["problems"]
    assert problem["field"] == "rumba" and "place 4 is missing" in problem["en"]
    all_first = dict.fromkeys(COUPLES, "1")  # the rumba allows all six to share 1st
    ok(dance.judges["j2"].put(url, json=order_body("submit", {"samba": SAMBA, "rumba": all_first})))
    assert {marks["rumba"] for _, _, marks in stored(world).values()} == {"1"}


def test_a_retry_is_stored_once_and_a_draft_then_a_submission_move_every_sheet(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    judge = dance.judges["j3"]
    draft = order_body("save", {"samba": {"c02": "1", "c04": "2"}}, client_id="order-draft-0001")
    first = ok(judge.put(url, json=draft))
    assert first["written"] == 6  # a sheet per couple, the unplaced ones empty drafts
    again = ok(judge.put(url, json=draft))
    assert again["replayed"] is True and again["sheets"] == first["sheets"]
    assert version_count(world) == 6
    assert stored(world, "j3")["c04"] == (1, "draft", {"samba": "2"})
    bases = {c: s["version"] for c, s in first["sheets"].items()}
    submit = order_body("submit", {"samba": SAMBA, "rumba": RUMBA}, bases, client_id="order-submit-0001")
    ok(judge.put(url, json=submit))
    ok(judge.put(url, json=submit))  # the tablet's retry: the same request, nothing more stored
    assert version_count(world) == 12
    assert {v for v, _, _ in stored(world, "j3").values()} == {2}
    stale = judge.put(url, json=order_body("save", {"samba": SAMBA}))  # based on version 0
    assert stale.status_code == 409 and stale.json()["type"] == "urn:scoring:problem:stale-write"
    reused = judge.put(url, json=dict(submit, places={"samba": SAMBA, "rumba": dict(RUMBA, c06="5", c05="6")}))
    assert reused.status_code == 409 and reused.json()["type"] == "urn:scoring:problem:client-id-reused"
    assert version_count(world) == 12


def test_after_the_chief_returns_one_sheet_only_that_sheet_moves(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    judge = dance.judges["j2"]
    ok(judge.put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA})))
    back = {"action": "return", "base_version": 1, "client_id": "chief-return-01", "reason": "复核 / check"}
    ok(dance.judges["j1"].post(f"/api/chief/sheets/{dance.round_id}/c02/j2", json=back))
    bases = dict.fromkeys(COUPLES, 1) | {"c02": 2}
    ok(judge.put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA}, bases)))
    assert {c: v for c, (v, _, _) in stored(world).items()} == dict.fromkeys(COUPLES, 1) | {"c02": 3}
    swapped = dict(SAMBA, c03="2", c01="1")  # would change two submitted sheets: the chief returns them first
    refused = judge.put(url, json=order_body("submit", {"samba": swapped, "rumba": RUMBA}, bases | {"c02": 3}))
    assert refused.status_code == 422 and "submitted" in refused.json()["en"]


def test_only_a_seated_marking_judge_places_and_never_sheet_by_sheet(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    body = order_body("submit", {"samba": SAMBA, "rumba": RUMBA})
    assert dance.judges["j4"].put(url, json=body).status_code == 403  # seated nowhere
    assert dance.judges["j4"].get(url).status_code == 403
    assert world.judge.put(url, json=body).status_code == 403  # another competition's judge
    assert world.public.put(url, json=body).status_code in (401, 403)
    assert world.judge.put(f"/api/judge/placements/{world.hydrant}", json=body).status_code == 409  # scored, not placed
    one = {"action": "submit", "base_version": 0, "client_id": "one-sheet-0001", "marks": {"samba": "1"}}
    refused = dance.judges["j2"].put(f"/api/judge/sheets/{dance.round_id}/c01", json=one)
    assert refused.status_code == 409 and "placements" in refused.json()["en"]
    assert version_count(world) == 0
    page = dance.judges["j2"].get(f"/judge/rounds/{dance.round_id}/c01", follow_redirects=False)
    assert page.status_code in (302, 303) and page.headers["location"] == f"/judge/placements/{dance.round_id}"


def test_a_locked_round_takes_no_order(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    for judge in ("j1", "j2", "j3"):
        ok(dance.judges[judge].put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA})))
    ok(dance.judges["j1"].post(f"/api/chief/rounds/{dance.round_id}/lock", json={"client_id": "lock-round-0001"}))
    refused = dance.judges["j2"].put(url, json=order_body("save", {"samba": SAMBA}, dict.fromkeys(COUPLES, 2)))
    assert refused.status_code == 409 and refused.json()["type"] == "urn:scoring:problem:round-closed"


def test_the_chiefs_console_shows_the_placements_matrix(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    ok(dance.judges["j2"].put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA})))
    ok(dance.judges["j3"].put(url, json=order_body("save", {"samba": {"c06": "1"}})))
    console = ok(dance.judges["j1"].get(f"/api/chief/rounds/{dance.round_id}/console"))
    samba, rumba = console["placements"]
    assert (samba["key"], samba["ties"], rumba["key"], rumba["ties"]) == ("samba", "refuse", "rumba", "allow")
    assert {c: cell["j2"]["place"] for c, cell in samba["places"].items()} == SAMBA
    assert samba["places"]["c06"]["j3"] == {"place": "1", "state": "draft"} and "j1" not in samba["places"]["c06"]
    assert rumba["places"]["c03"] == {"j2": {"place": "2", "state": "submitted"}}
    page = dance.judges["j1"].get(f"/judge/console/{dance.round_id}?lang=zh")
    assert page.status_code == 200 and "名次表（参赛对象 × 评委）" in page.text
    assert '<table class="placements" data-dance="rumba">' in page.text
    english = dance.judges["j1"].get(f"/judge/console/{dance.round_id}?lang=en").text
    assert "Placements (entries × judges)" in english and ">Samba</caption>" in english
    assert ok(world.chief.get(f"/api/chief/rounds/{world.hydrant}/console"))["placements"] == []


def test_the_assignments_and_the_form_speak_the_pages_language(world):
    dance = store_dancing(world)
    judge = dance.judges["j2"]
    home = judge.get("/judge?lang=zh").text
    assert f'href="/judge/placements/{dance.round_id}"' in home and "排定名次" in home
    assert f"/judge/rounds/{dance.round_id}/c01" not in home  # one ordering form, no sheet per couple
    form = judge.get(f"/judge/placements/{dance.round_id}?lang=zh").text
    assert "桑巴" in form and "不允许并列" in form and "允许并列" in form and "下一个与上一名并列" in form
    english = judge.get(f"/judge/placements/{dance.round_id}?lang=en").text
    assert "Samba" in english and "no shared places" in english and "Next shares the place above" in english
    assert "同为" not in english  # the script's words are the page's language
    assert world.judge.get(f"/judge/placements/{world.hydrant}", headers={"accept": "text/html"}).status_code == 409


def test_a_blind_round_is_placed_by_codes_only(world):
    dance = store_dancing(world, blind=True)
    url = f"/api/judge/placements/{dance.round_id}"
    judge = dance.judges["j2"]
    assert ok(judge.get(url))["entries"] == []
    waiting = judge.put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA}))
    assert waiting.status_code == 409 and "codes" in waiting.json()["en"]
    draws = f"/api/admin/rounds/{dance.round_id}/draws"
    ok(world.organiser.post(draws, json={"purpose": "checkin", "drawn_by": "李四", "seed": 1}), 201)
    drawn = ok(world.organiser.post(draws, json={"purpose": "codes", "drawn_by": "赵六", "seed": 2}), 201)
    code = drawn["result"]["codes"]  # couple -> code
    labels = ok(judge.get(url))["entries"]
    assert sorted(labels) == sorted(code.values()) and not set(labels) & set(COUPLES)
    by_key = judge.put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA}))
    assert by_key.status_code == 422 and "no entry 'c01'" in by_key.text  # keys are not taken
    body = order_body("submit", {})
    body["base_versions"] = dict.fromkeys(labels, 0)
    body["places"] = {d: {code[c]: p for c, p in places.items()} for d, places in (("samba", SAMBA), ("rumba", RUMBA))}
    answer = judge.put(url, json=body)
    assert answer.status_code == 200 and not any(c in answer.text for c in COUPLES)
    assert stored(world)["c05"] == (1, "submitted", {"samba": "3", "rumba": "5"})


def test_a_sheet_held_by_another_device_stops_the_whole_order(world):
    dance = store_dancing(world)
    url = f"/api/judge/placements/{dance.round_id}"
    judge = dance.judges["j2"]
    claim = {"device": "tablet-other"}
    ok(judge.post(f"/api/judge/sheets/{dance.round_id}/c04/claim", json=claim))
    held = judge.put(url, json=order_body("submit", {"samba": SAMBA, "rumba": RUMBA}))
    assert held.status_code == 409 and held.json()["type"] == "urn:scoring:problem:sheet-on-another-device"
    assert version_count(world) == 0
    assert ok(judge.get(url + "?device=tablet-d1"))["elsewhere"] == ["c04"]
