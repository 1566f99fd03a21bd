"""The deviation window (偏离平均分 d 分以上的评分无效): hand-worked panels, the rule's stated
fallback when too few marks remain, the engine refusing a panel the rubric sends back, and
invariants under hypothesis."""

from decimal import Decimal as D

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.problems import InvalidInput
from scoring.rubrics.panel_window import WindowRule
from tests.helpers import panel, rubric_from, score, scores


def m(*rows):
    return np.array([[D(str(v)) for v in row] for row in rows], dtype=object)


def window(within="1", around="mean", edge="keep", min_kept=1, too_few="error"):
    rule = WindowRule()
    rule.within, rule.around, rule.edge, rule.min_kept, rule.too_few = D(within), around, edge, min_kept, too_few
    return rule


def apply(rule, *marks):
    values, reasons = rule.apply(m(marks))
    return values[0], list(reasons[0])


def test_marks_more_than_d_from_the_mean_are_void_and_the_rest_averaged():
    # mean of 8, 8.5, 9, 9.5, 6 = 41 / 5 = 8.2; 9.5 is 1.3 away and 6 is 2.2 away: both void
    value, reasons = apply(window("1"), 8, 8.5, 9, 9.5, 6)
    assert value == D("8.5")  # (8 + 8.5 + 9) / 3
    assert reasons == ["", "", "", "more than 1 from the mean 8.2", "more than 1 from the mean 8.2"]


def test_around_the_median_and_a_mark_exactly_d_away():
    # median 8.5; 9.5 is exactly 1 away: kept by default ("more than d"), dropped with edge = "drop" (以上包括本数)
    value, reasons = apply(window("1", around="median"), 8, 8.5, 9, 9.5, 6)
    assert value == D("8.75")  # (8 + 8.5 + 9 + 9.5) / 4
    assert reasons == ["", "", "", "", "more than 1 from the median 8.5"]
    value, reasons = apply(window("1", around="median", edge="drop"), 8, 8.5, 9, 9.5, 6)
    assert value == D("8.5")
    assert reasons.count("at least 1 from the median 8.5") == 2


def test_when_too_few_marks_remain_the_stated_rule_applies():
    # mean of 1, 2, 9 = 4: every mark is more than 1 away
    assert apply(window("1", too_few="all"), 1, 2, 9) == (D(4), ["", "", ""])
    assert apply(window("1", too_few="centre"), 1, 2, 9)[0] == D(4)
    rule = window("1", too_few="error")
    rows, problem = rule.refused(m((1, 2, 9), (4, 4, 5)))
    assert list(rows) == [True, False]
    assert "fewer than 1 marks lie within 1 of the mean" in problem.en and "重新评分" in problem.zh
    # median of 1, 2, 9 = 2: 1 and 2 are kept; asking for three kept sends it to the fallback
    assert apply(window("1", around="median"), 1, 2, 9)[0] == D("1.5")
    assert apply(window("1", around="median", min_kept=3, too_few="centre"), 1, 2, 9)[0] == D(2)
    assert window(min_kept=3).size_problem(2) is not None
    assert window(min_kept=3, too_few="all").size_problem(2) is None


RUBRIC = """
key = "w"
title = "W"
round = 2

[[criteria]]
key = "style"
title = "Style"
kind = "scale"
max = 10
step = 0.5
panel = {{ rule = "window", within = {within}, too_few = "{too_few}" }}
"""


def test_the_engine_scores_a_window_panel_and_refuses_a_panel_sent_back():
    r = rubric_from(RUBRIC.format(within="1", too_few="error"))
    assert "drop marks more than 1 from the mean" in r.criterion("style").panel.describe()
    assert scores(r, panel("E1", "style", [8, 8.5, 9, 9.5, 6])) == {"E1": D("8.50")}
    with pytest.raises(InvalidInput) as info:
        score(r, panel("E1", "style", [8, 8.5, 9, 9.5, 6]) + panel("E2", "style", [1, 2, 9]))
    assert "entry E2 attempt 1: criterion style: fewer than 1 marks lie within 1 of the mean" in str(info.value)
    r = rubric_from(RUBRIC.format(within="1", too_few="all"))
    assert scores(r, panel("E2", "style", [1, 2, 9])) == {"E2": D("4.00")}


def test_the_rubric_must_state_the_window_and_what_happens_when_too_few_remain():
    with pytest.raises(InvalidInput) as info:
        rubric_from(
            'key = "w"\ntitle = "W"\n[[criteria]]\nkey = "a"\ntitle = "A"\nkind = "scale"\nmax = 10\n'
            'panel = { rule = "window", within = -1 }\n'
        )
    text = str(info.value)
    assert "within" in text and "too_few" in text


marks_strategy = st.lists(st.integers(min_value=0, max_value=20).map(lambda i: D(i) / 2), min_size=3, max_size=9)
rules = st.builds(
    window,
    within=st.sampled_from(["0", "0.5", "1", "2.5"]),
    around=st.sampled_from(["mean", "median"]),
    edge=st.sampled_from(["keep", "drop"]),
    min_kept=st.integers(1, 4),
    too_few=st.sampled_from(["error", "all", "centre"]),
)


@given(marks=marks_strategy, rule=rules)
@settings(max_examples=150, deadline=None)
def test_kept_marks_are_those_within_the_window_and_their_mean_is_the_value(marks, rule):
    value, reasons = apply(rule, *marks)
    centre = rule.centre(m(marks))[0]
    near = [abs(x - centre) <= rule.within if rule.edge == "keep" else abs(x - centre) < rule.within for x in marks]
    inside = [x for x, yes in zip(marks, near, strict=True) if yes]
    if len(inside) >= rule.min_kept:
        assert value == sum(inside, D(0)) / len(inside)
        assert [r == "" for r in reasons] == [x in inside for x in marks]  # being inside depends on the value only
        assert centre - rule.within <= value <= centre + rule.within
        assert rule.refused(m(marks)) is None
    else:
        assert reasons == [""] * len(marks)
        expected = {"all": sum(marks, D(0)) / len(marks), "centre": centre, "error": centre}[rule.too_few]
        assert value == expected
        assert (rule.refused(m(marks)) is not None) == (rule.too_few == "error")


@given(marks=marks_strategy)
@settings(max_examples=60, deadline=None)
def test_a_window_wider_than_the_marks_is_the_plain_mean(marks):
    rule = window(within=str(max(marks) - min(marks)))
    assert apply(rule, *marks)[0] == sum(marks, D(0)) / len(marks)
