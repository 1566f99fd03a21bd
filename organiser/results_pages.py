"""The organiser's results page (/admin/competitions/{key}/results): provisional standings
(暂定), award lists, the publication history with each version's audit digest and snapshot,
and the forms to publish a notice or the final, withdraw a notice, decide appeals as the
arbitration committee (仲裁委员会), give or withdraw organisation awards; the teams' appeal
links. Each form runs one use case of results/publishing.py, then redirects back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from organiser.competition_pages import organiser_name
from organiser.results_api import provisional_results, team_links
from results.appeals import decide_appeal
from results.publishing import (
    decide_organisation_award,
    publish_final,
    publish_notice,
    withdraw_notice,
)
from results.stored import competition_row
from scoring.problems import InvalidInput, Problem
from scoring.store.models import Unit
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.pages import act_then_redirect, public_base, render_page
from web.params import PathKey, RowId


def _deadline(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            [
                Problem(
                    zh="截止时间格式应为 2026-12-06T08:00",
                    en="the deadline reads like 2026-12-06T08:00",
                    path="deadline",
                )
            ]
        ) from None


def _units(db: Session, key: str) -> list[dict[str, Any]]:
    """The competition's units, for the organisation award form: the organiser picks a name,
    never types a key."""
    row = competition_row(db, key)
    units = db.execute(select(Unit).where(Unit.competition_id == row.id).order_by(Unit.key)).scalars()
    return [{"key": u.key, "name": {"zh": u.name_zh, "en": u.name_en}} for u in units]


class OrganiserResultsPages(Controller):
    path = "/admin/competitions/{key:str}"
    guards = [organiser_page_guard]  # noqa: RUF012

    def _data(self, request: Request[Any, Any, Any], key: str) -> Any:
        base, secret = public_base(request), request.app.state.secret

        def read(db: Session) -> dict[str, Any]:
            links = team_links(db, key, secret, base)
            return provisional_results(db, key) | {
                "key": key,
                "links": links,
                "team_names": {link["team"]: link["name"] for link in links},
                "units": _units(db, key),
            }

        return read

    async def _act(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: str, act: Any) -> Any:
        return await act_then_redirect(
            request,
            database,
            act,
            redirect=f"/admin/competitions/{key}/results",
            template="admin/results.html",
            page_data=self._data(request, key),
        )

    @get("/results")
    async def results_page(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        return render_page(request, "admin/results.html", **await database.run(self._data(request, key)))

    @post("/results/notice")
    async def notice(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = await request.form(), organiser_name(request)
        text = str(form.get("deadline", ""))
        return await self._act(request, database, key, lambda db: publish_notice(db, key, _deadline(text), actor))

    @post("/results/final")
    async def final(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = await request.form(), organiser_name(request)
        reason = str(form.get("reason", ""))
        return await self._act(
            request, database, key, lambda db: publish_final(db, key, actor, early=bool(reason.strip()), reason=reason)
        )

    @post("/results/withdraw")
    async def withdraw(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = await request.form(), organiser_name(request)
        reason = str(form.get("reason", ""))
        return await self._act(request, database, key, lambda db: withdraw_notice(db, key, reason, actor))

    @post("/appeals/{appeal_id:int}/decision")
    async def decide(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, appeal_id: RowId
    ) -> Template | Redirect:
        form, actor = await request.form(), organiser_name(request)
        outcome, reason = str(form.get("outcome", "")), str(form.get("reason", ""))
        return await self._act(
            request, database, key, lambda db: decide_appeal(db, key, appeal_id, outcome, reason, actor)
        )

    @post("/organisation-awards")
    async def organisation_award(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = await request.form(), organiser_name(request)
        award, unit = str(form.get("award", "")), str(form.get("unit", ""))
        action, reason = str(form.get("action", "")), str(form.get("reason", ""))
        return await self._act(
            request, database, key, lambda db: decide_organisation_award(db, key, award, unit, action, reason, actor)
        )
