"""Organiser routes (/api/admin): competitions, judges' access, panels. Thin handlers over
scoring/store; every change is audited there or here."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
import tomlkit
from litestar import Controller, Request, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody
from sqlalchemy import delete, func, select

from judges.service import AccessRefused, entries_of, round_context
from scoring.competition import load_competition
from scoring.draws import new_seed
from scoring.problems import InvalidInput, Problem
from scoring.store import audit
from scoring.store.competitions import store_competition
from scoring.store.draws import DrawRefused, draw_summary, record_draw
from scoring.store.models import Competition, Draw, Judge, PanelSeat, Team
from server.auth import organiser_guard, principal_of
from server.security import hash_pin, new_pin, sign_judge_token

Key = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class DrawBody(msgspec.Struct, forbid_unknown_fields=True):
    """A draw for a round. Without a seed one is made at random and recorded; with one, the
    draw is replayed exactly. `drawn_by` is the official who drew."""

    purpose: Literal["order", "stations", "checkin", "codes"]
    drawn_by: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    seed: Annotated[int, msgspec.Meta(ge=0, le=2**62)] | None = None
    stations: Annotated[int, msgspec.Meta(ge=1, le=500)] | None = None
    prefix: Annotated[str, msgspec.Meta(max_length=8, pattern=r"^[A-Za-z]*$")] = ""


class PanelBody(msgspec.Struct, forbid_unknown_fields=True):
    judges: Annotated[list[Key], msgspec.Meta(max_length=100)]
    chief: Key | None = None


def _uploaded_competition(files: dict[str, UploadFile], folder: Path) -> Path:
    """Write the upload to `folder`: rubric paths in the competition file are matched to the
    uploaded rubric files by file name."""
    if "competition" not in files:
        raise InvalidInput(
            [Problem(zh="缺少竞赛文件（字段 competition）", en="the form needs a file in field 'competition'")]
        )
    rubric_names: set[str] = set()
    for name, upload in files.items():
        if name != "competition":
            filename = Path(upload.filename or name).name
            (folder / filename).write_bytes(upload.file.read())
            rubric_names.add(filename)
    try:
        text = files["competition"].file.read().decode("utf-8")
        document = tomlkit.parse(text)
    except Exception as exc:  # not UTF-8 or not TOML: reported like any other bad file
        raise InvalidInput(
            [
                Problem(
                    zh=f"竞赛文件无法读取：{exc}",
                    en=f"the competition file cannot be read: {exc}",
                    file=files["competition"].filename,
                )
            ]
        ) from None
    for event in document.get("events", []):
        rubric = event.get("rubric")
        if isinstance(rubric, str):
            filename = Path(rubric).name
            if filename not in rubric_names:
                raise InvalidInput(
                    [
                        Problem(
                            zh=f"未上传评分细则文件 {filename}",
                            en=f"rubric file {filename} was not uploaded with the competition file",
                            file=files["competition"].filename,
                        )
                    ]
                )
            event["rubric"] = filename
    path = folder / "competition.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return path


class AdminController(Controller):
    path = "/api/admin"
    guards = [organiser_guard]  # noqa: RUF012
    tags = ["organiser"]  # noqa: RUF012

    @post("/competitions", sync_to_thread=True, status_code=201)
    def create_competition(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> dict[str, Any]:
        """Create a competition from its file (field `competition`) and its rubric files (any other fields)."""
        who = principal_of(request)
        with tempfile.TemporaryDirectory() as tmp:
            loaded = load_competition(_uploaded_competition(data, Path(tmp)))
            cid = store_competition(request.app.state.sessions, loaded, actor=f"organiser:{who.name}")
        return {
            "id": cid,
            "key": loaded.key,
            "teams": len(loaded.teams),
            "contestants": len(loaded.contestants),
            "events": [e.key for e in loaded.events],
        }

    @get("/competitions", sync_to_thread=True)
    def list_competitions(self, request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
        with request.app.state.sessions() as db:
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
    def renew_access(self, request: Request[Any, Any, Any], judge_id: FromPath[int]) -> dict[str, Any]:
        """A new access link and PIN for a judge; every earlier link and session stops working."""
        who = principal_of(request)
        pin = new_pin()
        with request.app.state.sessions.begin() as db:
            judge = db.get(Judge, judge_id, with_for_update=True)
            if judge is None:
                raise AccessRefused(404, "没有这位评委", f"no judge {judge_id}")
            judge.token_version += 1
            judge.pin_hash = hash_pin(pin)
            audit.append(
                db,
                actor=f"organiser:{who.name}",
                action="judge.access",
                entity="judge",
                entity_id=judge.key,
                after={"token_version": judge.token_version},
            )
            token = sign_judge_token(request.app.state.secret, judge.id, judge.token_version)
            key = judge.key
        return {"judge": key, "pin": pin, "link": f"/judge/signin/{token}"}

    @get("/rounds/{round_id:int}/panel", sync_to_thread=True)
    def get_panel(self, request: Request[Any, Any, Any], round_id: FromPath[int]) -> dict[str, Any]:
        with request.app.state.sessions() as db:
            round_context(db, round_id)
            seats = db.execute(
                select(Judge.key, PanelSeat.chief)
                .join(Judge, Judge.id == PanelSeat.judge_id)
                .where(PanelSeat.round_id == round_id)
                .order_by(Judge.key)
            ).all()
        return {"judges": [s[0] for s in seats], "chief": next((s[0] for s in seats if s[1]), None)}

    @put("/rounds/{round_id:int}/panel", sync_to_thread=True)
    def set_panel(
        self, request: Request[Any, Any, Any], round_id: FromPath[int], data: JSONBody[PanelBody]
    ) -> dict[str, Any]:
        """Seat these judges on the round's panel (replacing the panel), with one as chief judge."""
        who = principal_of(request)
        with request.app.state.sessions.begin() as db:
            context = round_context(db, round_id)
            judges = {
                j.key: j
                for j in db.execute(
                    select(Judge).where(
                        Judge.competition_id == context.event.competition_id, Judge.key.in_(data.judges)
                    )
                ).scalars()
            }
            unknown = [k for k in data.judges if k not in judges]
            if unknown or (data.chief is not None and data.chief not in data.judges):
                problems = [Problem(zh=f"未知的评委“{k}”", en=f"unknown judge '{k}'", path="judges") for k in unknown]
                if data.chief is not None and data.chief not in data.judges:
                    problems.append(
                        Problem(zh="裁判长必须在评委组中", en="the chief judge must be one of the judges", path="chief")
                    )
                raise InvalidInput(problems)
            db.execute(delete(PanelSeat).where(PanelSeat.round_id == round_id))
            db.add_all(
                [
                    PanelSeat(round_id=round_id, judge_id=judges[k].id, chief=k == data.chief)
                    for k in dict.fromkeys(data.judges)
                ]
            )
            audit.append(
                db,
                actor=f"organiser:{who.name}",
                action="panel.set",
                entity="round",
                entity_id=str(round_id),
                after={"judges": data.judges, "chief": data.chief},
            )
        return {"judges": list(dict.fromkeys(data.judges)), "chief": data.chief}

    @post("/rounds/{round_id:int}/draws", sync_to_thread=True, status_code=201)
    def make_draw(
        self, request: Request[Any, Any, Any], round_id: FromPath[int], data: JSONBody[DrawBody]
    ) -> dict[str, Any]:
        """Draw the order, the stations, the check-in numbers or (stage two) the blind codes."""
        who = principal_of(request)
        if data.purpose == "stations" and data.stations is None:
            raise InvalidInput(
                [Problem(zh="抽取工位需要 stations（工位数）", en="a station draw needs stations", path="stations")]
            )
        with request.app.state.sessions() as db:
            context = round_context(db, round_id)
            entries = entries_of(db, context.event)
        params: dict[str, Any] = {"stations": data.stations} if data.purpose == "stations" else {}
        if data.purpose == "codes":
            params["prefix"] = data.prefix
        try:
            return record_draw(
                request.app.state.sessions,
                round_id=round_id,
                purpose=data.purpose,
                entries=entries,
                seed=data.seed if data.seed is not None else new_seed(),
                params=params,
                drawn_by=data.drawn_by,
                actor=f"organiser:{who.name}",
            )
        except DrawRefused as refused:
            raise AccessRefused(refused.status, refused.zh, refused.en) from None

    @get("/rounds/{round_id:int}/draws", sync_to_thread=True)
    def list_draws(self, request: Request[Any, Any, Any], round_id: FromPath[int]) -> list[dict[str, Any]]:
        """Every draw of the round with its seed, so that each can be replayed (organisers only)."""
        with request.app.state.sessions() as db:
            round_context(db, round_id)
            draws = db.execute(select(Draw).where(Draw.round_id == round_id).order_by(Draw.id)).scalars().all()
            return [draw_summary(d) for d in draws]
