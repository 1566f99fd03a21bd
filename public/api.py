"""Routes anyone may call: health, the list of competitions (names only), and a blind round's
decoded codes once its results are published. Results themselves are published here by the
results issue, and only what is published."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from sqlalchemy import select

from scoring.publication import PUBLIC, Publication
from scoring.refusals import NotFound
from scoring.store.draws import codes_of
from scoring.store.models import Competition, Round
from web.auth import public_guard
from web.database import InjectedDatabase
from web.params import RowId


class PublicController(Controller):
    guards = [public_guard]  # noqa: RUF012
    tags = ["public"]  # noqa: RUF012

    @get("/health", sync_to_thread=False)
    def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/api/public/rounds/{round_id:int}/codes", sync_to_thread=True)
    def decoded_codes(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> dict[str, Any]:
        """A blind round's codes and the entries behind them (解密), once its results are published.
        Before that the round is not public and the answer is 404, as for a round that does not exist."""
        with database.read() as db:
            round_ = db.get(Round, round_id)
            if round_ is None or Publication(round_.publication) not in PUBLIC:
                raise NotFound("没有已发布的轮次", f"no published round {round_id}")
            return {"round": round_id, "state": round_.publication, "codes": codes_of(db, round_id)}

    @get("/api/public/competitions", sync_to_thread=True)
    def competitions(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> list[dict[str, Any]]:
        with database.read() as db:
            rows = db.execute(
                select(Competition.key, Competition.name_zh, Competition.name_en).order_by(Competition.id)
            ).all()
        return [{"key": k, "name": {"zh": zh, "en": en}} for k, zh, en in rows]
