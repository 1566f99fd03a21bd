"""Review assignments on the judges' side: where a round has assignments (experts reviewing
submitted works, scoring/store/review_assignments.py), a judge's tablet lists only the
entries assigned to them, and every read or write of a sheet for another entry is refused as
if the entry were not there. A round without assignments is as before: every seated judge
marks every entry. The sheets a round owes are its assignments (`owed_sheets`: locking waits
for those, not for every judge on every entry); the chief's console lists every entry but
shows a judge's cell for an entry not assigned to them as not owed (`not_owed`: no state, no
count, no flag), and the desk still lists every entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from scoring.refusals import NotFound
from scoring.store.review_assignments import assigned_to, assignments_of, reviews_anything
from scoring.store.rounds import RoundContext, entry_labels
from scoring.store.works import call_reviewed_in, work_state


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


def owed_sheets(db: Session, round_id: int) -> set[tuple[str, str]] | None:
    """The (entry key, judge key) pairs whose sheets a round with assignments owes; None for a
    round without (every panel judge owes every entry)."""
    assigned = assignments_of(db, round_id)
    if not assigned:
        return None
    return {(entry, judge) for entry, judges in assigned.items() for judge in judges}


def not_owed(db: Session, round_id: int, entries: list[str], judges: list[str]) -> set[tuple[str, str]]:
    """The (entry key, judge key) cells of the console's matrix a round with assignments does
    not owe (the judge is not assigned the entry); empty for a round without assignments."""
    owed = owed_sheets(db, round_id)
    if owed is None:
        return set()
    return {(entry, judge) for entry in entries for judge in judges if (entry, judge) not in owed}


def materials_of(db: Session, round_id: int, entry: str) -> dict[str, Any] | None:
    """A submitted work's materials for its expert's sheet, when the round is a call's review
    round (else None): title, abstract, files and video links, never its authors or unit (the
    expert may be reviewing blind), and where the works' review page shows it whole."""
    call = call_reviewed_in(db, round_id)
    if call is None:
        return None
    version = work_state(db, call.id, entry).version
    return {
        "url": f"/review#work-{entry}",
        "title": version.title,
        "abstract": version.abstract,
        "files": [{"name": a["name"], "url": f"/review/files/{call.id}/{a['sha256']}"} for a in version.attachments],
        "video_links": list(version.video_links),
    }
