"""The organiser's sign-in and sign-out pages (/admin/login, /admin/logout)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from scoring.problems import Problem
from scoring.store.users import check_password
from web.auth import public_guard
from web.database import InjectedDatabase
from web.i18n import language_of, translator
from web.pages import render_page


class AdminLoginPages(Controller):
    path = "/admin"
    guards = [public_guard]  # noqa: RUF012

    @get("/login")
    async def login_form(self, request: Request[Any, Any, Any]) -> Template:
        return render_page(request, "admin/login.html")

    @post("/login")
    async def login(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template | Redirect:
        form = await request.form()
        t = translator(language_of(request.query_params.get("lang"), request.cookies.get("lang")))
        address = request.client.host if request.client else "?"
        if not request.app.state.limiter.allow(f"password:{address}"):
            return render_page(request, "admin/login.html", 429, problems=[Problem(zh=t("too_many"), en=t("too_many"))])
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        user = await database.run(check_password, username, password)
        if user is None or user.role != "organiser":
            return render_page(
                request,
                "admin/login.html",
                401,
                problems=[Problem(zh="用户名或密码错误", en="wrong user name or password")],
            )
        request.set_session({"role": "organiser", "user_id": user.id})
        return Redirect(path="/admin")

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect(path="/admin/login")
