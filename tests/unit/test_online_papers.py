"""The online drills' pure core: the bank's checks, papers from seeds, answers turned back into the
bank's letters, levels opening in turn, places with shared ties and finalists by rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.online_papers import DrawRule, PaperSpec, build_paper, check_spec, grade_papers, original_answer
from scoring.online_rules import Sat, counted_score, open_levels, rank_sat, select_finalists
from scoring.problems import InvalidInput
from scoring.question_bank import read_bank
from tests.helpers import ROOT

BANK = read_bank(ROOT / "examples" / "online_practice" / "bank.csv")
DRAWN = PaperSpec(rules=(DrawRule("safety", "*", 5), DrawRule("*", "hard", 5)))


@given(seed=st.integers(min_value=0, max_value=2**63 - 1))
@settings(max_examples=50, deadline=None)
def test_online_paper_from_a_seed_is_rebuilt_exactly_and_holds_what_its_rules_ask(seed):
    paper = build_paper(BANK, DRAWN, seed)
    assert paper == build_paper(BANK, DRAWN, seed)
    by_key = {q.key: q for q in BANK}
    keys = paper.keys()
    assert len(keys) == len(set(keys)) == 10
    assert (
        sum(by_key[k].topic == "safety" for k in keys) >= 5 and sum(by_key[k].difficulty == "hard" for k in keys) >= 5
    )
    for shown in paper.questions:  # each option order is a permutation of the question's options
        assert sorted(shown.order) == sorted("ABCDEFGH"[: len(by_key[shown.key].options)])


def test_online_a_right_answer_in_the_shown_letters_is_graded_right():
    paper = build_paper(BANK, PaperSpec(questions=("s01", "s09", "s12", "s15")), 7)
    by_key = {q.key: q for q in BANK}
    shown_right = {}
    for q in paper.questions:
        answer = by_key[q.key].answer
        shown_right[q.key] = "".join(sorted("ABCD"[q.order.index(c)] for c in answer)) if q.order else answer
        assert original_answer(q, shown_right[q.key]) == ("".join(sorted(answer)) if q.order else answer)
    graded = grade_papers(BANK, {"x": (paper, shown_right), "blank": (paper, {})})
    assert graded["x"].total == graded["x"].max_total == Decimal(4)
    assert graded["blank"].total == 0


def test_online_a_spec_the_bank_cannot_fill_is_refused_with_what_it_has():
    problems = check_spec(PaperSpec(rules=(DrawRule("environment", "easy", 5),)), BANK)
    assert len(problems) == 1 and "the bank has 2 left to draw" in problems[0].en
    assert check_spec(PaperSpec(questions=("nope",)), BANK)[0].en == "the bank has no question 'nope'"
    assert check_spec(PaperSpec(), BANK)  # neither keys nor rules


def test_online_bank_problems_name_row_column_and_what_is_valid(tmp_path: Path):
    path = tmp_path / "bank.csv"
    path.write_text(
        "编号,题型,题目,选项,答案,主题,难度,分值\nq1,多选,题,甲|乙,AC,t,易,1\nq2,数值,题,,x,t,中,-1\n", "utf-8"
    )
    with pytest.raises(InvalidInput) as refused:
        read_bank(path)
    found = {(p.row, p.path): p.en for p in refused.value.problems}
    assert found[(2, "answer")] == "answer: 'AC' must be distinct letters from AB"
    assert found[(3, "answer")] == "answer: 'x' is not a number"
    assert found[(3, "points")] == "points: '-1' is not a positive number"


def test_online_levels_open_in_turn_and_stay_open():
    levels = [(1, Decimal(3)), (2, Decimal(3)), (3, Decimal(4))]
    assert open_levels(levels, {}) == {1}
    assert open_levels(levels, {1: [Decimal(2)]}) == {1}
    assert open_levels(levels, {1: [Decimal(3), Decimal(0)]}) == {1, 2}  # a later failure closes nothing
    assert open_levels(levels, {1: [Decimal(3)], 2: [Decimal(5)], 3: [Decimal(1)]}) == {1, 2, 3}
    assert counted_score([Decimal(2), Decimal(5), Decimal(3)], "best") == 5
    assert counted_score([Decimal(2), Decimal(5), Decimal(3)], "last") == 3


def test_online_places_share_ties_and_finalists_take_a_tie_at_the_cut_whole():
    sat = [
        Sat("a", "u1", Decimal(90), 600),
        Sat("b", "u1", Decimal(90), 600),
        Sat("c", "u2", Decimal(90), 700),
        Sat("d", "u2", Decimal(80), 300),
        Sat("e", "u1", Decimal(70), 100),
    ]
    placed = rank_sat(sat)
    assert [(p.entry, p.place, p.unit_place) for p in placed] == [
        ("a", 1, 1), ("b", 1, 1), ("c", 3, 1), ("d", 4, 2), ("e", 5, 3),
    ]  # fmt: skip
    assert [p.entry for p in select_finalists(placed, "top_overall", Decimal(1))] == ["a", "b"]
    assert [p.entry for p in select_finalists(placed, "top_per_unit", Decimal(1))] == ["a", "b", "c"]
    assert [p.entry for p in select_finalists(placed, "threshold", Decimal(80))] == ["a", "b", "c", "d"]
