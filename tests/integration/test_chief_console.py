"""The chief judge's console JSON (issue 12, items 9 to 11): each entry's panel result as the
rubric computes it, flags written as the rubric writes marks and titled, judges by name, and a
locked round's page rendered with its writing controls disabled."""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import select

from results.from_store import View, round_table
from results.report import rank_event
from results.stored import stored_competition
from scoring.store.models import Event, Round
from tests.integration.world import ok, sheet_body

STEPS = ("check_gauge", "shake", "pull_pin", "upwind", "aim_base", "confirm_out")
FULL = dict.fromkeys(STEPS, "1") | {"unsafe_act": "0"}
TIMES = "entry,attempt,judge,criterion,value\ns01,,,time,25\ns02,,,time,40\n"


def round_of(world, key: str) -> int:
    with world.app.state.database.read() as db:
        return db.execute(select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == key)).scalar_one()


def test_each_entry_gets_its_panel_result_place_or_pending_never_a_zero(world):
    rid = world.extinguisher
    ok(world.organiser.put(f"/api/admin/rounds/{rid}/panel", json={"judges": ["e1", "e2", "e3"], "chief": "e2"}))
    times = "entry,attempt,judge,criterion,value\ns01,,,time,25\ns02,,,time,40\ns03,,,time,40\ns05,,,time,50\n"
    ok(world.organiser.post(f"/api/admin/rounds/{rid}/official-values", files={"values": ("t.csv", times)}), 201)
    sent = {
        ("s01", "e1"): FULL,
        ("s01", "e2"): FULL | {"confirm_out": "0", "unsafe_act": "1"},
        ("s01", "e3"): FULL,
        **{(e, j): FULL | {"shake": "0"} for e in ("s02", "s03") for j in ("e1", "e2", "e3")},  # a tie
        **{("s04", j): FULL for j in ("e1", "e2", "e3")},  # complete, but no official time yet
        ("s05", "e1"): FULL,
        ("s05", "e2"): FULL,  # e3 only saved a draft: it does not count
    }
    clients = {"e1": world.judge, "e2": world.chief, "e3": world.unseated}
    for (entry, judge), marks in sent.items():
        ok(clients[judge].put(f"/api/judge/sheets/{rid}/{entry}", json=sheet_body("submit", marks=marks)))
    ok(world.unseated.put(f"/api/judge/sheets/{rid}/s05", json=sheet_body("save", marks=FULL)))

    body = world.chief.get(f"/api/chief/rounds/{rid}/console").json()
    results = {r["entry"]: r for r in body["results"]}
    assert [r["entry"] for r in body["results"]] == body["entries"]  # every entry, in the drawn order

    # the same marks scored straight by the event's bound rubric, and ranked as the event ranks
    with world.app.state.database.read() as db:
        round_ = db.get(Round, rid)
        table = round_table(db, round_, db.get(Event, round_.event_id), View.PROVISIONAL).table
        bound = stored_competition(db, "safety-culture-2023").event("extinguisher").bound
    expected = bound.score(table[table["entry"].isin(["s01", "s02", "s03"])], None, {"e1", "e2", "e3"})
    places = {s.entry: (s.place_label, str(s.score)) for s in rank_event(expected)}
    for entry in ("s01", "s02", "s03"):
        assert (results[entry]["place"], results[entry]["score"]) == places[entry]
        assert results[entry]["state"] == "scored" and re.fullmatch(r"\d+\.\d\d", results[entry]["score"])
    assert results["s01"]["place"] == "1" and results["s02"]["place"] == results["s03"]["place"] == "=2"

    # s01's working: every judge's mark of each criterion, kept by the rubric's mean
    [attempt] = results["s01"]["attempts"]
    confirm = next(c for c in attempt["criteria"] if c["criterion"] == "confirm_out")
    assert confirm["title"]["zh"] and confirm["rule"] == "mean"
    assert [(m["judge"], m["points"], m["kept"]) for m in confirm["marks"]] == [
        ("e1", "10", True),
        ("e2", "0", True),
        ("e3", "10", True),
    ]
    time = next(c for c in attempt["criteria"] if c["criterion"] == "time")
    assert time["official"] and time["value"] == "25"

    # complete without the official's time: pending with the engine's reason; missing a sheet: pending
    assert results["s04"]["state"] == "pending" and results["s04"]["score"] is None
    assert results["s04"]["problem"]["zh"] and results["s04"]["problem"]["en"]
    assert (results["s05"]["state"], results["s05"]["counted"], results["s05"]["expected"]) == ("pending", 2, 3)
    assert results["s05"]["score"] is None and results["s05"]["place"] is None and results["s05"]["attempts"] == []
    assert all(r["score"] is None for e, r in results.items() if e not in ("s01", "s02", "s03"))


def test_trimmed_panels_say_which_marks_were_dropped(venue):
    body = venue["chief"].get(f"/api/chief/rounds/{venue['hydrant']}/console").json()
    scored = [r for r in body["results"] if r["state"] == "scored"]
    assert len(scored) == len(body["entries"]) == 14
    for row in scored:
        for criterion in row["attempts"][0]["criteria"]:
            if criterion["official"] or len(criterion["marks"]) < 3:
                continue
            reasons = sorted(m["dropped"] or "" for m in criterion["marks"])
            assert reasons.count("highest") == 1 and reasons.count("lowest") == 1, (row["entry"], criterion)
            kept = [m for m in criterion["marks"] if m["kept"]]
            assert len(kept) == len(criterion["marks"]) - 2
    assert pd.Series([r["place"] for r in scored]).str.fullmatch(r"=?\d+").all()


def test_a_flag_writes_the_marks_alike_titles_the_criterion_and_names_the_judges(world):
    rid = round_of(world, "presentation")
    ok(world.organiser.put(f"/api/admin/rounds/{rid}/panel", json={"judges": ["e1", "e2"], "chief": "e2"}))
    url = f"/api/judge/sheets/{rid}/s01"
    low = {"effect": "20", "innovation": "20", "adoption": "16", "answers": "10"}  # 66
    ok(world.judge.put(url, json=sheet_body("submit", marks=low)))
    half = {"effect": "29.5", "innovation": "30", "adoption": "20", "answers": "10.5"}  # 90.0, as added up
    ok(world.chief.put(url, json=sheet_body("submit", marks=half)))
    body = world.chief.get(f"/api/chief/rounds/{rid}/console").json()
    [flag] = body["flags"]
    # the rubric rounds a judge's total to two places: 66.00 beside 90.00, never 66 beside 90.0
    assert flag["marks"] == {"e1": "66.00", "e2": "90.00"} and flag["spread"] == "24.00"
    assert flag["criterion"] == "total" and flag["title"] == {"zh": "评委总分", "en": "judges' totals"}
    assert body["names"] == {"e1": "何娜", "e2": "韩涛"}
    # the hydrant's scale by 1 writes whole numbers
    hydrant = f"/api/judge/sheets/{world.hydrant}/s01"
    ok(world.judge.put(hydrant, json=sheet_body("submit", marks={"lay_hose": "15.0"} | _hydrant_rest())))
    ok(world.chief.put(hydrant, json=sheet_body("submit", marks={"lay_hose": "10"} | _hydrant_rest())))
    [lay] = world.chief.get(f"/api/chief/rounds/{world.hydrant}/console").json()["flags"]
    assert lay["marks"] == {"e1": "15", "e2": "10"} and lay["spread"] == "5"
    assert lay["title"]["en"] == "Hose laid straight without kinks"
    page = world.chief.get(f"/judge/console/{rid}").text
    assert "评委总分" in page and ">total<" not in page and "何娜" in page and "韩涛" in page


def _hydrant_rest() -> dict[str, str]:
    return {"open_cabinet": "1", "couple": "1", "open_valve": "1", "hit_target": "18", "unsafe": "0", "no_reset": "0"}


def test_a_locked_rounds_console_renders_its_lock_and_upload_disabled(venue, world):
    locked = venue["chief"].get(f"/judge/console/{venue['hydrant']}").text
    assert re.search(r'<button type="button" id="lock"[^>]* disabled>', locked)
    assert re.search(r'<fieldset id="transcribe-fields"[^>]* disabled>', locked)
    assert "本轮次已锁定" in locked
    open_round = world.chief.get(f"/judge/console/{world.hydrant}").text
    assert not re.search(r'id="lock"[^>]* disabled', open_round) and 'id="lock-confirm"' in open_round


def test_entries_results_are_kept_until_a_change_counts_and_then_scored_again(world, monkeypatch):
    """The console's per-entry results are kept per live seq (results/round_entries.py): a second
    read with nothing changed scores nothing; a counted change (a sheet submitted, officials'
    values) is seen at once; a draft changes nothing."""
    from results import round_entries

    rid = world.extinguisher
    ok(world.organiser.put(f"/api/admin/rounds/{rid}/panel", json={"judges": ["e1", "e2", "e3"], "chief": "e2"}))
    ok(world.organiser.post(f"/api/admin/rounds/{rid}/official-values", files={"values": ("t.csv", TIMES)}), 201)
    ok(world.unseated.put(f"/api/judge/sheets/{rid}/s01", json=sheet_body("submit", marks=FULL)))  # e3
    runs: list[int] = []
    real = round_entries._entry_panels
    monkeypatch.setattr(round_entries, "_entry_panels", lambda *a: runs.append(1) or real(*a))

    def s01() -> dict:
        body = world.chief.get(f"/api/chief/rounds/{rid}/console").json()
        return next(r for r in body["results"] if r["entry"] == "s01")

    ok(world.judge.put(f"/api/judge/sheets/{rid}/s01", json=sheet_body("submit", marks=FULL)))
    assert s01()["state"] == "pending" and len(runs) == 1  # e2 has not marked s01 yet
    assert s01()["state"] == "pending" and len(runs) == 1  # read again: nothing scored again
    ok(world.chief.put(f"/api/judge/sheets/{rid}/s01", json=sheet_body("save", marks=FULL)))
    assert s01()["state"] == "pending" and len(runs) == 1  # a draft counts for nothing
    ok(world.chief.put(f"/api/judge/sheets/{rid}/s01", json=sheet_body("submit", base=1, marks=FULL)))
    first = s01()
    assert first["state"] == "scored" and first["place"] == "1" and len(runs) == 2  # the submit is seen at once
    slower = "entry,attempt,judge,criterion,value\ns01,,,time,95\n"
    upload = {"files": {"values": ("t.csv", slower)}, "data": {"reason": "timed again from the video"}}
    ok(world.organiser.post(f"/api/admin/rounds/{rid}/official-values", **upload), 201)
    again = s01()
    assert len(runs) == 3 and again["score"] != first["score"]  # new officials' values: scored again


def test_the_console_names_the_round_in_the_pages_language(world):
    """A round's usual key ("final") is said in the page's words, not shown raw (issue 12, item 17)."""
    with world.app.state.database.read() as db:
        assert db.get(Round, world.hydrant).key == "final"  # the example's round, as set up
    zh = re.search(r"<h1>(.*?)</h1>", world.chief.get(f"/judge/console/{world.hydrant}?lang=zh").text, re.S)
    en = re.search(r"<h1>(.*?)</h1>", world.chief.get(f"/judge/console/{world.hydrant}?lang=en").text, re.S)
    assert zh is not None and en is not None
    assert "决赛" in zh.group(1) and "final" not in zh.group(1)
    assert "final" in en.group(1)
