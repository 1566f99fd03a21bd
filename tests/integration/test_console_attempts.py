"""The chief's console for a rubric with attempts (issue 12, "the console shows attempts"): a
7-judge diving round with a referee at the desk. Flags are per entry, attempt and criterion; a
matrix cell carries the judge's marks per attempt; each entry's result gives every attempt with
the desk's DD beside the engine's working; the page shows one attempt's marks when asked."""

from __future__ import annotations

from tests.integration.diving import JUDGES, desk_put, store_diving, submit
from tests.integration.world import ok

DD = {1: "2.0", 2: "2.8", 3: "3.1", 4: "3.4", 5: "3.5"}
# c1: on dive 2 the seventh judge is far from the others (10 against 6 to 7: beyond the tolerance 2)
AWARDS = {k: ["7", "7.5", "8", "8", "8.5", "8.5", "9"] for k in DD} | {2: ["6", "6.5", "6.5", "7", "7", "7", "10"]}


def test_the_console_reviews_and_shows_a_diving_round_attempt_by_attempt(world):
    diving = store_diving(world)
    r, chief = diving.round_id, diving.chief
    ok(desk_put(chief, r, "c1", {f"{k}/dd": dd for k, dd in DD.items()} | {"4/penalty": "2"}, 0))
    ok(desk_put(chief, r, "c2", {"1/dd": "1.6"}, 0))
    for dive in DD:
        for j, judge in enumerate(JUDGES):
            marks = {f"{k}/award": AWARDS[k][j] for k in range(1, dive + 1)}
            ok(submit(diving.judges[judge], r, "c1", marks, dive - 1))
    for judge in JUDGES[:3]:  # c2: three judges have submitted dive 1 so far
        ok(submit(diving.judges[judge], r, "c2", {"1/award": "5"}, 0))
    console = ok(chief.get(f"/api/chief/rounds/{r}/console"))
    assert console["attempts"] == 5
    flags = console["flags"]
    assert [(f["entry"], f["attempt"], f["criterion"]) for f in flags] == [("c1", 2, "award")]
    assert flags[0]["spread"] == "4.0" and flags[0]["marks"]["d7"] == "10.0"
    cell = console["matrix"]["c1"]["d7"]
    assert cell["attempts"] == 5 and cell["by_attempt"] == {"1": "9.0", "2": "10.0", "3": "9.0", "4": "9.0", "5": "9.0"}
    assert console["matrix"]["c2"]["d1"] | {"device": ""} == {
        "state": "submitted",
        "version": 1,
        "device": "",
        "attempts": 1,
        "by_attempt": {"1": "5.0"},
    }
    assert {j for j, c in console["matrix"]["c2"].items() if c["state"] == "submitted"} == {"d1", "d2", "d3"}
    results = {e["entry"]: e for e in console["results"]}
    c1, c2 = results["c1"], results["c2"]
    assert c1["state"] == "scored" and [a["attempt"] for a in c1["attempts"]] == [1, 2, 3, 4, 5]
    dd = {k: next(p["value"] for p in ps if p["key"] == "dd") for k, ps in c1["parameters"].items()}
    assert dd == {str(k): v for k, v in DD.items()}
    penalty = {k: next(p["value"] for p in ps if p["key"] == "penalty") for k, ps in c1["parameters"].items()}
    assert penalty == {"1": "0", "2": "0", "3": "0", "4": "2", "5": "0"}  # the rubric's default where none given
    second = c1["attempts"][1]
    assert second["formula"] == "award * dd"
    # dive 2: 6, 6.5 | 6.5 7 7 | 7, 10 -> 20.5 x 2.8 = 57.40; the engine's working, not a second computation
    assert second["score"] == "57.40" and second["criteria"][0]["value"] == "20.5"
    assert c2["state"] == "pending" and c2["attempts"] == [] and c2["parameters"]["1"][0]["value"] == "1.6"
    assert c2["parameters"]["2"][0]["value"] is None  # no DD entered yet: said so, never a made-up value

    page = chief.get(f"/judge/console/{r}?attempt=2&lang=en")
    assert page.status_code == 200
    assert 'data-attempt="2" href="?attempt=2" aria-current="page"' in page.text
    assert 'data-marks="2">10.0</span>' in page.text and "Marks by attempt" in page.text
    assert '"key": "5/award"' in page.text  # the chief's sheet panel edits marks keyed attempt/criterion
    sheets = chief.get(f"/judge/console/{r}?lang=zh")
    assert "已评 5/5" in sheets.text and "data-marks=" not in sheets.text
