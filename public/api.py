"""Routes anyone may call: health, the list of competitions (names only), a blind round's
decoded codes once its results are published, and a competition's published results (the
snapshot a publication froze, as the results pages show it; public/published.py says which)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from sqlalchemy import select

from public.published import competition_view, snapshot_of
from scoring.publication import PUBLIC, Publication
from scoring.refusals import NotFound
from scoring.store.draws import codes_of
from scoring.store.models import Competition, Round
from web.auth import public_guard
from web.database import InjectedDatabase
from web.params import PathKey, RowId


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

    @get("/api/public/competitions/{key:str}/results", sync_to_thread=True)
    def results(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> dict[str, Any]:
        """The results the public sees now, for apps and the live board: `state` is notice, final
        or withdrawn (a notice taken back for a correction; `snapshot` is then the final before
        it, or null), `snapshot` the publication's frozen snapshot (format 1), `versions` the
        final versions (each readable at /results/{key}/v/{n}). 404 until something is published,
        as for a competition that does not exist."""
        with database.read() as db:
            found = competition_view(db, key)
            if found is None:
                raise NotFound("没有已公布的成绩", f"no published results for {key}")
            _, view = found
            shown = view.shown
            return {
                "competition": key,
                "state": "withdrawn" if view.withdrawn is not None else shown.kind if shown else None,
                "snapshot": snapshot_of(db, shown) if shown is not None else None,
                "versions": [act.version for act in view.finals],
            }
