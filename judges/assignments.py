"""Review assignments on the judges' side: where a round has assignments (experts reviewing
submitted works, scoring/store/review_assignments.py), a judge's tablet lists only the
entries assigned to them, and every read or write of a sheet for another entry is refused as
if the entry were not there. A round without assignments is as before: every seated judge
marks every entry. The chief's console and desk are not narrowed here."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scoring.refusals import NotFound
from scoring.store.review_assignments import assigned_to, reviews_anything
from scoring.store.rounds import RoundContext, entry_labels


def visible_labels(db: Session, context: RoundContext, judge_id: int, labels: list[str]) -> list[str]:
    """`labels` (in their order) less those of entries not assigned to the judge."""
    mine = assigned_to(db, context.round.id, judge_id)
    if mine is None:
        return labels
    shown = {label for entry, label in entry_labels(db, context).items() if entry in mine}
    return [label for label in labels if label in shown]


def require_assigned(db: Session, context: RoundContext, judge_id: int, entry: str, label: str) -> None:
    """Refused (NotFound, the same answer as an unknown entry) when the round has assignments
    and this entry is not one of the judge's."""
    mine = assigned_to(db, context.round.id, judge_id)
    if mine is not None and entry not in mine:
        raise NotFound(f"本轮次没有参赛对象“{label}”", f"no entry '{label}' in this round")


def reviews_works(db: Session, judge_id: int) -> bool:
    """Whether the judge has review assignments anywhere: their tablet then links to the works'
    materials (/review, the works area's page)."""
    return reviews_anything(db, judge_id)
