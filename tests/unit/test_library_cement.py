"""The cement team-leader projects, the cement theory paper, the breathing-apparatus drill and
the safety quiz rules, each against an example worked out by hand (working in comments)."""

from decimal import Decimal as D

import pandas as pd

from scoring.events.quiz import score_log
from scoring.events.theory import grade_wide, theory_result
from scoring.rules_file import load_rules_file
from tests.helpers import RUBRICS, library, panel, score, scores


def rows_for(entry, marks, officials=()):
    rows = [row for c, m in marks.items() for row in panel(entry, c, m)]
    return rows + [(entry, "", "", c, v) for c, v in officials]


def test_breathing_apparatus_points_version():
    r = library("breathing_apparatus.toml")
    marks = {
        "check_cylinder": [1, 1, 1],
        "harness": [1, 1, 1],
        "mask_seal": [1, 1, 0],
        "open_valve": [1, 1, 1],
        "alarm_check": [0, 0, 0],
        "fault": [1, 0, 2],
    }
    # procedure 15 + 15 + 40/3 + 10 + 0 = 53.333...; time 70 s: 20 - 30 x 20 / 60 = 10.0;
    # safety 10 + mean(-2, 0, -4) = 8; total 71.333... -> 71.33
    assert scores(r, rows_for("T", marks, [("time", "70")])) == {"T": D("71.33")}
    # 55.5 s: 20 - 15.5 / 3 = 14.833... -> 14.8 (rounded to 0.1); 53.333... + 14.8 + 8 = 76.133... -> 76.13
    assert scores(r, rows_for("T", marks, [("time", "55.5")])) == {"T": D("76.13")}


def test_digital_enablement_trims_each_aspect_and_flags_the_wide_one():
    r = library("cement/digital_enablement.toml")
    marks = {
        "diagnosis": [15, 16.5, 14, 18, 17],
        "approach": [25] * 5,
        "feasibility": [20, 22.5, 21, 30, 10],
        "delivery": [18, 17.5, 16, 19, 15.5],
    }
    # diagnosis (15 + 16.5 + 17) / 3 = 16.17; approach 25.00; feasibility (20 + 21 + 22.5) / 3 = 21.17;
    # delivery (16 + 17.5 + 18) / 3 = 17.17; 79.51
    result = score(r, rows_for("T", marks))
    assert result.results[0].score == D("79.51")
    assert [f.criterion for f in result.flags] == ["feasibility"]  # 30 vs 10, tolerance 8


def test_sealing_points_and_sop():
    r = library("cement/sealing_points_sop.toml")
    marks = {
        "sop_steps": [1] * 5,
        "sop_hazards": [1, 1, 1, 0, 0],
        "sop_ppe": [1, 1, 1, 1, 0],
        "sop_quality": [24, 25.5, 26, 22, 28],
    }
    # 13 points found: at least 12, below 15 -> 32
    # SOP: 10 + (0 + 10 + 10) / 3 + 10 + (24 + 25.5 + 26) / 3 = 51.833...; total 83.833... -> 83.83
    assert scores(r, rows_for("T", marks, [("points_found", "13")])) == {"T": D("83.83")}
    assert scores(r, rows_for("T", marks, [("points_found", "15")])) == {"T": D("91.83")}


def test_site_5s_with_clock_time():
    r = library("cement/site_5s.toml")
    marks = {
        "red_tag": [1, 1, 1],
        "removed": [1, 0, 1],
        "locations": [20, 22, 21],
        "visual": [18, 20, 19],
        "hazard_left": [1, 1, 2],
    }
    # sorting 15 + 10 = 25; order 21 + 19 = 40; 14:30 = 870 s -> 10; safety 10 + 10 - 8/3 = 17.333...
    # total 82.333... -> 82.33
    assert scores(r, rows_for("T", marks, [("time", "14:30")])) == {"T": D("82.33")}


def test_emergency_response_and_its_veto():
    r = library("cement/emergency_response.toml")
    marks = {
        "emergency_stop": [1] * 5,
        "isolate": [1, 1, 1, 1, 0],
        "first_aid": [20, 21, 22, 23, 24],
        "report": [15, 15, 16, 17, 20],
        "leadership": [16, 17, 18, 18, 19],
    }
    # response 10 + 15 + 22 + 16 = 63; command (17 + 18 + 18) / 3 + time 300 s (10 - 120 x 10 / 240 = 5.0)
    # = 22.666...; total 85.666... -> 85.67
    assert scores(r, rows_for("T", marks, [("time", "300")])) == {"T": D("85.67")}
    vetoed = rows_for("T", marks, [("time", "300")]) + panel("T", "unsafe_entry", [1, 1, 1])
    assert scores(r, vetoed) == {"T": D("0.00")}


def test_cement_theory_paper_full_marks_less_a_partial_answer():
    r = library("cement/theory_paper.toml")
    key = {}
    for q in r.criteria():
        kind = q.kind
        if kind.type in ("single", "multiple"):
            key[q.key] = "".join(sorted(kind.answer_set))
        elif kind.type == "true_false":
            key[q.key] = "对" if kind.answer_bool else "错"
        else:
            key[q.key] = str(kind.answer_number)
    partial = dict(key, q39=key["q39"][:-1])  # q39 is multiple choice: a right subset earns 1 of 2
    frame = pd.DataFrame([{"entry": "c1", **key}, {"entry": "c2", **partial}])
    frame["row"] = [2, 3]
    result = theory_result(r, grade_wide(r, frame, "answers.csv"))
    # 38 + 40 + 20 + 2 = 100.0 with every answer right; 99.0 with one partial multiple choice
    assert {s.entry: s.score for s in result.scores} == {"c1": D("100.0"), "c2": D("99.0")}


def test_safety_quiz_rules_file():
    kind, rules = load_rules_file(RUBRICS / "safety_quiz.toml")
    assert kind == "quiz" and rules.maximum == D(230)
    log = pd.DataFrame(
        [("T1", "必答", "对", ""), ("T2", "风险", "错", "20"), ("T2", "抢答", "对", "")],
        columns=["team", "type", "outcome", "stake"],
    )
    log["row"] = [2, 3, 4]
    result = score_log(rules, log, "quiz.csv")
    # T1: 100 + 10 = 110; T2: 100 - 20 + 10 = 90
    assert {s.entry: s.score for s in result.scores} == {"T1": D(110), "T2": D(90)}
