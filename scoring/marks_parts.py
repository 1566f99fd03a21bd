"""Marks of a rubric with a part scored once per entry (`[entry]`): split by criterion, each part
checked against its own criteria, every problem of both reported at once.

A row of the per-entry part (a programme component, a deduction an official gives) names one of
the part's criteria or parameters and leaves `attempt` empty: it is marked once for the entry,
not for an attempt. The rest are the attempts' rows, checked as any rubric's. Nothing is scored
here (scoring/rubrics/entry_parts.py).
"""

from __future__ import annotations

import pandas as pd

from scoring.marks import MarkTable, check_marks, clean_text, is_in, rows_where
from scoring.problems import InvalidInput, Problem
from scoring.rubrics.model import Rubric


def entry_keys(rubric: Rubric) -> set[str]:
    """The keys a row of the per-entry part names: its criteria and parameters."""
    part = rubric.entry_part
    if part is None:
        return set()
    return {c.key for c in part.criteria()} | {p.key for p in part.parameters}


def check_parts(
    frame: pd.DataFrame, rubric: Rubric, source: str, entries: set[str] | None = None, judges: set[str] | None = None
) -> MarkTable:
    """The attempts' marks with the per-entry part's as `entry`; InvalidInput lists the problems
    of both parts, by row."""
    part = rubric.entry_part
    assert part is not None
    once = is_in(clean_text(frame["criterion"], ordered=False), entry_keys(rubric))
    entry_rows = frame.loc[once]
    problems: list[Problem] = []
    given = ~is_in(clean_text(entry_rows["attempt"], ordered=False), {""})
    for row, criterion, attempt in rows_where(entry_rows, given, ["row", "criterion", "attempt"]):
        problems.append(
            Problem(
                f"“{criterion}”每个参赛对象只评一次，attempt 应为空（现为“{attempt}”）",
                f"'{criterion}' is marked once per entry: leave attempt empty (it is '{attempt}')",
                file=source,
                row=int(row),
            )
        )
    entry_rows = entry_rows.assign(attempt="") if len(entry_rows) else entry_rows
    tables: list[MarkTable] = []
    for rows, checked_by in ((frame.loc[~once], rubric.with_no_entry_part()), (entry_rows, part)):
        try:
            tables.append(check_marks(rows, checked_by, source, entries, judges))
        except InvalidInput as exc:
            problems += exc.problems
    if problems:
        raise InvalidInput(sorted(problems, key=lambda p: p.row or 0))
    attempts, per_entry = tables
    attempts.entry = per_entry
    return attempts
