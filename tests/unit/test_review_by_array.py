"""review_judges works per criterion on the trace's arrays: the same marks, deviations, sums and
counts as adding each mark's deviation one by one (the loop it replaced, kept here as the
reference), to the last digit and the Decimal's exponent, on ragged panels whose values repeat
(a mean of 7 marks: sevenths at 34 digits, where the order of additions could show)."""

import decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.decimals import score_context
from scoring.review import JudgeReview, compared, review_judges
from tests.helpers import rubric_from, score

RUBRIC = """
key = "r"
title = "R"
panel = "{rule}"
{on_total}
tolerance = 2
[[criteria]]
key = "a"
title = "A"
kind = "scale"
max = 10
missing = "ignore"
[[criteria]]
key = "b"
title = "B"
kind = "scale"
max = 10
missing = "ignore"
{b_tolerance}
"""


def one_by_one(result) -> list[JudgeReview]:
    """The loop review_judges used to be: every mark's deviation added in turn (what it compares
    is review.py's)."""
    reviews: dict[str, JudgeReview] = {}
    with decimal.localcontext(score_context()):
        for t, tolerance in compared(result):
            for i in range(len(t.raw)):
                for k, judge in enumerate(t.judges):
                    mark = t.marks[i, k]
                    if mark is None or not judge:
                        continue
                    review = reviews.setdefault(judge, JudgeReview(judge))
                    deviation = mark - t.raw[i]
                    review.marks += 1
                    review.total_deviation += deviation
                    if tolerance is not None:
                        review.judged += 1
                        review.outside += abs(deviation) > tolerance
    return [reviews[j] for j in sorted(reviews)]


def facts(reviews: list[JudgeReview]) -> list[tuple]:
    return [
        (r.judge, r.marks, str(r.total_deviation), r.outside, r.judged, r.mean_deviation, r.outside_share)
        for r in reviews
    ]


marks = st.integers(min_value=0, max_value=10)
panel = st.lists(st.one_of(st.none(), marks), min_size=1, max_size=7).filter(lambda p: any(m is not None for m in p))
entries = st.lists(st.tuples(panel, panel), min_size=1, max_size=6)  # per entry: criterion a's, b's panel


@settings(max_examples=150, deadline=None)
@given(entries=entries, rule=st.sampled_from(["mean", "median"]), on_total=st.booleans(), b_tolerance=st.booleans())
def test_the_arrays_give_what_the_loop_gave(entries, rule, on_total, b_tolerance):
    """Each judge's mark or None (not given); a panel on totals compares whole sheets: all given."""
    rows = [
        (f"E{e}", "", f"J{k + 1}", criterion, 5 if mark is None and on_total else mark)
        for e, (a, b) in enumerate(entries)
        for criterion, given_marks in (("a", a), ("b", b[: len(a)] + [5] * (len(a) - len(b)) if on_total else b))
        for k, mark in enumerate(given_marks)
        if mark is not None or on_total
    ]
    text = RUBRIC.format(
        rule=rule,
        on_total='panel_on = "total"' if on_total else "",
        b_tolerance="" if b_tolerance else "tolerance = 1",
    )
    result = score(rubric_from(text), rows)
    assert facts(review_judges(result)) == facts(one_by_one(result))


def test_sevenths_added_in_order_keep_every_digit():
    # a: seven judges 0..6 -> mean 3; b: 0, 0, 0, 0, 0, 0, 1 -> mean 1/7 (34 digits, rounded)
    rows = [(f"E{e}", "", f"J{k + 1}", "a", k) for e in range(3) for k in range(7)]
    rows += [(f"E{e}", "", f"J{k + 1}", "b", int(k == 6)) for e in range(3) for k in range(7)]
    result = score(rubric_from(RUBRIC.format(rule="mean", on_total="", b_tolerance="")), rows)
    reviews = review_judges(result)
    assert facts(reviews) == facts(one_by_one(result))
    j1 = reviews[0]  # a: -3 three times; b: -1/7 three times
    assert j1.judge == "J1" and j1.marks == 6 and j1.judged == 6 and j1.outside == 3
    assert str(j1.mean_deviation) == "-1.57"  # (-9 - 3/7) / 6
