"""JSON routes for judges (/api/judge): assignments, the judge's own sheets, and whether a sheet
is tied to another tablet (a sheet is tied to a device by its first write, or an explicit claim;
opening it to look ties nothing). Thin: each route checks the seat (judges/seats.py), runs the
write in one transaction (scoring/store/sheets.py), answers, and only then announces the change
on the round's channel (web/channels.py) so an open chief's console refreshes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.params import JSONBody, QueryParameter
from sqlalchemy.orm import Session

from judges.assignments import require_assigned
from judges.desk import sheet_parameters
from judges.placements import ordered_by_placing
from judges.seats import assignments, plain_write_seat, require_seat
from scoring.refusals import Conflict
from scoring.rubrics.model import Rubric
from scoring.sheet_rules import Actor, SheetAction
from scoring.store.official_values import current_values
from scoring.store.rounds import entry_of_label, rubric_of
from scoring.store.sheet_writes import SheetWrite
from scoring.store.sheets import claim_device, current_version, find_sheet, record_write
from web.auth import judge_confirmed, judge_guard, judge_in, judge_write_guard, principal_of, session_token
from web.channels import announce, round_channel
from web.database import InjectedDatabase
from web.params import PathKey, RowId
from web.results_feed import results_changed

ClientId = Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
Marks = dict[Annotated[str, msgspec.Meta(max_length=64)], Annotated[str, msgspec.Meta(max_length=64)]]
Notes = dict[Annotated[str, msgspec.Meta(max_length=64)], Annotated[str, msgspec.Meta(max_length=2000)]]

NEW_SHEET: dict[str, Any] = {"version": 0, "state": "new", "marks": {}, "notes": {}, "reason": ""}  # not started


class SheetWriteBody(msgspec.Struct, forbid_unknown_fields=True):
    """A judge saves or submits their sheet. `base_version` is the version the tablet last saw
    (0 for a new sheet); `client_id` is made by the tablet once per change and reused on retry."""

    action: Literal["save", "submit"]
    base_version: Annotated[int, msgspec.Meta(ge=0)]
    client_id: ClientId
    marks: Marks = msgspec.field(default_factory=dict)
    notes: Notes = msgspec.field(default_factory=dict)
    device: Annotated[str, msgspec.Meta(max_length=128)] = ""


class ClaimBody(msgspec.Struct, forbid_unknown_fields=True):
    """The tablet opening a sheet names itself (an id it made once and keeps)."""

    device: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


def announce_round(request: Request[Any, Any, Any], round_id: int, what: str) -> None:
    """Tell the round's open screens that a sheet, a device tie or the round changed (after commit)."""
    announce(request.app, round_channel(round_id), {"type": what, "round": round_id})


def signed_in_judge(request: Request[Any, Any, Any], db: Session | None = None) -> tuple[int, str]:
    """The signed-in judge's id and key. With `db` (a write's transaction) the sign-in is
    confirmed there (`judge_in`); without it the route's `judge_guard` has confirmed it."""
    who = judge_in(db, request) if db is not None else principal_of(request)
    assert who.judge_id is not None
    return who.judge_id, who.name


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


def refuse_one_place(rubric: Rubric, round_id: int) -> None:
    """A round judged by placing takes the places of every entry together, never one sheet."""
    if ordered_by_placing(rubric):  # a place means something only beside the others
        raise Conflict(
            "本轮次按名次评分：名次须在排名表上一次提交全部参赛对象",
            "this round is judged by placing the entries: the places of every entry are sent together "
            f"(PUT /api/judge/placements/{round_id})",
        )


class JudgeController(Controller):
    """Reads are guarded by `judge_guard`; writes by `judge_write_guard`, and confirm the sign-in,
    the seat and the entry inside the write's one transaction."""

    path = "/api/judge"
    tags = ["judge"]  # noqa: RUF012  (Litestar reads it as a class attribute)

    @get("/assignments", sync_to_thread=True, guards=[judge_guard])
    def my_assignments(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> list[dict[str, Any]]:
        """The rounds this judge sits on, with their entries (none for a blind round until codes are drawn)."""
        judge_id, _ = signed_in_judge(request)
        with database.read() as db:
            return assignments(db, judge_id)

    @get("/sheets/{round_id:int}/{entry:str}", sync_to_thread=True, guards=[judge_guard])
    def my_sheet(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        entry: PathKey,
        device: Annotated[str | None, QueryParameter(name="device", max_length=128)] = None,
    ) -> dict[str, Any]:
        """This judge's own sheet for one entry (version 0 when not started). Never another judge's.
        A tablet that names itself (`?device=`) also learns whether another device holds the sheet
        (`elsewhere`); asking ties nothing: a sheet is tied to a device by its first write. For a
        rubric with attempts, `parameters` gives each attempt's parameters as the desk holds them
        now ("2/dd" -> "3.4", else the rubric's default), which the tablet shows above each attempt."""
        judge_id, _ = signed_in_judge(request)
        with database.read() as db:
            context = require_seat(db, judge_id, round_id, marks=True)
            key = entry_of_label(db, context, entry)
            require_assigned(db, context, judge_id, key, entry)
            found = current_version(db, round_id, key, judge_id)
            holder = find_sheet(db, round_id, key, judge_id) if device is not None else None
            rubric = rubric_of(db, context)
            parameters = (
                sheet_parameters(rubric, current_values(db, round_id, key).get(key, {}))
                if rubric.attempts.count > 1
                else None
            )
        body = found.body() if found else dict(NEW_SHEET)
        if parameters is not None:
            body["parameters"] = parameters
        if device is not None:
            body["elsewhere"] = bool(holder and holder.device and holder.device != device)
        return body

    @put("/sheets/{round_id:int}/{entry:str}", sync_to_thread=True, guards=[judge_write_guard])
    def write_my_sheet(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        entry: PathKey,
        data: JSONBody[SheetWriteBody],
    ) -> dict[str, Any]:
        """Save or submit. A retry with the same client_id answers the first result again; a write
        based on an old version gets 409 with the current version."""
        with database.transaction() as db:
            checked = plain_write_seat(db, token, round_id, entry) if (token := session_token(request)) else None
            if checked is not None:  # the usual write: every check in one statement
                seat, rubric = checked
                refuse_one_place(rubric, round_id)
                judge_id, judge_key = seat.judge_id, seat.judge_key
                judge_confirmed(request, judge_id, seat.judge_competition_id, judge_key)
                entry_key, rubric_version_id, competition_id = entry, seat.rubric_version_id, seat.competition_id
            else:  # the separate checks: a blind event's codes, or the refusal they answer with
                judge_id, judge_key = signed_in_judge(request, db)
                context = require_seat(db, judge_id, round_id, marks=True)
                rubric = rubric_of(db, context)
                refuse_one_place(rubric, round_id)
                entry_key = entry_of_label(db, context, entry)
                require_assigned(db, context, judge_id, entry_key, entry)
                rubric_version_id, competition_id = context.rubric_version_id, context.event.competition_id
            write = SheetWrite(
                round_id=round_id,
                entry_key=entry_key,
                judge_id=judge_id,
                rubric_version_id=rubric_version_id,
                action=SheetAction(data.action),
                actor=Actor.JUDGE,
                base_version=data.base_version,
                client_id=data.client_id,
                author=f"judge:{judge_key}",
                device=data.device,
                marks=dict(data.marks),
                notes=dict(data.notes),
                address=client_address(request),
                competition_id=competition_id,
            )
            snapshot = record_write(db, write, rubric)
        announce_round(request, round_id, "sheet")
        if write.action is not SheetAction.SAVE:  # a draft counts in no standings
            results_changed(request.app, round_id, [write.entry_key])
        return snapshot.body() | {"replayed": snapshot.replayed}

    @post("/sheets/{round_id:int}/{entry:str}/claim", sync_to_thread=True, status_code=200, guards=[judge_write_guard])
    def claim_my_sheet(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        entry: PathKey,
        data: JSONBody[ClaimBody],
    ) -> dict[str, Any]:
        """Tie the sheet to this device now, before any write (API clients such as the simulation
        use it; the tablet does not, so opening a sheet to look ties nothing), or 409 saying the
        chief judge can release it when another device holds it. Writes check the same tie."""
        with database.transaction() as db:
            judge_id, judge_key = signed_in_judge(request, db)
            context = require_seat(db, judge_id, round_id, marks=True)
            entry_key = entry_of_label(db, context, entry)
            require_assigned(db, context, judge_id, entry_key, entry)
            newly = claim_device(
                db,
                round_id,
                entry_key,
                judge_id,
                context.rubric_version_id,
                data.device,
                f"judge:{judge_key}",
                client_address(request),
            )
        if newly:
            announce_round(request, round_id, "device")
        return {"device": data.device}
