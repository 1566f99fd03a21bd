"""The organiser's live console (/admin/competitions/{key}/live): whether the public boards are
frozen and since when, the ceremony's step (k of n) and the entry revealed last, and the forms
that freeze, reveal the next entry or the next award, and make the boards live again. Each form
runs one use case of results/live_controls.py in one transaction, then redirects back; the
boards hear of it through the change it records. Links open the big screen, the phone board and
the provisional board (the live area serves them; this area only links to them)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from organiser.competition_pages import organiser_name
from organiser.live_api import live_status
from results.live_controls import freeze, reveal, unfreeze
from results.stored import competition_row
from scoring.store.live import board_control, head
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.pages import act_then_redirect, render_page
from web.params import PathKey

TEMPLATE = "admin/live.html"


def console_data(db: Session, key: str) -> dict[str, Any]:
    """The console's status: frozen since, the ceremony's step and the rows revealed last."""
    row = competition_row(db, key)
    status = live_status(db, key)
    control = board_control(db, row.id, head(db, row.id))
    revealed: list[Any] = []
    if control is not None and control.kind == "reveal":
        revealed = list((control.payload or {}).get("revealed", []))
    return {
        "key": key,
        "competition": {"zh": row.name_zh, "en": row.name_en},
        "control": status,
        "last_revealed": list(reversed(revealed[-5:])),
    }


class LiveConsolePages(Controller):
    path = "/admin/competitions/{key:str}/live"
    guards = [organiser_page_guard]  # noqa: RUF012

    async def _act(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: str, act: Any) -> Any:
        return await act_then_redirect(
            request,
            database,
            act,
            redirect=f"/admin/competitions/{key}/live",
            template=TEMPLATE,
            page_data=lambda db: console_data(db, key),
        )

    @get("")
    async def console(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        return render_page(request, TEMPLATE, **await database.run(lambda db: console_data(db, key)))

    @post("/freeze")
    async def freeze(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        actor = organiser_name(request)
        return await self._act(request, database, key, lambda db: freeze(db, key, actor))

    @post("/reveal")
    async def reveal(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = await request.form(), organiser_name(request)
        by = "award" if form.get("by") == "award" else "entry"
        return await self._act(request, database, key, lambda db: reveal(db, key, by, actor))

    @post("/unfreeze")
    async def unfreeze(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        actor = organiser_name(request)
        return await self._act(request, database, key, lambda db: unfreeze(db, key, actor))
