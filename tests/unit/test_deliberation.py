"""Counting the experts' votes (scoring/deliberation.py): hand-worked tallies for each method and
tie rule, and properties that hold for any ballots."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.deliberation import CountingRule, count_approvals, count_borda
from scoring.problems import InvalidInput

PANEL = ["e1", "e2", "e3"]
A, R = "approve", "reject"


def test_deliberation_two_thirds_of_the_whole_panel_selects():
    # a: 3 approvals, b: 2 (= 2/3 of 3), c: 1, d: 2 votes of which only one approval
    votes = {
        "e1": {"a": A, "b": A, "c": A, "d": A},
        "e2": {"a": A, "b": A, "c": R, "d": R},
        "e3": {"a": A, "b": R, "c": R},
    }
    tally = count_approvals(CountingRule("approval_threshold", threshold=Fraction(2, 3)), "abcd", PANEL, votes)
    assert tally.selected == ["a", "b"]
    rows = {r.candidate: (r.approvals, r.rejections, r.place) for r in tally.rows}
    assert rows == {"a": (3, 0, 1), "b": (2, 1, 2), "c": (1, 2, 3), "d": (1, 1, 3)}
    assert (tally.panel_size, tally.ballots) == (3, 3)


def test_deliberation_a_missing_vote_counts_as_not_approving():
    # only two of three voted: 2 approvals of a panel of 3 is 2/3; 1 approval is not
    votes = {"e1": {"a": A, "b": A}, "e2": {"a": A}}
    tally = count_approvals(CountingRule("approval_threshold", threshold=Fraction(2, 3)), "ab", PANEL, votes)
    assert tally.selected == ["a"]


def test_deliberation_votes_from_outside_the_panel_are_not_counted():
    votes = {"e1": {"a": A}, "e2": {"a": A}, "intruder": {"b": A}, "e3": {"b": A}}
    tally = count_approvals(CountingRule("top_approvals", seats=1), "ab", PANEL, votes)
    assert tally.selected == ["a"] and tally.ballots == 3


def test_deliberation_top_n_with_a_tie_at_the_cut_includes_every_tied_candidate():
    votes = {"e1": {"a": A, "b": A, "c": A}, "e2": {"a": A, "b": A}, "e3": {"a": A, "c": A}}
    tally = count_approvals(CountingRule("top_approvals", seats=2, tie="include_tied"), "abc", PANEL, votes)
    assert tally.selected == ["a", "b", "c"]  # b and c have 2 each, tied for the second seat
    assert {r.candidate for r in tally.rows if r.tied_at_cut} == {"b", "c"}


def test_deliberation_top_n_with_a_tie_at_the_cut_by_nomination_order():
    votes = {"e1": {"a": A, "b": A, "c": A}, "e2": {"a": A, "c": A}, "e3": {"a": A, "b": A}}
    tally = count_approvals(CountingRule("top_approvals", seats=2, tie="nomination_order"), "acb", PANEL, votes)
    assert tally.selected == ["a", "c"]  # c was nominated before b


def test_deliberation_threshold_with_a_cap_takes_the_most_approved():
    votes = {"e1": {"a": A, "b": A, "c": A}, "e2": {"a": A, "b": A, "c": A}, "e3": {"a": A, "b": A}}
    tally = count_approvals(CountingRule("approval_threshold", seats=2, threshold=Fraction(2, 3)), "cba", PANEL, votes)
    assert sorted(tally.selected) == ["a", "b"]  # all three pass 2/3; a and b have 3


def test_deliberation_borda_hand_worked():
    # m = 3: first 2 points, second 1, third 0
    ballots = {"e1": ["a", "b", "c"], "e2": ["b", "a", "c"], "e3": ["b", "c"]}
    tally = count_borda(CountingRule("borda", seats=1), "abc", PANEL, ballots)
    points = {r.candidate: r.points for r in tally.rows}
    assert points == {"a": 3, "b": 5, "c": 1}
    assert tally.selected == ["b"]


def test_deliberation_borda_counts_a_repeated_candidate_once():
    tally = count_borda(CountingRule("borda", seats=1), "ab", PANEL, {"e1": ["a", "a", "b"]})
    assert {r.candidate: r.points for r in tally.rows} == {"a": 1, "b": 0}


def test_deliberation_rule_is_stated_in_both_languages():
    zh, en = CountingRule("approval_threshold", threshold=Fraction(2, 3)).stated()
    assert "2/3" in zh and "2/3" in en and "no vote counts as not approving" in en
    zh, en = CountingRule("borda", seats=10, tie="nomination_order").stated()
    assert "波达" in zh and "Borda" in en and "earlier nomination" in en


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (CountingRule("majority"), "method"),
        (CountingRule("top_approvals"), "seats"),
        (CountingRule("approval_threshold", threshold=Fraction(3, 2)), "threshold"),
        (CountingRule("borda", seats=2, tie="coin"), "tie"),
    ],
)
def test_deliberation_a_rule_that_cannot_be_applied_is_refused_naming_the_field(rule, field):
    with pytest.raises(InvalidInput) as refused:
        rule.check()
    assert field in [p.path for p in refused.value.problems]


CANDIDATES = list("abcdef")
votes_strategy = st.dictionaries(
    st.sampled_from(["e1", "e2", "e3", "e4", "e5"]),
    st.dictionaries(st.sampled_from(CANDIDATES), st.sampled_from([A, R])),
)


@given(votes=votes_strategy, seats=st.integers(1, 6), tie=st.sampled_from(["include_tied", "nomination_order"]))
def test_deliberation_top_approvals_properties(votes, seats, tie):
    panel = ["e1", "e2", "e3", "e4", "e5"]
    tally = count_approvals(CountingRule("top_approvals", seats=seats, tie=tie), CANDIDATES, panel, votes)
    chosen = {r.candidate: r for r in tally.rows}
    # seats filled exactly unless include_tied grows the list at the cut
    if tie == "nomination_order":
        assert len(tally.selected) == seats
    else:
        assert len(tally.selected) >= seats
    # nobody selected has fewer approvals than anybody left out
    out = [r.approvals for r in tally.rows if not r.selected]
    assert all(chosen[c].approvals >= max(out, default=0) for c in tally.selected)
    # approvals are counted from the ballots exactly
    for c in CANDIDATES:
        assert chosen[c].approvals == sum(1 for ballot in votes.values() if ballot.get(c) == A)
    # the order of the experts does not matter
    again = count_approvals(
        CountingRule("top_approvals", seats=seats, tie=tie), CANDIDATES, panel, dict(reversed(list(votes.items())))
    )
    assert again.selected == tally.selected


RANKINGS = st.dictionaries(st.sampled_from(["e1", "e2", "e3"]), st.permutations(CANDIDATES))


@given(ballots=RANKINGS, seats=st.integers(1, 6))
def test_deliberation_borda_points_sum_to_the_ballots_worth(ballots, seats):
    tally = count_borda(CountingRule("borda", seats=seats), CANDIDATES, ["e1", "e2", "e3"], ballots)
    m = len(CANDIDATES)
    assert sum(r.points for r in tally.rows) == len(ballots) * m * (m - 1) // 2
    assert len(tally.selected) >= seats


@given(votes=votes_strategy, num=st.integers(1, 5), den=st.integers(1, 5))
def test_deliberation_threshold_selects_exactly_those_at_or_over_the_share(votes, num, den):
    panel = ["e1", "e2", "e3", "e4", "e5"]
    share = Fraction(min(num, den), den)
    tally = count_approvals(CountingRule("approval_threshold", threshold=share), CANDIDATES, panel, votes)
    for row in tally.rows:
        assert row.selected == (Fraction(row.approvals) >= share * len(panel))
