"""Individual, team and unit standings beside the competition's own (results/groups.py).

Every expected score is worked out by hand in tests/unit/small_world.py.
"""

from decimal import Decimal as D

import pytest

from results.groups import individual_standings, team_standings, unit_standings
from scoring.competition import load_competition
from scoring.problems import InvalidInput
from tests.unit.small_world import small_result, write_world


def ranked(standings):
    return [(s.entry, s.place_label, s.score) for s in standings]


def test_team_standings_are_the_competitions_own_in_a_team_ranking(tmp_path):
    result = small_result(tmp_path)
    assert team_standings(result) is result
    assert ranked(result.standings) == [
        ("A", "1", D(86)),
        ("C", "2", D(78)),
        ("B", "3", D(74)),
        ("E", "4", D("68.8")),
        ("D", "5", D(54)),
    ]


def test_individual_standings_count_the_team_event_for_each_member(tmp_path):
    individuals = individual_standings(small_result(tmp_path))
    assert ranked(individuals.standings) == [
        ("a1", "1", D(90)),
        ("c1", "2", D(88)),
        ("a2", "3", D(82)),
        ("b1", "=4", D(74)),
        ("b2", "=4", D(74)),
        ("e2", "6", D(69)),
        ("e1", "7", D("68.6")),
        ("c2", "8", D(68)),
        ("d1", "=9", D(54)),
        ("d2", "=9", D(54)),
    ]
    assert individuals.event_scores["drill"]["e1"] == D(71)  # the team's drill, counted for the member
    assert str(individuals.overall["e2"]) == "69.00"  # rounded like the competition's overall


def test_unit_standings_by_the_mean_of_teams_rounded_like_the_overall(tmp_path):
    units = unit_standings(small_result(tmp_path))
    # U1: (86 + 74 + 68.8) / 3 = 76.2666... -> 76.27; U2: 78; U3: 54
    assert ranked(units.standings) == [("U2", "1", D(78)), ("U1", "2", D("76.27")), ("U3", "3", D(54))]
    assert units.counted["U1"] == ("A", "B", "E")
    assert units.method == "mean"


def test_unit_standings_by_the_sum_of_the_best_two(tmp_path):
    units = unit_standings(small_result(tmp_path, '[unit_ranking]\nmethod = "best"\nbest = 2\n'))
    # U1: 86 + 74 = 160 (E's 68.8 left out); U2 has one team: 78; U3: 54
    assert ranked(units.standings) == [("U1", "1", D(160)), ("U2", "2", D(78)), ("U3", "3", D(54))]
    assert units.counted["U1"] == ("A", "B")
    assert any("U2: only 1 entries" in en for _, en in units.notes)


def test_unit_standings_by_the_best_team_alone(tmp_path):
    units = unit_standings(small_result(tmp_path, '[unit_ranking]\nmethod = "best"\nbest = 1\n'))
    # best one each: U1 86 (A), U2 78 (C), U3 54 (D)
    assert ranked(units.standings) == [("U1", "1", D(86)), ("U2", "2", D(78)), ("U3", "3", D(54))]


@pytest.mark.parametrize(
    "table, path, words",
    [
        ('[unit_ranking]\nmethod = "best"\n', "unit_ranking.best", 'method = "best" needs best'),
        ('[unit_ranking]\nmethod = "mean"\nbest = 2\n', "unit_ranking.best", "best applies only"),
        ('[unit_ranking]\nmethod = "median"\n', "unit_ranking.method", "'median' is not valid"),
        ('[unit_ranking]\nmethod = "best"\nbest = 0\n', "unit_ranking.best", "at least 1"),
        ('[unit_ranking]\nmethod = "best"\nbest = 2\nbset = 3\n', "unit_ranking.bset", "unknown field"),
    ],
)
def test_unit_ranking_table_is_checked(tmp_path, table, path, words):
    with pytest.raises(InvalidInput) as info:
        load_competition(write_world(tmp_path, table))
    assert any(p.path == path and words in p.en and p.zh for p in info.value.problems), info.value.summary()
