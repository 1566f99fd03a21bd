"""The live boards' pages (docs/live-protocol.md): the phone board (/live/{key}), the big screen
for projectors (/live/{key}/screen), the quiz big screen (/live/{key}/quiz/{round}), the
competition's logo and the one script they all run (board.js).

A page is a frame: the server checks the competition and the view (the provisional view by the
same right as the socket, live/routes.py) and renders the labels in the reader's language;
board.js paints the board from board.json, then follows the WebSocket. A refused page is a page
in the reader's language (403, 404), never JSON. Nothing here reads a board.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import anyio
from litestar import Controller, Request, Response, get
from litestar.response import Template
from sqlalchemy import select

from live.routes import competition_for
from scoring.store.models import Competition, Event, Round
from web.auth import principal_async, public_guard
from web.database import Database, InjectedDatabase
from web.i18n import MESSAGES, language_of, translator
from web.pages import render_page
from web.params import PathKey, RowId

SCRIPT = (Path(__file__).resolve().parent / "templates" / "live" / "board.js").read_text(encoding="utf-8")
LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg"}
LOGO_MAX_BYTES = 5 * 1024 * 1024
# what a logo may do when opened on its own: nothing but draw (an SVG's scripts never run)
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
BOARD = re.compile(r"^(overall|individuals|units|event:[A-Za-z0-9_-]{1,64}|(round|quiz):[0-9]{1,10})$")
WORDS = [key for key in MESSAGES if key.startswith("live_")] + ["place", "score", "unit", "team", "award", "overall"]


def logo_path(folder: str, key: str) -> Path | None:
    """The organiser's logo for the competition (`<data dir>/logos/{key}.png|.svg|.jpg`), if any."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        return None
    for suffix in LOGO_TYPES:
        found = Path(folder) / f"{key}{suffix}"
        if found.is_file():
            return found
    return None


def _names(database: Database, competition_id: int) -> dict[str, str]:
    with database.read() as db:
        row = db.get(Competition, competition_id)
        assert row is not None
        return {"zh": row.name_zh, "en": row.name_en}


def _quiz_round_of(database: Database, competition_id: int, round_id: int) -> dict[str, str] | None:
    """The quiz round's title in both languages, when it is a quiz round of the competition."""
    with database.read() as db:
        found = db.execute(
            select(Event.title_zh, Event.title_en, Round.key)
            .join(Round, Round.event_id == Event.id)
            .where(Round.id == round_id, Event.competition_id == competition_id, Event.kind == "quiz")
        ).first()
    if found is None:
        return None
    return {"zh": f"{found[0]} · {found[2]}", "en": f"{found[1]} · {found[2]}"}


class LivePages(Controller):
    path = "/live"
    guards = [public_guard]  # noqa: RUF012
    include_in_schema = False

    async def _page(
        self, request: Request[Any, Any, Any], database: Database, key: str, mode: str, board: str, **extra: Any
    ) -> Template:
        view = request.query_params.get("view", "public")
        found = await anyio.to_thread.run_sync(competition_for, database, key, view, await principal_async(request))
        if found == "forbidden":
            return _refused(request, 403, "live_forbidden")
        if found == "missing" or not BOARD.match(board):
            return _refused(request, 404, "live_missing")
        assert isinstance(found, int)
        if mode == "quiz":
            title = await anyio.to_thread.run_sync(_quiz_round_of, database, found, int(board.split(":")[1]))
            if title is None:
                return _refused(request, 404, "live_missing")
            extra["quiz_title"] = title
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        logo = logo_path(request.app.state.logos, key) is not None
        context = {
            "key": key,
            "view": view,
            "board": board,
            "mode": mode,
            "lang": lang,
            "words": {w: MESSAGES[w][0 if lang == "zh" else 1] for w in WORDS},
        }
        return render_page(
            request,
            f"live/{mode}.html",
            ctx=context,
            key=key,
            view=view,
            board=board,
            has_logo=logo,
            competition_name=await anyio.to_thread.run_sync(_names, database, found),
            **extra,
        )

    @get("/{key:str}")
    async def phone(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        """The phone board: a compact list and a choice of board."""
        board = request.query_params.get("board", "overall")
        return await self._page(request, database, key, "phone", board)

    @get("/{key:str}/screen")
    async def screen(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        """The big screen for a 1920x1080 projector."""
        board = request.query_params.get("board", "overall")
        return await self._page(request, database, key, "screen", board)

    @get("/{key:str}/quiz/{round_id:int}")
    async def quiz(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, round_id: RowId
    ) -> Template:
        """The quiz big screen of one quiz round: each team's running score, the question, the last action."""
        return await self._page(request, database, key, "quiz", f"quiz:{round_id}")

    @get("/{key:str}/logo")
    async def logo(self, request: Request[Any, Any, Any], key: PathKey) -> Response[bytes] | Template:
        """The organiser's logo for the big screen (404 when there is none)."""
        found = logo_path(request.app.state.logos, key)
        if found is None or found.stat().st_size > LOGO_MAX_BYTES:
            return _refused(request, 404, "live_no_logo")
        body = await anyio.Path(found).read_bytes()
        headers = {"content-security-policy": LOGO_POLICY, "cache-control": "max-age=300"}
        return Response(body, media_type=LOGO_TYPES[found.suffix], headers=headers)

    @get("/assets/board.js")
    async def script(self) -> Response[str]:
        return Response(SCRIPT, media_type="text/javascript")


def _refused(request: Request[Any, Any, Any], status: int, word: str) -> Template:
    """The refused page in the reader's language, its way back the landing page."""
    zh, en = MESSAGES[word]
    lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
    context = {"lang": lang, "t": translator(lang), "status": status, "zh": zh, "en": en, "home": "/"}
    return Template(template_name="refused.html", status_code=status, context=context)
