"""The contestants' and units' pages behind their signed links, and a published preliminary's
public board: /online/c/{token} (the contestant's levels and papers), /online/c/{token}/attempts/{id}
(a paper on the phone: answers kept on the device and sent through an outbox, paper.js),
/online/u/{token} (a unit's participation and its contestants' scores), /online/results/{key}/{paper}
(the leaderboard and finalists, once the organiser publishes them). Refusals are pages in the
reader's language (web/problem_bodies.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import PathParameter
from litestar.response import Redirect, Template

from online import service
from online.text import page_text, script_words
from web.auth import public_guard
from web.database import InjectedDatabase
from web.i18n import language_of
from web.pages import render_page
from web.params import PathKey, RowId
from web.signin import client_address

Token = Annotated[str, PathParameter(min_length=1, max_length=200)]
PAPER_SCRIPT = (Path(__file__).parent / "templates" / "online" / "paper.js").read_text(encoding="utf-8")


def _page(request: Request[Any, Any, Any], name: str, status: int = 200, **context: Any) -> Template:
    lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
    return render_page(request, name, status, t=page_text(lang), **context)


class OnlinePages(Controller):
    path = "/online"
    guards = [public_guard]  # noqa: RUF012  (each link is its own credential)
    include_in_schema = False

    @get("/paper.js")
    async def script(self) -> Response[str]:
        return Response(PAPER_SCRIPT, media_type="text/javascript")

    @get("/")
    async def code_page(self, request: Request[Any, Any, Any]) -> Template:
        """Sign in with the competition's key and the contestant's typed code."""
        return _page(request, "online/code.html", competition=request.query_params.get("competition", "")[:64])

    @post("/")
    async def code_sign_in(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template | Redirect:
        form = await request.form()
        competition, typed = str(form.get("competition", ""))[:64], str(form.get("code", ""))[:32]
        limiter, address = request.app.state.limiter, f"online-code:{client_address(request)}"
        if limiter.blocked(address):
            return _page(request, "online/code.html", 429, competition=competition, refused="too_many")
        secret = request.app.state.secret
        token = await database.read_async(lambda db: service.token_for_code(db, secret, competition, typed))
        if token is None:
            limiter.failed(address)
            return _page(request, "online/code.html", 401, competition=competition, refused="wrong_code")
        return Redirect(path=f"/online/c/{token}")

    @get("/c/{token:str}")
    async def home(self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token) -> Template:
        secret = request.app.state.secret
        data = await database.read_async(lambda db: service.home(db, service.holder(db, secret, "contestant", token)))
        return _page(request, "online/home.html", token=token, **data)

    @post("/c/{token:str}/papers/{paper:str}/start")
    async def start(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token, paper: PathKey
    ) -> Redirect:
        secret = request.app.state.secret
        form = await request.form()
        client_id = str(form.get("client_id", ""))[:64]

        def use_case(db: Any) -> int:
            return service.start(db, service.holder(db, secret, "contestant", token), paper, client_id).id

        attempt = await database.run(use_case)
        return Redirect(path=f"/online/c/{token}/attempts/{attempt}")

    @get("/c/{token:str}/attempts/{attempt_id:int}")
    async def attempt(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token, attempt_id: RowId
    ) -> Template:
        secret = request.app.state.secret

        def read(db: Any) -> dict[str, Any]:
            return service.attempt_view(db, service.holder(db, secret, "contestant", token), attempt_id)

        data = await database.read_async(read)
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        return _page(request, "online/paper.html", token=token, view=data, script_words=script_words(lang))

    @post("/c/{token:str}/attempts/{attempt_id:int}/submit")
    async def submit(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token, attempt_id: RowId
    ) -> Redirect:
        secret = request.app.state.secret
        await database.run(lambda db: service.submit(db, service.holder(db, secret, "contestant", token), attempt_id))
        return Redirect(path=f"/online/c/{token}/attempts/{attempt_id}")

    @get("/u/{token:str}")
    async def unit(self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token) -> Template:
        secret = request.app.state.secret
        data = await database.read_async(lambda db: service.unit_view(db, service.holder(db, secret, "unit", token)))
        return _page(request, "online/unit.html", **data)

    @get("/results/{key:str}/{paper:str}")
    async def board(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, paper: PathKey
    ) -> Template:
        data = await database.read_async(lambda db: service.public_board(db, key, paper))
        return _page(request, "online/board.html", **data)
