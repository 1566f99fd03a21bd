"""The organiser's competition pages (/admin): the dashboard, creating a competition (from its
files or a template), a competition's overview, adding judges, the roster import with its
preview. Each form runs one use case (organiser/service.py lists them) in one transaction; what
each page shows is organiser/page_data.py. The judges' cards are organiser/access_pages.py."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from organiser.competition_setup import Upload, create_competition, create_from_template, templates
from organiser.judge_access import add_judge
from organiser.page_data import competition_overview, competitions_list
from organiser.roster_import import import_roster, plan_roster, roster_preview
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Refusal
from web.auth import organiser_page_guard, principal_of
from web.database import InjectedDatabase
from web.i18n import language_of, translator
from web.pages import act_then_redirect, problems_of, render_page
from web.params import PathKey


def uploaded(value: Any) -> Upload | None:
    """A file field of a form, or None when no file was chosen."""
    if isinstance(value, UploadFile) and value.filename:
        return Upload(value.filename, value.file.read())
    return None


def organiser_name(request: Request[Any, Any, Any]) -> str:
    return f"organiser:{principal_of(request).name}"


class CompetitionPages(Controller):
    path = "/admin"
    guards = [organiser_page_guard]  # noqa: RUF012

    @get("/")
    async def dashboard(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template:
        return render_page(
            request, "admin/dashboard.html", templates=templates(), typed={}, **await database.run(competitions_list)
        )

    async def _created(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, create: Any, typed: dict[str, str]
    ) -> Template | Redirect:
        """Create a competition; open its page, or show the dashboard again with the problems,
        the template list and what the organiser typed."""
        try:
            created = await database.run(create)
        except Refusal as refused:
            return render_page(
                request,
                "admin/dashboard.html",
                refused.status,
                templates=templates(),
                typed=typed,
                problems=problems_of(refused),
                **await database.run(competitions_list),
            )
        return Redirect(path=f"/admin/competitions/{created['key']}")

    @post("/competitions/from-template")
    async def create_from_template(
        self, request: Request[Any, Any, Any], database: InjectedDatabase
    ) -> Template | Redirect:
        form = await request.form()
        typed = {k: str(form.get(k, "")).strip()[:255] for k in ("template", "key", "name_zh", "name_en")}
        actor = organiser_name(request)
        return await self._created(
            request,
            database,
            lambda db: create_from_template(
                db, typed["template"], typed["key"], typed["name_zh"], typed["name_en"], actor
            ),
            typed,
        )

    @post("/competitions")
    async def create(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template | Redirect:
        form = await request.form()
        competition = uploaded(form.get("competition"))
        rubrics = [u for u in (uploaded(v) for v in form.getall("rubrics")) if u] if "rubrics" in form else []
        actor = organiser_name(request)

        def create(db: Session) -> dict[str, Any]:
            if competition is None:
                raise InvalidInput([Problem(zh="请选择竞赛文件", en="choose a competition file")])
            return create_competition(db, competition, rubrics, actor)

        return await self._created(request, database, create, {})

    @get("/competitions/{key:str}")
    async def competition(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        return render_page(request, "admin/competition.html", **await database.run(competition_overview, key))

    @post("/competitions/{key:str}/judges")
    async def add_judge(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form = await request.form()
        judge_key, name, actor = str(form.get("key", "")).strip(), str(form.get("name", "")), organiser_name(request)
        return await act_then_redirect(
            request,
            database,
            lambda db: add_judge(db, key, judge_key, name, actor),
            redirect=f"/admin/competitions/{key}",
            template="admin/competition.html",
            page_data=lambda db: competition_overview(db, key),
        )

    async def _overview_with(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: str, status: int, **context: Any
    ) -> Template:
        return render_page(
            request, "admin/competition.html", status, **context, **await database.run(competition_overview, key)
        )

    @post("/competitions/{key:str}/roster")
    async def roster_check(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        """Check an uploaded roster and show its preview with every row's problems; a clean
        roster is kept under a one-time token until the organiser confirms it."""
        form = await request.form()
        upload = uploaded(form.get("roster"))
        try:
            if upload is None:
                raise InvalidInput([Problem(zh="请选择名单文件", en="choose a roster file")])
            _, plan = await database.run(plan_roster, key, upload)
        except Refusal as refused:
            return await self._overview_with(request, database, key, refused.status, problems=problems_of(refused))
        token = ""
        if not plan.problems:
            token = secrets.token_hex(16)
            folder = Path(request.app.state.uploads)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{token}{Path(upload.filename).suffix.lower()}").write_bytes(upload.content)
        by_row: dict[int, list[Problem]] = {}
        for p in plan.problems:
            by_row.setdefault(p.row or 0, []).append(p)
        return render_page(
            request,
            "admin/roster_preview.html",
            422 if plan.problems else 200,
            key=key,
            token=token,
            filename=upload.filename,
            preview=roster_preview(plan),
            problems=plan.problems,
            row_problems=by_row,
        )

    @post("/competitions/{key:str}/roster/confirm")
    async def roster_confirm(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template:
        """Import the previewed roster: checked again against the competition as it is now, and
        written in the same transaction (all rows or none)."""
        form = await request.form()
        token = str(form.get("token", ""))
        folder = Path(request.app.state.uploads)
        found = list(folder.glob(f"{token}.*")) if len(token) == 32 and token.isalnum() else []
        if not found:
            expired = Problem(zh="预览已过期，请重新上传名单", en="the preview has expired; upload the roster again")
            return await self._overview_with(request, database, key, 422, problems=[expired])
        upload = Upload(f"roster{found[0].suffix}", found[0].read_bytes())
        actor = organiser_name(request)

        def check_and_import(db: Session) -> int:
            competition_id, plan = plan_roster(db, key, upload)
            return import_roster(db, competition_id, plan, actor)

        try:
            added = await database.run(check_and_import)
        except Refusal as refused:
            return await self._overview_with(request, database, key, refused.status, problems=problems_of(refused))
        finally:
            found[0].unlink(missing_ok=True)
        t = translator(language_of(request.query_params.get("lang"), request.cookies.get("lang")))
        return await self._overview_with(request, database, key, 200, notice=f"{t('imported')}: {added}")
