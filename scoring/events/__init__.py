"""Event kinds, one module each, registered here under the stable key stored in data.

A kind is bound to one event's rules and parameters (`bind`, or `bind_fields` from TOML) and
the bound event scores a table of marks from any source; see base.py.
"""

from scoring.events.base import BoundEvent, EntryScore, EventKind, EventKindBase, EventResult, NoParams
from scoring.events.practical import PracticalKind
from scoring.events.presentation import DrawParams, PresentationKind
from scoring.events.quiz import QuizKind
from scoring.events.theory import TheoryKind

THEORY = TheoryKind()
PRACTICAL = PracticalKind()
PRESENTATION = PresentationKind()
QUIZ = QuizKind()

EVENT_KINDS: dict[str, EventKindBase] = {kind.key: kind for kind in (THEORY, PRACTICAL, PRESENTATION, QUIZ)}

__all__ = [
    "EVENT_KINDS",
    "PRACTICAL",
    "PRESENTATION",
    "QUIZ",
    "THEORY",
    "BoundEvent",
    "DrawParams",
    "EntryScore",
    "EventKind",
    "EventKindBase",
    "EventResult",
    "NoParams",
]
