"""A round's set-up: its panel of judges with the chief judge, and its draws of lots (a redraw
confirmed against the draw in force, with a reason once judges could have seen it). Each change
is checked, stored in the caller's transaction and audited.

A round whose event is not marked on score sheets (a theory paper, a quiz, officials' values
only) takes no panel: seating judges there is refused, since they would have nothing to mark
(its answers or values are uploaded, its quiz log kept by the quiz master). Clearing such a
round's panel is allowed, so seats made before this rule can be removed.

The chief is one of the judges who mark, or, named as chief but not among the judges, a referee
who keeps the desk and the console and marks no sheet (diving's referee): the lock, the
console's missing sheets, min_judges and the results then count the marking judges only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scoring.draws import new_seed
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict
from scoring.store import audit
from scoring.store.draws import latest_draw, record_draw, seen_by_judges
from scoring.store.live import record_change
from scoring.store.models import (
    Judge,
    PanelSeat,
    Round,
)
from scoring.store.rounds import event_entry_keys, marked_on_sheets, round_context


def set_panel(db: Session, round_id: int, judge_keys: list[str], chief: str | None, actor: str) -> dict[str, Any]:
    context = round_context(db, round_id)
    if judge_keys and not marked_on_sheets(db, context):
        raise Conflict(
            "本轮次不用评分表（理论试卷的答卷由组织方上传，知识竞答由主持人记录），不设评委组；只能清空评委组",
            "this round is not marked on score sheets (a theory paper's answer sheets are uploaded by the "
            "organiser, a quiz is recorded by the quiz master), so it takes no panel; it can only be cleared",
            field="judges",
        )
    named = [*judge_keys, *([chief] if chief is not None else [])]
    judges = {
        j.key: j
        for j in db.execute(
            select(Judge).where(Judge.competition_id == context.event.competition_id, Judge.key.in_(named))
        ).scalars()
    }
    problems = [
        Problem(zh=f"未知的评委“{k}”", en=f"unknown judge '{k}'", path="judges") for k in judge_keys if k not in judges
    ]
    if chief is not None and chief not in judges:
        problems.append(Problem(zh=f"未知的裁判长“{chief}”", en=f"unknown chief judge '{chief}'", path="chief"))
    if chief is not None and not judge_keys:
        problems.append(
            Problem(
                zh="裁判长之外还须有评分的评委", en="a panel needs judges who mark besides its chief", path="judges"
            )
        )
    if problems:
        raise InvalidInput(problems)
    keys = list(dict.fromkeys(judge_keys))
    referee = chief is not None and chief not in keys  # keeps the desk and the console, marks nothing
    db.execute(delete(PanelSeat).where(PanelSeat.round_id == round_id))
    db.add_all([PanelSeat(round_id=round_id, judge_id=judges[k].id, chief=k == chief) for k in keys])
    if referee:
        assert chief is not None
        db.add(PanelSeat(round_id=round_id, judge_id=judges[chief].id, chief=True, marks=False))
    panel = {"judges": keys, "chief": chief, "chief_marks": chief is not None and not referee}
    audit.append(db, actor=actor, action="panel.set", entity="round", entity_id=str(round_id), after=panel)
    record_change(db, context.event.competition_id, "setup", actor=actor)  # the live boards rebuild
    return panel


def panel_of(db: Session, round_id: int) -> dict[str, Any]:
    """A round's panel as set_panel takes it: the judges who mark, the chief, and whether the chief
    marks (False: seated as referee, desk only, not among `judges`)."""
    seats = db.execute(
        select(Judge.key, PanelSeat.chief, PanelSeat.marks)
        .join(Judge, Judge.id == PanelSeat.judge_id)
        .where(PanelSeat.round_id == round_id)
        .order_by(Judge.key)
    ).all()
    chief = next((s for s in seats if s.chief), None)
    return {
        "judges": [s.key for s in seats if s.marks],
        "chief": chief.key if chief else None,
        "chief_marks": bool(chief and chief.marks),
    }


def make_draw(
    db: Session,
    round_id: int,
    purpose: str,
    drawn_by: str,
    seed: int | None,
    stations: int | None,
    prefix: str,
    actor: str,
    replaces: int | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """Draw the order, the stations, the check-in numbers or the codes of a round.

    A draw of a purpose that has one already replaces it, and the newest is the one in force;
    so a redraw must say which draw it replaces (`replaces`, the one in force: a warning the
    organiser has read, and no two redraws cross), and once the round's judges could have seen
    the draw in force (a seated judge was signed in since it was made, or a sheet exists) it
    needs a reason. Both are recorded with the new draw and in its audit record."""
    if purpose == "stations" and not stations:
        raise InvalidInput(
            [Problem(zh="抽取工位需要工位数", en="a station draw needs the number of stations", path="stations")]
        )
    db.get(Round, round_id, with_for_update=True)  # one redraw of a round at a time
    current = latest_draw(db, round_id, purpose)
    if current is not None:
        if replaces != current.id:
            raise Conflict(
                f"本轮次已有此类抽签（#{current.id}，抽签人 {current.drawn_by}）；重新抽签将取代它，请确认",
                f"the round already has a draw of this kind (#{current.id}, drawn by {current.drawn_by}); "
                "a new one replaces it: confirm the redraw",
                field="replaces",
            )
        if not reason.strip() and seen_by_judges(db, round_id, current):
            raise InvalidInput(
                [
                    Problem(
                        zh="评委可能已看到当前抽签结果，重新抽签须填写原因",
                        en="the judges may have seen the draw in force; a redraw needs a reason",
                        path="reason",
                    )
                ]
            )
    entries = event_entry_keys(db, round_context(db, round_id).event)
    params: dict[str, Any] = {"stations": stations} if purpose == "stations" else {}
    if purpose == "codes":
        params["prefix"] = prefix
    return record_draw(
        db,
        round_id=round_id,
        purpose=purpose,
        entries=entries,
        seed=seed if seed is not None else new_seed(),
        params=params,
        drawn_by=drawn_by,
        actor=actor,
        reason=(reason.strip() or None) if current is not None else None,
    )
