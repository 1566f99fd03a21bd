"""The example competitions stored with generated marks written through the venue's paths
(server/demo_store.py), built once per test run and copied for each test that changes them.

`StoredExample.copy(folder)` gives a session factory on a copy of the store; `marks` is the
folder of files `scoring compute` reads for the same marks."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scoring.competition import load_competition
from scoring.model import Competition as CompetitionModel
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.models import Competition
from server.demo_marks import write_competition_marks
from server.demo_store import store_generated_marks

ROOT = Path(__file__).resolve().parents[2]
AUDIT_KEY = b"k" * 32


@dataclass
class StoredExample:
    competition: CompetitionModel
    marks: Path  # the files scoring compute reads
    database: Path  # the SQLite store with the same marks, every round locked

    def sessions(self, folder: Path | None = None) -> sessionmaker[Session]:
        """Sessions on the built store, or (with `folder`) on a copy of it made there."""
        path = self.database
        if folder is not None:
            path = folder / "store.sqlite3"
            shutil.copyfile(self.database, path)
        return session_factory(make_engine(f"sqlite:///{path}"), audit_key=AUDIT_KEY)


def build(example: str, folder: Path) -> StoredExample:
    competition = load_competition(ROOT / "examples" / example / "competition.toml")
    marks = folder / "marks"
    write_competition_marks(competition, marks)
    database = folder / "store.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    sessions = session_factory(engine, audit_key=AUDIT_KEY)
    with sessions.begin() as db:
        store_competition(db, competition, actor="test")
        assert db.execute(select(Competition.key)).scalars().all() == [competition.key]
    store_generated_marks(sessions, competition, marks)
    engine.dispose()
    return StoredExample(competition, marks, database)
