"""The organiser's sign-in and sign-out pages (/admin/login, /admin/logout)."""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from scoring.refusals import Refusal
from web.auth import public_guard
from web.database import InjectedDatabase
from web.pages import problems_of, render_page
from web.signin import SignInRefused, sign_in_with_password, sign_out


class AdminLoginPages(Controller):
    path = "/admin"
    guards = [public_guard]  # noqa: RUF012

    @get("/login")
    async def login_form(self, request: Request[Any, Any, Any]) -> Template:
        return render_page(request, "admin/login.html")

    @post("/login")
    async def login(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template | Redirect:
        form = await request.form()
        username, password = str(form.get("username", "")), str(form.get("password", ""))

        def sign_in() -> str:
            user = sign_in_with_password(request, database, username, password)
            if user.role != "organiser":
                sign_out(request, database)
                raise SignInRefused("用户名或密码错误", "wrong user name or password")
            return user.role

        try:
            await anyio.to_thread.run_sync(sign_in)
        except Refusal as refused:
            return render_page(request, "admin/login.html", refused.status, problems=problems_of(refused))
        return Redirect(path="/admin")

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Redirect:
        await anyio.to_thread.run_sync(sign_out, request, database)
        return Redirect(path="/admin/login")
