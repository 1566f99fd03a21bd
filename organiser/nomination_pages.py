"""The organiser's page of a selection by nomination (/admin/competitions/{key}/nominations):
the call's settings (conditions, quotas, regions, panel, counting rule), each unit's signed
nomination link, the nominations with their photos, the count so far by the stated rule, and
the acts of each stage: closing nominations, putting the counted list on notice with a
deadline, deciding each objection with reasons, publishing the list. Each form runs one use
case of scoring/store/nominations.py or nomination_lists.py in one transaction, then
redirects back; a refusal is shown on the page."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from organiser.competition_pages import organiser_name
from organiser.nomination_settings import form_values, settings_from_form, typed_values
from scoring.problems import InvalidInput, Problem
from scoring.refusals import NotFound
from scoring.store.models import Judge, Unit
from scoring.store.nomination_lists import (
    aware,
    decide_objection,
    lists_of,
    objections_of,
    publish_final,
    publish_notice,
)
from scoring.store.nomination_models import Nomination
from scoring.store.nominations import (
    call_of,
    competition_of,
    counting_of,
    move_stage,
    nominations_of,
    open_call_of,
    photos_dir,
    read_photo,
    set_call,
    tally,
)
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.nomination_words import BEIJING, CALL_FIELDS, NOMINATION_CSS, beijing_time, labelled, text_for
from web.pages import act_then_redirect, public_base, render_page
from web.params import PathKey, RowId
from web.security import sign_holder_token

DONE = ("call", "close", "notice", "decision", "final")  # what a redirect back may say was done


def _deadline(text: str) -> datetime:
    """A deadline typed in Beijing time (a zone written with it is kept)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            [
                Problem(
                    zh="请选择公示截止的日期和时间（如 2026-12-06T18:00）",
                    en="choose the date and time the notice ends (like 2026-12-06T18:00)",
                    path="deadline",
                )
            ]
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def _page(db: Session, key: str, secret: bytes, base: str) -> dict[str, Any]:
    competition = competition_of(db, key)
    call = call_of(db, competition.id)
    units = list(db.execute(select(Unit).where(Unit.competition_id == competition.id).order_by(Unit.key)).scalars())
    judges = list(db.execute(select(Judge).where(Judge.competition_id == competition.id).order_by(Judge.key)).scalars())
    shown: dict[str, Any] = {
        "key": key,
        "competition": {"zh": competition.name_zh, "en": competition.name_en},
        "call": call,
        "values": form_values(call),
        "judges": [{"key": j.key, "name": j.name} for j in judges],
        "css": NOMINATION_CSS,
        "base": base,
        "nominations": [],
        "lists": [],
        "objections": [],
    }
    if call is None:
        return shown
    nominations = nominations_of(db, call.id)
    names = {u.key: {"zh": u.name_zh, "en": u.name_en} for u in units}
    shown["links"] = [
        {
            "unit": names[u.key],
            "key": u.key,
            "link": f"{base}/nominate/{sign_holder_token(secret, 'unit', competition.id, u.key)}",
            "count": sum(1 for n in nominations if n.unit_key == u.key),
        }
        for u in units
    ]
    shown["nominations"] = [
        {"id": n.id, "name": n.name, "name_en": n.name_en,
         "unit": names.get(n.unit_key, {"zh": n.unit_key, "en": n.unit_key}),
         "region": n.region, "post": n.post, "post_en": n.post_en, "years": n.years_of_service,
         "front_line": n.front_line}
        for n in nominations
    ]  # fmt: skip
    shown["regions_used"] = any(n.region for n in nominations)  # no empty column when the call has no regions
    by_id = {str(n.id): n.name for n in nominations}
    by_id_en = {str(n.id): n.name_en for n in nominations}
    if nominations:
        counted = tally(db, call)
        zh, en = counting_of(call).stated()
        shown["tally"] = {
            "rule": {"zh": zh, "en": en},
            "panel_size": counted.panel_size,
            "ballots": counted.ballots,
            "rows": [{"name": by_id[r.candidate], "name_en": by_id_en[r.candidate]} | asdict(r) for r in counted.rows],
        }
    lists = lists_of(db, call.id)
    shown["lists"] = [
        {"seq": row.seq, "kind": row.kind, "deadline": beijing_time(row.deadline), "size": len(row.snapshot["list"]),
         "audit": f"{row.audit_seq}:{row.audit_hash[:12]}"}
        for row in lists
    ]  # fmt: skip
    notices = [row for row in lists if row.kind == "notice"]
    if notices:
        shown["objections"] = [
            {"id": s.objection.id, "nominee": by_id.get(str(s.objection.nomination_id), ""),
             "nominee_en": by_id_en.get(str(s.objection.nomination_id), ""), "name": s.objection.name,
             "contact": s.objection.contact, "reason": s.objection.reason,
             "at": beijing_time(s.objection.created_at),
             "decision": {"outcome": s.decision.outcome, "reason": s.decision.reason} if s.decision else None}
            for s in objections_of(db, notices[-1].id)
        ]  # fmt: skip
        ends = notices[-1].deadline
        shown["notice_ends"] = beijing_time(ends)
        shown["notice_open"] = ends is not None and datetime.now(UTC) < aware(ends)
        shown["undecided"] = sum(1 for o in shown["objections"] if o["decision"] is None)
    return shown


def _panel(db: Session, key: str, ticked: list[str]) -> list[str]:
    competition = competition_of(db, key)
    keys = set(db.execute(select(Judge.key).where(Judge.competition_id == competition.id)).scalars())
    return [k for k in ticked if k in keys] + [k for k in ticked if k not in keys]


class NominationAdminPages(Controller):
    path = "/admin/competitions/{key:str}/nominations"
    guards = [organiser_page_guard]  # noqa: RUF012

    async def _act(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: str,
        done: str,
        act: Any,
        typed: dict[str, Any] | None = None,
    ) -> Template | Redirect:
        """Run `act`; back to the page saying what was `done`, or the page again with the
        refusal, each field named by its label (and the settings form as `typed`, if given)."""
        secret, base = request.app.state.secret, public_base(request)
        t = text_for(request.query_params.get("lang"), request.cookies.get("lang"))
        return await act_then_redirect(
            request,
            database,
            labelled(act, t, CALL_FIELDS),
            redirect=f"/admin/competitions/{key}/nominations?done={done}",
            template="admin/nominations.html",
            page_data=lambda db: (
                _page(db, key, secret, base) | {"t": t} | ({"values": typed, "typed_call": True} if typed else {})
            ),
        )

    @get("")
    async def page(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        secret, base = request.app.state.secret, public_base(request)
        shown = await database.run(lambda db: _page(db, key, secret, base))
        t = text_for(request.query_params.get("lang"), request.cookies.get("lang"))
        done = request.query_params.get("done")
        return render_page(request, "admin/nominations.html", t=t, done=done if done in DONE else None, **shown)

    @post("/call")
    async def call(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = await request.form(), organiser_name(request)
        ticked = [str(v)[:64] for v in form.getall("panel", [])][:200]
        return await self._act(
            request,
            database,
            key,
            "call",
            lambda db: set_call(db, key, settings_from_form(form, _panel(db, key, ticked)), actor),
            typed_values(form, ticked),
        )

    @post("/close")
    async def close(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        actor = organiser_name(request)
        return await self._act(
            request, database, key, "close", lambda db: move_stage(db, open_call_of(db, key)[1], "deliberation", actor)
        )

    @post("/notice")
    async def notice(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = await request.form(), organiser_name(request)
        text = str(form.get("deadline", ""))[:64]
        return await self._act(
            request, database, key, "notice", lambda db: publish_notice(db, key, _deadline(text), actor)
        )

    @post("/objections/{objection_id:int}/decision")
    async def decide(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, objection_id: RowId
    ) -> Template | Redirect:
        form, actor = await request.form(), organiser_name(request)
        outcome, reason = str(form.get("outcome", ""))[:16], str(form.get("reason", ""))[:4000]
        return await self._act(
            request,
            database,
            key,
            "decision",
            lambda db: decide_objection(db, key, objection_id, outcome, reason, actor),
        )

    @post("/final")
    async def final(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        actor = organiser_name(request)
        return await self._act(request, database, key, "final", lambda db: publish_final(db, key, actor))

    @get("/{nomination_id:int}/photo")
    async def photo(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, nomination_id: RowId
    ) -> Response[bytes]:
        photos = photos_dir(request.app.state.uploads)

        def read(db: Session) -> tuple[str, str]:
            _, call = open_call_of(db, key)
            row = db.get(Nomination, nomination_id)
            if row is None or row.call_id != call.id:
                raise NotFound("没有这个推荐", "no such nomination")
            return row.photo_sha256, row.photo_type

        digest, kind = await database.run(read)
        return Response(read_photo(photos, digest), media_type=kind, headers={"cache-control": "private, max-age=3600"})
