"""Locking a round is one transaction: a process killed between locking the sheets and moving
the round's publication (the two steps that were two transactions before) leaves all or nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from sqlalchemy import select

from organiser.service import set_panel
from scoring.competition import load_competition
from scoring.sheet_rules import Actor, SheetAction
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.models import Judge, Round
from scoring.store.rounds import event_entry_keys, round_context, rubric_of
from scoring.store.sheet_writes import SheetWrite
from scoring.store.sheets import current_sheets, record_write
from tests.helpers import ROOT, committed

DRILL = ROOT / "examples" / "drill_yard" / "competition.toml"
MARKS = {"inspect_hose": "1", "couple_firm": "1", "technique": "8", "lane_offset": "8", "time": "28.5", "kink": "0"}

LOCKER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    import judges.locking
    from scoring.store.database import make_engine, session_factory
    from scoring.store.rounds import round_context

    real_move = judges.locking.move_publication

    def move_then_die(db, *args, **kwargs):
        real_move(db, *args, **kwargs)  # the publication moves in the session ...
        db.flush()
        print("LOCKED AND MOVED, NOT COMMITTED", flush=True)
        os._exit(9)  # ... and the process dies before the transaction commits

    if {kill!r}:
        judges.locking.move_publication = move_then_die
    sessions = session_factory(make_engine({url!r}))
    with sessions.begin() as db:
        locked = judges.locking.lock_round(db, round_context(db, {round_id!r}), "chief:j3")
    print("COMMITTED", locked, flush=True)
""")


def submitted_round(url: str) -> int:
    """The drill yard with a panel of three and every sheet submitted; checks each step."""
    engine = make_engine(url)
    migrate(engine)
    sessions = session_factory(engine)
    committed(sessions, store_competition, load_competition(DRILL), actor="t")
    with sessions() as db:
        round_id = db.execute(select(Round.id)).scalar_one()
        judges = dict(db.execute(select(Judge.key, Judge.id)).all())
        context = round_context(db, round_id)
        rubric, entries = rubric_of(db, context), event_entry_keys(db, context.event)
    assert committed(sessions, set_panel, round_id, ["j1", "j2", "j3"], "j3", actor="t")["chief"] == "j3"
    for entry in entries:
        for judge in ("j1", "j2", "j3"):
            write = SheetWrite(
                round_id=round_id,
                entry_key=entry,
                judge_id=judges[judge],
                rubric_version_id=context.rubric_version_id,
                action=SheetAction.SUBMIT,
                actor=Actor.JUDGE,
                base_version=0,
                client_id=f"submit-{entry}-{judge}",
                author=judge,
                marks=MARKS,
            )
            assert committed(sessions, record_write, write, rubric).state.value == "submitted"
    engine.dispose()
    return round_id


def state_of(url: str, round_id: int) -> tuple[str, set[str]]:
    engine = make_engine(url)
    with session_factory(engine)() as db:
        publication = db.get(Round, round_id).publication
        states = {version.state for _, _, version in current_sheets(db, round_id)}
    engine.dispose()
    return publication, states


def run_locker(url: str, round_id: int, kill: bool) -> subprocess.CompletedProcess[str]:
    script = LOCKER.format(root=str(ROOT), url=url, round_id=round_id, kill=kill)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)


def test_a_lock_killed_before_its_commit_leaves_nothing_locked_and_a_retry_locks_all(tmp_path):
    url = f"sqlite:///{tmp_path / 'lock.sqlite3'}"
    round_id = submitted_round(url)
    assert state_of(url, round_id) == ("open", {"submitted"})

    killed = run_locker(url, round_id, kill=True)
    assert killed.returncode == 9, killed.stderr
    assert "LOCKED AND MOVED, NOT COMMITTED" in killed.stdout
    assert state_of(url, round_id) == ("open", {"submitted"})  # nothing of the lock survived

    done = run_locker(url, round_id, kill=False)
    assert done.returncode == 0, done.stderr
    sheets = len(event_entry_keys_of(url, round_id)) * 3
    assert done.stdout.strip() == f"COMMITTED {sheets}"
    assert state_of(url, round_id) == ("locked", {"locked"})  # all of it


def event_entry_keys_of(url: str, round_id: int) -> list[str]:
    engine = make_engine(url)
    with session_factory(engine)() as db:
        keys = event_entry_keys(db, round_context(db, round_id).event)
    engine.dispose()
    return keys
