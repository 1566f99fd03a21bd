"""What the engine keeps of its working, and what it returns.

The engine fills these; explain.py reads them back. Nothing here computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from scoring.rubrics.model import Rubric


@dataclass
class CriterionTrace:
    """One criterion for every group: the judges, their marks, what was dropped, the value."""

    judges: list[str]
    marks: np.ndarray  # (groups, judges) points or None
    reasons: np.ndarray  # (groups, judges) why a mark was dropped, "" when kept
    notes: np.ndarray  # (groups,) what happened to missing marks
    raw: np.ndarray  # (groups,) value before rounding
    value: np.ndarray  # (groups,) value after rounding (and veto)
    vetoed: np.ndarray | None = None  # for veto criteria: called or not


@dataclass
class AttemptTrace:
    """The working of one evaluation pass over groups (entry x attempt, or x judge)."""

    groups: pd.DataFrame
    parameters: dict[str, np.ndarray]
    criteria: dict[str, CriterionTrace] = field(default_factory=dict)
    sections: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    formula: np.ndarray | None = None
    raw: np.ndarray | None = None
    score: np.ndarray | None = None
    disqualified: np.ndarray | None = None


@dataclass
class Flag:
    """Marks of one panel spread wider than the rubric's tolerance: for the chief judge."""

    entry: str
    attempt: int
    criterion: str
    marks: dict[str, Decimal]
    spread: Decimal
    tolerance: Decimal


@dataclass
class EntryResult:
    entry: str
    score: Decimal | None
    disqualified: bool
    attempts: dict[int, Decimal | None]


@dataclass
class RubricResult:
    rubric: Rubric
    results: list[EntryResult]
    flags: list[Flag]
    trace: AttemptTrace
    judge_trace: AttemptTrace | None = None
    combine_notes: dict[str, str] = field(default_factory=dict)

    def by_entry(self) -> dict[str, EntryResult]:
        return {r.entry: r for r in self.results}
