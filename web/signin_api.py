"""Signing in and out: organisers by password, judges by access link or PIN. Attempts are
rate-limited per client address; a wrong password or PIN says no more than that."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.params import FromPath, JSONBody
from litestar.response import Redirect
from sqlalchemy import select

from scoring.store.models import Competition, Judge
from scoring.store.users import check_password
from web.auth import public_guard
from web.database import InjectedDatabase
from web.security import check_pin, read_judge_token

Short = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class LoginBody(msgspec.Struct, forbid_unknown_fields=True):
    username: Short
    password: Short


class PinBody(msgspec.Struct, forbid_unknown_fields=True):
    competition: Short
    judge: Short
    pin: Annotated[str, msgspec.Meta(pattern=r"^\d{6}$")]


def _limit(request: Request[Any, Any, Any], kind: str) -> None:
    address = request.client.host if request.client else "?"
    if not request.app.state.limiter.allow(f"{kind}:{address}"):
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
        """Organiser (or quiz master) sign-in with user name and password."""
        _limit(request, "password")
        with database.read() as db:
            user = check_password(db, data.username, data.password)
        if user is None or user.role not in ("organiser", "quiz_master"):
            raise NotAuthorizedException(detail="用户名或密码错误 / wrong user name or password")
        request.set_session({"role": user.role, "user_id": user.id})
        return {"role": user.role, "username": user.username}

    @delete("/api/session", status_code=200)
    async def sign_out(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> dict[str, str]:
        request.clear_session()
        return {"role": "public"}

    @post("/api/session/judge-pin", sync_to_thread=True, status_code=200)
    def sign_in_with_pin(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, data: JSONBody[PinBody]
    ) -> dict[str, str]:
        """Judge sign-in with the competition, the judge's key and their six-digit PIN."""
        _limit(request, "pin")
        with database.read() as db:
            judge = db.execute(
                select(Judge)
                .join(Competition, Competition.id == Judge.competition_id)
                .where(Competition.key == data.competition, Judge.key == data.judge)
            ).scalar_one_or_none()
        ok = check_pin(judge.pin_hash if judge else None, data.pin)  # after the read: the hash holds no lock
        if judge is None or not ok:
            raise NotAuthorizedException(detail="评委编号或 PIN 错误 / wrong judge or PIN")
        request.set_session({"role": "judge", "judge_id": judge.id, "token_version": judge.token_version})
        return {"role": "judge", "judge": judge.key}

    @get("/judge/signin/{token:str}", sync_to_thread=True)
    def sign_in_with_link(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: FromPath[str]
    ) -> Redirect:
        """The link in a judge's QR code: signs the judge in and opens their tablet page."""
        _limit(request, "link")
        parsed = read_judge_token(request.app.state.secret, token)
        with database.read() as db:
            judge = db.get(Judge, parsed[0]) if parsed else None
        if judge is None or parsed is None or judge.token_version != parsed[1]:
            raise NotAuthorizedException(detail="链接无效或已被撤销 / this link is not valid or was revoked")
        request.set_session({"role": "judge", "judge_id": judge.id, "token_version": judge.token_version})
        return Redirect(path="/judge")
