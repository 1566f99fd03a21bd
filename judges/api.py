"""JSON routes for judges (/api/judge) and chief judges (/api/chief). Thin: parse, check the
seat through judges/service.py, store through scoring/store/sheets.py, answer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.params import JSONBody
from sqlalchemy import select

from judges.console import console, current_sheets, missing_sheets
from judges.service import (
    AccessRefused,
    assignments,
    judge_key_in_round,
    require_seat,
    resolve_entry,
    rubric_of,
)
from scoring.sheets import Actor, SheetAction
from scoring.store.models import Sheet
from scoring.store.sheets import SheetWrite, current_version, record_write
from server.admin_service import move_publication
from server.auth import judge_guard, principal_of
from server.params import PathKey, RowId
from server.problem_details import snapshot_body

ClientId = Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
Marks = dict[Annotated[str, msgspec.Meta(max_length=64)], Annotated[str, msgspec.Meta(max_length=64)]]
Notes = dict[Annotated[str, msgspec.Meta(max_length=64)], Annotated[str, msgspec.Meta(max_length=2000)]]


class SheetWriteBody(msgspec.Struct, forbid_unknown_fields=True):
    """A judge saves or submits their sheet. `base_version` is the version the tablet last saw
    (0 for a new sheet); `client_id` is made by the tablet once per change and reused on retry."""

    action: Literal["save", "submit"]
    base_version: Annotated[int, msgspec.Meta(ge=0)]
    client_id: ClientId
    marks: Marks = msgspec.field(default_factory=dict)
    notes: Notes = msgspec.field(default_factory=dict)
    device: Annotated[str, msgspec.Meta(max_length=128)] = ""


class ChiefWriteBody(msgspec.Struct, forbid_unknown_fields=True):
    """The chief judge returns, corrects, locks or transcribes (from paper) a sheet."""

    action: Literal["return", "correct", "lock", "transcribe"]
    base_version: Annotated[int, msgspec.Meta(ge=0)]
    client_id: ClientId
    marks: Marks | None = None
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    device: Annotated[str, msgspec.Meta(max_length=128)] = ""


def _judge(request: Request[Any, Any, Any]) -> tuple[int, str]:
    """The signed-in judge's id and key (the guard has already refused anyone else)."""
    who = principal_of(request)
    assert who.judge_id is not None
    return who.judge_id, who.name


def _address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


class JudgeController(Controller):
    path = "/api/judge"
    guards = [judge_guard]  # noqa: RUF012  (Litestar reads it as a class attribute)
    tags = ["judge"]  # noqa: RUF012

    @get("/assignments", sync_to_thread=True)
    def my_assignments(self, request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
        """The rounds this judge sits on, with their entries (none for a blind round until codes are drawn)."""
        judge_id, _ = _judge(request)
        with request.app.state.sessions() as db:
            return assignments(db, judge_id)

    @get("/sheets/{round_id:int}/{entry:str}", sync_to_thread=True)
    def my_sheet(self, request: Request[Any, Any, Any], round_id: RowId, entry: PathKey) -> dict[str, Any]:
        """This judge's own sheet for one entry (version 0 when not started). Never another judge's."""
        judge_id, _ = _judge(request)
        with request.app.state.sessions() as db:
            context = require_seat(db, judge_id, round_id)
            found = current_version(db, round_id, resolve_entry(db, context, entry), judge_id)
        return snapshot_body(found) or {"version": 0, "state": "new", "marks": {}, "notes": {}}

    @put("/sheets/{round_id:int}/{entry:str}", sync_to_thread=True)
    def write_my_sheet(
        self,
        request: Request[Any, Any, Any],
        round_id: RowId,
        entry: PathKey,
        data: JSONBody[SheetWriteBody],
    ) -> dict[str, Any]:
        """Save or submit. A retry with the same client_id answers the first result again; a write
        based on an old version gets 409 with the current version."""
        judge_id, judge_key = _judge(request)
        sessions = request.app.state.sessions
        with sessions() as db:
            context = require_seat(db, judge_id, round_id)
            entry = resolve_entry(db, context, entry)
            rubric = rubric_of(db, context)
        snapshot = record_write(
            sessions,
            SheetWrite(
                round_id=round_id,
                entry_key=entry,
                judge_id=judge_id,
                rubric_version_id=context.rubric_version_id,
                action=SheetAction(data.action),
                actor=Actor.JUDGE,
                base_version=data.base_version,
                client_id=data.client_id,
                author=f"judge:{judge_key}",
                device=data.device,
                marks=dict(data.marks),
                notes=dict(data.notes),
                address=_address(request),
            ),
            rubric,
        )
        return (snapshot_body(snapshot) or {}) | {"replayed": snapshot.replayed}


class ChiefController(Controller):
    path = "/api/chief"
    guards = [judge_guard]  # noqa: RUF012
    tags = ["chief judge"]  # noqa: RUF012

    @post("/sheets/{round_id:int}/{entry:str}/{judge:str}", sync_to_thread=True, status_code=200)
    def act_on_sheet(
        self,
        request: Request[Any, Any, Any],
        round_id: RowId,
        entry: PathKey,
        judge: PathKey,
        data: JSONBody[ChiefWriteBody],
    ) -> dict[str, Any]:
        """Return (with a reason), correct (with a reason), lock, or transcribe a paper sheet."""
        judge_id, judge_key = _judge(request)
        sessions = request.app.state.sessions
        with sessions() as db:
            context = require_seat(db, judge_id, round_id, chief=True)
            entry = resolve_entry(db, context, entry)
            target_id = judge_key_in_round(db, round_id, judge, context.event.competition_id)
            rubric = rubric_of(db, context)
        snapshot = record_write(
            sessions,
            SheetWrite(
                round_id=round_id,
                entry_key=entry,
                judge_id=target_id,
                rubric_version_id=context.rubric_version_id,
                action=SheetAction(data.action),
                actor=Actor.CHIEF,
                base_version=data.base_version,
                client_id=data.client_id,
                author=f"chief:{judge_key}",
                device=data.device,
                marks=dict(data.marks) if data.marks is not None else None,
                reason=data.reason,
                address=_address(request),
            ),
            rubric,
        )
        return (snapshot_body(snapshot) or {}) | {"replayed": snapshot.replayed}

    @get("/rounds/{round_id:int}/console", sync_to_thread=True)
    def round_console(self, request: Request[Any, Any, Any], round_id: RowId) -> dict[str, Any]:
        """The round at a glance for its chief judge: sheet states, disagreement flags with the
        marks side by side, and each judge's severity."""
        judge_id, _ = _judge(request)
        with request.app.state.sessions() as db:
            context = require_seat(db, judge_id, round_id, chief=True)
            return console(db, context)

    @post("/rounds/{round_id:int}/lock", sync_to_thread=True, status_code=200)
    def lock_round(self, request: Request[Any, Any, Any], round_id: RowId) -> dict[str, Any]:
        """Lock the round once every judge of the panel has submitted every entry's sheet: each
        sheet gets a lock version, and the round's results become locked (ready for a notice)."""
        judge_id, judge_key = _judge(request)
        sessions = request.app.state.sessions
        with sessions() as db:
            context = require_seat(db, judge_id, round_id, chief=True)
            missing = missing_sheets(db, context)
            if missing:
                listed = ", ".join(f"{entry}/{judge}" for entry, judge in missing[:20])
                more = f" (+{len(missing) - 20})" if len(missing) > 20 else ""
                raise AccessRefused(
                    409,
                    f"还有 {len(missing)} 张评分表未提交：{listed}{more}",
                    f"{len(missing)} sheet(s) are not submitted yet: {listed}{more}",
                )
            rubric = rubric_of(db, context)
            sheets = [(entry, v) for entry, _, v in current_sheets(db, round_id) if v.state == "submitted"]
            judges_of = {
                s.id: s.judge_id for s in db.execute(select(Sheet).where(Sheet.round_id == round_id)).scalars()
            }
        for entry, version in sheets:
            record_write(
                sessions,
                SheetWrite(
                    round_id=round_id,
                    entry_key=entry,
                    judge_id=judges_of[version.sheet_id],
                    rubric_version_id=context.rubric_version_id,
                    action=SheetAction.LOCK,
                    actor=Actor.CHIEF,
                    base_version=version.version,
                    client_id=f"lock-{version.sheet_id}-{version.version}",
                    author=f"chief:{judge_key}",
                    address=_address(request),
                ),
                rubric,
            )
        if context.round.publication == "open":
            move_publication(sessions, round_id, "locked", f"chief:{judge_key}")
        return {"round": round_id, "locked_sheets": len(sheets), "publication": "locked"}
