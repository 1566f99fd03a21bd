"""The public call for entries (/calls/{key}): the call's title, notes, deadline (Beijing
time), categories, limits and how review works, in the reader's language and readable on a
phone; and, once the organiser publishes it, the shortlist (works' titles and units, in rank
order). Nothing unpublished: an unpublished call is a 404 page, an unpublished shortlist is
not shown, and no author, score or expert is ever on this page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from public.works_text import page_text
from scoring.refusals import NotFound
from scoring.store.models import Competition, Unit
from scoring.store.shortlists import latest_shortlist
from scoring.store.works import work_states
from scoring.store.works_models import WorkCall, WorkShortlist
from web.auth import public_guard
from web.database import InjectedDatabase
from web.i18n import language_of
from web.pages import render_page
from web.params import PathKey

BEIJING = timezone(timedelta(hours=8))


def _when(moment: datetime, lang: str) -> str:
    d = moment.astimezone(BEIJING)
    return (
        f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}（北京时间）"
        if lang == "zh"
        else f"{d:%Y-%m-%d %H:%M} (Beijing time)"
    )


def _published_shortlist(db: Session, call_id: int) -> WorkShortlist | None:
    """The newest published shortlist (a newer unpublished one does not hide it)."""
    latest = latest_shortlist(db, call_id)
    if latest is None or latest.published:
        return latest
    return db.execute(
        select(WorkShortlist)
        .where(WorkShortlist.call_id == call_id, WorkShortlist.published.is_(True))
        .order_by(WorkShortlist.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def call_page(db: Session, key: str, lang: str) -> dict[str, Any]:
    competition = db.execute(select(Competition).where(Competition.key == key)).scalar_one_or_none()
    call = (
        db.execute(select(WorkCall).where(WorkCall.competition_id == competition.id)).scalar_one_or_none()
        if competition
        else None
    )
    if competition is None or call is None or not call.published:
        raise NotFound("没有公开的作品征集", "no public call for entries")
    shown: dict[str, Any] = {
        "competition": competition.name_zh if lang == "zh" else competition.name_en,
        "title": call.title_zh if lang == "zh" else call.title_en,
        "notes": call.notes_zh if lang == "zh" else call.notes_en,
        "deadline": _when(call.deadline, lang),
        "open": datetime.now(UTC) < call.deadline,
        "categories": [c[lang] for c in call.categories],
        "limit_mb": call.attachment_max_bytes // (1024 * 1024),
        "attachments_max": call.attachments_max,
        "reviews": call.reviews_per_work,
        "blind": call.blind,
        "shortlist": [],
    }
    published = _published_shortlist(db, call.id)
    if published is not None:
        units = {
            u.key: (u.name_zh if lang == "zh" else u.name_en)
            for u in db.execute(select(Unit).where(Unit.competition_id == competition.id)).scalars()
        }
        states = {s.work.key: s for s in work_states(db, call.id)}
        shown["shortlist"] = [
            {"key": k, "title": states[k].version.title, "unit": units.get(states[k].work.unit_key, "")}
            for k in published.entries
            if k in states
        ]
    return shown


class PublicCallPages(Controller):
    guards = [public_guard]  # noqa: RUF012

    @get("/calls/{key:str}")
    async def page(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        shown = await database.read_async(lambda db: call_page(db, key, lang))
        return render_page(request, "public/call.html", t=page_text(lang), **shown)
