"""JSON routes for the quiz master (/api/quiz): record a quiz round's answers and read its
running scores. Only quiz rounds of the quiz master's own competition. The live quiz console
(buzzers, the big screen) is a later issue; this is the record it will write to."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from sqlalchemy.orm import Session

from scoring.decimals import format_decimal
from scoring.events.quiz import QuizRules
from scoring.refusals import Conflict, Forbidden
from scoring.store.models import RubricVersion
from scoring.store.quiz import record_answer, scores_of
from scoring.store.rounds import RoundContext, event_entry_keys, round_context, rules_of_version
from web.auth import principal_of, quiz_master_guard
from web.database import InjectedDatabase
from web.params import RowId
from web.results_feed import results_changed


class AnswerBody(msgspec.Struct, forbid_unknown_fields=True):
    team: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    type: Literal["compulsory", "buzzer", "risk", "extra", "必答", "抢答", "风险", "加赛"]
    outcome: Literal["right", "wrong", "early", "timeout", "对", "错", "抢跑", "超时"]
    client_id: Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
    stake: Annotated[str, msgspec.Meta(max_length=8, pattern=r"^\d*$")] = ""


def quiz_round(db: Session, competition_id: int | None, round_id: int) -> tuple[RoundContext, QuizRules, set[str]]:
    """A quiz round of the quiz master's own competition: its rules and its teams."""
    context = round_context(db, round_id)
    if context.event.competition_id != competition_id:
        raise Forbidden("这不是您负责的竞赛", "this round is not in your competition")
    if context.event.kind != "quiz":
        raise Conflict("该轮次不是知识竞答", "this round is not a quiz")
    version = db.get(RubricVersion, context.rubric_version_id)
    assert version is not None
    rules = rules_of_version(version.id, "quiz", version.document)
    assert isinstance(rules, QuizRules)
    return context, rules, set(event_entry_keys(db, context.event))


class QuizController(Controller):
    path = "/api/quiz"
    guards = [quiz_master_guard]  # noqa: RUF012
    tags = ["quiz master"]  # noqa: RUF012

    @post("/rounds/{round_id:int}/answers", sync_to_thread=True, status_code=201)
    def record(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId, data: JSONBody[AnswerBody]
    ) -> dict[str, Any]:
        """Append one answer to the round's log (idempotent on client_id); the answer is checked
        against the quiz rules (teams, stakes, early buzzes) before it is kept."""
        who = principal_of(request)
        with database.transaction() as db:
            _, rules, teams = quiz_round(db, who.competition_id, round_id)
            answer = record_answer(
                db,
                round_id=round_id,
                team=data.team,
                kind=data.type,
                outcome=data.outcome,
                stake=data.stake,
                client_id=data.client_id,
                author=f"quiz_master:{who.name}",
                rules=rules,
                teams=teams,
            )
        if not answer.get("replayed"):
            results_changed(request.app, round_id, [data.team])
        return answer

    @get("/rounds/{round_id:int}/scores", sync_to_thread=True)
    def scores(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> list[dict[str, Any]]:
        """Each team's score so far, replayed from the log, with the extra questions it got right."""
        with database.read() as db:
            _, rules, teams = quiz_round(db, principal_of(request).competition_id, round_id)
            result = scores_of(db, round_id, rules, teams)
        return [
            {
                "team": s.entry,
                "score": format_decimal(s.score) if s.score is not None else None,
                "extra_right": format_decimal(s.tiebreak) if s.tiebreak is not None else "0",
            }
            for s in result.scores
        ]
