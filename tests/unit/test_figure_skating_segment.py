"""A whole figure-skating segment in one rubric: elements per attempt, components and deductions
once per skater. One example from published marks, one worked by hand, and the rules of the
per-entry part (`[entry]`).

Published marks: ISU Grand Prix Cup of China 2017, men's free skating, judges' details per
skater (isuresults.com, season 2017-18, gpchn2017), as parsed into CSV in the public repository
mengyazhu96/figure-skating-analysis (1718/gpchn2017/men_free/1_Max_AARON.csv and
8_Keiji_TANAKA.csv); examples/rubrics/figure_skating/free_skate_2017_marks.csv holds them in the
long form. Max AARON skated 13 elements, Keiji TANAKA 12 with one fall.
"""

from decimal import Decimal as D

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.marks import check_mark_columns, check_marks, read_marks_frame
from scoring.problems import InvalidInput
from scoring.rubrics.engine import score_rubric
from scoring.rubrics.explain import explain_entry, render_explanation
from tests.helpers import RUBRICS, library, panel, rubric_from, score

SKATING = RUBRICS / "figure_skating"

# The protocol's "Scores of Panel" of each element, its total element score, programme component
# score (factored), deductions and total segment score.
PROTOCOL = {
    "AARON_Max": {
        "elements": "11.89 11.50 5.00 4.60 3.86 10.99 11.21 10.78 12.39 3.21 2.90 4.06 4.21",
        "tes": "96.60",
        "total": "176.58",
    },
    "TANAKA_Keiji": {
        "elements": "10.93 4.90 10.36 3.57 3.94 5.44 13.05 11.36 3.09 7.30 3.10 4.36",
        "tes": "81.40",
        "total": "159.98",
    },
}


def example(name: str, integers: bool = True):
    rubric = library(f"figure_skating/{name}.toml")
    path = SKATING / f"{name}_marks.csv"
    table = check_marks(check_mark_columns(read_marks_frame(path), str(path)), rubric, str(path))
    return score_rubric(rubric, table, integers=integers)


def test_the_cup_of_china_2017_free_skating_reproduces_the_protocol():
    result = example("free_skate_2017")
    by_entry = result.by_entry()
    assert set(by_entry) == set(PROTOCOL)
    for skater, published in PROTOCOL.items():
        elements = [D(v) for v in published["elements"].split()]
        assert list(by_entry[skater].attempts.values()) == elements
        assert sum(elements) == D(published["tes"])
        assert by_entry[skater].score == D(published["total"])
    assert result.not_made == {"AARON_Max": [], "TANAKA_Keiji": [13]}  # 13 elements and 12


def test_the_protocols_working_is_explained_element_by_element_and_once_per_skater():
    result = example("free_skate_2017")
    working = explain_entry(result, "TANAKA_Keiji")
    assert working is not None
    once = working["per_entry"]
    # the components' trimmed means as the protocol prints them: 8.04 7.79 7.89 8.00 8.07
    values = {c["criterion"]: c["value"] for c in once["criteria"]}
    assert values == {
        "skating_skills": "8.04",
        "transitions": "7.79",
        "performance": "7.89",
        "composition": "8.00",
        "interpretation": "8.07",
    }
    # 81.40 + 2 x (8.04 + 7.79 + 7.89 + 8.00 + 8.07) = 81.40 + 79.58, less the fall: 159.98
    assert once["parameters"] == {"factor": "2", "deductions": "1", "attempts": "81.40"}
    assert once["score"] == "159.98" and working["score"] == "159.98"
    text = render_explanation(working)
    assert "not made 未完成: 13" in text and "per entry 按参赛对象" in text
    assert "entry score 参赛对象得分: 159.98" in text
    # element 5, StSq3 (0.5 a grade): 1 1 1 1 1 1 1 | 2 2 dropped 1 and 3 -> 9 x 0.5 / 7 = 0.64
    fifth = working["attempts"][4]
    assert fifth["criteria"][0]["value"] == "0.64" and fifth["score"] == "3.94"


def test_the_modern_segment_worked_by_hand():
    # GOE = trimmed mean of nine grades x base for GOE / 10, rounded to 0.01; element = base + GOE.
    # SkaterA, 12 elements:
    #  1 4Lz 11.50: 3 x7 (4, 2 dropped) -> 3 x 1.15 = 3.45 -> 14.95
    #  2 3A 8.00: 2 -> 1.60 -> 9.60          3 CCoSp4 3.50: 3 -> 1.05 -> 4.55
    #  4 4T+3T 13.70 (GOE on 9.50): 2 -> 1.90 -> 15.60      5 StSq4 3.90: 3 -> 1.17 -> 5.07
    #  6 3Lo 4.90: 1 2 2 2 1 2 2 2 2, drop a 1 and a 2: 13 / 7 x 0.49 = 0.91 -> 5.81
    #  7 FCSp4 3.20: 2 -> 0.64 -> 3.84       8 3A x 8.80 (GOE on 8.00): 2 -> 1.60 -> 10.40
    #  9 3Lz+3T x 11.11 (on 5.90): 1 -> 0.59 -> 11.70
    # 10 3F x 5.83 (on 5.30): 0 0 1 x7, drop a 0 and a 1: 6 / 7 x 0.53 = 0.454.. -> 0.45 -> 6.28
    # 11 ChSq1 3.00: 3 -> 0.90 -> 3.90      12 LSp4 2.70: 2 -> 0.54 -> 3.24
    # elements: 94.94. Components x 3.33: composition 64 / 7 = 9.142.. -> 9.14 -> 30.4362 -> 30.44;
    # presentation 9.25 -> 30.8025 -> 30.80; skating skills 66 / 7 = 9.428.. -> 9.43 -> 31.4019
    # -> 31.40; 92.64. Segment: 94.94 + 92.64 - 0 = 187.58.
    # SkaterB, 11 elements (a spin left out), a fall on the 3A (every judge -5: -4.00 -> 4.00),
    # 3F x: -1 -2 -1 -2 -1 -1 -1 -1 0, drop -2 and 0: -8 / 7 x 0.53 = -0.6057.. -> -0.61 -> 5.22;
    # elements 10.69 4.00 3.52 4.90 3.63 5.22 6.59 4.29 7.08 3.60 4.20 = 57.72. Components: 8.00
    # -> 26.64, 7.75 -> 25.8075 -> 25.81, 8.25 -> 27.4725 -> 27.47: 79.92. 57.72 + 79.92 - 1 = 136.64.
    result = example("segment")
    assert {r.entry: r.score for r in result.results} == {"SkaterA": D("187.58"), "SkaterB": D("136.64")}
    a = result.by_entry()["SkaterA"].attempts
    assert [a[k] for k in (1, 6, 10)] == [D("14.95"), D("5.81"), D("6.28")]
    assert result.by_entry()["SkaterB"].attempts[6] == D("5.22")
    assert result.not_made == {"SkaterA": [13], "SkaterB": [12, 13]}


@pytest.mark.parametrize("name", ["free_skate_2017", "segment"])
def test_the_integer_path_and_the_reference_agree_digit_for_digit(name):
    fast, reference = example(name), example(name, integers=False)
    assert [(r.entry, str(r.score), r.attempts) for r in fast.results] == [
        (r.entry, str(r.score), r.attempts) for r in reference.results
    ]


PARTS = """
key = "parts"
title = "Parts"
attempts = { up_to = 3, missing = "skip" }
[[criteria]]
key = "task"
title = "Task"
kind = "scale"
max = 10
[entry]
%s
  [[entry.criteria]]
  key = "judgement"
  title = "Judgement"
  kind = "scale"
  max = 10
"""


def test_a_worldskills_module_adds_its_tasks_and_one_judgement_by_default():
    r = rubric_from(PARTS % "")
    # tasks 7 + 9 (mean of 6 and 8 is 7; of 9 and 9 is 9) = 16, and the judgement's mean 5: 21
    rows = panel("c1", "task", [6, 8], attempt="1") + panel("c1", "task", [9, 9], attempt="2")
    rows += panel("c1", "judgement", [4, 6])
    result = score(r, rows)
    assert result.results[0].score == D(21) and result.results[0].attempts == {1: D(7), 2: D(9)}
    assert r.max_score() is None  # a formula joins the parts: no maximum unless declared


def test_the_per_entry_part_is_marked_without_an_attempt_and_by_every_entry():
    r = rubric_from(PARTS % "")
    with pytest.raises(InvalidInput) as bad:
        score(r, panel("c1", "task", [6], attempt="1") + [("c1", "1", "J1", "judgement", "5")])
    assert any("'judgement' is marked once per entry" in p.en and p.row == 3 for p in bad.value.problems)
    with pytest.raises(InvalidInput) as unmarked:
        score(r, panel("c1", "task", [6], attempt="1") + panel("c2", "task", [6], attempt="1"))
    assert "entry c1 has no marks of the per-entry part ([entry])" in str(unmarked.value.problems)
    with pytest.raises(InvalidInput) as no_attempt:
        score(r, panel("c1", "judgement", [6]))
    assert "entry c1 made 0 attempt(s); the rubric needs at least 1" in str(no_attempt.value.problems)
    exact = rubric_from(PARTS.replace('up_to = 3, missing = "skip"', "count = 1") % "")
    with pytest.raises(InvalidInput) as none:
        score(exact, panel("c1", "judgement", [6]))
    assert "entry c1 has marks of the per-entry part but none of any attempt" in str(none.value.problems)


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ('formula = "attempts + task"', "formula uses unknown names: task"),
        ('formula = "attempts +"', "expected a number"),
        ("bonus = 1", "unknown field 'bonus'"),
    ],
)
def test_the_per_entry_part_is_checked_on_load(entry, says):
    with pytest.raises(InvalidInput) as bad:
        rubric_from(PARTS % entry)
    assert says in str(bad.value.problems)


def test_keys_are_one_namespace_and_attempts_is_the_parts_name():
    clash = PARTS.replace('key = "judgement"', 'key = "task"') % ""
    with pytest.raises(InvalidInput) as twice:
        rubric_from(clash)
    assert "key 'task' is used twice" in str(twice.value.problems)
    named = PARTS.replace('key = "judgement"', 'key = "attempts"') % ""
    with pytest.raises(InvalidInput) as reserved:
        rubric_from(named)
    assert "'attempts' names the attempts combined" in str(reserved.value.problems)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 10), min_size=2, max_size=2), min_size=1, max_size=3),
    st.lists(st.integers(0, 10), min_size=2, max_size=2),
)
def test_by_default_the_entry_scores_its_attempts_plus_its_own_part(tasks, judgements):
    r = rubric_from(PARTS % "")
    rows = [row for k, marks in enumerate(tasks, 1) for row in panel("c1", "task", marks, attempt=str(k))]
    rows += panel("c1", "judgement", judgements)
    expected = sum(D(sum(m)) / 2 for m in tasks) + D(sum(judgements)) / 2
    assert score(r, rows).results[0].score == expected


def test_marks_of_both_parts_are_checked_together_with_their_rows():
    r = rubric_from(PARTS % "")
    frame = pd.DataFrame(
        [("c1", "1", "J1", "task", "11"), ("c1", "", "J1", "judgement", "x")],
        columns=["entry", "attempt", "judge", "criterion", "value"],
    ).assign(row=[2, 3])
    with pytest.raises(InvalidInput) as bad:
        check_marks(frame, r, "m.csv")
    assert sorted(p.row for p in bad.value.problems) == [2, 3]


def test_a_problem_of_the_per_entry_part_is_named_per_entry_not_by_an_attempt():
    r = rubric_from(PARTS % "")
    rows = panel("c1", "task", [6, 7], attempt="1") + panel("c1", "judgement", [5, 6])
    rows += panel("c2", "task", [6, 7], attempt="1")
    rows += [("c2", "", "J1", "judgement", "5")]  # J2 marked c2's task, not its judgement
    with pytest.raises(InvalidInput) as missing:
        score(r, rows)
    [problem] = missing.value.problems
    assert problem.en == "entry c2 (marked once per entry): criterion judgement has no mark from J2"
    assert problem.zh.startswith("参赛对象 c2（按参赛对象评分）")
