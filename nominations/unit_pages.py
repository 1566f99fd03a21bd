"""A unit's nomination form through its signed link (/nominate/{token}): the call's conditions
and the unit's quota, what the unit has nominated, and the form (name, post, optionally both in
English, years of service,
front-line work, the story in Chinese and English, a photo). The token names the competition
and the unit, signed for the "unit" purpose (web/security.py); a forged token, or one signed
for another purpose, is refused as if no such link existed. The checks are the core's
(scoring/nomination_rules.py); a refused form is shown again with every problem, each field
named by its label, nothing kept. Once the unit's (or its region's) quota is used up the page
says so instead of offering the form.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import PathParameter
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.nomination_rules import PHOTO_MAX, NominationForm
from scoring.refusals import NotFound
from scoring.store.models import Competition, Unit
from scoring.store.nominations import call_of, nominate, nominations_of, photos_dir, rules_of
from web.auth import public_guard
from web.database import InjectedDatabase
from web.nomination_words import NOMINATION_CSS, UNIT_FIELDS, labelled, text_for
from web.pages import act_then_redirect, render_page
from web.security import read_holder_token

Token = Annotated[str, PathParameter(min_length=1, max_length=200)]


def _unit(db: Session, secret: bytes, token: str) -> tuple[Competition, Unit]:
    read = read_holder_token(secret, "unit", token)
    if read is not None:
        competition = db.get(Competition, read[0])
        unit = (
            db.execute(select(Unit).where(Unit.competition_id == read[0], Unit.key == read[1])).scalar_one_or_none()
            if competition
            else None
        )
        if competition is not None and unit is not None:
            return competition, unit
    raise NotFound("没有这个推荐链接", "no such nomination link")


def unit_page(db: Session, secret: bytes, token: str) -> dict[str, Any]:
    """What the unit's page shows."""
    competition, unit = _unit(db, secret, token)
    call = call_of(db, competition.id)
    if call is None:
        raise NotFound("这个竞赛没有推荐评选", "this competition has no call for nominations")
    rules = rules_of(call)
    mine = [n for n in nominations_of(db, call.id) if n.unit_key == unit.key]
    region = rules.region_of(unit.key)
    region_held = sum(1 for n in nominations_of(db, call.id) if region and n.region == region)
    return {
        "competition": {"key": competition.key, "zh": competition.name_zh, "en": competition.name_en},
        "unit": {"key": unit.key, "zh": unit.name_zh, "en": unit.name_en},
        "call": {"zh": call.title_zh, "en": call.title_en, "stage": call.stage},
        "rules": rules,
        "region": region,
        "region_held": region_held,
        "quota_full": bool(rules.unit_quota and len(mine) >= rules.unit_quota)
        or bool(rules.region_quota and region and region_held >= rules.region_quota),
        "mine": [
            {"name": n.name, "name_en": n.name_en, "post": n.post, "post_en": n.post_en, "years": n.years_of_service}
            for n in mine
        ],
        "token": token,
        "client_id": uuid.uuid4().hex,
        "css": NOMINATION_CSS,
    }


def _form(form: Any) -> tuple[NominationForm, str]:
    photo = form.get("photo")
    data = photo.file.read(PHOTO_MAX + 1) if isinstance(photo, UploadFile) and photo.filename else b""
    return (
        NominationForm(
            name=str(form.get("name", ""))[:200],
            post=str(form.get("post", ""))[:400],
            name_en=str(form.get("name_en", ""))[:200],
            post_en=str(form.get("post_en", ""))[:400],
            years_of_service=str(form.get("years_of_service", ""))[:10],
            front_line=str(form.get("front_line", "")) in ("1", "on", "true", "yes"),
            story_zh=str(form.get("story_zh", ""))[:8001],
            story_en=str(form.get("story_en", ""))[:8001],
            photo=data,
        ),
        str(form.get("client_id", ""))[:64],
    )


class UnitNominationPages(Controller):
    guards = [public_guard]  # noqa: RUF012  (the signed link is the credential, checked on each request)

    @get("/nominate/{token:str}")
    async def page(self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token) -> Template:
        secret = request.app.state.secret
        shown = await database.run(lambda db: unit_page(db, secret, token))
        t = text_for(request.query_params.get("lang"), request.cookies.get("lang"))
        return render_page(request, "nominations/unit.html", sent=request.query_params.get("sent") == "1", t=t, **shown)

    @post("/nominate/{token:str}")
    async def send(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token
    ) -> Template | Redirect:
        secret, photos = request.app.state.secret, photos_dir(request.app.state.uploads)
        form, client_id = _form(await request.form())
        t = text_for(request.query_params.get("lang"), request.cookies.get("lang"))

        def act(db: Session) -> Any:
            competition, unit = _unit(db, secret, token)
            return nominate(db, competition.key, unit.key, form, client_id, photos)

        return await act_then_redirect(
            request,
            database,
            labelled(act, t, UNIT_FIELDS),
            redirect=f"/nominate/{token}?sent=1",
            template="nominations/unit.html",
            page_data=lambda db: unit_page(db, secret, token) | {"sent": False, "t": t, "typed": form},
        )
