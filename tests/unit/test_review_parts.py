"""A review made in parts, an entry's deviations each (the chief's console keeps them per entry),
gives the whole round's review to the last digit: each entry scored on its own, or several in one
run and split, then added in the order review_judges adds the whole's."""

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.problems import InvalidInput
from scoring.review import deviations_by, review_judges, review_parts
from tests.helpers import rubric_from, score
from tests.unit.test_review_by_array import RUBRIC, entries, facts


def rows_of(entries, on_total: bool) -> list[tuple]:
    return [
        (f"E{e}", "", f"J{k + 1}", criterion, 5 if mark is None and on_total else mark)
        for e, (a, b) in enumerate(entries)
        for criterion, given_marks in (("a", a), ("b", b[: len(a)] + [5] * (len(a) - len(b)) if on_total else b))
        for k, mark in enumerate(given_marks)
        if mark is not None or on_total
    ]


@settings(max_examples=150, deadline=None)
@given(
    entries=entries,
    rule=st.sampled_from(["mean", "median", "trimmed"]),
    on_total=st.booleans(),
    b_tolerance=st.booleans(),
)
def test_the_parts_added_in_order_give_the_whole_review(entries, rule, on_total, b_tolerance):
    text = RUBRIC.format(
        rule=rule, on_total='panel_on = "total"' if on_total else "", b_tolerance="" if b_tolerance else "tolerance = 1"
    )
    rubric = rubric_from(text)
    rows = rows_of(entries, on_total)
    names = list(dict.fromkeys(r[0] for r in rows))

    def scored(some: list[tuple]):
        try:
            return score(rubric, some)
        except InvalidInput:  # a panel too small for the rule (the console compares by mean then)
            return None

    whole = scored(rows)
    each = [scored([r for r in rows if r[0] == e]) for e in names]
    assert (whole is None) == any(result is None for result in each)  # the whole refused iff an entry is
    if whole is None:
        return
    alone = [deviations_by(result, str)[e] for e, result in zip(names, each, strict=True)]
    split = deviations_by(whole, str)
    assert list(split) == names
    assert facts(review_parts(alone)) == facts(review_judges(whole))
    assert facts(review_parts([split[e] for e in names])) == facts(review_judges(whole))


def test_sevenths_in_parts_keep_every_digit():
    rows = [(f"E{e}", "", f"J{k + 1}", "a", k) for e in range(3) for k in range(7)]
    rows += [(f"E{e}", "", f"J{k + 1}", "b", int(k == 6)) for e in range(3) for k in range(7)]
    rubric = rubric_from(RUBRIC.format(rule="mean", on_total="", b_tolerance=""))
    whole = score(rubric, rows)
    alone = [deviations_by(score(rubric, [r for r in rows if r[0] == f"E{e}"]), str)[f"E{e}"] for e in range(3)]
    assert facts(review_parts(alone)) == facts(review_judges(whole))
    assert str(review_parts(alone)[0].mean_deviation) == "-1.57"
