"""What every event kind gives back, and the base an event kind builds on.

An event kind turns the event's rules (a rubric, or quiz rules) and a file of marks into an
`EventResult`: a score per entry, whether lower wins, the most one entry can score (for
weighting), flags for the chief judge, and an explanation per entry. Ranking and combining
events are not here (results/).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from scoring.document import Fields


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
    flags: list[Any] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    criterion_values: Callable[[str], dict[str, Decimal]] = field(default=lambda key: {})

    def score_of(self) -> dict[str, EntryScore]:
        return {s.entry: s for s in self.scores}


class EventKind(ABC):
    """Base of every event kind; `key` is what competition files name."""

    key: ClassVar[str]
    title: ClassVar[dict[str, str]]

    @abstractmethod
    def read_rules(self, f: Fields) -> Any:
        """The kind's rules from a TOML table (problems go to f.problems)."""
        ...

    def read_params(self, f: Fields | None) -> dict[str, Any]:
        """The kind's parameters from the event's `params` table; none by default."""
        if f is not None:
            f.finish()
        return {}

    @abstractmethod
    def score_file(
        self,
        rules: Any,
        params: dict[str, Any],
        path: Path,
        entries: set[str] | None = None,
        judges: set[str] | None = None,
    ) -> EventResult: ...

    def max_score(self, rules: Any) -> Decimal | None:
        return None

    def lower_is_better(self, rules: Any) -> bool:
        return False
