"""A quiz round's log of answers, kept append-only and replayed into scores.

Each answer is checked with the quiz rules by replaying the whole log with it (the log of a
round is short), so a stake the rules do not offer or an early buzz on a compulsory question
is refused with the same words as from a file. A retry with the same client id returns the
answer it recorded; two answers racing for the same place in the log: one is recorded first,
the other after it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scoring.events.base import EventResult
from scoring.events.quiz import QuizRules, score_log
from scoring.store import audit
from scoring.store.live import record_round_change
from scoring.store.models import QuizAnswer


def _frame(rows: list[tuple[int, str, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["row", "team", "type", "outcome", "stake"])
    return frame


def log_of(session: Session, round_id: int) -> list[QuizAnswer]:
    return list(
        session.execute(select(QuizAnswer).where(QuizAnswer.round_id == round_id).order_by(QuizAnswer.seq)).scalars()
    )


def scores_of(session: Session, round_id: int, rules: QuizRules, teams: set[str]) -> EventResult:
    rows = [(a.seq, a.team_key, a.kind, a.outcome, a.stake) for a in log_of(session, round_id)]
    return score_log(rules, _frame(rows), f"round {round_id}", teams)


def answer_body(answer: QuizAnswer) -> dict[str, Any]:
    return {
        "seq": answer.seq,
        "team": answer.team_key,
        "type": answer.kind,
        "outcome": answer.outcome,
        "stake": answer.stake or None,
        "client_id": answer.client_id,
    }


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
    for attempt in range(3):
        try:
            with session.begin_nested():
                earlier = session.execute(
                    select(QuizAnswer).where(QuizAnswer.round_id == round_id, QuizAnswer.client_id == client_id)
                ).scalar_one_or_none()
                if earlier is not None:
                    return answer_body(earlier) | {"replayed": True}
                seq = (
                    session.execute(
                        select(func.max(QuizAnswer.seq)).where(QuizAnswer.round_id == round_id)
                    ).scalar_one()
                    or 0
                ) + 1
                rows = [(a.seq, a.team_key, a.kind, a.outcome, a.stake) for a in log_of(session, round_id)]
                score_log(rules, _frame([*rows, (seq, team, kind, outcome, stake)]), f"round {round_id}", teams)
                answer = QuizAnswer(
                    round_id=round_id,
                    seq=seq,
                    team_key=team,
                    kind=kind,
                    outcome=outcome,
                    stake=stake,
                    client_id=client_id,
                    author=author,
                )
                session.add(answer)
                session.flush()
                audit.append(
                    session,
                    actor=author,
                    action="quiz.answer",
                    entity="round",
                    entity_id=str(round_id),
                    after=answer_body(answer),
                )
                record_round_change(session, round_id, "quiz", [team], actor=author)
                return answer_body(answer) | {"replayed": False}
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
