"""A stored competition as the core's `Competition`: the rules of its file, its roster and its
events as they are in the store now.

What the organiser changed in the browser wins over the file it was created from: the roster
(imported from Excel, edited), judges, event titles and weights, each event's current rubric
version and its rounds. Everything else (the overall, tie-breaks, awards, an event's kind,
scope, parameters and team aggregate) is the file's. The file's rules are read again by the
same loader as `scoring compute` (scoring/competition.py), with each event's stored rubric
inlined into the parsed file (no text is written), so both paths bind the same kinds to the
same rules. Nothing here scores.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.competition import read_competition
from scoring.model import Competition, Contestant, Event, Judge, Role, Team, Unit
from scoring.refusals import NotFound
from scoring.store import models as m
from scoring.tomlsource import LineIndex, TomlDocument


def competition_row(db: Session, key: str) -> m.Competition:
    row = db.execute(select(m.Competition).where(m.Competition.key == key)).scalar_one_or_none()
    if row is None:
        raise NotFound("没有这个竞赛", f"no competition '{key}'")
    return row


def round_rows(db: Session, round_id: int) -> tuple[m.Round, m.Event, m.Competition]:
    """A round with its event and competition (NotFound when there is no such round)."""
    round_ = db.get(m.Round, round_id)
    event = db.get(m.Event, round_.event_id) if round_ is not None else None
    competition = db.get(m.Competition, event.competition_id) if event is not None else None
    if round_ is None or event is None or competition is None:
        raise NotFound("没有这个轮次", f"no round {round_id}")
    return round_, event, competition


def stored_competition(db: Session, key: str) -> Competition:
    """The competition `key` as it stands in the store (NotFound when there is none)."""
    row = competition_row(db, key)
    units, teams, contestants, judges = _roster(db, row.id)
    return replace(_stored_rules(db, row), units=units, teams=teams, contestants=contestants, judges=judges)


def stored_event(db: Session, key: str, event_key: str) -> Event | None:
    """One event of the competition as stored (its bound kind and rules), without reading the
    roster: the same event `stored_competition(db, key).event(event_key)` gives."""
    return _stored_rules(db, competition_row(db, key)).event(event_key)


def _stored_rules(db: Session, row: m.Competition) -> Competition:
    """The file's rules with the stored events; its roster is the file's, not the store's."""
    events = list(db.execute(select(m.Event).where(m.Event.competition_id == row.id).order_by(m.Event.id)).scalars())
    rubrics = {
        v.id: v.document
        for v in db.execute(
            select(m.RubricVersion).where(m.RubricVersion.id.in_([e.rubric_version_id for e in events]))
        ).scalars()
    }
    rounds: dict[int, list[str]] = {}
    for event_id, round_key in db.execute(
        select(m.Round.event_id, m.Round.key).where(m.Round.event_id.in_([e.id for e in events])).order_by(m.Round.id)
    ):
        rounds.setdefault(event_id, []).append(round_key)
    stored = tuple(
        (e.key, e.title_zh, e.title_en, str(e.weight), rubrics[e.rubric_version_id], tuple(rounds.get(e.id, ())))
        for e in events
    )
    return _rules(row.key, row.document, stored)


@lru_cache(maxsize=32)
def _rules(key: str, document: str, events: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...]) -> Competition:
    """The competition file's rules with the stored events' titles, weights, rubrics and rounds;
    cached, since the same inputs give the same rules."""
    data = tomllib.loads(document, parse_float=Decimal)  # its roster is checked with its rules, then replaced
    by_key = {e[0]: e for e in events}
    for event in data.get("events", []):
        found = by_key.get(str(event.get("key", "")))
        if found is None:
            continue
        _, title_zh, title_en, weight, rubric, round_keys = found
        event["title"] = {"zh": title_zh, "en": title_en}
        event["weight"] = Decimal(weight)
        event["rubric"] = tomllib.loads(rubric, parse_float=Decimal)
        if round_keys:
            event["rounds"] = list(round_keys)
    # read as the file was, its lines as stored (an inlined rubric's problems name the event)
    return read_competition(TomlDocument(f"competition {key} (stored)", data, LineIndex(document)))


def _roster(db: Session, competition_id: int) -> tuple[list[Unit], list[Team], list[Contestant], list[Judge]]:
    units = [
        Unit(key=u.key, name={"zh": u.name_zh, "en": u.name_en})
        for u in db.execute(select(m.Unit).where(m.Unit.competition_id == competition_id).order_by(m.Unit.id)).scalars()
    ]
    people = list(
        db.execute(
            select(m.Contestant).where(m.Contestant.competition_id == competition_id).order_by(m.Contestant.id)
        ).scalars()
    )
    contestants = [
        Contestant(key=c.key, name=c.name, unit=c.unit_key, team=c.team_key, role=Role(c.role)) for c in people
    ]
    teams = [
        Team(
            key=t.key,
            name={"zh": t.name_zh, "en": t.name_en},
            unit=t.unit_key,
            members=tuple(c.key for c in people if c.team_key == t.key),
        )
        for t in db.execute(select(m.Team).where(m.Team.competition_id == competition_id).order_by(m.Team.id)).scalars()
    ]
    judges = [
        Judge(key=j.key, name=j.name)
        for j in db.execute(
            select(m.Judge).where(m.Judge.competition_id == competition_id).order_by(m.Judge.id)
        ).scalars()
    ]
    return units, teams, contestants, judges
