"""Reading what a judge or official wrote for one mark: yes/no, counts, times, numbers.

Each reader takes the raw text of one cell and returns the value, or None when it cannot be
read. Criterion kinds call these; they decide what is in range.
"""

from __future__ import annotations

import re
from decimal import Decimal

from scoring.decimals import parse_decimal

TRUE_WORDS = {"1", "true", "yes", "y", "t", "是", "对", "√", "✓", "done", "ok"}
FALSE_WORDS = {"0", "false", "no", "n", "f", "否", "错", "×", "✗", "-"}
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def read_bool(raw: str) -> bool | None:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def read_count(raw: str) -> int | None:
    word = raw.strip()
    if word.isdigit():
        return int(word)
    number = parse_decimal(word)
    if number is not None and number == number.to_integral_value() and number >= 0:
        return int(number)
    return None


def read_seconds(raw: str) -> Decimal | None:
    """Seconds from "83.4", "1:23.4" or "0:01:23.4"."""
    text = raw.strip()
    number = parse_decimal(text)
    if number is not None:
        return number
    match = _CLOCK.match(text)
    if not match:
        return None
    hours_or_minutes, minutes_or_seconds, seconds = match.groups()
    if hours_or_minutes is None:
        return Decimal(minutes_or_seconds) * 60 + Decimal(seconds)
    return Decimal(hours_or_minutes) * 3600 + Decimal(minutes_or_seconds) * 60 + Decimal(seconds)
