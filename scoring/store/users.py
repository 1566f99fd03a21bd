"""Accounts that sign in with a password (organisers). Passwords are kept as argon2 hashes."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.store import audit
from scoring.store.models import User

HASHER = PasswordHasher()


def new_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    actor: str,
    competition_id: int | None = None,
) -> int:
    """A new user; the password is hashed before anything is read, so the slow hash holds no lock."""
    password_hash = HASHER.hash(password)
    if session.execute(select(User.id).where(User.username == username)).first():
        from scoring.problems import InvalidInput, Problem

        raise InvalidInput(
            [Problem(zh=f"用户名“{username}”已存在", en=f"user name '{username}' is taken", path="username")]
        )
    user = User(username=username, password_hash=password_hash, role=role, competition_id=competition_id)
    session.add(user)
    session.flush()
    audit.append(session, actor=actor, action="user.create", entity="user", entity_id=username, after={"role": role})
    return user.id


def has_organiser(session: Session) -> bool:
    return session.execute(select(User.id).where(User.role == "organiser").limit(1)).first() is not None


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches (the same work is spent when there is no account)."""
    if password_hash is None:
        HASHER.hash(password)
        return False
    try:
        return bool(HASHER.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
