"""Exact numbers: parsing to Decimal and rounding as rulebooks say.

Scores are Decimals from the moment a mark is read. Rounding happens only where a rubric
asks for it, with the places and mode it names. This module does not decide where to round.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from decimal import Decimal

#: Working precision for every score computation: far beyond any rulebook's places.
PRECISION = 34

ROUNDING_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
    "floor": decimal.ROUND_FLOOR,
    "ceiling": decimal.ROUND_CEILING,
}

#: No number anyone types is longer: a longer text is not read as a number at all.
MAX_NUMBER_TEXT = 40
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")  # ASCII digits only: no ٨ or ８


def score_context() -> decimal.Context:
    """A Decimal context for score work: wide precision, traps on invalid operations."""
    ctx = decimal.Context(prec=PRECISION, rounding=decimal.ROUND_HALF_EVEN)
    ctx.traps[decimal.InvalidOperation] = True
    ctx.traps[decimal.DivisionByZero] = True
    return ctx


def parse_decimal(text: object) -> Decimal | None:
    """A Decimal from a plain decimal number written as text or given as int/Decimal; else None.

    Binary floats are refused on purpose: a float has already lost the digits the user wrote.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, Decimal):
        return text if text.is_finite() else None
    if isinstance(text, int):
        return Decimal(text)
    if not isinstance(text, str):
        return None
    s = text.strip().replace("，", ",")
    if len(s) > MAX_NUMBER_TEXT or not _NUMBER.match(s):
        return None
    return Decimal(s)


@dataclass(frozen=True)
class Rounding:
    """Round to `places` decimal places with a named mode (half_up, half_even, down, ...)."""

    places: int
    mode: str = "half_up"

    def apply(self, value: Decimal) -> Decimal:
        return quantize(value, self.places, self.mode)

    def describe(self) -> str:
        return f"round to {self.places} places, {self.mode}"


_QUANTIZE_CONTEXT = score_context()
_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(-6, 13)}


def quantize(value: Decimal, places: int, mode: str = "half_up") -> Decimal:
    """Round `value` to `places` decimal places (negative places round to tens, hundreds...)."""
    exp = _EXPONENTS.get(places) or Decimal(1).scaleb(-places)
    return value.quantize(exp, rounding=ROUNDING_MODES[mode], context=_QUANTIZE_CONTEXT)


def format_decimal(value: Decimal) -> str:
    """Plain notation without exponent, keeping the places the value has."""
    return f"{value:f}"


def decimal_text(value: Decimal | None) -> str:
    """A score as exact text, "" for no score (a table cell, a page, a snapshot)."""
    return "" if value is None else format_decimal(value)
