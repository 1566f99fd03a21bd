"""Signed-in sessions kept on the server, and failed sign-ins counted per account.

A session is a random token (in the browser's cookie) whose SHA-256 is stored here with the
role and account it belongs to and when it expires; signing out ends it, and revoking a
judge's access ends every session of that judge, at once. Failed sign-ins are counted per
account (never successes): after LOCK_AFTER failures in a row the account is locked for a time
that doubles with each further failure (capped at LOCK_MAX), and each lockout is audited so
the chief judge and the organiser can see it. A success clears the count.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from scoring.store import audit
from scoring.store.models import Judge, SignIn, User, utcnow

SESSION_LIFETIME = timedelta(hours=12)
LOCK_AFTER = 5
LOCK_FIRST = timedelta(minutes=1)
LOCK_MAX = timedelta(hours=1)


def token_digest(token: str) -> str:
    """What is stored of a session's token (its SHA-256), and what a sign-in is looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


SIGN_INS: Table = SignIn.__table__  # type: ignore[assignment]
JUDGES: Table = Judge.__table__  # type: ignore[assignment]
#: A judge's sign-in, built once (SQLAlchemy Core, plain rows): every judge's write confirms it.
LIVE_JUDGE = (
    select(JUDGES.c.id, JUDGES.c.competition_id, JUDGES.c.key, SIGN_INS.c.expires_at)
    .join(SIGN_INS, SIGN_INS.c.judge_id == JUDGES.c.id)
    .where(SIGN_INS.c.token_hash == bindparam("token_hash"), SIGN_INS.c.ended_at.is_(None))
)


def open_sign_in(db: Session, role: str, *, user_id: int | None = None, judge_id: int | None = None) -> str:
    """A new session; returns its token (shown to the browser only)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(
        SignIn(
            token_hash=token_digest(token),
            role=role,
            user_id=user_id,
            judge_id=judge_id,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return token


def live_sign_in(db: Session, token: str) -> SignIn | None:
    """The session behind a token, if it has not ended or expired."""
    found = db.execute(select(SignIn).where(SignIn.token_hash == token_digest(token))).scalar_one_or_none()
    if found is None or found.ended_at is not None or found.expires_at <= utcnow():
        return None
    return found


def live_judge(db: Session, token: str) -> tuple[int, int, str] | None:
    """(judge id, competition id, judge key) of a judge's live session, in one query; None when
    the token is no judge's or the session ended or expired."""
    found = db.connection().execute(LIVE_JUDGE, {"token_hash": token_digest(token)}).one_or_none()
    if found is None or found[3] <= utcnow():
        return None
    return int(found[0]), int(found[1]), str(found[2])


def end_sign_in(db: Session, token: str) -> None:
    db.execute(
        update(SignIn)
        .where(SignIn.token_hash == token_digest(token), SignIn.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_sign_ins_of_judge(db: Session, judge_id: int) -> None:
    db.execute(update(SignIn).where(SignIn.judge_id == judge_id, SignIn.ended_at.is_(None)).values(ended_at=utcnow()))


def locked_until(account: User | Judge) -> datetime | None:
    """Until when the account is locked after failed sign-ins (None: it is not)."""
    if account.locked_until is not None and account.locked_until > utcnow():
        return account.locked_until
    return None


def record_failure(db: Session, account: User | Judge, address: str) -> None:
    """One more failed sign-in for the account; lock it once LOCK_AFTER failures are reached."""
    account.failed_sign_ins = (account.failed_sign_ins or 0) + 1
    over = account.failed_sign_ins - LOCK_AFTER
    if over >= 0:
        account.locked_until = utcnow() + min(LOCK_FIRST * (2**over), LOCK_MAX)
        name = account.key if isinstance(account, Judge) else account.username
        audit.append(
            db,
            actor=f"sign-in:{address}",
            address=address,
            action="sign_in.locked",
            entity="judge" if isinstance(account, Judge) else "user",
            entity_id=name,
            after={"failures": account.failed_sign_ins, "locked_until": account.locked_until.isoformat()},
        )


def record_success(account: User | Judge) -> None:
    account.failed_sign_ins = 0
    account.locked_until = None
