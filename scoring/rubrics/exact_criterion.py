"""One criterion's panels on the integer path: marks as int64 counts of the criterion's unit.

Within a criterion every mark is a whole number of one unit (the finest place any of its points
is written to: 0.5 and 7 are counts of 0.1), so the panel rule sorts, drops and adds integers
(panel_counts.py), a mean stays a fraction until the criterion's rounding (done in integers,
exact.py), and an unrounded value is divided out only where the quotient terminates. The
working is kept as counts and codes; the Decimals explain.py and the chief's review read (marks,
reasons, the value before rounding) are built when first read, from the same numbers.

Anything int64 cannot hold exactly (a mark of too many digits, a quotient that does not
terminate, a panel rule without an integer form) raises NotExact before any problem is kept, and
the engine scores the criterion on the Decimal path instead. Adjusted marks and vetoes always take
the Decimal path (engine.py decides that).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import cache

import numpy as np
import pandas as pd

from scoring.problems import Problem
from scoring.rubrics import exact
from scoring.rubrics.combine import PanelBlock, panel_problem, panel_sizes, present_first, spread_flags
from scoring.rubrics.exact import LIMIT, ExactColumn, NotExact
from scoring.rubrics.layout import Layout
from scoring.rubrics.model import Criterion
from scoring.rubrics.panel import PanelRule
from scoring.rubrics.panel_counts import REASONS, PanelCounts, combine_counts
from scoring.rubrics.trace import CriterionTrace, Flag, Later

ZERO = Decimal(0)
NO_MARK, ZERO_MARK = -1, -2  # point codes in the matrix of codes: no mark, a missing mark counted as 0


class PointCounts:
    """Every distinct point value of a mark table (one per criterion and raw text), as an
    integer coefficient and exponent, worked out once."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values
        self.coef: list[int] = []
        self.exp = np.zeros(len(values), dtype=np.int64)
        self.usable = np.ones(len(values), dtype=bool)  # finite, not -0
        for k, value in enumerate(values.tolist()):
            sign, digits, e = value.as_tuple()
            coefficient = int("".join(map(str, digits)) or "0")
            if not isinstance(e, int) or (sign and coefficient == 0):
                self.coef.append(0)
                self.usable[k] = False
                continue
            self.coef.append(-coefficient if sign else coefficient)
            self.exp[k] = e

    def tables(self, codes: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
        """The unit of the points `codes` name, and by code each point's count of that unit and
        its own exponent (two more slots at the end, for ZERO_MARK and NO_MARK, hold 0); NotExact
        when one of them cannot be a count in int64."""
        used = np.flatnonzero(np.bincount(codes, minlength=len(self.values)))
        if not self.usable[used].all():
            raise NotExact("a point that is not a finite number, or is -0")
        unit = min(int(self.exp[used].min()) if len(used) else 0, 0)
        count_of = np.zeros(len(self.values) + 2, dtype=np.int64)
        for k in used.tolist():
            count = self.coef[k] * 10 ** (int(self.exp[k]) - unit)
            if abs(count) > LIMIT:
                raise NotExact("a mark does not fit int64 as a count of its criterion's unit")
            count_of[k] = count
        exp_of = np.zeros(len(self.values) + 2, dtype=np.int64)
        exp_of[: len(self.values)] = self.exp
        return unit, count_of, exp_of


@dataclass
class ExactCriterion:
    """A criterion scored on the integer path, and the problems its panels have, to report."""

    trace: CriterionTrace
    value: ExactColumn
    flags: list[Flag]
    problems: list[tuple[np.ndarray, Problem]]  # rows and why their panel cannot be combined
    missing: np.ndarray  # (n, judges): marks missing where none may be


def score_exact(
    criterion: Criterion,
    layout: Layout,
    points: PointCounts,
    rule: PanelRule,
    min_marks: int,
    groups: pd.DataFrame,
) -> ExactCriterion:
    """The criterion on the integer path; raises NotExact before anything is reported. The
    value is found from counts alone; the rest of the working (each kept mark's exponent, the
    reasons) when first read."""
    n, width = layout.n, len(layout.judges)
    code_matrix = layout.codes
    present = code_matrix >= 0
    unit, count_of, exp_of = points.tables(code_matrix[present])
    matrix = count_of[code_matrix]
    missing = layout.expected & ~present
    noted, note = missing.any(axis=1), ""
    if criterion.missing == "zero":
        code_matrix[missing] = ZERO_MARK  # a 0 of exponent 0: count and exponent stay 0
        present |= missing
        note = "; missing marks count as 0"
    elif criterion.missing != "error":
        note = "; missing marks left out"

    def notes() -> np.ndarray:
        """What happened to each group's missing marks: built when read (an array of objects
        is work for Python's garbage collector as long as it is kept)."""
        out = np.full(n, "", dtype=object)
        if note:
            out[noted] += note
        return out

    numerator = np.zeros(n, dtype=np.int64)
    denominator = np.ones(n, dtype=np.int64)
    blocks: list[tuple[int, np.ndarray, np.ndarray | None, PanelCounts]] = []
    problems: list[tuple[np.ndarray, Problem]] = []
    for count, block_rows in panel_sizes(present):
        problem = panel_problem(rule, count, min_marks)
        if problem:
            problems.append((block_rows[:20], problem))
            continue
        whole = len(block_rows) == n
        order = None if count == width else present_first(present[block_rows], count)
        compact = matrix if whole else matrix[block_rows]
        combined = combine_counts(rule, compact if order is None else np.take_along_axis(compact, order, axis=1))
        if whole:
            numerator, denominator = combined.numerator, combined.denominator
        else:
            numerator[block_rows], denominator[block_rows] = combined.numerator, combined.denominator
        blocks.append((count, block_rows, order, combined))

    @cache
    def working() -> tuple[np.ndarray, np.ndarray]:
        """Each group's ideal exponent and each mark's reason code, from the blocks' recipes."""
        exps = exp_of[code_matrix]
        ideal = np.zeros(n, dtype=np.int64)
        reasons = np.zeros((n, width), dtype=np.int8)
        for _, rows, order, combined in blocks:
            compact = exps[rows] if order is None else np.take_along_axis(exps[rows], order, axis=1)
            ideal[rows], block_reasons = combined.working(compact)
            if order is None:
                reasons[rows] = block_reasons
            else:
                full = reasons[rows]
                np.put_along_axis(full, order, block_reasons, axis=1)
                reasons[rows] = full
        return ideal, reasons

    if criterion.rounding is not None:
        value = exact.round_fraction(numerator, denominator, unit, criterion.rounding.places, criterion.rounding.mode)
    else:
        value = exact.divide(numerator, denominator, unit, working()[0])

    def decimal_marks(rows: np.ndarray | None = None) -> np.ndarray:
        table = np.empty(len(points.values) + 2, dtype=object)
        table[: len(points.values)] = points.values
        table[NO_MARK], table[ZERO_MARK] = None, ZERO
        return table[code_matrix if rows is None else code_matrix[rows]]

    def raw() -> np.ndarray:
        sums = ExactColumn(numerator, unit, working()[0], np.zeros(n, dtype=bool)).decimals()
        divided: dict[tuple[object, int], Decimal] = {}  # by the sum as written: 0 and 0.0000 differ
        out = sums.copy()
        for i in np.flatnonzero(denominator != 1).tolist():
            key = (sums[i].as_tuple(), int(denominator[i]))
            if key not in divided:
                divided[key] = exact.divide_decimal(sums[i], key[1])
            out[i] = divided[key]
        return out

    flags: list[Flag] = []
    if criterion.tolerance is not None:
        spread = [
            PanelBlock(rows, present_first(present[rows], count) if order is None else order)
            for count, rows, order, _ in blocks
        ]
        flags = _flags(criterion, groups, layout.judges, spread, matrix, unit, decimal_marks)
    trace = CriterionTrace(
        judges=layout.judges,
        marks=Later(decimal_marks),
        reasons=Later(lambda: REASONS[working()[1]]),
        notes=Later(notes),
        raw=Later(raw),
        value=Later(value.decimals),
        path="integer",
    )
    return ExactCriterion(trace, value, flags, problems, missing)


def _flags(
    criterion: Criterion,
    groups: pd.DataFrame,
    judges: list[str],
    blocks: list[PanelBlock],
    matrix: np.ndarray,
    unit: int,
    decimal_marks: Callable[[np.ndarray], np.ndarray],
) -> list[Flag]:
    """Spread flags as spread_flags gives them: the rows wider than the tolerance are found in
    integers, and only their marks are made Decimals."""
    tolerance = criterion.tolerance
    if tolerance is None:
        return []
    threshold = tolerance.scaleb(-unit).to_integral_value(rounding=ROUND_FLOOR)
    wide: list[PanelBlock] = []
    for block in blocks:
        if block.order.shape[1] < 2 or threshold > LIMIT:
            continue
        compact = np.take_along_axis(matrix[block.rows], block.order, axis=1)
        over = np.flatnonzero(compact.max(axis=1) - compact.min(axis=1) > int(threshold))
        if len(over):
            wide.append(PanelBlock(rows=block.rows[over], order=block.order[over]))
    if not wide:
        return []
    marks = np.full(matrix.shape, None, dtype=object)
    for block in wide:
        marks[block.rows] = decimal_marks(block.rows)
    return spread_flags(groups, criterion.key, tolerance, marks, judges, wide)
