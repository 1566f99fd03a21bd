"""A unit's submission pages through its signed link: /works/unit/{token} shows the call, the
unit's works with their status (a refusal with its reason) and the form for a new work;
/works/unit/{token}/w/{key} revises one of them until the deadline; the unit's own files are
served at /works/unit/{token}/files/{sha256}. The token names the competition and unit, signed
for the purpose "unit" (web/security.py); a forged token, or a contestant's, is refused as if
no such link existed. The form's rules are scoring/works_form.py; storing, scoring/store/works.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import PathParameter
from litestar.response import File, Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.refusals import NotFound
from scoring.store.models import Competition, Unit
from scoring.store.works import attachments_ever, call_of, file_row, submit_work, work_state, work_states
from scoring.store.works_models import WorkCall
from scoring.works_form import Submission, Upload, video_links_of
from web.auth import public_guard
from web.database import InjectedDatabase
from web.i18n import language_of
from web.pages import act_then_redirect, render_page
from web.security import read_holder_token
from works.text import beijing_time, megabytes, page_text

Token = Annotated[str, PathParameter(min_length=1, max_length=200)]
Key = Annotated[str, PathParameter(min_length=1, max_length=64)]
Sha = Annotated[str, PathParameter(pattern=r"^[0-9a-f]{64}$")]
#: the body of one submission: five files of 10 MB and the form, with room to spare
BODY_MAX = 56 * 1024 * 1024
READ_MAX = 50 * 1024 * 1024  # the most of one file read; the call's own limit is checked after


def files_dir(request: Request[Any, Any, Any]) -> Path:
    return Path(str(request.app.state.uploads)) / "works"


def unit_of(db: Session, secret: bytes, token: str) -> tuple[Competition, Unit, WorkCall]:
    """The competition, unit and call behind a genuine unit link, else NotFound."""
    read = read_holder_token(secret, "unit", token)
    if read is not None:
        competition = db.get(Competition, read[0])
        unit = db.execute(select(Unit).where(Unit.competition_id == read[0], Unit.key == read[1])).scalar_one_or_none()
        if competition is not None and unit is not None:
            return competition, unit, call_of(db, competition.id)
    raise NotFound("没有这个单位链接", "no such unit link")


def call_view(call: WorkCall, lang: str) -> dict[str, Any]:
    """What a page shows of the call (its limits in words, the deadline in Beijing time)."""
    return {
        "title": call.title_zh if lang == "zh" else call.title_en,
        "notes": call.notes_zh if lang == "zh" else call.notes_en,
        "deadline": beijing_time(call.deadline, lang),
        "open": datetime.now(UTC) < call.deadline,
        "categories": [(c["key"], c[lang]) for c in call.categories],
        "category_names": {c["key"]: c[lang] for c in call.categories},
        "limit_mb": megabytes(call.attachment_max_bytes),
        "attachments_max": call.attachments_max,
    }


def _page(db: Session, secret: bytes, token: str, lang: str, key: str | None = None) -> dict[str, Any]:
    competition, unit, call = unit_of(db, secret, token)
    works = [
        {
            "key": s.work.key,
            "title": s.version.title,
            "category": s.version.category,
            "version": s.version.version,
            "status": s.status,
            "reason": s.decision.reason if s.status == "refused" and s.decision else "",
        }
        for s in work_states(db, call.id, unit.key)
    ]
    editing = None
    if key is not None:
        state = work_state(db, call.id, key)
        if state.work.unit_key != unit.key:
            raise NotFound(f"没有作品“{key}”", f"no work '{key}'")
        editing = state.version
    return {
        "competition": competition.name_zh if lang == "zh" else competition.name_en,
        "unit": unit.name_zh if lang == "zh" else unit.name_en,
        "call": call_view(call, lang),
        "works": works,
        "editing": editing,
        "editing_key": key,
        "client_id": uuid.uuid4().hex,  # one per rendered form: sending it twice makes one version
        "token": token,
        "t": page_text(lang),
    }


def _all(form: Any, name: str) -> list[Any]:
    """Every value of a repeated form field (none when it is absent)."""
    return list(form.getall(name)) if name in form else []


def _uploads(form: Any) -> tuple[Upload, ...]:
    found = []
    for value in _all(form, "attachments"):
        if isinstance(value, UploadFile) and value.filename:
            found.append(Upload(value.filename[:255], value.file.read(READ_MAX + 1)))
    return tuple(found)


def _submit(secret: bytes, token: str, form: Any, folder: Path, key: str | None) -> Any:
    def use_case(db: Session) -> str:
        _, unit, call = unit_of(db, secret, token)
        submission = Submission(
            title=str(form.get("title", ""))[:1000],
            authors=str(form.get("authors", ""))[:2000],
            category=str(form.get("category", ""))[:64],
            abstract=str(form.get("abstract", ""))[:20000],
            video_links=video_links_of(str(form.get("video_links", ""))[:5000]),
            uploads=_uploads(form),
        )
        keep = tuple(str(v)[:64] for v in _all(form, "keep"))
        state = submit_work(
            db,
            call,
            unit.key,
            submission,
            folder,
            client_id=str(form.get("client_id", ""))[:64] or f"page-{datetime.now(UTC).timestamp()}",
            actor=f"unit:{unit.key}",
            now=datetime.now(UTC),
            work_key=key,
            keep=keep,
        )
        return state.work.key

    return use_case


def _lang(request: Request[Any, Any, Any]) -> str:
    return language_of(request.query_params.get("lang"), request.cookies.get("lang"))


class UnitWorkPages(Controller):
    path = "/works/unit"
    guards = [public_guard]  # noqa: RUF012  (the signed link is the unit's authority)
    tags = ["works"]  # noqa: RUF012

    @get("/{token:str}")
    async def page(self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token) -> Template:
        secret, lang = request.app.state.secret, _lang(request)
        shown = await database.read_async(lambda db: _page(db, secret, token, lang))
        return render_page(request, "works/unit.html", sent=request.query_params.get("sent") == "1", **shown)

    @post("/{token:str}", request_max_body_size=BODY_MAX)
    async def submit(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token
    ) -> Template | Redirect:
        secret, lang = request.app.state.secret, _lang(request)
        form = await request.form()
        return await act_then_redirect(
            request,
            database,
            _submit(secret, token, form, files_dir(request), None),
            redirect=f"/works/unit/{token}?sent=1",
            template="works/unit.html",
            page_data=lambda db: _page(db, secret, token, lang) | {"sent": False, "form": form},
        )

    @get("/{token:str}/w/{key:str}")
    async def revision(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token, key: Key
    ) -> Template:
        secret, lang = request.app.state.secret, _lang(request)
        shown = await database.read_async(lambda db: _page(db, secret, token, lang, key))
        return render_page(request, "works/unit.html", sent=False, **shown)

    @post("/{token:str}/w/{key:str}", request_max_body_size=BODY_MAX)
    async def revise(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token, key: Key
    ) -> Template | Redirect:
        secret, lang = request.app.state.secret, _lang(request)
        form = await request.form()
        return await act_then_redirect(
            request,
            database,
            _submit(secret, token, form, files_dir(request), key),
            redirect=f"/works/unit/{token}?sent=1",
            template="works/unit.html",
            page_data=lambda db: _page(db, secret, token, lang, key) | {"sent": False},
        )

    @get("/{token:str}/files/{sha:str}")
    async def file(self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token, sha: Sha) -> File:
        """One of the unit's own files (of any version of its works)."""
        secret = request.app.state.secret

        def load(db: Session) -> tuple[str, str]:
            _, unit, call = unit_of(db, secret, token)
            for state in work_states(db, call.id, unit.key):
                for attachment in attachments_ever(db, state.work.id):
                    if attachment["sha256"] == sha:
                        return file_row(db, call.id, sha).content_type, attachment["name"]
            raise NotFound("没有这个附件", "no such attachment")

        content_type, name = await database.read_async(load)
        return File(
            path=files_dir(request) / sha, media_type=content_type, filename=name, content_disposition_type="inline"
        )
