"""A contestant's short typed code (选手码): eight characters a unit can read out or print beside
the link, derived from the app's key, the competition and the contestant (as a judge's PIN is),
so it is printed again identically and needs no table. Letters and digits that look alike (0/O,
1/I/L) are left out. The code opens what the contestant's link opens and nothing else; tries are
limited per address like every sign-in (web/signin.py's limiter)."""

from __future__ import annotations

import hashlib
import hmac

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
LENGTH = 8


def contestant_code(secret: bytes, competition_id: int, key: str) -> str:
    mac = hmac.new(secret, f"contestant code.{competition_id}.{key}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(mac[:10], "big")
    out = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        out.append(ALPHABET[digit])
    return "".join(out)


def normalised(typed: str) -> str:
    """A code as typed (any case, spaces or dashes) in the form `contestant_code` gives."""
    return "".join(c for c in typed.upper() if c.isalnum())[: LENGTH + 4]


def same_code(expected: str, typed: str) -> bool:
    return hmac.compare_digest(expected, normalised(typed))
