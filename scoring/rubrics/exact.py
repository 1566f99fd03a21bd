"""Exact decimal columns held as int64 counts of a unit: the arithmetic of the engine's integer path.

A column holds one value per group as an int64 count of a unit 10**unit, and for each value the
exponent its Decimal would have (7.5 and 7.50 are equal but print differently) and whether it is a
negative zero (Decimal's quantize keeps the sign of a negative value rounded to zero). Every
operation gives exactly the Decimal the reference path gives (Decimal objects in numpy object
arrays, under `score_context`), coefficient, exponent and sign alike, or raises `NotExact` where
int64 cannot hold the result; the caller then computes with Decimals.

A panel's mean stays a fraction (sum, count) until the rubric rounds it: `round_fraction` rounds
in integers for every mode. Rounding the exact fraction gives what the reference gives when it
rounds the quotient it first computed to 34 digits, as long as the scaled numerator fits int64:
the 34-digit quotient is within half a unit of its 34th digit of the fraction, and a fraction
with a numerator under 10**33 is never that close to a rounding boundary it is not on.

Not here: which rule applies where (engine.py, exact_criterion.py), panel rules (panel_counts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from scoring.decimals import score_context

#: Every count and every intermediate stays within this bound: the sum of two still fits int64.
LIMIT = 2**62
_CONTEXT = score_context()
_POWERS = [10**k for k in range(19)]


class NotExact(Exception):
    """int64 cannot hold this exactly: the caller takes the Decimal path."""


def power(k: int) -> int:
    """10**k for 0 <= k <= 18; beyond that int64 cannot scale by it."""
    if not 0 <= k <= 18:
        raise NotExact(f"10**{k} does not fit int64")
    return _POWERS[k]


def largest(values: np.ndarray) -> int:
    return int(np.abs(values).max()) if len(values) else 0


def scale(values: np.ndarray, k: int) -> np.ndarray:
    """values * 10**k, refused when a product could leave LIMIT."""
    if k == 0:
        return values
    factor = power(k)
    if largest(values) > LIMIT // factor:
        raise NotExact("a value scaled to a finer unit does not fit int64")
    return values * factor


@dataclass
class ExactColumn:
    """Values coef * 10**unit; `exp` is each value's Decimal exponent (>= unit, and coef is a
    multiple of 10**(exp - unit)); `negative_zero` marks zeros that are -0 in the reference."""

    coef: np.ndarray
    unit: int
    exp: np.ndarray
    negative_zero: np.ndarray

    def __len__(self) -> int:
        return len(self.coef)

    def to_unit(self, unit: int) -> ExactColumn:
        """The same values as counts of a finer unit (unit <= self.unit)."""
        return ExactColumn(scale(self.coef, self.unit - unit), unit, self.exp, self.negative_zero)

    def take(self, rows: np.ndarray) -> ExactColumn:
        return ExactColumn(self.coef[rows], self.unit, self.exp[rows], self.negative_zero[rows])

    def decimals(self) -> np.ndarray:
        """The Decimal of every value (each distinct value built once), as the reference has it."""
        n = len(self.coef)
        out = np.empty(n, dtype=object)
        if n == 0:
            return out
        shift = self.exp - self.unit
        own = self.coef.copy()
        for k in np.unique(shift):
            rows = shift == k
            own[rows] = self.coef[rows] // power(int(k)) if k <= 18 else 0
        sign = self.negative_zero.astype(np.int64)
        if (self.exp == self.exp[0]).all() and not sign.any():
            distinct, where = np.unique(own, return_inverse=True)
            built = [Decimal(int(c)).scaleb(int(self.exp[0]), _CONTEXT) for c in distinct]
        else:
            keys = np.stack([own, self.exp.astype(np.int64), sign], axis=1)
            rows_of, where = np.unique(keys, axis=0, return_inverse=True)
            built = [_decimal(int(c), int(e), bool(s)) for c, e, s in rows_of]
        table = np.empty(len(built), dtype=object)
        table[:] = built
        out[:] = table[np.asarray(where).reshape(-1)]
        return out


def _decimal(coef: int, exp: int, negative_zero: bool) -> Decimal:
    if negative_zero:
        return Decimal((1, (0,), exp))
    return Decimal(coef).scaleb(exp, _CONTEXT)


def column(coef: np.ndarray, unit: int, exp: np.ndarray | int | None = None) -> ExactColumn:
    """A column of counts; `exp` is each value's exponent, or one for all (the unit by default)."""
    n = len(coef)
    if exp is None or isinstance(exp, int):
        exps = np.full(n, unit if exp is None else exp, dtype=np.int64)
    else:
        exps = np.asarray(exp, dtype=np.int64)
    if largest(coef) > LIMIT:
        raise NotExact("a value does not fit int64")
    return ExactColumn(np.asarray(coef, dtype=np.int64), unit, exps, np.zeros(n, dtype=bool))


def constant(value: Decimal, n: int) -> ExactColumn:
    """`value` in every row, with its own exponent."""
    sign, digits, exp = value.as_tuple()
    if not isinstance(exp, int):
        raise NotExact("not a finite number")
    coef = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    if abs(coef) > LIMIT:
        raise NotExact("a constant does not fit int64")
    out = column(np.full(n, coef, dtype=np.int64), exp)
    out.negative_zero[:] = bool(sign) and coef == 0
    return out


def common_unit(columns: list[ExactColumn]) -> list[ExactColumn]:
    unit = min(c.unit for c in columns)
    return [c.to_unit(unit) for c in columns]


def add(columns: list[ExactColumn]) -> ExactColumn:
    """The sum, as Decimal adds: exponent the least of the terms', -0 only if every term is -0."""
    aligned = common_unit(columns)
    if sum(largest(c.coef) for c in aligned) > LIMIT:
        raise NotExact("a sum does not fit int64")
    coef = aligned[0].coef.copy()
    exp = aligned[0].exp.copy()
    negative_zero = aligned[0].negative_zero.copy()
    for c in aligned[1:]:
        coef += c.coef
        np.minimum(exp, c.exp, out=exp)
        negative_zero &= c.negative_zero
    return ExactColumn(coef, aligned[0].unit, exp, negative_zero)


def select(condition: np.ndarray, chosen: ExactColumn, otherwise: ExactColumn) -> ExactColumn:
    """Row by row, `chosen` where the condition holds, else `otherwise` (np.where, exactly)."""
    a, b = common_unit([chosen, otherwise])
    return ExactColumn(
        np.where(condition, a.coef, b.coef),
        a.unit,
        np.where(condition, a.exp, b.exp),
        np.where(condition, a.negative_zero, b.negative_zero),
    )


def less(a: ExactColumn, b: ExactColumn) -> np.ndarray:
    x, y = common_unit([a, b])
    return np.asarray(x.coef < y.coef)


def _round_up(quotient: np.ndarray, rest: np.ndarray, over: np.ndarray, positive: np.ndarray, mode: str) -> np.ndarray:
    """Whether to add one to the floor quotient; rest = N - floor * D in [0, D), over = D - rest."""
    inexact = rest > 0
    if mode == "floor":
        return np.zeros(len(quotient), dtype=bool)
    if mode == "ceiling":
        return inexact
    if mode == "down":
        return inexact & ~positive
    if mode == "up":
        return inexact & positive
    tie = rest == over
    if mode == "half_up":
        return (rest > over) | (tie & positive)
    if mode == "half_even":
        return (rest > over) | (tie & (quotient % 2 == 1))
    raise NotExact(f"rounding mode {mode}")


def round_fraction(
    numerator: np.ndarray,
    denominator: np.ndarray,
    unit: int,
    places: int,
    mode: str,
    negative_zero: np.ndarray | None = None,
) -> ExactColumn:
    """numerator / denominator * 10**unit rounded to `places` (denominators > 0), every value at
    exponent -places, as Decimal's quantize gives it (a negative value rounded to 0 is -0)."""
    s = unit + places
    if s >= 0:
        n, d = scale(numerator, s), denominator
    else:
        n, d = numerator, scale(denominator, -s)
    quotient = n // d
    rest = n - quotient * d
    coef = quotient + _round_up(quotient, rest, d - rest, n > 0, mode)
    was_negative_zero = np.zeros(len(n), dtype=bool) if negative_zero is None else negative_zero
    negative = (coef == 0) & ((n < 0) | ((n == 0) & was_negative_zero))
    return ExactColumn(coef, -places, np.full(len(coef), -places, dtype=np.int64), negative)


def round_column(values: ExactColumn, places: int, mode: str) -> ExactColumn:
    ones = np.ones(len(values), dtype=np.int64)
    return round_fraction(values.coef, ones, values.unit, places, mode, values.negative_zero)


def trailing_zeros(values: np.ndarray) -> np.ndarray:
    """How many times each nonzero value divides by 10 (0 for zero)."""
    zeros = np.zeros(len(values), dtype=np.int64)
    rest = values.copy()
    for _ in range(19):
        more = (rest != 0) & (rest % 10 == 0)
        if not more.any():
            break
        zeros += more
        rest = np.where(more, rest // 10, rest)
    return zeros


def divide(numerator: np.ndarray, denominator: np.ndarray, unit: int, ideal: np.ndarray) -> ExactColumn:
    """numerator * 10**unit / denominator where every quotient terminates within int64, with the
    exponent Decimal division gives an exact quotient: the dividend's (`ideal`) when the quotient
    can be written to it, else the fewest places it needs. Raises NotExact otherwise."""
    for s in range(19):
        scaled = scale(numerator, s)
        if not (scaled % denominator).any():
            break
    else:
        raise NotExact("a quotient does not terminate within int64")
    coef = scaled // denominator
    finest = unit - s
    stripped = finest + trailing_zeros(coef)
    exp = np.where(coef == 0, ideal, np.minimum(ideal, stripped))
    return ExactColumn(coef, finest, exp.astype(np.int64), np.zeros(len(coef), dtype=bool))


def divide_decimal(dividend: Decimal, divisor: int) -> Decimal:
    """dividend / divisor as the reference divides (34 digits, half even)."""
    return _CONTEXT.divide(dividend, Decimal(divisor))
