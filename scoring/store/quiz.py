"""A quiz round's log, kept append-only and replayed into scores and the live board.

The log holds answers, the questions the quiz master puts, the end of the regular questions
and undos (what each is and how the log is read back: scoring/events/quiz_log.py). Nothing is
updated or deleted: an undo is a record of its own that voids the newest standing record, and
scores replay the log skipping what is voided.

Each answer is checked with the quiz rules by replaying the counted answers with it (the log of
a round is short), so a stake the rules do not offer or an early buzz on a compulsory question
is refused with the same words as from a file. A retry with the same client id returns the
record it made (refused if that client id made another kind of record); two writers racing for
the same place in the log: one is recorded first, the other after it (for an undo: after it,
the loser voids the next record only if it named none, else it is told the log moved on).
Every record is audited and numbered as a live change in the transaction that writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scoring.decimals import format_decimal
from scoring.events.base import EventResult
from scoring.events.quiz import QuizRules, score_log
from scoring.events.quiz_log import (
    END,
    QUESTION,
    UNDO,
    LogRecord,
    answer_points,
    answers_frame,
    board,
    check_question,
    undo_target,
    voided_seqs,
)
from scoring.publication import check_sheet_write
from scoring.refusals import Conflict, NotFound
from scoring.store import audit
from scoring.store.live import record_round_change
from scoring.store.models import QuizAnswer, Round
from scoring.store.sheet_writes import IdempotencyConflict


class NothingToUndo(Conflict):
    kind = "nothing-to-undo"


class UndoMovedOn(Conflict):
    """The newest standing record is not the one the quiz master confirmed to undo."""

    kind = "undo-moved-on"

    def __init__(self, target: LogRecord | None) -> None:
        super().__init__(
            "要撤销的操作已变化，请重新确认", "the last action has changed since you asked to undo it; confirm again"
        )
        self.target = target

    def details(self) -> dict[str, Any]:
        return {"last_seq": self.target.seq if self.target is not None else None}


def log_of(session: Session, round_id: int) -> list[QuizAnswer]:
    """Every record of the round's log, voided ones and undos included, in order."""
    return list(
        session.execute(select(QuizAnswer).where(QuizAnswer.round_id == round_id).order_by(QuizAnswer.seq)).scalars()
    )


def record_of(answer: QuizAnswer) -> LogRecord:
    return LogRecord(
        seq=answer.seq,
        kind=answer.kind,
        team=answer.team_key,
        outcome=answer.outcome,
        stake=answer.stake or "",
        number=answer.number,
        voids=answer.voids,
    )


def records_of(session: Session, round_id: int) -> list[LogRecord]:
    return [record_of(a) for a in log_of(session, round_id)]


def answers_of(session: Session, round_id: int) -> list[QuizAnswer]:
    """The answers that count: no questions, ends or undos, nothing voided."""
    log = log_of(session, round_id)
    voided = voided_seqs([record_of(a) for a in log])
    return [a for a in log if record_of(a).is_answer and a.seq not in voided]


def scores_of(session: Session, round_id: int, rules: QuizRules, teams: set[str]) -> EventResult:
    return score_log(rules, answers_frame(records_of(session, round_id)), f"round {round_id}", teams)


def quiz_board(session: Session, round_id: int, rules: QuizRules, teams: Collection[str]) -> dict[str, Any]:
    """The live board of a quiz round, exactly:
    {"teams": [{"team": key, "score": exact decimal text}, ...] in team-key order,
     "question": {"type": compulsory|buzzer|risk|extra, "value": points a right answer adds (text;
                  the stake for risk, "0" for extra), "number": int, "team": key or None} or None,
     "last": {"team", "type", "outcome", "stake" (text or None), "points" (signed text)} or None,
     "level": [[keys level with each other (same score, same extra right)], ...] highest first}."""
    return board(records_of(session, round_id), rules, teams, f"round {round_id}")


def answer_body(answer: QuizAnswer, rules: QuizRules | None = None) -> dict[str, Any]:
    kind = {QUESTION: QUESTION, UNDO: UNDO, END: END}.get(answer.kind, "answer")
    body: dict[str, Any] = {"seq": answer.seq, "kind": kind, "client_id": answer.client_id}
    if kind == "answer":
        body |= {"team": answer.team_key, "type": answer.kind, "outcome": answer.outcome, "stake": answer.stake or None}
        if rules is not None:
            body["points"] = format_decimal(answer_points(rules, record_of(answer)))
    elif kind == QUESTION:
        body |= {"team": answer.team_key or None, "type": answer.outcome, "stake": answer.stake or None}
        body["number"] = answer.number
    elif kind == UNDO:
        body |= {"voids": answer.voids, "team": answer.team_key or None}
    return body


def log_body(session: Session, round_id: int, rules: QuizRules) -> list[dict[str, Any]]:
    """The whole log for the console, newest first, each record saying whether it is voided."""
    log = log_of(session, round_id)
    voided = voided_seqs([record_of(a) for a in log])
    return [answer_body(a, rules) | {"voided": a.seq in voided} for a in reversed(log)]


def _append(
    session: Session,
    round_id: int,
    client_id: str,
    kind_of_earlier: Callable[[QuizAnswer], bool],
    make: Callable[[int, list[LogRecord]], QuizAnswer],
    action: str,
    author: str,
) -> tuple[QuizAnswer, bool]:
    """Append the record `make` builds at the next seq, in a savepoint, audited and numbered as a
    live change: (the record, whether it was made before: a retry of `client_id`)."""
    for attempt in range(3):
        try:
            with session.begin_nested():
                earlier = session.execute(
                    select(QuizAnswer).where(QuizAnswer.round_id == round_id, QuizAnswer.client_id == client_id)
                ).scalar_one_or_none()
                if earlier is not None:
                    if not kind_of_earlier(earlier):
                        raise IdempotencyConflict(client_id)
                    return earlier, True
                round_ = session.get(Round, round_id, with_for_update={"read": True})
                if round_ is None:
                    raise NotFound("没有这个轮次", f"no round {round_id}")
                check_sheet_write(round_.publication)  # a locked quiz takes no more answers
                seq = (
                    session.execute(
                        select(func.max(QuizAnswer.seq)).where(QuizAnswer.round_id == round_id)
                    ).scalar_one()
                    or 0
                ) + 1
                made = make(seq, records_of(session, round_id))
                session.add(made)
                session.flush()
                audit.append(
                    session,
                    actor=author,
                    action=action,
                    entity="round",
                    entity_id=str(round_id),
                    after=answer_body(made),
                )
                record_round_change(session, round_id, "quiz", [made.team_key] if made.team_key else [], actor=author)
                return made, False
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def record_answer(
    session: Session,
    *,
    round_id: int,
    team: str,
    kind: str,
    outcome: str,
    stake: str,
    client_id: str,
    author: str,
    rules: QuizRules,
    teams: set[str],
) -> dict[str, Any]:
    def make(seq: int, log: list[LogRecord]) -> QuizAnswer:
        frame = answers_frame([*log, LogRecord(seq, kind, team, outcome, stake)])
        score_log(rules, frame, f"round {round_id}", teams)
        return QuizAnswer(
            round_id=round_id,
            seq=seq,
            team_key=team,
            kind=kind,
            outcome=outcome,
            stake=stake,
            client_id=client_id,
            author=author,
        )

    answer, replayed = _append(
        session, round_id, client_id, lambda a: record_of(a).is_answer, make, "quiz.answer", author
    )
    return answer_body(answer, rules) | {"replayed": replayed}


def record_question(
    session: Session,
    *,
    round_id: int,
    number: int,
    kind: str,
    team: str,
    stake: str,
    client_id: str,
    author: str,
    rules: QuizRules,
    teams: Collection[str],
) -> dict[str, Any]:
    """Put question `number`: its type, whose turn (compulsory) or the stake picked (risk)."""

    def make(seq: int, log: list[LogRecord]) -> QuizAnswer:
        canonical, who, kept = check_question(rules, teams, kind, team, stake, number, f"round {round_id}")
        return QuizAnswer(
            round_id=round_id,
            seq=seq,
            team_key=who,
            kind=QUESTION,
            outcome=canonical,
            stake=kept,
            number=number,
            client_id=client_id,
            author=author,
        )

    made, replayed = _append(session, round_id, client_id, lambda a: a.kind == QUESTION, make, "quiz.question", author)
    return answer_body(made) | {"replayed": replayed}


def record_end(session: Session, *, round_id: int, client_id: str, author: str) -> dict[str, Any]:
    """The regular questions are over (the console then offers extra questions to level teams)."""

    def make(seq: int, log: list[LogRecord]) -> QuizAnswer:
        return QuizAnswer(
            round_id=round_id, seq=seq, team_key="", kind=END, outcome="", client_id=client_id, author=author
        )

    made, replayed = _append(session, round_id, client_id, lambda a: a.kind == END, make, "quiz.end", author)
    return answer_body(made) | {"replayed": replayed}


def record_undo(
    session: Session, *, round_id: int, client_id: str, author: str, expect: int | None = None
) -> dict[str, Any]:
    """Void the newest standing record (`expect`: the seq the quiz master confirmed; refused if
    the log has moved on). The answer names what was voided, as it was recorded."""

    def make(seq: int, log: list[LogRecord]) -> QuizAnswer:
        target = undo_target(log)
        if target is None:
            raise NothingToUndo("没有可撤销的操作", "there is nothing to undo")
        if expect is not None and target.seq != expect:
            raise UndoMovedOn(target)
        return QuizAnswer(
            round_id=round_id,
            seq=seq,
            team_key=target.team if target.is_answer else "",
            kind=UNDO,
            outcome="",
            voids=target.seq,
            client_id=client_id,
            author=author,
        )

    made, replayed = _append(session, round_id, client_id, lambda a: a.kind == UNDO, make, "quiz.undo", author)
    target = session.execute(
        select(QuizAnswer).where(QuizAnswer.round_id == round_id, QuizAnswer.seq == made.voids)
    ).scalar_one()
    return answer_body(made) | {"voided": answer_body(target), "replayed": replayed}
