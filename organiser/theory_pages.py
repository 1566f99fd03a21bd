"""The organiser's page of a theory round (/admin/rounds/{id}/theory): the form that uploads the
answer sheets (with the reason a replacement needs), the uploads so far, the item analysis (per
question: its key, difficulty and discrimination, with the method in words) and the graded
sheets (each contestant's score, and each answer with the points it earned).

The upload itself is the round pages' form route (organiser/round_pages.py), which shows this
page again with the problems when a file is refused; grading and statistics are the results'
(results/item_analysis.py). This module reads and renders only.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template
from sqlalchemy.orm import Session

from organiser.page_data import entry_names
from organiser.theory_text import page_text
from results.item_analysis import review_theory_round
from scoring.publication import Publication
from scoring.store.models import Competition
from scoring.store.official_values import uploads_of
from scoring.store.rounds import round_context
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.i18n import language_of
from web.pages import render_page
from web.params import RowId

TEMPLATE = "admin/theory.html"


def theory_page_data(db: Session, round_id: int) -> dict[str, Any]:
    """What the page shows, read in one transaction (Conflict for a round of another kind)."""
    review = review_theory_round(db, round_id)
    context = round_context(db, round_id)
    competition = db.get(Competition, context.event.competition_id)
    assert competition is not None
    return {
        "review": review,
        "event": context.event,
        "competition_key": competition.key,
        "names": entry_names(db, context.event),
        "uploads": uploads_of(db, round_id),
        "open": Publication(review.publication) is Publication.OPEN,
        "question_keys": _keys_said([q.key for q in review.questions]),
    }


def theory_words(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The page's own words in the reader's language (with the shared ones behind them)."""
    lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
    return {"t": page_text(lang)}


def _keys_said(keys: list[str]) -> str:
    return ", ".join(keys) if len(keys) <= 6 else f"{keys[0]}, {keys[1]} … {keys[-1]}"


class TheoryPages(Controller):
    path = "/admin"
    guards = [organiser_page_guard]  # noqa: RUF012

    @get("/rounds/{round_id:int}/theory")
    async def theory_page(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> Template:
        data = await database.run(theory_page_data, round_id)
        return render_page(request, TEMPLATE, **data, **theory_words(request))
