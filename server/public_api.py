"""Routes anyone may call: health, and the list of competitions (names only). Results are
published here by the results issue, and only what is published."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from sqlalchemy import select

from scoring.store.models import Competition
from server.auth import public_guard


class PublicController(Controller):
    guards = [public_guard]  # noqa: RUF012
    tags = ["public"]  # noqa: RUF012

    @get("/health", sync_to_thread=False)
    def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/api/public/competitions", sync_to_thread=True)
    def competitions(self, request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
        with request.app.state.sessions() as db:
            rows = db.execute(
                select(Competition.key, Competition.name_zh, Competition.name_en).order_by(Competition.id)
            ).all()
        return [{"key": k, "name": {"zh": zh, "en": en}} for k, zh, en in rows]
