"""Steps the nomination tests share: the world's competition given a call for nominations by
the organiser's form, a unit's link, a unit's form sent with a photo, a form posted with the
CSRF token. Each step checks its result."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from scoring.store.models import Competition
from server.demo_nominations import portrait_png
from web.security import sign_holder_token

KEY = "safety-culture-2023"
CALL = {
    "title_zh": "最美护林员推选",
    "title_en": "Most Beautiful Forest Ranger",
    "intro_zh": "各单位推荐。",
    "intro_en": "Units nominate.",
    "min_service_years": "3",
    "front_line_required": "1",
    "unit_quota": "2",
    "region_quota": "3",
    "regions": "d01=north\nd02=north\nd03=south",
    "method": "approval_threshold",
    "threshold": "2/3",
    "seats": "",
    "tie": "include_tied",
}


def post_form(client: Any, path: str, data: dict[str, Any], files: dict[str, Any] | None = None) -> Any:
    client.get("/admin/login")  # the CSRF cookie
    return client.post(
        path,
        data=data,
        files=files,
        headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
        follow_redirects=False,
    )


def open_call(world: Any, panel: tuple[str, ...] = ("e1", "e2", "e4"), **changes: str) -> None:
    data: dict[str, Any] = CALL | changes | {"panel": list(panel)}
    sent = post_form(world.organiser, f"/admin/competitions/{KEY}/nominations/call", data)
    assert sent.status_code in (302, 303), sent.text


def unit_link(world: Any, unit: str, purpose: str = "unit") -> str:
    with world.app.state.database.read() as db:
        cid = db.execute(select(Competition.id).where(Competition.key == KEY)).scalar_one()
    return f"/nominate/{sign_holder_token(world.app.state.secret, purpose, cid, unit)}"


def nominee(name: str, **changes: Any) -> dict[str, Any]:
    return {
        "name": name,
        "post": "护林员",
        "years_of_service": "5",
        "front_line": "1",
        "story_zh": f"{name}巡山守林多年。",
        "story_en": f"{name} has walked the forest for years.",
        "client_id": uuid.uuid4().hex,
    } | changes


def nominate(world: Any, unit: str, form: dict[str, Any], photo: bytes | None = None, client: Any = None) -> Any:
    photo = portrait_png(len(form.get("name", ""))) if photo is None else photo
    return post_form(client or world.public, unit_link(world, unit), form, {"photo": ("p.png", photo, "image/png")})
