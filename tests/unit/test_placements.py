"""The placement criterion kind and the check of one judge's places across a round's entries."""

from decimal import Decimal as D

import pytest

from scoring.document import Fields
from scoring.problems import InvalidInput, Problem, ProblemCollector
from scoring.rubrics.form import input_form
from scoring.rubrics.loader import load_rubric_document
from scoring.rubrics.placements import PlacementKind, check_placements, places_from_order, read_place
from scoring.tomlsource import load_toml_text


def kind(body: str = "") -> PlacementKind:
    doc = load_toml_text(body, "k.toml")
    problems = ProblemCollector("k.toml")
    made = PlacementKind(Fields(doc, doc.data, (), problems), True)
    problems.raise_if_any()
    return made


@pytest.mark.parametrize("raw, place", [("1", 1), (" 3 ", 3), ("12", 12), ("2.0", 2), (4, 4)])
def test_a_place_is_a_whole_number_from_one(raw, place):
    assert read_place(raw) == place
    assert kind().convert(str(raw)) == D(place)


@pytest.mark.parametrize("raw", ["0", "-1", "1.5", "first", "", True])
def test_anything_else_is_not_a_place(raw):
    assert read_place(raw) is None
    if not isinstance(raw, bool):
        problem = kind().convert(raw)
        assert isinstance(problem, Problem) and "not a place" in problem.en and "名次" in problem.zh


def test_ties_default_to_refused_and_reach_the_tablet():
    assert kind().ties == "refuse" and not kind().ties_allowed
    assert kind('ties = "allow"').ties_allowed
    assert input_form(kind('ties = "allow"').tablet_input()) == {"input": "placement", "ties": "allow"}
    with pytest.raises(InvalidInput, match="ties"):
        kind('ties = "sometimes"')


def test_whole_places_pass():
    assert check_placements(kind(), {"a": "2", "b": "1", "c": "3"}) == []
    assert check_placements(kind(), {"a": 1}) == []
    assert check_placements(kind(), {}) == []


def test_a_shared_place_is_refused_unless_allowed():
    problems = check_placements(kind(), {"a": "1", "b": "2", "c": "2", "d": "4"})
    assert [p.en for p in problems] == ["b, c share place 2; this criterion allows no shared places"]
    assert check_placements(kind('ties = "allow"'), {"a": "1", "b": "2", "c": "2", "d": "4"}) == []


def test_places_must_run_without_a_gap():
    problems = check_placements(kind(), {"a": "1", "b": "3", "c": "4", "d": "2", "e": "6"})
    assert [p.en for p in problems] == ["place 6 (e) is above the number of entries placed, 5"]
    problems = check_placements(kind('ties = "allow"'), {"a": "1", "b": "2", "c": "2", "d": "3"})
    assert len(problems) == 1 and problems[0].en.startswith("place 4 is missing")
    problems = check_placements(kind('ties = "allow"'), {"a": "1", "b": "1", "c": "1"})
    assert problems == []


def test_unreadable_places_are_named_by_entry():
    problems = check_placements(kind(), {"a": "1", "b": "x", "c": "0"})
    assert [p.en for p in problems] == [
        "b: 'x' is not a place (a whole number, 1 or more)",
        "c: '0' is not a place (a whole number, 1 or more)",
    ]


def test_check_placements_takes_a_rubric_criterion_and_refuses_other_kinds():
    ranked = load_rubric_document(
        load_toml_text(
            'key = "r"\ntitle = "R"\n[ordinal]\nrule = "skating"\n'
            '[[criteria]]\nkey = "waltz"\ntitle = "Waltz"\nkind = "placement"\n',
            "r.toml",
        )
    )
    assert check_placements(ranked.criterion("waltz"), {"a": "2", "b": "2"})[0].en.startswith("a, b share")
    scored = load_rubric_document(
        load_toml_text(
            'key = "s"\ntitle = "S"\n[[criteria]]\nkey = "tech"\ntitle = "T"\nkind = "scale"\nmax = 10\n', "s.toml"
        )
    )
    with pytest.raises(TypeError):
        check_placements(scored.criterion("t"), {"a": "1"})


def test_places_from_an_order_of_entries():
    assert places_from_order([["a"], ["b", "c"], ["d"]]) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert check_placements(kind('ties = "allow"'), places_from_order([["x", "y"], ["z"]])) == []
