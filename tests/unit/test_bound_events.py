"""A bound event scores a table whatever its source: a file, a frame made in memory (as the
store makes one from its counted sheets), or a test's rows; the scores are the same."""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import pytest

from results.overall import EventMarks, score_event_marks, score_events
from scoring.competition import load_competition
from scoring.events import PRACTICAL, PRESENTATION, QUIZ, THEORY, DrawParams, NoParams
from scoring.events.quiz import QuizRules
from scoring.marks import MARK_COLUMNS, marks_table, read_marks_frame
from scoring.problems import InvalidInput
from scoring.rubrics.model import Rubric
from tests.helpers import ROOT, library, panel, rubric_from

CANDIDATES = ["1", "10", "0", "30", "5", "A", "B", "对", ""]


def valid_value(rubric: Rubric, key: str) -> str:
    criterion = rubric.criterion(key)
    assert criterion is not None
    return next(v for v in CANDIDATES if isinstance(criterion.kind.convert(v), D))


def rubric_rows(rubric: Rubric, entries: list[str], judges: list[str]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for number, entry in enumerate(entries):
        for attempt in range(1, rubric.attempts.count + 1):
            for c in rubric.criteria():
                if c.is_veto:
                    continue
                value = valid_value(rubric, c.key)
                for judge in [""] if c.official else judges:
                    # marks differ by entry so that the order means something
                    shifted = str(max(D(0), D(value) - number % 2)) if value.isdigit() and not c.official else value
                    if not isinstance(c.kind.convert(shifted), D):
                        shifted = value
                    rows.append((entry, str(attempt), judge, c.key, shifted))
    return rows


def write_csv(path: Path, header: list[str], rows: list[tuple]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def scores(result) -> dict[str, tuple]:
    return {s.entry: (s.score, s.disqualified, s.tiebreak) for s in result.scores}


def test_marks_table_is_what_a_marks_file_gives(tmp_path):
    rows = [("T1", "", "J1", "lay_hose", "12"), ("T1", 1, "", "time", None)]
    from_file = read_marks_frame(write_csv(tmp_path / "m.csv", MARK_COLUMNS, rows))
    table = marks_table(rows)
    assert list(table.columns) == list(from_file.columns) == [*MARK_COLUMNS, "row"]
    assert (
        table.to_dict("records")
        == from_file.to_dict("records")
        == [
            {"entry": "T1", "attempt": "", "judge": "J1", "criterion": "lay_hose", "value": "12", "row": 2},
            {"entry": "T1", "attempt": "1", "judge": "", "criterion": "time", "value": "", "row": 3},
        ]
    )
    with pytest.raises(ValueError):
        marks_table([("T1", "J1", "lay_hose", "12")])


def test_practical_marks_score_the_same_from_a_file_and_from_a_frame(tmp_path):
    rubric = library("fire_hydrant.toml")
    bound = PRACTICAL.bind(rubric, NoParams())
    rows = rubric_rows(rubric, ["T1", "T2", "T3"], [f"J{i}" for i in range(1, 6)])
    path = write_csv(tmp_path / "practical.csv", MARK_COLUMNS, rows)
    from_file = bound.score_file(path, entries={"T1", "T2", "T3"})
    from_frame = bound.score(marks_table(rows), entries={"T1", "T2", "T3"}, source="round 1")
    assert scores(from_file) == scores(from_frame) and len(set(scores(from_file).values())) > 1
    assert from_file.explain("T2") == from_frame.explain("T2")


def test_a_frame_with_a_bad_mark_names_its_source_and_row():
    bound = PRACTICAL.bind(library("fire_hydrant.toml"), NoParams())
    rows = [*panel("T1", "lay_hose", [10, 11, 12, 13, 99])]
    with pytest.raises(InvalidInput) as info:
        bound.score(marks_table(rows), source="round 1")
    [problem] = [p for p in info.value.problems if "lay_hose" in p.en]
    assert (problem.file, problem.row) == ("round 1", 6)


PAPER = """
key = "paper"
title = "Paper"
[[criteria]]
key = "q1"
title = "Q1"
kind = "answer_key"
type = "single"
answer = "B"
points = 2
[[criteria]]
key = "q2"
title = "Q2"
kind = "answer_key"
type = "true_false"
answer = true
points = 1
"""


def test_theory_answers_score_the_same_from_files_and_from_frames(tmp_path):
    bound = THEORY.bind(rubric_from(PAPER), NoParams())
    long_rows = [("c1", "", "", "q1", "B"), ("c1", "", "", "q2", "对"), ("c2", "", "", "q1", "C")]
    long_file = bound.score_file(write_csv(tmp_path / "long.csv", MARK_COLUMNS, long_rows), entries={"c1", "c2"})
    long_frame = bound.score(marks_table(long_rows), entries={"c1", "c2"})
    wide = pd.DataFrame([("c1", "B", "对"), ("c2", "C", "")], columns=["entry", "q1", "q2"])
    wide_file = bound.score_file(
        write_csv(tmp_path / "wide.csv", list(wide.columns), list(wide.itertuples(index=False)))
    )
    wide_frame = bound.score(wide)
    assert scores(long_file) == scores(long_frame) == scores(wide_file) == scores(wide_frame)
    assert scores(wide_frame) == {"c1": (D(3), False, None), "c2": (D(0), False, None)}


def test_a_quiz_log_scores_the_same_from_a_file_and_from_a_frame(tmp_path):
    bound = QUIZ.bind(QuizRules(), NoParams())
    log = [("T1", "必答", "对", ""), ("T2", "风险", "错", "20"), ("T2", "加赛", "对", "")]
    header = ["team", "type", "outcome", "stake"]
    from_file = bound.score_file(write_csv(tmp_path / "quiz.csv", header, log), entries={"T1", "T2"})
    from_frame = bound.score(pd.DataFrame(log, columns=header), entries={"T1", "T2"})
    assert scores(from_file) == scores(from_frame) == {"T1": (D(110), False, D(0)), "T2": (D(80), False, D(1))}


def test_a_presentation_is_bound_to_its_draw():
    rubric = library("safety_culture_presentation.toml")
    rows = rubric_rows(rubric, ["T1", "T2", "T3"], [f"J{i}" for i in range(1, 6)])
    drawn = PRESENTATION.bind(rubric, DrawParams(draw_seed=7)).score(marks_table(rows), entries={"T1", "T2", "T3"})
    assert sorted(drawn.details["order"]) == ["T1", "T2", "T3"] and drawn.details["draw_seed"] == 7
    assert "order" not in PRESENTATION.bind(rubric, DrawParams()).score(marks_table(rows)).details


def test_a_competition_scores_the_same_from_its_files_and_from_tables(tmp_path):
    competition = load_competition(ROOT / "examples" / "power_safety" / "competition.toml")
    judges = [j.key for j in competition.judges][:5]
    tables: dict[str, EventMarks] = {}
    for event in competition.events:
        entries = sorted(competition.entries_for(event))
        if event.rubric is None:
            header = ["team", "type", "outcome", "stake"]
            rows: list[tuple] = [(e, "必答", "对" if i % 2 else "错", "") for i, e in enumerate(entries)]
        else:
            header, rows = MARK_COLUMNS, rubric_rows(event.rubric, entries, judges)
        path = write_csv(tmp_path / f"{event.key}.csv", header, rows)
        tables[event.key] = EventMarks(pd.DataFrame(rows, columns=header), f"{event.key} round")
        assert event.bound is not None and scores(event.bound.score_file(path)) == scores(
            event.bound.score(tables[event.key].table)
        )
    from_files = score_events(competition, tmp_path)
    from_tables = score_event_marks(competition, tables)
    assert {k: scores(r) for k, r in from_files.items()} == {k: scores(r) for k, r in from_tables.items()}
    with pytest.raises(InvalidInput, match="no marks for event"):
        score_event_marks(competition, {})
