"""The chief judge's review: each judge's deviation from the panel, and how often past tolerance."""

from decimal import Decimal as D

from scoring.review import review_judges
from tests.helpers import panel, rubric_from, score

RUBRIC = """
key = "r"
title = "R"
panel = "mean"
tolerance = 1
[[criteria]]
key = "a"
title = "A"
kind = "scale"
max = 10
[[criteria]]
key = "b"
title = "B"
kind = "scale"
max = 10
"""


def test_lenient_and_severe_judges_are_told_apart():
    # a: marks 6, 7, 8 -> panel 7: J1 -1, J2 0, J3 +1;  b: 5, 5, 8 -> panel 6: J1 -1, J2 -1, J3 +2
    result = score(rubric_from(RUBRIC), panel("E", "a", [6, 7, 8]) + panel("E", "b", [5, 5, 8]))
    reviews = {r.judge: r for r in review_judges(result)}
    assert reviews["J1"].mean_deviation == D("-1.00") and reviews["J3"].mean_deviation == D("1.50")
    assert reviews["J2"].mean_deviation == D("-0.50")
    # outside a tolerance of 1: only J3's +2 on b
    assert (reviews["J3"].outside, reviews["J3"].judged, reviews["J3"].outside_share) == (1, 2, D("0.50"))
    assert reviews["J1"].outside == 0


def test_review_of_a_panel_on_totals_compares_judges_totals():
    text = RUBRIC.replace('panel = "mean"', 'panel_on = "total"\npanel = "mean"').replace(
        "tolerance = 1", "tolerance = 3"
    )
    result = score(rubric_from(text), panel("E", "a", [6, 8, 9]) + panel("E", "b", [5, 7, 9]))
    # totals 11, 15, 18 -> panel 44/3: J1 -3.67 (outside 3), J2 +0.33, J3 +3.33 (outside)
    reviews = review_judges(result)
    assert [r.mean_deviation for r in reviews] == [D("-3.67"), D("0.33"), D("3.33")]
    assert [r.outside for r in reviews] == [1, 0, 1]
