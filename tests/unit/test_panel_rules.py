"""Panel rules: exact values, the reasons marks were dropped, and invariants under hypothesis."""

from decimal import Decimal as D

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.rubrics import PANEL_RULES
from scoring.rubrics.panel import ClosestRule, MedianRule, TrimmedRule


def m(*rows):
    return np.array([[D(str(v)) for v in row] for row in rows], dtype=object)


def apply(rule, *marks):
    values, reasons = rule.apply(m(marks))
    return values[0], list(reasons[0])


def test_mean_median_sum():
    assert apply(PANEL_RULES["mean"](), 7, 8, 9)[0] == D(8)
    assert apply(PANEL_RULES["sum"](), 7, 8, 9.5)[0] == D("24.5")
    assert apply(MedianRule(), 7, 9, 8)[0] == D(8)
    assert apply(MedianRule(), 7, 9, 8, 10)[0] == D("8.5")


def test_trimmed_drops_highest_and_lowest_and_says_which():
    value, reasons = apply(TrimmedRule(), 7, 8.5, 6, 9, 7.5)
    assert value == D(23) / D(3)
    assert reasons == ["", "", "lowest", "highest", ""]


def test_trimmed_with_equal_marks_drops_one_of_them():
    value, reasons = apply(TrimmedRule(), 8, 8, 8, 9, 9)
    assert value == (D(8) + D(8) + D(9)) / D(3)
    assert reasons.count("highest") == 1 and reasons.count("lowest") == 1


def test_closest_keeps_marks_nearest_the_median_preferring_the_lower_on_ties():
    rule = ClosestRule()
    rule.keep = 2
    value, reasons = apply(rule, 5, 7, 6, 10)  # median 6.5: 6 and 7 both 0.5 away
    assert value == D("6.5")
    assert reasons == ["far from median", "", "", "far from median"]
    value, _ = apply(rule, 4, 6, 8)  # median 6: 4 and 8 tie, keep the lower
    assert value == D(5)


def test_rules_say_when_a_panel_is_too_small():
    assert TrimmedRule().size_problem(2) is not None
    assert TrimmedRule().size_problem(3) is None
    rule = TrimmedRule()
    rule.by_size = {5: 1, 7: 2}
    assert rule.drops(7) == (2, 2)
    assert "defined for: 5, 7" in rule.size_problem(6).en


marks_strategy = st.lists(st.integers(min_value=0, max_value=20).map(lambda i: D(i) / 2), min_size=5, max_size=9)


@pytest.mark.parametrize("key", sorted(PANEL_RULES))
@given(marks=marks_strategy, data=st.data())
@settings(max_examples=60, deadline=None)
def test_panel_rule_contract_order_of_judges_does_not_matter(key, marks, data):
    rule = PANEL_RULES[key]()
    shuffled = data.draw(st.permutations(marks))
    value, reasons = rule.apply(m(marks))
    again, _ = rule.apply(m(shuffled))
    assert value[0] == again[0]
    assert reasons.shape == (1, len(marks))
    low, high = min(marks), max(marks)
    if key == "sum":
        assert low * len(marks) <= value[0] <= high * len(marks)
    else:
        assert low <= value[0] <= high


@pytest.mark.parametrize("key", ["mean", "median", "sum", "trimmed"])
@given(marks=marks_strategy, data=st.data())
@settings(max_examples=60, deadline=None)
def test_raising_one_mark_never_lowers_the_result(key, marks, data):
    rule = PANEL_RULES[key]()
    i = data.draw(st.integers(min_value=0, max_value=len(marks) - 1))
    raised = list(marks)
    raised[i] += data.draw(st.integers(min_value=1, max_value=10)) / D(2)
    assert rule.apply(m(raised))[0][0] >= rule.apply(m(marks))[0][0]


@given(marks=marks_strategy, data=st.data())
@settings(max_examples=80, deadline=None)
def test_trimmed_rule_is_unmoved_by_one_wild_mark(marks, data):
    """A wild high (or low) mark counts exactly as if it equalled the most extreme of the others."""
    rule = TrimmedRule()
    i = data.draw(st.integers(min_value=0, max_value=len(marks) - 1))
    others = marks[:i] + marks[i + 1 :]
    wild_high = marks[:i] + [D(1000)] + marks[i + 1 :]
    tame_high = marks[:i] + [max(others)] + marks[i + 1 :]
    assert rule.apply(m(wild_high))[0][0] == rule.apply(m(tame_high))[0][0]
    wild_low = marks[:i] + [D(-1000)] + marks[i + 1 :]
    tame_low = marks[:i] + [min(others)] + marks[i + 1 :]
    assert rule.apply(m(wild_low))[0][0] == rule.apply(m(tame_low))[0][0]
