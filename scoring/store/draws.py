"""Recording draws of lots for a round, and a blind round's entry codes.

A draw is stored with its seed, parameters, result and the official who drew it, with an
audit record; anyone can replay it from the seed (scoring/draws.py). The codes of a blind
round come from two draws: check-in numbers, then codes drawn by a different official. Once
any sheet of the round exists, its check-in and codes can no longer be drawn again.

Draws are append-only: drawing a purpose again adds a row, and the newest row of a purpose is
the one in force (`in_force`); a redraw carries its reason. Whether a redraw is allowed, and
when it needs a reason, is the organiser's use case (organiser/round_setup.py); this module
answers whether the round's judges could have seen a draw (`seen_by_judges`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from scoring.draws import draw_checkin, draw_codes, draw_order, draw_stations
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict
from scoring.store import audit
from scoring.store.live import record_round_change
from scoring.store.models import Draw, EntryCode, PanelSeat, Sheet, SignIn

PURPOSES = ["order", "stations", "checkin", "codes"]


def latest_draw(session: Session, round_id: int, purpose: str) -> Draw | None:
    return session.execute(
        select(Draw).where(Draw.round_id == round_id, Draw.purpose == purpose).order_by(Draw.id.desc()).limit(1)
    ).scalar_one_or_none()


def draw_summary(draw: Draw) -> dict[str, Any]:
    return {
        "id": draw.id,
        "purpose": draw.purpose,
        "seed": int(draw.seed),
        "params": draw.params,
        "result": draw.result,
        "drawn_by": draw.drawn_by,
        "created_at": draw.created_at.isoformat(),
        "reason": draw.reason,
    }


def in_force(draws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Draw summaries marked with what counts: the newest of each purpose is in force, each
    earlier one names the draw that replaced it."""
    newest: dict[str, int] = {}
    for d in sorted(draws, key=lambda d: d["id"]):
        d["replaced_by"] = None
        if d["purpose"] in newest:
            previous = next(x for x in draws if x["id"] == newest[d["purpose"]])
            previous["replaced_by"] = d["id"]
        newest[d["purpose"]] = d["id"]
    for d in draws:
        d["in_force"] = d["replaced_by"] is None
    return draws


def seen_by_judges(session: Session, round_id: int, draw: Draw) -> bool:
    """Whether the round's judges could have seen the draw: a judge seated on the round had a
    session open at any time since it was made (their tablet lists entries in its order, or by
    its codes), or the round has a sheet."""
    if session.execute(select(func.count()).select_from(Sheet).where(Sheet.round_id == round_id)).scalar_one():
        return True
    seated = select(PanelSeat.judge_id).where(PanelSeat.round_id == round_id)
    open_since = session.execute(
        select(func.count())
        .select_from(SignIn)
        .where(
            SignIn.judge_id.in_(seated),
            SignIn.expires_at > draw.created_at,
            or_(SignIn.ended_at.is_(None), SignIn.ended_at > draw.created_at),
        )
    ).scalar_one()
    return bool(open_since)


def record_draw(
    session: Session,
    *,
    round_id: int,
    purpose: str,
    entries: list[str],
    seed: int,
    params: dict[str, Any],
    drawn_by: str,
    actor: str,
    reason: str | None = None,
) -> dict[str, Any]:
    if purpose in ("checkin", "codes"):
        sheets = session.execute(select(func.count()).select_from(Sheet).where(Sheet.round_id == round_id)).scalar_one()
        if sheets:
            raise Conflict(
                "本轮次已有评分表，不能重新抽取编码",
                "this round already has score sheets; its check-in and codes can no longer be drawn again",
            )
    if purpose == "order":
        result: dict[str, Any] = {"order": draw_order(entries, seed)}
    elif purpose == "stations":
        result = {"stations": draw_stations(entries, seed, int(params["stations"]))}
    elif purpose == "checkin":
        result = {"checkin": draw_checkin(entries, seed)}
    else:
        checkin = latest_draw(session, round_id, "checkin")
        if checkin is None:
            raise Conflict("请先抽取检录号（第一次抽签）", "draw the check-in numbers (stage one) first")
        if checkin.drawn_by.strip().lower() == drawn_by.strip().lower():
            raise InvalidInput(
                [
                    Problem(
                        zh="第二次抽签须由另一名工作人员进行",
                        en=f"the codes must be drawn by a different official than the check-in ({checkin.drawn_by})",
                        path="drawn_by",
                    )
                ]
            )
        codes = draw_codes(checkin.result["checkin"], seed, str(params.get("prefix", "")))
        result = {"codes": codes, "checkin_draw": checkin.id}
        session.execute(delete(EntryCode).where(EntryCode.round_id == round_id))
        session.add_all([EntryCode(round_id=round_id, entry_key=e, code=c) for e, c in codes.items()])
    draw = Draw(
        round_id=round_id,
        purpose=purpose,
        seed=str(seed),
        params=params,
        result=result,
        drawn_by=drawn_by,
        created_by=actor,
        reason=reason,
    )
    session.add(draw)
    session.flush()
    audit.append(
        session,
        actor=actor,
        action=f"draw.{purpose}",
        entity="round",
        entity_id=str(round_id),
        after={"draw": draw.id, "seed": str(seed), "params": params, "drawn_by": drawn_by}
        | ({"reason": reason} if reason else {}),
    )
    record_round_change(session, round_id, "setup", None, actor=actor)
    return draw_summary(draw)


def codes_of(session: Session, round_id: int) -> dict[str, str]:
    """code -> entry key for a round (empty until codes are drawn)."""
    rows = session.execute(select(EntryCode.code, EntryCode.entry_key).where(EntryCode.round_id == round_id)).all()
    return {code: entry for code, entry in rows}
