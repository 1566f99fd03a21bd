"""Secrets and sign-in material: the app's secret key, judges' signed access links and PINs,
and a rate limit on sign-in attempts.

An access link carries the judge's id and token version, signed with the app's key (HMAC-
SHA256). Raising the judge's token version revokes every link and session made before. PINs
are six digits derived from the same key, judge and token version (`judge_pin`), so a card can
be printed again without changing anything, and a new token version gives a new link and a new
PIN together; the store keeps only their argon2 hashes. Sign-in attempts are limited per client address and
target (ten in five minutes), in memory: enough for one server process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()


def load_secret(data_dir: Path, from_env: str | None) -> bytes:
    """The key for cookies and links: from the environment, or a file made once in the data dir."""
    if from_env:
        return hashlib.sha256(from_env.encode()).digest()
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    return path.read_bytes()[:32]


def existing_secret(data_dir: Path, from_env: str | None) -> bytes | None:
    """The key `load_secret` gives, without making one: None when there is none yet."""
    if from_env:
        return hashlib.sha256(from_env.encode()).digest()
    path = data_dir / "secret.key"
    return path.read_bytes()[:32] if path.is_file() else None


def audit_key(secret: bytes) -> bytes:
    """The audit chain's key (scoring/store/audit.py), derived from the app's secret: kept outside
    the database, and never the key that signs cookies and links itself."""
    return hmac.new(secret, b"audit chain", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def sign_judge_token(secret: bytes, judge_id: int, token_version: int) -> str:
    payload = f"{judge_id}.{token_version}"
    mac = hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:18]
    return f"{payload}.{_b64(mac)}"


def read_judge_token(secret: bytes, token: str) -> tuple[int, int] | None:
    """(judge id, token version) from a genuine token, else None."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    expected = sign_judge_token(secret, int(parts[0]), int(parts[1]))
    return (int(parts[0]), int(parts[1])) if hmac.compare_digest(expected, token) else None


HOLDER_PURPOSES = ("appeal", "unit", "contestant")


def sign_holder_token(secret: bytes, purpose: str, competition_id: int, key: str) -> str:
    """A holder's link token: one competition and one key (a team, a unit, a contestant),
    signed with the app's key for one purpose, so a unit's link never opens a contestant's
    pages or a team's appeal form. Stateless: the link itself is the credential, checked on
    every request; it lets its holder do what its purpose allows and nothing else.

    Purposes: "appeal" (a team's leader lodges appeals during a notice), "unit" (an
    enterprise's representative: its participation, submissions and nominations),
    "contestant" (one worker's online papers)."""
    if purpose not in HOLDER_PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    payload = f"{competition_id}.{_b64(key.encode())}"
    mac = hmac.new(secret, purpose.encode() + b"." + payload.encode(), hashlib.sha256).digest()[:18]
    return f"{payload}.{_b64(mac)}"


def read_holder_token(secret: bytes, purpose: str, token: str) -> tuple[int, str] | None:
    """(competition id, key) from a genuine token signed for `purpose`, else None."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or len(token) > 200:
        return None
    try:
        key = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    expected = sign_holder_token(secret, purpose, int(parts[0]), key)
    return (int(parts[0]), key) if hmac.compare_digest(expected, token) else None


def sign_team_token(secret: bytes, competition_id: int, team_key: str) -> str:
    """A team's appeal link token (one link per team; it lets the team's leader lodge appeals
    during a notice and nothing else)."""
    return sign_holder_token(secret, "appeal", competition_id, team_key)


def read_team_token(secret: bytes, token: str) -> tuple[int, str] | None:
    """(competition id, team key) from a genuine team token, else None."""
    return read_holder_token(secret, "appeal", token)


def judge_pin(secret: bytes, judge_id: int, token_version: int) -> str:
    """The judge's six-digit PIN for this token version: as secret as the link (both need the
    app's key), printed again identically, replaced by a new one when the version rises."""
    mac = hmac.new(secret, f"pin.{judge_id}.{token_version}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(mac[:8], 'big') % 10**6:06d}"


def hash_pin(pin: str) -> str:
    return HASHER.hash(pin)


def check_pin(pin_hash: str | None, pin: str) -> bool:
    if not pin_hash:
        HASHER.hash(pin)
        return False
    try:
        return HASHER.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


class AttemptLimiter:
    """Failed sign-ins per key (an address) in a sliding window: at most `limit` failures in
    `window` seconds, then the key is blocked until old failures leave the window. Successes
    are never counted, so a venue's many judges behind one address can all sign in."""

    def __init__(self, limit: int = 10, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        return seen

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def failed(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(key, now).append(now)
