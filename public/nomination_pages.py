"""The public's pages of a selection by nomination, in Chinese and English, read from the lists
the organiser published (scoring/store/nomination_lists.py), never from the nominations
themselves: the call (/nominations/{key}: its conditions, the stage), the notice
(/notice: the proposed list with photos and stories, the counting rule, the deadline, and the
objection form while the period lasts), the published list (/list) and a page per honouree
(/honourees/{id}). Before the notice the public sees the call only; a candidate who was not
selected, or was taken off the list, is never shown. Photos are served for the nominees on the
notice or the list, and for no one else.

Objections come from anyone: bounded fields, a name and a contact, at most `OBJECTIONS_PER_HOUR`
per address in an hour (in memory, per server process). A refused objection is shown again at
the form, with each field named by its label."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.refusals import NotFound, Refusal
from scoring.store.models import Competition
from scoring.store.nomination_lists import aware, lodge_objection, public_entry, public_lists
from scoring.store.nominations import photos_dir, read_photo, rules_of
from web.auth import public_guard
from web.database import InjectedDatabase
from web.nomination_words import NOMINATION_CSS, OBJECTION_FIELDS, beijing_time, labelled, text_for
from web.pages import act_then_redirect, render_page
from web.params import PathKey, RowId
from web.security import AttemptLimiter
from web.signin import client_address

OBJECTIONS_PER_HOUR = 5


class TooManyObjections(Refusal):
    kind = "too-many-objections"
    status = 429


def _limiter(request: Request[Any, Any, Any]) -> AttemptLimiter:
    """The objections' limiter, kept in the app's state (made on first use)."""
    found = request.app.state.get("objection_limiter")
    if found is None:
        found = request.app.state["objection_limiter"] = AttemptLimiter(limit=OBJECTIONS_PER_HOUR, window=3600)
    return found


def _public(snapshot: dict[str, Any], removed: set[int] | None = None) -> dict[str, Any]:
    """A list as the public reads it: without the count of the candidates not selected; on a
    notice, the nominees the final list took off (`removed`) are marked, shown without photo."""
    shown = {k: v for k, v in snapshot.items() if k != "counted"}
    shown["list"] = [e | {"removed": e["id"] in (removed or set())} for e in snapshot["list"]]
    return shown


def _shown(db: Session, key: str) -> dict[str, Any]:
    competition = db.execute(select(Competition).where(Competition.key == key)).scalar_one_or_none()
    if competition is None:
        raise NotFound("没有这个评选", "no such selection")
    call, notice, final = public_lists(db, key)
    removed = {r["id"] for r in final.snapshot.get("removed", [])} if final else set()
    return {
        "key": key,
        "competition": {"zh": competition.name_zh, "en": competition.name_en},
        "call": {"zh": call.title_zh, "en": call.title_en, "stage": call.stage,
                 "intro": {"zh": call.intro_zh, "en": call.intro_en or call.intro_zh}},
        "rules": rules_of(call),
        "proposed": _public(notice.snapshot, removed) | {"deadline": beijing_time(notice.deadline), "seq": notice.seq,
                                     "open": call.stage == "notice" and (notice.deadline is None
                                             or datetime.now(UTC) < aware(notice.deadline))}
        if notice else None,
        "final": _public(final.snapshot) | {"at": beijing_time(final.created_at)} if final else None,
        "css": NOMINATION_CSS,
    }  # fmt: skip


class PublicNominationPages(Controller):
    path = "/nominations/{key:str}"
    guards = [public_guard]  # noqa: RUF012

    async def _render(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: str, name: str, need: str | None
    ) -> Template:
        shown = await database.run(lambda db: _shown(db, key))
        if need is not None and shown[need] is None:
            raise NotFound("尚未公布", "not published yet")
        t = text_for(request.query_params.get("lang"), request.cookies.get("lang"))
        return render_page(request, name, t=t, sent=request.query_params.get("sent") == "1", **shown)

    @get("")
    async def call_page(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        return await self._render(request, database, key, "public/nomination_call.html", None)

    @get("/notice")
    async def notice(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        return await self._render(request, database, key, "public/nomination_notice.html", "proposed")

    @post("/notice")
    async def object_to(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form = await request.form()
        address = f"objection:{client_address(request)}"
        nominee = str(form.get("nomination", ""))[:12]
        name, contact, reason = (str(form.get(f, ""))[:4000] for f in ("name", "contact", "reason"))
        t = text_for(request.query_params.get("lang"), request.cookies.get("lang"))
        limiter = _limiter(request)

        def act(db: Session) -> Any:
            if limiter.blocked(address):
                raise TooManyObjections("提交过于频繁，请稍后再试", "too many objections from this address; try later")
            row = lodge_objection(db, key, int(nominee) if nominee.isdigit() else 0, name, contact, reason)
            limiter.failed(address)  # counted once accepted
            return row

        return await act_then_redirect(
            request,
            database,
            labelled(act, t, OBJECTION_FIELDS),
            redirect=f"/nominations/{key}/notice?sent=1#objection",
            template="public/nomination_notice.html",
            page_data=lambda db: (
                _shown(db, key)
                | {
                    "t": t,
                    "sent": False,
                    "typed": {"name": name, "contact": contact, "reason": reason, "nomination": nominee},
                }
            ),
        )

    @get("/list")
    async def final_list(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        return await self._render(request, database, key, "public/nomination_list.html", "final")

    @get("/honourees/{nomination_id:int}")
    async def honouree(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, nomination_id: RowId
    ) -> Template:
        shown = await database.run(lambda db: _shown(db, key))
        final = shown["final"]
        entry = next((e for e in final["list"] if e["id"] == nomination_id), None) if final else None
        if entry is None:
            raise NotFound("没有这位入选者", "no such honouree")
        t = text_for(request.query_params.get("lang"), request.cookies.get("lang"))
        return render_page(request, "public/nomination_honouree.html", t=t, entry=entry, **shown)

    @get("/honourees/{nomination_id:int}/photo")
    async def photo(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, nomination_id: RowId
    ) -> Response[bytes]:
        entry = await database.run(lambda db: public_entry(db, key, nomination_id))
        data = read_photo(photos_dir(request.app.state.uploads), entry["photo"])
        return Response(data, media_type=entry["photo_type"], headers={"cache-control": "public, max-age=86400"})
