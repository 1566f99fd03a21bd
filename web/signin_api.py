"""Signing in and out: organisers by password, judges by access link or PIN (web/signin.py).
Failed attempts are limited per account and per client address; a wrong password or PIN says
no more than that."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.params import FromPath, JSONBody
from litestar.response import Redirect

from scoring.store.models import Judge
from web.auth import public_guard
from web.database import InjectedDatabase
from web.security import read_judge_token
from web.signin import client_address, sign_in_judge_by_link, sign_in_with_password, sign_in_with_pin, sign_out

Short = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class LoginBody(msgspec.Struct, forbid_unknown_fields=True):
    username: Short
    password: Short


class PinBody(msgspec.Struct, forbid_unknown_fields=True):
    """A judge's key and PIN; the competition's key only where the judge's key alone is ambiguous."""

    judge: Short
    pin: Annotated[str, msgspec.Meta(pattern=r"^\d{6}$")]
    competition: Annotated[str, msgspec.Meta(max_length=128)] = ""


def _limit_links(request: Request[Any, Any, Any]) -> None:
    """Links are long signed tokens; still, an address that sends many bad ones waits."""
    if request.app.state.limiter.blocked(f"links:{client_address(request)}"):
        raise TooManyRequestsException(
            detail="尝试次数过多，请稍后再试 / too many attempts; wait a few minutes", headers={"Retry-After": "300"}
        )


class AuthController(Controller):
    guards = [public_guard]  # noqa: RUF012
    tags = ["sign-in"]  # noqa: RUF012

    @post("/api/session", sync_to_thread=True, status_code=200)
    def sign_in(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, data: JSONBody[LoginBody]
    ) -> dict[str, str]:
        """Organiser (or quiz master) sign-in with user name and password. Failures are counted
        per account and per address; an account is locked for a while after repeated failures."""
        user = sign_in_with_password(request, database, data.username, data.password)
        if user.role not in ("organiser", "quiz_master"):
            sign_out(request, database)
            raise NotAuthorizedException(detail="用户名或密码错误 / wrong user name or password")
        return {"role": user.role, "username": user.username}

    @delete("/api/session", sync_to_thread=True, status_code=200)
    def sign_out(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> dict[str, str]:
        """Sign out: the session ends on the server, so a copy of the cookie stops working too."""
        sign_out(request, database)
        return {"role": "public"}

    @post("/api/session/judge-pin", sync_to_thread=True, status_code=200)
    def sign_in_with_pin(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, data: JSONBody[PinBody]
    ) -> dict[str, str]:
        """Judge sign-in with the judge's key and six-digit PIN (keys in any case), and the
        competition's key where several competitions have a judge of that key."""
        judge = sign_in_with_pin(request, database, data.competition, data.judge, data.pin)
        return {"role": "judge", "judge": judge.key}

    @get("/judge/signin/{token:str}", sync_to_thread=True)
    def sign_in_with_link(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: FromPath[str]
    ) -> Redirect:
        """The link in a judge's QR code: signs the judge in and opens their tablet page."""
        _limit_links(request)
        parsed = read_judge_token(request.app.state.secret, token)
        with database.read() as db:
            judge = db.get(Judge, parsed[0]) if parsed else None
        if judge is None or parsed is None or judge.token_version != parsed[1]:
            request.app.state.limiter.failed(f"links:{client_address(request)}")
            raise NotAuthorizedException(detail="链接无效或已被撤销 / this link is not valid or was revoked")
        sign_in_judge_by_link(request, database, judge.id)
        return Redirect(path="/judge")
