"""What the quiz master's console shows, read in one transaction: the round, its teams in roster
order with their names, the live board (`scoring.store.quiz.quiz_board`), the log, the next
question suggested and what an undo would void. The API sends it as JSON and the console page
renders it first; nothing here writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.decimals import format_decimal
from scoring.events.quiz import QuizRules
from scoring.events.quiz_log import next_question, regular_ended, undo_target
from scoring.refusals import Conflict, Forbidden
from scoring.store.models import Event, Round, RubricVersion, Team
from scoring.store.quiz import answer_body, log_body, log_of, quiz_board, records_of
from scoring.store.rounds import RoundContext, event_entry_keys, round_context, rules_of_version


def quiz_round(db: Session, competition_id: int | None, round_id: int) -> tuple[RoundContext, QuizRules, set[str]]:
    """A quiz round of the quiz master's own competition: its rules and its teams."""
    context = round_context(db, round_id)
    if context.event.competition_id != competition_id:
        raise Forbidden("这不是您负责的竞赛", "this round is not in your competition")
    if context.event.kind != "quiz":
        raise Conflict("该轮次不是知识竞答", "this round is not a quiz")
    version = db.get(RubricVersion, context.rubric_version_id)
    assert version is not None
    rules = rules_of_version(version.id, "quiz", version.document)
    assert isinstance(rules, QuizRules)
    return context, rules, set(event_entry_keys(db, context.event))


def roster_order(db: Session, event: Event) -> list[dict[str, str]]:
    """The event's entries in roster order (the order the roster listed them), with their names."""
    if event.scope == "team":
        teams = db.execute(select(Team).where(Team.competition_id == event.competition_id).order_by(Team.id)).scalars()
        return [{"key": t.key, "zh": t.name_zh, "en": t.name_en} for t in teams]
    return [{"key": k, "zh": k, "en": k} for k in event_entry_keys(db, event)]


def quiz_rounds(db: Session, competition_id: int | None) -> list[dict[str, Any]]:
    """The quiz rounds of a competition, for the quiz master's home page."""
    rows = db.execute(
        select(Round, Event)
        .join(Event, Event.id == Round.event_id)
        .where(Event.competition_id == competition_id, Event.kind == "quiz")
        .order_by(Event.id, Round.id)
    ).all()
    return [
        {"id": r.id, "key": r.key, "zh": e.title_zh, "en": e.title_en, "records": len(log_of(db, r.id))}
        for r, e in rows
    ]


def console_state(db: Session, competition_id: int | None, round_id: int) -> dict[str, Any]:
    context, rules, teams = quiz_round(db, competition_id, round_id)
    records = records_of(db, round_id)
    order = roster_order(db, context.event)
    target = undo_target(records)
    undo = None
    if target is not None:
        found = next(a for a in log_of(db, round_id) if a.seq == target.seq)
        undo = answer_body(found, rules)
    return {
        "round": {
            "id": round_id,
            "key": context.round.key,
            "zh": context.event.title_zh,
            "en": context.event.title_en,
            "publication": context.round.publication,
        },
        "teams": order,
        "board": quiz_board(db, round_id, rules, teams),
        "log": log_body(db, round_id, rules),
        "next": next_question(records, [t["key"] for t in order]),
        "ended": regular_ended(records),
        "undo": undo,
        "stakes": [format_decimal(s) for s in rules.risk_stakes],
    }
