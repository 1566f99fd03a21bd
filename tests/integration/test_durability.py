"""An acknowledged mark survives the process dying right after the acknowledgement (SQLite)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from scoring.store.database import make_engine, session_factory
from scoring.store.sheets import current_version
from tests.helpers import ROOT

WRITER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    from sqlalchemy import select
    from scoring.competition import load_competition
    from scoring.rubrics.loader import load_rubric
    from scoring.sheet_rules import Actor, SheetAction
    from scoring.store.competitions import store_competition
    from scoring.store.database import make_engine, migrate, session_factory
    from scoring.store.models import Event, Judge, Round
    from scoring.store.sheets import record_write
    from scoring.store.sheet_writes import SheetWrite

    engine = make_engine({url!r})
    migrate(engine)
    sessions = session_factory(engine)
    with sessions.begin() as s:
        store_competition(s, load_competition({competition!r}), actor="test")
    with sessions() as s:
        event = s.execute(select(Event).where(Event.key == "hydrant")).scalar_one()
        round_id = s.execute(select(Round.id).where(Round.event_id == event.id)).scalar_one()
        judge_id = s.execute(select(Judge.id).order_by(Judge.key)).scalars().first()
    rubric = load_rubric({rubric!r})
    with sessions.begin() as s:
        snap = record_write(s, SheetWrite(round_id=round_id, entry_key="s01", judge_id=judge_id,
            rubric_version_id=event.rubric_version_id, action=SheetAction.SAVE, actor=Actor.JUDGE, base_version=0,
            client_id="crash-1", author="e1", marks={{"lay_hose": "13"}}), rubric)
    print("ACK", snap.version, flush=True)
    os._exit(9)   # die at once: no cleanup, no connection closed, no checkpoint
""")


def test_an_acknowledged_write_survives_the_process_dying(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    script = WRITER.format(
        root=str(ROOT),
        url=url,
        competition=str(ROOT / "examples/power_safety/competition.toml"),
        rubric=str(ROOT / "examples/rubrics/fire_hydrant.toml"),
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    assert done.stdout.strip() == "ACK 1"
    sessions = session_factory(make_engine(url))
    with sessions() as s:
        from sqlalchemy import select

        from scoring.store.models import Judge, Round

        round_id = s.execute(select(Round.id)).scalars().all()
        judge_id = s.execute(select(Judge.id).order_by(Judge.key)).scalars().first()
        found = [current_version(s, r, "s01", judge_id) for r in round_id]
    kept = [f for f in found if f is not None]
    assert len(kept) == 1 and kept[0].marks == {"lay_hose": "13"} and kept[0].client_id == "crash-1"
