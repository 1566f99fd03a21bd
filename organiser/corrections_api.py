"""Organiser routes (/api/admin) that correct what was set up and move a round's results: a
team, unit, contestant or event corrected, a round added, a round locked, put on notice (公示),
made final or withdrawn. Thin handlers over organiser/corrections.py and
scoring/store/publication.py, where every change is audited; split from organiser/api.py (set-up)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, patch, post
from litestar.params import JSONBody

from organiser.corrections import add_round, edit_contestant, edit_event, edit_team, edit_unit
from scoring.store.publication import move_publication
from web.auth import organiser_guard, principal_of
from web.database import InjectedDatabase
from web.params import RowId

Key = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Text = Annotated[str, msgspec.Meta(max_length=255)]


class TeamEdit(msgspec.Struct, forbid_unknown_fields=True):
    name_zh: Text
    name_en: Text
    unit: Key


class UnitEdit(msgspec.Struct, forbid_unknown_fields=True):
    name_zh: Text
    name_en: Text


class ContestantEdit(msgspec.Struct, forbid_unknown_fields=True):
    name: Text
    role: Key
    team: Key | None = None


class EventEdit(msgspec.Struct, forbid_unknown_fields=True):
    title_zh: Text
    title_en: Text
    weight: Annotated[str, msgspec.Meta(max_length=32)]


class RoundBody(msgspec.Struct, forbid_unknown_fields=True):
    key: Key


class PublicationBody(msgspec.Struct, forbid_unknown_fields=True):
    state: Literal["open", "locked", "notice", "final"]


class CorrectionsController(Controller):
    path = "/api/admin"
    guards = [organiser_guard]  # noqa: RUF012
    tags = ["organiser"]  # noqa: RUF012

    @patch("/teams/{team_id:int}", sync_to_thread=True)
    def edit_team(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, team_id: RowId, data: JSONBody[TeamEdit]
    ) -> dict[str, Any]:
        """Rename a team or move it to another unit (audited with before and after)."""
        return database.do(
            edit_team,
            team_id,
            data.name_zh,
            data.name_en,
            data.unit,
            f"organiser:{principal_of(request).name}",
        )

    @patch("/units/{unit_id:int}", sync_to_thread=True)
    def edit_unit(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, unit_id: RowId, data: JSONBody[UnitEdit]
    ) -> dict[str, Any]:
        """Rename a unit (audited with before and after)."""
        return database.do(edit_unit, unit_id, data.name_zh, data.name_en, f"organiser:{principal_of(request).name}")

    @patch("/contestants/{contestant_id:int}", sync_to_thread=True)
    def edit_contestant(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        contestant_id: RowId,
        data: JSONBody[ContestantEdit],
    ) -> dict[str, Any]:
        """Correct a contestant's name, role or team (one team leader per team)."""
        return database.do(
            edit_contestant,
            contestant_id,
            data.name,
            data.role,
            data.team,
            f"organiser:{principal_of(request).name}",
        )

    @patch("/events/{event_id:int}", sync_to_thread=True)
    def edit_event(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, event_id: RowId, data: JSONBody[EventEdit]
    ) -> dict[str, Any]:
        """Retitle an event or change its weight in the overall."""
        return database.do(
            edit_event,
            event_id,
            data.title_zh,
            data.title_en,
            data.weight,
            f"organiser:{principal_of(request).name}",
        )

    @post("/events/{event_id:int}/rounds", sync_to_thread=True, status_code=201)
    def add_round(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, event_id: RowId, data: JSONBody[RoundBody]
    ) -> dict[str, Any]:
        """Add a round (a preliminary, a final) to an event."""
        return database.do(add_round, event_id, data.key, f"organiser:{principal_of(request).name}")

    @post("/rounds/{round_id:int}/publication", sync_to_thread=True, status_code=200)
    def publication(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        data: JSONBody[PublicationBody],
    ) -> dict[str, str]:
        """Move the round's results: lock, publish a notice (公示), publish final, or withdraw to locked."""
        return database.do(move_publication, round_id, data.state, f"organiser:{principal_of(request).name}")
