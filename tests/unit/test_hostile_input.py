"""Whatever a rubric or competition file holds, loading it ends in located problems or a
loaded file, never in a traceback (Hypothesis writes the files)."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.competition import load_competition
from scoring.problems import InvalidInput
from scoring.rubrics.loader import load_rubric_document
from scoring.tomlsource import load_toml_text
from tests.helpers import ROOT, RUBRICS

NUMBER_FIELD = re.compile(
    r"^(\s*(?:min|max|step|points|weight|tolerance|min_judges|round|cap|per|each)\s*=\s*)(\S+)(.*)$"
)

hostile_numbers = st.one_of(
    st.sampled_from(["1e308", "1e999", "-1e999", "1e-34", "1e-30", "1e30", "0", "-0", "nan", "inf", "1" + "0" * 39]),
    st.integers(min_value=-(10**50), max_value=10**50).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).map(lambda d: str(d) if d.is_finite() else "1"),
    st.text(alphabet="0123456789.-+eE", min_size=1, max_size=12),
    st.sampled_from(['"x"', "true", "[1, 2]", "{ a = 1 }", '"' + "k" * 10_000 + '"']),
)


def with_numbers_replaced(text: str, values: list[str]) -> str:
    lines, i = [], 0
    for line in text.splitlines():
        match = NUMBER_FIELD.match(line)
        if match and values:
            line = f"{match.group(1)}{values[i % len(values)]}{match.group(3)}"
            i += 1
        lines.append(line)
    return "\n".join(lines)


RUBRIC_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(RUBRICS.glob("*.toml"))]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(RUBRIC_TEXTS), st.lists(hostile_numbers, min_size=1, max_size=6))
def test_a_rubric_with_hostile_numbers_loads_or_says_where_it_is_wrong(text, values):
    try:
        load_rubric_document(load_toml_text(with_numbers_replaced(text, values), "hostile.toml"))
    except InvalidInput as refused:
        assert refused.problems and all(p.file == "hostile.toml" for p in refused.problems)


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_numbers, min_size=1, max_size=4), st.sampled_from(["cement", "power_safety", "drill_yard"]))
def test_a_competition_with_hostile_numbers_loads_or_says_where_it_is_wrong(tmp_path_factory, values, example):
    folder = tmp_path_factory.mktemp("c")
    source = ROOT / "examples" / example / "competition.toml"
    text = source.read_text(encoding="utf-8").replace('"../rubrics/', f'"{RUBRICS}/')
    (folder / "competition.toml").write_text(with_numbers_replaced(text, values), encoding="utf-8")
    try:
        load_competition(folder / "competition.toml")
    except InvalidInput as refused:
        assert refused.problems


def test_the_bounds_are_said_in_the_refusal():
    text = (
        'key = "r"\ntitle = "r"\n[[criteria]]\nkey = "a"\ntitle = "a"\nkind = "scale"\nmin = 0\nmax = 1e308\nstep = 1\n'
    )
    try:
        load_rubric_document(load_toml_text(text, "r.toml"))
    except InvalidInput as refused:
        [problem] = [p for p in refused.problems if p.path == "criteria[0].max"]
        assert "1,000,000,000" in problem.en and "6 decimal places" in problem.en and problem.line == 8
    else:
        raise AssertionError("max = 1e308 was accepted")
    assert Decimal("1e9") == Decimal(1_000_000_000)


def test_deep_nesting_and_long_integers_are_refused_with_the_file_named():
    for text in ["a = " + "[" * 5000 + "]" * 5000, "a = 1" + "0" * 5000]:
        try:
            load_toml_text(text, "deep.toml")
        except InvalidInput as refused:
            assert refused.problems[0].file == "deep.toml"
        else:
            raise AssertionError("accepted")


def test_a_weight_of_1e999_is_refused_when_the_competition_is_read(tmp_path):
    text = (ROOT / "examples" / "power_safety" / "competition.toml").read_text(encoding="utf-8")
    text = text.replace('"../rubrics/', f'"{RUBRICS}/').replace("weight = ", "weight = 1e999 # ", 1)
    (tmp_path / "competition.toml").write_text(text, encoding="utf-8")
    try:
        load_competition(tmp_path / "competition.toml")
    except InvalidInput as refused:
        assert any(p.path and p.path.endswith("weight") and "out of bounds" in p.en for p in refused.problems)
    else:
        raise AssertionError("weight = 1e999 was accepted")
