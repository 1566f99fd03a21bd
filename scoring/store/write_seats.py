"""What a judge's sheet write checks before it touches the sheet, read in one statement: the
judge's live sign-in, the round with its event and rubric version, the judge's seat on the
round's panel, whether the entry the judge names is one of the event's, and whether the round
has review assignments and this entry is one of the judge's.

A statement built once (SQLAlchemy Core) that returns one plain row, so a write spends neither
ORM loading nor statement building on its checks (issue 16). It only reads: which of its
answers refuse the write, and with what words, is judges/seats.py (`write_seat`), which takes
the slower path of the separate checks (web/auth.py `judge_in`, `require_seat`,
`entry_of_label`, `require_assigned`) for anything that is not plainly allowed, so every
refusal is answered exactly as those answer it. The round's publication is not decided here:
the store reads it again under a shared lock after the sheet's row is locked
(scoring/store/sheets.py), in that order, as the round's lock takes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, exists, select
from sqlalchemy.orm import Session

from scoring.store.models import Contestant, Event, Judge, PanelSeat, Round, RubricVersion, SignIn, Team, utcnow
from scoring.store.sign_ins import token_digest
from scoring.store.works_models import ReviewAssignment

SIGN_INS: Table = SignIn.__table__  # type: ignore[assignment]
JUDGES: Table = Judge.__table__  # type: ignore[assignment]
ROUNDS: Table = Round.__table__  # type: ignore[assignment]
EVENTS: Table = Event.__table__  # type: ignore[assignment]
VERSIONS: Table = RubricVersion.__table__  # type: ignore[assignment]
SEATS: Table = PanelSeat.__table__  # type: ignore[assignment]
TEAMS: Table = Team.__table__  # type: ignore[assignment]
CONTESTANTS: Table = Contestant.__table__  # type: ignore[assignment]
ASSIGNMENTS: Table = ReviewAssignment.__table__  # type: ignore[assignment]

WRITE_SEAT = (
    select(
        JUDGES.c.id.label("judge_id"),
        JUDGES.c.key.label("judge_key"),
        JUDGES.c.competition_id.label("judge_competition_id"),
        SIGN_INS.c.expires_at,
        EVENTS.c.competition_id,
        EVENTS.c.kind,
        EVENTS.c.scope,
        EVENTS.c.blind,
        EVENTS.c.rubric_version_id,
        VERSIONS.c.digest.label("rubric_digest"),
        SEATS.c.chief,
        SEATS.c.marks,
        exists()
        .where(TEAMS.c.competition_id == EVENTS.c.competition_id, TEAMS.c.key == bindparam("label"))
        .label("team_found"),
        exists()
        .where(CONTESTANTS.c.competition_id == EVENTS.c.competition_id, CONTESTANTS.c.key == bindparam("label"))
        .label("contestant_found"),
        exists().where(ASSIGNMENTS.c.round_id == ROUNDS.c.id).label("assigned_round"),
        exists()
        .where(
            ASSIGNMENTS.c.round_id == ROUNDS.c.id,
            ASSIGNMENTS.c.judge_id == JUDGES.c.id,
            ASSIGNMENTS.c.entry_key == bindparam("label"),
        )
        .label("assigned_entry"),
    )
    .select_from(SIGN_INS)
    .join(JUDGES, JUDGES.c.id == SIGN_INS.c.judge_id)
    .join(ROUNDS, ROUNDS.c.id == bindparam("round_id"))
    .join(EVENTS, EVENTS.c.id == ROUNDS.c.event_id)
    .join(VERSIONS, VERSIONS.c.id == EVENTS.c.rubric_version_id)
    .outerjoin(SEATS, (SEATS.c.round_id == ROUNDS.c.id) & (SEATS.c.judge_id == JUDGES.c.id))
    .where(SIGN_INS.c.token_hash == bindparam("token_hash"), SIGN_INS.c.ended_at.is_(None))
)


@dataclass(frozen=True)
class WriteSeat:
    """The answers of the one statement, as plain values (nothing here is an ORM object)."""

    judge_id: int
    judge_key: str
    judge_competition_id: int
    expires_at: datetime
    competition_id: int  # the round's event's
    kind: str
    scope: str
    blind: bool
    rubric_version_id: int
    rubric_digest: str
    chief: bool | None  # None: no seat on the round's panel
    marks: bool  # the seat marks sheets (False: no seat, or a chief seated as referee)
    entry_found: bool  # the label is one of the event's entries' keys (not asked in a blind event)
    assigned_round: bool  # the round has review assignments
    assigned_entry: bool  # ... and this entry is one of the judge's

    def live(self) -> bool:
        """The sign-in has not expired (an ended one is not read at all)."""
        return self.expires_at > utcnow()


def write_seat(db: Session, token: str, round_id: int, label: str) -> WriteSeat | None:
    """What a judge's write to `label` in the round checks, for the judge whose live sign-in
    holds `token`; None when the token is no judge's live sign-in or there is no such round
    (the caller's separate checks then say which)."""
    row = (
        db.connection()
        .execute(WRITE_SEAT, {"token_hash": token_digest(token), "round_id": round_id, "label": label})
        .one_or_none()
    )
    if row is None:
        return None
    return WriteSeat(
        judge_id=int(row.judge_id),
        judge_key=str(row.judge_key),
        judge_competition_id=int(row.judge_competition_id),
        expires_at=row.expires_at,
        competition_id=int(row.competition_id),
        kind=str(row.kind),
        scope=str(row.scope),
        blind=bool(row.blind),
        rubric_version_id=int(row.rubric_version_id),
        rubric_digest=str(row.rubric_digest),
        chief=None if row.chief is None else bool(row.chief),
        marks=bool(row.marks),
        entry_found=bool(row.team_found if row.scope == "team" else row.contestant_found),
        assigned_round=bool(row.assigned_round),
        assigned_entry=bool(row.assigned_entry),
    )
