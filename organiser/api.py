"""Organiser routes (/api/admin): competitions, judges' access, panels. Thin handlers over
scoring/store; every change is audited there or here."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery, JSONBody
from sqlalchemy import func, select

from organiser.competition_setup import (
    Upload,
    competition_by_key,
    create_competition,
    create_from_template,
    template_identity,
)
from organiser.corrections import (
    event_rules,
    replace_rubric_version,
)
from organiser.judge_access import add_judge, pin_hashes_ahead, renew_access, revoke_all
from organiser.official_uploads import upload_official_values
from organiser.roster_import import import_roster, plan_roster, roster_preview
from organiser.round_setup import make_draw, panel_of, set_panel
from scoring.problems import InvalidInput, Problem
from scoring.rubrics.form import rubric_form
from scoring.rubrics.model import Rubric
from scoring.store.draws import draw_summary
from scoring.store.models import Competition, Draw, Team
from scoring.store.rounds import round_context
from scoring.store.users import create_user, new_password
from web.auth import organiser_guard, principal_of
from web.database import InjectedDatabase
from web.params import PathKey, RowId
from web.results_feed import results_changed

Key = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class DrawBody(msgspec.Struct, forbid_unknown_fields=True):
    """A draw for a round. Without a seed one is made at random and recorded; with one, the
    draw is replayed exactly. `drawn_by` is the official who drew."""

    purpose: Literal["order", "stations", "checkin", "codes"]
    drawn_by: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    seed: Annotated[int, msgspec.Meta(ge=0, le=2**62)] | None = None
    stations: Annotated[int, msgspec.Meta(ge=1, le=500)] | None = None
    prefix: Annotated[str, msgspec.Meta(max_length=8, pattern=r"^[A-Za-z]*$")] = ""
    replaces: Annotated[int, msgspec.Meta(ge=1)] | None = None  # a redraw names the draw in force it replaces
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""  # needed once judges may have seen that draw


class TemplateBody(msgspec.Struct, forbid_unknown_fields=True):
    """A template (an example competition's folder name) stored under a key and title of its own
    (left out: the template's own key and title, for scripts that set up a known example)."""

    template: Key
    key: Annotated[str, msgspec.Meta(max_length=64)] = ""
    name_zh: Annotated[str, msgspec.Meta(max_length=255)] = ""
    name_en: Annotated[str, msgspec.Meta(max_length=255)] = ""


class ReissueBody(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class RevokeBody(msgspec.Struct, forbid_unknown_fields=True):
    """Revoke every judge's card: `confirm` repeats the competition's key; the reason is recorded."""

    confirm: Annotated[str, msgspec.Meta(max_length=64)]
    reason: Annotated[str, msgspec.Meta(max_length=500)]


class JudgeBody(msgspec.Struct, forbid_unknown_fields=True):
    key: Key
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class QuizMasterBody(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, msgspec.Meta(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


Text = Annotated[str, msgspec.Meta(max_length=255)]


class PanelBody(msgspec.Struct, forbid_unknown_fields=True):
    judges: Annotated[list[Key], msgspec.Meta(max_length=100)]
    chief: Key | None = None


class AdminController(Controller):
    path = "/api/admin"
    guards = [organiser_guard]  # noqa: RUF012
    tags = ["organiser"]  # noqa: RUF012

    @post("/competitions", sync_to_thread=True, status_code=201)
    def create_competition(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        """Create a competition from its file (field `competition`) and its rubric files (any other fields)."""
        who = principal_of(request)
        if "competition" not in data:
            raise InvalidInput(
                [Problem(zh="缺少竞赛文件（字段 competition）", en="the form needs a file in field 'competition'")]
            )
        files = {name: Upload(f.filename or name, f.file.read()) for name, f in data.items()}
        rubrics = [u for name, u in files.items() if name != "competition"]
        return database.do(create_competition, files["competition"], rubrics, f"organiser:{who.name}")

    @get("/competitions", sync_to_thread=True)
    def list_competitions(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> list[dict[str, Any]]:
        with database.read() as db:
            rows = db.execute(
                select(
                    Competition.id,
                    Competition.key,
                    Competition.name_zh,
                    Competition.name_en,
                    select(func.count(Team.id)).where(Team.competition_id == Competition.id).scalar_subquery(),
                ).order_by(Competition.id)
            ).all()
        return [{"id": r[0], "key": r[1], "name": {"zh": r[2], "en": r[3]}, "teams": r[4]} for r in rows]

    @post("/judges/{judge_id:int}/access", sync_to_thread=True, status_code=200)
    def renew_access(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        judge_id: RowId,
        data: JSONBody[ReissueBody | None] = None,
    ) -> dict[str, Any]:
        """Reissue a judge's card (a lost card): a new link and PIN; every earlier link, PIN and
        session of that judge stops working. The reason, when given, is recorded."""
        who, secret = principal_of(request), request.app.state.secret
        reason = data.reason.strip() if data else ""
        with database.read() as db:  # the slow PIN hashing, outside the write
            hashes = pin_hashes_ahead(db, secret, judge_ids=[judge_id], reissue=True)
        [access] = database.do(renew_access, secret, [judge_id], f"organiser:{who.name}", reason or "reissued", hashes)
        return {"judge": access["judge"], "pin": access["pin"], "link": access["link"]}

    @post("/competitions/{key:str}/access/revoke", sync_to_thread=True, status_code=200)
    def revoke_access(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, data: JSONBody[RevokeBody]
    ) -> dict[str, Any]:
        """Revoke every judge's card of the competition at once and issue new ones (print them
        again). Refused unless `confirm` is the competition's key and a reason is given."""
        who, secret = principal_of(request), request.app.state.secret
        with database.read() as db:  # the slow PIN hashing, outside the write
            hashes = pin_hashes_ahead(db, secret, competition_key=key, reissue=True)
        revoked = database.do(revoke_all, secret, key, data.confirm, data.reason, f"organiser:{who.name}", hashes)
        return {"revoked": revoked}

    @get("/rounds/{round_id:int}/panel", sync_to_thread=True)
    def get_panel(self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId) -> dict[str, Any]:
        with database.read() as db:
            round_context(db, round_id)
            return panel_of(db, round_id)

    @put("/rounds/{round_id:int}/panel", sync_to_thread=True)
    def set_panel(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId, data: JSONBody[PanelBody]
    ) -> dict[str, Any]:
        """Seat these judges on the round's panel (replacing the panel), with one as chief judge; a
        chief not among them is seated as referee: desk and console, no sheets."""
        who = principal_of(request)
        return database.do(set_panel, round_id, list(data.judges), data.chief, f"organiser:{who.name}")

    @post("/rounds/{round_id:int}/draws", sync_to_thread=True, status_code=201)
    def make_draw(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId, data: JSONBody[DrawBody]
    ) -> dict[str, Any]:
        """Draw the order, the stations, the check-in numbers or (stage two) the blind codes. A
        draw of a purpose drawn before replaces it: it must name the draw in force (`replaces`;
        409 otherwise) and, once the round's judges may have seen that one, give a reason."""
        who = principal_of(request)
        return database.do(
            make_draw,
            round_id,
            data.purpose,
            data.drawn_by,
            data.seed,
            data.stations,
            data.prefix,
            f"organiser:{who.name}",
            data.replaces,
            data.reason,
        )

    @get("/rounds/{round_id:int}/draws", sync_to_thread=True)
    def list_draws(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> list[dict[str, Any]]:
        """Every draw of the round with its seed, so that each can be replayed (organisers only)."""
        with database.read() as db:
            round_context(db, round_id)
            draws = db.execute(select(Draw).where(Draw.round_id == round_id).order_by(Draw.id)).scalars().all()
            return [draw_summary(d) for d in draws]

    @post("/competitions/{key:str}/roster", sync_to_thread=True, status_code=201)
    def import_roster(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: PathKey,
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
        dry_run: FromQuery[bool] = False,
    ) -> Response[dict[str, Any]]:
        """Import units, teams and contestants from a CSV or XLSX roster (field `roster`). Every row is
        checked; with any problem nothing is added (422 with the problems). With `dry_run=true` only
        the preview is returned."""
        who = principal_of(request)
        upload = data.get("roster")
        if upload is None:
            raise InvalidInput(
                [Problem(zh="缺少名单文件（字段 roster）", en="the form needs a file in field 'roster'")]
            )
        with database.transaction() as db:  # the roster is checked against the competition it is written to
            competition_id, plan = plan_roster(db, key, Upload(upload.filename or "roster.csv", upload.file.read()))
            if plan.problems:
                raise InvalidInput(plan.problems)
            if dry_run:
                return Response(roster_preview(plan) | {"imported": 0}, status_code=200)
            added = import_roster(db, competition_id, plan, actor=f"organiser:{who.name}")
        return Response(roster_preview(plan) | {"imported": added}, status_code=201)

    @get("/events/{event_id:int}/rubric", sync_to_thread=True)
    def preview_rubric(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, event_id: RowId
    ) -> dict[str, Any]:
        """The event's rubric as a judge's form will show it, with its version."""
        with database.read() as db:
            event, version, rules = event_rules(db, event_id)
        return {
            "event": event.key,
            "version": version.version,
            "form": rubric_form(rules) if isinstance(rules, Rubric) else None,
            "document": version.document,
        }

    @put("/events/{event_id:int}/rubric", sync_to_thread=True)
    def replace_rubric(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        event_id: RowId,
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        """Upload a new version of the event's rubric (field `rubric`). Refused once any sheet of the
        event exists: a rubric in use never changes under the marks made with it."""
        upload = data.get("rubric")
        if upload is None:
            raise InvalidInput(
                [Problem(zh="缺少评分细则文件（字段 rubric）", en="the form needs a file in field 'rubric'")]
            )
        return database.do(
            replace_rubric_version,
            event_id,
            Upload(upload.filename or "rubric.toml", upload.file.read()),
            f"organiser:{principal_of(request).name}",
        )

    @post("/rounds/{round_id:int}/official-values", sync_to_thread=True, status_code=201)
    def official_values(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        """Officials' values for a round (field `values`): a theory paper's answer sheets (wide: entry,
        q01, q02, ...) or the long form with no judge. Checked whole, row by row: with any problem
        nothing is stored (422 with the problems); the same file twice is stored once. Replacing
        values already uploaded needs a reason (field `reason`); each upload is numbered and audited."""
        upload, reason = data.get("values"), data.get("reason", "")
        if not isinstance(upload, UploadFile):
            raise InvalidInput([Problem(zh="缺少文件（字段 values）", en="the form needs a file in field 'values'")])
        stored = database.do(
            upload_official_values,
            round_id,
            Upload(upload.filename or "values.csv", upload.file.read()),
            f"organiser:{principal_of(request).name}",
            reason if isinstance(reason, str) else "",
        )
        results_changed(request.app, round_id, None)
        return stored

    @post("/competitions/from-template", sync_to_thread=True, status_code=201)
    def create_from_template(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, data: JSONBody[TemplateBody]
    ) -> dict[str, Any]:
        """Create a competition from one of the example competitions shipped with the project."""
        who = principal_of(request)
        key, name_zh, name_en = data.key, data.name_zh, data.name_en
        if not (key or name_zh or name_en):
            key, name_zh, name_en = template_identity(data.template)
        return database.do(create_from_template, data.template, key, name_zh, name_en, f"organiser:{who.name}")

    @post("/competitions/{key:str}/judges", sync_to_thread=True, status_code=201)
    def add_judge(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, data: JSONBody[JudgeBody]
    ) -> dict[str, str]:
        """Add a judge to the competition (then seat them on panels and print their access)."""
        who = principal_of(request)
        return database.do(add_judge, key, data.key, data.name, f"organiser:{who.name}")

    @post("/competitions/{key:str}/quiz-masters", sync_to_thread=True, status_code=201)
    def add_quiz_master(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, data: JSONBody[QuizMasterBody]
    ) -> dict[str, str]:
        """A quiz master account for this competition; the password is shown only in this answer."""
        who = principal_of(request)
        password = new_password()
        with database.transaction() as db:
            competition_id = competition_by_key(db, key).id
            create_user(db, data.username, password, "quiz_master", f"organiser:{who.name}", competition_id)
        return {"username": data.username, "password": password, "competition": key}
