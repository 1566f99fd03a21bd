"""A team's appeal (申诉) through its signed link: the leader opens /appeal/{token}, writes the
reasons and may attach a PDF or an image; /api/appeals/{token} takes the same by multipart.
The token names the competition and team, signed with the app's key (web/security.py); a
forged token, or one of another deployment, is refused as if no such link existed."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, PathParameter
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from results.appeals import ATTACHMENT_MAX, Attachment, lodge_appeal
from scoring.refusals import NotFound
from scoring.store.models import Competition, Team
from web.auth import public_guard
from web.database import InjectedDatabase
from web.pages import act_then_redirect, render_page
from web.security import read_team_token

Token = Annotated[str, PathParameter(min_length=1, max_length=200)]


def _team(db: Session, secret: bytes, token: str) -> tuple[str, str, dict[str, Any]]:
    """(competition key, team key, what the page shows) for a genuine token, else NotFound."""
    read = read_team_token(secret, token)
    if read is not None:
        row = db.get(Competition, read[0])
        team = (
            db.execute(select(Team).where(Team.competition_id == read[0], Team.key == read[1])).scalar_one_or_none()
            if row
            else None
        )
        if row is not None and team is not None:
            page = {
                "competition": {"zh": row.name_zh, "en": row.name_en},
                "team": {"key": team.key, "zh": team.name_zh, "en": team.name_en},
                "token": token,
            }
            return row.key, team.key, page
    raise NotFound("没有这个申诉链接", "no such appeal link")


def _attachment(value: Any) -> Attachment | None:
    if isinstance(value, UploadFile) and value.filename:
        data = value.file.read(ATTACHMENT_MAX + 1)
        return Attachment(value.filename[:255], value.content_type or "", data)
    return None


def _lodge(secret: bytes, token: str, form: Any) -> Any:
    def use_case(db: Session) -> dict[str, Any]:
        key, team, _ = _team(db, secret, token)
        return lodge_appeal(
            db,
            key,
            team,
            str(form.get("reason", ""))[:4000],
            f"team:{team}",
            _attachment(form.get("attachment")),
            str(form.get("client_id", ""))[:64],
        )

    return use_case


class AppealController(Controller):
    guards = [public_guard]  # noqa: RUF012
    tags = ["appeals"]  # noqa: RUF012

    @post("/api/appeals/{token:str}", sync_to_thread=True, status_code=201)
    def lodge(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        token: Token,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        """Lodge the team's appeal: `reason`, optional `attachment` (PDF, PNG, JPEG; 5 MB)."""
        return database.do(_lodge(request.app.state.secret, token, data))

    @get("/appeal/{token:str}")
    async def page(self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token) -> Template:
        secret = request.app.state.secret
        _, _, shown = await database.run(lambda db: _team(db, secret, token))
        return render_page(request, "public/appeal.html", sent=request.query_params.get("sent") == "1", **shown)

    @post("/appeal/{token:str}")
    async def send(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, token: Token
    ) -> Template | Redirect:
        secret = request.app.state.secret
        form = await request.form()
        return await act_then_redirect(
            request,
            database,
            _lodge(secret, token, form),
            redirect=f"/appeal/{token}?sent=1",
            template="public/appeal.html",
            page_data=lambda db: _team(db, secret, token)[2] | {"sent": False},
        )
