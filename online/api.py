"""The contestants' JSON API behind their signed link (/api/online/{token}/...): their papers,
starting an attempt, one answer per request (idempotent by the client's id), handing in, and
an attempt's state. The paper page's outbox (online/templates/online/paper.js) uses it; so does
bench/bench_online.py. Every request reads the link again: no session, no cookie."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.params import JSONBody, PathParameter

from online import service
from web.auth import public_guard
from web.database import InjectedDatabase
from web.params import PathKey, RowId

Token = Annotated[str, PathParameter(min_length=1, max_length=200)]
ClientId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class AnswerBody(msgspec.Struct, forbid_unknown_fields=True):
    """An answer in the letters the contestant was shown ("B", "AC"), true/false, or a number;
    "" takes an answer back. `client_id` is made by the client: a retry sends the same."""

    answer: Annotated[str, msgspec.Meta(max_length=64)]
    client_id: ClientId


class StartBody(msgspec.Struct, forbid_unknown_fields=True):
    client_id: ClientId


class OnlineController(Controller):
    path = "/api/online"
    guards = [public_guard]  # noqa: RUF012  (the link is the credential, read on every request)
    tags = ["online"]  # noqa: RUF012

    @get("/{token:str}", sync_to_thread=True)
    def papers(self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token) -> dict[str, Any]:
        """The contestant's papers: practice levels (open, passed, counted score) and preliminaries."""
        secret = request.app.state.secret
        with database.read() as db:
            return service.home(db, service.holder(db, secret, "contestant", token))

    @post("/{token:str}/papers/{paper:str}/start", sync_to_thread=True, status_code=201)
    def start(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        token: Token,
        paper: PathKey,
        data: JSONBody[StartBody],
    ) -> dict[str, Any]:
        """Start (or resume) an attempt at a paper; a locked level is refused (409)."""
        secret = request.app.state.secret

        def use_case(db: Any) -> dict[str, Any]:
            who = service.holder(db, secret, "contestant", token)
            attempt = service.start(db, who, paper, data.client_id)
            return {"attempt": attempt.id, "number": attempt.number}

        return database.do(use_case)

    @get("/{token:str}/attempts/{attempt_id:int}", sync_to_thread=True)
    def attempt(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token, attempt_id: RowId
    ) -> dict[str, Any]:
        """The attempt: questions and options as shown, the answers held, the time left."""
        secret = request.app.state.secret
        with database.read() as db:
            return service.attempt_view(db, service.holder(db, secret, "contestant", token), attempt_id)

    @put("/{token:str}/attempts/{attempt_id:int}/answers/{question:str}", sync_to_thread=True)
    def answer(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        token: Token,
        attempt_id: RowId,
        question: PathKey,
        data: JSONBody[AnswerBody],
    ) -> dict[str, Any]:
        """Store one answer; after the attempt's deadline 409 `online-time-up`, nothing stored."""
        return service.answer(
            database, request.app.state.secret, token, attempt_id, question, data.answer, data.client_id
        )

    @post("/{token:str}/attempts/{attempt_id:int}/submit", sync_to_thread=True, status_code=200)
    def submit(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token, attempt_id: RowId
    ) -> dict[str, Any]:
        """Hand the attempt in (again: nothing changes; after the deadline: handed in at it)."""
        secret = request.app.state.secret

        def use_case(db: Any) -> dict[str, Any]:
            return service.submit(db, service.holder(db, secret, "contestant", token), attempt_id)

        return database.do(use_case)
