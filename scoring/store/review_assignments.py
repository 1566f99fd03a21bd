"""Storing who reviews what: the experts' pool (each expert a judge with a unit), the conflicts
they declared, and a round's review assignments (round, judge, entry).

Assigning a round seats every expert of the pool on its panel and keeps the assignments made
before (the organiser's additions, an earlier run) as they are; the rules of who may review
what, and the balancing, are scoring/review_assignment.py, applied here to the stored rows.
Where a round has assignments its judges see and mark only their own entries: `assigned_to`
answers which (judges/assignments.py applies it). Each change is audited.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from scoring.refusals import Conflict, NotFound
from scoring.review_assignment import Expert, Reviewable, assign_reviews, may_review
from scoring.store import audit
from scoring.store.models import Judge, PanelSeat, Team
from scoring.store.works_models import ReviewAssignment, ReviewConflict, ReviewExpert


def judge_by_key(db: Session, competition_id: int, key: str) -> Judge:
    found = db.execute(
        select(Judge).where(Judge.competition_id == competition_id, Judge.key == key)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"没有评委“{key}”", f"no judge '{key}'")
    return found


def set_expert(db: Session, competition_id: int, judge_key: str, unit_key: str, actor: str) -> None:
    """Put a judge in the experts' pool with their unit (or change the unit)."""
    judge = judge_by_key(db, competition_id, judge_key)
    row = db.execute(select(ReviewExpert).where(ReviewExpert.judge_id == judge.id)).scalar_one_or_none()
    if row is None:
        db.add(ReviewExpert(competition_id=competition_id, judge_id=judge.id, unit_key=unit_key))
    else:
        row.unit_key = unit_key
    audit.append(
        db, actor=actor, action="review.expert", entity="judge", entity_id=str(judge.id), after={"unit": unit_key}
    )


def declare_conflict(db: Session, competition_id: int, judge_key: str, work_key: str, reason: str, actor: str) -> None:
    """An expert's declared conflict with a work: they will never be assigned to it. Refused
    when they are assigned to it already (the organiser moves the review first)."""
    judge = judge_by_key(db, competition_id, judge_key)
    if db.execute(
        select(ReviewAssignment.id).where(ReviewAssignment.judge_id == judge.id, ReviewAssignment.entry_key == work_key)
    ).first():
        raise Conflict(
            f"评委“{judge_key}”已被分配评审“{work_key}”", f"judge '{judge_key}' is already assigned to '{work_key}'"
        )
    exists = db.execute(
        select(ReviewConflict.id).where(ReviewConflict.judge_id == judge.id, ReviewConflict.work_key == work_key)
    ).first()
    if exists is None:
        db.add(ReviewConflict(competition_id=competition_id, judge_id=judge.id, work_key=work_key, reason=reason[:500]))
        audit.append(
            db,
            actor=actor,
            action="review.conflict",
            entity="judge",
            entity_id=str(judge.id),
            after={"work": work_key, "reason": reason[:500]},
        )


def pool_of(db: Session, competition_id: int) -> list[tuple[Judge, str]]:
    """The experts (judge, unit) of a competition's pool, by key."""
    rows = db.execute(
        select(Judge, ReviewExpert.unit_key)
        .join(ReviewExpert, ReviewExpert.judge_id == Judge.id)
        .where(ReviewExpert.competition_id == competition_id)
        .order_by(Judge.key)
    ).all()
    return [(judge, unit) for judge, unit in rows]


def _conflicts(db: Session, competition_id: int) -> set[tuple[str, str]]:
    rows = db.execute(
        select(Judge.key, ReviewConflict.work_key)
        .join(Judge, Judge.id == ReviewConflict.judge_id)
        .where(ReviewConflict.competition_id == competition_id)
    ).all()
    return {(judge, work) for judge, work in rows}


def assignments_of(db: Session, round_id: int) -> dict[str, list[str]]:
    """Entry key -> the keys of the judges assigned to it in the round."""
    found: dict[str, list[str]] = defaultdict(list)
    rows = db.execute(
        select(ReviewAssignment.entry_key, Judge.key)
        .join(Judge, Judge.id == ReviewAssignment.judge_id)
        .where(ReviewAssignment.round_id == round_id)
        .order_by(ReviewAssignment.entry_key, Judge.key)
    )
    for entry, judge in rows:
        found[entry].append(judge)
    return dict(found)


ASSIGNMENTS: Table = ReviewAssignment.__table__  # type: ignore[assignment]
#: Whether a round has assignments, and a judge's entries there (built once, plain rows).
ROUND_ASSIGNED = select(ASSIGNMENTS.c.id).where(ASSIGNMENTS.c.round_id == bindparam("round_id")).limit(1)
ENTRIES_ASSIGNED = select(ASSIGNMENTS.c.entry_key).where(
    ASSIGNMENTS.c.round_id == bindparam("round_id"), ASSIGNMENTS.c.judge_id == bindparam("judge_id")
)


def assigned_to(db: Session, round_id: int, judge_id: int) -> set[str] | None:
    """The entries a judge reviews in a round, or None when the round has no assignments (every
    seated judge marks every entry, as before)."""
    connection = db.connection()
    if connection.execute(ROUND_ASSIGNED, {"round_id": round_id}).first() is None:
        return None
    return set(connection.execute(ENTRIES_ASSIGNED, {"round_id": round_id, "judge_id": judge_id}).scalars())


def reviews_anything(db: Session, judge_id: int) -> bool:
    """Whether the judge is assigned any entry of any round."""
    found = db.execute(select(ReviewAssignment.id).where(ReviewAssignment.judge_id == judge_id).limit(1)).first()
    return found is not None


def _seat(db: Session, round_id: int, judge_id: int) -> None:
    seated = db.execute(
        select(PanelSeat.id).where(PanelSeat.round_id == round_id, PanelSeat.judge_id == judge_id)
    ).first()
    if seated is None:
        db.add(PanelSeat(round_id=round_id, judge_id=judge_id, chief=False, marks=True))


def assign_round(
    db: Session, competition_id: int, round_id: int, entries: list[str], k: int, actor: str
) -> dict[str, list[str]]:
    """Give each of `entries` (works, by key) `k` experts of the pool, keeping assignments made
    before, and seat the pool on the round. Refused, with nothing changed, when a work has
    fewer than `k` experts free of conflicts."""
    pool = pool_of(db, competition_id)
    if not pool:
        raise Conflict("请先设置评审专家库", "add experts to the pool first")
    units = dict(
        db.execute(
            select(Team.key, Team.unit_key).where(Team.competition_id == competition_id, Team.key.in_(entries))
        ).all()
    )
    works = [Reviewable(key, units.get(key, "")) for key in entries]
    experts = [Expert(judge.key, unit) for judge, unit in pool]
    fixed = assignments_of(db, round_id)
    chosen = assign_reviews(works, experts, k, _conflicts(db, competition_id), fixed)
    ids = {judge.key: judge.id for judge, _ in pool}
    added = 0
    for entry, judges in chosen.items():
        for key in judges:
            if key not in fixed.get(entry, []):
                db.add(ReviewAssignment(round_id=round_id, judge_id=ids[key], entry_key=entry, added_by=actor))
                added += 1
    for judge, _ in pool:
        _seat(db, round_id, judge.id)
    db.flush()
    audit.append(
        db, actor=actor, action="review.assign", entity="round", entity_id=str(round_id), after={"added": added, "k": k}
    )
    return chosen


def add_reviewer(db: Session, competition_id: int, round_id: int, judge_key: str, entry: str, actor: str) -> None:
    """The organiser adds one more expert to a work (a disagreement to settle): never one of the
    work's unit nor one who declared a conflict with it."""
    judge = judge_by_key(db, competition_id, judge_key)
    unit = db.execute(select(ReviewExpert.unit_key).where(ReviewExpert.judge_id == judge.id)).scalar_one_or_none()
    work_unit = db.execute(
        select(Team.unit_key).where(Team.competition_id == competition_id, Team.key == entry)
    ).scalar_one_or_none()
    if unit is None or work_unit is None:
        raise NotFound("专家不在专家库，或没有这件作品", "the expert is not in the pool, or there is no such work")
    if not may_review(Expert(judge.key, unit), Reviewable(entry, work_unit), frozenset(_conflicts(db, competition_id))):
        raise Conflict(
            f"评委“{judge_key}”与作品“{entry}”须回避（同单位或已申报回避）",
            f"judge '{judge_key}' may not review '{entry}' (same unit, or a declared conflict)",
            field="judge",
        )
    if judge_key in assignments_of(db, round_id).get(entry, []):
        raise Conflict(f"评委“{judge_key}”已在评审“{entry}”", f"judge '{judge_key}' already reviews '{entry}'")
    db.add(ReviewAssignment(round_id=round_id, judge_id=judge.id, entry_key=entry, added_by=actor))
    _seat(db, round_id, judge.id)
    audit.append(
        db,
        actor=actor,
        action="review.add",
        entity="round",
        entity_id=str(round_id),
        after={"judge": judge_key, "entry": entry},
    )
