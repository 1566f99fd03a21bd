"""The engine over small rubrics: sections, vetoes, missing marks, attempts, total mode, flags."""

from decimal import Decimal as D

import pytest

from scoring.problems import InvalidInput
from tests.helpers import panel, rubric_from, score, scores

BASE = """
key = "t"
title = "T"
panel = "mean"
{extra}

[[sections]]
key = "s"
title = "S"
base = 10
max = 10

  [[sections.criteria]]
  key = "fault"
  title = "Fault"
  kind = "deduction"
  per = 3

[[criteria]]
key = "a"
title = "A"
kind = "scale"
max = 10
{criterion_extra}
"""


def rubric(extra="", criterion_extra=""):
    return rubric_from(BASE.format(extra=extra, criterion_extra=criterion_extra))


def test_section_base_deductions_and_floor():
    r = rubric()
    rows = (
        panel("E1", "a", [6, 8])
        + panel("E1", "fault", [1, 1])
        + panel("E2", "a", [6, 8])
        + panel("E2", "fault", [5, 4])
    )
    assert scores(r, rows) == {"E1": D(14), "E2": D(7)}  # E2's section is held at 0 (floor)


def test_rounding_applies_only_where_the_rubric_says():
    r = rubric(extra="round = 1", criterion_extra="round = 2")
    rows = panel("E1", "a", [6, 7, 7]) + panel("E1", "fault", [0, 0, 0])
    result = score(r, rows)
    assert result.trace.criteria["a"].raw[0] == D("6.666666666666666666666666666666667")  # 34 digits
    assert result.trace.criteria["a"].value[0] == D("6.67")
    assert result.results[0].score == D("16.7")


def test_missing_mark_is_an_error_by_default_naming_entry_criterion_and_judge():
    rows = (
        panel("E1", "a", [6, 7, 7])
        + panel("E1", "fault", [0, 0])
        + panel("E2", "a", [6, 7, 7])
        + panel("E2", "fault", [0, 0, 0])
    )
    with pytest.raises(InvalidInput) as info:
        score(rubric(), rows)
    assert "entry E1 attempt 1: criterion fault has no mark from J3" in str(info.value)


def test_missing_mark_can_count_as_zero_or_be_left_out():
    rows = panel("E1", "a", [6, 9, 9]) + [
        ("E1", "", "J1", "fault", 0),
        ("E1", "", "J2", "fault", 0),
        ("E1", "", "J3", "fault", 0),
        ("E2", "", "J1", "a", 6),
        ("E2", "", "J2", "a", 9),
        ("E2", "", "J1", "fault", 0),
        ("E2", "", "J2", "fault", 0),
        ("E2", "", "J3", "fault", 0),
    ]
    assert scores(rubric(extra='missing = "zero"'), rows)["E2"] == D(15)  # (6 + 9 + 0) / 3 + 10
    assert scores(rubric(extra='missing = "ignore"'), rows)["E2"] == D("17.5")  # (6 + 9) / 2 + 10


def test_a_panel_smaller_than_min_judges_is_an_error():
    rows = panel("E1", "a", [6, 7]) + panel("E1", "fault", [0, 0])
    with pytest.raises(InvalidInput, match="only 2 marks; the rubric needs at least 3"):
        score(rubric(extra="min_judges = 3"), rows)


def test_tolerance_flags_a_spread_panel_with_the_marks_side_by_side():
    r = rubric(criterion_extra="tolerance = 2")
    rows = (
        panel("E1", "a", [5, 8, 6])
        + panel("E1", "fault", [0, 0, 0])
        + panel("E2", "a", [5, 6, 7])
        + panel("E2", "fault", [0, 0, 0])
    )
    [flag] = score(r, rows).flags
    assert (flag.entry, flag.criterion, flag.spread) == ("E1", "a", D(3))
    assert flag.marks == {"J1": D(5), "J2": D(8), "J3": D(6)}


VETO = """
key = "v"
title = "V"
panel = "mean"

[[sections]]
key = "s1"
title = "S1"
  [[sections.criteria]]
  key = "a"
  title = "A"
  kind = "scale"
  max = 10
  [[sections.criteria]]
  key = "bad"
  title = "Bad"
  kind = "veto"
  scope = "{scope}"
  decided_by = "{decided_by}"
  {target}

[[criteria]]
key = "b"
title = "B"
kind = "scale"
max = 10
"""


@pytest.mark.parametrize(
    "scope, decided_by, calls, expected",
    [
        ("event", "majority", [1, 1, 0], D(0)),
        ("event", "majority", [1], D(13)),  # one call of three judges is not a majority
        ("event", "any", [1], D(0)),
        ("event", "all", [1, 1], D(13)),
        ("section", "majority", [1, 1], D(5)),  # section s1 zeroed, b still counts
        ("criterion", "majority", [1, 1], D(5)),  # criterion a zeroed
    ],
)
def test_veto_scopes_and_who_decides(scope, decided_by, calls, expected):
    target = 'target = "a"' if scope == "criterion" else ""
    r = rubric_from(VETO.format(scope=scope, decided_by=decided_by, target=target))
    rows = panel("E1", "a", [8, 8, 8]) + panel("E1", "b", [5, 5, 5]) + panel("E1", "bad", calls)
    assert scores(r, rows)["E1"] == expected


ATTEMPTS = """
key = "att"
title = "Attempts"
better = "{better}"
attempts = {{ count = 3, combine = "{combine}", n = 2 }}

[[criteria]]
key = "t"
title = "Time"
kind = "official_time"
max = 100
{bands}

[[criteria]]
key = "dq"
title = "DQ"
kind = "veto"
decided_by = "any"
"""


def attempts_rubric(combine, better="lower"):
    bands = "" if better == "lower" else "bands = [{ max = 30, points = 10 }, { above = 30, points = 5 }]"
    return rubric_from(ATTEMPTS.format(combine=combine, better=better, bands=bands))


def times(entry, *values):
    return [(entry, str(i + 1), "", "t", v) for i, v in enumerate(values)]


def test_best_attempt_where_lower_wins_and_a_vetoed_attempt_does_not_count():
    rows = times("A", 31.2, 29.8, 30.5) + times("B", 28.0, 35.0, 33.0) + [("B", "1", "J1", "dq", 1)]
    assert scores(attempts_rubric("best"), rows) == {"A": D("29.8"), "B": D("33.0")}


def test_best_n_and_sum_of_attempts():
    rows = times("A", 31.2, 29.8, 30.5)
    assert scores(attempts_rubric("best_n"), rows) == {"A": D("60.3")}
    assert scores(attempts_rubric("sum"), rows) == {"A": D("91.5")}
    assert scores(attempts_rubric("best", better="higher"), times("A", 31, 29, 40)) == {"A": D(10)}


def test_all_attempts_vetoed_where_lower_wins_is_disqualified():
    rows = times("C", 20, 21, 22) + [("C", str(a), "J1", "dq", 1) for a in (1, 2, 3)]
    [result] = score(attempts_rubric("best"), rows).results
    assert result.disqualified and result.score is None


def test_sum_of_attempts_requires_every_attempt():
    with pytest.raises(InvalidInput, match=r"entry A has no marks for attempt\(s\) \[3\]"):
        score(attempts_rubric("sum"), times("A", 31.2, 29.8))


PARAMS = """
key = "p"
title = "P"
formula = "a * dd / n"
[[parameters]]
key = "dd"
title = "DD"
min = 1
max = 5
[[parameters]]
key = "n"
title = "N"
default = 2
[[criteria]]
key = "a"
title = "A"
kind = "scale"
max = 10
"""


def test_parameters_come_from_official_rows_or_their_default():
    r = rubric_from(PARAMS)
    rows = panel("E1", "a", [8]) + [("E1", "", "", "dd", "2.5")]
    assert scores(r, rows) == {"E1": D(10)}


def test_missing_parameter_and_out_of_range_parameter_are_errors():
    r = rubric_from(PARAMS)
    with pytest.raises(InvalidInput, match="parameter dd is missing"):
        score(r, panel("E1", "a", [8]))
    with pytest.raises(InvalidInput, match=r"row 3: .*parameter dd: 6 is outside 1 to 5"):
        score(r, panel("E1", "a", [8]) + [("E1", "", "", "dd", "6")])


def test_division_by_zero_in_a_formula_names_the_entry():
    r = rubric_from(PARAMS)
    rows = panel("E1", "a", [8]) + [("E1", "", "", "dd", "2"), ("E1", "", "", "n", "0")]
    with pytest.raises(InvalidInput, match="entry E1 attempt 1: the formula divides by zero"):
        score(r, rows)


def test_bad_rows_are_all_reported_with_row_numbers_and_nothing_is_computed():
    r = rubric()
    rows = [
        ("E1", "", "J1", "a", "11"),
        ("E1", "", "J1", "colour", "3"),
        ("", "", "J1", "a", "5"),
        ("E1", "2", "J1", "a", "5"),
        ("E1", "", "J2", "a", "5"),
        ("E1", "", "J2", "a", "6"),
    ]
    with pytest.raises(InvalidInput) as info:
        score(r, rows)
    found = {(p.row, p.en.split(";")[0]) for p in info.value.problems}
    assert (2, "a: 11 is out of range") in found
    assert (3, "unknown criterion or parameter 'colour'") in found
    assert (4, "entry is empty") in found
    assert (5, "attempt '2' is not valid") in found
    assert any("rows 6, 7" in p.en for p in info.value.problems)
    assert all(p.file == "marks.csv" for p in info.value.problems)


def test_entries_and_judges_can_be_checked_against_known_lists():
    from scoring.marks import check_marks
    from tests.helpers import marks_frame

    with pytest.raises(InvalidInput) as info:
        check_marks(marks_frame(panel("E9", "a", [5], prefix="X")), rubric(), "m.csv", entries={"E1"}, judges={"J1"})
    assert "unknown entry 'E9'" in str(info.value) and "unknown judge 'X1'" in str(info.value)


TOTAL = """
key = "pres"
title = "Presentation"
panel_on = "total"
panel = { rule = "trimmed", drop_high = 1, drop_low = 1 }
min_judges = 3
round = 2
tolerance = 5
[[criteria]]
key = "x"
title = "X"
kind = "scale"
max = 50
step = 0.5
[[criteria]]
key = "y"
title = "Y"
kind = "scale"
max = 50
step = 0.5
"""


def test_total_mode_trims_judges_totals():
    r = rubric_from(TOTAL)
    rows = panel("E1", "x", [40, 45, 30, 44]) + panel("E1", "y", [40, 44.5, 30, 40])
    result = score(r, rows)
    assert result.results[0].score == D("82.00")  # totals 80, 89.5, 60, 84 -> (80 + 84) / 2
    [flag] = result.flags
    assert flag.criterion == "total" and flag.spread == D("29.5")
