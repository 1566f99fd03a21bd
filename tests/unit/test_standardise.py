"""Standardised event scores: worked by hand on a few scores, read from the competition file,
and counted in the overall in place of the raw score."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from results.overall import EventMarks, combine_events, score_event_marks
from results.standardise import median, population_deviation, standardise_scores
from scoring.competition import read_competition
from scoring.marks import marks_table
from scoring.model import Standardisation
from scoring.problems import InvalidInput
from scoring.tomlsource import load_toml_text

# Mean 5, median 4.5, population standard deviation exactly 2.
TEXTBOOK = {"a": D(2), "b": D(4), "c": D(4), "d": D(4), "e": D(5), "f": D(5), "g": D(7), "h": D(9)}
WORLDSKILLS = Standardisation("worldskills", D(700), D(100), 2)
Z = Standardisation("z", D(0), D(1), 3)


def test_statistics_are_exact():
    assert median(list(TEXTBOOK.values())) == D("4.5")
    assert population_deviation(list(TEXTBOOK.values())) == D(2)


def test_worldskills_uses_the_median_and_the_population_deviation():
    # 700 + 100 x (x - 4.5) / 2 = 700 + 50 (x - 4.5)
    got = standardise_scores(TEXTBOOK, WORLDSKILLS)
    assert got == {
        "a": D(575),
        "b": D(675),
        "c": D(675),
        "d": D(675),
        "e": D(725),
        "f": D(725),
        "g": D(825),
        "h": D(925),
    }
    assert str(got["a"]) == "575.00"  # rounded to the 2 places asked for


def test_z_score_uses_the_mean():
    got = standardise_scores(TEXTBOOK, Z)
    assert got["a"] == D("-1.5") and got["b"] == D("-0.5") and got["e"] == D(0) and got["h"] == D(2)
    assert str(got["e"]) == "0.000"


def test_irrational_deviation_is_rounded_half_up_at_the_end():
    scores = {"p": D(60), "q": D(70), "r": D(80), "s": D(90)}
    # median = mean = 75; deviation = sqrt(500 / 4) = sqrt(125) = 11.180339887498948...
    # 700 + 100 x (-15) / 11.1803... = 700 - 134.164078... = 565.835921... -> 565.84
    assert standardise_scores(scores, WORLDSKILLS) == {
        "p": D("565.84"),
        "q": D("655.28"),
        "r": D("744.72"),
        "s": D("834.16"),
    }
    assert standardise_scores(scores, Z) == {"p": D("-1.342"), "q": D("-0.447"), "r": D("0.447"), "s": D("1.342")}


def test_rounding_is_half_up_not_half_even():
    # spread 2: 700 + (x - 4.5); x = 5 gives 700.5 exactly, which half up makes 701
    got = standardise_scores(TEXTBOOK, Standardisation("worldskills", D(700), D(2), 0))
    assert got["e"] == D(701) and got["b"] == D(700)


def test_entries_without_a_score_keep_none_and_are_left_out_of_the_statistics():
    got = standardise_scores(TEXTBOOK | {"dq": None}, WORLDSKILLS)
    assert got["dq"] is None and got["a"] == D(575)


def test_equal_scores_all_get_the_centre():
    assert standardise_scores({"a": D(8), "b": D(8)}, WORLDSKILLS) == {"a": D(700), "b": D(700)}
    assert standardise_scores({"a": D(8)}, Z) == {"a": D(0)}


COMPETITION = """
[competition]
key = "c"
name = "C"
ranking = "individual"

[overall]
method = "{method}"
round = 2

[[units]]
key = "u"
name = "U"

[[contestants]]
key = "p1"
name = "P1"
unit = "u"
[[contestants]]
key = "p2"
name = "P2"
unit = "u"
[[contestants]]
key = "p3"
name = "P3"
unit = "u"

[[events]]
key = "drill"
title = "Drill"
kind = "practical"
scope = "individual"
weight = 1
{standardise}
[events.rubric]
key = "drill"
title = "Drill"
[[events.rubric.criteria]]
key = "a"
title = "A"
kind = "scale"
max = 100

[[events]]
key = "plain"
title = "Plain"
kind = "practical"
scope = "individual"
weight = 1
[events.rubric]
key = "plain"
title = "Plain"
[[events.rubric.criteria]]
key = "a"
title = "A"
kind = "scale"
max = 100
"""


def load(tmp_path: Path, standardise: str, method: str = "sum"):
    text = COMPETITION.replace("{method}", method).replace("{standardise}", standardise)
    return read_competition(load_toml_text(text, str(tmp_path / "c.toml")))


def problems_of(tmp_path: Path, standardise: str, method: str = "sum"):
    with pytest.raises(InvalidInput) as info:
        load(tmp_path, standardise, method)
    return info.value.problems


def test_file_reads_standardisation_with_its_defaults(tmp_path):
    c = load(tmp_path, 'standardise = { method = "worldskills" }')
    assert c.event("drill").standardise == Standardisation("worldskills", D(700), D(100), 2)
    assert c.event("plain").standardise is None
    c = load(tmp_path, 'standardise = { method = "z" }')
    assert c.event("drill").standardise.method == "z" and c.event("drill").standardise.places == 3


def test_overall_counts_the_standardised_score_and_keeps_the_raw_one(tmp_path):
    c = load(tmp_path, 'standardise = { method = "worldskills", centre = 500, spread = 10, round = 1 }')
    rows = [("p1", "", "J1", "a", 40), ("p2", "", "J1", "a", 60), ("p3", "", "J1", "a", 80)]
    plain = [("p1", "", "J1", "a", 1), ("p2", "", "J1", "a", 2), ("p3", "", "J1", "a", 3)]
    marks = {"drill": EventMarks(marks_table(rows), "drill"), "plain": EventMarks(marks_table(plain), "plain")}
    result = combine_events(c, score_event_marks(c, marks))
    # median 60; deviation sqrt((400 + 0 + 400) / 3) = 16.3299...; 500 + 10 x (-20) / 16.3299 = 487.752...
    assert result.standardised == {"drill": {"p1": D("487.8"), "p2": D("500.0"), "p3": D("512.2")}}
    assert result.event_scores["drill"] == {"p1": D(40), "p2": D(60), "p3": D(80)}
    assert result.overall == {"p1": D("488.80"), "p2": D("502.00"), "p3": D("515.20")}
    assert [s.entry for s in result.standings] == ["p3", "p2", "p1"]


def test_weighted_overall_refuses_standardisation(tmp_path):
    [p] = problems_of(tmp_path, 'standardise = { method = "z" }', method="weighted")
    assert p.path == "events[0].standardise" and 'method = "sum"' in p.en and "标准化" in p.zh


@pytest.mark.parametrize(
    ("table", "path", "words"),
    [
        ('{ method = "median" }', "events[0].standardise.method", "choose one of: worldskills, z"),
        ("{ centre = 700 }", "events[0].standardise.method", "required"),
        ('{ method = "z", centre = 0 }', "events[0].standardise.centre", "belongs to method"),
        ('{ method = "worldskills", spread = 0 }', "events[0].standardise.spread", "greater than 0"),
        ('{ method = "worldskills", round = 9 }', "events[0].standardise.round", "at most 6 places"),
        ('{ method = "worldskills", scale = 2 }', "events[0].standardise.scale", "unknown field"),
        ('"worldskills"', "events[0].standardise", "must be a table"),
    ],
)
def test_file_errors_name_the_field(tmp_path, table, path, words):
    problems = problems_of(tmp_path, f"standardise = {table}")
    assert any(p.path == path and words in p.en and p.zh for p in problems), [(p.path, p.en) for p in problems]
