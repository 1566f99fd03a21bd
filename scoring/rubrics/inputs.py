"""The input a criterion kind asks for on a judge's tablet, declared by the kind as data.

Each criterion kind says which widget marks it (stepped buttons, a toggle, a stopwatch, a
counter, a confirmed veto switch, a number field, or an answer typed from a paper) and with
which limits, so that the form (scoring/rubrics/form.py) never guesses from a kind's class and
a new kind cannot fall back silently to a text box: `CriterionKind.tablet_input` is abstract.
How a widget looks and behaves is the tablet's (judges/templates/judge/); what a mark is worth
is the kind's `convert`.

A widget's fields are sent to the tablet under their own names, in the order written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar


@dataclass(frozen=True)
class Stepper:
    """Stepped buttons over a range (a scale)."""

    widget: ClassVar[str] = "stepper"
    min: Decimal | None
    max: Decimal | None
    step: Decimal | None


@dataclass(frozen=True)
class Toggle:
    """Done or not, worth `points` when done (a checklist step)."""

    widget: ClassVar[str] = "toggle"
    points: Decimal | None


@dataclass(frozen=True)
class Counter:
    """A count of faults, each costing `per`, up to `cap` in all and `max_count` faults."""

    widget: ClassVar[str] = "counter"
    per: Decimal | None
    cap: Decimal | None
    max_count: int | None


@dataclass(frozen=True)
class VetoSwitch:
    """A switch the judge confirms before it is called; `scope` is what the veto zeroes."""

    widget: ClassVar[str] = "veto"
    scope: str
    confirm: bool = True


@dataclass(frozen=True)
class Stopwatch:
    """A time in seconds, with start, stop and laps; `mapped`: the server turns it into points."""

    widget: ClassVar[str] = "stopwatch"
    min: Decimal | None
    max: Decimal | None
    mapped: bool


@dataclass(frozen=True)
class NumberField:
    """A measured value in `unit`; `mapped`: the server turns it into points."""

    widget: ClassVar[str] = "number"
    unit: str
    min: Decimal | None
    max: Decimal | None
    mapped: bool


@dataclass(frozen=True)
class AnswerField:
    """An answer copied from a paper (a theory question), graded by the server."""

    widget: ClassVar[str] = "answer"


@dataclass(frozen=True)
class Placement:
    """The judge orders the round's entries (drag or tap in order) and each gets its place, 1 is
    best; `ties`: "refuse" (every place differs) or "allow" (entries may share a place). The
    places are checked together by scoring/rubrics/placements.py `check_placements`."""

    widget: ClassVar[str] = "placement"
    ties: str


TabletInput = Stepper | Toggle | Counter | VetoSwitch | Stopwatch | NumberField | AnswerField | Placement
