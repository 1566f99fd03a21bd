"""Every criterion kind: exact points for valid marks, a reason for invalid ones."""

from decimal import Decimal as D

import pytest

from scoring.document import Fields
from scoring.problems import Problem, ProblemCollector
from scoring.rubrics import CRITERION_KINDS
from scoring.rubrics.criteria import CriterionKind
from scoring.rubrics.form import WIDGETS, input_form
from scoring.tomlsource import load_toml_text

# One valid table per registered kind, with a valid and an invalid mark: the contract test
# below fails when a kind is registered without a sample here.
SAMPLES = {
    "scale": ("min = 0\nmax = 10\nstep = 0.5", "8.5", "8.25"),
    "checklist": ("points = 5", "是", "maybe"),
    "measurement": ("bands = [{ min = 9.8, max = 10.2, points = 3 }]", "10.1", "ten"),
    "time": ("bands = [{ max = 20, points = 10 }]", "0:19.5", "1:2:3:4"),
    "deduction": ("per = 2\ncap = 6", "2", "-1"),
    "veto": ('scope = "event"', "1", "perhaps"),
    "answer_key": ('type = "single"\nanswer = "B"\npoints = 1', "b", "E"),
    "official_measurement": ("linear = [[0, 0], [10, 5]]\nround = 2", "4", "x"),
    "official_time": ("linear = [[30, 10], [90, 0]]\nround = 1", "45", "soon"),
    "placement": ('ties = "refuse"', "2", "0"),
}


def make(kind: str, body: str, lower: bool = False) -> CriterionKind:
    doc = load_toml_text(body, "k.toml")
    problems = ProblemCollector("k.toml")
    instance = CRITERION_KINDS[kind](Fields(doc, doc.data, (), problems), lower)
    problems.raise_if_any()
    return instance


def test_every_registered_kind_has_a_sample():
    assert set(CRITERION_KINDS) == set(SAMPLES)


@pytest.mark.parametrize("kind", sorted(CRITERION_KINDS))
def test_criterion_kind_contract(kind):
    body, good, bad = SAMPLES[kind]
    instance = make(kind, body)
    assert instance.key == kind
    points = instance.convert(good)
    assert isinstance(points, D)
    top = instance.max_points()
    if top is not None and kind != "veto":  # a veto's mark says "called", it is not points
        assert points <= top
    error = instance.convert(bad)
    assert isinstance(error, Problem) and error.zh and error.en and error.where() == ""
    assert isinstance(instance.describe(), str) and instance.describe()


@pytest.mark.parametrize("mark, points", [("0", "0"), ("10", "10"), ("7.5", "7.5"), ("7.50", "7.50")])
def test_scale_accepts_marks_on_the_step(mark, points):
    assert make("scale", SAMPLES["scale"][0]).convert(mark) == D(points)


@pytest.mark.parametrize(
    "mark, words", [("10.5", "out of range"), ("-0.5", "out of range"), ("7.3", "off the step"), ("x", "not a number")]
)
def test_scale_refuses_with_the_valid_range(mark, words):
    error = make("scale", SAMPLES["scale"][0]).convert(mark)
    assert isinstance(error, Problem)
    zh, en = error.zh, error.en
    assert words in en and "0 to 10 by 0.5" in en and "步长" in zh


def test_scale_with_offset_minimum_checks_steps_from_the_minimum():
    kind = make("scale", "min = 0.25\nmax = 10\nstep = 0.25")
    assert kind.convert("0.25") == D("0.25")
    assert isinstance(kind.convert("0"), Problem)


@pytest.mark.parametrize(
    "mark, points", [("1", 5), ("true", 5), ("yes", 5), ("是", 5), ("√", 5), ("0", 0), ("否", 0), ("×", 0), ("no", 0)]
)
def test_checklist_words(mark, points):
    assert make("checklist", "points = 5").convert(mark) == D(points)


def test_bands_respect_inclusive_and_exclusive_ends():
    kind = make(
        "time",
        "bands = [{ max = 20, points = 30 }, { above = 20, max = 30, points = 25 },"
        " { above = 30, below = 45, points = 20 }]",
    )
    assert kind.convert("20") == D(30)
    assert kind.convert("20.001") == D(25)
    assert kind.convert("30") == D(25)
    assert kind.convert("44.99") == D(20)
    assert kind.convert("45") == D(0)  # no band holds it


def test_time_reads_clock_notation():
    kind = make("official_time", "max = 3600", lower=True)
    assert kind.convert("1:23.4") == D("83.4")
    assert kind.convert("0:01:05") == D(65)
    assert isinstance(kind.convert("3601"), Problem)


def test_time_as_seconds_needs_lower_is_better():
    with pytest.raises(Exception, match="better"):
        make("time", "max = 100")
    assert make("time", "max = 100", lower=True).convert("61.5") == D("61.5")


def test_linear_mapping_interpolates_exactly_and_rounds_as_told():
    kind = make("official_measurement", "linear = [[0.05, 3], [0.15, 0]]\nround = 2")
    assert kind.convert("0.05") == D(3)
    assert kind.convert("0.08") == D("2.10")
    assert kind.convert("0.0999") == D("1.50")  # 1.503 -> 1.50
    assert kind.convert("0.5") == D(0)  # flat beyond the last point
    assert kind.convert("0.01") == D(3)


def test_linear_mapping_needs_rounding():
    with pytest.raises(Exception, match="round"):
        make("official_measurement", "linear = [[0, 0], [3, 1]]")


def test_deduction_counts_against_the_entry_with_a_cap():
    kind = make("deduction", "per = 2\ncap = 5")
    assert kind.convert("0") == D(0)
    assert kind.convert("2") == D(-4)
    assert kind.convert("3") == D(-5)
    assert make("deduction", "per = 5", lower=True).convert("2") == D(10)  # penalty seconds
    assert isinstance(make("deduction", "per = 5\nmax_count = 1").convert("2"), Problem)


@pytest.mark.parametrize(
    "answer, mark, points",
    [
        ("ABD", "ABD", "2"),
        ("ABD", "d,b,a", "2"),
        ("ABD", "AB", "1"),
        ("ABD", "ABC", "0"),
        ("ABD", "", "0"),
        ("ABD", "ABCD", "0"),
    ],
)
def test_multiple_choice_with_subset_partial_credit(answer, mark, points):
    kind = make(
        "answer_key", f'type = "multiple"\nanswer = "{answer}"\npoints = 2\npartial = "subset"\npartial_points = 1'
    )
    assert kind.convert(mark) == D(points)


def test_multiple_choice_per_option_credit():
    kind = make("answer_key", 'type = "multiple"\nanswer = "ABC"\npoints = 3\npartial = "per_option"\nper_option = 0.5')
    assert kind.convert("AB") == D("1.0")
    assert kind.convert("ABC") == D(3)
    assert kind.convert("AD") == D(0)


@pytest.mark.parametrize("mark, points", [("对", 1), ("T", 1), ("√", 1), ("true", 1), ("错", 0), ("F", 0), ("", 0)])
def test_true_false(mark, points):
    assert make("answer_key", 'type = "true_false"\nanswer = true\npoints = 1').convert(mark) == D(points)


@pytest.mark.parametrize("mark, points", [("0.89", 1), ("0.88", 1), ("0.90", 1), ("0.9001", 0), ("0.87", 0)])
def test_numeric_answer_within_tolerance(mark, points):
    kind = make("answer_key", 'type = "numeric"\nanswer = 0.89\ntolerance = 0.01\npoints = 1')
    assert kind.convert(mark) == D(points)


def test_single_choice_refuses_two_letters_and_letters_outside_the_options():
    kind = make("answer_key", 'type = "single"\nanswer = "B"\npoints = 1\noptions = "ABCDE"')
    assert kind.convert("E") == D(0)
    assert isinstance(kind.convert("AB"), Problem)
    assert isinstance(kind.convert("F"), Problem)


@pytest.mark.parametrize("kind", sorted(CRITERION_KINDS))
def test_criterion_kind_declares_a_tablet_input_the_form_knows(kind):
    spec = make(kind, SAMPLES[kind][0]).tablet_input()
    assert spec.widget in WIDGETS
    assert input_form(spec)["input"] == spec.widget


def test_a_criterion_kind_without_a_tablet_input_cannot_be_made():
    class Unmarked(CriterionKind):
        key = "unmarked"

        def convert(self, raw):
            return D(0)

    doc = load_toml_text("", "k.toml")
    with pytest.raises(TypeError, match="tablet_input"):
        Unmarked(Fields(doc, doc.data, (), ProblemCollector("k.toml")), False)  # type: ignore[abstract]
