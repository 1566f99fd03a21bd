"""A live quiz's log read back: which records count, the question being put, the board.

The quiz master's log is append-only. Besides answers (one a row, scored by
`scoring.events.quiz.score_log`) it holds three kinds of record that scoring ignores:

- `question`: "question N now", its type, for a compulsory question the team whose turn it is,
  for a risk question the stake the team picked (one the rules offer);
- `end`: the regular questions are over; from here the console offers extra questions (加赛) to
  the teams still level;
- `undo`: voids one earlier record, named by its seq. An undo always voids the newest record that
  is neither an undo nor voided already, so two undos void the last two actions. Nothing is
  deleted: a voided record stays in the log and is skipped when scores are replayed.

Level teams: two or more teams with the same score and the same number of extra questions
answered right, so that extra questions are what separates them (they count only as the
tie-break, never in the score). Whether a level group matters for a place is for whoever reads
the board; the console shows every group once the regular questions are ended.

The next compulsory question goes to the team after the last compulsory question's team, in
roster order, round-robin. Nothing here reads a database or decides who may write.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from scoring.decimals import format_decimal, parse_decimal
from scoring.events.base import EventResult
from scoring.events.quiz import OUTCOMES, TYPES, QuizRules, score_log
from scoring.problems import ProblemCollector

QUESTION, UNDO, END = "question", "undo", "end"
CONTROL_KINDS = {QUESTION, UNDO, END}  # stored kinds that are not answers


@dataclass(frozen=True)
class LogRecord:
    """One row of the log. For an answer `kind` is its question type as recorded (compulsory,
    必答, ...); for a question `outcome` holds the question's type."""

    seq: int
    kind: str
    team: str = ""
    outcome: str = ""
    stake: str = ""
    number: int | None = None
    voids: int | None = None

    @property
    def is_answer(self) -> bool:
        return self.kind not in CONTROL_KINDS

    @property
    def question_type(self) -> str | None:
        """The canonical type of an answer's or a question's question (None for undo and end)."""
        if self.kind == QUESTION:
            return TYPES.get(self.outcome.strip().lower())
        if self.is_answer:
            return TYPES.get(self.kind.strip().lower())
        return None


def voided_seqs(log: Sequence[LogRecord]) -> set[int]:
    return {r.voids for r in log if r.kind == UNDO and r.voids is not None}


def standing_records(log: Sequence[LogRecord]) -> list[LogRecord]:
    """The records that stand: not undos and not voided, in log order."""
    voided = voided_seqs(log)
    return [r for r in log if r.kind != UNDO and r.seq not in voided]


def counted_answers(log: Sequence[LogRecord]) -> list[LogRecord]:
    """The answers that count for the score."""
    return [r for r in standing_records(log) if r.is_answer]


def answers_frame(log: Sequence[LogRecord]) -> pd.DataFrame:
    """The counted answers as the quiz's table (row, team, type, outcome, stake)."""
    return pd.DataFrame(
        [(r.seq, r.team, r.kind, r.outcome, r.stake) for r in counted_answers(log)],
        columns=["row", "team", "type", "outcome", "stake"],
    )


def undo_target(log: Sequence[LogRecord]) -> LogRecord | None:
    """The record an undo now would void: the newest one that stands."""
    standing = standing_records(log)
    return standing[-1] if standing else None


def current_question(log: Sequence[LogRecord]) -> LogRecord | None:
    """The question being put: the newest standing question, unless the regular questions were
    ended after it."""
    for record in reversed(standing_records(log)):
        if record.kind == QUESTION:
            return record
        if record.kind == END:
            return None
    return None


def regular_ended(log: Sequence[LogRecord]) -> bool:
    """Whether the regular questions are over (an end stands; extra questions may follow it)."""
    return any(r.kind == END for r in standing_records(log))


def next_in_turn(order: Sequence[str], last: str | None) -> str | None:
    """The team after `last` in `order`, round-robin (the first when there was none)."""
    if not order:
        return None
    if last is None or last not in order:
        return order[0]
    return order[(list(order).index(last) + 1) % len(order)]


def next_question(log: Sequence[LogRecord], order: Sequence[str]) -> dict[str, Any]:
    """What the console suggests: the next number and the team whose turn a compulsory question is."""
    questions = [r for r in standing_records(log) if r.kind == QUESTION]
    compulsory = [r for r in questions if r.question_type == "compulsory" and r.team]
    number = max((r.number or 0 for r in questions), default=0) + 1
    return {"number": number, "team": next_in_turn(order, compulsory[-1].team if compulsory else None)}


def check_question(
    rules: QuizRules, teams: Collection[str], kind: str, team: str, stake: str, number: int, source: str
) -> tuple[str, str, str]:
    """A question as it will be kept: (canonical type, team or "", stake or ""); refused with every
    problem: a compulsory question names a known team, a risk question a stake the rules offer."""
    problems = ProblemCollector(source)
    canonical = TYPES.get(kind.strip().lower())
    if canonical is None:
        problems.add(
            f"题型“{kind}”无效；可用：compulsory/必答, buzzer/抢答, risk/风险, extra/加赛",
            f"question type '{kind}' is not valid; use compulsory, buzzer, risk or extra",
        )
    if number < 1:
        problems.add("题号必须是正整数", "the question number must be 1 or more", path="number")
    if team and team not in teams:
        problems.add(f"未知的参赛队“{team}”", f"unknown team '{team}'", path="team")
    if canonical == "compulsory" and not team:
        problems.add("必答题须指定答题的参赛队", "a compulsory question needs the team whose turn it is", path="team")
    if canonical in ("buzzer", "extra") and team:
        problems.add("抢答题和加赛题不指定参赛队", "a buzzer or extra question is open to every team", path="team")
    value = parse_decimal(stake) if stake.strip() else None
    if canonical == "risk" and value not in rules.risk_stakes:
        offered = ", ".join(format_decimal(s) for s in rules.risk_stakes)
        problems.add(
            f"风险题分值“{stake}”无效；可选：{offered}",
            f"risk stake '{stake}' is not offered; choose one of: {offered}",
            path="stake",
        )
    if canonical != "risk" and stake.strip():
        problems.add("只有风险题选择分值", "only a risk question has a stake", path="stake")
    problems.raise_if_any()
    assert canonical is not None
    return canonical, team, format_decimal(value) if canonical == "risk" and value is not None else ""


def answer_points(rules: QuizRules, record: LogRecord) -> Decimal:
    """Points one recorded answer adds (negative: takes off); extra questions add none."""
    kind, outcome = record.question_type, OUTCOMES.get(record.outcome.strip().lower())
    if kind is None or outcome is None:
        return Decimal(0)
    stake = parse_decimal(record.stake) if record.stake.strip() else None
    return rules.change(kind, outcome, stake)


def question_value(rules: QuizRules, record: LogRecord) -> Decimal:
    """What a right answer to the question adds to the score (extra questions: nothing)."""
    kind = record.question_type
    if kind == "compulsory":
        return rules.compulsory_right
    if kind == "buzzer":
        return rules.buzzer_right
    if kind == "risk":
        return parse_decimal(record.stake) or Decimal(0)
    return Decimal(0)


def level_groups(result: EventResult) -> list[list[str]]:
    """Teams level with each other (same score, same extra questions right), highest first."""
    groups: dict[tuple[Decimal, Decimal], list[str]] = {}
    for s in result.scores:
        if s.score is not None:
            groups.setdefault((s.score, s.tiebreak or Decimal(0)), []).append(s.entry)
    return [sorted(groups[k]) for k in sorted(groups, reverse=True) if len(groups[k]) > 1]


def board(log: Sequence[LogRecord], rules: QuizRules, teams: Collection[str], source: str = "quiz") -> dict[str, Any]:
    """The live board of a quiz (the shape `scoring.store.quiz.quiz_board` documents)."""
    result = score_log(rules, answers_frame(log), source, set(teams))
    question = current_question(log)
    answers = counted_answers(log)
    last = answers[-1] if answers else None
    return {
        "teams": [{"team": s.entry, "score": format_decimal(s.score)} for s in result.scores if s.score is not None],
        "question": None
        if question is None
        else {
            "type": question.question_type,
            "value": format_decimal(question_value(rules, question)),
            "number": question.number,
            "team": question.team or None,
        },
        "last": None
        if last is None
        else {
            "team": last.team,
            "type": last.question_type,
            "outcome": OUTCOMES.get(last.outcome.strip().lower()),
            "stake": last.stake or None,
            "points": format_decimal(answer_points(rules, last)),
        },
        "level": level_groups(result),
    }
