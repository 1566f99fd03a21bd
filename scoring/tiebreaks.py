"""Tie-break metrics: values that separate entries with equal overall scores.

A competition names them in order, as "metric:argument" (for example "criterion:fire_drill.time",
then "kind:practical", then "event:theory"). Each metric is a small registered class: it checks
its argument against the competition and reads one value per ranking entry from the event
results. The ordering itself is results/standings.py. Metrics live in scoring/ so that the
competition loader can check them without importing results/.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from scoring.events import EventResult
from scoring.model import Competition, Event
from scoring.problems import Problem
from scoring.rubrics.criteria import TimeKind
from scoring.rubrics.model import Criterion


class TieBreakMetric(ABC):
    key: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def check(self, argument: str, competition: Competition) -> Problem | None: ...

    def lower_is_better(self, argument: str, competition: Competition) -> bool:
        return False

    @abstractmethod
    def values(
        self,
        argument: str,
        competition: Competition,
        event_scores: Mapping[str, Mapping[str, Decimal | None]],
        results: Mapping[str, EventResult],
    ) -> dict[str, Decimal | None]: ...


def _event_problem(argument: str, competition: Competition) -> Problem | None:
    if competition.event(argument) is None:
        keys = ", ".join(e.key for e in competition.events)
        return Problem(f"没有赛项“{argument}”；可用：{keys}", f"no event '{argument}'; events: {keys}")
    return None


class EventScoreMetric(TieBreakMetric):
    key = "event"
    description = "the score in one event"

    def check(self, argument: str, competition: Competition) -> Problem | None:
        return _event_problem(argument, competition)

    def lower_is_better(self, argument: str, competition: Competition) -> bool:
        event = competition.event(argument)
        return event.bound.lower_is_better if event and event.bound else False

    def values(
        self,
        argument: str,
        competition: Competition,
        event_scores: Mapping[str, Mapping[str, Decimal | None]],
        results: Mapping[str, EventResult],
    ) -> dict[str, Decimal | None]:
        return dict(event_scores.get(argument, {}))


class KindScoreMetric(TieBreakMetric):
    key = "kind"
    description = "the sum of scores in the events of one kind (theory, practical, ...)"

    def check(self, argument: str, competition: Competition) -> Problem | None:
        kinds = sorted({e.kind for e in competition.events})
        if argument not in kinds:
            return Problem(
                f"没有“{argument}”类赛项；可用：{', '.join(kinds)}",
                f"no event of kind '{argument}'; kinds: {', '.join(kinds)}",
            )
        return None

    def values(
        self,
        argument: str,
        competition: Competition,
        event_scores: Mapping[str, Mapping[str, Decimal | None]],
        results: Mapping[str, EventResult],
    ) -> dict[str, Decimal | None]:
        out: dict[str, Decimal | None] = {}
        for event in competition.events:
            if event.kind != argument:
                continue
            for entry, score in event_scores.get(event.key, {}).items():
                out[entry] = (out.get(entry) or Decimal(0)) + (score or Decimal(0))
        return out


def _criterion(event: Event, key: str) -> Criterion | None:
    """The event's criterion `key`, if the event is scored by a rubric that has it."""
    return event.rubric.criterion(key) if event.rubric else None


class CriterionMetric(TieBreakMetric):
    key = "criterion"
    description = "one criterion's value in one event, summed over attempts (a time: lower first)"

    def check(self, argument: str, competition: Competition) -> Problem | None:
        event_key, _, criterion = argument.partition(".")
        problem = _event_problem(event_key, competition)
        if problem:
            return problem
        event = competition.event(event_key)
        assert event is not None
        if _criterion(event, criterion) is None:
            return Problem(
                f"赛项 {event_key} 没有评分项“{criterion}”", f"event {event_key} has no criterion '{criterion}'"
            )
        if event.scope != competition.ranking:
            return Problem(
                "评分项决胜只能用于与排名同一范围（团体/个人）的赛项",
                "a criterion tie-break needs an event of the same scope as the ranking (team or individual)",
            )
        return None

    def lower_is_better(self, argument: str, competition: Competition) -> bool:
        event_key, _, key = argument.partition(".")
        event = competition.event(event_key)
        criterion = _criterion(event, key) if event else None
        kind = criterion.kind if criterion else None
        return isinstance(kind, TimeKind) and not kind.mapping.defined

    def values(
        self,
        argument: str,
        competition: Competition,
        event_scores: Mapping[str, Mapping[str, Decimal | None]],
        results: Mapping[str, EventResult],
    ) -> dict[str, Decimal | None]:
        event_key, _, criterion = argument.partition(".")
        result = results.get(event_key)
        return dict(result.criterion_values(criterion)) if result else {}


class QuizExtraMetric(TieBreakMetric):
    key = "quiz_extra"
    description = "right answers to a quiz's extra (tie-break) questions"

    def check(self, argument: str, competition: Competition) -> Problem | None:
        problem = _event_problem(argument, competition)
        event = competition.event(argument)
        if problem is None and event is not None and event.kind != "quiz":
            return Problem(f"赛项 {argument} 不是知识竞答", f"event {argument} is not a quiz")
        return problem

    def values(
        self,
        argument: str,
        competition: Competition,
        event_scores: Mapping[str, Mapping[str, Decimal | None]],
        results: Mapping[str, EventResult],
    ) -> dict[str, Decimal | None]:
        result = results.get(argument)
        return {s.entry: s.tiebreak for s in result.scores} if result else {}


TIEBREAK_METRICS: dict[str, TieBreakMetric] = {
    m.key: m for m in (EventScoreMetric(), KindScoreMetric(), CriterionMetric(), QuizExtraMetric())
}
