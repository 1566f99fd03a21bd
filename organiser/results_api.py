"""The organiser's results routes (/api/admin/competitions/{key}/...): provisional standings,
publishing a notice and a final, withdrawing and correcting, appeals lodged for a team and
decided by the organiser as the arbitration committee (仲裁委员会), organisation award
decisions, each team's appeal link. Thin handlers over results/publishing.py."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from sqlalchemy import select
from sqlalchemy.orm import Session

from results.appeals import decide_appeal, lodge_appeal
from results.from_store import View, results_from_store
from results.publishing import (
    award_lists,
    correct_final,
    decide_organisation_award,
    publication_record,
    publication_snapshot,
    publish_final,
    publish_notice,
    withdraw_notice,
)
from results.snapshot import build_snapshot
from results.stored import competition_row
from scoring.store.models import Team
from web.auth import organiser_guard, principal_of
from web.database import InjectedDatabase
from web.pages import public_base
from web.params import PathKey, RowId
from web.security import sign_team_token

Reason = Annotated[str, msgspec.Meta(max_length=2000)]
Key = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class NoticeBody(msgspec.Struct, forbid_unknown_fields=True):
    deadline: datetime


class FinalBody(msgspec.Struct, forbid_unknown_fields=True):
    early: bool = False
    reason: Reason = ""


class ReasonBody(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason


class CorrectionBody(msgspec.Struct, forbid_unknown_fields=True):
    rounds: Annotated[list[int], msgspec.Meta(min_length=1, max_length=100)]
    reason: Reason


class AppealBody(msgspec.Struct, forbid_unknown_fields=True):
    team: Key
    reason: Reason
    client_id: Annotated[str, msgspec.Meta(max_length=64)] = ""


class DecisionBody(msgspec.Struct, forbid_unknown_fields=True):
    outcome: Literal["upheld", "dismissed"]
    reason: Reason


class OrganisationAwardBody(msgspec.Struct, forbid_unknown_fields=True):
    award: Key
    unit: Key
    action: Literal["give", "withdraw"]
    reason: Reason


def provisional_results(db: Session, key: str) -> dict[str, Any]:
    """The provisional standings (every submitted or locked sheet) in the snapshot's form, with
    the publication record."""
    results = results_from_store(db, key, View.PROVISIONAL)
    row = competition_row(db, key)
    snapshot = build_snapshot(
        results,
        award_lists(db, row.id, results),
        kind="provisional",
        version=0,
        seq=0,
        published_at=datetime.now().astimezone(),
        deadline=None,
        audit=(0, ""),
        previous=None,
    )
    return {"provisional": True, "waiting_for": results.waiting_for, "results": snapshot} | publication_record(db, key)


def team_links(db: Session, key: str, secret: bytes, base: str) -> list[dict[str, Any]]:
    row = competition_row(db, key)
    teams = db.execute(select(Team).where(Team.competition_id == row.id).order_by(Team.key)).scalars()
    return [
        {
            "team": t.key,
            "name": {"zh": t.name_zh, "en": t.name_en},
            "link": f"{base}/appeal/{sign_team_token(secret, row.id, t.key)}",
        }
        for t in teams
    ]


class ResultsController(Controller):
    path = "/api/admin/competitions/{key:str}"
    guards = [organiser_guard]  # noqa: RUF012
    tags = ["organiser"]  # noqa: RUF012

    @get("/results", sync_to_thread=True)
    def results(self, database: InjectedDatabase, key: PathKey) -> dict[str, Any]:
        """Provisional standings (暂定), award lists, publications, appeals, organisation awards."""
        with database.read() as db:
            return provisional_results(db, key)

    @get("/publications/{seq:int}", sync_to_thread=True)
    def snapshot(self, database: InjectedDatabase, key: PathKey, seq: RowId) -> dict[str, Any]:
        """A publication's snapshot as stored (format 1)."""
        with database.read() as db:
            return publication_snapshot(db, key, seq)

    @post("/results/notice", sync_to_thread=True, status_code=201)
    def notice(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, data: JSONBody[NoticeBody]
    ) -> dict[str, Any]:
        return database.do(publish_notice, key, data.deadline, _actor(request))

    @post("/results/final", sync_to_thread=True, status_code=201)
    def final(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, data: JSONBody[FinalBody]
    ) -> dict[str, Any]:
        return database.do(publish_final, key, _actor(request), data.early, data.reason)

    @post("/results/withdraw", sync_to_thread=True, status_code=200)
    def withdraw(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, data: JSONBody[ReasonBody]
    ) -> dict[str, Any]:
        """Withdraw the notice for a correction: its rounds go back to locked."""
        return database.do(withdraw_notice, key, data.reason, _actor(request))

    @post("/results/corrections", sync_to_thread=True, status_code=200)
    def correction(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, data: JSONBody[CorrectionBody]
    ) -> dict[str, Any]:
        """After a final: these rounds go back to locked for a correction, with the reason."""
        return database.do(correct_final, key, data.rounds, data.reason, _actor(request))

    @post("/appeals", sync_to_thread=True, status_code=201)
    def appeal(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey, data: JSONBody[AppealBody]
    ) -> dict[str, Any]:
        """Lodge an appeal on a team's behalf."""
        return database.do(lodge_appeal, key, data.team, data.reason, _actor(request), None, data.client_id)

    @post("/appeals/{appeal_id:int}/decision", sync_to_thread=True, status_code=200)
    def decide(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: PathKey,
        appeal_id: RowId,
        data: JSONBody[DecisionBody],
    ) -> dict[str, Any]:
        """Decide an appeal as the arbitration committee (仲裁委员会)."""
        return database.do(decide_appeal, key, appeal_id, data.outcome, data.reason, _actor(request))

    @post("/organisation-awards", sync_to_thread=True, status_code=200)
    def organisation_award(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: PathKey,
        data: JSONBody[OrganisationAwardBody],
    ) -> dict[str, Any]:
        return database.do(
            decide_organisation_award, key, data.award, data.unit, data.action, data.reason, _actor(request)
        )

    @get("/appeal-links", sync_to_thread=True)
    def appeal_links(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> list[Any]:
        """Each team's signed appeal link, to print or send to its leader."""
        base = public_base(request)
        with database.read() as db:
            return team_links(db, key, request.app.state.secret, base)


def _actor(request: Request[Any, Any, Any]) -> str:
    return f"organiser:{principal_of(request).name}"
