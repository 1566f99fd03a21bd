"""Moving a round's publication state (scoring/publication.py says which moves are allowed), in
the caller's transaction, with its audit record. Locking a round's sheets and moving its state
therefore commit together or not at all."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scoring.problems import InvalidInput, Problem
from scoring.publication import Publication, check_move
from scoring.refusals import Conflict, NotFound
from scoring.store import audit
from scoring.store.live import record_round_change
from scoring.store.models import Round


def move_publication(db: Session, round_id: int, target: str, actor: str, correction: str = "") -> dict[str, str]:
    """Lock, publish as a notice (公示), publish as final, or withdraw a round's results; with a
    `correction` (its reason, recorded), take a final round back to locked."""
    try:
        wanted = Publication(target)
    except ValueError:
        raise InvalidInput(
            [
                Problem(
                    zh="发布状态无效",
                    en=f"'{target}' is not a state; states: open, locked, notice, final",
                    path="state",
                )
            ]
        ) from None
    round_ = db.get(Round, round_id, with_for_update=True)
    if round_ is None:
        raise NotFound("没有这个轮次", f"no round {round_id}")
    current = Publication(round_.publication)
    refusal = check_move(current, wanted, correction)
    if refusal:
        raise Conflict(refusal.zh, refusal.en)
    round_.publication = wanted.value
    audit.append(
        db,
        actor=actor,
        action="round.publication",
        entity="round",
        entity_id=str(round_id),
        before={"state": current.value},
        after={"state": wanted.value} | ({"correction": correction} if correction else {}),
    )
    record_round_change(db, round_id, "round", None, actor=actor, payload={"state": wanted.value})
    return {"round": str(round_id), "state": wanted.value}
