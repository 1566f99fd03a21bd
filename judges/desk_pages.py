"""The officials' desk page (/judge/rounds/{round}/desk), for the round's chief judge, and its
script. The page is rendered from the desk's rows (judges/desk.py) in the reader's language;
desk.js keeps every change on the device, checks it in place with the tablet's rules (marks.js)
and sends each entry's values through an outbox to the desk's API (judges/desk_api.py), which
checks and stores them. Nothing is decided here that the server does not decide again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template
from sqlalchemy.orm import Session

from judges.desk import desk_rows
from judges.desk_text import desk_text, desk_words
from judges.seats import require_seat
from scoring.store.rounds import rubric_of
from web.auth import judge_page_guard, principal_of, public_guard
from web.database import InjectedDatabase
from web.i18n import language_of, round_title
from web.pages import render_page
from web.params import RowId

DESK_SCRIPT = (Path(__file__).resolve().parent / "templates" / "judge" / "desk.js").read_text(encoding="utf-8")


class DeskPages(Controller):
    path = "/judge"

    @get("/desk.js", guards=[public_guard])
    async def desk_script(self) -> Response[str]:
        return Response(DESK_SCRIPT, media_type="text/javascript")

    @get("/rounds/{round_id:int}/desk", guards=[judge_page_guard])
    async def desk_page(self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId) -> Template:
        """The desk of the round: one row per entry and attempt, an input per parameter and
        official criterion (a stopwatch for an official time). The round's chief judge only."""
        who = principal_of(request)
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))

        def load(db: Session) -> dict[str, Any]:
            context = require_seat(db, who.judge_id or 0, round_id, chief=True)
            return {
                "desk": desk_rows(db, context, rubric_of(db, context)),
                "event": context.event,
                "round_title": round_title(lang, context.round.key),
            }

        return render_page(
            request,
            "judge/desk.html",
            t=desk_text(lang),
            round_id=round_id,
            judge=who.name,
            words=desk_words(lang),
            **await database.run(load),
        )
