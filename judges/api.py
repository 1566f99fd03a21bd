"""JSON routes for judges (/api/judge) and chief judges (/api/chief). Thin: parse, check the
seat through judges/service.py, store through scoring/store/sheets.py, answer, then announce
the change on the round's channel (live/signals.py) so an open console refreshes. The chief's
console also listens on a WebSocket here (/api/chief/rounds/{id}/live)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
import msgspec
from litestar import Controller, Request, WebSocket, get, post, put, websocket
from litestar.channels import ChannelsPlugin
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import WebSocketDisconnect
from litestar.params import Body, JSONBody
from sqlalchemy import select

from judges.console import console, missing_sheets
from judges.service import (
    AccessRefused,
    assignments,
    judge_key_in_round,
    panel_judges,
    require_seat,
    resolve_entry,
    rubric_of,
    shown_entries,
)
from judges.transcription import plan_transcription, read_paper_file, transcription_writes
from live.signals import announce, round_channel
from scoring.problems import InvalidInput, Problem
from scoring.sheets import Actor, SheetAction
from scoring.store.models import Judge, Sheet
from scoring.store.sheets import (
    SheetWrite,
    claim_device,
    current_sheets,
    current_version,
    find_sheet,
    record_many,
    record_write,
    release_device,
)
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


class ClaimBody(msgspec.Struct, forbid_unknown_fields=True):
    """The tablet opening a sheet names itself (an id it made once and keeps)."""

    device: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class ReleaseBody(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


NEW_SHEET: dict[str, Any] = {"version": 0, "state": "new", "marks": {}, "notes": {}, "reason": ""}  # not started


def _changed(request: Request[Any, Any, Any], round_id: int, what: str) -> None:
    announce(request.app, round_channel(round_id), {"type": what, "round": round_id})


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
        return snapshot_body(found) or dict(NEW_SHEET)

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
        _changed(request, round_id, "sheet")
        return (snapshot_body(snapshot) or {}) | {"replayed": snapshot.replayed}

    @post("/sheets/{round_id:int}/{entry:str}/claim", sync_to_thread=True, status_code=200)
    def claim_my_sheet(
        self, request: Request[Any, Any, Any], round_id: RowId, entry: PathKey, data: JSONBody[ClaimBody]
    ) -> dict[str, Any]:
        """The tablet opens a sheet: it is tied to this device, or, if another device holds it,
        409 saying the chief judge can release it. Saves and submissions check the same tie."""
        judge_id, judge_key = _judge(request)
        sessions = request.app.state.sessions
        with sessions() as db:
            context = require_seat(db, judge_id, round_id)
            key = resolve_entry(db, context, entry)
        newly = claim_device(
            sessions,
            round_id,
            key,
            judge_id,
            context.rubric_version_id,
            data.device,
            f"judge:{judge_key}",
            _address(request),
        )
        if newly:
            _changed(request, round_id, "device")
        return {"device": data.device}


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
        _changed(request, round_id, "sheet")
        return (snapshot_body(snapshot) or {}) | {"replayed": snapshot.replayed}

    @get("/sheets/{round_id:int}/{entry:str}/{judge:str}", sync_to_thread=True)
    def read_sheet(
        self, request: Request[Any, Any, Any], round_id: RowId, entry: PathKey, judge: PathKey
    ) -> dict[str, Any]:
        """Any sheet of the round, for its chief judge: the current version and the device it is tied to."""
        judge_id, _ = _judge(request)
        with request.app.state.sessions() as db:
            context = require_seat(db, judge_id, round_id, chief=True)
            key = resolve_entry(db, context, entry)
            target_id = judge_key_in_round(db, round_id, judge, context.event.competition_id)
            found = current_version(db, round_id, key, target_id)
            sheet = find_sheet(db, round_id, key, target_id)
        body = snapshot_body(found) or NEW_SHEET
        return body | {"entry": entry, "judge": judge, "device": sheet.device if sheet else ""}

    @post("/sheets/{round_id:int}/{entry:str}/{judge:str}/release", sync_to_thread=True, status_code=200)
    def release_sheet(
        self,
        request: Request[Any, Any, Any],
        round_id: RowId,
        entry: PathKey,
        judge: PathKey,
        data: JSONBody[ReleaseBody],
    ) -> dict[str, Any]:
        """Free a sheet from the device it is tied to (with a reason, audited); the next device
        that opens it takes it. Releasing a free sheet changes nothing."""
        judge_id, judge_key = _judge(request)
        sessions = request.app.state.sessions
        with sessions() as db:
            context = require_seat(db, judge_id, round_id, chief=True)
            key = resolve_entry(db, context, entry)
            target_id = judge_key_in_round(db, round_id, judge, context.event.competition_id)
        released = release_device(
            sessions, round_id, key, target_id, f"chief:{judge_key}", data.reason, _address(request)
        )
        if released:
            _changed(request, round_id, "device")
        return {"released": released}

    @post("/rounds/{round_id:int}/transcriptions", sync_to_thread=True, status_code=200)
    def transcribe_paper(
        self,
        request: Request[Any, Any, Any],
        round_id: RowId,
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        """Type in a stack of paper sheets from a CSV or XLSX in the marks format of `scoring
        compute` (field `marks`; entry, attempt, judge, criterion, value). Every row is checked
        first; with any problem nothing is stored (422 naming the rows). Each sheet becomes a
        transcribed version, audited as such. Sending the same file again stores nothing twice."""
        judge_id, judge_key = _judge(request)
        upload = data.get("marks") if isinstance(data, dict) else None
        if upload is None:
            raise InvalidInput([Problem(zh="缺少评分文件（字段 marks）", en="the form needs a file in field 'marks'")])
        name, content = Path(upload.filename or "marks.csv").name, upload.file.read()
        frame = read_paper_file(name, content)
        sessions = request.app.state.sessions
        with sessions() as db:
            context = require_seat(db, judge_id, round_id, chief=True)
            rubric = rubric_of(db, context)
            entries = {code: entry for entry, code in shown_entries(db, context).items()}
            judges = panel_judges(db, round_id)
            judge_ids = dict(
                db.execute(
                    select(Judge.key, Judge.id).where(Judge.competition_id == context.event.competition_id)
                ).all()
            )
        sheets, problems = plan_transcription(frame, rubric, entries, judges, name)
        digest = hashlib.sha256(content).hexdigest()[:24]
        with sessions() as db:
            writes = transcription_writes(
                db, context, sheets, judge_ids, problems, digest, name, f"chief:{judge_key}", _address(request)
            )
        if problems:
            raise InvalidInput(problems)
        snapshots = record_many(sessions, writes, rubric)
        _changed(request, round_id, "sheet")
        return {
            "file": name,
            "transcribed": sum(not s.replayed for s in snapshots),
            "already_transcribed": sum(s.replayed for s in snapshots),
            "sheets": [
                {"entry": sheet.shown, "judge": sheet.judge, "version": snap.version, "state": snap.state.value}
                for sheet, snap in zip(sheets, snapshots, strict=True)
            ],
        }

    @websocket("/rounds/{round_id:int}/live")
    async def console_live(self, socket: WebSocket[Any, Any, Any], round_id: RowId) -> None:
        """The chief's console listens here: a short message whenever a sheet of the round
        changes (never marks); the page then fetches what it shows over its guarded route."""
        who = principal_of(socket)

        def check() -> None:
            with socket.app.state.sessions() as db:
                require_seat(db, who.judge_id or 0, round_id, chief=True)

        try:
            await anyio.to_thread.run_sync(check)
        except AccessRefused:
            await socket.close(code=4403, reason="not the chief judge of this round")
            return
        await socket.accept()
        plugin = socket.app.plugins.get(ChannelsPlugin)

        async def forward(message: bytes) -> None:
            await socket.send_text(message.decode())

        async with plugin.start_subscription([round_channel(round_id)]) as subscriber:
            async with subscriber.run_in_background(forward):
                await socket.send_json({"type": "hello", "round": round_id})
                while True:
                    try:
                        await socket.receive_text()
                    except WebSocketDisconnect:
                        break

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
        locks = [
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
            )
            for entry, version in sheets
        ]
        record_many(sessions, locks, rubric)  # every sheet of the round, or (if one moved meanwhile) none
        if context.round.publication == "open":
            move_publication(sessions, round_id, "locked", f"chief:{judge_key}")
        _changed(request, round_id, "round")
        return {"round": round_id, "locked_sheets": len(sheets), "publication": "locked"}
