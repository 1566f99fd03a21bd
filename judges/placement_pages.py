"""The judge's ordering form (/judge/placements/{round}) for a round judged by placing the
entries, and its script. The page lists the round's entries as the tablet shows them (in the
drawn order, by code in a blind event) once per dance; placements.js lets the judge tap them in
order (or type a place), keeps every change on the device, checks the order in place in the
page's language and sends the whole order through an outbox to /api/judge/placements
(judges/placement_api.py), which checks it again and stores it. The assignments page links here
instead of to the entries' sheets (judges/pages.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template
from sqlalchemy.orm import Session

from judges.placement_text import placement_text, placement_words
from judges.placements import criteria_form, judge_placements, require_placing
from judges.seats import require_seat
from scoring.store.rounds import rubric_of
from web.auth import judge_page_guard, principal_of, public_guard
from web.database import InjectedDatabase
from web.i18n import language_of, round_title
from web.pages import render_page
from web.params import RowId

PLACEMENTS_SCRIPT = (Path(__file__).resolve().parent / "templates" / "judge" / "placements.js").read_text(
    encoding="utf-8"
)


class PlacementPages(Controller):
    path = "/judge"

    @get("/placements.js", guards=[public_guard])
    async def placements_script(self) -> Response[str]:
        return Response(PLACEMENTS_SCRIPT, media_type="text/javascript")

    @get("/placements/{round_id:int}", guards=[judge_page_guard])
    async def placements_page(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> Template:
        """The round's entries to order, once per dance, with the judge's places so far."""
        who = principal_of(request)
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))

        def load(db: Session) -> dict[str, Any]:
            context = require_seat(db, who.judge_id or 0, round_id, marks=True)
            criteria = require_placing(rubric_of(db, context))
            return {
                "dances": criteria_form(criteria),
                "current": judge_placements(db, context, who.judge_id or 0),
                "event": context.event,
                "round_title": round_title(lang, context.round.key),
            }

        return render_page(
            request,
            "judge/placements.html",
            t=placement_text(lang),
            round_id=round_id,
            judge=who.name,
            words=placement_words(lang),
            **await database.run(load),
        )
