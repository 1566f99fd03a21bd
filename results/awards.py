"""Award lists from standings: prizes by ratio, count or score threshold, titles for the best
individuals of an event, and organisation awards given by the organiser's decision.

What an award list holds is defined here; how places become awards is `allocate_awards`.
Nothing here reads the store or renders anything (results/workbook.py, the pages).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from scoring.model import AwardRule


@dataclass(frozen=True)
class OrganisationDecision:
    """The organiser's decision to give an organisation award (优秀组织奖) to a unit, with the
    reason recorded."""

    award: str  # the award rule's key
    unit: str  # the unit's key
    reason: str
    decided_by: str = ""


@dataclass(frozen=True)
class AwardRecipient:
    """One entry (a team, a contestant or a unit) on an award list."""

    award: str  # the award rule's key
    entry: str  # the key of the team, contestant or unit
    name: str  # the entry's name (zh; a team's or unit's en name is in name_en)
    name_en: str
    unit: str  # the unit's key ("" for a unit itself)
    unit_name: str  # zh
    unit_name_en: str
    contestants: tuple[str, ...]  # names of the team's contestants (the contestant's own for individuals)
    place: int | None  # place in the standings the award is based on (None for organisation awards)
    shared: bool  # the place is shared with another entry
    score: Decimal | None
    reason: str = ""  # why (organisation awards: the organiser's recorded reason)


@dataclass
class AwardList:
    """The recipients of one award rule, best first, and how its boundary was decided."""

    rule: AwardRule
    recipients: list[AwardRecipient]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en): counts, ties at a boundary
