"""Signing in and out, the same for the API and the pages.

An account is read in one short transaction, its password or PIN is checked after it (the slow
hash holds no lock), and the outcome is written in a second: a failure counts against the
account and the address (scoring/store/sign_ins.py; web/security.py's AttemptLimiter), a
success clears the account's count and opens a session kept on the server, whose token alone
goes into the browser's encrypted cookie. Signing out ends that session at once. The address
is the connection's peer: forwarded headers count only from configured proxies (uvicorn's
forwarded_allow_ips, set by SCORING_TRUSTED_PROXIES).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scoring.refusals import Refusal
from scoring.store.models import Competition, Judge, User
from scoring.store.sign_ins import (
    end_sign_in,
    live_sign_in,
    locked_until,
    open_sign_in,
    record_failure,
    record_success,
)
from scoring.store.users import verify_password
from web.database import Database
from web.security import check_pin

WRONG_PASSWORD = ("用户名或密码错误", "wrong user name or password")
WRONG_PIN = ("评委编号或 PIN 错误", "wrong judge or PIN")


class SignInRefused(Refusal):
    kind = "sign-in-refused"
    status = 401


class SignInLocked(Refusal):
    kind = "too-many-attempts"
    status = 429


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "?"


def _check_address(request: Request[Any, Any, Any], kind: str) -> str:
    address = client_address(request)
    if request.app.state.limiter.blocked(f"{kind}:{address}"):
        raise SignInLocked(
            "尝试失败次数过多，请稍后再试", "too many failed attempts from this address; wait a few minutes"
        )
    return address


def _refuse_locked(account: User | Judge) -> None:
    until = locked_until(account)
    if until is not None:
        at = until.astimezone().strftime("%H:%M")
        raise SignInLocked(
            f"该账号因多次输错已锁定至 {at}，请稍后再试或联系裁判长/组织者",
            f"this account is locked after repeated failures until {at}; try later or ask the chief judge",
        )


def _conclude(
    request: Request[Any, Any, Any], database: Database, model: type[User] | type[Judge], account_id: int, ok: bool
) -> Any:
    """Record the outcome; on success open a session and put its token in the cookie."""
    address, kind = client_address(request), model.__tablename__
    with database.transaction() as db:
        account: User | Judge | None = db.get(model, account_id, with_for_update=True)  # type: ignore[assignment]
        assert account is not None
        if not ok:
            record_failure(db, account, address)
        else:
            record_success(account)
            role = "judge" if isinstance(account, Judge) else account.role
            token = open_sign_in(
                db,
                role,
                user_id=account.id if isinstance(account, User) else None,
                judge_id=account.id if isinstance(account, Judge) else None,
            )
            request.set_session({"sid": token})
            db.flush()
            db.expunge(account)
            return account
    request.app.state.limiter.failed(f"{kind}:{address}")
    return None


def _sign_in(
    request: Request[Any, Any, Any],
    database: Database,
    model: type[User] | type[Judge],
    find: Callable[[Session], User | Judge | None],
    secret_of: Callable[[User | Judge], str | None],
    check: Callable[[str | None], bool],
    wrong: tuple[str, str],
) -> Any:
    """Read the account (refused while locked out), check its secret outside any transaction,
    then record the outcome; refused with `wrong` when there is no such account or it failed."""
    _check_address(request, model.__tablename__)
    with database.transaction() as db:
        account = find(db)
        if account is not None:
            _refuse_locked(account)
        found = (account.id, secret_of(account)) if account is not None else None
    ok = check(found[1] if found else None)
    if found is None:
        request.app.state.limiter.failed(f"{model.__tablename__}:{client_address(request)}")
        raise SignInRefused(*wrong)
    signed_in = _conclude(request, database, model, found[0], ok)
    if signed_in is None:
        raise SignInRefused(*wrong)
    return signed_in


def sign_in_with_password(request: Request[Any, Any, Any], database: Database, username: str, password: str) -> User:
    """An organiser or quiz master; refused (401, or 429 when locked out) otherwise."""
    user: User = _sign_in(
        request,
        database,
        User,
        lambda db: db.execute(select(User).where(User.username == username)).scalar_one_or_none(),
        lambda account: account.password_hash if isinstance(account, User) else None,
        lambda secret: verify_password(secret, password),
        WRONG_PASSWORD,
    )
    return user


def find_judge(db: Session, competition: str, judge_key: str) -> Judge | None:
    """The judge a PIN sign-in names. Keys are compared without regard to case, as people type
    them (E3 is e3); an exact match wins where a competition holds both. Without a competition
    key the judge's key alone is enough when one competition has it; when several do, the judge
    is asked for the competition's key too (it is printed on the access card). A competition key
    that names no competition is said to be wrong as such, not as a wrong PIN."""
    query = select(Judge).join(Competition, Competition.id == Judge.competition_id)
    query = query.where(func.lower(Judge.key) == judge_key.lower())
    if competition:
        if not _competition_exists(db, competition):
            raise SignInRefused(
                f"没有编号为“{competition[:64]}”的竞赛，请核对登录卡（只有一个竞赛时可不填）",
                f"no competition has the key '{competition[:64]}'; check your card (it may be left empty)",
                field="competition",
            )
        query = query.where(func.lower(Competition.key) == competition.lower())
    found = list(db.execute(query).scalars())
    if len(found) > 1:
        found = [judge for judge in found if judge.key == judge_key]
        if len(found) != 1:
            raise SignInRefused(
                f"评委编号“{judge_key[:64]}”在多个竞赛中都有，请同时填写竞赛编号（见登录卡）",
                f"judge '{judge_key[:64]}' is in more than one competition; "
                "enter the competition key too (it is on your card)",
                field="competition",
            )
    return found[0] if found else None


def _competition_exists(db: Session, key: str) -> bool:
    query = select(Competition.id).where(func.lower(Competition.key) == key.lower()).limit(1)
    return db.execute(query).first() is not None


def sign_in_with_pin(
    request: Request[Any, Any, Any], database: Database, competition: str, judge_key: str, pin: str
) -> Judge:
    """A judge by key and PIN, and the competition's key where the judge's key alone is ambiguous
    (`find_judge`); refused (401, or 429 when locked out) otherwise."""
    judge: Judge = _sign_in(
        request,
        database,
        Judge,
        lambda db: find_judge(db, competition.strip(), judge_key.strip()),
        lambda account: account.pin_hash if isinstance(account, Judge) else None,
        lambda secret: check_pin(secret, pin),
        WRONG_PIN,
    )
    return judge


def sign_in_judge_by_link(request: Request[Any, Any, Any], database: Database, judge_id: int) -> None:
    """A judge whose signed link the caller has already checked."""
    with database.transaction() as db:
        request.set_session({"sid": open_sign_in(db, "judge", judge_id=judge_id)})


def sign_out(request: Request[Any, Any, Any], database: Database) -> None:
    """End the session on the server (a copied cookie stops working too) and clear the cookie."""
    raw = request.scope.get("session")
    token = raw.get("sid") if isinstance(raw, dict) else None
    if isinstance(token, str):
        with database.transaction() as db:
            end_sign_in(db, token)
    request.clear_session()


__all__ = ["SignInLocked", "SignInRefused", "live_sign_in", "sign_in_with_password", "sign_in_with_pin", "sign_out"]
