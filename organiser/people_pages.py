"""The organiser's people page (/admin/competitions/{key}/people): units, teams and
contestants, each corrected in place (audited with before and after)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from organiser.competition_pages import organiser_name
from organiser.corrections import edit_contestant, edit_team, edit_unit
from organiser.page_data import competition_key_of, people_overview
from scoring.store.models import Contestant, Team, Unit
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.pages import act_then_redirect, render_page
from web.params import PathKey, RowId


class PeoplePages(Controller):
    path = "/admin"
    guards = [organiser_page_guard]  # noqa: RUF012

    @get("/competitions/{key:str}/people")
    async def people(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        return render_page(request, "admin/people.html", **await database.run(people_overview, key))

    async def _edit(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, model: Any, row_id: int, act: Any
    ) -> Template | Redirect:
        key = await database.run(competition_key_of, model, row_id)
        return await act_then_redirect(
            request,
            database,
            act,
            redirect=f"/admin/competitions/{key}/people",
            template="admin/people.html",
            page_data=lambda db: people_overview(db, key),
        )

    @post("/teams/{team_id:int}")
    async def save_team(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, team_id: RowId
    ) -> Template | Redirect:
        form = await request.form()
        name_zh, name_en, unit = (str(form.get(k, "")) for k in ("name_zh", "name_en", "unit"))
        actor = organiser_name(request)

        def act(db: Session) -> None:
            edit_team(db, team_id, name_zh, name_en, unit, actor)

        return await self._edit(request, database, Team, team_id, act)

    @post("/units/{unit_id:int}")
    async def save_unit(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, unit_id: RowId
    ) -> Template | Redirect:
        form = await request.form()
        name_zh, name_en, actor = str(form.get("name_zh", "")), str(form.get("name_en", "")), organiser_name(request)

        def act(db: Session) -> None:
            edit_unit(db, unit_id, name_zh, name_en, actor)

        return await self._edit(request, database, Unit, unit_id, act)

    @post("/contestants/{contestant_id:int}")
    async def save_contestant(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, contestant_id: RowId
    ) -> Template | Redirect:
        form = await request.form()
        name, role = str(form.get("name", "")), str(form.get("role", ""))
        team, actor = str(form.get("team", "")) or None, organiser_name(request)

        def act(db: Session) -> None:
            edit_contestant(db, contestant_id, name, role, team, actor)

        return await self._edit(request, database, Contestant, contestant_id, act)
