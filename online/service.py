"""The contestants' and units' use cases behind their signed links: who a link names, a
contestant's papers and levels, starting an attempt (a locked level refused), an attempt as its
page shows it, an answer, a submission, a unit's participation and scores, and a published
preliminary's board.

A link is a holder token (web/security.py) for purpose "contestant" or "unit"; a forged one, one of
another deployment or one naming no one is refused as if no such link existed (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from results.online_results import LevelState, contestant_levels, graded_attempts, participation, preliminary_board
from scoring.question_bank import LETTERS
from scoring.refusals import Conflict, NotFound
from scoring.store.models import Competition, Contestant, Unit, utcnow
from scoring.store.online import (
    bank_questions,
    finished,
    latest_answers,
    owned_attempt,
    paper_of,
    replay_of,
    start_attempt,
    store_answer,
    submit_attempt,
)
from scoring.store.online_admin import paper_by_key, papers_of
from scoring.store.online_answering import answer_context, checked_answer
from scoring.store.online_finalists import selections_of
from scoring.store.online_models import OnlineAttempt, OnlinePaper
from web.database import Database
from web.holder_codes import contestant_code, same_code
from web.security import read_holder_token, sign_holder_token


@dataclass(frozen=True)
class Holder:
    competition: Competition
    key: str
    name: str
    unit: str


def holder(db: Session, secret: bytes, purpose: str, token: str) -> Holder:
    read = read_holder_token(secret, purpose, token)
    competition = db.get(Competition, read[0]) if read else None
    if read is not None and competition is not None:
        if purpose == "contestant":
            person = db.execute(
                select(Contestant).where(Contestant.competition_id == competition.id, Contestant.key == read[1])
            ).scalar_one_or_none()
            if person is not None:
                return Holder(competition, person.key, person.name, person.unit_key)
        else:
            unit = db.execute(
                select(Unit).where(Unit.competition_id == competition.id, Unit.key == read[1])
            ).scalar_one_or_none()
            if unit is not None:
                return Holder(competition, unit.key, unit.name_zh, unit.key)
    raise NotFound("没有这个链接", "no such link")


def _title(paper: OnlinePaper) -> dict[str, str]:
    return {"zh": paper.title_zh, "en": paper.title_en}


def _window(paper: OnlinePaper, now: datetime) -> str:
    if paper.opens_at is not None and now < paper.opens_at:
        return "not_open"
    if paper.closes_at is not None and now >= paper.closes_at:
        return "closed"
    return "open"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def home(db: Session, who: Holder) -> dict[str, Any]:
    now = utcnow()
    levels = contestant_levels(db, who.competition.id, who.key, now)
    return {
        "competition": {"zh": who.competition.name_zh, "en": who.competition.name_en},
        "contestant": {"key": who.key, "name": who.name},
        "papers": [_paper_state(s, now) for s in levels],
    }


def _paper_state(s: LevelState, now: datetime) -> dict[str, Any]:
    p = s.paper
    return {
        "key": p.key,
        "kind": p.kind,
        "level": p.level,
        "title": _title(p),
        "open": s.open,
        "window": _window(p, now),
        "passed": s.passed,
        "counted": str(s.counted) if s.counted is not None else None,
        "pass_mark": str(p.pass_mark) if p.pass_mark is not None else None,
        "counts": p.counts,
        "minutes": (p.time_limit_seconds or 0) // 60 or None,
        "attempts": [
            {
                "id": f.attempt.id,
                "number": f.attempt.number,
                "score": str(f.graded.total),
                "max": str(f.graded.max_total),
            }
            for f in s.attempts
        ],
        "under_way": s.under_way.id if s.under_way else None,
        "closes_at": p.closes_at.isoformat() if p.closes_at else None,
    }


def start(db: Session, who: Holder, paper_key: str, client_id: str) -> OnlineAttempt:
    paper = paper_by_key(db, who.competition.id, paper_key)
    if paper.kind == "practice":
        state = next(s for s in contestant_levels(db, who.competition.id, who.key) if s.paper.id == paper.id)
        if not state.open:
            raise Conflict(
                f"第 {paper.level} 关尚未解锁：请先通过上一关",
                f"level {paper.level} is locked: pass the level before it first",
            )
    return start_attempt(db, paper, who.key, client_id[:64] or f"page-{utcnow().timestamp()}")


def attempt_view(db: Session, who: Holder, attempt_id: int) -> dict[str, Any]:
    """The attempt as the contestant sees it: questions and options in their shown order, the
    answers the server holds, the time left on the server's clock; once finished, the score
    (and for a practice level each question's key, in the shown letters, and its explanation)."""
    now = utcnow()
    attempt, paper = owned_attempt(db, attempt_id, who.competition.id, who.key)
    shown = paper_of(db, paper, attempt.seed)
    bank = {q.key: q for q in bank_questions(db, paper.bank_id)}
    answers = latest_answers(db, [attempt.id])[attempt.id]
    done = finished(attempt, now)
    graded = None
    if done:
        graded = next(f.graded for f in graded_attempts(db, paper, now, who.key) if f.attempt.id == attempt.id)
    questions = []
    for n, q in enumerate(shown.questions, start=1):
        item = bank[q.key]
        entry: dict[str, Any] = {
            "n": n,
            "key": q.key,
            "type": item.type,
            "text": item.text,
            "options": [{"letter": LETTERS[i], "text": item.options[LETTERS.index(o)]} for i, o in enumerate(q.order)],
            "answer": answers.get(q.key, ""),
        }
        if graded is not None:
            entry["points"] = str(graded.points[q.key])
            entry["full"] = str(item.points)
            if paper.kind == "practice":
                entry["key_answer"] = (
                    "".join(sorted(LETTERS[q.order.index(c)] for c in item.answer)) if q.order else item.answer
                )
                entry["explanation"] = item.explanation
        questions.append(entry)
    remaining = int((attempt.deadline_at - now).total_seconds()) if attempt.deadline_at and not done else None
    return {
        "competition": {"zh": who.competition.name_zh, "en": who.competition.name_en},
        "contestant": {"key": who.key, "name": who.name},
        "attempt": attempt.id,
        "number": attempt.number,
        "paper": {
            "key": paper.key,
            "kind": paper.kind,
            "level": paper.level,
            "title": _title(paper),
            "pass_mark": str(paper.pass_mark) if paper.pass_mark is not None else None,
        },
        "finished": done,
        "submitted_at": _iso(attempt.submitted_at or attempt.deadline_at) if done else None,
        "deadline": attempt.deadline_at.isoformat() if attempt.deadline_at else None,
        "remaining_seconds": max(0, remaining) if remaining is not None else None,
        "questions": questions,
        "score": str(graded.total) if graded else None,
        "max": str(graded.max_total) if graded else None,
        "passed": bool(graded and paper.pass_mark is not None and graded.total >= paper.pass_mark),
    }


def answer(
    database: Database, secret: bytes, token: str, attempt_id: int, question: str, given: str, client_id: str
) -> dict[str, Any]:
    """One answer, the hot path: the link checked by its signature, then one read statement (the
    link's contestant, their attempt, its paper and a retry's earlier answer;
    scoring/store/online_answering.py) with no write lock; the answer checked against the paper
    as shown from caches; a retry answered from the read; the write one short transaction (the
    attempt's state, one row). A retry racing its first try is answered as a retry."""
    read = read_holder_token(secret, "contestant", token)
    with database.read() as db:
        context = answer_context(db, attempt_id, read[0], read[1], client_id) if read else None
        if context is None:  # the slow path only says which of link or attempt is wrong (404)
            who = holder(db, secret, "contestant", token)
            owned_attempt(db, attempt_id, who.competition.id, who.key)
            raise NotFound("没有这次作答", f"no attempt {attempt_id}")
    text = checked_answer(context, question, given)
    if context.earlier is not None:
        if context.earlier != (question, text):
            raise Conflict("这个请求编号已用于另一个答案", "this client id was used for another answer")
        return {"question": question, "answer": text, "replayed": True}
    try:
        return database.do(store_answer, attempt_id, question, text, client_id)
    except IntegrityError:
        with database.read() as db:
            found = replay_of(db, attempt_id, client_id, question, text)
        if found is None:
            raise
        return found


def submit(db: Session, who: Holder, attempt_id: int) -> dict[str, Any]:
    attempt, paper = owned_attempt(db, attempt_id, who.competition.id, who.key)
    submit_attempt(db, attempt, paper)
    return {"attempt": attempt.id, "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None}


def unit_view(db: Session, who: Holder) -> dict[str, Any]:
    """The unit's participation per paper and its own contestants' counted scores."""
    now = utcnow()
    unit = db.execute(select(Unit).where(Unit.competition_id == who.competition.id, Unit.key == who.key)).scalar_one()
    people = list(
        db.execute(
            select(Contestant)
            .where(Contestant.competition_id == who.competition.id, Contestant.unit_key == who.key)
            .order_by(Contestant.key)
        ).scalars()
    )
    papers = papers_of(db, who.competition.id)
    scores: dict[str, dict[str, str]] = {c.key: {} for c in people}
    for paper in papers:
        for f in graded_attempts(db, paper, now):
            mine = scores.get(f.attempt.contestant_key)
            if mine is None:
                continue
            if (
                paper.kind == "practice"
                and paper.counts == "best"
                and paper.key in mine
                and f.graded.total <= Decimal(mine[paper.key])
            ):
                continue
            mine[paper.key] = str(f.graded.total)
    return {
        "competition": {"zh": who.competition.name_zh, "en": who.competition.name_en},
        "unit": {"key": unit.key, "zh": unit.name_zh, "en": unit.name_en},
        "papers": [{"key": p.key, "title": _title(p), "kind": p.kind} for p in papers],
        "participation": participation(db, who.competition.id, who.key, now),
        "contestants": [{"key": c.key, "name": c.name, "scores": scores[c.key]} for c in people],
    }


def public_board(db: Session, competition_key: str, paper_key: str) -> dict[str, Any]:
    """A preliminary's leaderboard and finalists, once published (404 before, as if none)."""
    competition = db.execute(select(Competition).where(Competition.key == competition_key)).scalar_one_or_none()
    paper = None
    if competition is not None:
        try:
            paper = paper_by_key(db, competition.id, paper_key)
        except NotFound:
            paper = None
    if competition is None or paper is None or paper.published_at is None:
        raise NotFound("没有已公布的初赛成绩", "no published preliminary results")
    board = preliminary_board(db, paper)
    selections = selections_of(db, paper.id)
    finalists = {f["entry"] for f in selections[-1].finalists} if selections else set()
    return {
        "competition": {"zh": competition.name_zh, "en": competition.name_en},
        "paper": {"key": paper.key, "title": _title(paper)},
        "max": str(board.max_total) if board.max_total is not None else None,
        "rows": [
            {
                "place": p.place,
                "name": board.names.get(p.entry, p.entry),
                "unit": board.units.get(p.unit, {"zh": p.unit, "en": p.unit}),
                "score": str(p.score),
                "finalist": p.entry in finalists,
            }
            for p in board.placed
        ],
        "selected": bool(selections),
    }


def token_for_code(db: Session, secret: bytes, competition_key: str, typed: str) -> str | None:
    """The contestant link's token for a typed code of the competition, else None."""
    competition = db.execute(select(Competition).where(Competition.key == competition_key.strip())).scalar_one_or_none()
    if competition is None or not typed.strip():
        return None
    keys = db.execute(select(Contestant.key).where(Contestant.competition_id == competition.id)).scalars()
    for key in keys:
        if same_code(contestant_code(secret, competition.id, key), typed):
            return sign_holder_token(secret, "contestant", competition.id, key)
    return None
