"""The demo's online drills (examples/online_practice): the competition stored with its roster of
200 workers of 11 enterprises and its question bank, three practice levels and a preliminary,
and simulated contestants' attempts written through the store's own paths (each attempt started
with its seed, each answer a row of the log, each hand-in audited) at times over the past week;
the preliminary's leaderboard is published. One contestant (c001) has passed level 1 and not yet
sat the preliminary, so the printed link has something left to do. Finalists are left for the
organiser to select on the page (into the drill yard, say): selecting them changes a roster.

Called once by server/demo.py; returns the addresses it prints.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scoring.competition import load_competition
from scoring.online_papers import DrawRule, PaperSpec
from scoring.question_bank import LETTERS, BankQuestion, read_bank
from scoring.roster import plan_import
from scoring.store.competitions import store_competition
from scoring.store.models import Competition, Contestant, utcnow
from scoring.store.online import answer_text, bank_questions, paper_of, start_attempt, store_answer, submit_attempt
from scoring.store.online_admin import PaperForm, create_paper, import_bank, publish_paper
from scoring.store.online_models import OnlineAttempt, OnlinePaper
from scoring.store.roster import apply_roster, roster_state
from web.security import sign_holder_token

FOLDER = Path(__file__).resolve().parent.parent / "examples" / "online_practice"
ACTOR = "make demo"
LEVELS = [
    (1, "安全与班组管理入门", "Safety and team basics", "4", [("safety", "easy", 3), ("management", "easy", 3)]),
    (2, "设备与质量进阶", "Equipment and quality", "5", [("*", "medium", 8)]),
    (3, "综合提高", "All topics, hard", "5", [("*", "hard", 8)]),
]
PRELIMINARY = [
    ("safety", "*", 5),
    ("equipment", "*", 4),
    ("quality", "*", 4),
    ("environment", "*", 3),
    ("management", "*", 4),
]


def _spec(rules: list[tuple[str, str, int]]) -> PaperSpec:
    return PaperSpec(rules=tuple(DrawRule(t, d, n) for t, d, n in rules))


def load_online_practice(sessions: sessionmaker[Session], secret: bytes) -> dict[str, str]:
    """Store the example and its simulated attempts; the addresses to print (paths)."""
    competition = load_competition(FOLDER / "competition.toml")
    now = utcnow()
    with sessions.begin() as db:
        store_competition(db, competition, actor=ACTOR)
        cid = db.execute(select(Competition.id).where(Competition.key == competition.key)).scalar_one()
        apply_roster(db, cid, plan_import(FOLDER / "roster.csv", roster_state(db, cid)), actor=ACTOR)
        import_bank(db, cid, read_bank(FOLDER / "bank.csv"), "bank.csv", ACTOR)
        for level, zh, en, mark, rules in LEVELS:
            create_paper(
                db,
                cid,
                PaperForm(f"level{level}", "practice", zh, en, _spec(rules), level=level, pass_mark=Decimal(mark)),
                ACTOR,
            )
        form = PaperForm(
            "prelim", "preliminary", "初赛", "Preliminary", _spec(PRELIMINARY), opens_at=now - timedelta(days=7),
            closes_at=now + timedelta(days=21), time_limit_minutes=30,
        )  # fmt: skip
        create_paper(db, cid, form, ACTOR)
        people = list(db.execute(select(Contestant.key, Contestant.unit_key).where(Contestant.competition_id == cid)))
    rng = random.Random(13)
    with sessions.begin() as db:  # one transaction: a week of attempts, written at once
        for key, _ in sorted(people):
            _simulate(db, cid, key, rng, now)
    with sessions.begin() as db:
        prelim = db.execute(
            select(OnlinePaper).where(OnlinePaper.competition_id == cid, OnlinePaper.key == "prelim")
        ).scalar_one()
        publish_paper(db, prelim, ACTOR)
    unit = sorted({u for _, u in people})[0]
    return {
        "organiser": f"/admin/competitions/{competition.key}/online",
        "contestant": f"/online/c/{sign_holder_token(secret, 'contestant', cid, 'c001')}",
        "unit": f"/online/u/{sign_holder_token(secret, 'unit', cid, unit)}",
        "public": f"/online/results/{competition.key}/prelim",
    }


def _papers(db: Session, cid: int) -> dict[str, OnlinePaper]:
    return {p.key: p for p in db.execute(select(OnlinePaper).where(OnlinePaper.competition_id == cid)).scalars()}


def _simulate(db: Session, cid: int, key: str, rng: random.Random, now: Any) -> None:
    """One contestant's week: levels in turn while they pass (up to three tries each), then the
    preliminary for most; right answers with the contestant's own skill."""
    papers = _papers(db, cid)
    skill = rng.uniform(0.3, 0.85)
    when = now - timedelta(days=6, hours=rng.uniform(0, 48))
    for level in (1, 2, 3):
        if key != "c001" and level > 1 and rng.random() < 0.25:
            break
        passed = False
        for _ in range(3):
            score = _sit(db, papers[f"level{level}"], key, skill + (0.3 if key == "c001" else 0), rng, when)
            when += timedelta(minutes=rng.uniform(5, 60))
            passed = score >= int(papers[f"level{level}"].pass_mark or 0)
            if passed:
                break
        if not passed or key == "c001":
            break
    if key != "c001" and rng.random() < 0.85:
        _sit(db, papers["prelim"], key, skill, rng, now - timedelta(days=rng.uniform(0.2, 5)))


def _sit(db: Session, paper: OnlinePaper, key: str, skill: float, rng: random.Random, when: Any) -> int:
    """One attempt answered and handed in at `when` onwards; how many it got right."""
    attempt: OnlineAttempt = start_attempt(db, paper, key, f"demo-{paper.key}-{key}-{rng.random()}", now=when)
    bank = {q.key: q for q in bank_questions(db, paper.bank_id)}
    right = 0
    at = when
    for shown in paper_of(db, paper, attempt.seed).questions:
        at += timedelta(seconds=rng.uniform(15, 70))
        good = rng.random() < skill
        right += good
        text = answer_text(db, attempt, paper, shown.key, _answer(bank[shown.key], shown.order, good, rng))
        store_answer(db, attempt.id, shown.key, text, f"a-{rng.random()}", now=at)
    submit_attempt(db, attempt, paper, now=at + timedelta(seconds=20))
    return right


def _answer(question: BankQuestion, order: str, good: bool, rng: random.Random) -> str:
    """A right or a wrong answer, in the letters the contestant was shown."""
    if question.type in ("single", "multiple"):
        letters = (
            question.answer if good else rng.choice([c for c in LETTERS[: len(order)] if c not in question.answer])
        )
        return "".join(sorted(LETTERS[order.index(c)] for c in letters))
    if question.type == "true_false":
        said_true = (question.answer == "true") == good
        return "TRUE" if said_true else "FALSE"
    return question.answer if good else str(int(float(question.answer)) + 3)
