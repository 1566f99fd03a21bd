"""JSON routes for a judge's placements (/api/judge/placements): the judge's own sheets of a
round judged by placing the entries, read together, and the whole order written at once
(judges/placements.py). Thin, as the sheet routes are (judges/judge_api.py): the seat is checked
inside the write's one transaction (a seated judge who marks, not a referee), the write is
answered, and only then announced on the round's channel and to the results feed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, put
from litestar.params import JSONBody, QueryParameter

from judges.judge_api import ClientId, announce_round, client_address, signed_in_judge
from judges.placements import PlacementsWrite, judge_placements, placements_body, require_placing, write_placements
from judges.seats import require_seat
from scoring.sheet_rules import SheetAction
from scoring.store.rounds import rubric_of
from web.auth import judge_guard, judge_write_guard
from web.database import InjectedDatabase
from web.params import RowId
from web.results_feed import results_changed

Label = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Place = Annotated[str, msgspec.Meta(max_length=16)]
#: a round has at most a few hundred entries, a rubric a few dances
Versions = Annotated[dict[Label, Annotated[int, msgspec.Meta(ge=0)]], msgspec.Meta(max_length=2000)]
Places = Annotated[
    dict[Label, Annotated[dict[Label, Place], msgspec.Meta(max_length=2000)]], msgspec.Meta(max_length=64)
]


class PlacementsBody(msgspec.Struct, forbid_unknown_fields=True):
    """A judge's whole order of the round. `base_versions` names every entry of the round (by the
    label the judge sees) with the version of its sheet the tablet last saw (0 for none);
    `places` gives, per placement criterion (dance), each entry's place ("1", "2"...): all of
    them to submit, any of them to save a draft. `client_id` is made once per change and reused
    on retry."""

    action: Literal["save", "submit"]
    client_id: ClientId
    base_versions: Versions
    places: Places = msgspec.field(default_factory=dict)
    device: Annotated[str, msgspec.Meta(max_length=128)] = ""


class PlacementController(Controller):
    path = "/api/judge/placements"
    tags = ["judge"]  # noqa: RUF012  (Litestar reads it as a class attribute)

    @get("/{round_id:int}", sync_to_thread=True, guards=[judge_guard])
    def my_placements(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        device: Annotated[str | None, QueryParameter(name="device", max_length=128)] = None,
    ) -> dict[str, Any]:
        """This judge's own sheets of the round, by label in the round's order; with `?device=`
        also the labels whose sheet another device holds (asking ties nothing)."""
        judge_id, _ = signed_in_judge(request)
        with database.read() as db:
            context = require_seat(db, judge_id, round_id, marks=True)
            require_placing(rubric_of(db, context))
            return judge_placements(db, context, judge_id, device)

    @put("/{round_id:int}", sync_to_thread=True, guards=[judge_write_guard])
    def write_my_placements(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        data: JSONBody[PlacementsBody],
    ) -> dict[str, Any]:
        """Save or submit the whole order: every entry's sheet that changes gets its next version,
        or (422 naming every problem, 409 for a stale sheet or one held by another device) none."""
        with database.transaction() as db:
            judge_id, judge_key = signed_in_judge(request, db)
            context = require_seat(db, judge_id, round_id, marks=True)
            write = PlacementsWrite(
                action=SheetAction(data.action),
                client_id=data.client_id,
                base_versions=dict(data.base_versions),
                places={key: dict(places) for key, places in data.places.items()},
                device=data.device,
                author=f"judge:{judge_key}",
                address=client_address(request),
            )
            snapshots, written = write_placements(db, context, rubric_of(db, context), judge_id, write)
        if written:
            announce_round(request, round_id, "sheet")
            if write.action is not SheetAction.SAVE:  # a draft counts in no standings
                results_changed(request.app, round_id, written)
        return placements_body(snapshots, written)
