"""The organiser's side of the online drills in the store: a question bank imported as a new
version, papers made from it (practice levels and preliminaries), and a paper's results
published. Each is one audited change; nothing here reads a file (organiser/online_setup.py
reads the upload with scoring/question_bank.py) or grades (results/online_results.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scoring.document import is_key
from scoring.online_papers import PaperSpec, check_spec
from scoring.online_rules import COUNTS
from scoring.problems import InvalidInput, Problem
from scoring.question_bank import BankQuestion
from scoring.refusals import Conflict, NotFound
from scoring.store import audit
from scoring.store.models import utcnow
from scoring.store.online import bank_questions
from scoring.store.online_models import OnlineBank, OnlinePaper

KINDS = ("practice", "preliminary")
MAX_LEVEL = 100
MAX_MINUTES = 7 * 24 * 60  # a week


def import_bank(db: Session, competition_id: int, questions: list[BankQuestion], source: str, actor: str) -> OnlineBank:
    """The checked questions as the competition's next bank version."""
    data = [q.to_json() for q in questions]
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    version = (
        db.scalar(select(func.max(OnlineBank.version)).where(OnlineBank.competition_id == competition_id)) or 0
    ) + 1
    bank = OnlineBank(
        competition_id=competition_id,
        version=version,
        questions=data,
        digest=digest,
        source=source[:255],
        created_by=actor,
    )
    db.add(bank)
    db.flush()
    audit.append(
        db,
        actor=actor,
        action="online.bank",
        entity="online_bank",
        entity_id=str(bank.id),
        after={
            "competition": competition_id,
            "version": version,
            "questions": len(data),
            "digest": digest,
            "source": source,
        },
    )
    return bank


def latest_bank(db: Session, competition_id: int) -> OnlineBank | None:
    return db.execute(
        select(OnlineBank)
        .where(OnlineBank.competition_id == competition_id)
        .order_by(OnlineBank.version.desc())
        .limit(1)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class PaperForm:
    """A paper as the organiser describes it."""

    key: str
    kind: str
    title_zh: str
    title_en: str
    spec: PaperSpec
    level: int | None = None
    pass_mark: Decimal | None = None
    counts: str = "best"
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    time_limit_minutes: int | None = None


def create_paper(db: Session, competition_id: int, form: PaperForm, actor: str) -> OnlinePaper:
    """A paper from the competition's newest bank; every problem of the form refused at once."""
    bank = latest_bank(db, competition_id)
    if bank is None:
        raise Conflict("请先导入题库", "import a question bank first")
    problems = check_spec(form.spec, bank_questions(db, bank.id))
    if not is_key(form.key):
        problems.append(
            Problem(
                "编号只能含字母、数字、_ 和 -，且以字母开头",
                "a key may hold only ASCII letters, digits, '_' and '-', starting with a letter",
                path="key",
            )
        )
    elif db.scalar(
        select(OnlinePaper.id).where(OnlinePaper.competition_id == competition_id, OnlinePaper.key == form.key)
    ):
        problems.append(Problem(f"已有编号为“{form.key}”的试卷", f"a paper '{form.key}' exists already", path="key"))
    if form.kind not in KINDS:
        problems.append(
            Problem(
                "类型须为 practice（闯关练习）或 preliminary（初赛）",
                "kind must be practice or preliminary",
                path="kind",
            )
        )
    if not form.title_zh.strip():
        problems.append(Problem("标题为空", "the title is empty", path="title_zh"))
    if form.level is not None and form.level > MAX_LEVEL:
        problems.append(Problem(f"关卡最多 {MAX_LEVEL}", f"a level is at most {MAX_LEVEL}", path="level"))
    if form.time_limit_minutes is not None and form.time_limit_minutes > MAX_MINUTES:
        problems.append(
            Problem(
                f"限时最多 {MAX_MINUTES} 分钟",
                f"a time limit is at most {MAX_MINUTES} minutes",
                path="time_limit_minutes",
            )
        )
    for name, title in (("title_zh", form.title_zh), ("title_en", form.title_en)):
        if len(title) > 255:
            problems.append(Problem("标题最多 255 个字符", "a title holds at most 255 characters", path=name))
    if form.counts not in COUNTS:
        problems.append(Problem("计分须为 best（最好）或 last（最后）", "counts must be best or last", path="counts"))
    if form.kind == "practice":
        if form.level is None or form.level < 1:
            problems.append(
                Problem(
                    "闯关练习须给出关卡（1、2、……）",
                    "a practice level needs its level number (1, 2, ...)",
                    path="level",
                )
            )
        elif db.scalar(
            select(OnlinePaper.id).where(
                OnlinePaper.competition_id == competition_id,
                OnlinePaper.kind == "practice",
                OnlinePaper.level == form.level,
            )
        ):
            problems.append(Problem(f"第 {form.level} 关已存在", f"level {form.level} exists already", path="level"))
        if form.pass_mark is None or form.pass_mark < 0:
            problems.append(Problem("闯关练习须给出及格分", "a practice level needs a pass mark", path="pass_mark"))
    if form.kind == "preliminary" and (form.time_limit_minutes is None or form.time_limit_minutes < 1):
        problems.append(
            Problem(
                "初赛须给出限时（分钟，至少 1）",
                "a preliminary needs a time limit (minutes, at least 1)",
                path="time_limit_minutes",
            )
        )
    if form.opens_at and form.closes_at and form.closes_at <= form.opens_at:
        problems.append(
            Problem("截止时间须晚于开放时间", "the closing time must be after the opening time", path="closes_at")
        )
    if problems:
        raise InvalidInput(problems)
    paper = OnlinePaper(
        competition_id=competition_id,
        key=form.key,
        kind=form.kind,
        level=form.level if form.kind == "practice" else None,
        title_zh=form.title_zh.strip(),
        title_en=form.title_en.strip() or form.title_zh.strip(),
        bank_id=bank.id,
        spec=form.spec.to_json(),
        pass_mark=form.pass_mark if form.kind == "practice" else None,
        counts=form.counts if form.kind == "practice" else "last",
        opens_at=form.opens_at,
        closes_at=form.closes_at,
        time_limit_seconds=form.time_limit_minutes * 60 if form.time_limit_minutes else None,
        created_by=actor,
    )
    db.add(paper)
    db.flush()
    audit.append(
        db,
        actor=actor,
        action="online.paper",
        entity="online_paper",
        entity_id=str(paper.id),
        after={"key": paper.key, "kind": paper.kind, "level": paper.level, "bank": bank.version, "spec": paper.spec},
    )
    return paper


def papers_of(db: Session, competition_id: int) -> list[OnlinePaper]:
    """Practice levels in level order, then the preliminaries."""
    papers = db.execute(select(OnlinePaper).where(OnlinePaper.competition_id == competition_id)).scalars()
    return sorted(papers, key=lambda p: (p.kind != "practice", p.level or 0, p.id))


def paper_by_key(db: Session, competition_id: int, key: str) -> OnlinePaper:
    found = db.execute(
        select(OnlinePaper).where(OnlinePaper.competition_id == competition_id, OnlinePaper.key == key)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("没有这张试卷", f"no paper '{key}'")
    return found


def publish_paper(db: Session, paper: OnlinePaper, actor: str) -> OnlinePaper:
    """Make the paper's leaderboard and finalists public (once; again changes nothing)."""
    if paper.kind != "preliminary":
        raise Conflict("只有初赛的成绩可以公布", "only a preliminary's results are published")
    if paper.published_at is None:
        paper.published_at = utcnow()
        db.flush()
        audit.append(
            db,
            actor=actor,
            action="online.publish",
            entity="online_paper",
            entity_id=str(paper.id),
            after={"key": paper.key},
        )
    return paper
