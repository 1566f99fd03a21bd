"""The organiser's event and round pages (/admin/events, /admin/rounds): an event's title,
weight and rounds; its rubric as a judge's form, and a new rubric version; a round's panel,
draws of lots and publication state. Each form runs one use case in one transaction, then
redirects, or shows its page again with the problems."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from organiser.competition_pages import organiser_name, uploaded
from organiser.corrections import add_round, edit_event, replace_rubric_version
from organiser.official_uploads import upload_official_values
from organiser.page_data import event_overview, round_overview, rubric_preview
from organiser.round_setup import make_draw, set_panel
from organiser.theory_pages import theory_page_data, theory_words
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Refusal
from scoring.store.publication import move_publication
from scoring.store.rounds import round_context
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.pages import act_then_redirect, problems_of, render_page
from web.params import RowId
from web.results_feed import results_changed

DRAW_PURPOSES = ("order", "stations", "checkin", "codes")


class RoundPages(Controller):
    path = "/admin"
    guards = [organiser_page_guard]  # noqa: RUF012

    async def _on_round(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: int, act: Any
    ) -> Template | Redirect:
        """Run a change to a round; back to the round page, or the page again with the problems."""
        return await act_then_redirect(
            request,
            database,
            act,
            redirect=f"/admin/rounds/{round_id}",
            template="admin/round.html",
            page_data=lambda db: round_overview(db, round_id),
        )

    async def _on_event(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, event_id: int, act: Any
    ) -> Template | Redirect:
        return await act_then_redirect(
            request,
            database,
            act,
            redirect=f"/admin/events/{event_id}",
            template="admin/event.html",
            page_data=lambda db: event_overview(db, event_id),
        )

    @get("/rounds/{round_id:int}")
    async def round_page(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> Template:
        return render_page(request, "admin/round.html", **await database.run(round_overview, round_id))

    @post("/rounds/{round_id:int}/panel")
    async def round_panel(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> Template | Redirect:
        form = await request.form()
        judges = [str(v) for v in form.getall("judges")] if "judges" in form else []
        chief = str(form.get("chief")) if form.get("chief") else None
        actor = organiser_name(request)
        return await self._on_round(
            request, database, round_id, lambda db: set_panel(db, round_id, judges, chief, actor)
        )

    @post("/rounds/{round_id:int}/draws")
    async def round_draw(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> Template | Redirect:
        form = await request.form()
        problems: list[Problem] = []

        def number(name: str) -> int | None:
            text = str(form.get(name, "")).strip()
            if not text:
                return None
            if not text.isdigit() or len(text) > 18:
                problems.append(Problem(zh=f"{name} 必须是非负整数", en=f"{name} must be a whole number", path=name))
                return None
            return int(text)

        purpose, drawn_by = str(form.get("purpose", "")), str(form.get("drawn_by", "")).strip()
        seed, stations, prefix = number("seed"), number("stations"), str(form.get("prefix", "")).strip()
        replaces, reason = number("replaces"), str(form.get("reason", "")).strip()[:500]
        if purpose not in DRAW_PURPOSES:
            problems.append(Problem(zh="请选择抽签用途", en="choose what the draw is for", path="purpose"))
        if not drawn_by:
            problems.append(Problem(zh="请填写抽签人", en="give the name of the official who draws", path="drawn_by"))
        if not prefix.isascii() or not (prefix.isalpha() or prefix == "") or len(prefix) > 8:
            problems.append(Problem(zh="编码前缀只能是字母", en="the code prefix may hold letters only", path="prefix"))
        actor = organiser_name(request)

        def draw(db: Session) -> None:
            if problems:
                raise InvalidInput(problems)
            make_draw(db, round_id, purpose, drawn_by, seed, stations, prefix, actor, replaces, reason)

        try:
            await database.run(draw)
        except Refusal as refused:
            typed = {k: str(form.get(k, "")).strip()[:500] for k in ("purpose", "drawn_by", "seed", "stations")}
            typed |= {"prefix": prefix, "reason": reason}
            data = await database.run(round_overview, round_id)
            at_fault = {refused.field} | {p.path for p in problems_of(refused)}
            offer = data["in_force"].get(purpose) if at_fault & {"replaces", "reason"} else None
            return render_page(
                request,
                "admin/round.html",
                refused.status,
                problems=problems_of(refused),
                typed=typed,
                replace_offer=offer,
                **data,
            )
        return Redirect(path=f"/admin/rounds/{round_id}")

    @post("/rounds/{round_id:int}/publication")
    async def round_publication(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> Template | Redirect:
        form = await request.form()
        state, actor = str(form.get("state", "")), organiser_name(request)
        return await self._on_round(
            request, database, round_id, lambda db: move_publication(db, round_id, state, actor)
        )

    @post("/rounds/{round_id:int}/official-values")
    async def round_official_values(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> Template | Redirect:
        """Officials' values or a theory paper's answer sheets (with the reason a replacement
        needs); a theory round answers with its own page: graded, or the file's problems."""
        form = await request.form()
        upload, actor = uploaded(form.get("values")), organiser_name(request)
        reason = str(form.get("reason", "")).strip()[:500]

        def store(db: Session) -> None:
            if upload is None:
                raise InvalidInput([Problem(zh="请选择文件", en="choose a file", path="values")])
            upload_official_values(db, round_id, upload, actor, reason)

        kind = await database.run(lambda db: round_context(db, round_id).event.kind)
        if kind == "theory":
            words = theory_words(request) | {"typed_reason": reason}
            answer = await act_then_redirect(
                request,
                database,
                store,
                redirect=f"/admin/rounds/{round_id}/theory",
                template="admin/theory.html",
                page_data=lambda db: theory_page_data(db, round_id) | words,
            )
        else:
            answer = await self._on_round(request, database, round_id, store)
        if isinstance(answer, Redirect):  # stored (a refusal shows the page again)
            results_changed(request.app, round_id, None)
        return answer

    @get("/events/{event_id:int}")
    async def event_page(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, event_id: RowId
    ) -> Template:
        return render_page(request, "admin/event.html", **await database.run(event_overview, event_id))

    @post("/events/{event_id:int}")
    async def save_event(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, event_id: RowId
    ) -> Template | Redirect:
        form = await request.form()
        title_zh, title_en = str(form.get("title_zh", "")), str(form.get("title_en", ""))
        weight, actor = str(form.get("weight", "")), organiser_name(request)
        return await self._on_event(
            request, database, event_id, lambda db: edit_event(db, event_id, title_zh, title_en, weight, actor)
        )

    @post("/events/{event_id:int}/rounds")
    async def new_round(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, event_id: RowId
    ) -> Template | Redirect:
        form = await request.form()
        key, actor = str(form.get("key", "")).strip(), organiser_name(request)
        return await self._on_event(request, database, event_id, lambda db: add_round(db, event_id, key, actor))

    @get("/events/{event_id:int}/rubric")
    async def rubric_page(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, event_id: RowId
    ) -> Template:
        return render_page(request, "admin/rubric.html", **await database.run(rubric_preview, event_id))

    @post("/events/{event_id:int}/rubric")
    async def upload_rubric(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, event_id: RowId
    ) -> Template | Redirect:
        form = await request.form()
        upload, actor = uploaded(form.get("rubric")), organiser_name(request)

        def replace(db: Session) -> None:
            if upload is None:
                raise InvalidInput([Problem(zh="请选择评分细则文件", en="choose a rubric file")])
            replace_rubric_version(db, event_id, upload, actor)

        return await act_then_redirect(
            request,
            database,
            replace,
            redirect=f"/admin/events/{event_id}/rubric",
            template="admin/rubric.html",
            page_data=lambda db: rubric_preview(db, event_id),
        )
