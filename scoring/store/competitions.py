"""Put a loaded competition into the database: roster, judges, events with their rules as
rubric versions, and rounds. One transaction, one audit record; a competition key that is
already stored is refused rather than overwritten."""

from __future__ import annotations

import hashlib
from pathlib import Path

import tomlkit
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.model import Competition as CompetitionModel
from scoring.problems import InvalidInput, Problem
from scoring.store import audit
from scoring.store.models import Competition, Contestant, Event, Judge, Round, RubricVersion, Team, Unit


def _rules_document(competition: CompetitionModel, index: int) -> str:
    event = competition.events[index]
    if event.rules_file and event.rules_file != competition.file:
        return Path(event.rules_file).read_text(encoding="utf-8")
    table = tomlkit.parse(Path(competition.file).read_text(encoding="utf-8"))["events"][index]["rubric"]
    return tomlkit.dumps(table)


def store_competition(session: Session, competition: CompetitionModel, actor: str) -> int:
    """Store `competition` (already loaded and checked); returns its id."""
    if session.execute(select(Competition).where(Competition.key == competition.key)).first():
        raise InvalidInput(
            [
                Problem(
                    zh=f"竞赛“{competition.key}”已存在",
                    en=f"competition '{competition.key}' is already stored; give the file a new key to store another",
                    file=competition.file,
                )
            ]
        )
    row = Competition(
        key=competition.key,
        name_zh=competition.name["zh"],
        name_en=competition.name["en"],
        document=Path(competition.file).read_text(encoding="utf-8"),
    )
    session.add(row)
    session.flush()
    cid = row.id
    session.add_all(
        [Unit(competition_id=cid, key=u.key, name_zh=u.name["zh"], name_en=u.name["en"]) for u in competition.units]
    )
    session.add_all(
        [
            Team(competition_id=cid, key=t.key, unit_key=t.unit, name_zh=t.name["zh"], name_en=t.name["en"])
            for t in competition.teams
        ]
    )
    session.add_all(
        [
            Contestant(competition_id=cid, key=c.key, name=c.name, unit_key=c.unit, team_key=c.team, role=c.role.value)
            for c in competition.contestants
        ]
    )
    session.add_all([Judge(competition_id=cid, key=j.key, name=j.name) for j in competition.judges])
    for i, event in enumerate(competition.events):
        document = _rules_document(competition, i)
        rubric = RubricVersion(
            competition_id=cid,
            key=event.key,
            version=1,
            document=document,
            digest=hashlib.sha256(document.encode()).hexdigest(),
        )
        session.add(rubric)
        session.flush()
        stored = Event(
            competition_id=cid,
            key=event.key,
            kind=event.kind,
            scope=event.scope.value,
            title_zh=event.title["zh"],
            title_en=event.title["en"],
            weight=event.weight,
            blind=event.blind,
            results_before_lock=event.results_before_lock,
            rubric_version_id=rubric.id,
        )
        session.add(stored)
        session.flush()
        session.add_all([Round(event_id=stored.id, key=r) for r in event.rounds])
    audit.append(
        session,
        actor=actor,
        action="competition.store",
        entity="competition",
        entity_id=competition.key,
        after={
            "units": len(competition.units),
            "teams": len(competition.teams),
            "contestants": len(competition.contestants),
            "events": [e.key for e in competition.events],
        },
    )
    return cid
