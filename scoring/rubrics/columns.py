"""One value per group, exact in integers where it can be and in Decimals where it cannot.

The engine's steps after the panels (vetoes, sections, the plain total, rounding) take and give
a `Column`: an `ExactColumn` (int64 counts, exact.py) or a numpy object array of Decimals (the
reference path). Each step is done in integers when every operand is an ExactColumn and the
result fits int64; otherwise its operands are turned into Decimals and the step is done as the
reference does it, so the result is the same Decimal either way.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from scoring.decimals import Rounding
from scoring.rubrics import exact
from scoring.rubrics.combine import pick, round_array
from scoring.rubrics.exact import ExactColumn, NotExact

Column = ExactColumn | np.ndarray
ZERO = Decimal(0)


def decimals(values: Column) -> np.ndarray:
    """The column as Decimals (built once per distinct value from counts)."""
    return values.decimals() if isinstance(values, ExactColumn) else values


def total(columns: list[Column], n: int, base: Decimal | None = None) -> Column:
    """0 plus every column (then plus `base`), as the reference adds them."""
    exact_terms = [c for c in columns if isinstance(c, ExactColumn)]
    if len(exact_terms) == len(columns):
        try:
            extra = [] if base is None else [exact.constant(base, n)]
            return exact.add([exact.constant(ZERO, n), *exact_terms, *extra])
        except NotExact:
            pass
    out = np.full(n, ZERO, dtype=object)
    for c in columns:
        out = out + decimals(c)
    return out if base is None else out + base


def zero_where(condition: np.ndarray, values: Column) -> Column:
    """0 where the condition holds (a veto), else the value."""
    if isinstance(values, ExactColumn):
        return exact.select(condition, exact.constant(ZERO, len(values)), values)
    return pick(condition, ZERO, values)


def clamp(values: Column, bound: Decimal, below: bool) -> Column:
    """The bound where the value is below it (below=True: a floor) or above it (a maximum)."""
    if isinstance(values, ExactColumn):
        try:
            limit = exact.constant(bound, len(values))
            outside = exact.less(values, limit) if below else exact.less(limit, values)
            return exact.select(outside, limit, values)
        except NotExact:
            values = values.decimals()
    outside = values < bound if below else values > bound
    return pick(outside, bound, values)


def rounded(values: Column, rounding: Rounding) -> Column:
    if isinstance(values, ExactColumn):
        try:
            return exact.round_column(values, rounding.places, rounding.mode)
        except NotExact:
            values = values.decimals()
    return round_array(values, rounding)
