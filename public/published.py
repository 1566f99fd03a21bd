"""What the public may see of a competition's results: read from the acts of publishing
(`result_publications`, written by the publication flow; this module only reads them).

The rule, applied by `public_view`:
- the latest act is shown when it is a notice (公示) or a final;
- a withdrawal after a notice takes the notice back for a correction: the public is told so,
  and sees the latest final before it, if there is one;
- every final version stays readable (a version's latest act of that version is the one
  shown), so version 1 can still be opened after version 2 replaced it.

Nothing before the first act is public: a competition with no act reads as one that does not
exist. Snapshots are loaded one at a time, only for the act a page shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.store.models import Competition, ResultPublication

NOTICE, FINAL, WITHDRAWN = "notice", "final", "withdrawn"


@dataclass(frozen=True)
class Act:
    """One act of publishing, without its snapshot."""

    id: int
    seq: int
    kind: str
    version: int
    deadline: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class PublicView:
    """What the public sees of one competition: the act shown (a notice or a final), the
    withdrawal that took the last notice back (if the latest act is one), and every final
    version, oldest first."""

    shown: Act | None
    withdrawn: Act | None
    finals: tuple[Act, ...]

    @property
    def published(self) -> bool:
        return self.shown is not None or self.withdrawn is not None

    def final(self, version: int) -> Act | None:
        return next((act for act in self.finals if act.version == version), None)


def public_view(acts: Sequence[Act]) -> PublicView:
    """The public's view of a competition's acts (in any order); see the module's rule."""
    ordered = sorted(acts, key=lambda act: act.seq)
    by_version: dict[int, Act] = {}
    for act in ordered:
        if act.kind == FINAL:
            by_version[act.version] = act  # a later act of the same version replaces it
    finals = tuple(by_version[v] for v in sorted(by_version))
    if not ordered:
        return PublicView(None, None, finals)
    latest = ordered[-1]
    if latest.kind in (NOTICE, FINAL):
        return PublicView(latest, None, finals)
    previous_final = next((act for act in reversed(ordered) if act.kind == FINAL), None)
    return PublicView(previous_final, latest if latest.kind == WITHDRAWN else None, finals)


def _acts(db: Session, *where: Any) -> dict[int, list[Act]]:
    rows = db.execute(
        select(
            ResultPublication.competition_id,
            ResultPublication.id,
            ResultPublication.seq,
            ResultPublication.kind,
            ResultPublication.version,
            ResultPublication.deadline,
            ResultPublication.created_at,
        ).where(*where)
    ).all()
    acts: dict[int, list[Act]] = {}
    for competition_id, id_, seq, kind, version, deadline, created_at in rows:
        acts.setdefault(competition_id, []).append(Act(id_, seq, kind, version, deadline, created_at))
    return acts


def views_of_all(db: Session) -> dict[int, PublicView]:
    """Every competition's public view, by competition id (for the landing page)."""
    return {competition_id: public_view(acts) for competition_id, acts in _acts(db).items()}


def competition_view(db: Session, key: str) -> tuple[Competition, PublicView] | None:
    """A competition and its public view, or None when it does not exist or nothing of it is
    published (the two are not told apart)."""
    competition = db.execute(select(Competition).where(Competition.key == key)).scalar_one_or_none()
    if competition is None:
        return None
    view = public_view(_acts(db, ResultPublication.competition_id == competition.id).get(competition.id, []))
    return (competition, view) if view.published else None


def snapshot_of(db: Session, act: Act) -> dict[str, Any]:
    """The snapshot an act published, as it was frozen."""
    snapshot = db.execute(select(ResultPublication.snapshot).where(ResultPublication.id == act.id)).scalar_one()
    return dict(snapshot)
