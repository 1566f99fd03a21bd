"""JSON routes for the quiz master (/api/quiz): the live quiz's log (answers, questions put, the
end of the regular questions, undo) and the console's state. Only quiz rounds of the quiz
master's own competition.

Every write runs in one transaction with its audit record and its live change (so the big
screen hears of it once it commits) and is idempotent on its client id; a write that changes
scores queues the competition's standings afterwards (`results_changed`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from quiz.console_state import console_state, quiz_round
from scoring.decimals import format_decimal
from scoring.store.quiz import record_answer, record_end, record_question, record_undo, scores_of
from web.auth import principal_of, quiz_master_guard
from web.database import InjectedDatabase
from web.params import MAX_ID, RowId
from web.results_feed import results_changed

ClientId = Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
TeamKey = Annotated[str, msgspec.Meta(max_length=64)]
Stake = Annotated[str, msgspec.Meta(max_length=8, pattern=r"^\d*$")]
QuestionType = Literal["compulsory", "buzzer", "risk", "extra", "必答", "抢答", "风险", "加赛"]


class AnswerBody(msgspec.Struct, forbid_unknown_fields=True):
    team: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    type: QuestionType
    outcome: Literal["right", "wrong", "early", "timeout", "对", "错", "抢跑", "超时"]
    client_id: ClientId
    stake: Stake = ""


class QuestionBody(msgspec.Struct, forbid_unknown_fields=True):
    number: Annotated[int, msgspec.Meta(ge=0, le=10_000)]  # 0 is refused with its words (check_question)
    type: QuestionType
    client_id: ClientId
    team: TeamKey = ""
    stake: Stake = ""


class UndoBody(msgspec.Struct, forbid_unknown_fields=True):
    client_id: ClientId
    expect: Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)] | None = None  # the seq confirmed to undo


class EndBody(msgspec.Struct, forbid_unknown_fields=True):
    client_id: ClientId


def author_of(request: Request[Any, Any, Any]) -> str:
    return f"quiz_master:{principal_of(request).name}"


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
                author=author_of(request),
                rules=rules,
                teams=teams,
            )
        if not answer.get("replayed"):
            results_changed(request.app, round_id, [data.team])
        return answer

    @post("/rounds/{round_id:int}/questions", sync_to_thread=True, status_code=201)
    def question(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId, data: JSONBody[QuestionBody]
    ) -> dict[str, Any]:
        """Put question `number` now: its type, for a compulsory question the team whose turn it
        is, for a risk question the stake the team picked. Scores do not change."""
        who = principal_of(request)
        with database.transaction() as db:
            _, rules, teams = quiz_round(db, who.competition_id, round_id)
            return record_question(
                db,
                round_id=round_id,
                number=data.number,
                kind=data.type,
                team=data.team.strip(),
                stake=data.stake,
                client_id=data.client_id,
                author=author_of(request),
                rules=rules,
                teams=teams,
            )

    @post("/rounds/{round_id:int}/end", sync_to_thread=True, status_code=201)
    def end(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId, data: JSONBody[EndBody]
    ) -> dict[str, Any]:
        """End the regular questions; the console then offers extra questions to level teams."""
        who = principal_of(request)
        with database.transaction() as db:
            quiz_round(db, who.competition_id, round_id)
            return record_end(db, round_id=round_id, client_id=data.client_id, author=author_of(request))

    @post("/rounds/{round_id:int}/undo", sync_to_thread=True, status_code=201)
    def undo(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId, data: JSONBody[UndoBody]
    ) -> dict[str, Any]:
        """Void the last standing action (an answer, a question or the end), by a record of its
        own; `expect` names the seq the quiz master confirmed (409 if the log moved on)."""
        who = principal_of(request)
        with database.transaction() as db:
            quiz_round(db, who.competition_id, round_id)
            undone = record_undo(
                db, round_id=round_id, client_id=data.client_id, author=author_of(request), expect=data.expect
            )
        if not undone["replayed"] and undone["voided"]["kind"] == "answer":
            results_changed(request.app, round_id, [undone["voided"]["team"]])
        return undone

    @get("/rounds/{round_id:int}/console", sync_to_thread=True)
    def console(self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId) -> dict[str, Any]:
        """The console's state: the round, its teams in roster order, the board, the log (newest
        first), the next question suggested, whether the regular questions ended, what undo voids."""
        with database.read() as db:
            return console_state(db, principal_of(request).competition_id, round_id)

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
