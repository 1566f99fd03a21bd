"""The competition as data: units, teams, contestants, judges, events, overall and award rules.

Built and validated by scoring/competition.py from a competition file; each event holds its
kind bound to its rules and parameters (`Event.bound`), which scores its marks. Frozen where
nothing should change after loading; the roster lists are plain lists so an import can add to
them before the whole is checked again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from scoring.events.base import BoundEvent
from scoring.rubrics.model import Rubric


class Scope(StrEnum):
    TEAM = "team"
    INDIVIDUAL = "individual"


class Role(StrEnum):
    TEAM_LEADER = "team_leader"
    MEMBER = "member"
    RESERVE = "reserve"


ROLE_WORDS = {
    "team_leader": Role.TEAM_LEADER,
    "leader": Role.TEAM_LEADER,
    "队长": Role.TEAM_LEADER,
    "班组长": Role.TEAM_LEADER,
    "member": Role.MEMBER,
    "队员": Role.MEMBER,
    "选手": Role.MEMBER,
    "reserve": Role.RESERVE,
    "替补": Role.RESERVE,
}


@dataclass(frozen=True)
class Unit:
    key: str
    name: dict[str, str]


@dataclass(frozen=True)
class Contestant:
    key: str
    name: str
    unit: str
    team: str | None = None
    role: Role = Role.MEMBER


@dataclass(frozen=True)
class Team:
    key: str
    name: dict[str, str]
    unit: str
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Judge:
    key: str
    name: str


@dataclass(frozen=True)
class Standardisation:
    """How an event's scores are standardised before they count for the overall (optional).

    "worldskills": centre + spread x (score - median) / standard deviation; "z": (score - mean) /
    standard deviation; each rounded half up to `places`. The arithmetic is results/standardise.py.
    """

    method: str  # "worldskills" or "z"
    centre: Decimal = Decimal(700)
    spread: Decimal = Decimal(100)
    places: int = 2


@dataclass(frozen=True)
class Event:
    key: str
    title: dict[str, str]
    kind: str
    scope: Scope
    weight: Decimal
    bound: BoundEvent | None  # the kind bound to the event's rules and params; None when they have problems
    rules_file: str
    panel_size: int | None = None
    blind: bool = False
    rounds: tuple[str, ...] = ("final",)
    team_aggregate: str = "mean"
    # marks count for results once the chief judge locks the round; True: submitted ones too
    results_before_lock: bool = False
    # None: the raw score counts for the overall; else its standardised score does
    standardise: Standardisation | None = None

    @property
    def rubric(self) -> Rubric | None:
        """The rubric the event's marks are checked against, if its kind scores by one."""
        return self.bound.rubric if self.bound else None


@dataclass(frozen=True)
class TieBreak:
    metric: str  # a key of results.tiebreaks.TIEBREAK_METRICS
    argument: str  # what it reads: an event key, a kind, or event.criterion

    @property
    def label(self) -> str:
        return f"{self.metric}:{self.argument}"


@dataclass(frozen=True)
class Overall:
    method: str = "weighted"  # weighted: sum of weight x score / event maximum; sum: raw sum
    rounding_places: int | None = 2
    rounding_mode: str = "half_up"
    tiebreaks: tuple[TieBreak, ...] = ()


@dataclass(frozen=True)
class AwardRule:
    """One `[[awards]]` table. A prize or title gives its places by exactly one of `ratio` (a share
    of the ranked entries, rounded by `ratio_rounding`), `count` or `threshold` (a score: everyone
    at or better than it); `ties` says what happens to entries tied at the boundary. An
    organisation award goes to the units the organiser decides, at most `count` of them."""

    key: str
    title: dict[str, str]
    kind: str  # prize, title, organisation
    scope: Scope | str  # team, individual, or unit
    basis: str  # "overall" or an event key
    ratio: Decimal | None = None
    count: int | None = None
    min_score: Decimal | None = None
    threshold: Decimal | None = None
    ratio_rounding: str = "half_up"  # half_up, floor, ceiling: ratio x ranked entries -> places
    ties: str = "tiebreak"  # tiebreak, all_in, all_out: entries tied at the boundary
    eligible_roles: tuple[Role, ...] = ()  # titles: the roles that may get it; () all


@dataclass(frozen=True)
class UnitRanking:
    """How a unit's score comes from its teams' overall scores: their mean (rounded like the
    overall), or the sum of its `best` n."""

    method: str = "mean"  # mean, best
    best: int | None = None


@dataclass
class Competition:
    key: str
    name: dict[str, str]
    dates: tuple[str, ...]
    language: str
    ranking: Scope
    units: list[Unit]
    teams: list[Team]
    contestants: list[Contestant]
    judges: list[Judge]
    events: list[Event]
    overall: Overall
    awards: list[AwardRule]
    file: str = ""
    unit_ranking: UnitRanking = UnitRanking()

    def event(self, key: str) -> Event | None:
        return next((e for e in self.events if e.key == key), None)

    def entries_for(self, event: Event) -> set[str]:
        if event.scope is Scope.TEAM:
            return {t.key for t in self.teams}
        return {c.key for c in self.contestants}

    def team_of(self) -> dict[str, str]:
        return {c.key: c.team for c in self.contestants if c.team}
