"""What every event kind gives back, and how a kind is bound to one event's rules.

An event kind reads its rules (a rubric, or quiz rules) and its parameters (a frozen dataclass
per kind; `NoParams` where it has none) with located problems, and `bind(rules, params)` gives
a `BoundEvent`, as cms builds a score type with its parameters. A bound event knows whether
lower wins and the most one entry can score, reads its input table from a CSV/XLSX file, and
scores a table whatever its source (a file, the store's counted sheets, a test's frame) into
an `EventResult`: a score per entry, flags for the chief judge, and an explanation per entry.
Ranking and combining events are not here (results/).

`EventKindBase` is what the registry and the competition loader see: the kind's types are
inside it, and what comes out is a `BoundEvent` whatever the kind.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

import pandas as pd

from scoring.document import Fields
from scoring.rubrics.model import Rubric
from scoring.rubrics.trace import Flag


@dataclass(frozen=True)
class EntryScore:
    entry: str
    score: Decimal | None
    disqualified: bool = False
    tiebreak: Decimal | None = None  # a kind's own tie-break value (quiz extra questions)


@dataclass
class EventResult:
    kind: str
    scores: list[EntryScore]
    lower_is_better: bool
    max_score: Decimal | None
    explain: Callable[[str], dict[str, Any] | None]
    render: Callable[[dict[str, Any]], str]
    flags: list[Flag] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    criterion_values: Callable[[str], dict[str, Decimal]] = field(default=lambda key: {})
    # The breakdown for exports, one row per entry (and attempt, for rubric kinds): `entry`,
    # `attempt` where the kind has attempts, one column per criterion, question or kind of
    # answer (Decimal values as scored), and `attempt_score` for rubric kinds. Built on demand
    # from the working kept, in one pass over all entries (explain() is one entry at a time).
    breakdown: Callable[[], pd.DataFrame] = field(default=lambda: pd.DataFrame(columns=["entry"]))

    def score_of(self) -> dict[str, EntryScore]:
        return {s.entry: s for s in self.scores}


@dataclass(frozen=True)
class NoParams:
    """The parameters of a kind that takes none."""


class BoundEvent(ABC):
    """An event kind bound to one event's rules and parameters."""

    key: ClassVar[str]  # the kind's key, as EventResult.kind says it

    @property
    @abstractmethod
    def lower_is_better(self) -> bool: ...

    @property
    @abstractmethod
    def max_score(self) -> Decimal | None:
        """The most one entry can score, for weighting; None when the rules cannot say."""

    @property
    def rubric(self) -> Rubric | None:
        """The rubric marks are checked against, for kinds scored by one (tie-breaks and forms
        read its criteria); None for kinds with rules of their own."""
        return None

    @abstractmethod
    def read_table(self, path: Path) -> pd.DataFrame:
        """The kind's input table from a CSV or XLSX file, as text with row numbers."""

    @abstractmethod
    def score(
        self,
        table: pd.DataFrame,
        entries: set[str] | None = None,
        judges: set[str] | None = None,
        source: str = "marks",
    ) -> EventResult:
        """Check every row of `table` (known entries and judges when given) and score it;
        raises InvalidInput naming `source` and each bad row. A table without a `row` column
        is numbered as a file would be (the header is row 1)."""

    def score_file(self, path: Path, entries: set[str] | None = None, judges: set[str] | None = None) -> EventResult:
        return self.score(self.read_table(path), entries, judges, source=str(path))


class EventKindBase(ABC):
    """An event kind as the registry holds it; `key` is what competition files name."""

    key: ClassVar[str]
    title: ClassVar[dict[str, str]]

    @abstractmethod
    def read_rules(self, f: Fields) -> object:
        """The kind's rules from a TOML table (problems go to f.problems)."""

    @abstractmethod
    def bind_fields(self, rules: Fields | None, params: Fields | None) -> BoundEvent | None:
        """Rules and parameters read from TOML tables and bound. None when the rules are missing
        or have problems (they are in the tables' collectors, and the parameters are still
        checked), so that checks built on them do not repeat those problems in other words."""


RulesT = TypeVar("RulesT")
ParamsT = TypeVar("ParamsT")


class EventKind(EventKindBase, Generic[RulesT, ParamsT]):
    """Base of every event kind, typed by its rules and its parameters."""

    @abstractmethod
    def read_rules(self, f: Fields) -> RulesT: ...

    @abstractmethod
    def read_params(self, f: Fields | None) -> ParamsT:
        """The kind's parameters from the event's `params` table (None: not given)."""

    @abstractmethod
    def bind(self, rules: RulesT, params: ParamsT) -> BoundEvent: ...

    def bind_fields(self, rules: Fields | None, params: Fields | None) -> BoundEvent | None:
        if rules is None:
            self.read_params(params)
            return None
        before = len(rules.problems.problems)
        typed = self.read_rules(rules)
        failed = len(rules.problems.problems) > before
        bound_params = self.read_params(params)
        return None if failed else self.bind(typed, bound_params)


class NoParamsKind(EventKind[RulesT, NoParams]):
    """A kind that takes no parameters: an event's `params` table must be empty."""

    def read_params(self, f: Fields | None) -> NoParams:
        if f is not None:
            f.finish()
        return NoParams()
