"""Planning a stack of typed-in paper sheets: rows grouped into sheets, every problem with its row."""

from __future__ import annotations

from judges.transcription import plan_transcription
from tests.helpers import library, marks_frame

RUBRIC = library("hose_coupling_judge_timed.toml")
FULL = {
    "inspect_hose": "1",
    "couple_firm": "1",
    "technique": "8",
    "lane_offset": "12",
    "time": "0:31.5",
    "kink": "0",
}
CODES = {"K07": "t01", "K02": "t02"}  # a blind round: the printed sheets carry codes


def rows(entry: str, judge: str, marks: dict[str, str], attempt: str = "") -> list[tuple]:
    return [(entry, attempt, judge, key, value) for key, value in marks.items()]


def test_sheets_are_grouped_by_code_and_judge_and_mapped_to_entries():
    frame = marks_frame(rows("K07", "j1", FULL) + rows("K02", "j1", FULL) + rows("K07", "j2", FULL))
    sheets, problems = plan_transcription(frame, RUBRIC, CODES, ["j1", "j2"], "paper.csv")
    assert problems == []
    assert [(s.shown, s.entry, s.judge) for s in sheets] == [
        ("K07", "t01", "j1"),
        ("K02", "t02", "j1"),
        ("K07", "t01", "j2"),
    ]
    assert sheets[0].marks == FULL and sheets[0].rows["inspect_hose"] == 2


def test_every_problem_names_its_row_and_nothing_is_planned_silently():
    body = rows("K07", "j1", FULL)  # rows 2-7
    body += rows("t01", "j1", {"technique": "8"})  # row 8: a key where codes are printed
    body += rows("K02", "", {"time": "31"})  # row 9: an official's value
    body += rows("K02", "j1", FULL | {"technique": "10.3"}, attempt="2")  # rows 10-15: a second attempt
    body += rows("K07", "j1", {"kink": "1"})  # row 16: repeats row 7
    body += rows("K07", "j2", {k: v for k, v in FULL.items() if k != "time"} | {"technique": "10.3"})  # rows 17-21
    _, problems = plan_transcription(marks_frame(body), RUBRIC, CODES, ["j1", "j2"], "paper.csv")
    found = {(p.row, p.path) for p in problems}
    assert (8, "entry") in found and (9, "judge") in found and (10, "attempt") in found
    assert (16, "criterion") in found
    assert (19, "value") in found  # 10.3 is not on the 0.5 step (nor under 10)
    assert any(p.row == 17 and "time" in p.en and "not marked" in p.en for p in problems)
    assert all(p.file == "paper.csv" for p in problems)


def test_an_empty_file_is_a_problem():
    _, problems = plan_transcription(marks_frame([]), RUBRIC, CODES, ["j1"], "empty.csv")
    assert [p.en for p in problems] == ["the file holds no marks"]
