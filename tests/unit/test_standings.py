"""Competition ranking: shared places skip, tie-breaks in order, disqualified last."""

from decimal import Decimal as D

from results.standings import Candidate, rank_entries


def places(standings):
    return [(s.entry, s.place_label) for s in standings]


def test_competition_ranking_shares_places_and_skips():
    got = rank_entries([Candidate("a", D(90)), Candidate("b", D(85)), Candidate("c", D(90)), Candidate("d", D(80))])
    assert places(got) == [("a", "=1"), ("c", "=1"), ("b", "3"), ("d", "4")]


def test_lower_is_better_and_disqualified_last_without_a_place():
    got = rank_entries(
        [Candidate("a", D("61.2")), Candidate("b", None), Candidate("c", D("58.9"))], lower_is_better=True
    )
    assert places(got) == [("c", "1"), ("a", "2"), ("b", "DQ")]


def test_tie_breaks_in_order_and_what_decided():
    cands = [
        Candidate("a", D(90), ((D(70), True), (D(5), False))),  # time 70 s
        Candidate("b", D(90), ((D(65), True), (D(1), False))),  # faster: wins the tie
        Candidate("c", D(90), ((D(70), True), (D(9), False))),  # same time as a, better second metric
        Candidate("d", D(90), ((D(70), True), (D(9), False))),
    ]  # equal to c on everything
    got = rank_entries(cands, tiebreak_names=["criterion:drill.time", "event:theory"])
    assert places(got) == [("b", "1"), ("c", "=2"), ("d", "=2"), ("a", "4")]
    assert got[1].decided_by == ["criterion:drill.time: 70 vs 65"]
    assert got[3].decided_by == ["event:theory: 5 vs 9"]


def test_ranking_does_not_depend_on_input_order():
    cands = [Candidate(k, D(v)) for k, v in zip("abcdef", [5, 7, 7, 1, 9, 7], strict=True)]
    assert places(rank_entries(cands)) == places(rank_entries(list(reversed(cands))))
