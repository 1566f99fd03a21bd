"""The public results pages: a competition's current results at /results/{key} (the notice
under appeal, or the final results), each final version at /results/{key}/v/{n}, and their
stylesheet. What they show is only what a publication froze in its snapshot (public/published.py
says which act is shown); nothing is computed here.

A reader always gets a page, never JSON: a competition that does not exist, or has published
nothing, or a version that was never final, is the same 404 page in the reader's language.
Apps read the same snapshot as JSON from /api/public/competitions/{key}/results (public/api.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import PathParameter
from litestar.response import Template
from sqlalchemy.orm import Session

from public.published import FINAL, NOTICE, Act, PublicView, competition_view, snapshot_of
from public.results_text import local_time, localise, page_text, place_label
from scoring.store.models import Competition
from web.auth import public_guard
from web.database import InjectedDatabase
from web.i18n import language_of
from web.pages import render_page

# unbounded text, checked by the handler: whatever a reader types in the address bar is a page
PageText = Annotated[str, PathParameter()]
STYLESHEET = (Path(__file__).resolve().parent / "assets" / "results.css").read_text(encoding="utf-8")


def _lang(request: Request[Any, Any, Any]) -> str:
    return language_of(request.query_params.get("lang"), request.cookies.get("lang"))


def not_published(request: Request[Any, Any, Any]) -> Template:
    """The one answer for whatever is not public: 404, as a page in the reader's language."""
    return render_page(request, "public/not_published.html", status=404, t=page_text(_lang(request)))


def _page(request: Request[Any, Any, Any], context: dict[str, Any] | None, lang: str) -> Template:
    """A results page, or the 404 page when there is nothing public to show. Rendered after the
    read is over: rendering reads who is signed in, in a read of its own."""
    if context is None:
        return not_published(request)
    return render_page(request, "public/results.html", t=page_text(lang), **context)


def _versions(key: str, view: PublicView, shown: Act | None, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "version": act.version,
            "url": f"/results/{key}/v/{act.version}",
            "at": local_time(act.created_at, lang),
            "shown": shown is not None and act.id == shown.id,
            "current": view.shown is not None and act.id == view.shown.id,
        }
        for act in view.finals
    ]


def results_context(
    db: Session, competition: Competition, view: PublicView, act: Act | None, lang: str, *, current: bool
) -> dict[str, Any]:
    """What a results page shows of `act` (None: only that the notice was withdrawn)."""
    snapshot = snapshot_of(db, act) if act is not None else {}
    latest_final = view.finals[-1] if view.finals else None
    deadline = act.deadline if act is not None and act.kind == NOTICE else None
    published = snapshot.get("published_at") or (act.created_at if act is not None else None)
    audit = snapshot.get("audit") or {}
    return {
        "key": competition.key,
        "competition_name": competition.name_zh if lang == "zh" else competition.name_en,
        "current": current,
        "act": act,
        "is_notice": act is not None and act.kind == NOTICE,
        "is_final": act is not None and act.kind == FINAL,
        "withdrawn": current and view.withdrawn is not None,
        "superseded_by": latest_final.version
        if act is not None and act.kind == FINAL and latest_final is not None and latest_final.id != act.id
        else None,
        "deadline": local_time(deadline, lang),
        "deadline_passed": deadline is not None and deadline <= datetime.now(UTC),
        "published": local_time(published, lang),
        "audit_seq": audit.get("seq", ""),
        "audit_hash": str(audit.get("hash", "")),
        "snapshot": snapshot,
        "events": snapshot.get("events", []),
        "versions": _versions(competition.key, view, act, lang),
        "loc": lambda names: localise(names, lang),
        "place": place_label,
    }


class PublicResultsPages(Controller):
    guards = [public_guard]  # noqa: RUF012
    include_in_schema = False  # pages, not part of the JSON API

    @get("/results/{key:str}", sync_to_thread=True)
    def current(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PageText) -> Template:
        """The competition's results as the public sees them now: a notice, the latest final,
        or word that the notice was withdrawn (with the final before it, if any)."""
        lang = _lang(request)
        with database.read() as db:
            found = competition_view(db, key)
            context = results_context(db, *found, found[1].shown, lang, current=True) if found else None
        return _page(request, context, lang)

    @get("/results/{key:str}/v/{version:str}", sync_to_thread=True)
    def version(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PageText, version: PageText
    ) -> Template:
        """One final version, readable for good after later versions replace it, with what
        changed in it. (The version is read as text so that a wrong one is a page, not JSON.)"""
        lang = _lang(request)
        with database.read() as db:
            found = competition_view(db, key)
            act = found[1].final(int(version)) if found is not None and version.isdigit() else None
            context = results_context(db, *found, act, lang, current=False) if found and act else None
        return _page(request, context, lang)

    @get("/public/results.css", sync_to_thread=False)
    def stylesheet(self) -> Response[str]:
        return Response(STYLESHEET, media_type="text/css")
