"""The organiser's pages (/admin): sign in, competitions, roster import, panels, draws, judges'
QR sheet, rubric preview. Server-rendered in Chinese or English; every form carries the CSRF
token. Handlers read the form, call server/admin_service.py (the same operations as the JSON
API) and render; problems are shown on the page, never as a server error."""

from __future__ import annotations

import secrets
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import segno
from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import UploadFile
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect, Template
from sqlalchemy import func, select

from scoring.rubrics.form import rubric_form
from judges.service import AccessRefused, round_context
from scoring.problems import InvalidInput, Problem
from scoring.publication import NEXT, Publication
from scoring.rubrics.model import Rubric
from scoring.store.draws import codes_of, draw_summary
from scoring.store.models import Competition, Contestant, Draw, Event, Judge, PanelSeat, Round, Team, Unit
from scoring.store.users import check_password
from server.admin_service import (
    Upload,
    add_judge,
    add_round,
    competition_by_key,
    create_competition,
    create_from_template,
    edit_contestant,
    edit_event,
    edit_team,
    edit_unit,
    event_rules,
    import_roster,
    make_draw,
    move_publication,
    plan_roster,
    renew_access,
    replace_rubric_version,
    roster_preview,
    set_panel,
    templates,
)
from server.auth import principal_of, public_guard
from server.i18n import both, language_of, translator
from server.params import PathKey, RowId


class LoginRequired(NotAuthorizedException):
    """An organiser page asked for without signing in: answered by a redirect to the sign-in page."""


def organiser_page_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    who = principal_of(connection)
    if who.role == "public":
        raise LoginRequired()
    if who.role != "organiser":
        raise PermissionDeniedException(detail="无权访问 / this page is not for your role")


def page(request: Request[Any, Any, Any], name: str, status: int = 200, **context: Any) -> Template:
    lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
    who = principal_of(request)
    response = Template(
        template_name=name,
        status_code=status,
        context={"lang": lang, "t": translator(lang), "user": who.name if who.role == "organiser" else None} | context,
    )
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


async def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs))


def _upload(value: Any) -> Upload | None:
    if isinstance(value, UploadFile) and value.filename:
        return Upload(value.filename, value.file.read())
    return None


class AdminLoginPages(Controller):
    path = "/admin"
    guards = [public_guard]  # noqa: RUF012

    @get("/login")
    async def login_form(self, request: Request[Any, Any, Any]) -> Template:
        return page(request, "admin/login.html")

    @post("/login")
    async def login(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        t = translator(language_of(request.query_params.get("lang"), request.cookies.get("lang")))
        address = request.client.host if request.client else "?"
        if not request.app.state.limiter.allow(f"password:{address}"):
            return page(request, "admin/login.html", 429, problems=[Problem(zh=t("too_many"), en=t("too_many"))])

        def check() -> Any:
            with request.app.state.sessions() as db:
                return check_password(db, str(form.get("username", "")), str(form.get("password", "")))

        user = await run(check)
        if user is None or user.role != "organiser":
            return page(
                request,
                "admin/login.html",
                401,
                problems=[Problem(zh="用户名或密码错误", en="wrong user name or password")],
            )
        request.set_session({"role": "organiser", "user_id": user.id})
        return Redirect(path="/admin")

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect(path="/admin/login")


class AdminPages(Controller):
    path = "/admin"
    guards = [organiser_page_guard]  # noqa: RUF012

    async def _on_round(self, request: Request[Any, Any, Any], round_id: int, action: Any) -> Template | Redirect:
        """Run a change to a round; back to the round page, or the page again with the problems."""
        try:
            await run(action)
        except (InvalidInput, AccessRefused) as exc:
            problems = exc.problems if isinstance(exc, InvalidInput) else [Problem(zh=exc.zh, en=exc.en)]
            status = 422 if isinstance(exc, InvalidInput) else exc.status
            return page(
                request, "admin/round.html", status, problems=problems, **await run(self._round, request, round_id)
            )
        return Redirect(path=f"/admin/rounds/{round_id}")

    def _competitions(self, request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
        with request.app.state.sessions() as db:
            rows = db.execute(
                select(
                    Competition.key,
                    Competition.name_zh,
                    Competition.name_en,
                    select(func.count(Team.id)).where(Team.competition_id == Competition.id).scalar_subquery(),
                ).order_by(Competition.id)
            ).all()
        return [{"key": r[0], "name_zh": r[1], "name_en": r[2], "teams": r[3]} for r in rows]

    @get("/")
    async def dashboard(self, request: Request[Any, Any, Any]) -> Template:
        return page(
            request, "admin/dashboard.html", competitions=await run(self._competitions, request), templates=templates()
        )

    @post("/competitions/from-template")
    async def create_from_template(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        try:
            created = await run(
                create_from_template,
                request.app.state.sessions,
                str(form.get("template", "")),
                f"organiser:{principal_of(request).name}",
            )
        except InvalidInput as exc:
            return page(
                request,
                "admin/dashboard.html",
                422,
                competitions=await run(self._competitions, request),
                templates=templates(),
                problems=exc.problems,
            )
        return Redirect(path=f"/admin/competitions/{created['key']}")

    @post("/competitions/{key:str}/judges")
    async def add_judge(self, request: Request[Any, Any, Any], key: PathKey) -> Template | Redirect:
        form = await request.form()
        try:
            await run(
                add_judge,
                request.app.state.sessions,
                key,
                str(form.get("key", "")).strip(),
                str(form.get("name", "")),
                f"organiser:{principal_of(request).name}",
            )
        except InvalidInput as exc:
            return page(
                request, "admin/competition.html", 422, problems=exc.problems, **await run(self._overview, request, key)
            )
        return Redirect(path=f"/admin/competitions/{key}")

    @post("/competitions")
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        competition = _upload(form.get("competition"))
        rubrics = (
            [u for u in (_upload(v) for v in form.getall("rubrics")) if u is not None] if "rubrics" in form else []
        )
        try:
            if competition is None:
                raise InvalidInput([Problem(zh="请选择竞赛文件", en="choose a competition file")])
            created = await run(
                create_competition,
                request.app.state.sessions,
                competition,
                rubrics,
                f"organiser:{principal_of(request).name}",
            )
        except InvalidInput as exc:
            return page(
                request,
                "admin/dashboard.html",
                422,
                competitions=await run(self._competitions, request),
                problems=exc.problems,
            )
        return Redirect(path=f"/admin/competitions/{created['key']}")

    def _overview(self, request: Request[Any, Any, Any], key: str) -> dict[str, Any]:
        with request.app.state.sessions() as db:
            competition = competition_by_key(db, key)
            cid = competition.id

            def count(model: Any) -> int:
                return int(
                    db.execute(select(func.count()).select_from(model).where(model.competition_id == cid)).scalar_one()
                )

            events = []
            for e in db.execute(select(Event).where(Event.competition_id == cid).order_by(Event.id)).scalars():
                rounds = db.execute(select(Round).where(Round.event_id == e.id).order_by(Round.id)).scalars().all()
                events.append(
                    {
                        "id": e.id,
                        "key": e.key,
                        "title_zh": e.title_zh,
                        "title_en": e.title_en,
                        "kind": e.kind,
                        "scope": e.scope,
                        "weight": e.weight,
                        "blind": e.blind,
                        "rounds": [{"id": r.id, "key": r.key} for r in rounds],
                    }
                )
            judges = list(
                db.execute(select(Judge.key).where(Judge.competition_id == cid).order_by(Judge.key)).scalars()
            )
            return {
                "competition": competition,
                "events": events,
                "judges": judges,
                "counts": {
                    "units": count(Unit),
                    "teams": count(Team),
                    "contestants": count(Contestant),
                    "judges": len(judges),
                },
            }

    @get("/competitions/{key:str}")
    async def competition(self, request: Request[Any, Any, Any], key: PathKey) -> Template:
        return page(request, "admin/competition.html", **await run(self._overview, request, key))

    @post("/competitions/{key:str}/roster")
    async def roster_check(self, request: Request[Any, Any, Any], key: PathKey) -> Template:
        form = await request.form()
        upload = _upload(form.get("roster"))
        try:
            if upload is None:
                raise InvalidInput([Problem(zh="请选择名单文件", en="choose a roster file")])
            _, plan = await run(plan_roster, request.app.state.sessions, key, upload)
        except InvalidInput as exc:
            return page(
                request, "admin/competition.html", 422, problems=exc.problems, **await run(self._overview, request, key)
            )
        token = ""
        if not plan.problems:
            token = secrets.token_hex(16)
            folder = Path(request.app.state.uploads)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{token}{Path(upload.filename).suffix.lower()}").write_bytes(upload.content)
        by_row: dict[int, list[Problem]] = {}
        for p in plan.problems:
            by_row.setdefault(p.row or 0, []).append(p)
        return page(
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
    async def roster_confirm(self, request: Request[Any, Any, Any], key: PathKey) -> Template | Redirect:
        form = await request.form()
        token = str(form.get("token", ""))
        folder = Path(request.app.state.uploads)
        found = [p for p in folder.glob(f"{token}.*")] if len(token) == 32 and token.isalnum() else []
        if not found:
            return page(
                request,
                "admin/competition.html",
                422,
                problems=[
                    Problem(zh="预览已过期，请重新上传名单", en="the preview has expired; upload the roster again")
                ],
                **await run(self._overview, request, key),
            )
        upload = Upload(f"roster{found[0].suffix}", found[0].read_bytes())
        try:
            competition_id, plan = await run(plan_roster, request.app.state.sessions, key, upload)
            added = await run(
                import_roster,
                request.app.state.sessions,
                competition_id,
                plan,
                f"organiser:{principal_of(request).name}",
            )
        except InvalidInput as exc:
            return page(
                request, "admin/competition.html", 422, problems=exc.problems, **await run(self._overview, request, key)
            )
        finally:
            found[0].unlink(missing_ok=True)
        t = translator(language_of(request.query_params.get("lang"), request.cookies.get("lang")))
        return page(
            request,
            "admin/competition.html",
            notice=f"{t('imported')}: {added}",
            **await run(self._overview, request, key),
        )

    def _round(self, request: Request[Any, Any, Any], round_id: int) -> dict[str, Any]:
        with request.app.state.sessions() as db:
            context = round_context(db, round_id)
            competition = db.get(Competition, context.event.competition_id)
            assert competition is not None
            judges = (
                db.execute(select(Judge).where(Judge.competition_id == competition.id).order_by(Judge.key))
                .scalars()
                .all()
            )
            seats = db.execute(
                select(Judge.key, PanelSeat.chief)
                .join(Judge, Judge.id == PanelSeat.judge_id)
                .where(PanelSeat.round_id == round_id)
            ).all()
            draws = [
                draw_summary(d)
                for d in db.execute(select(Draw).where(Draw.round_id == round_id).order_by(Draw.id.desc())).scalars()
            ]
            codes = sorted(codes_of(db, round_id).items())
            return {
                "round": context.round,
                "event": context.event,
                "competition_key": competition.key,
                "judges": [{"key": j.key, "name": j.name} for j in judges],
                "seated": {s[0] for s in seats},
                "chief": next((s[0] for s in seats if s[1]), None),
                "draws": draws,
                "codes": codes,
                "publication": context.round.publication,
                "next_states": sorted(s.value for s in NEXT[Publication(context.round.publication)]),
            }

    @get("/rounds/{round_id:int}")
    async def round_page(self, request: Request[Any, Any, Any], round_id: RowId) -> Template:
        return page(request, "admin/round.html", **await run(self._round, request, round_id))

    @post("/rounds/{round_id:int}/panel")
    async def round_panel(self, request: Request[Any, Any, Any], round_id: RowId) -> Template | Redirect:
        form = await request.form()
        judges = [str(v) for v in form.getall("judges")] if "judges" in form else []
        chief = str(form.get("chief")) if form.get("chief") else None
        actor = f"organiser:{principal_of(request).name}"
        return await self._on_round(
            request, round_id, partial(set_panel, request.app.state.sessions, round_id, judges, chief, actor)
        )

    @post("/rounds/{round_id:int}/draws")
    async def round_draw(self, request: Request[Any, Any, Any], round_id: RowId) -> Template | Redirect:
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
        if purpose not in ("order", "stations", "checkin", "codes"):
            problems.append(Problem(zh="请选择抽签用途", en="choose what the draw is for", path="purpose"))
        if not drawn_by:
            problems.append(Problem(zh="请填写抽签人", en="give the name of the official who draws", path="drawn_by"))
        if not prefix.isascii() or not (prefix.isalpha() or prefix == "") or len(prefix) > 8:
            problems.append(Problem(zh="编码前缀只能是字母", en="the code prefix may hold letters only", path="prefix"))
        actor = f"organiser:{principal_of(request).name}"

        def draw() -> None:
            if problems:
                raise InvalidInput(problems)
            make_draw(request.app.state.sessions, round_id, purpose, drawn_by, seed, stations, prefix, actor)

        return await self._on_round(request, round_id, draw)

    @post("/competitions/{key:str}/access-sheet")
    async def access_sheet(self, request: Request[Any, Any, Any], key: PathKey) -> Template:
        def judges_of() -> tuple[str, list[int]]:
            with request.app.state.sessions() as db:
                competition = competition_by_key(db, key)
                ids = list(
                    db.execute(
                        select(Judge.id).where(Judge.competition_id == competition.id).order_by(Judge.key)
                    ).scalars()
                )
                return f"{competition.name_zh} / {competition.name_en}", ids

        name, ids = await run(judges_of)
        access = await run(
            renew_access,
            request.app.state.sessions,
            request.app.state.secret,
            ids,
            f"organiser:{principal_of(request).name}",
        )
        base = str(request.base_url).rstrip("/")
        for a in access:
            a["qr"] = segno.make(base + a["link"], error="m").svg_inline(scale=4, dark="#1d2433")
        return page(
            request,
            "admin/access_sheet.html",
            key=key,
            access=access,
            competition_name=name,
            both_title=both("access_title"),
            scan=both("scan"),
        )

    @get("/events/{event_id:int}/rubric")
    async def rubric_preview(self, request: Request[Any, Any, Any], event_id: RowId) -> Template:
        def load() -> tuple[Any, Any]:
            with request.app.state.sessions() as db:
                _, version, rules = event_rules(db, event_id)
                return version.version, rules

        version, rules = await run(load)
        if not isinstance(rules, Rubric):
            raise AccessRefused(409, "该赛项不用评分表", "this event is not marked on score sheets")
        return page(request, "admin/rubric.html", form=rubric_form(rules), version=version, event_id=event_id)

    def _people(self, request: Request[Any, Any, Any], key: str) -> dict[str, Any]:
        with request.app.state.sessions() as db:
            cid = competition_by_key(db, key).id
            teams = db.execute(select(Team).where(Team.competition_id == cid).order_by(Team.key)).scalars().all()
            units = db.execute(select(Unit).where(Unit.competition_id == cid).order_by(Unit.key)).scalars().all()
            members: dict[str, list[Contestant]] = {}
            for p in db.execute(
                select(Contestant).where(Contestant.competition_id == cid).order_by(Contestant.key)
            ).scalars():
                members.setdefault(p.team_key or "", []).append(p)
            return {"key": key, "teams": teams, "units": units, "members": members}

    @get("/competitions/{key:str}/people")
    async def people(self, request: Request[Any, Any, Any], key: PathKey) -> Template:
        return page(request, "admin/people.html", **await run(self._people, request, key))

    async def _edit(self, request: Request[Any, Any, Any], key: str, action: Any) -> Template | Redirect:
        try:
            await run(action)
        except InvalidInput as exc:
            return page(
                request, "admin/people.html", 422, problems=exc.problems, **await run(self._people, request, key)
            )
        return Redirect(path=f"/admin/competitions/{key}/people")

    def _competition_key_of(self, request: Request[Any, Any, Any], model: Any, row_id: int) -> str:
        with request.app.state.sessions() as db:
            row = db.get(model, row_id)
            if row is None:
                raise AccessRefused(404, "没有这条记录", f"no {model.__tablename__[:-1]} {row_id}")
            competition = db.get(Competition, row.competition_id)
            assert competition is not None
            return competition.key

    @post("/teams/{team_id:int}")
    async def save_team(self, request: Request[Any, Any, Any], team_id: RowId) -> Template | Redirect:
        form = await request.form()
        key = await run(self._competition_key_of, request, Team, team_id)
        return await self._edit(
            request,
            key,
            partial(
                edit_team,
                request.app.state.sessions,
                team_id,
                str(form.get("name_zh", "")),
                str(form.get("name_en", "")),
                str(form.get("unit", "")),
                f"organiser:{principal_of(request).name}",
            ),
        )

    @post("/units/{unit_id:int}")
    async def save_unit(self, request: Request[Any, Any, Any], unit_id: RowId) -> Template | Redirect:
        form = await request.form()
        key = await run(self._competition_key_of, request, Unit, unit_id)
        return await self._edit(
            request,
            key,
            partial(
                edit_unit,
                request.app.state.sessions,
                unit_id,
                str(form.get("name_zh", "")),
                str(form.get("name_en", "")),
                f"organiser:{principal_of(request).name}",
            ),
        )

    @post("/contestants/{contestant_id:int}")
    async def save_contestant(self, request: Request[Any, Any, Any], contestant_id: RowId) -> Template | Redirect:
        form = await request.form()
        key = await run(self._competition_key_of, request, Contestant, contestant_id)
        return await self._edit(
            request,
            key,
            partial(
                edit_contestant,
                request.app.state.sessions,
                contestant_id,
                str(form.get("name", "")),
                str(form.get("role", "")),
                str(form.get("team", "")) or None,
                f"organiser:{principal_of(request).name}",
            ),
        )

    def _event(self, request: Request[Any, Any, Any], event_id: int) -> dict[str, Any]:
        with request.app.state.sessions() as db:
            event = db.get(Event, event_id)
            if event is None:
                raise AccessRefused(404, "没有这个赛项", f"no event {event_id}")
            competition = db.get(Competition, event.competition_id)
            assert competition is not None
            rounds = db.execute(select(Round).where(Round.event_id == event_id).order_by(Round.id)).scalars().all()
            return {"event": event, "rounds": rounds, "competition_key": competition.key}

    @get("/events/{event_id:int}")
    async def event_page(self, request: Request[Any, Any, Any], event_id: RowId) -> Template:
        return page(request, "admin/event.html", **await run(self._event, request, event_id))

    @post("/events/{event_id:int}")
    async def save_event(self, request: Request[Any, Any, Any], event_id: RowId) -> Template | Redirect:
        form = await request.form()
        try:
            await run(
                edit_event,
                request.app.state.sessions,
                event_id,
                str(form.get("title_zh", "")),
                str(form.get("title_en", "")),
                str(form.get("weight", "")),
                f"organiser:{principal_of(request).name}",
            )
        except InvalidInput as exc:
            return page(
                request, "admin/event.html", 422, problems=exc.problems, **await run(self._event, request, event_id)
            )
        return Redirect(path=f"/admin/events/{event_id}")

    @post("/events/{event_id:int}/rounds")
    async def new_round(self, request: Request[Any, Any, Any], event_id: RowId) -> Template | Redirect:
        form = await request.form()
        try:
            await run(
                add_round,
                request.app.state.sessions,
                event_id,
                str(form.get("key", "")).strip(),
                f"organiser:{principal_of(request).name}",
            )
        except InvalidInput as exc:
            return page(
                request, "admin/event.html", 422, problems=exc.problems, **await run(self._event, request, event_id)
            )
        return Redirect(path=f"/admin/events/{event_id}")

    @post("/rounds/{round_id:int}/publication")
    async def round_publication(self, request: Request[Any, Any, Any], round_id: RowId) -> Template | Redirect:
        form = await request.form()
        actor = f"organiser:{principal_of(request).name}"
        return await self._on_round(
            request,
            round_id,
            partial(move_publication, request.app.state.sessions, round_id, str(form.get("state", "")), actor),
        )

    @post("/events/{event_id:int}/rubric")
    async def upload_rubric(self, request: Request[Any, Any, Any], event_id: RowId) -> Template | Redirect:
        form = await request.form()
        upload = _upload(form.get("rubric"))

        def replace() -> None:
            if upload is None:
                raise InvalidInput([Problem(zh="请选择评分细则文件", en="choose a rubric file")])
            replace_rubric_version(
                request.app.state.sessions, event_id, upload, f"organiser:{principal_of(request).name}"
            )

        try:
            await run(replace)
        except (InvalidInput, AccessRefused) as exc:
            version, rules = await run(self._rubric, request, event_id)
            problems = exc.problems if isinstance(exc, InvalidInput) else [Problem(zh=exc.zh, en=exc.en)]
            return page(
                request,
                "admin/rubric.html",
                422 if isinstance(exc, InvalidInput) else exc.status,
                problems=problems,
                form=rubric_form(rules),
                version=version,
                event_id=event_id,
            )
        return Redirect(path=f"/admin/events/{event_id}/rubric")

    def _rubric(self, request: Request[Any, Any, Any], event_id: int) -> tuple[int, Any]:
        with request.app.state.sessions() as db:
            _, version, rules = event_rules(db, event_id)
            return version.version, rules
