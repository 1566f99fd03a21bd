"""Who is asking: the principal behind a request, and the guards on every route group.

Roles: organiser (password), quiz master (password; records a quiz's answers for one
competition), judge (access link or PIN; a judge who is the chief of a round's
panel acts as chief judge there), and the public (anyone, no session). The session cookie is
encrypted and HttpOnly (Litestar's cookie backend) and holds only the token of a session kept
on the server (scoring/store/sign_ins.py), checked on every request: signing out or revoking
a judge ends the session at once, wherever its cookie was copied to. Guards only check the
role; whether a judge may touch a given round or entry is checked by judges/seats.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.orm import Session

from scoring.store.models import Judge, User
from scoring.store.sign_ins import live_judge, live_sign_in


@dataclass(frozen=True)
class Principal:
    role: str  # "organiser", "judge" or "public"
    user_id: int | None = None
    judge_id: int | None = None
    competition_id: int | None = None
    name: str = ""


PUBLIC = Principal(role="public")


def session_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The sign-in token the session cookie carries, if any (not yet confirmed)."""
    raw_session = connection.scope.get("session")
    token = raw_session.get("sid") if isinstance(raw_session, dict) else None
    return token if isinstance(token, str) else None


def _principal_in(db: Session, token: str) -> Principal:
    """Who holds `token`, confirmed in `db`: public when the sign-in ended, expired or is unknown."""
    sign_in = live_sign_in(db, token)
    if sign_in is not None and sign_in.user_id is not None:
        user = db.get(User, sign_in.user_id)
        if user is not None and user.role == sign_in.role:
            return Principal(role=user.role, user_id=user.id, competition_id=user.competition_id, name=user.username)
    elif sign_in is not None and sign_in.judge_id is not None:
        judge = db.get(Judge, sign_in.judge_id)
        if judge is not None:
            return Principal(role="judge", judge_id=judge.id, competition_id=judge.competition_id, name=judge.key)
    return PUBLIC


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """Read the session and confirm it against the database (cached on the request scope)."""
    cached = connection.scope.get("state", {}).get("principal")
    if cached is not None:
        return cached
    token = session_token(connection)
    found = PUBLIC
    if token is not None:
        with connection.app.state.database.read() as db:  # the guard's own short read
            found = _principal_in(db, token)
    connection.scope.setdefault("state", {})["principal"] = found
    return found


def judge_in(db: Session, connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The signed-in judge behind the request, confirmed in the caller's transaction: one query
    for a judge's live sign-in. For the routes guarded by `judge_write_guard`, whose use case
    checks the sign-in, the seat and the entry in the one transaction of the write. Anyone else:
    401 when not signed in, 403 for another role (as `judge_guard` answers)."""
    token = session_token(connection)
    if token is None:
        raise NotAuthorizedException(detail="请先登录 / sign in first")
    found = live_judge(db, token)
    if found is not None:
        return judge_confirmed(connection, *found)
    who = _principal_in(db, token)
    connection.scope.setdefault("state", {})["principal"] = who
    if who.role == "judge":
        return who
    if who.role == "public":
        raise NotAuthorizedException(detail="请先登录 / sign in first")
    raise PermissionDeniedException(detail="无权访问 / this page is not for your role")


def judge_confirmed(
    connection: ASGIConnection[Any, Any, Any, Any], judge_id: int, competition_id: int, key: str
) -> Principal:
    """Record the judge a write confirmed in its own transaction (the one statement of
    scoring/store/write_seats.py read the live sign-in), as `judge_in` records it."""
    who = Principal(role="judge", judge_id=judge_id, competition_id=competition_id, name=key)
    connection.scope.setdefault("state", {})["principal"] = who
    return who


async def principal_async(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """`principal_of` from a guard: the sign-in is read on the database's read lane, so a guard
    never waits behind the writers queued for the routes' threads."""
    cached = connection.scope.get("state", {}).get("principal")
    if cached is not None:
        return cached
    if session_token(connection) is None:
        return principal_of(connection)  # no token: nothing to read
    found: Principal = await connection.app.state.database.in_read_lane(principal_of, connection)
    return found


async def _require(connection: ASGIConnection[Any, Any, Any, Any], role: str) -> None:
    who = await principal_async(connection)
    if who.role == role:
        return
    if who.role == "public":
        raise NotAuthorizedException(detail="请先登录 / sign in first")
    raise PermissionDeniedException(detail="无权访问 / this page is not for your role")


async def organiser_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    await _require(connection, "organiser")


async def judge_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    await _require(connection, "judge")


async def judge_write_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """A judge's write: only a session cookie is asked for here (no database, no worker thread);
    the route confirms the sign-in with `judge_in` inside its own transaction."""
    if session_token(connection) is None:
        raise NotAuthorizedException(detail="请先登录 / sign in first")


async def quiz_master_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    await _require(connection, "quiz_master")


async def public_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Anyone may pass; declared so that every route names its guard."""


class SignInRequired(NotAuthorizedException):
    """A page asked for without the right session: answered by a redirect to its sign-in page."""

    def __init__(self, sign_in_path: str) -> None:
        super().__init__(detail="请先登录 / sign in first")
        self.sign_in_path = sign_in_path


async def organiser_page_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Organiser pages: anyone not signed in is sent to the sign-in page; other roles are refused."""
    who = await principal_async(connection)
    if who.role == "public":
        raise SignInRequired("/admin/login")
    if who.role != "organiser":
        raise PermissionDeniedException(detail="无权访问 / this page is not for your role")


async def judge_page_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Judges' pages: anyone without a judge's session is sent to the PIN page."""
    if (await principal_async(connection)).role != "judge":
        raise SignInRequired("/judge/pin")
