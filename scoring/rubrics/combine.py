"""Combining a matrix of marks (entries x judges) by a panel rule, and flagging spread panels.

Rows are grouped by how many marks they have, so one call of the rule serves every row of a
size; panels too small for the rule (or for the rubric's minimum) are reported, not combined.
Values stay Decimals in numpy object arrays throughout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from scoring.decimals import Rounding
from scoring.problems import Problem
from scoring.rubrics.panel import KEPT, PanelRule
from scoring.rubrics.trace import Flag

ZERO = Decimal(0)


def pick(condition: np.ndarray, chosen: Any, otherwise: Any) -> np.ndarray:
    """np.where kept to object arrays of Decimals (so scores never become floats)."""
    return np.asarray(np.where(condition, chosen, otherwise), dtype=object)


def round_array(values: np.ndarray, rounding: Rounding) -> np.ndarray:
    """Round every value; each distinct value is rounded once (panels repeat values a lot). Values
    are told apart as written (sign and exponent): 0 and -0 are equal, but quantize keeps the sign,
    so each is rounded as itself, never as another row's equal value."""
    items = values.tolist()
    keys = [v.as_tuple() for v in items]
    done = {k: v if v.is_nan() else rounding.apply(v) for k, v in zip(keys, items, strict=True)}
    return np.array([done[k] for k in keys], dtype=object)


@dataclass
class PanelBlock:
    """Rows with the same number of marks, combined in one call of the rule."""

    rows: np.ndarray
    order: np.ndarray  # per row: the judge columns of the present marks


def panel_sizes(present: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """The rows of each panel size (the number of marks present), smallest first."""
    counts = present.sum(axis=1)
    return [(int(count), np.flatnonzero(counts == count)) for count in np.unique(counts)]


def panel_problem(rule: PanelRule, count: int, min_marks: int) -> Problem | None:
    """Why a panel of `count` marks cannot be combined, or None."""
    if not count:
        return Problem("没有任何评分", "no marks at all")
    if count < min_marks:
        return Problem(
            f"只有 {count} 个评分，至少需要 {min_marks} 个",
            f"only {count} marks; the rubric needs at least {min_marks}",
        )
    return rule.size_problem(count)


def present_first(present: np.ndarray, count: int) -> np.ndarray:
    """Per row, the judge columns of its `count` present marks, in column order."""
    if count == present.shape[1]:
        return np.broadcast_to(np.arange(count), present.shape).copy()
    return np.argsort(~present, axis=1, kind="stable")[:, :count]


def apply_panel(
    rule: PanelRule,
    matrix: np.ndarray,
    present: np.ndarray,
    min_marks: int,
    report: Callable[[np.ndarray, Problem], None],
) -> tuple[np.ndarray, np.ndarray, list[PanelBlock]]:
    """Combine each row's present marks by `rule`; rows whose panel is too small are reported
    through `report(rows, problem)` and left at 0 (the caller's failure stops any result)."""
    raw = np.full(len(matrix), ZERO, dtype=object)
    reasons = np.full(matrix.shape, KEPT, dtype=object)
    blocks: list[PanelBlock] = []
    for count, rows in panel_sizes(present):
        problem = panel_problem(rule, count, min_marks)
        if problem:
            report(rows[:20], problem)
            continue
        order = present_first(present[rows], count)
        marks = np.take_along_axis(matrix[rows], order, axis=1)
        value, why = rule.apply(marks)
        refused = rule.refused(marks)
        if refused is not None:
            report(rows[refused[0]][:20], refused[1])
        raw[rows] = value
        full = reasons[rows]
        np.put_along_axis(full, order, why, axis=1)
        reasons[rows] = full
        blocks.append(PanelBlock(rows=rows, order=order))
    return raw, reasons, blocks


def spread_flags(
    groups: pd.DataFrame,
    criterion: str,
    tolerance: Decimal | None,
    marks: np.ndarray,
    judges: list[str],
    blocks: list[PanelBlock],
) -> list[Flag]:
    """Flags where a row's marks (as in `marks`) spread wider than the tolerance."""
    flags: list[Flag] = []
    if tolerance is None:
        return flags
    for block in blocks:
        if block.order.shape[1] < 2:
            continue
        compact = np.take_along_axis(marks[block.rows], block.order, axis=1)
        spread = compact.max(axis=1) - compact.min(axis=1)
        for k in np.flatnonzero(spread > tolerance):
            group = groups.iloc[block.rows[k]]
            flags.append(
                Flag(
                    entry=group["entry"],
                    attempt=int(group["attempt"]),
                    criterion=criterion,
                    marks={judges[block.order[k, c]]: compact[k, c] for c in range(compact.shape[1])},
                    spread=spread[k],
                    tolerance=tolerance,
                )
            )
    return flags
