"""The JSON routes of the officials' desk (记录台), the round's chief judge's:
/api/chief/rounds/{round}/desk gives the rows, a PUT per entry stores its values (the page is
judges/desk_pages.py). Thin: each route checks the chief's seat
(judges/seats.py), runs the use case of judges/desk.py in one transaction, answers, and only
after the commit announces the change on the round's channel and to the results feed. A bulk
file of officials' values goes through the organiser's upload, not here.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, put
from litestar.params import JSONBody

from judges.desk import desk_rows, write_desk_values
from judges.judge_api import ClientId, Marks, announce_round, signed_in_judge
from judges.seats import require_seat
from scoring.store.rounds import rubric_of
from web.auth import judge_guard
from web.database import InjectedDatabase
from web.params import PathKey, RowId
from web.results_feed import results_changed


class DeskWriteBody(msgspec.Struct, forbid_unknown_fields=True):
    """One entry's values, whole (keyed "attempt/key"; an empty value is not given), the version
    the desk last saw (0 for none) and a client id made once per change and reused on retry."""

    base_version: Annotated[int, msgspec.Meta(ge=0)]
    client_id: ClientId
    values: Marks = msgspec.field(default_factory=dict)


class DeskController(Controller):
    path = "/api/chief/rounds/{round_id:int}/desk"
    guards = [judge_guard]  # noqa: RUF012
    tags = ["chief judge"]  # noqa: RUF012

    @get("", sync_to_thread=True)
    def desk(self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId) -> dict[str, Any]:
        """The desk's rows: entries x attempts with the rubric's parameters and official criteria,
        each entry's current values and version."""
        judge_id, _ = signed_in_judge(request)
        with database.read() as db:
            context = require_seat(db, judge_id, round_id, chief=True)
            return desk_rows(db, context, rubric_of(db, context))

    @put("/{entry:str}", sync_to_thread=True)
    def write(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        entry: PathKey,
        data: JSONBody[DeskWriteBody],
    ) -> dict[str, Any]:
        """Store one entry's values as its next version; a retry with the same client id answers
        the first result, a write based on an old version gets 409 with the current one, bad
        values 422 naming each key, a closed round 409."""
        judge_id, judge_key = signed_in_judge(request)
        with database.transaction() as db:
            context = require_seat(db, judge_id, round_id, chief=True)
            key, stored = write_desk_values(
                db,
                context,
                rubric_of(db, context),
                entry,
                dict(data.values),
                data.base_version,
                data.client_id,
                f"chief:{judge_key}",
            )
        announce_round(request, round_id, "officials")
        results_changed(request.app, round_id, [key])
        return stored
