"""A variable number of attempts ("up to N"): which attempts an entry made, and its score from them.

An attempt is made when it has at least one mark (a judge's or an official criterion's); an
official's parameter alone (a dive's degree of difficulty announced in advance) does not make
it, so a diver who withdraws after dive 3 has made three dives whatever the dive sheet lists.
An entry must make at least the rubric's `min` attempts, or nothing is computed. Each attempt
from 1 to `up_to` it did not make scores 0 (`missing = "zero"`) or is not counted ("skip");
then the attempts combine as any rubric's do (sum, best, best n). A rubric whose every attempt
must be made never comes here (scoring/rubrics/attempts.py keeps that path as it was).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from scoring.rubrics.failures import Failure
from scoring.rubrics.model import Rubric
from scoring.rubrics.trace import AttemptTrace, EntryResult

ZERO = Decimal(0)


def made_groups(groups: pd.DataFrame, mark_group: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The (entry, attempt) groups with at least one mark, and each mark's group among them."""
    made = np.bincount(mark_group, minlength=len(groups)) > 0
    if made.all():
        return groups, mark_group
    keep = np.flatnonzero(made)
    where = np.full(len(groups), -1, dtype=np.int64)
    where[keep] = np.arange(len(keep))
    return groups.iloc[keep].reset_index(drop=True), where[mark_group]


def not_made(rubric: Rubric, made: set[int]) -> list[int]:
    """The attempts from 1 to the rubric's most that an entry did not make."""
    return [a for a in range(1, rubric.attempts.count + 1) if a not in made]


def describe_missing(rubric: Rubric) -> str:
    """What an attempt not made means, in words (for the working)."""
    spec = rubric.attempts
    meaning = {"zero": "scores 0", "skip": "is not counted", "error": "is an error"}[spec.missing]
    return f"up to {spec.count} attempts, at least {spec.fewest}; an attempt not made {meaning}"


def combine_variable(
    rubric: Rubric, trace: AttemptTrace, entries: list[str], failure: Failure
) -> tuple[list[EntryResult], dict[str, str], dict[str, list[int]]]:
    """Each entry's score from the attempts it made; the notes say how, and which were not made."""
    spec = rubric.attempts
    assert trace.score is not None and trace.disqualified is not None
    by_entry: dict[str, dict[int, Decimal | None]] = {entry: {} for entry in entries}
    for entry, attempt, value, dq in zip(
        trace.groups["entry"].tolist(),
        trace.groups["attempt"].tolist(),
        trace.score.tolist(),
        trace.disqualified.tolist(),
        strict=True,
    ):
        by_entry.setdefault(str(entry), {})[int(attempt)] = None if dq else value
    results: list[EntryResult] = []
    notes: dict[str, str] = {}
    missing: dict[str, list[int]] = {}
    for entry in sorted(by_entry):
        made = by_entry[entry]
        if len(made) < spec.fewest:
            failure.add(
                f"参赛对象 {entry} 只完成了 {len(made)} 次，本评分标准至少需要 {spec.fewest} 次",
                f"entry {entry} made {len(made)} attempt(s); the rubric needs at least {spec.fewest}",
            )
            continue
        gone = missing[entry] = not_made(rubric, set(made))
        counted = [v for v in made.values() if v is not None]
        zeros = [ZERO] * len(gone) if spec.missing == "zero" else []
        if spec.combine == "sum":
            disqualified = len(counted) < len(made)
            score: Decimal | None = None if disqualified else sum(counted + zeros, ZERO)
            how = f"sum of {len(made)} attempts made"
        else:
            n = 1 if spec.combine == "best" else spec.best_n
            chosen = sorted(counted + zeros, reverse=not rubric.lower_is_better)[:n]
            disqualified = not chosen
            score = sum(chosen, ZERO) if chosen else None
            how = f"best {n} of {len(made)} attempts made{' and 0 for each not made' if zeros else ''}: "
            how += ", ".join(str(v) for v in chosen)
        if gone:
            how += f"; not made: {', '.join(map(str, gone))} ({'each 0' if zeros else 'not counted'})"
        notes[entry] = how
        if score is not None and rubric.total_rounding is not None:
            score = rubric.total_rounding.apply(score)
        results.append(EntryResult(entry=entry, score=score, disqualified=disqualified, attempts=made))
    return results, notes, missing
