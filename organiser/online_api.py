"""The organiser's JSON routes of the online drills (/api/admin/.../online): the question bank's
import, papers, the overview (papers, participation per unit), a preliminary's leaderboard and
item analysis, finalists by rule, publication, the links units hand out, and any attempt's paper
rebuilt from its seed for an appeal. Thin handlers over organiser/online_setup.py."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody
from sqlalchemy.orm import Session

from organiser.competition_setup import Upload, competition_by_key
from organiser.online_setup import access_links, choose_finalists, make_paper, publish, upload_bank
from results.online_results import graded_attempts, paper_items, participation, preliminary_board
from scoring.problems import InvalidInput, Problem
from scoring.question_bank import LETTERS
from scoring.refusals import NotFound
from scoring.store.models import utcnow
from scoring.store.online import bank_questions, finished, latest_answers, paper_of
from scoring.store.online_admin import paper_by_key, papers_of
from scoring.store.online_models import OnlineAnswer, OnlineAttempt, OnlinePaper
from web.auth import organiser_guard, principal_of
from web.database import InjectedDatabase
from web.pages import public_base
from web.params import PathKey, RowId


def _actor(request: Request[Any, Any, Any]) -> str:
    return f"organiser:{principal_of(request).name}"


def overview(db: Session, key: str) -> dict[str, Any]:
    competition = competition_by_key(db, key)
    return {
        "papers": [
            {
                "id": p.id,
                "key": p.key,
                "kind": p.kind,
                "level": p.level,
                "title": {"zh": p.title_zh, "en": p.title_en},
                "pass_mark": str(p.pass_mark) if p.pass_mark is not None else None,
                "counts": p.counts,
                "time_limit_minutes": (p.time_limit_seconds or 0) // 60 or None,
                "opens_at": p.opens_at.isoformat() if p.opens_at else None,
                "closes_at": p.closes_at.isoformat() if p.closes_at else None,
                "published": p.published_at is not None,
            }
            for p in papers_of(db, competition.id)
        ],
        "participation": [
            row | {"papers": [c | {"rate": str(c["rate"])} for c in row["papers"]]}
            for row in participation(db, competition.id)
        ],
    }


def board(db: Session, key: str, paper_key: str) -> dict[str, Any]:
    competition = competition_by_key(db, key)
    paper = paper_by_key(db, competition.id, paper_key)
    done = graded_attempts(db, paper)  # graded once for both
    made = preliminary_board(db, paper, done=done)
    items = paper_items(db, paper, done=done)
    return {
        "paper": paper.key,
        "max": str(made.max_total) if made.max_total is not None else None,
        "rows": [
            {
                "entry": p.entry,
                "name": made.names.get(p.entry, ""),
                "unit": p.unit,
                "unit_name": made.units.get(p.unit, {"zh": p.unit, "en": p.unit}),
                "score": str(p.score),
                "seconds": p.seconds,
                "place": p.place,
                "unit_place": p.unit_place,
            }
            for p in made.placed
        ],
        "items": [{k: str(v) for k, v in row.items()} for row in items.to_dict("records")],
    }


def rebuilt_attempt(db: Session, attempt_id: int) -> dict[str, Any]:
    """An attempt's paper as the contestant saw it, rebuilt from its seed, with every answer given
    (superseded ones too) and the counted ones."""
    attempt = db.get(OnlineAttempt, attempt_id)
    paper = db.get(OnlinePaper, attempt.paper_id) if attempt is not None else None
    if attempt is None or paper is None:
        raise NotFound("没有这次作答", f"no attempt {attempt_id}")
    shown = paper_of(db, paper, attempt.seed)
    bank = {q.key: q for q in bank_questions(db, paper.bank_id)}
    log = db.query(OnlineAnswer).filter(OnlineAnswer.attempt_id == attempt.id).order_by(OnlineAnswer.id).all()
    return {
        "attempt": attempt.id,
        "paper": paper.key,
        "contestant": attempt.contestant_key,
        "seed": attempt.seed,
        "started_at": attempt.started_at.isoformat(),
        "deadline_at": attempt.deadline_at.isoformat() if attempt.deadline_at else None,
        "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
        "finished": finished(attempt, utcnow()),
        "questions": [
            {
                "key": q.key,
                "order": q.order,
                "text": bank[q.key].text,
                "options": [bank[q.key].options[LETTERS.index(c)] for c in q.order],
            }
            for q in shown.questions
        ],
        "answers": latest_answers(db, [attempt.id])[attempt.id],
        "log": [
            {"question": a.question_key, "answer": a.answer, "client_id": a.client_id, "at": a.created_at.isoformat()}
            for a in log
        ],
    }


class OnlineAdminController(Controller):
    path = "/api/admin"
    guards = [organiser_guard]  # noqa: RUF012
    tags = ["online"]  # noqa: RUF012

    @post("/competitions/{key:str}/online/bank", sync_to_thread=True, status_code=201)
    def import_bank(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: PathKey,
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        """Import the question bank (field `bank`, CSV or XLSX) as a new version; any bad row: 422,
        every problem with row and column, nothing stored."""
        upload = data.get("bank")
        if not isinstance(upload, UploadFile):
            raise InvalidInput([Problem("缺少题库文件（字段 bank）", "the form needs a file in field 'bank'")])
        content = Upload(upload.filename or "bank.csv", upload.file.read())
        return database.do(upload_bank, key, content, _actor(request))

    @post("/competitions/{key:str}/online/papers", sync_to_thread=True, status_code=201)
    def create_paper(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, data: JSONBody[dict[str, Any]]
    ) -> dict[str, Any]:
        """A practice level or a preliminary from the newest bank: key, kind, title_zh, title_en,
        questions (keys) or rules ([{topic, difficulty, count}]), shuffle, level, pass_mark,
        counts (best, last), opens_at, closes_at, time_limit_minutes."""
        return database.do(make_paper, key, data, _actor(request))

    @get("/competitions/{key:str}/online", sync_to_thread=True)
    def overview(self, database: InjectedDatabase, key: PathKey) -> dict[str, Any]:
        """The papers and each unit's participation."""
        with database.read() as db:
            return overview(db, key)

    @get("/competitions/{key:str}/online/papers/{paper:str}/board", sync_to_thread=True)
    def board(self, database: InjectedDatabase, key: PathKey, paper: PathKey) -> dict[str, Any]:
        """The paper's leaderboard (score, then time used) and item analysis."""
        with database.read() as db:
            return board(db, key, paper)

    @post("/competitions/{key:str}/online/papers/{paper:str}/finalists", sync_to_thread=True, status_code=201)
    def finalists(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: PathKey,
        paper: PathKey,
        data: JSONBody[dict[str, Any]],
    ) -> dict[str, Any]:
        """Finalists by `rule` (top_overall, top_per_unit, threshold) and `value`, added to the
        roster of competition `target` (the final), with a `reason`."""
        return database.do(choose_finalists, key, paper, data, _actor(request))

    @post("/competitions/{key:str}/online/papers/{paper:str}/publish", sync_to_thread=True, status_code=200)
    def publish(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, paper: PathKey
    ) -> dict[str, Any]:
        """Publish the preliminary's leaderboard and finalists (/online/results/{key}/{paper})."""
        return database.do(publish, key, paper, _actor(request))

    @get("/competitions/{key:str}/online/links", sync_to_thread=True)
    def links(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> dict[str, Any]:
        """Each contestant's and each unit's signed link."""
        with database.read() as db:
            return access_links(db, key, request.app.state.secret, public_base(request))

    @get("/online/attempts/{attempt_id:int}", sync_to_thread=True)
    def attempt(self, database: InjectedDatabase, attempt_id: RowId) -> dict[str, Any]:
        """An attempt's paper rebuilt from its seed, with its whole answer log (for an appeal)."""
        with database.read() as db:
            return rebuilt_attempt(db, attempt_id)
