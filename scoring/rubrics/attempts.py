"""After the passes: the judges' totals combined by the total panel (panel_on = "total"), and each
entry's attempts combined into its score (sum, best, best n), then the total rounding.

Works on the Decimals of the passes' traces; the panels and rounding of each attempt are the
engine's (engine.py).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from scoring.problems import Problem
from scoring.rubrics.combine import apply_panel, round_array, spread_flags
from scoring.rubrics.failures import Failure, group_label
from scoring.rubrics.model import Rubric
from scoring.rubrics.trace import AttemptTrace, CriterionTrace, EntryResult, Flag

ZERO = Decimal(0)


def combine_judges(
    rubric: Rubric,
    judge_trace: AttemptTrace,
    groups: pd.DataFrame,
    params: dict[str, np.ndarray],
    ea: np.ndarray,
    failure: Failure,
) -> tuple[AttemptTrace, list[Flag]]:
    """panel_on = "total": each judge's attempt score, then the panel rule over judges."""
    judges = sorted(judge_trace.groups["judge"].unique())
    j = np.searchsorted(judges, judge_trace.groups["judge"].to_numpy())
    n = len(groups)
    matrix = np.full((n, len(judges)), None, dtype=object)
    present = np.zeros((n, len(judges)), dtype=bool)
    matrix[ea, j] = judge_trace.score
    present[ea, j] = True
    rule = rubric.total_panel
    assert rule is not None

    def report(rows: np.ndarray, problem: Problem) -> None:
        for i in rows:
            zh, en = group_label(groups, int(i))
            failure.add(f"{zh}：评委总分：{problem.zh}", f"{en}: judges' totals: {problem.en}")

    raw, reasons, blocks = apply_panel(rule, matrix, present, rubric.total_min_judges, report)
    flags = spread_flags(groups, "total", rubric.total_tolerance, matrix, judges, blocks)
    score = round_array(raw, rubric.attempt_rounding) if rubric.attempt_rounding else raw
    trace = AttemptTrace(groups=groups, parameters=params)
    trace.criteria["total"] = CriterionTrace(
        judges=judges, marks=matrix, reasons=reasons, notes=np.full(n, "", dtype=object), raw=raw, value=score
    )
    trace.raw, trace.score = raw, score
    trace.disqualified = np.zeros(n, dtype=bool)
    return trace, flags


def combine_attempts(rubric: Rubric, trace: AttemptTrace, failure: Failure) -> tuple[list[EntryResult], dict[str, str]]:
    spec = rubric.attempts
    results: list[EntryResult] = []
    notes: dict[str, str] = {}
    assert trace.score is not None and trace.disqualified is not None
    if spec.count == 1 and spec.combine == "sum":
        return _one_attempt(rubric, trace)
    by_entry: dict[str, dict[int, Decimal | None]] = {}
    for entry, attempt, value, dq in zip(
        trace.groups["entry"].tolist(),
        trace.groups["attempt"].tolist(),
        trace.score.tolist(),
        trace.disqualified.tolist(),
        strict=True,
    ):
        by_entry.setdefault(str(entry), {})[int(attempt)] = None if dq else value
    expected = set(range(1, spec.count + 1))
    for entry in sorted(by_entry):
        attempts = by_entry[entry]
        valid = [s for s in attempts.values() if s is not None]
        disqualified = False
        if spec.combine == "sum":
            missing = sorted(expected - set(attempts))
            if missing:
                failure.add(
                    f"参赛对象 {entry} 缺少第 {missing} 次的评分",
                    f"entry {entry} has no marks for attempt(s) {missing}",
                )
            disqualified = len(valid) < len(attempts)
            score: Decimal | None = None if disqualified else sum(valid, ZERO)
            notes[entry] = "sum of attempts" if spec.count > 1 else "one attempt"
        else:
            n = 1 if spec.combine == "best" else spec.best_n
            chosen = sorted(valid, reverse=not rubric.lower_is_better)[:n]
            disqualified = not chosen
            score = sum(chosen, ZERO) if chosen else None
            notes[entry] = f"best {n} of {len(attempts)} attempts: {', '.join(str(v) for v in chosen)}"
        if score is not None and rubric.total_rounding is not None:
            score = rubric.total_rounding.apply(score)
        results.append(EntryResult(entry=entry, score=score, disqualified=disqualified, attempts=attempts))
    return results, notes


def _one_attempt(rubric: Rubric, trace: AttemptTrace) -> tuple[list[EntryResult], dict[str, str]]:
    """One attempt, summed: what the loop above gives then (every entry has its attempt 1, and
    its score is 0 plus that attempt's), without the loop's dictionaries."""
    assert trace.score is not None and trace.disqualified is not None
    entries = [str(e) for e in trace.groups["entry"].tolist()]
    scores = trace.score.tolist()
    disqualified = trace.disqualified.tolist()
    rounding = rubric.total_rounding
    totals = [ZERO + value for value in scores]  # each its own: 7.5 and 7.50 are equal, not alike
    if rounding is not None:
        totals = [rounding.apply(total) for total in totals]
    results = [
        EntryResult(
            entry=entries[i],
            score=None if disqualified[i] else totals[i],
            disqualified=disqualified[i],
            attempts={1: None if disqualified[i] else scores[i]},
        )
        for i in sorted(range(len(entries)), key=entries.__getitem__)
    ]
    return results, dict.fromkeys(entries, "one attempt")
