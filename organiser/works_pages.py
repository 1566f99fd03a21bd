"""The organiser's page of a competition's call for entries and its review away from the venue
(/admin/competitions/{key}/works): opening the call, the units' links, the eligibility check
with a reason for a refusal, the experts' pool and conflicts, assigning experts, the review's
progress with disagreements and adding an expert, and the shortlist. Each form runs one use case
of organiser/works_review.py in one transaction, then redirects, or shows the page again with
the problems. The works' files are served here to the organiser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import PathParameter
from litestar.response import File, Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from organiser.competition_pages import organiser_name
from organiser.works_review import (
    add_expert,
    assign_experts,
    conflict_of,
    create_call,
    event_rounds,
    make_shortlist,
    review_progress,
    set_pool,
)
from organiser.works_text import page_text
from results.stored import competition_row
from scoring.refusals import NotFound
from scoring.store.models import Unit
from scoring.store.review_assignments import pool_of
from scoring.store.shortlists import latest_shortlist, publish_shortlist
from scoring.store.works import call_of, decide_eligibility, file_row, work_states
from scoring.store.works_models import WorkCall
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.i18n import language_of
from web.pages import act_then_redirect, public_base, render_page
from web.params import PathKey
from web.security import sign_holder_token

Sha = Annotated[str, PathParameter(pattern=r"^[0-9a-f]{64}$")]
WorkKey = Annotated[str, PathParameter(min_length=1, max_length=64)]


def _call(db: Session, competition_id: int) -> WorkCall | None:
    return db.execute(select(WorkCall).where(WorkCall.competition_id == competition_id)).scalar_one_or_none()


def works_overview(db: Session, key: str, lang: str, secret: bytes, base: str) -> dict[str, Any]:
    competition = competition_row(db, key)
    rounds = [
        {"id": r.id, "name": f"{e.title_zh if lang == 'zh' else e.title_en} · {r.key}"}
        for r, e in event_rounds(db, competition.id)
    ]
    page: dict[str, Any] = {
        "competition": competition,
        "rounds": rounds,
        "call": None,
        "t": page_text(lang),
    }
    call = _call(db, competition.id)
    if call is None:
        return page
    units = db.execute(select(Unit).where(Unit.competition_id == competition.id).order_by(Unit.key)).scalars()
    page |= {
        "call": call,
        "categories": {c["key"]: c[lang] for c in call.categories},
        "unit_names": {},
        "links": [],
        "works": work_states(db, call.id),
        "pool": [(judge.key, judge.name, unit) for judge, unit in pool_of(db, competition.id)],
        "progress": review_progress(db, call),
        "shortlist": latest_shortlist(db, call.id),
    }
    for unit in units:
        page["unit_names"][unit.key] = unit.name_zh if lang == "zh" else unit.name_en
        token = sign_holder_token(secret, "unit", competition.id, unit.key)
        page["links"].append((page["unit_names"][unit.key], f"{base}/works/unit/{token}"))
    return page


def _form_dict(form: Any) -> dict[str, str]:
    return {k: str(v)[:20000] for k, v in form.items() if isinstance(v, str)}


class WorksPages(Controller):
    path = "/admin/competitions"
    guards = [organiser_page_guard]  # noqa: RUF012

    def _lang(self, request: Request[Any, Any, Any]) -> str:
        return language_of(request.query_params.get("lang"), request.cookies.get("lang"))

    async def _act(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: str, act: Any
    ) -> Template | Redirect:
        lang, secret, base = self._lang(request), request.app.state.secret, public_base(request)
        return await act_then_redirect(
            request,
            database,
            act,
            redirect=f"/admin/competitions/{key}/works",
            template="admin/works.html",
            page_data=lambda db: works_overview(db, key, lang, secret, base),
        )

    @get("/{key:str}/works")
    async def page(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        lang, secret, base = self._lang(request), request.app.state.secret, public_base(request)
        shown = await database.read_async(lambda db: works_overview(db, key, lang, secret, base))
        return render_page(request, "admin/works.html", **shown)

    @post("/{key:str}/works/call")
    async def open_call(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = _form_dict(await request.form()), organiser_name(request)
        return await self._act(request, database, key, lambda db: create_call(db, key, form, actor))

    @post("/{key:str}/works/{work:str}/decision")
    async def decide(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, work: WorkKey
    ) -> Template | Redirect:
        form, actor = _form_dict(await request.form()), organiser_name(request)

        def act(db: Session) -> None:
            call = call_of(db, competition_row(db, key).id)
            decide_eligibility(db, call, work, form.get("eligible") == "1", form.get("reason", ""), actor)

        return await self._act(request, database, key, act)

    @post("/{key:str}/works/experts")
    async def experts(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = _form_dict(await request.form()), organiser_name(request)
        return await self._act(request, database, key, lambda db: set_pool(db, key, form.get("experts", ""), actor))

    @post("/{key:str}/works/conflicts")
    async def conflict(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = _form_dict(await request.form()), organiser_name(request)
        return await self._act(
            request,
            database,
            key,
            lambda db: conflict_of(db, key, form.get("judge", ""), form.get("work", ""), form.get("reason", ""), actor),
        )

    @post("/{key:str}/works/assign")
    async def assign(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        actor = organiser_name(request)
        return await self._act(request, database, key, lambda db: assign_experts(db, key, actor))

    @post("/{key:str}/works/add-expert")
    async def add(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = _form_dict(await request.form()), organiser_name(request)
        return await self._act(
            request,
            database,
            key,
            lambda db: add_expert(db, key, form.get("judge", "").strip(), form.get("work", "").strip(), actor),
        )

    @post("/{key:str}/works/shortlist")
    async def shortlist(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form, actor = _form_dict(await request.form()), organiser_name(request)
        return await self._act(
            request,
            database,
            key,
            lambda db: make_shortlist(
                db, key, form.get("rule", ""), form.get("value", "").strip(), form.get("next_round", ""), actor
            ),
        )

    @post("/{key:str}/works/shortlist/publish")
    async def publish(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        actor = organiser_name(request)
        return await self._act(
            request, database, key, lambda db: publish_shortlist(db, call_of(db, competition_row(db, key).id).id, actor)
        )

    @get("/{key:str}/works/files/{sha:str}")
    async def file(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, sha: Sha) -> File:
        def load(db: Session) -> str:
            call = _call(db, competition_row(db, key).id)
            if call is None:
                raise NotFound("没有这个附件", "no such attachment")
            return file_row(db, call.id, sha).content_type

        content_type = await database.read_async(load)
        folder = Path(str(request.app.state.uploads)) / "works"
        return File(path=folder / sha, media_type=content_type, content_disposition_type="inline")
