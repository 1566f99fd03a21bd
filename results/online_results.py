"""The online drills' results read from the store: each finished attempt graded by the answer key,
a contestant's levels (which are open, which passed, what counts), a preliminary's leaderboard
and item analysis, and each unit's participation.

An attempt is finished when submitted or past its deadline (counted as submitted then); its
score is computed here from the answers log every time (the latest answer to each question
counts), so there is no stored score to drift from the answers. Ranking and the choice of
finalists are the core's (scoring/online_rules.py). Nothing here decides who may read what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.decimals import quantize
from scoring.online_papers import Graded, grade_papers, item_statistics
from scoring.online_rules import Placed, Sat, counted_score, open_levels, rank_sat
from scoring.store.models import Contestant, Unit, utcnow
from scoring.store.online import bank_questions, finished, finished_at, latest_answers, paper_of
from scoring.store.online_admin import papers_of
from scoring.store.online_models import OnlineAttempt, OnlinePaper


@dataclass
class Finished:
    attempt: OnlineAttempt
    graded: Graded
    seconds: int


def graded_attempts(
    db: Session, paper: OnlinePaper, now: datetime | None = None, contestant: str | None = None
) -> list[Finished]:
    """The paper's finished attempts (of one contestant, or all), graded, in attempt order."""
    now = now or utcnow()
    query = select(OnlineAttempt).where(OnlineAttempt.paper_id == paper.id)
    if contestant is not None:
        query = query.where(OnlineAttempt.contestant_key == contestant)
    attempts = [a for a in db.execute(query.order_by(OnlineAttempt.id)).scalars() if finished(a, now)]
    answers = latest_answers(db, [a.id for a in attempts])
    sheets = {str(a.id): (paper_of(db, paper, a.seed), answers[a.id]) for a in attempts}
    graded = grade_papers(bank_questions(db, paper.bank_id), sheets)
    out = []
    for a in attempts:
        end = finished_at(a) or now
        out.append(Finished(a, graded[str(a.id)], max(0, int((end - a.started_at).total_seconds()))))
    return out


@dataclass
class LevelState:
    paper: OnlinePaper
    open: bool
    passed: bool
    counted: Decimal | None
    attempts: list[Finished] = field(default_factory=list)
    under_way: OnlineAttempt | None = None


def contestant_levels(
    db: Session, competition_id: int, contestant: str, now: datetime | None = None
) -> list[LevelState]:
    """Every paper with the contestant's state: practice levels (open once the one before is
    passed; counted best or last) and preliminaries (open in their window)."""
    now = now or utcnow()
    papers = papers_of(db, competition_id)
    states: list[LevelState] = []
    practice = [p for p in papers if p.kind == "practice"]
    scores: dict[int, list[Decimal]] = {}
    finished_of: dict[int, list[Finished]] = {}
    for paper in papers:
        done = graded_attempts(db, paper, now, contestant)
        finished_of[paper.id] = done
        if paper.kind == "practice" and paper.level is not None:
            scores[paper.level] = [f.graded.total for f in done]
    opened = open_levels([(p.level or 0, p.pass_mark or Decimal(0)) for p in practice], scores)
    for paper in papers:
        done = finished_of[paper.id]
        totals = [f.graded.total for f in done]
        under_way = db.execute(
            select(OnlineAttempt).where(OnlineAttempt.paper_id == paper.id, OnlineAttempt.contestant_key == contestant)
        ).scalars()
        running = next((a for a in under_way if not finished(a, now)), None)
        if paper.kind == "practice":
            passed = any(t >= (paper.pass_mark or Decimal(0)) for t in totals)
            states.append(
                LevelState(
                    paper, (paper.level or 0) in opened, passed, counted_score(totals, paper.counts), done, running
                )
            )
        else:
            states.append(LevelState(paper, True, bool(done), totals[0] if totals else None, done, running))
    return states


@dataclass
class Board:
    paper: OnlinePaper
    placed: list[Placed]
    names: dict[str, str]
    units: dict[str, dict[str, str]]
    max_total: Decimal | None


def preliminary_board(
    db: Session, paper: OnlinePaper, now: datetime | None = None, done: list[Finished] | None = None
) -> Board:
    """The preliminary's leaderboard: every contestant whose attempt is finished, placed (from
    `done`, the graded attempts, when the caller has them)."""
    done = graded_attempts(db, paper, now) if done is None else done
    people = {
        c.key: c
        for c in db.execute(select(Contestant).where(Contestant.competition_id == paper.competition_id)).scalars()
    }
    units = {
        u.key: {"zh": u.name_zh, "en": u.name_en}
        for u in db.execute(select(Unit).where(Unit.competition_id == paper.competition_id)).scalars()
    }
    sat = [
        Sat(
            f.attempt.contestant_key,
            people[f.attempt.contestant_key].unit_key if f.attempt.contestant_key in people else "",
            f.graded.total,
            f.seconds,
        )
        for f in done
    ]
    top = max((f.graded.max_total for f in done), default=None)
    return Board(paper, rank_sat(sat), {k: c.name for k, c in people.items()}, units, top)


def paper_items(
    db: Session, paper: OnlinePaper, now: datetime | None = None, done: list[Finished] | None = None
) -> pd.DataFrame:
    """Item analysis of the paper's finished attempts (scoring/online_papers.py item_statistics)."""
    done = graded_attempts(db, paper, now) if done is None else done
    return item_statistics(bank_questions(db, paper.bank_id), {str(f.attempt.id): f.graded for f in done})


def participation(
    db: Session, competition_id: int, unit: str | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Per unit (or the one unit): its contestants, and per paper how many started and finished,
    with the rate finished over contestants as an exact percentage."""
    now = now or utcnow()
    people = list(db.execute(select(Contestant).where(Contestant.competition_id == competition_id)).scalars())
    units = list(db.execute(select(Unit).where(Unit.competition_id == competition_id).order_by(Unit.key)).scalars())
    unit_of = {c.key: c.unit_key for c in people}
    papers = papers_of(db, competition_id)
    started: dict[tuple[str, int], set[str]] = {}
    ended: dict[tuple[str, int], set[str]] = {}
    for paper in papers:
        for a in db.execute(select(OnlineAttempt).where(OnlineAttempt.paper_id == paper.id)).scalars():
            where = (unit_of.get(a.contestant_key, ""), paper.id)
            started.setdefault(where, set()).add(a.contestant_key)
            if finished(a, now):
                ended.setdefault(where, set()).add(a.contestant_key)
    rows = []
    for u in units:
        if unit is not None and u.key != unit:
            continue
        n = sum(1 for c in people if c.unit_key == u.key)
        cells = []
        for paper in papers:
            done = len(ended.get((u.key, paper.id), ()))
            rate = quantize(Decimal(100) * done / n, 1) if n else Decimal(0)  # half up, descriptive
            cells.append(
                {"paper": paper.key, "started": len(started.get((u.key, paper.id), ())), "finished": done, "rate": rate}
            )
        rows.append({"unit": u.key, "name": {"zh": u.name_zh, "en": u.name_en}, "contestants": n, "papers": cells})
    return rows
