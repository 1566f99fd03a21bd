"""JSON routes for a round's chief judge (/api/chief): read any sheet of the round, return,
correct, lock or transcribe it, release it from its device, type in a stack of paper sheets,
see the round's console, lock the round, and listen for changes on a WebSocket. Each route
checks the chief's seat (judges/seats.py) and runs its use case in one transaction; the
change is announced on the round's channel only after it commits."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
import msgspec
from litestar import Controller, Request, WebSocket, get, post, websocket
from litestar.channels import ChannelsPlugin
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import WebSocketDisconnect
from litestar.params import Body, JSONBody, QueryParameter
from sqlalchemy import select
from sqlalchemy.orm import Session

from judges.console import console
from judges.judge_api import NEW_SHEET, ClientId, Marks, announce_round, client_address, signed_in_judge
from judges.locking import lock_round
from judges.placement_edits import SheetChange, refuse_broken_orders
from judges.seats import chiefs_sheet, require_seat
from judges.transcription import plan_transcription, read_paper_file, transcription_writes
from scoring.problems import InvalidInput, Problem
from scoring.publication import check_sheet_write
from scoring.refusals import Refusal
from scoring.sheet_rules import Actor, SheetAction
from scoring.store.models import Judge
from scoring.store.rounds import entry_labels, panel_judges, rubric_of
from scoring.store.sheet_writes import SheetWrite
from scoring.store.sheets import current_version, find_sheet, record_many, record_write, release_device
from web.auth import judge_guard, principal_of
from web.channels import round_channel
from web.database import InjectedDatabase
from web.params import PathKey, RowId
from web.results_feed import results_changed


class ChiefWriteBody(msgspec.Struct, forbid_unknown_fields=True):
    """The chief judge returns, corrects, locks or transcribes (from paper) a sheet."""

    action: Literal["return", "correct", "lock", "transcribe"]
    base_version: Annotated[int, msgspec.Meta(ge=0)]
    client_id: ClientId
    marks: Marks | None = None
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    device: Annotated[str, msgspec.Meta(max_length=128)] = ""


class ReleaseBody(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class ChiefController(Controller):
    path = "/api/chief"
    guards = [judge_guard]  # noqa: RUF012
    tags = ["chief judge"]  # noqa: RUF012

    @post("/sheets/{round_id:int}/{entry:str}/{judge:str}", sync_to_thread=True, status_code=200)
    def act_on_sheet(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        entry: PathKey,
        judge: PathKey,
        data: JSONBody[ChiefWriteBody],
    ) -> dict[str, Any]:
        """Return (with a reason), correct (with a reason), lock, or transcribe a paper sheet."""
        judge_id, judge_key = signed_in_judge(request)
        with database.transaction() as db:
            context, key, target_id = chiefs_sheet(db, judge_id, round_id, entry, judge)
            write = SheetWrite(
                round_id=round_id,
                entry_key=key,
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
                address=client_address(request),
            )
            rubric = rubric_of(db, context)
            if write.marks is not None and write.action in (SheetAction.CORRECT, SheetAction.TRANSCRIBE):
                refuse_broken_orders(db, context, rubric, [SheetChange(key, target_id, judge, write.marks)])
            snapshot = record_write(db, write, rubric)
        announce_round(request, round_id, "sheet")
        results_changed(request.app, round_id, [key])
        return snapshot.body() | {"replayed": snapshot.replayed}

    @get("/sheets/{round_id:int}/{entry:str}/{judge:str}", sync_to_thread=True)
    def read_sheet(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        entry: PathKey,
        judge: PathKey,
    ) -> dict[str, Any]:
        """Any sheet of the round, for its chief judge: the current version and the device it is tied to."""
        judge_id, _ = signed_in_judge(request)
        with database.read() as db:
            _, key, target_id = chiefs_sheet(db, judge_id, round_id, entry, judge)
            found = current_version(db, round_id, key, target_id)
            sheet = find_sheet(db, round_id, key, target_id)
        body = found.body() if found else NEW_SHEET
        return body | {"entry": entry, "judge": judge, "device": sheet.device if sheet else ""}

    @post("/sheets/{round_id:int}/{entry:str}/{judge:str}/release", sync_to_thread=True, status_code=200)
    def release_sheet(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        entry: PathKey,
        judge: PathKey,
        data: JSONBody[ReleaseBody],
    ) -> dict[str, Any]:
        """Free a sheet from the device it is tied to (with a reason, audited); the next device
        that opens it takes it. Releasing a free sheet changes nothing."""
        judge_id, judge_key = signed_in_judge(request)
        with database.transaction() as db:
            _, key, target_id = chiefs_sheet(db, judge_id, round_id, entry, judge)
            released = release_device(
                db, round_id, key, target_id, f"chief:{judge_key}", data.reason, client_address(request)
            )
        if released:
            announce_round(request, round_id, "device")
        return {"released": released}

    @post("/rounds/{round_id:int}/transcriptions", sync_to_thread=True, status_code=200)
    def transcribe_paper(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        """Type in a stack of paper sheets from a CSV or XLSX in the marks format of `scoring
        compute` (field `marks`; entry, attempt, judge, criterion, value). Every row is checked
        first; with any problem nothing is stored (422 naming the rows). Each sheet becomes a
        transcribed version, audited as such. Sending the same file again stores nothing twice."""
        judge_id, judge_key = signed_in_judge(request)
        upload = data.get("marks") if isinstance(data, dict) else None
        if upload is None:
            raise InvalidInput([Problem(zh="缺少评分文件（字段 marks）", en="the form needs a file in field 'marks'")])
        name, content = Path(upload.filename or "marks.csv").name, upload.file.read()
        frame = read_paper_file(name, content)
        digest = hashlib.sha256(content).hexdigest()[:24]
        with database.transaction() as db:
            context = require_seat(db, judge_id, round_id, chief=True)
            check_sheet_write(context.round.publication)  # a closed round takes no paper either
            rubric = rubric_of(db, context)
            entries = {label: entry for entry, label in entry_labels(db, context).items()}
            judge_ids = dict(
                db.execute(
                    select(Judge.key, Judge.id).where(Judge.competition_id == context.event.competition_id)
                ).all()
            )
            sheets, problems = plan_transcription(frame, rubric, entries, panel_judges(db, round_id), name)
            writes = transcription_writes(
                db, context, sheets, judge_ids, problems, digest, name, f"chief:{judge_key}", client_address(request)
            )
            if problems:
                raise InvalidInput(problems)
            changes = [
                SheetChange(w.entry_key, w.judge_id, s.judge, w.marks or {})
                for w, s in zip(writes, sheets, strict=True)
            ]
            refuse_broken_orders(db, context, rubric, changes)  # a round judged by placing: whole orders
            snapshots = record_many(db, writes, rubric)
        announce_round(request, round_id, "sheet")
        results_changed(request.app, round_id, sorted({w.entry_key for w in writes}))
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
    async def console_live(self, socket: WebSocket[Any, Any, Any], database: InjectedDatabase, round_id: RowId) -> None:
        """The chief's console listens here: a short message whenever a sheet of the round
        changes (never marks); the page then fetches what it shows over its guarded route.
        The seat is checked once, in a short read; no session is held for the connection."""
        who = principal_of(socket)

        def check() -> None:
            with database.read() as db:
                require_seat(db, who.judge_id or 0, round_id, chief=True)

        try:
            await anyio.to_thread.run_sync(check)
        except Refusal:
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

    @get("/rounds/{round_id:int}/console")
    async def round_console(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        working: Annotated[
            list[Annotated[str, msgspec.Meta(max_length=64)]] | None,
            QueryParameter(name="working", max_items=200),
        ] = None,
    ) -> dict[str, Any]:
        """The round at a glance for its chief judge: sheet states, disagreement flags with the
        marks side by side, and each judge's severity. Read on the read lane: it answers at once
        however many judges are writing. Each scored entry's working per criterion: every entry's,
        or with `working` (repeated: ?working=s01&working=s02; ?working= for none) those entries'
        only (the others say "working": "later")."""
        judge_id, _ = signed_in_judge(request)

        def read(db: Session) -> dict[str, Any]:
            return console(db, require_seat(db, judge_id, round_id, chief=True), working)

        return await database.read_async(read)

    @post("/rounds/{round_id:int}/lock", sync_to_thread=True, status_code=200)
    def lock(self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId) -> dict[str, Any]:
        """Lock the round once every judge of the panel has submitted every entry's sheet: each
        sheet gets a lock version and the round's results become locked (ready for a notice),
        in one transaction."""
        judge_id, judge_key = signed_in_judge(request)
        with database.transaction() as db:
            context = require_seat(db, judge_id, round_id, chief=True)
            locked = lock_round(db, context, f"chief:{judge_key}", client_address(request))
        announce_round(request, round_id, "round")
        return {"round": round_id, "locked_sheets": locked, "publication": "locked"}
