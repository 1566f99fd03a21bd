"""The engine's integer path gives the Decimal path's results digit for digit, and falls back to it.

Hypothesis writes rubrics (scale steps, deductions, every panel rule, rounding places and modes,
sections, adjust formulas, parameters, attempts) and marks (written with and without trailing
zeros, some missing, some at the edge of int64), scores them on both paths and compares every
Decimal a reader can see as text: scores, each criterion's marks, reasons, raw and rounded values,
sections, flags and the rendered explanation. Rounding of fractions is compared with Decimal's
quantize on its own, ties included, for every mode.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.decimals import ROUNDING_MODES, quantize, score_context
from scoring.marks import check_marks
from scoring.problems import InvalidInput
from scoring.rubrics import exact, layout
from scoring.rubrics.engine import score_rubric
from scoring.rubrics.explain import explain_entry, render_explanation
from scoring.rubrics.trace import AttemptTrace, RubricResult
from tests.helpers import D, marks_frame, rubric_from

MODES = sorted(ROUNDING_MODES)
STEPS = ["1", "0.5", "0.25", "0.1", "0.05", "0.01", "0.001"]


def _rounding(draw: Any) -> str:
    if draw(st.booleans()):
        return ""
    places, mode = draw(st.sampled_from([-1, 0, 1, 2, 3, 12])), draw(st.sampled_from(MODES))
    return f'round = {{ places = {places}, mode = "{mode}" }}\n'


def _panel(draw: Any, judges: int) -> str:
    rule = draw(st.sampled_from(["mean", "sum", "median", "trimmed", "closest"]))
    then = draw(st.sampled_from(["mean", "sum"]))
    if rule == "trimmed":
        high, low = draw(st.integers(0, 1)), draw(st.integers(0, 1))
        if high + low >= judges:
            high = low = 0
        return f'panel = {{ rule = "trimmed", drop_high = {high}, drop_low = {low}, then = "{then}" }}\n'
    if rule == "closest":
        return f'panel = {{ rule = "closest", keep = {draw(st.integers(1, judges))}, then = "{then}" }}\n'
    return f'panel = {{ rule = "{rule}" }}\n'


@st.composite
def criteria(draw: Any, key: str, judges: int, penalty: bool) -> tuple[str, list[str]]:
    """A criterion's TOML and the texts a judge may write for it."""
    kind = draw(st.sampled_from(["scale", "scale", "scale", "deduction", "checklist", "huge"]))
    head = f'[[criteria]]\nkey = "{key}"\ntitle = "{key}"\n'
    if kind == "scale":
        step = D(draw(st.sampled_from(STEPS)))
        low = D(draw(st.integers(-3, 2))) * step * 4
        steps = draw(st.integers(2, 40))
        values = [low + i * step for i in range(steps + 1)]
        texts = [t for v in values for t in (f"{v}", f"{v:.4f}", f"{v.normalize():f}")]
        head += f'kind = "scale"\nmin = {low}\nmax = {low + steps * step}\nstep = {step}\n'
    elif kind == "huge":  # a billion per fault: a few faults are at the edge of int64
        texts = ["0", "1", "4000000000", "4611686018", "9999999999"]
        head += 'kind = "deduction"\nper = 1000000000\n'
    elif kind == "deduction":
        per = draw(st.sampled_from(["0.5", "0.25", "1", "0.3"]))
        texts = [str(i) for i in range(6)]
        head += f'kind = "deduction"\nper = {per}\ncap = 2\n'
    else:
        texts = ["1", "0"]
        head += f'kind = "checklist"\npoints = {draw(st.sampled_from(["2.5", "1", "0.75"]))}\n'
    head += _panel(draw, judges) + _rounding(draw)
    head += f'missing = "{draw(st.sampled_from(["error", "ignore", "zero"]))}"\n'
    if draw(st.booleans()):
        head += f"tolerance = {draw(st.sampled_from(['0', '0.5', '1.25', '3']))}\n"
    if penalty and draw(st.integers(0, 4)) == 0:
        head += 'adjust = "max(value - penalty, 0)"\n'
    return head, texts


@st.composite
def cases(draw: Any) -> tuple[str, list[tuple[str, str, str, str, str]]]:
    judges = draw(st.integers(1, 5))
    count = draw(st.integers(1, 2))
    params = draw(st.booleans())
    lines = ['key = "p"\ntitle = "P"\nmin_judges = 1\n']
    if count > 1:
        lines.append(f'attempts = {{ count = 2, combine = "{draw(st.sampled_from(["sum", "best"]))}" }}\n')
    if draw(st.booleans()):
        lines.append(_rounding(draw).replace("round =", "total_round ="))
    if draw(st.integers(0, 3)) == 0:  # each judge's total first, then the panel over the totals
        lines.append('panel_on = "total"\n' + _panel(draw, judges))
    keys = [f"c{i}" for i in range(draw(st.integers(1, 3)))]
    formula = draw(st.sampled_from(["", "total * dd", "round(total * dd, 2)", "total / 3", "c0 - penalty"]))
    if formula and params:
        lines.append(f'formula = "{formula}"\n')
    lines.append(_rounding(draw))
    if params:
        lines.append('[[parameters]]\nkey = "dd"\ntitle = "DD"\nmin = 1\nmax = 4\n')
        lines.append('[[parameters]]\nkey = "penalty"\ntitle = "P"\nmin = 0\nmax = 2\ndefault = 0\n')
    body: list[str] = []
    texts: dict[str, list[str]] = {}
    for key in keys:
        text, texts[key] = draw(criteria(key, judges, params))
        body.append(text)
    if draw(st.booleans()):  # the criteria in a section with a base, a floor or none, a maximum
        floor = draw(st.sampled_from(["", 'floor = "none"\n', "floor = 1\n"]))
        top = draw(st.sampled_from(["", "max = 12.5\n"]))
        section = f'[[sections]]\nkey = "s"\ntitle = "S"\nbase = {draw(st.sampled_from(["0", "1.5"]))}\n'
        section += floor + top + _rounding(draw)
        body = [section] + [b.replace("[[criteria]]", "[[sections.criteria]]") for b in body]
    rows = []
    for e in range(draw(st.integers(1, 3))):
        for a in range(1, count + 1):
            attempt = str(a) if count > 1 else ""
            if params:
                rows.append((f"E{e}", attempt, "", "dd", draw(st.sampled_from(["1", "1.5", "2.7", "3.25"]))))
                if draw(st.booleans()):
                    rows.append((f"E{e}", attempt, "", "penalty", draw(st.sampled_from(["0", "0.5", "2"]))))
            for key in keys:
                for j in range(judges):
                    if draw(st.integers(0, 9)) > 0:
                        rows.append((f"E{e}", attempt, f"J{j}", key, draw(st.sampled_from(texts[key]))))
    return "".join(lines) + "".join(body), rows


def _text(values: Any) -> list[str]:
    return [repr(v) for v in np.asarray(values, dtype=object).ravel().tolist()]


def _trace(trace: AttemptTrace | None) -> Any:
    if trace is None:
        return None
    criteria = {
        k: (t.judges, _text(t.marks), t.reasons.tolist(), t.notes.tolist(), _text(t.raw), _text(t.value))
        for k, t in trace.criteria.items()
    }
    sections = {k: (_text(a), _text(b)) for k, (a, b) in trace.sections.items()}
    return criteria, sections, _text(trace.raw), _text(trace.score), trace.groups.to_dict("list")


def working(result: RubricResult) -> Any:
    """Everything a reader of the result sees, as text (repr keeps exponent and the sign of 0)."""
    entries = [r.entry for r in result.results]
    return (
        [(r.entry, repr(r.score), r.disqualified, {k: repr(v) for k, v in r.attempts.items()}) for r in result.results],
        [(f.entry, f.attempt, f.criterion, _text(list(f.marks.values())), repr(f.spread)) for f in result.flags],
        _trace(result.trace),
        _trace(result.judge_trace),
        result.combine_notes,
        [render_explanation(explain_entry(result, e) or {}) for e in entries],
    )


def both_paths(text: str, rows: list[tuple[str, str, str, str, str]]) -> tuple[Any, Any, RubricResult | None]:
    rubric = rubric_from(text)
    try:
        table = check_marks(marks_frame(rows), rubric, "marks.csv")
    except InvalidInput as exc:
        problems = [(p.en, p.row) for p in exc.problems]
        return problems, problems, None
    outcomes: list[Any] = []
    results: list[RubricResult | None] = []
    for integers in (True, False):
        try:
            results.append(score_rubric(rubric, table, integers=integers))
            outcomes.append(working(results[-1]))
        except InvalidInput as exc:
            results.append(None)
            outcomes.append([(p.en, p.row) for p in exc.problems])
    return outcomes[0], outcomes[1], results[0]


@given(case=cases())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_the_integer_path_gives_the_decimal_paths_working_digit_for_digit(case):
    text, rows = case
    integer, reference, _ = both_paths(text, rows)
    assert integer == reference


@given(case=cases())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_marks_laid_out_from_the_whole_grid_or_criterion_by_criterion_give_the_same_working(case):
    """layout.MarkGrid places every mark in one grid when it is small, else criterion by criterion
    (many judges each marking a few entries); both give the same working on both paths."""
    text, rows = case
    dense = both_paths(text, rows)
    with patch.object(layout, "_DENSE_EXTRA", -(10**9)):
        sparse = both_paths(text, rows)
    assert sparse[0] == dense[0] and sparse[1] == dense[1]


@given(
    numerator=st.one_of(
        st.integers(-(2**62), 2**62), st.sampled_from([2**62, -(2**62), 2**62 - 1, 0, 5, -5, 15, -15, 25, -25])
    ),
    denominator=st.integers(1, 40),
    unit=st.integers(-6, 2),
    places=st.integers(-2, 6),
    mode=st.sampled_from(MODES),
)
@settings(max_examples=400, deadline=None)
def test_rounding_a_fraction_in_integers_is_quantize_of_the_34_digit_quotient(
    numerator, denominator, unit, places, mode
):
    ctx = score_context()
    reference = quantize(ctx.divide(D(numerator).scaleb(unit, ctx), D(denominator)), places, mode)
    try:
        got = exact.round_fraction(np.array([numerator]), np.array([denominator]), unit, places, mode)
    except exact.NotExact:
        assert (
            abs(numerator) * 10 ** max(unit + places, 0) > exact.LIMIT
            or denominator * 10 ** max(-(unit + places), 0) > exact.LIMIT
        )
        return
    assert repr(got.decimals()[0]) == repr(reference)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("text", ["2.5", "-2.5", "3.5", "-3.5", "0.5", "-0.5", "-0.4", "-0.004", "0.0", "7.45"])
def test_ties_and_negative_zero_round_as_quantize_does(mode, text):
    value = D(text)
    coef = int(value.scaleb(-value.as_tuple().exponent))
    for places in (0, 1, 2):
        got = exact.round_fraction(np.array([coef]), np.array([1]), value.as_tuple().exponent, places, mode)
        assert repr(got.decimals()[0]) == repr(quantize(value, places, mode))


def _paths(result: RubricResult) -> dict[str, str]:
    return {k: t.path for k, t in result.trace.criteria.items()}


TRIMMED = """
    key = "t"
    title = "T"
    panel = { rule = "trimmed", drop_high = 1, drop_low = 1 }
    [[criteria]]
    key = "a"
    title = "A"
    kind = "scale"
    max = %s
    step = %s
    %s
"""


def test_a_panel_on_the_step_grid_takes_the_integer_path():
    rows = [("E1", "", f"J{j}", "a", v) for j, v in enumerate(["7", "7.5", "8.0", "9", "6.5"])]
    integer, reference, result = both_paths(TRIMMED % (10, 0.5, "round = 2"), rows)
    assert integer == reference
    assert result is not None and _paths(result) == {"a": "integer"}


def test_a_mean_that_does_not_terminate_falls_back_to_decimals():
    """No rounding: 22/3 cannot be a count of any unit, so the criterion is scored with Decimals."""
    rows = [("E1", "", f"J{j}", "a", v) for j, v in enumerate(["1", "7", "7", "8", "10"])]
    _, _, result = both_paths(TRIMMED % (10, 1, ""), rows)
    assert result is not None and _paths(result) == {"a": "decimal"}
    assert result.results[0].score == D("7.333333333333333333333333333333333")
    rounded = both_paths(TRIMMED % (10, 1, "round = 2"), rows)[2]
    assert rounded is not None and _paths(rounded) == {"a": "integer"}
    assert rounded.results[0].score == D("7.33")


def test_marks_beyond_int64_fall_back_to_decimals():
    """Faults of a billion points each: three judges' 4e18 sum past int64, so the Decimal path
    scores them, exactly."""
    text = """
        key = "d"
        title = "D"
        panel = { rule = "trimmed", drop_high = 1, drop_low = 1, then = "sum" }
        [[criteria]]
        key = "a"
        title = "A"
        kind = "deduction"
        per = 1000000000
    """
    rows = [("E1", "", f"J{j}", "a", str(4_000_000_000 + j)) for j in range(5)]
    integer, reference, result = both_paths(text, rows)
    assert integer == reference
    assert result is not None and _paths(result) == {"a": "decimal"}
    assert result.results[0].score == -D(3 * 4_000_000_000 + 6) * 1_000_000_000


def test_rounding_past_int64_falls_back_to_decimals():
    """A mean of marks to a millionth rounded to 12 places needs counts of 1e-12: past int64."""
    rows = [("E1", "", f"J{j}", "a", v) for j, v in enumerate(["999999999.999999", "0.000001", "7"])]
    text = (TRIMMED % (1000000000, "0.000001", "round = 12")).replace("drop_high = 1, drop_low = 1", "drop_high = 0")
    integer, reference, result = both_paths(text.replace("drop_high = 0", "drop_high = 0, drop_low = 0"), rows)
    assert integer == reference
    assert result is not None and _paths(result) == {"a": "decimal"}


def test_an_adjusted_mark_and_a_veto_take_the_decimal_path():
    text = """
        key = "v"
        title = "V"
        [[parameters]]
        key = "penalty"
        title = "P"
        default = 0
        [[criteria]]
        key = "a"
        title = "A"
        kind = "scale"
        max = 10
        adjust = "max(value - penalty, 0)"
        [[criteria]]
        key = "b"
        title = "B"
        kind = "scale"
        max = 10
        [[criteria]]
        key = "no"
        title = "No"
        kind = "veto"
        scope = "criterion"
        target = "b"
    """
    rows = [("E1", "", f"J{j}", k, v) for j in range(3) for k, v in (("a", "5"), ("b", "6"), ("no", "0"))]
    integer, reference, result = both_paths(text, rows)
    assert integer == reference
    assert result is not None and _paths(result) == {"a": "decimal", "b": "integer", "no": "decimal"}


def test_the_reference_rounds_equal_values_written_apart_each_as_itself():
    """-0.3 rounds to -0 and 0.0 to 0: equal after rounding, yet each keeps its own sign."""
    from scoring.decimals import Rounding
    from scoring.rubrics.combine import round_array

    values = np.array([D("0.0"), D("-0.3"), D("0.00")], dtype=object)
    assert [repr(v) for v in round_array(values, Rounding(0, "ceiling"))] == [
        repr(D("0")),
        repr(D("-0")),
        repr(D("0")),
    ]
