"""Assigning experts to works: conflicts are never broken, every work gets k distinct experts,
and loads are as even as the conflicts allow (checked against every assignment of small pools)."""

from __future__ import annotations

from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.refusals import Conflict
from scoring.review_assignment import Expert, Reviewable, assign_reviews, loads, may_review

UNITS = ["u1", "u2", "u3", "u4"]


@st.composite
def pools(draw, max_works=12, max_experts=8):
    works = [Reviewable(f"w{i:02}", draw(st.sampled_from(UNITS))) for i in range(draw(st.integers(1, max_works)))]
    experts = [
        Expert(f"e{i:02}", draw(st.sampled_from([*UNITS, ""]))) for i in range(draw(st.integers(1, max_experts)))
    ]
    k = draw(st.integers(1, 3))
    conflicts = draw(
        st.sets(
            st.tuples(st.sampled_from([e.key for e in experts]), st.sampled_from([w.key for w in works])), max_size=6
        )
    )
    return works, experts, k, conflicts


def _check(works, experts, k, conflicts, assignment):
    by_key = {e.key: e for e in experts}
    declared = frozenset(conflicts)
    assert set(assignment) == {w.key for w in works}
    for work in works:
        chosen = assignment[work.key]
        assert len(chosen) == len(set(chosen)) == k
        for key in chosen:
            assert may_review(by_key[key], work, declared), (key, work)
            assert by_key[key].unit != work.unit or not by_key[key].unit


@settings(max_examples=300, deadline=None)
@given(pools())
def test_assignment_never_breaks_a_conflict_and_gives_each_work_k_experts(pool):
    works, experts, k, conflicts = pool
    try:
        assignment = assign_reviews(works, experts, k, conflicts)
    except Conflict:
        declared = frozenset(conflicts)
        # refused only when some work truly has fewer than k experts who may review it
        assert any(sum(may_review(e, w, declared) for e in experts) < k for w in works)
        return
    _check(works, experts, k, conflicts, assignment)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.integers(3, 12), st.integers(1, 3))
def test_without_conflicts_loads_differ_by_at_most_one(n_works, n_experts, k):
    works = [Reviewable(f"w{i:02}", "u1") for i in range(n_works)]
    experts = [Expert(f"e{i:02}") for i in range(n_experts)]
    counts = loads(assign_reviews(works, experts, k), [e.key for e in experts]).values()
    assert max(counts) - min(counts) <= 1
    assert sum(counts) == n_works * k


def _least_possible_max_load(works, experts, k, conflicts):
    declared = frozenset(conflicts)
    options = [[c for c in combinations([e.key for e in experts if may_review(e, w, declared)], k)] for w in works]
    best = None
    for choice in product(*options):
        counts = loads(dict(zip([w.key for w in works], choice, strict=True)), [e.key for e in experts])
        worst = max(counts.values())
        best = worst if best is None else min(best, worst)
    return best


@settings(max_examples=150, deadline=None)
@given(pools(max_works=4, max_experts=4))
def test_the_heaviest_load_is_the_least_any_assignment_allows(pool):
    works, experts, k, conflicts = pool
    try:
        assignment = assign_reviews(works, experts, k, conflicts)
    except Conflict:
        return
    assert max(loads(assignment, [e.key for e in experts]).values()) == _least_possible_max_load(
        works, experts, k, conflicts
    )


def test_fixed_reviews_are_kept_and_counted():
    works = [Reviewable("w1", "a"), Reviewable("w2", "a"), Reviewable("w3", "a")]
    experts = [Expert("x", "b"), Expert("y", "b"), Expert("z", "b")]
    assignment = assign_reviews(works, experts, 1, fixed={"w1": ["x"]})
    assert assignment["w1"] == ["x"]
    assert sorted(assignment["w2"] + assignment["w3"]) == ["y", "z"]


def test_a_work_without_enough_experts_is_refused_naming_it():
    works = [Reviewable("w1", "a")]
    experts = [Expert("x", "a"), Expert("y", "b")]
    with pytest.raises(Conflict) as info:
        assign_reviews(works, experts, 2)
    assert "w1" in info.value.en and info.value.field == "w1"


def test_the_five_small_pool_39_works_12_experts_3_reviews():
    works = [Reviewable(f"W{i:02}", f"u{i % 8}") for i in range(1, 40)]
    experts = [Expert(f"E{i:02}", f"u{i % 8}" if i < 8 else "") for i in range(12)]
    assignment = assign_reviews(works, experts, 3, {("E09", "W01")})
    _check(works, experts, 3, {("E09", "W01")}, assignment)
    counts = loads(assignment, [e.key for e in experts]).values()
    assert sum(counts) == 117 and max(counts) - min(counts) <= 1
