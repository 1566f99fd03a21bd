"""What the engine keeps of its working, and what it returns.

The engine fills these; explain.py reads them back. Nothing here computes: a `Later` holds the
engine's own recipe for an array it builds only when someone reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from scoring.rubrics.model import Rubric


class Later:
    """A value of the working built on first use: the integer path keeps counts, and the
    Decimals (a million marks, their reasons) are made only when someone reads them."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class _Kept:
    """An attribute that may hold a `Later`, built (once) when first read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.slot]
        if isinstance(value, Later):
            value = obj.__dict__[self.slot] = value.make()
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = value


class CriterionTrace:
    """One criterion for every group: the judges, their marks, what was dropped, the value.

    marks: (groups, judges) points or None; reasons: (groups, judges) why a mark was dropped, ""
    when kept; notes: (groups,) what happened to missing marks; raw: (groups,) the value before
    rounding; value: (groups,) after rounding (and veto); vetoed: for veto criteria, called or
    not. Any of the arrays may be given as a `Later`. `path` says how the engine computed it:
    "integer" (int64 counts) or "decimal" (the reference)."""

    marks = _Kept()
    reasons = _Kept()
    notes = _Kept()
    raw = _Kept()
    value = _Kept()

    def __init__(
        self,
        judges: list[str],
        marks: np.ndarray | Later,
        reasons: np.ndarray | Later,
        notes: np.ndarray | Later,
        raw: np.ndarray | Later,
        value: np.ndarray | Later,
        vetoed: np.ndarray | None = None,
        path: str = "decimal",
    ) -> None:
        self.judges, self.path = judges, path
        self.marks, self.reasons, self.notes, self.raw, self.value = marks, reasons, notes, raw, value
        self.vetoed = vetoed


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
    ordinal: Any = None  # for a ranking rubric: the OrdinalOutcome (ordinal.py) and its PlacementTable
    #: Per entry, the attempts it did not make (a rubric with "up to N" attempts).
    not_made: dict[str, list[int]] = field(default_factory=dict)
    #: The per-entry part's own result (`[entry]`): its working, and each entry's score from it.
    entry_part: RubricResult | None = None

    def by_entry(self) -> dict[str, EntryResult]:
        return {r.entry: r for r in self.results}
