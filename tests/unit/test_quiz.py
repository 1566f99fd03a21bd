"""Quiz rounds scored from a log of answers."""

from decimal import Decimal as D

import pandas as pd
import pytest

from scoring.events.quiz import QuizRules, score_log
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
