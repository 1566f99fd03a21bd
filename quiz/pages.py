"""The quiz master's pages (/quiz): sign in and out, the quiz rounds of their competition, and
the live console of a round.

The console is rendered with the round's state (quiz/console_state.py) and kept by console.js:
each tap (a question put, a team's answer, undo, the end of the regular questions) goes through
an outbox in localStorage with a client-made id and is retried as the same request until the
server answers (/api/quiz), so a dropped network records nothing twice. The server checks
everything again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from quiz.console_state import console_state, quiz_rounds
from quiz.text import page_text, script_words
from scoring.refusals import Refusal
from web.auth import SignInRequired, principal_async, principal_of, public_guard
from web.database import InjectedDatabase
from web.i18n import language_of
from web.pages import problems_of, render_page
from web.params import RowId
from web.signin import SignInRefused, sign_in_with_password, sign_out

CONSOLE_SCRIPT = (Path(__file__).resolve().parent / "templates" / "quiz" / "console.js").read_text(encoding="utf-8")


async def quiz_page_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Quiz master pages: anyone not signed in is sent to the sign-in page; other roles are refused."""
    who = await principal_async(connection)
    if who.role == "public":
        raise SignInRequired("/quiz/login")
    if who.role != "quiz_master":
        raise PermissionDeniedException(detail="无权访问 / this page is not for your role")


def render(request: Request[Any, Any, Any], name: str, status: int = 200, **context: Any) -> Template:
    lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
    return render_page(request, name, status, t=page_text(lang), **context)


class QuizSignInPages(Controller):
    path = "/quiz"
    guards = [public_guard]  # noqa: RUF012

    @get("/login")
    async def login_form(self, request: Request[Any, Any, Any]) -> Template:
        return render(request, "quiz/login.html")

    @post("/login")
    async def login(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template | Redirect:
        form = await request.form()
        username, password = str(form.get("username", "")), str(form.get("password", ""))

        def sign_in() -> None:
            user = sign_in_with_password(request, database, username, password)
            if user.role != "quiz_master":
                sign_out(request, database)
                raise SignInRefused("用户名或密码错误", "wrong user name or password")

        try:
            await anyio.to_thread.run_sync(sign_in)
        except Refusal as refused:
            return render(request, "quiz/login.html", refused.status, problems=problems_of(refused), username=username)
        return Redirect(path="/quiz")

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Redirect:
        await anyio.to_thread.run_sync(sign_out, request, database)
        return Redirect(path="/quiz/login")

    @get("/console.js")
    async def console_script(self) -> Response[str]:
        return Response(CONSOLE_SCRIPT, media_type="text/javascript")


class QuizPages(Controller):
    path = "/quiz"
    guards = [quiz_page_guard]  # noqa: RUF012

    @get("/")
    async def home(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template:
        who = principal_of(request)

        def load(db: Session) -> list[dict[str, Any]]:
            return quiz_rounds(db, who.competition_id)

        return render(request, "quiz/home.html", rounds=await database.run(load), master=who.name)

    @get("/rounds/{round_id:int}")
    async def console(self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId) -> Template:
        """The console of one quiz round of the quiz master's own competition."""
        who = principal_of(request)
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))

        def load(db: Session) -> dict[str, Any]:
            return console_state(db, who.competition_id, round_id)

        state = await database.run(load)
        return render(request, "quiz/console.html", state=state, master=who.name, words=script_words(lang))
