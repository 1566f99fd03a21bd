"""Invariants of whole-rubric scoring, checked with hypothesis on the library's rubrics."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import library, scores

PRESENTATION = library("safety_culture_presentation.toml")
DIGITAL = library("cement/digital_enablement.toml")
CRITERIA = {"diagnosis": 20, "approach": 30, "feasibility": 30, "delivery": 20}

half_marks = st.integers(min_value=0, max_value=40).map(lambda i: i / 2)


def digital_rows(marks: dict[str, list[float]], judges: list[str]) -> list[tuple]:
    return [("T", "", judges[i], c, min(v, CRITERIA[c])) for c, values in marks.items() for i, v in enumerate(values)]


sheets = st.fixed_dictionaries({c: st.lists(half_marks, min_size=5, max_size=5) for c in CRITERIA})


@given(marks=sheets, order=st.permutations(["J1", "J2", "J3", "J4", "J5"]))
@settings(max_examples=40, deadline=None)
def test_which_judge_gave_which_sheet_does_not_matter(marks, order):
    assert scores(DIGITAL, digital_rows(marks, ["J1", "J2", "J3", "J4", "J5"])) == scores(
        DIGITAL, digital_rows(marks, list(order))
    )


@given(marks=sheets, criterion=st.sampled_from(sorted(CRITERIA)), judge=st.integers(0, 4), up=st.integers(1, 6))
@settings(max_examples=40, deadline=None)
def test_raising_one_mark_never_lowers_the_score(marks, criterion, judge, up):
    judges = ["J1", "J2", "J3", "J4", "J5"]
    before = scores(DIGITAL, digital_rows(marks, judges))["T"]
    raised = {c: list(v) for c, v in marks.items()}
    raised[criterion][judge] = min(raised[criterion][judge] + up / 2, CRITERIA[criterion])
    assert scores(DIGITAL, digital_rows(raised, judges))["T"] >= before


@given(totals=st.lists(st.integers(min_value=40, max_value=90), min_size=5, max_size=5), judge=st.integers(0, 4))
@settings(max_examples=40, deadline=None)
def test_one_wild_judge_moves_a_trimmed_presentation_no_further_than_the_others_allow(totals, judge):
    """A judge who gives everything (or nothing) counts as if they had matched the most extreme other judge."""

    def rows(per_judge):
        out = []
        for i, total in enumerate(per_judge):
            parts = {
                "effect": min(total, 30),
                "innovation": min(max(total - 30, 0), 30),
                "adoption": min(max(total - 60, 0), 20),
                "answers": min(max(total - 80, 0), 20),
            }
            out += [("P", "", f"J{i + 1}", c, v) for c, v in parts.items()]
        return out

    others = totals[:judge] + totals[judge + 1 :]
    for wild, tame in ((100, max(others)), (0, min(others))):
        assert scores(PRESENTATION, rows(totals[:judge] + [wild] + totals[judge + 1 :])) == scores(
            PRESENTATION, rows(totals[:judge] + [tame] + totals[judge + 1 :])
        )
