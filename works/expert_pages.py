"""The experts' review pages away from the venue: /review lists the works assigned to the
signed-in expert (a judge), each with its materials (abstract, attachments, video links) and a
link to its score sheet on the judges' tablet pages (offline outbox, versions, audit: the sheet
is the judges' own, /judge/rounds/{round}/{label}); /api/review/works gives the same as JSON;
/review/files/{call}/{sha256} serves a file of a work assigned to the expert, nothing else.

Blind review is enforced here, on the server: when the call is blind, what an expert's page or
JSON carries is built from the work's title, category, abstract, links and files only; the
authors and the unit are never read into it. What an expert may mark is judges/assignments.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import PathParameter
from litestar.response import File, Template
from sqlalchemy.orm import Session

from scoring.refusals import NotFound
from scoring.store.rounds import entry_labels, round_context
from scoring.store.sheets import current_version
from scoring.store.works import WorkState, file_row, reviewed_by
from scoring.store.works_models import WorkCall
from web.auth import judge_guard, judge_page_guard, principal_of
from web.database import InjectedDatabase
from web.i18n import language_of
from web.pages import render_page
from web.params import RowId
from works.text import page_text

Sha = Annotated[str, PathParameter(pattern=r"^[0-9a-f]{64}$")]


def expert_view(call: WorkCall, state: WorkState, label: str, sheet: str, lang: str) -> dict[str, Any]:
    """What an expert sees of one work. Authors and unit only when the call is not blind."""
    version = state.version
    category = {c["key"]: c[lang] for c in call.categories}.get(version.category, version.category)
    shown: dict[str, Any] = {
        "key": state.work.key,
        "call": call.id,
        "round": call.round_id,
        "label": label,
        "title": version.title,
        "category": category,
        "abstract": version.abstract,
        "video_links": list(version.video_links),
        "attachments": [
            {"name": a["name"], "type": a["type"], "size": a["size"], "url": f"/review/files/{call.id}/{a['sha256']}"}
            for a in version.attachments
        ],
        "sheet": sheet,
        "sheet_url": f"/judge/rounds/{call.round_id}/{label}",
        "blind": call.blind,
    }
    if not call.blind:
        shown["authors"] = version.authors
        shown["unit"] = state.work.unit_key
    return shown


def my_reviews(db: Session, judge_id: int, lang: str) -> list[dict[str, Any]]:
    found = []
    labels: dict[int, dict[str, str]] = {}
    for call, state in reviewed_by(db, judge_id):
        if call.round_id not in labels:
            labels[call.round_id] = entry_labels(db, round_context(db, call.round_id))
        label = labels[call.round_id].get(state.work.key)
        if label is None:  # a blind round before its codes are drawn: nothing to mark yet
            continue
        sheet = current_version(db, call.round_id, state.work.key, judge_id)
        found.append(expert_view(call, state, label, sheet.state.value if sheet else "new", lang))
    return found


def _lang(request: Request[Any, Any, Any]) -> str:
    return language_of(request.query_params.get("lang"), request.cookies.get("lang"))


class ExpertReviewPages(Controller):
    guards = [judge_page_guard]  # noqa: RUF012
    tags = ["works"]  # noqa: RUF012

    @get("/review")
    async def page(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template:
        who, lang = principal_of(request), _lang(request)
        works = await database.read_async(lambda db: my_reviews(db, who.judge_id or 0, lang))
        return render_page(request, "works/review.html", works=works, judge=who.name, t=page_text(lang))

    @get("/review/files/{call_id:int}/{sha:str}")
    async def file(self, request: Request[Any, Any, Any], database: InjectedDatabase, call_id: RowId, sha: Sha) -> File:
        """A file of the latest version of a work assigned to this expert; else 404."""
        who = principal_of(request)

        def load(db: Session) -> str:
            for call, state in reviewed_by(db, who.judge_id or 0):
                if call.id == call_id and any(a["sha256"] == sha for a in state.version.attachments):
                    return file_row(db, call.id, sha).content_type
            raise NotFound("没有这个附件", "no such attachment")

        content_type = await database.read_async(load)
        folder = Path(str(request.app.state.uploads)) / "works"
        return File(path=folder / sha, media_type=content_type, content_disposition_type="inline")


class ExpertReviewApi(Controller):
    path = "/api/review"
    guards = [judge_guard]  # noqa: RUF012
    tags = ["works"]  # noqa: RUF012

    @get("/works")
    async def works(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> list[dict[str, Any]]:
        """The works assigned to the signed-in expert (blind calls: no authors, no unit)."""
        who, lang = principal_of(request), _lang(request)
        return await database.read_async(lambda db: my_reviews(db, who.judge_id or 0, lang))
