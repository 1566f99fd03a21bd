"""Event kinds, one module each, registered here under the stable key stored in data."""

from scoring.events.base import EntryScore, EventKind, EventResult
from scoring.events.practical import PracticalKind
from scoring.events.presentation import PresentationKind
from scoring.events.quiz import QuizKind
from scoring.events.theory import TheoryKind

EVENT_KINDS: dict[str, EventKind] = {
    kind.key: kind for kind in (TheoryKind(), PracticalKind(), PresentationKind(), QuizKind())
}

__all__ = ["EVENT_KINDS", "EntryScore", "EventKind", "EventResult"]
