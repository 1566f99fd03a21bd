"""Freezing the public live board and revealing it at the award ceremony.

`freeze` stores the public board as it is (the payload of a "freeze" change, in the
organiser's transaction); from then on the public board is that frozen board, with every entry
whose results moved since marked pending, and nothing counted after the freeze in it
(`public_view`). `reveal` adds the next step of the ceremony: the next entry from the last
place upward, or every entry of the next award; the revealed rows are stored in the step's
payload as they were revealed, so every screen shows the same step whenever it joins.
`unfreeze` makes the public board live again. Each is audited and numbered like any change.

The organiser's routes call the use cases; the live hub calls `public_view` on each board it
sends to the public. Nothing here sends anything.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from results.live_board import BoardBuilder
from results.live_sections import TICKER_LENGTH, ticker_items
from results.stored import competition_row
from scoring.refusals import Conflict
from scoring.store import audit
from scoring.store.live import Change, board_control, change_at, head, latest_of_kinds, record_change

# lists of {"rows": [...]} besides the overall, and what names each part (a round's key is
# unique only within its event: rounds go by id)
RESULT_SECTIONS = (("events", "key"), ("rounds", "id"))


def live_ticker(db: Session, competition_id: int, upto: int, titles: dict[int, dict[str, str]]) -> list[Any]:
    return ticker_items(latest_of_kinds(db, competition_id, ("round", "publication"), upto, TICKER_LENGTH), titles)


def compute_board(db: Session, builder: BoardBuilder, upto: int) -> dict[str, Any]:
    """The builder's board as of `upto`, its ticker included."""
    board = builder.build(db)
    titles = {r["id"]: r["title"] for r in board["rounds"]}
    board["ticker"] = live_ticker(db, builder.competition_id, upto, titles)
    return board


def _freeze_of(db: Session, competition_id: int, control: Change) -> Change:
    if control.kind == "freeze":
        return control
    found = change_at(db, competition_id, int((control.payload or {})["freeze"]))
    assert found is not None and found.kind == "freeze"
    return found


def control_status(db: Session, competition_id: int, upto: int) -> dict[str, Any]:
    """The board's status as of `upto`: frozen or not, and the ceremony's step."""
    control = board_control(db, competition_id, upto)
    if control is None:
        return {"frozen": False, "frozen_at": None, "reveal": None}
    freeze = _freeze_of(db, competition_id, control)
    return {
        "frozen": True,
        "frozen_at": (freeze.payload or {}).get("at"),
        "reveal": _reveal_status(control) if control.kind == "reveal" else None,
    }


def _reveal_status(control: Change) -> dict[str, Any]:
    payload = control.payload or {}
    revealed = payload.get("revealed", [])
    return {"step": len(revealed), "of": payload.get("of", 0), "current": revealed[-1]["entry"] if revealed else None}


def _pending(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"pending": True}


def _mark_rows(frozen_rows: list[Any], live_rows: list[Any]) -> list[Any]:
    """The frozen rows, each entry whose place or score moved since marked pending; entries
    new since the freeze added at the end, pending, with no place or score."""
    live = {r["entry"]: r for r in live_rows}
    out = []
    for row in frozen_rows:
        now = live.get(row["entry"])
        moved = now is None or (now["place"], now["score"]) != (row["place"], row["score"])
        out.append(_pending(row) if moved else dict(row))
    known = {r["entry"] for r in frozen_rows}
    new = sorted((r for r in live_rows if r["entry"] not in known), key=lambda r: str(r["entry"]))
    # in entry order, never the live order: where they stand now is what the freeze hides
    out += [_pending(r | {"place": "", "score": "", "award": None}) for r in new]
    return out


def frozen_view(frozen: dict[str, Any], live: dict[str, Any]) -> dict[str, Any]:
    """What the public sees while frozen: the frozen board, with pending marks from the live
    one (which entries moved, never where to); the stage stays live (who is on, not results)."""
    board = copy.deepcopy(frozen)
    board["overall"]["rows"] = _mark_rows(frozen["overall"]["rows"], live["overall"]["rows"])
    for section, key in RESULT_SECTIONS:
        live_rows = {s[key]: s["rows"] for s in live[section]}
        for part in board[section]:
            part["rows"] = _mark_rows(part["rows"], live_rows.get(part[key], []))
    for section in ("individuals", "units"):
        board[section] = _mark_rows(frozen[section], live[section])
    live_quiz = {q["round"]: {t["team"]: t for t in q["teams"]} for q in live["quiz"]}
    for q in board["quiz"]:
        now = live_quiz.get(q["round"], {})
        q["teams"] = [t | {"pending": now.get(t["team"], {}).get("score") != t["score"]} for t in q["teams"]]
    board["stage"] = live["stage"]
    return board


def public_view(db: Session, competition_id: int, upto: int, live: dict[str, Any]) -> dict[str, Any]:
    """The public board as of `upto`: the live public board, or the frozen one with the
    ceremony's revealed rows."""
    control = board_control(db, competition_id, upto)
    if control is None:
        return live
    freeze = _freeze_of(db, competition_id, control)
    board = frozen_view((freeze.payload or {})["board"], live)
    board["status"] = control_status(db, competition_id, upto)
    if control.kind == "reveal":
        revealed = (control.payload or {}).get("revealed", [])
        shown = {r["entry"] for r in revealed}
        hidden = [r for r in board["overall"]["rows"] if r["entry"] not in shown]
        board["overall"]["rows"] = [_pending(r) for r in hidden] + list(reversed(revealed))
    return board


# The organiser's use cases (one transaction each, the caller's).


def freeze(db: Session, key: str, actor: str) -> dict[str, Any]:
    """Freeze the public board as it is now."""
    row = competition_row(db, key)
    now = head(db, row.id)
    if board_control(db, row.id, now) is not None:
        raise Conflict("公共看板已冻结", "the public board is already frozen")
    board = compute_board(db, BoardBuilder(row.id, "public"), now)
    at = datetime.now(UTC).isoformat()
    # the audit head first, then the live head: the order every writer takes the two locks in
    audit.append(db, actor=actor, action="live.freeze", entity="competition", entity_id=key, after={"at": at})
    seq = record_change(db, row.id, "freeze", payload={"board": board, "at": at}, actor=actor)
    return {"seq": seq, "frozen_at": at}


def reveal(db: Session, key: str, by: str, actor: str) -> dict[str, Any]:
    """The ceremony's next step: the next entry from the last place upward (`by` "entry"), or
    every entry of the next award ("award"); refused when not frozen or all is revealed."""
    row = competition_row(db, key)
    now = head(db, row.id)
    control = board_control(db, row.id, now)
    if control is None:
        raise Conflict("请先冻结公共看板", "freeze the public board first")
    freeze_change = _freeze_of(db, row.id, control)
    revealed: list[Any] = list((control.payload or {}).get("revealed", [])) if control.kind == "reveal" else []
    live = compute_board(db, BoardBuilder(row.id, "public"), now)["overall"]["rows"]
    shown = {r["entry"] for r in revealed}
    waiting = [r for r in reversed(live) if r["entry"] not in shown]  # from the last place upward
    if not waiting:
        raise Conflict("已全部揭晓", "every entry is revealed already")
    step = [waiting[0]]
    if by == "award":
        for r in waiting[1:]:
            if r["award"] != waiting[0]["award"]:
                break
            step.append(r)
    revealed += [r | {"pending": False} for r in step]
    payload = {"freeze": freeze_change.seq, "revealed": revealed, "of": len(live)}
    audit.append(
        db,
        actor=actor,
        action="live.reveal",
        entity="competition",
        entity_id=key,
        after={"step": len(revealed), "entries": [r["entry"] for r in step]},
    )
    seq = record_change(db, row.id, "reveal", payload=payload, actor=actor)
    return {"seq": seq, "step": len(revealed), "of": len(live), "revealed": [r["entry"] for r in step]}


def unfreeze(db: Session, key: str, actor: str) -> dict[str, Any]:
    """Make the public board live again."""
    row = competition_row(db, key)
    if board_control(db, row.id, head(db, row.id)) is None:
        raise Conflict("公共看板未冻结", "the public board is not frozen")
    audit.append(db, actor=actor, action="live.unfreeze", entity="competition", entity_id=key, after={})
    seq = record_change(db, row.id, "unfreeze", actor=actor)
    return {"seq": seq}
