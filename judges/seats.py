"""Whether a judge may act on a round: panel seats, the chief's seat, and the judge behind a
key in a chief's request. A judge reaches only the rounds they hold a seat on and only their
own sheets there; the chief judge of a round may act on any sheet of it. A chief seated as
referee (desk only: `PanelSeat.marks` False) keeps the desk and the console and has no sheet. What a round's
entries are and what judges see of them is scoring/store/rounds.py; storing is
scoring/store/sheets.py.

A round whose event is not marked on score sheets (a theory paper, a quiz, officials' values
only) is never a judge's: a seat there (one made before the organiser's pages refused such
panels) is ignored, so the round is not in a judge's assignments and every judge's or chief's
request on it is refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from judges.assignments import visible_labels
from scoring.refusals import Conflict, Forbidden, NotFound
from scoring.rubrics.model import Rubric
from scoring.store.models import Judge, PanelSeat
from scoring.store.rounds import (
    RoundContext,
    entry_of_label,
    judges_mark,
    labels_in_order,
    marked_on_sheets,
    round_context,
    rubric_of_version,
    seated_context,
)
from scoring.store.write_seats import WriteSeat, write_seat


def seat(db: Session, judge_id: int, round_id: int) -> PanelSeat | None:
    return db.execute(
        select(PanelSeat).where(PanelSeat.judge_id == judge_id, PanelSeat.round_id == round_id)
    ).scalar_one_or_none()


def require_seat(db: Session, judge_id: int, round_id: int, chief: bool = False, marks: bool = False) -> RoundContext:
    """The round, if this judge sits on its panel (as its chief with `chief`; as a judge who marks
    sheets with `marks`: a chief seated as referee, desk only, has no sheet); else Forbidden.
    One query (scoring/store/rounds.py seated_context)."""
    context, seated_as_chief, marking = seated_context(db, round_id, judge_id)
    if seated_as_chief is None or (chief and not seated_as_chief):
        who = "裁判长" if chief else "评委"
        raise Forbidden(
            f"您不是该轮次的{who}", f"you are not {'the chief judge' if chief else 'a judge'} of this round"
        )
    if marks and not marking:
        raise Forbidden(
            "您在该轮次任裁判长（记录台），不填写评分表",
            "you keep this round's desk as its referee and mark no sheets",
        )
    if not marked_on_sheets(db, context):
        raise Forbidden(
            "本轮次不用评分表，评委无需评分（理论试卷的答卷由组织方上传）",
            "this round is not marked on score sheets, so no judge marks it (a theory paper's answer sheets "
            "are uploaded by the organiser)",
        )
    return context


def plain_write_seat(db: Session, token: str, round_id: int, label: str) -> tuple[WriteSeat, Rubric] | None:
    """A judge's sheet write, checked in one statement (scoring/store/write_seats.py): the
    signed-in judge holds a marking seat on the round, which is marked on score sheets, not
    blind, and `label` is an entry of it assigned to the judge where the round has assignments;
    with the round's rubric. None for anything else: the caller then runs the separate checks
    (`judge_in`, `require_seat`, `entry_of_label`, `require_assigned`), which refuse it with
    their own words, or allow it (a blind event's codes are read there)."""
    found = write_seat(db, token, round_id, label)
    if found is None or not found.live() or found.chief is None or not found.marks or found.blind:
        return None
    if not found.entry_found or (found.assigned_round and not found.assigned_entry):
        return None
    try:
        rubric = rubric_of_version(db, found.rubric_version_id, found.rubric_digest, found.kind)
    except Conflict:  # not marked on sheets (a quiz)
        return None
    return (found, rubric) if judges_mark(rubric) else None


def seated_judge_id(db: Session, round_id: int, judge_key: str, competition_id: int) -> int:
    """The id of the judge a chief names by key, if that judge sits on the round's panel."""
    judge = db.execute(
        select(Judge).where(Judge.key == judge_key, Judge.competition_id == competition_id)
    ).scalar_one_or_none()
    found = seat(db, judge.id, round_id) if judge is not None else None
    if judge is None or found is None or not found.marks:  # a referee's seat (desk only) has no sheets
        raise NotFound(f"评委“{judge_key}”不在本轮次", f"judge '{judge_key}' is not on this round's panel")
    return judge.id


def chiefs_sheet(
    db: Session, chief_id: int, round_id: int, label: str, judge_key: str
) -> tuple[RoundContext, str, int]:
    """For the round's chief: the round, the entry behind `label`, and the seated judge named
    `judge_key` (the sheet the chief acts on)."""
    context = require_seat(db, chief_id, round_id, chief=True)
    entry = entry_of_label(db, context, label)
    return context, entry, seated_judge_id(db, round_id, judge_key, context.event.competition_id)


def assignments(db: Session, judge_id: int) -> list[dict[str, Any]]:
    """The rounds a judge sits on and marks on score sheets, with the entry labels they see (none
    in a blind round until its codes are drawn)."""
    out = []
    seats = db.execute(select(PanelSeat).where(PanelSeat.judge_id == judge_id).order_by(PanelSeat.round_id)).scalars()
    for s in seats:
        context = round_context(db, s.round_id)
        if not marked_on_sheets(db, context):
            continue  # a seat on a theory paper or quiz: nothing to mark there
        event = context.event
        out.append(
            {
                "round_id": s.round_id,
                "round": context.round.key,
                "event": event.key,
                "title": {"zh": event.title_zh, "en": event.title_en},
                "chief": s.chief,
                "marks": s.marks,  # False: the chief seated as referee, desk only, with no sheets
                "blind": event.blind,
                # where the round has review assignments, only the judge's own entries
                "entries": visible_labels(db, context, judge_id, labels_in_order(db, context)) if s.marks else [],
            }
        )
    return out
