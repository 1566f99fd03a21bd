"""A contestant's online papers in the store: starting an attempt (its seed drawn and audited),
each answer as one short append-only write, and the submission (audited with the digest of the
answers it counts).

The answer write is the hot path (thousands of contestants at once): one transaction that reads
the attempt and its paper, checks the time on the server's clock, and inserts one row, keyed by the
client's id so a retry is answered as the first request was. It writes no audit record: an audit
record locks the chain's head (scoring/store/audit.py), which would queue every contestant
behind one row. The answers table is itself the append-only log, and the submission's audit
record carries the digest of every answer the attempt counts, so an answer changed, added or
removed afterwards shows against the chain (docs/architecture.md, "Online drills").

The time limit is the server's: an answer after the attempt's deadline is refused (409
`online-time-up`), and an attempt never submitted counts as submitted at its deadline.
Grading is the core's (scoring/online_papers.py); what a contestant may open is
scoring/online_rules.py.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scoring.online_papers import Paper, PaperSpec, build_paper, check_answer
from scoring.problems import InvalidInput, Problem
from scoring.question_bank import BankQuestion
from scoring.refusals import Conflict, NotFound
from scoring.store import audit
from scoring.store.models import utcnow
from scoring.store.online_models import OnlineAnswer, OnlineAttempt, OnlineBank, OnlinePaper


class TimeUp(Conflict):
    """The attempt's deadline has passed: no more answers."""

    kind = "online-time-up"


class AlreadySubmitted(Conflict):
    kind = "online-submitted"


_banks: dict[int, list[BankQuestion]] = {}  # banks never change once stored: read once per process
_papers: dict[tuple[int, str, str], Paper] = {}
_cache_lock = threading.Lock()


def bank_questions(db: Session, bank_id: int) -> list[BankQuestion]:
    """A stored bank's questions (cached: a bank version is never changed)."""
    found = _banks.get(bank_id)
    if found is None:
        bank = db.get(OnlineBank, bank_id)
        if bank is None:
            raise NotFound("没有这个题库", f"no bank {bank_id}")
        found = [BankQuestion.from_json(q) for q in bank.questions]
        with _cache_lock:
            _banks[bank_id] = found
    return found


def paper_of(db: Session, paper: OnlinePaper, seed: str) -> Paper:
    """The paper an attempt with `seed` was given, rebuilt from its bank, spec and seed."""
    key = (paper.bank_id, json.dumps(paper.spec, sort_keys=True), seed)
    found = _papers.get(key)
    if found is None:
        found = build_paper(bank_questions(db, paper.bank_id), PaperSpec.from_json(paper.spec), int(seed))
        with _cache_lock:
            if len(_papers) > 50_000:
                _papers.clear()
            _papers[key] = found
    return found


def attempts_of(db: Session, paper_id: int, contestant: str) -> list[OnlineAttempt]:
    return list(
        db.execute(
            select(OnlineAttempt)
            .where(OnlineAttempt.paper_id == paper_id, OnlineAttempt.contestant_key == contestant)
            .order_by(OnlineAttempt.number)
        ).scalars()
    )


def finished(attempt: OnlineAttempt, now: datetime) -> bool:
    """Submitted, or past its deadline (which counts as submitted then)."""
    return attempt.submitted_at is not None or (attempt.deadline_at is not None and now > attempt.deadline_at)


def finished_at(attempt: OnlineAttempt) -> datetime | None:
    return attempt.submitted_at or attempt.deadline_at


def check_window(paper: OnlinePaper, now: datetime) -> None:
    if paper.opens_at is not None and now < paper.opens_at:
        raise Conflict("本试卷尚未开放", "this paper is not open yet")
    if paper.closes_at is not None and now >= paper.closes_at:
        raise Conflict("本试卷已截止", "this paper has closed")


def start_attempt(
    db: Session, paper: OnlinePaper, contestant: str, client_id: str, now: datetime | None = None
) -> OnlineAttempt:
    """The contestant's attempt to answer: the one under way, or a new one with a new seed. A
    preliminary allows one attempt; a retried request (same client id) gets the same attempt.
    Whether a practice level is open is the caller's check (it needs the grades)."""
    now = now or utcnow()
    attempts = attempts_of(db, paper.id, contestant)
    for attempt in attempts:
        if attempt.client_id == client_id or not finished(attempt, now):
            return attempt
    if paper.kind == "preliminary" and attempts:
        return attempts[0]  # one attempt: it is shown as it stands (finished)
    check_window(paper, now)
    deadline = now + timedelta(seconds=paper.time_limit_seconds) if paper.time_limit_seconds else None
    if paper.closes_at is not None:
        deadline = min(deadline, paper.closes_at) if deadline else paper.closes_at
    attempt = OnlineAttempt(
        paper_id=paper.id,
        contestant_key=contestant,
        number=len(attempts) + 1,
        seed=str(secrets.randbits(63)),
        client_id=client_id,
        started_at=now,
        deadline_at=deadline,
    )
    try:
        with db.begin_nested():
            db.add(attempt)
            db.flush()
    except IntegrityError:  # the same contestant's other request made it first
        raced = attempts_of(db, paper.id, contestant)
        return next((a for a in raced if a.client_id == client_id), raced[-1])
    audit.append(
        db,
        actor=f"contestant:{contestant}",
        action="online.start",
        entity="online_attempt",
        entity_id=str(attempt.id),
        after={
            "paper": paper.key,
            "contestant": contestant,
            "number": attempt.number,
            "seed": attempt.seed,
            "deadline": deadline.isoformat() if deadline else None,
        },
    )
    return attempt


def owned_attempt(
    db: Session, attempt_id: int, competition_id: int, contestant: str
) -> tuple[OnlineAttempt, OnlinePaper]:
    attempt = db.get(OnlineAttempt, attempt_id)
    paper = db.get(OnlinePaper, attempt.paper_id) if attempt is not None else None
    if (
        attempt is None
        or paper is None
        or attempt.contestant_key != contestant
        or paper.competition_id != competition_id
    ):
        raise NotFound("没有这次作答", f"no attempt {attempt_id}")
    return attempt, paper


ANSWERS: Table = OnlineAnswer.__table__  # type: ignore[assignment]
ATTEMPTS: Table = OnlineAttempt.__table__  # type: ignore[assignment]
#: the hot path's statements, built once with their values as parameters (as audit.py's appends):
#: run on the session's connection, they skip the ORM's statement building and unit of work
ATTEMPT_STATE = select(ATTEMPTS.c.submitted_at, ATTEMPTS.c.deadline_at).where(ATTEMPTS.c.id == bindparam("attempt"))
ANSWER_OF_CLIENT = select(ANSWERS.c.question_key, ANSWERS.c.answer).where(
    ANSWERS.c.attempt_id == bindparam("attempt"), ANSWERS.c.client_id == bindparam("client")
)
INSERT_ANSWER = insert(ANSWERS)


def answer_text(db: Session, attempt: OnlineAttempt, paper: OnlinePaper, question: str, answer: str) -> str:
    """The answer as it is stored, once checked against the attempt's paper (read only: run it
    before the write, outside the writers' queue)."""
    shown = paper_of(db, paper, attempt.seed)
    if shown.shown(question) is None:
        raise InvalidInput([Problem("试卷中没有这道题", f"the paper has no question '{question}'", path="question")])
    bank = {q.key: q for q in bank_questions(db, paper.bank_id)}
    problem = check_answer(bank[question], answer)
    if problem is not None:
        raise InvalidInput([problem])
    return answer.strip().upper()[:64]


def replay_of(db: Session, attempt_id: int, client_id: str, question: str, text: str) -> dict[str, Any] | None:
    """The answer to a retried request (same client id), else None; the same id for another
    answer is refused."""
    found = db.connection().execute(ANSWER_OF_CLIENT, {"attempt": attempt_id, "client": client_id}).one_or_none()
    if found is None:
        return None
    if (found[0], found[1]) != (question, text):
        raise Conflict("这个请求编号已用于另一个答案", "this client id was used for another answer")
    return {"question": question, "answer": text, "replayed": True}


def store_answer(
    db: Session, attempt_id: int, question: str, text: str, client_id: str, now: datetime | None = None
) -> dict[str, Any]:
    """The write of one checked answer: the attempt's state read in the writing transaction (a
    hand-in or the deadline may have come since the check), then one row inserted. Two
    statements, no audit record (the module docstring says why). A retry that raced its first
    try fails on the unique (attempt, client id): the caller answers it with `replay_of`."""
    now = now or utcnow()
    connection = db.connection()
    state = connection.execute(ATTEMPT_STATE, {"attempt": attempt_id}).one()
    submitted, deadline = state  # aware UTC datetimes (the columns' type reads them)
    if submitted is not None:
        raise AlreadySubmitted("本次作答已交卷", "this attempt has been submitted")
    if deadline is not None and now > deadline:
        raise TimeUp("作答时间已到，答案未被接受", "the time is up; the answer was not taken")
    connection.execute(
        INSERT_ANSWER,
        {"attempt_id": attempt_id, "question_key": question, "answer": text, "client_id": client_id, "created_at": now},
    )
    return {"question": question, "answer": text, "replayed": False}


def record_answer(
    db: Session,
    attempt: OnlineAttempt,
    paper: OnlinePaper,
    question: str,
    answer: str,
    client_id: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Check and store one answer in one transaction (the API splits the check from the write:
    online/service.py). A retry by client id is answered as the first was."""
    text = answer_text(db, attempt, paper, question, answer)
    replayed = replay_of(db, attempt.id, client_id, question, text)
    if replayed is not None:
        return replayed
    try:
        with db.begin_nested():
            return store_answer(db, attempt.id, question, text, client_id, now)
    except IntegrityError:  # the retry raced its first try
        found = replay_of(db, attempt.id, client_id, question, text)
        assert found is not None
        return found


def latest_answers(db: Session, attempt_ids: list[int]) -> dict[int, dict[str, str]]:
    """Each attempt's counted answers: per question, its latest answer (a later one supersedes)."""
    out: dict[int, dict[str, str]] = {a: {} for a in attempt_ids}
    for start in range(0, len(attempt_ids), 500):
        chunk = attempt_ids[start : start + 500]
        rows = db.execute(
            select(OnlineAnswer.attempt_id, OnlineAnswer.question_key, OnlineAnswer.answer)
            .where(OnlineAnswer.attempt_id.in_(chunk))
            .order_by(OnlineAnswer.id)
        ).all()
        for attempt_id, key, answer in rows:
            out[attempt_id][key] = answer
    return out


def answer_count(db: Session, attempt_id: int) -> int:
    """Answers given in the attempt, superseded ones included (its log's length)."""
    return int(db.scalar(select(func.count()).where(OnlineAnswer.attempt_id == attempt_id)) or 0)


def answers_digest(answers: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(answers, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def submit_attempt(
    db: Session, attempt: OnlineAttempt, paper: OnlinePaper, now: datetime | None = None
) -> OnlineAttempt:
    """Hand the attempt in (again: nothing changes). After its deadline it is recorded as handed
    in at the deadline, the moment it counted as submitted. One audit record, with the digest
    of the answers it counts."""
    now = now or utcnow()
    if attempt.submitted_at is not None:
        return attempt
    at = attempt.deadline_at if attempt.deadline_at is not None and now > attempt.deadline_at else now
    attempt.submitted_at = at
    answers = latest_answers(db, [attempt.id])[attempt.id]
    audit.append(
        db,
        actor=f"contestant:{attempt.contestant_key}",
        action="online.submit",
        entity="online_attempt",
        entity_id=str(attempt.id),
        after={
            "paper": paper.key,
            "contestant": attempt.contestant_key,
            "number": attempt.number,
            "at": at.isoformat(),
            "answers": len(answers),
            "log": answer_count(db, attempt.id),
            "digest": answers_digest(answers),
        },
    )
    db.flush()
    return attempt
