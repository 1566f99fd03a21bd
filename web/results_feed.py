"""Each competition's provisional standings, kept current in this server process by the results
projector (results/projector.py) and announced on the competition's channel.

After a change to entries' marks commits (a judge's sheet, a chief judge's correction or
transcription, a quiz answer, uploaded officials' values), the route calls `results_changed`;
it returns at once (and costs nothing while nobody has asked for standings). One worker
thread takes the changes in order: it reads the changed entries'
counted rows of the round (the provisional view: every submitted or locked sheet), applies them
to the competition's projector (only what they touch is recomputed: the entry's event score,
its overall, the places), and announces on `results:{competition key}`:

    {"type": "standings", "competition": key, "view": "provisional",
     "entries": [ranking entries whose score or place changed], "whole": false}

The message names entries, never scores or marks (web/channels.py): a screen that hears it
fetches what it may see; `whole` means "fetch the whole standings" (no projector was kept, or
it was rebuilt). A competition's projector is built by a full recompute when someone first asks
for its standings (`standings`: the live board, a test), never merely because a mark changed,
and built again whenever the competition's rules or roster changed (a fingerprint of its
events, rubric versions, weights, rounds and roster sizes), or after any failure; a full
recompute is always the reference. Each server process keeps its own projectors and hears only
the writes it handles: with several processes, a process's kept standings miss the others'
writes until it rebuilds (the live board's issue feeds them from the shared channels). A
change to a round that is not its event's last round changes no standing.
Nothing here decides who may see standings.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from results.from_store import View, included_marks, round_table
from results.projector import Projector
from scoring.store.models import Competition, Contestant, Event, Round, Team, Unit
from web.channels import announce
from web.database import Database

log = logging.getLogger("scoring")


def results_channel(competition_key: str) -> str:
    return f"results:{competition_key}"


@dataclass
class _Kept:
    fingerprint: tuple[Any, ...]
    projector: Projector


def fingerprint(db: Session, competition_id: int) -> tuple[Any, ...]:
    """What the projector was built from, besides marks: events (rubric version, weight),
    rounds, and the roster's sizes. A change to any of them rebuilds it."""
    events = tuple(
        tuple(row)
        for row in db.execute(
            select(Event.id, Event.rubric_version_id, Event.weight)
            .where(Event.competition_id == competition_id)
            .order_by(Event.id)
        )
    )
    rounds = db.scalar(
        select(func.count(Round.id))
        .join(Event, Event.id == Round.event_id)
        .where(Event.competition_id == competition_id)
    )
    sizes = tuple(
        db.scalar(select(func.count(model.id)).where(model.competition_id == competition_id))
        for model in (Unit, Team, Contestant)
    )
    return (events, rounds, sizes)


class ResultsFeed:
    """The projectors of this process's competitions and the one worker that updates them."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._kept: dict[str, _Kept] = {}
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="results-feed")
        self._last: Future[Any] | None = None
        self._lock = threading.Lock()

    def submit(self, app: Litestar | None, round_id: int, entries: Sequence[str] | None) -> None:
        """Queue a committed change of `entries` (None: any number; rebuild) in round `round_id`.
        Nothing to do while no projector is kept (nobody has asked for standings yet)."""
        if not self._kept:
            return
        with self._lock:
            self._last = self._worker.submit(self._update, app, round_id, None if entries is None else list(entries))

    def wait(self) -> None:
        """Until every change queued so far is applied (tests, shutdown)."""
        with self._lock:
            last = self._last
        if last is not None:
            last.result()

    def close(self) -> None:
        self._worker.shutdown(wait=True)

    def standings(self, key: str) -> list[Any]:
        """The competition's current provisional standings, built if need be; read by the worker,
        after every change queued before, so no projector is used by two threads."""
        return self._worker.submit(self._standings, key).result()

    def _standings(self, key: str) -> list[Any]:
        with self._database.read() as db:
            competition = db.execute(select(Competition).where(Competition.key == key)).scalar_one()
            return self._projector(db, competition)[0].standings()

    def _projector(self, db: Session, competition: Competition) -> tuple[Projector, bool]:
        now = fingerprint(db, competition.id)
        kept = self._kept.get(competition.key)
        if kept is not None and kept.fingerprint == now:
            return kept.projector, False
        included = included_marks(db, competition.key, View.PROVISIONAL)
        projector = Projector(included.competition, included.events)
        self._kept[competition.key] = _Kept(now, projector)
        return projector, True

    def _update(self, app: Litestar | None, round_id: int, entries: list[str] | None) -> None:
        key = ""
        try:
            with self._database.read() as db:
                round_ = db.get(Round, round_id)
                event = db.get(Event, round_.event_id) if round_ is not None else None
                competition = db.get(Competition, event.competition_id) if event is not None else None
                if round_ is None or event is None or competition is None:
                    return
                key = competition.key
                last = db.scalar(select(func.max(Round.id)).where(Round.event_id == event.id))
                if round_id != last:
                    return  # the event's score comes from its last round
                if entries is None:
                    self._kept.pop(key, None)
                changed: dict[str, None] = {}
                whole = key not in self._kept  # nobody keeps this competition's standings yet
                if not whole:
                    projector, whole = self._projector(db, competition)
                if not whole:
                    column = "team" if event.kind == "quiz" else "entry"
                    for entry in entries or []:
                        table = round_table(db, round_, event, View.PROVISIONAL, entry).table
                        rows = table[table[column].astype(str) == entry] if column in table.columns else table
                        update = projector.apply(event.key, entry, rows.drop(columns=["row"], errors="ignore"))
                        changed.update(dict.fromkeys(c.entry for c in update.standings))
            message = {
                "type": "standings",
                "competition": key,
                "view": "provisional",
                "entries": sorted(changed),
                "whole": whole,
            }
            if app is not None and (whole or changed):
                announce(app, results_channel(key), message)
        except Exception:  # a failed update is caught up by a full recompute next time
            if key:
                self._kept.pop(key, None)
            log.exception("results feed: could not update after a change to round %s", round_id)


def results_changed(app: Litestar, round_id: int, entries: Sequence[str] | None) -> None:
    """Queue a committed change for the competition's standings (never fails the request)."""
    feed = app.state.get("results_feed")
    if feed is not None:
        feed.submit(app, round_id, entries)
