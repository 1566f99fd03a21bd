"""The organiser's control of the public live boards (/api/admin/competitions/{key}/live):
freeze them, reveal the standings step by step at the award ceremony, make them live again.
Each runs one use case of results/live_controls.py in one transaction; the boards hear of it
through the change it records."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from results.live_controls import control_status, freeze, reveal, unfreeze
from results.stored import competition_row
from scoring.store.live import head
from web.auth import organiser_guard, principal_of
from web.database import InjectedDatabase
from web.params import PathKey


class RevealBody(msgspec.Struct, forbid_unknown_fields=True):
    by: Literal["entry", "award"] = "entry"


def live_status(db: Any, key: str) -> dict[str, Any]:
    row = competition_row(db, key)
    now = head(db, row.id)
    return {"competition": key, "seq": now} | control_status(db, row.id, now)


class LiveControlController(Controller):
    path = "/api/admin/competitions/{key:str}/live"
    guards = [organiser_guard]  # noqa: RUF012
    tags = ["organiser"]  # noqa: RUF012

    @get("", sync_to_thread=True)
    def status(self, database: InjectedDatabase, key: PathKey) -> dict[str, Any]:
        """Whether the public boards are frozen, and the ceremony's step."""
        with database.read() as db:
            return live_status(db, key)

    @post("/freeze", sync_to_thread=True, status_code=200)
    def freeze(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> dict[str, Any]:
        """Freeze the public boards as they are now (organisers and judges still see live)."""
        return database.do(freeze, key, _actor(request))

    @post("/reveal", sync_to_thread=True, status_code=200)
    def reveal(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, data: JSONBody[RevealBody]
    ) -> dict[str, Any]:
        """The ceremony's next step: the next entry from the last place up, or the next award."""
        return database.do(reveal, key, data.by, _actor(request))

    @post("/unfreeze", sync_to_thread=True, status_code=200)
    def unfreeze(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> dict[str, Any]:
        """Make the public boards live again."""
        return database.do(unfreeze, key, _actor(request))


def _actor(request: Request[Any, Any, Any]) -> str:
    return f"organiser:{principal_of(request).name}"
