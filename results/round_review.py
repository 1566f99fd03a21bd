"""One round's provisional result and its panel's fairness report, read from the store: for
the chief judge's view of a round and the organiser's charts. Nothing here decides who may
read them (the areas' guards and seats do)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from results.fairness import FairnessReport, assess_round
from results.from_store import View, round_table
from results.ordinal_progress import order_progress, ranks_by_placing
from results.stored import round_rows, stored_competition
from scoring.events import EventResult
from scoring.problems import InvalidInput, Problem
from scoring.store.models import Event, Round
from scoring.store.rounds import entry_labels, panel_judges, round_context


@dataclass
class RoundReview:
    round: Round
    event: Event
    result: EventResult | None  # None while the marks cannot be scored (then `problem` says why)
    fairness: FairnessReport | None  # None for kinds without a panel, or no marks yet
    problem: str = ""
    waiting: Problem | None = None  # a round ranked by placing, pending until every judge's order is in


def review_round(db: Session, round_id: int) -> RoundReview:
    """Score the round's submitted and locked sheets (and officials' values) and assess its panel;
    a round ranked by placing only once every judge of the panel has submitted a whole order
    (results/ordinal_progress.py), else `waiting` says how far they are."""
    round_, event, competition = round_rows(db, round_id)
    model = stored_competition(db, competition.key).event(event.key)
    assert model is not None and model.bound is not None
    taken = round_table(db, round_, event, View.PROVISIONAL)
    source = f"round {round_.key}"
    judges = set(panel_judges(db, round_id)) or None
    if ranks_by_placing(model.bound.rubric):  # scored whole or not at all
        entries = list(entry_labels(db, round_context(db, round_id)))
        progress = order_progress(taken.table, sorted(judges or ()), entries)
        if not progress.complete:
            waiting = progress.problem()
            return RoundReview(round_, event, None, None, f"{waiting.zh} / {waiting.en}", waiting)
    try:
        result = model.bound.score(taken.table, None, judges, source=source)
        if model.bound.rubric is None or model.bound.key == "theory" or taken.table.empty:
            return RoundReview(round_, event, result, None)
        return RoundReview(
            round_, event, result, assess_round(model.bound, taken.table, None, judges, source, event.key)
        )
    except InvalidInput as refused:
        problem = "; ".join(f"{p.zh} / {p.en}" for p in refused.problems[:5])
        return RoundReview(round_, event, None, None, problem)
