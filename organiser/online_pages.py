"""The organiser's online drills page (/admin/competitions/{key}/online): the question bank and its
import, the papers and a form for a new one, each unit's participation, and per preliminary its
leaderboard, item analysis, finalists by rule and publication; the links units hand out as CSV.
Forms act, then redirect, or show the page again with every problem (web/pages.py)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from organiser.competition_pages import organiser_name, uploaded
from organiser.competition_setup import competition_by_key
from organiser.online_api import board, overview
from organiser.online_setup import access_links, choose_finalists, make_paper, publish, upload_bank
from organiser.online_text import page_text
from scoring.problems import InvalidInput, Problem
from scoring.store.online import bank_questions
from scoring.store.online_admin import latest_bank, paper_by_key
from scoring.store.online_finalists import selections_of
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.i18n import language_of
from web.pages import act_then_redirect, public_base, render_page
from web.params import PathKey

TEMPLATE = "admin/online.html"
SHOWN = 30  # leaderboard rows on the page (the API gives them all)


def online_page_data(db: Session, key: str) -> dict[str, Any]:
    competition = competition_by_key(db, key)
    bank = latest_bank(db, competition.id)
    summary = None
    if bank is not None:
        questions = bank_questions(db, bank.id)
        summary = {
            "version": bank.version,
            "count": len(questions),
            "source": bank.source,
            "topics": sorted(Counter(q.topic for q in questions).items()),
            "difficulties": Counter(q.difficulty for q in questions),
        }
    data = overview(db, key)
    preliminaries = []
    for paper in data["papers"]:
        if paper["kind"] != "preliminary":
            continue
        made = board(db, key, paper["key"])
        stored = paper_by_key(db, competition.id, paper["key"])
        preliminaries.append(
            paper
            | {
                "board": made["rows"][:SHOWN],
                "sat": len(made["rows"]),
                "max": made["max"],
                "items": made["items"],
                "selections": [
                    {
                        "rule": s.rule,
                        "value": str(s.value),
                        "target": s.target,
                        "count": len(s.finalists),
                        "by": s.created_by,
                    }
                    for s in selections_of(db, stored.id)
                ],
            }
        )
    return {
        "competition": {"key": competition.key, "zh": competition.name_zh, "en": competition.name_en},
        "bank": summary,
        "papers": data["papers"],
        "participation": data["participation"],
        "preliminaries": preliminaries,
        "shown": SHOWN,
    }


class OnlineAdminPages(Controller):
    path = "/admin/competitions/{key:str}/online"
    guards = [organiser_page_guard]  # noqa: RUF012
    include_in_schema = False

    def _data(self, request: Request[Any, Any, Any], key: str) -> Any:
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        return lambda db: online_page_data(db, key) | {"t": page_text(lang)}

    async def _act(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: str, act: Any
    ) -> Template | Redirect:
        return await act_then_redirect(
            request,
            database,
            act,
            redirect=f"/admin/competitions/{key}/online",
            template=TEMPLATE,
            page_data=self._data(request, key),
        )

    @get("/")
    async def page(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        return render_page(request, TEMPLATE, **await database.run(self._data(request, key)))

    @post("/bank")
    async def import_bank(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form = await request.form()
        upload, actor = uploaded(form.get("bank")), organiser_name(request)

        def act(db: Session) -> Any:
            if upload is None:
                raise InvalidInput([Problem("请选择题库文件", "choose the bank file", path="bank")])
            return upload_bank(db, key, upload, actor)

        return await self._act(request, database, key, act)

    @post("/papers")
    async def create_paper(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        form = dict((await request.form()).items())
        form["shuffle"] = "shuffle" in form
        actor = organiser_name(request)
        return await self._act(request, database, key, lambda db: make_paper(db, key, form, actor))

    @post("/papers/{paper:str}/finalists")
    async def finalists(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, paper: PathKey
    ) -> Template | Redirect:
        form = dict((await request.form()).items())
        actor = organiser_name(request)
        return await self._act(request, database, key, lambda db: choose_finalists(db, key, paper, form, actor))

    @post("/papers/{paper:str}/publish")
    async def publish(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, paper: PathKey
    ) -> Template | Redirect:
        actor = organiser_name(request)
        return await self._act(request, database, key, lambda db: publish(db, key, paper, actor))

    @get("/links.csv")
    async def links(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Response[bytes]:
        """Every contestant's link and every unit's, one a row (UTF-8 with BOM, for Excel)."""
        secret, base = request.app.state.secret, public_base(request)
        made = await database.read_async(lambda db: access_links(db, key, secret, base))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["kind", "key", "name", "unit", "link", "code"])
        for c in made["contestants"]:
            writer.writerow(["contestant", c["key"], c["name"], c["unit"], c["link"], c["code"]])
        for u in made["units"]:
            writer.writerow(["unit", u["key"], u["name"]["zh"], u["key"], u["link"], ""])
        return Response(
            ("\ufeff" + out.getvalue()).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{key}-online-links.csv"'},
        )
