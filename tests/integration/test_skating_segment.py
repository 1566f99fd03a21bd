"""A figure-skating segment through the HTTP API, a rubric with a part marked once per entry: the
desk enters each element's base values and, once per skater, the factor and the deductions; the
five judges submit element by element and then the programme components once; the chief locks;
the standings from the store equal `scoring compute` on the exported long form (per-entry rows
with an empty attempt), with a total worked by hand. With the rules of a sheet's two parts."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from results.from_store import View, results_from_store
from results.report import event_table
from scoring.store.sheet_marks import round_marks
from server.cli import app
from tests.integration.diving import desk_put, submit
from tests.integration.skating import (
    ELEMENTS,
    JUDGES,
    KEY,
    RUBRIC,
    SKATERS,
    component_marks,
    desk_values,
    element_marks,
    store_skating,
)
from tests.integration.world import ok


def test_a_skating_segment_from_tablets_and_desk_scores_as_scoring_compute(world, tmp_path):
    skating = store_skating(world)
    r, chief = skating.round_id, skating.chief
    desk = ok(chief.get(f"/api/chief/rounds/{r}/desk"))
    assert [f["key"] for f in desk["fields"]] == ["base_value", "goe_base"]
    assert [f["key"] for f in desk["entry_fields"]] == ["factor", "deductions"]
    for skater in SKATERS:
        assert ok(desk_put(chief, r, skater, desk_values(skater), 0))["version"] == 1
    for j, judge in enumerate(JUDGES):
        for skater in SKATERS:
            for element in range(1, len(ELEMENTS[skater]) + 1):
                got = ok(submit(skating.judges[judge], r, skater, element_marks(skater, j, element), element - 1))
                assert got["state"] == "submitted" and got["version"] == element
    refused = chief.post(f"/api/chief/rounds/{r}/lock")  # the lock waits for the components
    assert refused.status_code == 409 and "per-entry part" in refused.text, refused.text
    for j, judge in enumerate(JUDGES):
        for skater in SKATERS:
            n = len(ELEMENTS[skater])
            marks = element_marks(skater, j, n) | component_marks(skater, j)
            got = ok(submit(skating.judges[judge], r, skater, marks, n))
            assert got["marks"] == marks and got["version"] == n + 1
    console = ok(chief.get(f"/api/chief/rounds/{r}/console"))
    assert [(e["counted"], e["expected"], e["state"]) for e in console["results"]] == [(5, 5, "scored")] * 3
    s1 = next(e for e in console["results"] if e["entry"] == "s1")  # the result with both parts
    assert s1["score"] == "55.20" and [a["score"] for a in s1["attempts"]] == ["12.00", "5.33", "3.10"]
    assert [c["criterion"] for c in s1["per_entry"]["criteria"]] == ["composition", "presentation", "skating_skills"]
    assert s1["per_entry"]["score"] == "55.20"
    assert console["matrix"]["s1"]["j1"]["by_attempt"]["0"] == "7.00 · 7.00 · 6.50"  # the judge's components
    paper = chief.get(f"/judge/rounds/{r}/paper")  # printed sheets carry the components after the elements
    assert paper.status_code == 200 and "每人一次 / Once per entry" in paper.text and "Skating skills" in paper.text
    page = chief.get(f"/judge/console/{r}?lang=en")
    assert page.status_code == 200 and "Once per entry" in page.text and "Skating skills" in page.text
    locked = ok(chief.post(f"/api/chief/rounds/{r}/lock"))
    assert locked["locked_sheets"] == len(JUDGES) * len(SKATERS)

    with world.app.state.database.read() as db:
        stored = results_from_store(db, KEY, View.PROVISIONAL).events["short"]
        exported = round_marks(db, r).marks
    once = exported[exported["criterion"].isin(["composition", "factor", "deductions"])]
    assert len(once) == 5 * 3 + 3 + 3 and set(once["attempt"]) == {""}  # per-entry rows: no attempt
    path = tmp_path / "short.csv"
    exported.to_csv(path, index=False)
    computed = CliRunner().invoke(app, ["compute", "--rubric", str(RUBRIC), "--marks", str(path), "--format", "csv"])
    assert computed.exit_code == 0, computed.output
    from_file = [(r["place"], r["entry"], r["score"]) for r in csv.DictReader(io.StringIO(computed.output))]
    table = event_table(stored)
    from_store = [(str(p), e, s) for p, e, s in table[["place", "entry", "score"]].itertuples(False)]
    assert from_store == from_file and len(from_store) == len(SKATERS)
    scores = {entry: score for _, entry, score in from_store}
    # s1 elements, each the base value and the trimmed mean of the grades (highest and lowest
    # dropped) x goe_base / 10: 10 + 2 = 12.00; 5 + (0+1+1)/3 x 0.5 = 5.33; 3.30 + (-1-1+0)/3 x 0.3
    # = 3.10; 20.43 in all. Components x 1.67: composition (7.25+7.5+7.5)/3 = 7.42 -> 12.39;
    # presentation 7 -> 11.69; skating skills 7 -> 11.69. Less the fall: 20.43 + 35.77 - 1 = 55.20
    assert scores["s1"] == "55.20"


def test_a_judge_marks_the_components_once_after_the_elements_and_nothing_after_them(world):
    skating = store_skating(world)
    r, judge = skating.round_id, skating.judges["j1"]
    early = submit(judge, r, "s1", component_marks("s1", 0), 0)  # no element yet
    assert early.status_code == 422 and "comes after the attempts" in early.text, early.text
    ok(submit(judge, r, "s1", element_marks("s1", 0, 1), 0))
    part = submit(judge, r, "s1", element_marks("s1", 0, 1) | {"composition": "7"}, 1)  # one component of three
    assert part.status_code == 422 and {p["field"] for p in part.json()["problems"]} == {
        "presentation",
        "skating_skills",
    }
    bad = submit(judge, r, "s1", element_marks("s1", 0, 1) | component_marks("s1", 0) | {"presentation": "7.1"}, 1)
    assert bad.status_code == 422 and [p["field"] for p in bad.json()["problems"]] == ["presentation"]
    unknown = submit(judge, r, "s1", element_marks("s1", 0, 1) | {"factor": "2"}, 1)  # the desk's, not a judge's
    assert unknown.status_code == 422
    done = ok(submit(judge, r, "s1", element_marks("s1", 0, 2) | component_marks("s1", 0), 1))  # with element 2
    assert done["version"] == 2 and done["marks"]["2/goe"] == "0" and done["marks"]["composition"] == "7"
    more = submit(judge, r, "s1", element_marks("s1", 0, 3) | component_marks("s1", 0), 2)
    assert more.status_code == 422 and "sheet is complete" in more.text
    # a paper sheet typed in by the chief holds both parts: components on rows with no attempt
    rows = "entry,attempt,judge,criterion,value\n" + "".join(
        [f"s2,{k},j2,goe,{g}\n" for k, g in ((1, 2), (2, 1))]
        + [f"s2,,j2,{name},8\n" for name in ("composition", "presentation", "skating_skills")]
    )
    sent = skating.chief.post(f"/api/chief/rounds/{r}/transcriptions", files={"marks": ("paper.csv", rows)})
    assert ok(sent)["transcribed"] == 1
    held = ok(skating.chief.get(f"/api/chief/sheets/{r}/s2/j2"))["marks"]
    assert held == {"1/goe": "2", "2/goe": "1", "composition": "8", "presentation": "8", "skating_skills": "8"}


def test_the_desk_takes_per_entry_values_once_per_skater(world):
    skating = store_skating(world)
    r, chief = skating.round_id, skating.chief
    bad = desk_put(chief, r, "s1", {"1/factor": "1.67", "deductions": "-1", "1/base_value": "10"}, 0)
    assert bad.status_code == 422 and {p["field"] for p in bad.json()["problems"]} == {"1/factor"}
    bad = desk_put(chief, r, "s1", {"deductions": "-1", "1/base_value": "10"}, 0)
    assert bad.status_code == 422 and {p["field"] for p in bad.json()["problems"]} == {"deductions"}
    stored = ok(desk_put(chief, r, "s1", {"factor": "1.67", "1/base_value": "10"}, 0))
    assert stored["values"] == {"factor": "1.67", "1/base_value": "10"}
    row = next(e for e in ok(chief.get(f"/api/chief/rounds/{r}/desk"))["entries"] if e["entry"] == "s1")
    assert row["values"] == {"factor": "1.67", "1/base_value": "10"}


def test_the_console_flags_a_component_once_per_entry_beside_the_elements(world):
    text = RUBRIC.read_text(encoding="utf-8")
    tolerant = text.replace('key = "composition"', 'key = "composition"\n    tolerance = 1', 1)
    assert tolerant != text
    skating = store_skating(world, tolerant.encode())
    r, chief = skating.round_id, skating.chief
    spread = {"j1": "6", "j2": "7.5", "j3": "8"}  # composition 6 to 8: a spread of 2, beyond 1
    for j, judge in enumerate(JUDGES[:3]):
        marks = element_marks("s1", j, 1)
        ok(submit(skating.judges[judge], r, "s1", marks, 0))
        ok(submit(skating.judges[judge], r, "s1", marks | component_marks("s1", j) | {"composition": spread[judge]}, 1))
    console = ok(chief.get(f"/api/chief/rounds/{r}/console"))
    flags = [(f["entry"], f["attempt"], f["criterion"], f["spread"]) for f in console["flags"]]
    assert flags == [("s1", 0, "composition", "2.00")]
    assert console["flags"][0]["title"]["en"] == "Composition"
    page = chief.get(f"/judge/console/{r}?lang=zh")
    assert page.status_code == 200 and '<td class="num">每人一次</td>' in page.text
