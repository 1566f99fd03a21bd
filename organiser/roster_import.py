"""The roster import of the organiser's pages and API: an uploaded CSV or XLSX planned against
the competition as stored (every row checked: scoring/roster.py), then applied all or nothing
(scoring/store/roster.py) in the caller's transaction."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from organiser.competition_setup import Upload, competition_by_key
from scoring.model import ROLE_WORDS
from scoring.problems import InvalidInput, Problem
from scoring.roster import RosterPlan, plan_import
from scoring.store.live import record_change
from scoring.store.roster import apply_roster, roster_state


def plan_roster(db: Session, key: str, upload: Upload) -> tuple[int, RosterPlan]:
    suffix = Path(upload.filename or "roster.csv").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput(
            [Problem(zh="名单须为 .csv 或 .xlsx", en="a roster must be a .csv or .xlsx file", file=upload.filename)]
        )
    competition = competition_by_key(db, key)
    state = roster_state(db, competition.id)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"roster{suffix}"
        path.write_bytes(upload.content)
        return competition.id, plan_import(path, state, source=upload.filename or "roster")


def roster_preview(plan: RosterPlan) -> dict[str, Any]:
    return {
        # each row with its role's key (a Chinese or English word in the file), for the page to translate
        "rows": [asdict(r) | {"role_key": _role_key(r.role)} for r in plan.rows],
        "new_units": sorted(plan.new_units),
        "new_teams": sorted(plan.new_teams),
    }


def import_roster(db: Session, competition_id: int, plan: RosterPlan, actor: str) -> int:
    imported = apply_roster(db, competition_id, plan, actor=actor)
    record_change(db, competition_id, "setup", actor=actor)  # the live boards rebuild
    return imported


def _role_key(word: str) -> str:
    role = ROLE_WORDS.get(word or "member")
    return role.value if role is not None else ""
