"""Each rubric of the library against an example worked out by hand (the working is in comments)."""

from decimal import Decimal as D

from scoring.rules_file import bind_rules_file
from tests.helpers import RUBRICS, library, panel, score, scores


def dive(entry, attempt, awards, dd, penalty=None):
    rows = panel(entry, "award", awards, attempt=attempt) + [(entry, attempt, "", "dd", dd)]
    return rows + ([(entry, attempt, "", "penalty", penalty)] if penalty is not None else [])


def test_individual_diving_drops_two_each_end_sums_three_times_dd():
    r = library("diving_individual.toml")
    # 7.0 7.5 | 8.0 8.0 8.5 | 8.5 9.0 -> 24.5 x 3.0 = 73.50 for each of five dives
    rows = [row for a in "12345" for row in dive("A", a, [7, 7.5, 8, 8, 8.5, 8.5, 9], "3.0")]
    assert scores(r, rows) == {"A": D("367.50")}


def test_individual_diving_referee_penalty_comes_off_every_award():
    r = library("diving_individual.toml")
    # awards 6 6.5 6.5 7 7 7 10, penalty 2: 4 4.5 | 4.5 5 5 | 5 8 -> 14.5 x 3.2 = 46.40
    rows = dive("B", "1", [6, 6.5, 6.5, 7, 7, 7, 10], "3.2", "2")
    rows += [row for a in "2345" for row in dive("B", a, [0, 0, 0.5, 1, 1, 1.5, 2], "2.0", "2")]
    result = score(r, rows)
    assert result.results[0].attempts[1] == D("46.40")
    # 0 0 0.5 1 1 1.5 2 less 2 (never below 0): 0 0 0 0 0 0 0 -> 0.00
    assert result.results[0].attempts[2] == D("0.00")
    assert result.results[0].score == D("46.40")


def test_synchronised_diving_trims_within_each_group():
    r = library("diving_synchronised.toml")
    # execution 7.0 7.5 8.0 6.5 -> drop 6.5 and 8.0 -> 14.5
    # synchronisation 8.0 8.5 8.5 9.0 7.5 -> drop 7.5 and 9.0 -> 25.0
    # (14.5 + 25.0) x 3.4 x 0.6 = 80.58
    rows = []
    for a in "12345":
        rows += panel("P", "execution", [7, 7.5, 8, 6.5], attempt=a, prefix="E")
        rows += panel("P", "synchronisation", [8, 8.5, 8.5, 9, 7.5], attempt=a, prefix="S")
        rows += [("P", a, "", "dd", "3.4")]
    result = score(r, rows)
    assert result.results[0].attempts[1] == D("80.58")
    assert result.results[0].score == D("402.90")


def test_figure_skating_components_round_twice():
    r = library("figure_skating_pcs.toml")
    # composition: drop 7.25 and 9.00; 54.75 / 7 = 7.8214... -> 7.82; x 1.67 = 13.0594 -> 13.06
    # presentation: drop 7.00 and 8.00; 52.50 / 7 = 7.50; x 1.67 = 12.525 -> 12.53 (half up)
    # skating skills: all 8.00 -> 8.00; x 1.67 = 13.36
    rows = panel("S", "composition", [7.25, 7.5, 7.5, 7.75, 7.75, 8, 8, 8.25, 9])
    rows += panel("S", "presentation", [7, 7.25, 7.25, 7.5, 7.5, 7.5, 7.75, 7.75, 8])
    rows += panel("S", "skating_skills", [8] * 9)
    assert scores(r, rows) == {"S": D("38.95")}
    # the free skate factor 3.33 given by the officials: 7.82 x 3.33 = 26.0406 -> 26.04;
    # 7.50 x 3.33 = 24.975 -> 24.98; 8.00 x 3.33 = 26.64; total 77.66
    assert scores(r, rows + [("S", "", "", "factor", "3.33")]) == {"S": D("77.66")}


def extinguisher_rows(entry, endanger=()):
    rows = []
    for c, marks in {
        "check_gauge": [1, 1, 1],
        "shake": [1, 1, 0],
        "pull_pin": [1, 1, 1],
        "upwind": [1, 1, 1],
        "aim_base": [1, 1, 1],
        "confirm_out": [0, 0, 0],
        "unsafe_act": [1, 2, 0],
    }.items():
        rows += panel(entry, c, marks)
    rows += [(entry, "", "", "time", "28.4")] + panel(entry, "endanger", list(endanger))
    return rows


def test_dry_powder_extinguisher():
    r = library("dry_powder_extinguisher.toml")
    # procedure: 10 + (10 + 10 + 0) / 3 + 10 + 10 + 10 + 0 = 46.666...
    # time 28.4 s: above 20 up to 30 -> 25
    # safety: 10 + mean(-2, -4, 0) = 8
    # 46.666... + 25 + 8 = 79.666... -> 79.67
    assert scores(r, extinguisher_rows("T1")) == {"T1": D("79.67")}


def test_dry_powder_extinguisher_veto_needs_a_majority():
    r = library("dry_powder_extinguisher.toml")
    assert scores(r, extinguisher_rows("T1", endanger=[1, 1]))["T1"] == D("0.00")
    assert scores(r, extinguisher_rows("T1", endanger=[1]))["T1"] == D("79.67")


def hydrant_rows(entry, burst=()):
    rows = []
    for c, marks in {
        "open_cabinet": [1] * 5,
        "lay_hose": [12, 13, 14, 15, 10],
        "couple": [1] * 5,
        "open_valve": [1, 1, 1, 0, 0],
        "hit_target": [20, 18, 18, 16, 20],
        "unsafe": [0, 0, 1, 0, 0],
        "no_reset": [1] * 5,
    }.items():
        rows += panel(entry, c, marks)
    return rows + [(entry, "", "", "time", "45")] + panel(entry, "hose_burst", list(burst))


def test_fire_hydrant_and_its_section_veto():
    r = library("fire_hydrant.toml")
    # hose: 10 + mid(12 13 14) 13 + 15 = 38
    # water: open_valve 0 0 |10| 10 10 -> keep 0 10 10 = 6.666...; hit_target 16 |18 18 20| 20 = 18.666...;
    #        time 45 s -> 6; water = 31.333...
    # safety: 20 + unsafe (drop -5, keep 0 0 0) 0 + no_reset -5 = 15
    # 38 + 31.333... + 15 = 84.333... -> 84.33; with the hose section vetoed: 46.33
    assert scores(r, hydrant_rows("H")) == {"H": D("84.33")}
    assert scores(r, hydrant_rows("H", burst=[1, 1, 1])) == {"H": D("46.33")}
    explanation = score(r, hydrant_rows("H", burst=[1, 1, 1]))
    sections = dict(
        zip(explanation.trace.sections, [v[1][0] for v in explanation.trace.sections.values()], strict=True)
    )
    assert sections["hose"] == 0 and sections["safety"] == 15


def test_breathing_apparatus_timed_lowest_total_wins():
    r = library("breathing_apparatus_timed.toml")
    rows = [("A", "1", "", "time", "62.5"), ("A", "2", "", "time", "58.0")]
    rows += panel("A", "fault", [1, 2, 1], attempt="1") + panel("A", "missed_step", [0, 0, 1], attempt="1")
    rows += panel("A", "fault", [0, 0, 0], attempt="2") + panel("A", "missed_step", [1, 1, 1], attempt="2")
    # A1: 62.5 + median(5, 10, 5) 5 + median(0, 0, 10) 0 = 67.5; A2: 58.0 + 0 + 10 = 68.0 -> best 67.50
    rows += [("B", "1", "", "time", "50"), ("B", "2", "", "time", "70")] + panel("B", "mask_off", [1, 1], attempt="1")
    rows += panel("B", "fault", [0, 0, 0], attempt="1") + panel("B", "fault", [0, 0, 0], attempt="2")
    # B1 is disqualified (mask off, 2 of 3 judges); B2: 70 + 0 (missing counts 0) = 70.00
    rows += [("C", a, "", "time", "40") for a in "12"] + panel("C", "mask_off", [1, 1, 1], attempt="1")
    rows += panel("C", "mask_off", [1, 1, 1], attempt="2") + panel("C", "fault", [0, 0, 0], attempt="1")
    result = {r.entry: r for r in score(r, rows).results}
    assert result["A"].score == D("67.50")
    assert result["B"].score == D("70.00") and result["B"].attempts[1] is None
    assert result["C"].disqualified and result["C"].score is None


def test_worldskills_measurement_and_judgement():
    r = library("worldskills_mix.toml")
    rows = [("W", "", "", "length", "120.1"), ("W", "", "", "angle", "91"), ("W", "", "", "flatness", "0.08")]
    rows += panel("W", "finish", [2, 3, 2]) + panel("W", "workmanship", [3, 3, 2])
    # length 4; angle outside 89.5-90.5 -> 0; flatness 3 - 0.03 x 30 = 2.10
    # finish: mean(2, 3, 2) / 3 x 2.5 = 1.944... -> 1.94; workmanship: 8/3/3 x 3.5 = 3.111... -> 3.11
    # 4 + 0 + 2.10 + 1.94 + 3.11 = 11.15
    result = score(r, rows)
    assert result.results[0].score == D("11.15")
    assert result.flags == []
    rows = rows[:3] + panel("W", "finish", [1, 3, 2]) + panel("W", "workmanship", [3, 3, 2])
    [flag] = score(r, rows).flags  # the judges' own marks 1 and 3 are two apart
    assert flag.criterion == "finish" and flag.marks == {"J1": D(1), "J2": D(3), "J3": D(2)}


def test_safety_culture_presentation_trims_judges_totals():
    r = library("safety_culture_presentation.toml")
    marks = {
        "effect": [25, 27, 20, 26, 24],
        "innovation": [24, 26, 20, 25, 25],
        "adoption": [16, 18, 14, 17, 16],
        "answers": [17, 18, 15, 18.5, 16],
    }
    rows = [row for c, m in marks.items() for row in panel("P1", c, m)]
    # totals 82, 89, 69, 86.5, 81 -> drop 89 and 69 -> (82 + 86.5 + 81) / 3 = 83.1666... -> 83.17
    result = score(r, rows)
    assert result.results[0].score == D("83.17")
    [flag] = result.flags
    assert flag.spread == D(20)


def test_cement_risk_identification_linear_count_and_median_deduction():
    r = library("cement/risk_identification.toml")
    rows = [("T", "", "", "hazards_found", "13")] + panel("T", "grading", [20, 22, 25, 21, 30])
    rows += panel("T", "controls", [18, 19, 20, 21, 22]) + panel("T", "major_downgraded", [1, 0, 0, 1, 1])
    # hazards 13 x 2 = 26.0; grading drop 20 and 30: (22 + 25 + 21) / 3 = 22.67; controls 20.00
    # deduction: median of (-5, 0, 0, -5, -5) = -5; 26.0 + 22.67 + 20.00 - 5 = 63.67
    assert scores(r, rows) == {"T": D("63.67")}


def test_judge_timed_hose_drill_maps_each_judges_stopwatch_time_then_averages():
    r = library("hose_coupling_judge_timed.toml")
    # procedure: inspect 5 + couple 10 + technique mean(8, 8.5, 9) = 8.5 + offset 8, 9, 10 cm -> 10 = 33.5
    # time: 28.5 s -> 20, 29.9 s -> 20, 31.2 s -> 15 (past 30 s): mean 18.333...
    # safety: base 10 less kinks 1, 0, 2 -> 2, 0, 4 points: mean 2 -> 8
    # total 33.5 + 18.333... + 8 = 59.8333... -> 59.83
    rows = panel("A", "inspect_hose", [1, 1, 1]) + panel("A", "couple_firm", [1, 1, 1])
    rows += panel("A", "technique", [8, 8.5, 9]) + panel("A", "lane_offset", [8, 9, 10])
    rows += panel("A", "time", ["28.5", "29.9", "0:31.2"]) + panel("A", "kink", [1, 0, 2])
    assert scores(r, rows) == {"A": D("59.83")}
    # a called veto of the event zeroes the attempt
    assert scores(r, [*rows, ("A", "", "J2", "coupling_off", "1")]) == {"A": D("0.00")}


def test_skills_showcase_deviation_window_from_its_example_marks():
    result = bind_rules_file(RUBRICS / "skills_showcase_window.toml").score_file(RUBRICS / "skills_showcase_window.csv")
    # P1 work 52 50 48 55 51 40 53: mean 349 / 7 = 49.857...; 55 (5.14 away) and 40 (9.86) are void:
    #    (52 + 50 + 48 + 51 + 53) / 5 = 50.80. Defence 32 30 31 35 29 33 30: mean 31.43; 35 is void
    #    (3.57 > 3): 185 / 6 = 30.833... -> 30.83. Total 81.63
    # P2 work 45 46 44 47 45.5 46 58: mean 47.36; 58 is void: 273.5 / 6 = 45.583... -> 45.58;
    #    defence 28 27 29 28 26 30 28: mean 28, all within 3: 28.00. Total 73.58
    # P3 work 50 52 51 45 49 50 53: mean 50; 45 is exactly 5 away and kept (edge = "keep"): 50.00;
    #    defence mean 30, all kept: 30.00. Total 80.00
    assert {s.entry: s.score for s in result.scores} == {"P1": D("81.63"), "P2": D("73.58"), "P3": D("80.00")}
    text = result.render(result.explain("P1"))
    assert "J4=55✗(more than 5 from the mean 49.8571…)" in text and "J6=40✗(more than 5 from the mean 49.8571…)" in text
