"""A judge's sheet write checks everything in one statement (scoring/store/write_seats.py) and
falls back to the separate checks for anything not plainly allowed: every refusal is the one
those give, inside the write's transaction, and nothing is stored. The round's publication is
read again under a shared lock after the sheet's row: a write waiting behind a round's lock is
refused once the lock commits, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

from sqlalchemy import func, insert, select, update

from scoring.publication import RoundClosed
from scoring.store.models import Round, SheetVersion, SignIn, utcnow
from scoring.store.sheets import record_write
from scoring.store.works_models import ReviewAssignment
from tests.helpers import committed
from tests.integration.test_store import RUBRIC, hydrant, versions, write  # noqa: F401  (the fixture)
from tests.integration.world import ok, sheet_body


def put(client, world, entry="s01", round_id=None, **body):
    url = f"/api/judge/sheets/{round_id or world.hydrant}/{entry}"
    return client.put(url, json=sheet_body(client_id=uuid.uuid4().hex, **body))


def stored(world) -> int:
    with world.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(SheetVersion)).scalar_one()


def test_a_seated_judge_writes_and_a_retry_is_a_replay(world):
    body = sheet_body(client_id=uuid.uuid4().hex) | {"device": "tablet-a"}
    first = ok(world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=body))
    again = ok(world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=body))
    assert (first["version"], first["replayed"], again["version"], again["replayed"]) == (1, False, 1, True)
    other = sheet_body(base=1, client_id=uuid.uuid4().hex) | {"device": "tablet-b"}
    assert world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=other).status_code == 409  # tied
    assert stored(world) == 1


def test_an_ended_or_expired_sign_in_is_refused_inside_the_write(world):
    assert put(world.judge, world).status_code == 200
    with world.engine.begin() as conn:
        conn.execute(update(SignIn).where(SignIn.judge_id == world.judge_ids["e1"]).values(expires_at=utcnow()))
    assert put(world.judge, world, entry="s02").status_code == 401
    again = world.signed_in("e1")
    assert put(again, world, entry="s03").status_code == 200
    with world.engine.begin() as conn:  # what renewing or revoking a judge's access does
        conn.execute(update(SignIn).where(SignIn.judge_id == world.judge_ids["e1"]).values(ended_at=utcnow()))
    assert put(again, world, entry="s04").status_code == 401
    assert stored(world) == 2


def test_other_roles_and_unseated_judges_are_refused(world):
    assert put(world.organiser, world).status_code == 403
    assert put(world.quiz, world).status_code == 403
    assert put(world.unseated, world).status_code == 403
    assert put(world.public, world).status_code == 401
    assert put(world.judge, world, round_id=world.extinguisher).status_code == 403  # no seat there
    assert put(world.judge, world, round_id=999_999).status_code == 404
    assert stored(world) == 0


def test_an_unknown_entry_and_one_not_assigned_are_not_found(world):
    assert put(world.judge, world, entry="nobody").status_code == 404
    with world.engine.begin() as conn:
        conn.execute(
            insert(ReviewAssignment).values(
                round_id=world.hydrant, judge_id=world.judge_ids["e1"], entry_key="s02", added_by="test"
            )
        )
    assert put(world.judge, world, entry="s01").status_code == 404  # the round has assignments; not e1's
    assert ok(put(world.judge, world, entry="s02"))["version"] == 1
    assert stored(world) == 1


def test_a_write_waiting_behind_the_rounds_lock_is_refused_once_it_commits(sessions, hydrant):  # noqa: F811
    committed(sessions, record_write, write(hydrant), RUBRIC)  # the sheet exists: its row is locked first
    locked, answers = threading.Event(), {}

    def lock_the_round() -> None:
        with sessions.begin() as db:  # holds the round's row until the writer waits for it
            db.execute(update(Round).where(Round.id == hydrant["round"]).values(publication="locked"))
            locked.set()
            time.sleep(0.5)

    def write_meanwhile() -> None:
        locked.wait(timeout=10)
        try:
            answers["write"] = committed(sessions, record_write, write(hydrant, base=1), RUBRIC)
        except Exception as exc:  # recorded, so the assertion below shows what it was
            answers["write"] = exc

    threads = [threading.Thread(target=lock_the_round), threading.Thread(target=write_meanwhile)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert isinstance(answers["write"], RoundClosed), repr(answers["write"])
    assert time.monotonic() - started >= 0.5  # it waited for the lock to commit
    assert versions(sessions) == 1


def test_a_sign_in_expiring_later_still_writes(world):
    with world.engine.begin() as conn:
        conn.execute(
            update(SignIn)
            .where(SignIn.judge_id == world.judge_ids["e1"])
            .values(expires_at=utcnow() + timedelta(minutes=1))
        )
    assert ok(put(world.judge, world))["version"] == 1
