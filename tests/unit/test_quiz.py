"""Quiz rounds scored from a log of answers, and the live console's log read back (undo, questions)."""

from decimal import Decimal as D

import pandas as pd
import pytest

from scoring.events.quiz import QuizRules, score_log
from scoring.events.quiz_log import (
    LogRecord,
    board,
    check_question,
    counted_answers,
    next_in_turn,
    next_question,
    undo_target,
)
from scoring.problems import InvalidInput


def log(rows):
    frame = pd.DataFrame(rows, columns=["team", "type", "outcome", "stake"])
    frame["row"] = range(2, len(frame) + 2)
    return frame


def test_quiz_log_is_replayed_from_the_base():
    rows = [
        ("T1", "必答", "对", ""),
        ("T2", "compulsory", "wrong", ""),
        ("T1", "抢答", "抢跑", ""),
        ("T2", "buzzer", "right", ""),
        ("T1", "风险", "对", "30"),
        ("T2", "risk", "错", "20"),
        ("T2", "加赛", "对", ""),
        ("T1", "buzzer", "timeout", ""),
    ]
    result = score_log(QuizRules(), log(rows), "quiz.csv", teams={"T1", "T2", "T3"})
    # T1: 100 + 10 - 10 + 30 - 10 = 120; T2: 100 + 0 + 10 - 20 = 90 (one extra question right); T3: 100
    assert {s.entry: (s.score, s.tiebreak) for s in result.scores} == {
        "T1": (D(120), D(0)),
        "T2": (D(90), D(1)),
        "T3": (D(100), D(0)),
    }
    explained = result.explain("T1")
    assert [a["running"] for a in explained["answers"]] == ["110", "100", "130", "120"]


def test_bad_log_rows_are_all_reported():
    rows = [
        ("T9", "必答", "对", ""),
        ("T1", "必答", "抢跑", ""),
        ("T1", "风险", "对", "25"),
        ("T1", "guess", "对", ""),
        ("T1", "buzzer", "maybe", ""),
    ]
    with pytest.raises(InvalidInput) as info:
        score_log(QuizRules(), log(rows), "quiz.csv", teams={"T1"})
    rows_at_fault = {p.row for p in info.value.problems}
    assert rows_at_fault == {2, 3, 4, 5, 6}
    assert any("choose one of: 10, 20, 30" in p.en for p in info.value.problems)


# the live console's log: questions, ends and undos beside answers (scoring/events/quiz_log.py)


def console_log():
    """Question 1 compulsory for T1 (right), question 2 buzzer (T2 early, undone; T2 right), an
    undo of that undo's neighbour, question 3 risk 20 for T3 (wrong)."""
    return [
        LogRecord(1, "question", outcome="compulsory", team="T1", number=1),
        LogRecord(2, "compulsory", "T1", "right"),
        LogRecord(3, "question", outcome="buzzer", number=2),
        LogRecord(4, "buzzer", "T2", "early"),
        LogRecord(5, "undo", "T2", voids=4),
        LogRecord(6, "buzzer", "T2", "right"),
        LogRecord(7, "question", outcome="risk", team="T3", stake="20", number=3),
        LogRecord(8, "risk", "T3", "wrong", "20"),
    ]


def test_the_quiz_board_replays_what_stands_and_skips_what_is_voided():
    shown = board(console_log(), QuizRules(), {"T1", "T2", "T3"})
    # T1: 100 + 10 = 110; T2: 100 + 10 (its early buzz, -10, was undone) = 110; T3: 100 - 20 = 80
    assert shown == {
        "teams": [{"team": "T1", "score": "110"}, {"team": "T2", "score": "110"}, {"team": "T3", "score": "80"}],
        "question": {"type": "risk", "value": "20", "number": 3, "team": "T3"},
        "last": {"team": "T3", "type": "risk", "outcome": "wrong", "stake": "20", "points": "-20"},
        "level": [["T1", "T2"]],
    }


def test_undo_voids_the_newest_standing_record_each_time():
    log = console_log()
    assert getattr(undo_target(log), "seq", None) == 8
    log.append(LogRecord(9, "undo", "T3", voids=8))
    assert getattr(undo_target(log), "seq", None) == 7  # then the risk question itself
    log.append(LogRecord(10, "undo", voids=7))
    assert getattr(undo_target(log), "seq", None) == 6
    shown = board(log, QuizRules(), {"T1", "T2", "T3"})
    # the risk answer voided: T3 back to 100; the question before it (buzzer, 2) is current again
    assert shown["teams"][2] == {"team": "T3", "score": "100"}
    assert shown["question"] == {"type": "buzzer", "value": "10", "number": 2, "team": None}
    assert shown["last"] == {"team": "T2", "type": "buzzer", "outcome": "right", "stake": None, "points": "10"}
    assert [r.seq for r in counted_answers(log)] == [2, 6]


def test_an_end_clears_the_question_and_extra_answers_break_the_tie():
    log = [*console_log(), LogRecord(9, "end")]
    assert board(log, QuizRules(), {"T1", "T2", "T3"})["question"] is None
    log += [LogRecord(10, "question", outcome="加赛", number=4), LogRecord(11, "加赛", "T2", "对")]
    shown = board(log, QuizRules(), {"T1", "T2", "T3"})
    # the extra question adds nothing to the score, and T2's right answer separates it from T1
    assert shown["question"] == {"type": "extra", "value": "0", "number": 4, "team": None}
    assert shown["teams"][0:2] == [{"team": "T1", "score": "110"}, {"team": "T2", "score": "110"}]
    assert shown["level"] == []


def test_the_next_compulsory_question_goes_round_robin_in_roster_order():
    order = ["T3", "T1", "T2"]
    assert next_in_turn(order, None) == "T3"
    assert next_in_turn(order, "T1") == "T2"
    assert next_in_turn(order, "T2") == "T3"
    assert next_question(console_log(), order) == {"number": 4, "team": "T2"}  # T1 had the last compulsory one
    assert next_question([], order) == {"number": 1, "team": "T3"}


def test_a_question_is_checked_against_the_rules():
    rules, teams = QuizRules(), {"T1", "T2"}
    assert check_question(rules, teams, "风险", "T1", "30", 5, "q") == ("risk", "T1", "30")
    assert check_question(rules, teams, "buzzer", "", "", 6, "q") == ("buzzer", "", "")
    with pytest.raises(InvalidInput) as refused:
        check_question(rules, teams, "compulsory", "", "25", 0, "q")
    assert {p.path for p in refused.value.problems} == {"number", "team", "stake"}
    with pytest.raises(InvalidInput, match="choose one of: 10, 20, 30"):
        check_question(rules, teams, "risk", "T2", "25", 1, "q")
