"""Persistence on SQLite and PostgreSQL: sheets never lose or overwrite a mark; audit verifies."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from scoring.competition import load_competition
from scoring.rubrics.loader import load_rubric
from scoring.sheet_rules import Actor, SheetAction, SheetState
from scoring.store import audit, audit_verify
from scoring.store.competitions import store_competition
from scoring.store.models import Event, Judge, Round, SheetVersion
from scoring.store.sheet_writes import IdempotencyConflict, SheetRejected, SheetWrite, StaleWrite
from scoring.store.sheets import current_version, record_write
from tests.helpers import ROOT, RUBRICS, committed

POWER = ROOT / "examples" / "power_safety" / "competition.toml"
RUBRIC = load_rubric(RUBRICS / "fire_hydrant.toml")
COMPLETE = {
    "open_cabinet": "1",
    "lay_hose": "12",
    "couple": "1",
    "open_valve": "1",
    "hit_target": "18",
    "unsafe": "0",
    "no_reset": "0",
}


@pytest.fixture
def hydrant(sessions: sessionmaker[Session]) -> dict[str, int]:
    """The power-safety competition stored; the hydrant event's round and two judges."""
    committed(sessions, store_competition, load_competition(POWER), actor="test")
    with sessions() as s:
        event = s.execute(select(Event).where(Event.key == "hydrant")).scalar_one()
        round_ = s.execute(select(Round).where(Round.event_id == event.id)).scalar_one()
        judges = s.execute(select(Judge).order_by(Judge.key)).scalars().all()
        return {"round": round_.id, "rubric": event.rubric_version_id, "judge": judges[0].id, "other": judges[1].id}


def write(
    ids, action=SheetAction.SAVE, base=0, marks=None, actor=Actor.JUDGE, reason="", client_id=None, judge="judge"
):
    return SheetWrite(
        round_id=ids["round"],
        entry_key="s01",
        judge_id=ids[judge],
        rubric_version_id=ids["rubric"],
        action=action,
        actor=actor,
        base_version=base,
        client_id=client_id or uuid.uuid4().hex,
        author="e1",
        device="tablet-1",
        marks=marks,
        reason=reason,
    )


def versions(sessions) -> int:
    with sessions() as s:
        return s.execute(select(func.count()).select_from(SheetVersion)).scalar_one()


def test_migrations_run_twice_and_a_competition_is_stored(sessions, hydrant):
    from scoring.store.database import migrate

    with sessions() as s:
        migrate(s.get_bind())
        assert s.execute(select(func.count()).select_from(Judge)).scalar_one() == 7
        assert s.execute(select(func.count()).select_from(Event)).scalar_one() == 5


def test_the_migrations_build_exactly_the_models_schema(sessions):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from scoring.store.models import Base

    with sessions() as s, s.get_bind().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == [], "a model changed without a migration (or the reverse)"


def test_a_retry_with_the_same_client_id_returns_the_original_and_adds_nothing(sessions, hydrant):
    first = committed(sessions, record_write, write(hydrant, marks={"lay_hose": "12"}, client_id="c-1"), RUBRIC)
    again = committed(sessions, record_write, write(hydrant, marks={"lay_hose": "12"}, client_id="c-1"), RUBRIC)
    assert (first.version, first.replayed) == (1, False)
    assert (again.version, again.replayed, again.marks) == (1, True, {"lay_hose": "12"})
    assert versions(sessions) == 1
    with pytest.raises(IdempotencyConflict):
        committed(sessions, record_write, write(hydrant, marks={"lay_hose": "13"}, client_id="c-1"), RUBRIC)
    assert versions(sessions) == 1


def test_a_write_based_on_a_stale_version_is_refused_with_the_current_one(sessions, hydrant):
    committed(sessions, record_write, write(hydrant, marks={"lay_hose": "12"}), RUBRIC)
    committed(sessions, record_write, write(hydrant, base=1, marks={"lay_hose": "14"}), RUBRIC)
    with pytest.raises(StaleWrite) as info:
        committed(sessions, record_write, write(hydrant, base=1, marks={"lay_hose": "9"}), RUBRIC)
    assert info.value.current.version == 2 and info.value.current.marks == {"lay_hose": "14"}
    with sessions() as s:
        assert current_version(s, hydrant["round"], "s01", hydrant["judge"]).marks == {"lay_hose": "14"}


def test_the_sheet_life_cycle(sessions, hydrant):
    with pytest.raises(SheetRejected, match="not marked yet"):
        committed(sessions, record_write, write(hydrant, SheetAction.SUBMIT, marks={"lay_hose": "12"}), RUBRIC)
    v1 = committed(sessions, record_write, write(hydrant, SheetAction.SUBMIT, marks=COMPLETE), RUBRIC)
    assert v1.state is SheetState.SUBMITTED
    with pytest.raises(SheetRejected, match="'save' is not allowed on a submitted sheet"):
        committed(sessions, record_write, write(hydrant, SheetAction.SAVE, base=1, marks=COMPLETE), RUBRIC)
    with pytest.raises(SheetRejected, match="only the chief judge"):
        committed(sessions, record_write, write(hydrant, SheetAction.RETURN, base=1), RUBRIC)
    with pytest.raises(SheetRejected, match="needs a reason"):
        committed(sessions, record_write, write(hydrant, SheetAction.RETURN, base=1, actor=Actor.CHIEF), RUBRIC)
    v2 = committed(
        sessions, record_write, write(hydrant, SheetAction.RETURN, base=1, actor=Actor.CHIEF, reason="hose 12?"), RUBRIC
    )
    assert v2.state is SheetState.RETURNED and v2.marks == COMPLETE
    v3 = committed(
        sessions, record_write, write(hydrant, SheetAction.SUBMIT, base=2, marks=COMPLETE | {"lay_hose": "11"}), RUBRIC
    )
    v4 = committed(
        sessions,
        record_write,
        write(
            hydrant,
            SheetAction.CORRECT,
            base=3,
            actor=Actor.CHIEF,
            reason="paper says 10",
            marks=COMPLETE | {"lay_hose": "10"},
        ),
        RUBRIC,
    )
    v5 = committed(sessions, record_write, write(hydrant, SheetAction.LOCK, base=4, actor=Actor.CHIEF), RUBRIC)
    assert (v3.state, v4.marks["lay_hose"], v5.state) == (SheetState.SUBMITTED, "10", SheetState.LOCKED)
    with pytest.raises(SheetRejected, match=r"only the chief judge|not allowed"):  # a judge never again
        committed(sessions, record_write, write(hydrant, base=5, marks=COMPLETE), RUBRIC)
    with pytest.raises(SheetRejected, match="needs a reason"):  # the chief, only with a reason
        committed(
            sessions,
            record_write,
            write(hydrant, SheetAction.CORRECT, base=5, actor=Actor.CHIEF, marks=COMPLETE),
            RUBRIC,
        )
    assert versions(sessions) == 5
    # while its round is open (reopened after an upheld appeal), the chief may correct it, audited
    v6 = committed(
        sessions,
        record_write,
        write(hydrant, SheetAction.CORRECT, base=5, actor=Actor.CHIEF, reason="appeal upheld", marks=COMPLETE),
        RUBRIC,
    )
    assert (v6.state, v6.reason) == (SheetState.SUBMITTED, "appeal upheld")


def test_invalid_marks_are_refused_and_nothing_is_stored(sessions, hydrant):
    with pytest.raises(SheetRejected) as info:
        committed(sessions, record_write, write(hydrant, marks={"lay_hose": "16", "colour": "red"}), RUBRIC)
    assert {p.path for p in info.value.problems} == {"lay_hose", "colour"}
    assert versions(sessions) == 0


def test_racing_writers_on_one_version_one_wins_the_rest_are_stale(sessions, hydrant):
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            committed(sessions, record_write, write(hydrant, marks={"lay_hose": str(i)}), RUBRIC)
            outcomes.append("ok")
        except StaleWrite:
            outcomes.append("stale")

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] + ["stale"] * 5
    assert versions(sessions) == 1
    with sessions() as s:
        assert audit_verify.verify(s)[1] == []


def _three_writes(sessions, hydrant):
    committed(sessions, record_write, write(hydrant, marks={"lay_hose": "12"}), RUBRIC)
    committed(sessions, record_write, write(hydrant, base=1, marks={"lay_hose": "13"}), RUBRIC)
    committed(sessions, record_write, write(hydrant, base=2, marks={"lay_hose": "14"}), RUBRIC)


def findings_after(sessions, sql: str):
    with sessions.begin() as s:
        s.execute(text(sql))
    with sessions() as s:
        return audit_verify.verify(s)


def test_audit_chain_verifies_when_untouched(sessions, hydrant):
    _three_writes(sessions, hydrant)
    with sessions() as s:
        count, findings = audit_verify.verify(s)
    assert (count, findings) == (5, [])  # the competition, the sheet's tie to its device, three sheet writes


def test_audit_detects_an_edited_record(sessions, hydrant):
    _three_writes(sessions, hydrant)
    _, findings = findings_after(sessions, "UPDATE audit_records SET actor = 'someone else' WHERE seq = 3")
    assert [(f.seq, "edited" in f.en) for f in findings] == [(3, True)]


def test_audit_detects_a_deleted_record(sessions, hydrant):
    _three_writes(sessions, hydrant)
    _, findings = findings_after(sessions, "DELETE FROM audit_records WHERE seq = 2")
    assert findings[0].seq == 3 and "record(s) 2 before it are missing" in findings[0].en


def test_audit_detects_deleting_the_newest_record(sessions, hydrant):
    _three_writes(sessions, hydrant)
    _, findings = findings_after(sessions, "DELETE FROM audit_records WHERE seq = 5")
    assert [f.en for f in findings] == ["the newest record(s) 5 to 5 are missing (deleted)"]


def test_audit_detects_an_inserted_record(sessions, hydrant):
    _three_writes(sessions, hydrant)
    with sessions() as s:
        second = s.execute(text("SELECT hash FROM audit_records WHERE seq = 2")).scalar_one()
    forged = audit.record_hash(6, "2026-01-01T00:00:00+00:00", "x", "", "sheet.save", "sheet", "1", None, None, second)
    _, findings = findings_after(
        sessions,
        "INSERT INTO audit_records (seq, at, actor, address, action, entity, entity_id, prev_hash, hash) "
        f"VALUES (6, '2026-01-01T00:00:00+00:00', 'x', '', 'sheet.save', 'sheet', '1', '{second}', '{forged}')",
    )
    assert [f.seq for f in findings] == [6, None]
    assert "link to the record before does not match" in findings[0].en
