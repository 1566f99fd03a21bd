"""Award lists (results/awards.py): places by ratio, count or threshold, ties at the boundary,
minimum scores, prizes given consecutively, titles, organisation decisions.

Standings are made by hand: `standings_world` builds a competition of teams T01.. with the
scores given (and tie-break values where a test needs them), so every boundary is worked out
in the test itself.
"""

import tempfile
from decimal import Decimal as D
from pathlib import Path

import pytest

from results.awards import OrganisationDecision, allocate_awards
from results.overall import CompetitionResult, score_competition
from results.standings import Candidate, rank_entries
from scoring.competition import load_competition
from scoring.model import AwardRule, Competition, Contestant, Overall, Role, Scope, Team, Unit
from scoring.problems import InvalidInput
from server.demo_marks import write_competition_marks
from tests.helpers import ROOT
from tests.unit.small_world import small_result


def prize(key, **rule):
    return AwardRule(key=key, title={"zh": key, "en": key}, kind="prize", scope="team", basis="overall", **rule)


def standings_world(scores, awards, tiebreaks=None):
    """Teams T01, T02, ... with `scores` (and optional tie-break values, higher better), one unit
    each of U1/U2, two members each (the first the team leader)."""
    units = [Unit("U1", {"zh": "甲", "en": "Alpha"}), Unit("U2", {"zh": "乙", "en": "Beta"})]
    teams, people, candidates = [], [], []
    for i, score in enumerate(scores, start=1):
        key, unit = f"T{i:02d}", f"U{1 + i % 2}"
        members = (f"{key}a", f"{key}b")
        teams.append(Team(key, {"zh": f"{key}队", "en": f"Team {key}"}, unit, members))
        people += [
            Contestant(members[0], f"{key}甲", unit, key, Role.TEAM_LEADER),
            Contestant(members[1], f"{key}乙", unit, key),
        ]
        tb = ((D(tiebreaks[i - 1]), False),) if tiebreaks else ()
        candidates.append(Candidate(key, D(score), tb))
    competition = Competition(
        key="w", name={"zh": "w", "en": "w"}, dates=(), language="zh-CN", ranking=Scope.TEAM, units=units,
        teams=teams, contestants=people, judges=[], events=[], overall=Overall(), awards=list(awards),
    )  # fmt: skip
    standings = rank_entries(candidates, tiebreak_names=["event:x"] if tiebreaks else [])
    result = CompetitionResult(competition, {}, {}, {c.entry: c.score for c in candidates}, standings)
    return competition, result


def winners(lists):
    return {award.rule.key: [r.entry for r in award.recipients] for award in lists}


def teams(numbers):
    return [f"T{n:02d}" for n in numbers]


RATIOS = [prize("first", ratio=D("0.10")), prize("second", ratio=D("0.20")), prize("third", ratio=D("0.30"))]


@pytest.mark.parametrize(
    "rounding, sizes, computed",
    [
        ("half_up", (3, 6, 8), "28 x 10% = 2.8, rounded half up: 3"),
        ("floor", (2, 5, 8), "28 x 10% = 2.8, rounded down: 2"),
        ("ceiling", (3, 6, 9), "28 x 10% = 2.8, rounded up: 3"),
    ],
)
def test_ratio_of_28_ranked_teams_with_each_rounding(rounding, sizes, computed):
    # 28 x 10% = 2.8, 28 x 20% = 5.6, 28 x 30% = 8.4
    rules = [AwardRule(**{**r.__dict__, "ratio_rounding": rounding}) for r in RATIOS]
    competition, result = standings_world([100 - i for i in range(28)], rules)
    lists = allocate_awards(competition, result)
    a, b, c = sizes
    assert winners(lists) == {
        "first": teams(range(1, a + 1)),
        "second": teams(range(a + 1, a + b + 1)),
        "third": teams(range(a + b + 1, a + b + c + 1)),
    }
    assert [award.places for award in lists] == list(sizes)
    assert lists[0].notes[0][1] == computed
    assert lists[0].notes[0][0].startswith("28 × 10% = 2.8，")


@pytest.mark.parametrize("rounding, sizes", [("half_up", (2, 3, 4)), ("floor", (1, 2, 3)), ("ceiling", (2, 3, 4))])
def test_ratio_of_10_ranked_teams_at_a_half(rounding, sizes):
    # 10 x 15% = 1.5, 10 x 25% = 2.5, 10 x 35% = 3.5; 10 x 5% = 0.5
    ratios = [D("0.15"), D("0.25"), D("0.35")]
    rules = [prize(k, ratio=r, ratio_rounding=rounding) for k, r in zip(["p1", "p2", "p3"], ratios, strict=True)]
    competition, result = standings_world([50 - i for i in range(10)], rules)
    lists = allocate_awards(competition, result)
    assert [len(award.recipients) for award in lists] == list(sizes)
    assert lists[1].notes[0][1].startswith("10 x 25% = 2.5, rounded")


def test_unranked_entries_do_not_count_for_a_ratio():
    competition, result = standings_world([90, 80, 70, 60], [prize("p", ratio=D("0.5"))])
    result.standings = rank_entries([Candidate("T01", D(90)), Candidate("T02", None), Candidate("T03", D(70))])
    # 2 ranked x 50% = 1: T02 has no place
    [award] = allocate_awards(competition, result)
    assert [r.entry for r in award.recipients] == ["T01"]
    assert award.notes[0][1] == "2 x 50% = 1, rounded half up: 1"


# Scores for the boundary tests: T03 and T04 are equal on everything (shared place 3); T05 has
# their score but a lower tie-break value, so it is placed 5th.
TIED = ([95, 90, 88, 88, 88, 80], [0, 0, 5, 5, 3, 0])


@pytest.mark.parametrize(
    "ties, count, expected",
    [
        ("tiebreak", 3, [1, 2, 3, 4]),  # place 3 is shared: both get it
        ("tiebreak", 4, [1, 2, 3, 4]),  # T05 was separated by the tie-break
        ("all_in", 3, [1, 2, 3, 4, 5]),  # everyone with 88, tie-breaks ignored
        ("all_out", 3, [1, 2]),  # nobody with 88
        ("all_out", 2, [1, 2]),  # no tie at the boundary: nothing to decide
    ],
)
def test_count_boundary_under_each_ties_rule(ties, count, expected):
    competition, result = standings_world(*TIED[:1], [prize("p", count=count, ties=ties)], tiebreaks=TIED[1])
    [award] = allocate_awards(competition, result)
    assert [r.entry for r in award.recipients] == teams(expected)
    assert award.places == count


def test_boundary_notes_say_what_was_decided_and_for_whom():
    def notes(ties, count):
        competition, result = standings_world(*TIED[:1], [prize("p", count=count, ties=ties)], tiebreaks=TIED[1])
        return [en for _, en in allocate_awards(competition, result)[0].notes]

    assert "place 3 is shared at the boundary" in notes("tiebreak", 3)[1]
    assert notes("tiebreak", 3)[1].endswith("all get it: T03, T04")
    assert notes("tiebreak", 4)[1] == "T04 and T05 have the same score; the tie-break (event:x: 3 vs 5) gives it to T04"
    assert notes("all_in", 3)[1].endswith("all get it (tie-breaks not used): T03, T04, T05")
    assert notes("all_out", 3)[1].endswith("none of them gets it (tie-breaks not used): T03, T04, T05")


def test_shared_place_is_marked_on_the_recipients():
    competition, result = standings_world(*TIED[:1], [prize("p", count=3)], tiebreaks=TIED[1])
    recipients = allocate_awards(competition, result)[0].recipients
    assert [(r.place, r.shared) for r in recipients] == [(1, False), (2, False), (3, True), (3, True)]


def test_threshold_gives_everyone_at_or_above_the_score():
    competition, result = standings_world(*TIED[:1], [prize("p", threshold=D(88))], tiebreaks=TIED[1])
    [award] = allocate_awards(competition, result)
    assert [r.entry for r in award.recipients] == teams([1, 2, 3, 4, 5])
    assert award.places is None and award.notes[0][1] == "score 88 or above: 5"


def test_min_score_keeps_entries_below_it_off_the_list():
    competition, result = standings_world(*TIED[:1], [prize("p", count=3, min_score=D(92))], tiebreaks=TIED[1])
    [award] = allocate_awards(competition, result)
    assert [r.entry for r in award.recipients] == ["T01"]
    assert award.notes[-1][1] == "below the minimum score 92, not awarded: T02, T03, T04"


def test_prizes_go_consecutively_and_an_entry_gets_one_of_them():
    rules = [prize("first", count=2), prize("second", count=2), prize("third", count=2)]
    competition, result = standings_world(*TIED[:1], rules, tiebreaks=TIED[1])
    lists = allocate_awards(competition, result)
    # first: T01, T02; second: T03, T04 (sharing place 3); third: T05, T06
    assert winners(lists) == {"first": teams([1, 2]), "second": teams([3, 4]), "third": teams([5, 6])}


def test_a_shared_place_at_the_first_boundary_moves_the_next_prize_down():
    rules = [prize("first", count=3), prize("second", count=2)]
    competition, result = standings_world(*TIED[:1], rules, tiebreaks=TIED[1])
    # first: T01, T02 and both of place 3 (T03, T04); second: the next two left, T05 and T06
    assert winners(allocate_awards(competition, result)) == {"first": teams([1, 2, 3, 4]), "second": teams([5, 6])}


def test_entries_left_out_by_all_out_can_get_the_next_prize():
    rules = [prize("first", count=3, ties="all_out"), prize("second", count=3)]
    competition, result = standings_world(*TIED[:1], rules, tiebreaks=TIED[1])
    assert winners(allocate_awards(competition, result)) == {"first": teams([1, 2]), "second": teams([3, 4, 5])}


def test_recipients_carry_names_units_and_members():
    competition, result = standings_world([90, 80], [prize("p", count=1)])
    [r] = allocate_awards(competition, result)[0].recipients
    assert (r.entry, r.name, r.name_en, r.unit, r.unit_name, r.unit_name_en) == (
        "T01", "T01队", "Team T01", "U2", "乙", "Beta",
    )  # fmt: skip
    assert r.contestants == ("T01甲", "T01乙") and (r.place, r.score, r.award) == (1, D(90), "p")


# -- titles, event bases and unit prizes on the small world (tests/unit/small_world.py) --------

TITLES = """
[[awards]]
key = "expert"
title = { zh = "技术能手", en = "Technical expert" }
kind = "title"
scope = "individual"
basis = "theory"
count = 2
eligible_roles = ["team_leader"]

[[awards]]
key = "theory_best"
title = "理论优秀"
kind = "title"
scope = "individual"
basis = "theory"
count = 3

[[awards]]
key = "team_first"
title = "团体一等奖"
scope = "team"
count = 1

[[awards]]
key = "team_theory"
title = "团体理论奖"
kind = "title"
scope = "team"
basis = "theory"
count = 1

[[awards]]
key = "drill_stars"
title = "实操之星"
kind = "title"
scope = "individual"
basis = "drill"
count = 1

[[awards]]
key = "best_unit"
title = "最佳单位"
scope = "unit"
count = 1
"""


def test_titles_on_the_event_basis_with_eligible_roles(tmp_path):
    result = small_result(tmp_path, TITLES)
    lists = {a.rule.key: a for a in allocate_awards(result.competition, result)}
    # theory leaders: c1 100, a1 90, b1 80, e1 65, d1 60
    assert [(r.entry, r.name, r.place, r.score) for r in lists["expert"].recipients] == [
        ("c1", "陈一", 1, D(100)),
        ("a1", "安一", 2, D(90)),
    ]
    # everyone: c1 100, a1 90, then b1 and b2 share place 3 with 80
    assert [r.entry for r in lists["theory_best"].recipients] == ["c1", "a1", "b1", "b2"]
    # titles are lists of their own: A (a1's team) still gets the team prize
    assert [r.entry for r in lists["team_first"].recipients] == ["A"]


def test_team_award_on_an_individual_event_uses_the_team_aggregate(tmp_path):
    result = small_result(tmp_path, TITLES)
    lists = {a.rule.key: a for a in allocate_awards(result.competition, result)}
    # team means: A 80, B 80 share place 1; C 75, E 65.5, D 60
    assert [(r.entry, r.place, r.shared) for r in lists["team_theory"].recipients] == [("A", 1, True), ("B", 1, True)]
    assert "a team's Theory score is the mean of its members' scores" in [en for _, en in lists["team_theory"].notes]


def test_individual_award_on_a_team_event_gives_members_their_teams_place(tmp_path):
    result = small_result(tmp_path, TITLES)
    award = {a.rule.key: a for a in allocate_awards(result.competition, result)}["drill_stars"]
    # drill: A 90 first; both members hold place 1 with the team's score
    assert [(r.entry, r.place, r.score, r.unit) for r in award.recipients] == [
        ("a1", 1, D(90), "U1"),
        ("a2", 1, D(90), "U1"),
    ]
    assert award.notes[0][1] == "Drill is a team event: each member has their team's place and score"


def test_unit_prize_follows_the_unit_standings(tmp_path):
    result = small_result(tmp_path, TITLES)
    award = {a.rule.key: a for a in allocate_awards(result.competition, result)}["best_unit"]
    # mean of teams: U2 78, U1 (86 + 74 + 68.8) / 3 = 76.27, U3 54
    [r] = award.recipients
    assert (r.entry, r.name, r.name_en, r.unit, r.score, r.place) == ("U2", "乙公司", "Beta", "", D(78), 1)


# -- organisation awards -----------------------------------------------------------------------

ORGANISATION = AwardRule(
    key="org", title={"zh": "优秀组织奖", "en": "Organisation award"}, kind="organisation", scope="unit",
    basis="overall", count=1,
)  # fmt: skip


def test_organisation_award_goes_to_the_units_decided():
    competition, result = standings_world([90], [prize("p", count=1), ORGANISATION])
    decision = OrganisationDecision("org", "U2", "组织有力", decided_by="organiser")
    award = allocate_awards(competition, result, [decision])[1]
    [r] = award.recipients
    assert (r.entry, r.name, r.place, r.score, r.reason) == ("U2", "乙", None, None, "组织有力")
    assert award.places == 1


def test_organisation_decisions_are_refused_with_every_problem():
    competition, result = standings_world([90], [prize("p", count=1), ORGANISATION])
    decisions = [
        OrganisationDecision("org", "U1", "a"),
        OrganisationDecision("org", "U2", "b"),  # a second unit for count = 1
        OrganisationDecision("org", "U9", "c"),  # no such unit
        OrganisationDecision("nope", "U1", "d"),  # no such award
        OrganisationDecision("p", "U1", "e"),  # a prize is not decided
    ]
    with pytest.raises(InvalidInput) as info:
        allocate_awards(competition, result, decisions)
    found = {(p.path, p.en) for p in info.value.problems}
    assert found == {
        ("decisions[2].unit", "unknown unit 'U9'"),
        ("decisions[3].award", "no award 'nope'; organisation awards: org"),
        ("decisions[4].award", "award 'p' is a prize given by the standings, not by the organiser's decision"),
        ("decisions", "award 'org' goes to at most 1 units; 2 decided"),
    }
    assert all(p.zh for p in info.value.problems)


def test_a_unit_decided_twice_is_refused():
    competition, result = standings_world([90], [ORGANISATION])
    twice = [OrganisationDecision("org", "U1", "a"), OrganisationDecision("org", "U1", "b")]
    with pytest.raises(InvalidInput, match="twice"):
        allocate_awards(competition, result, twice)


# -- the cement example ------------------------------------------------------------------------


def test_cement_example_gives_3_6_8_prizes_and_3_technical_experts():
    competition = load_competition(ROOT / "examples" / "cement" / "competition.toml")
    with tempfile.TemporaryDirectory() as folder:
        write_competition_marks(competition, Path(folder), seed=2025)
        result = score_competition(competition, Path(folder))
    lists = {a.rule.key: a for a in allocate_awards(competition, result)}
    # 28 teams, all ranked, scores all different in this draw: 2.8 -> 3, 5.6 -> 6, 8.4 -> 8
    assert len({s.score for s in result.standings}) == 28
    order = [s.entry for s in result.standings]
    assert [r.entry for r in lists["first"].recipients] == order[:3]
    assert [r.entry for r in lists["second"].recipients] == order[3:9]
    assert [r.entry for r in lists["third"].recipients] == order[9:17]
    # technical experts: the three best theory papers (this draw has no tie at the third)
    theory = sorted((s.score, s.entry) for s in result.events["theory"].scores if s.score is not None)[::-1]
    assert theory[2][0] > theory[3][0]
    experts = lists["technical_expert"].recipients
    assert {r.entry for r in experts} == {e for _, e in theory[:3]} and len(experts) == 3
    assert all(len(r.contestants) == 1 and r.unit_name for r in experts)
    assert lists["organisation"].recipients == []
