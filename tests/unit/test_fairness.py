"""Fairness of a panel: worked by hand on a small trimmed panel, then run on demo marks."""

from pathlib import Path

import pytest

from results.fairness import (
    COLUMN_LABELS,
    FairnessReport,
    agreement_frame,
    assess_round,
    decisive_marks_frame,
    judges_frame,
)
from scoring.competition import load_competition
from scoring.events.practical import PracticalEvent
from server.demo_marks import write_competition_marks
from tests.helpers import ROOT, marks_frame, rubric_from

TRIMMED = """
key = "drill"
title = "Drill"
panel = { rule = "trimmed", drop_high = 1, drop_low = 1 }

[[criteria]]
key = "a"
title = "A"
kind = "scale"
max = 10
step = 0.5
"""

# Four judges, one criterion; the trimmed rule drops the highest and lowest mark and takes the
# mean of the two kept (with three judges: the median).
#        J1   J2   J3   J4      kept (mean)         score
#   E1   8    9    7    5       J3 7, J1 8  (7.5)    7.5   J2 high, J4 low dropped
#   E2   7.5  9.5  6    10      J1 7.5, J2 9.5 (8.5) 8.5   J3 low, J4 high dropped
#   E3   5    4    5.5  3       J2 4, J1 5 (4.5)     4.5   J4 low, J3 high dropped
MARKS = {
    "E1": ["8", "9", "7", "5"],
    "E2": ["7.5", "9.5", "6", "10"],
    "E3": ["5", "4", "5.5", "3"],
}


def table(marks: dict[str, list[str]]):
    return marks_frame([(e, "", f"J{k + 1}", "a", m) for e, row in marks.items() for k, m in enumerate(row)])


def report() -> FairnessReport:
    return assess_round(PracticalEvent(rubric_from(TRIMMED)), table(MARKS), event="drill")


def test_deviations_from_the_kept_marks_and_dropped_shares():
    # Deviations from the mean of the kept marks:
    #   J1: +0.5, -1, +0.5      J2: +1.5, +1, -0.5
    #   J3: -0.5, -2.5, +1      J4: -2.5, +1.5, -1.5
    by_judge = {j.judge: j for j in report().judges}
    assert list(by_judge) == ["J1", "J2", "J3", "J4"]
    assert all(j.marks == 3 for j in by_judge.values())
    assert by_judge["J1"].mean_deviation == pytest.approx(0.0)
    assert by_judge["J2"].mean_deviation == pytest.approx(2 / 3)
    assert by_judge["J3"].mean_deviation == pytest.approx(-2 / 3)
    assert by_judge["J4"].mean_deviation == pytest.approx(-5 / 6)
    # J4: deviations from their mean -5/6 are -5/3, 7/3, -2/3: squares sum 78/9; / (3 - 1)
    assert by_judge["J4"].deviation_spread == pytest.approx((78 / 9 / 2) ** 0.5)
    # J1: 0.5, -1, 0.5 around 0: squares 1.5, / 2 = 0.75
    assert by_judge["J1"].deviation_spread == pytest.approx(0.75**0.5)
    assert [by_judge[j].dropped for j in ("J1", "J2", "J3", "J4")] == [0, 1, 2, 3]
    assert [by_judge[j].dropped_share for j in ("J1", "J2", "J3", "J4")] == pytest.approx([0, 1 / 3, 2 / 3, 1])


def test_kendalls_w_and_icc_worked_by_hand():
    # Each judge ranks the entries (1 lowest): J1 E1 3, E2 2, E3 1; J2 2, 3, 1; J3 3, 2, 1;
    # J4 2, 3, 1. Rank sums 10, 10, 4 around a mean of 8: S = 4 + 4 + 16 = 24;
    # W = 12 S / (m^2 (n^3 - n)) = 288 / (16 x 24) = 0.75, and chi2 = m (n - 1) W = 6.
    a = report().agreement
    assert (a.judges, a.entries) == (4, 3)
    assert a.kendall_w == pytest.approx(0.75)
    assert a.friedman_chi2 == pytest.approx(6.0)
    # One-way ANOVA over entries: means 7.25, 8.25, 4.375 (grand 6.625): MSB = 32.375 / 2;
    # within: 8.75 + 10.25 + 3.6875 = 22.6875 over 9 degrees of freedom.
    msb, msw = 32.375 / 2, 22.6875 / 9
    assert a.icc == pytest.approx((msb - msw) / (msb + 3 * msw))
    assert a.icc == pytest.approx(123 / 213.75)


def test_only_the_judge_whose_marks_decide_a_place_moves_it():
    # Without J4 each entry's score is the median of J1..J3: E1 8, E2 7.5, E3 5, so E1 and E2
    # swap. Without J1: 7, 9.5, 4; without J2: 7, 7.5, 5; without J3: 8, 9.5, 4: no change.
    without = {w.judge: w for w in report().without_judge}
    assert all(w.computed for w in without.values())
    assert {(c.entry, c.old_place, c.new_place) for c in without["J4"].changes} == {("E1", 2, 1), ("E2", 1, 2)}
    assert without["J1"].changes == without["J2"].changes == without["J3"].changes == []


def test_a_judge_the_rubric_cannot_do_without_is_reported_not_raised():
    three = {e: row[:3] for e, row in MARKS.items()}
    result = assess_round(PracticalEvent(rubric_from(TRIMMED)), table(three))
    assert [w.judge for w in result.without_judge] == ["J1", "J2", "J3"]
    assert not any(w.computed for w in result.without_judge)
    assert "2 marks are too few to drop" in result.without_judge[0].reason["en"]
    assert result.without_judge[0].reason["zh"]
    frame = decisive_marks_frame(result)
    assert list(frame["computed"]) == [False, False, False]
    assert "too few" in frame["note"][0]


def test_frames_round_for_display_and_every_column_has_labels():
    r = report()
    judges = judges_frame(r)
    assert list(judges["judge"]) == ["J1", "J2", "J3", "J4"]
    assert list(judges["mean_deviation"]) == [0.0, 0.667, -0.667, -0.833]
    assert list(judges["dropped_share"]) == [0.0, 0.333, 0.667, 1.0]
    agreement = agreement_frame(r)
    assert agreement.loc[0, "kendall_w"] == 0.75 and agreement.loc[0, "icc"] == 0.575
    decisive = decisive_marks_frame(r)
    assert decisive[["judge", "entry", "old_place", "new_place"]].values.tolist() == [
        ["J4", "E2", 1, 2],  # in the order of the places before
        ["J4", "E1", 2, 1],
    ]
    for frame in (judges, agreement, decisive):
        for column in frame.columns:
            assert COLUMN_LABELS[column]["zh"] and COLUMN_LABELS[column]["en"]


def test_too_few_entries_for_agreement_says_why():
    two = {e: MARKS[e] for e in ("E1", "E2")}
    a = assess_round(PracticalEvent(rubric_from(TRIMMED)), table(two)).agreement
    assert a.kendall_w is None and a.icc is None and "3 or more entries" in a.note["en"]


def test_demo_marks_of_a_panel_on_totals(tmp_path: Path):
    competition = load_competition(ROOT / "examples" / "power_safety" / "competition.toml")
    write_competition_marks(competition, tmp_path)
    event = competition.event("presentation")
    bound = event.bound
    marks = bound.read_table(tmp_path / "presentation.csv")
    r = assess_round(bound, marks, competition.entries_for(event), source="presentation.csv", event=event.key)
    teams = len(competition.teams)
    assert r.event == "presentation" and len(r.judges) >= 3
    # panel_on = "total" with one attempt: one total per judge per team, and the trimmed rule
    # drops two totals per team in all
    assert all(j.marks == teams for j in r.judges)
    assert sum(j.dropped for j in r.judges) == 2 * teams
    assert r.agreement.entries == teams and 0 < r.agreement.kendall_w <= 1
    assert len(r.without_judge) == len(r.judges)
