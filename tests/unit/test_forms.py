"""The score form described from a rubric: one input per criterion kind, with its limits."""

from scoring.rubrics.form import rubric_form
from tests.helpers import library


def test_form_of_the_extinguisher_drill():
    form = rubric_form(library("dry_powder_extinguisher.toml"))
    assert form["max_points"] == "100" and form["better"] == "higher"
    procedure, speed, safety = form["items"]
    assert procedure["max_points"] == "60" and {i["input"] for i in procedure["items"]} == {"toggle"}
    [time] = speed["items"]
    assert time["input"] == "stopwatch" and time["official"] is True
    assert [i["input"] for i in safety["items"]] == ["counter", "veto"]
    assert (safety["items"][0]["per"], safety["items"][0]["cap"], safety["base"]) == ("2", "10", "10")


def test_form_of_a_panel_on_totals_says_how_totals_combine():
    form = rubric_form(library("safety_culture_presentation.toml"))
    assert form["panel"] == "drop 1 highest and 1 lowest, mean of the rest"
    assert [i["step"] for i in form["items"]] == ["0.5"] * 4
