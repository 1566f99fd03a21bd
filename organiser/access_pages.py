"""The judges' cards on the organiser's pages: printing every card (a judge who has no PIN yet
is issued one first; printing never revokes anything), reissuing one judge's card after a
confirmation (a lost card), and revoking every card of a competition, a separate action that
asks for the competition's key and a reason. Each change runs one use case of
organiser/judge_access.py in one transaction; the cards carry the public address
(SCORING_PUBLIC_URL, web/pages.py `public_base`)."""

from __future__ import annotations

from typing import Any

import segno
from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from organiser.competition_pages import organiser_name
from organiser.competition_setup import competition_by_key
from organiser.judge_access import access_cards, issue_missing_pins, pin_hashes_ahead, renew_access, revoke_all
from organiser.page_data import judge_of
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Refusal
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.pages import only_this_computer, problems_of, public_base, render_page
from web.params import PathKey, RowId


class AccessCardPages(Controller):
    path = "/admin"
    guards = [organiser_page_guard]  # noqa: RUF012

    @post("/competitions/{key:str}/access-cards")
    async def issue_cards(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Redirect:
        """PINs for judges who have none yet, then the cards to print."""
        secret, actor = request.app.state.secret, organiser_name(request)
        hashes = await database.read_async(
            lambda db: pin_hashes_ahead(db, secret, competition_key=key, reissue=False)
        )  # slow hashing outside the write
        await database.run(lambda db: issue_missing_pins(db, secret, key, actor, hashes))
        return Redirect(path=f"/admin/competitions/{key}/access-cards")

    @get("/competitions/{key:str}/access-cards")
    async def cards(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        """Every judge's card (or one judge's: ?judge=key) as it stands; reading it changes nothing."""
        secret, only = request.app.state.secret, request.query_params.get("judge")
        data = await database.run(lambda db: access_cards(db, secret, key))
        base = public_base(request)
        cards = [c for c in data["cards"] if only is None or c["judge"] == only]
        for card in cards:
            card["url"] = base + card["link"]
            card["qr"] = segno.make(card["url"], error="m").svg_inline(scale=4, dark="#1d2433")
        return render_page(
            request,
            "admin/access_cards.html",
            key=key,
            competition=data["competition"],
            cards=cards,
            base=base,
            unreachable=only_this_computer(base),
            configured=bool(request.app.state.get("public_url")),
        )

    @get("/judges/{judge_id:int}/reissue")
    async def reissue_form(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, judge_id: RowId
    ) -> Template:
        return render_page(request, "admin/reissue.html", **await database.run(judge_of, judge_id))

    @post("/judges/{judge_id:int}/reissue")
    async def reissue(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, judge_id: RowId
    ) -> Template | Redirect:
        """A new card for one judge once the organiser confirms that the old one stops working."""
        form = await request.form()
        confirmed, reason = form.get("confirm") == "yes", str(form.get("reason", "")).strip()[:500]
        secret, actor = request.app.state.secret, organiser_name(request)
        hashes = await database.read_async(lambda db: pin_hashes_ahead(db, secret, judge_ids=[judge_id], reissue=True))

        def reissue(db: Session) -> dict[str, Any]:
            if not confirmed:
                raise InvalidInput(
                    [
                        Problem(
                            zh="请勾选确认：旧的登录卡与该评委的登录将立即失效",
                            en="tick the confirmation: the old card and the judge's sessions stop working at once",
                            path="confirm",
                        )
                    ]
                )
            key = judge_of(db, judge_id)["competition_key"]
            renew_access(db, secret, [judge_id], actor, reason or "reissued", hashes)
            return {"key": key}

        try:
            done = await database.run(reissue)
        except Refusal as refused:
            data = await database.run(judge_of, judge_id)
            return render_page(request, "admin/reissue.html", refused.status, problems=problems_of(refused), **data)
        judge = (await database.run(judge_of, judge_id))["judge"]
        return Redirect(path=f"/admin/competitions/{done['key']}/access-cards?judge={judge.key}")

    async def _revoke_page(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: str, status: int = 200, **context: Any
    ) -> Template:
        competition = await database.run(competition_by_key, key)
        return render_page(request, "admin/revoke_access.html", status, key=key, competition=competition, **context)

    @get("/competitions/{key:str}/revoke-access")
    async def revoke_form(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        return await self._revoke_page(request, database, key)

    @post("/competitions/{key:str}/revoke-access")
    async def revoke(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        """Every judge's card revoked at once, new ones issued: asked for with the key and a reason."""
        form = await request.form()
        confirm, reason = str(form.get("confirm", "")), str(form.get("reason", ""))[:500]
        secret, actor = request.app.state.secret, organiser_name(request)
        try:
            hashes = await database.read_async(
                lambda db: pin_hashes_ahead(db, secret, competition_key=key, reissue=True)
            )  # slow hashing outside the write
            await database.run(lambda db: revoke_all(db, secret, key, confirm, reason, actor, hashes))
        except Refusal as refused:
            return await self._revoke_page(request, database, key, refused.status, problems=problems_of(refused))
        return Redirect(path=f"/admin/competitions/{key}/access-cards")
