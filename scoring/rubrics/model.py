"""The rubric as loaded: criteria in sections, panel rules, parameters, attempts and formula.

These objects are built only by loader.py, which validates them; the engine reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from scoring.decimals import Rounding
from scoring.rubrics.answer_key import AnswerKeyKind
from scoring.rubrics.criteria import CriterionKind, VetoKind
from scoring.rubrics.formula import Formula
from scoring.rubrics.ordinal import OrdinalRule
from scoring.rubrics.panel import PanelRule

MISSING_POLICIES = ["error", "ignore", "zero"]
ATTEMPT_COMBINES = ["sum", "best", "best_n"]
#: What an attempt an entry did not make means, where the rubric allows "up to N" attempts.
ATTEMPT_MISSING = ["error", "zero", "skip"]


@dataclass
class Criterion:
    key: str
    title: dict[str, str]
    kind: CriterionKind
    panel: PanelRule
    min_judges: int
    missing: str
    tolerance: Decimal | None = None
    rounding: Rounding | None = None
    adjust: Formula | None = None

    @property
    def is_veto(self) -> bool:
        return isinstance(self.kind, VetoKind)

    @property
    def official(self) -> bool:
        return self.kind.official


@dataclass
class Section:
    key: str
    title: dict[str, str]
    children: list[Criterion | Section] = field(default_factory=list)
    base: Decimal = Decimal(0)
    maximum: Decimal | None = None
    floor: Decimal | None = Decimal(0)
    rounding: Rounding | None = None

    def max_points(self) -> Decimal | None:
        total = self.base
        for child in self.children:
            child_max = child.max_points() if isinstance(child, Section) else child.kind.max_points()
            if child_max is None:
                return self.maximum
            total += child_max
        return min(total, self.maximum) if self.maximum is not None else total


@dataclass(frozen=True)
class Parameter:
    """A value per entry and attempt given by an official: a degree of difficulty, a penalty."""

    key: str
    title: dict[str, str]
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    default: Decimal | None = None


@dataclass(frozen=True)
class Attempts:
    """`count` is the most attempts an entry makes; `least` the fewest it must make (equal to
    count unless the rubric says "up to"). An attempt past `least` not made scores 0 (`missing`
    "zero") or is not counted ("skip"); with "error" every attempt must be made."""

    count: int = 1
    combine: str = "sum"
    best_n: int = 1
    least: int | None = None
    missing: str = "error"

    @property
    def fewest(self) -> int:
        return self.count if self.least is None else self.least

    @property
    def variable(self) -> bool:
        """Whether an entry may make fewer attempts than `count`."""
        return self.fewest < self.count


@dataclass
class Rubric:
    key: str
    title: dict[str, str]
    children: list[Criterion | Section]
    lower_is_better: bool = False
    panel_on: str = "criterion"
    total_panel: PanelRule | None = None
    total_min_judges: int = 1
    total_tolerance: Decimal | None = None
    parameters: list[Parameter] = field(default_factory=list)
    attempts: Attempts = field(default_factory=Attempts)
    formula: Formula | None = None
    attempt_rounding: Rounding | None = None
    total_rounding: Rounding | None = None
    declared_max: Decimal | None = None
    file: str = ""
    ordinal: OrdinalRule | None = None  # ranks placements (ordinal.py) instead of adding points
    #: The part scored once per entry (`[entry]`), as a rubric of one attempt whose formula
    #: reads `attempts` (this rubric's attempts combined); None when the rubric has no such part.
    entry_part: Rubric | None = None

    def with_no_entry_part(self) -> Rubric:
        """The rubric of the attempts alone (its marks are checked without the per-entry part's)."""
        return replace(self, entry_part=None)

    def all_criteria(self) -> list[Criterion]:
        """The criteria of both parts: those marked per attempt, then those marked per entry."""
        return self.criteria() + (self.entry_part.criteria() if self.entry_part else [])

    def criteria(self) -> list[Criterion]:
        return [c for c, _ in self.criteria_with_section()]

    def criteria_with_section(self) -> list[tuple[Criterion, Section | None]]:
        def walk(
            nodes: list[Criterion | Section], parent: Section | None
        ) -> Iterator[tuple[Criterion, Section | None]]:
            for node in nodes:
                if isinstance(node, Section):
                    yield from walk(node.children, node)
                else:
                    yield node, parent

        return list(walk(self.children, None))

    def sections(self) -> list[Section]:
        """Every section, innermost first, so a parent is computed after its children."""

        def walk(nodes: list[Criterion | Section]) -> Iterator[Section]:
            for node in nodes:
                if isinstance(node, Section):
                    yield from walk(node.children)
                    yield node

        return list(walk(self.children))

    def criterion(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria() if c.key == key), None)

    def parameter(self, key: str) -> Parameter | None:
        return next((p for p in self.parameters if p.key == key), None)

    @property
    def is_answer_key(self) -> bool:
        return all(isinstance(c.kind, AnswerKeyKind) for c in self.criteria())

    def max_score(self) -> Decimal | None:
        """The most one entry can score, where the rubric lets it be known."""
        if self.declared_max is not None:
            return self.declared_max
        if self.formula is not None or self.lower_is_better or self.entry_part is not None:
            return None
        per_attempt = Section(key="", title={}, children=self.children, floor=None).max_points()
        if per_attempt is None:
            return None
        scale = (
            self.attempts.count
            if self.attempts.combine == "sum"
            else (self.attempts.best_n if self.attempts.combine == "best_n" else 1)
        )
        return per_attempt * scale
