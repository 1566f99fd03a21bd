"""The live board's sections that are not standings: who is on stage now, the quiz rounds as
they are played, and the ticker of rounds locked and results published (docs/live-protocol.md).
results/live_board.py assembles them into the board. Nothing here scores or decides a view."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

import scoring.store.models as m
from results.from_store import View
from results.snapshot import Names
from scoring.events.quiz import QuizRules
from scoring.store.draws import codes_of, latest_draw
from scoring.store.live import Change
from scoring.store.quiz import quiz_board
from scoring.store.rounds import event_entry_keys, rules_of_version
from scoring.store.sheets import current_states_and_marks

STATE_WORDS = {
    "open": ("进行中", "open"),
    "locked": ("已锁定", "locked"),
    "notice": ("公示中", "on notice"),
    "final": ("最终成绩", "final"),
}
TICKER_LENGTH = 20


def text(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def stage(
    db: Session, events: dict[str, m.Event], rounds_of: dict[str, list[m.Round]], names: Names, view: View
) -> list[dict[str, Any]]:
    """Open rounds performed in a drawn order: who is on now (the first in the order with no
    counted sheet) and the two after. In a blind round the public sees start numbers only."""
    out: list[dict[str, Any]] = []
    for key, rounds in rounds_of.items():
        event = events[key]
        for round_ in rounds:
            if round_.publication != "open":
                continue
            draw = latest_draw(db, round_.id, "order")
            if draw is None:
                continue
            order = [str(e) for e in draw.result.get("order", [])]
            done = {
                entry
                for entry, _, state, _ in current_states_and_marks(db, round_.id)
                if state in ("submitted", "locked")
            }
            blind = bool(codes_of(db, round_.id)) or event.blind
            waiting = [(i, e) for i, e in enumerate(order, start=1) if e not in done]

            def label(number: int, entry: str, blind: bool = blind) -> dict[str, Any]:
                shown = text("", "") if blind else names.name(entry)
                return {"entry": "" if blind else entry, "name": shown, "code": str(number)}

            out.append(
                {
                    "round": round_.id,
                    "event": key,
                    "title": text(f"{event.title_zh} · {round_.key}", f"{event.title_en} · {round_.key}"),
                    "now": label(*waiting[0]) if waiting else None,
                    "next": [label(*w) for w in waiting[1:3]],
                    "done": len(order) - len(waiting),
                    "of": len(order),
                }
            )
    return out


def quiz(
    db: Session,
    rounds_out: list[dict[str, Any]],
    events: dict[str, m.Event],
    rounds_of: dict[str, list[m.Round]],
    names: Names,
) -> list[dict[str, Any]]:
    """Each quiz round with any action: teams' running scores and places (as the view scored
    them), the question now put and the last action (scoring/store/quiz.py `quiz_board`)."""
    out: list[dict[str, Any]] = []
    shown = {r["id"]: r for r in rounds_out if r["rows"]}
    for key, rounds in rounds_of.items():
        event = events[key]
        if event.kind != "quiz":
            continue
        version = db.get(m.RubricVersion, event.rubric_version_id)
        assert version is not None
        rules = rules_of_version(version.id, "quiz", version.document)
        assert isinstance(rules, QuizRules)
        teams = event_entry_keys(db, event)
        for round_ in rounds:
            if round_.id not in shown:
                continue
            state = quiz_board(db, round_.id, rules, teams)
            last = state["last"]
            out.append(
                {
                    "round": round_.id,
                    "title": shown[round_.id]["title"],
                    "teams": [
                        {"team": r["entry"], "name": r["name"], "score": r["score"], "place": r["place"]}
                        for r in shown[round_.id]["rows"]
                    ],
                    "question": state["question"],
                    "last": None if last is None else last | {"name": names.name(last["team"])},
                }
            )
    return out


def ticker_items(changes: Iterable[Change], titles: dict[int, dict[str, str]]) -> list[dict[str, Any]]:
    """The ticker's lines, newest first: rounds locked or published, results on notice or final."""
    items: list[dict[str, Any]] = []
    for change in changes:
        payload = change.payload or {}
        if change.kind == "round" and change.round_id in titles and payload.get("state") in STATE_WORDS:
            zh, en = STATE_WORDS[payload["state"]]
            title = titles[change.round_id]
            items.append(
                {"seq": change.seq, "at": _at(change), "text": text(f"{title['zh']} {zh}", f"{title['en']} {en}")}
            )
        elif change.kind == "publication":
            version = payload.get("version", "")
            if payload.get("kind") == "final":
                items.append(
                    {
                        "seq": change.seq,
                        "at": _at(change),
                        "text": text(f"成绩发布（第 {version} 版）", f"Final results (version {version})"),
                    }
                )
            elif payload.get("kind") == "notice":
                items.append(
                    {
                        "seq": change.seq,
                        "at": _at(change),
                        "text": text(f"成绩公示（第 {version} 版）", f"Results on notice (version {version})"),
                    }
                )
    items.sort(key=lambda item: -int(item["seq"]))
    return items[:TICKER_LENGTH]


def _at(change: Change) -> str:
    return change.at.isoformat() if change.at is not None else ""
