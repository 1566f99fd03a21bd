"""The read before an online answer's write, in one statement: the link's contestant, the
attempt (theirs, of a paper of the link's competition), the paper's bank and spec, and the answer
already stored under the client's id (a retry). It replaces five ORM reads (competition with its
document, contestant, attempt, paper, retry lookup) on the hot path; a link or attempt that does
not match finds no row, and the caller then takes the slow path to say which (404 either way).

It decides nothing about the time limit or a hand-in: the write (scoring/store/online.py,
`store_answer`) re-reads the attempt's state in its own transaction. It does not check the answer
(`checked_answer` below does, from the cached paper and bank, with no statement).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, bindparam, select
from sqlalchemy.orm import Session

from scoring.online_papers import PaperSpec, build_paper, check_answer
from scoring.problems import InvalidInput, Problem
from scoring.question_bank import BankQuestion
from scoring.store.models import Contestant
from scoring.store.online import bank_questions
from scoring.store.online_models import OnlineAnswer, OnlineAttempt, OnlinePaper

ANSWERS: Table = OnlineAnswer.__table__  # type: ignore[assignment]
ATTEMPTS: Table = OnlineAttempt.__table__  # type: ignore[assignment]
PAPERS: Table = OnlinePaper.__table__  # type: ignore[assignment]
CONTESTANTS: Table = Contestant.__table__  # type: ignore[assignment]

#: built once, its values parameters: run on the session's connection, no ORM statement building
ANSWER_CONTEXT = (
    select(ATTEMPTS.c.seed, PAPERS.c.bank_id, PAPERS.c.spec, ANSWERS.c.question_key, ANSWERS.c.answer)
    .select_from(ATTEMPTS)
    .join(PAPERS, PAPERS.c.id == ATTEMPTS.c.paper_id)
    .join(
        CONTESTANTS,
        and_(CONTESTANTS.c.competition_id == PAPERS.c.competition_id, CONTESTANTS.c.key == ATTEMPTS.c.contestant_key),
    )
    .outerjoin(ANSWERS, and_(ANSWERS.c.attempt_id == ATTEMPTS.c.id, ANSWERS.c.client_id == bindparam("client")))
    .where(
        ATTEMPTS.c.id == bindparam("attempt"),
        ATTEMPTS.c.contestant_key == bindparam("contestant"),
        PAPERS.c.competition_id == bindparam("competition"),
    )
)


@dataclass(frozen=True)
class AnswerContext:
    """What the answer's checks need: the attempt's paper as shown (from its seed) and the bank
    by key; `earlier` is the (question, answer) already stored under this client id, if any."""

    shown_keys: frozenset[str]
    bank: dict[str, BankQuestion]
    earlier: tuple[str, str] | None


_shown: dict[tuple[int, str, str], frozenset[str]] = {}  # pure: a bank, a spec and a seed
_indexes: dict[int, dict[str, BankQuestion]] = {}  # a stored bank never changes
_lock = threading.Lock()


def answer_context(
    db: Session, attempt_id: int, competition_id: int, contestant: str, client_id: str
) -> AnswerContext | None:
    """The context of one answer in one statement, or None when the link's contestant has no
    such attempt in that competition."""
    row = (
        db.connection()
        .execute(
            ANSWER_CONTEXT,
            {"attempt": attempt_id, "contestant": contestant, "competition": competition_id, "client": client_id},
        )
        .one_or_none()
    )
    if row is None:
        return None
    seed, bank_id, spec, earlier_question, earlier_answer = row
    bank = _indexes.get(bank_id)
    if bank is None:
        bank = {q.key: q for q in bank_questions(db, bank_id)}
        with _lock:
            _indexes[bank_id] = bank
    key = (bank_id, _spec_key(spec), seed)
    shown = _shown.get(key)
    if shown is None:
        paper = build_paper(bank_questions(db, bank_id), PaperSpec.from_json(spec), int(seed))
        shown = frozenset(q.key for q in paper.questions)
        with _lock:
            if len(_shown) > 100_000:
                _shown.clear()
            _shown[key] = shown
    earlier = (earlier_question, earlier_answer) if earlier_question is not None else None
    return AnswerContext(shown, bank, earlier)


def _spec_key(spec: Any) -> str:
    return json.dumps(spec, sort_keys=True)


def checked_answer(context: AnswerContext, question: str, answer: str) -> str:
    """The answer as it is stored, once checked against the attempt's paper (the same checks and
    messages as scoring/store/online.py `answer_text`, with no statement)."""
    if question not in context.shown_keys:
        raise InvalidInput([Problem("试卷中没有这道题", f"the paper has no question '{question}'", path="question")])
    problem = check_answer(context.bank[question], answer)
    if problem is not None:
        raise InvalidInput([problem])
    return answer.strip().upper()[:64]
