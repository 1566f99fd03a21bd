"""The audit chain proves what it says (issue 9, item 6): keyed with a secret kept outside the
database, bound to every stored sheet version, anchored by a head printed outside, and never
whole when empty; `scoring audit verify` reads only."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from scoring.competition import load_competition
from scoring.rubrics.loader import load_rubric
from scoring.sheet_rules import Actor, SheetAction
from scoring.store import audit, audit_verify
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.models import AuditHead, AuditRecord, Event, Judge, Round, Sheet, SheetVersion
from scoring.store.sheet_writes import SheetWrite
from scoring.store.sheets import record_write
from server.cli import app
from tests.helpers import ROOT, RUBRICS, committed

POWER = ROOT / "examples" / "power_safety" / "competition.toml"
RUBRIC = load_rubric(RUBRICS / "fire_hydrant.toml")
KEY = b"k" * 32
runner = CliRunner()


def run(*args: Any) -> Any:
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def engine(database_url: str) -> Iterator[Any]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def keyed(engine: Any) -> sessionmaker[Session]:
    return session_factory(engine, audit_key=KEY)


@pytest.fixture
def bare(engine: Any) -> sessionmaker[Session]:
    return session_factory(engine)


def sheet_write(ids: dict[str, int], base: int, lay_hose: str, judge: str = "judge") -> SheetWrite:
    return SheetWrite(
        round_id=ids["round"],
        entry_key="s01",
        judge_id=ids[judge],
        rubric_version_id=ids["rubric"],
        action=SheetAction.SAVE,
        actor=Actor.JUDGE,
        base_version=base,
        client_id=uuid.uuid4().hex,
        author="e1",
        device="tablet-1",
        marks={"lay_hose": lay_hose},
    )


def stored(sessions: sessionmaker[Session]) -> dict[str, int]:
    """The power-safety competition and three versions of one sheet, written with `sessions`."""
    committed(sessions, store_competition, load_competition(POWER), actor="test")
    with sessions() as s:
        event = s.execute(select(Event).where(Event.key == "hydrant")).scalar_one()
        round_ = s.execute(select(Round).where(Round.event_id == event.id)).scalar_one()
        judges = s.execute(select(Judge).order_by(Judge.key)).scalars().all()
        ids = {"round": round_.id, "rubric": event.rubric_version_id, "judge": judges[0].id, "other": judges[1].id}
    for base, mark in enumerate(("12", "13", "14")):
        committed(sessions, record_write, sheet_write(ids, base, mark), RUBRIC)
    return ids


def check(sessions: sessionmaker[Session], anchors: list[audit.Head] | None = None) -> audit_verify.Report:
    with sessions() as s:
        return audit_verify.verify_chain(s, anchors or [])


def sql(sessions: sessionmaker[Session], statement: str) -> None:
    with sessions.begin() as s:
        s.execute(text(statement))


def rechain(
    sessions: sessionmaker[Session],
    key: bytes | None,
    edit: Callable[[Session, AuditRecord], None] = lambda s, r: None,
) -> None:
    """What someone who can write the database does to hide a change: edit records and compute
    every hash again, each link and the head with them, with `key` (None: plain SHA-256)."""
    with sessions.begin() as s:
        prev = audit.GENESIS
        for r in s.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars().all():
            edit(s, r)
            r.prev_hash = prev
            r.key_id = audit.key_id(key) if key else ""
            fields = (r.seq, r.at, r.actor, r.address, r.action, r.entity, r.entity_id, r.before, r.after, prev)
            r.hash = prev = audit.record_hash(*fields, key=key)
            last = r.seq
        head = s.get(AuditHead, 1)
        assert head is not None
        head.seq, head.hash = last, prev


def lower_marks(s: Session, record: AuditRecord) -> None:
    """The forger's edit: the second version's record says lay_hose 5, as the table now does, with
    the digest of the changed row (a digest anyone can compute; the record's hash binds it)."""
    if record.action == "sheet.save" and record.after["version"] == 2:
        sheet, version = s.execute(
            select(Sheet, SheetVersion).join(Sheet, Sheet.id == SheetVersion.sheet_id).where(SheetVersion.version == 2)
        ).one()
        digest = audit.version_digest(sheet, version)
        record.after = {**record.after, "marks": {"lay_hose": "5"}, "digest": digest}


def test_a_keyed_chain_verifies_with_its_key_and_names_it(keyed):
    stored(keyed)
    report = check(keyed)
    assert (report.records, report.findings, report.versions) == (5, [], 3)
    assert report.keyed == 5 and report.key_id == audit.key_id(KEY) and report.unkeyed_prefix == 0
    assert report.head is not None and report.head.seq == 5


def test_marks_changed_in_sheet_versions_are_found(keyed):
    stored(keyed)
    sql(keyed, """UPDATE sheet_versions SET marks = '{"lay_hose": "5"}' WHERE version = 2""")
    findings = check(keyed).findings
    assert len(findings) == 1 and findings[0].seq == 4, findings
    assert "version 2 does not match this record of it" in findings[0].en


def test_versions_inserted_deleted_or_moved_to_another_judge_are_found(keyed):
    ids = stored(keyed)
    sql(
        keyed,
        "INSERT INTO sheet_versions (sheet_id, version, state, action, marks, notes, client_id, payload_digest, "
        "author, device, reason, created_at) SELECT sheet_id, 4, state, action, marks, notes, 'forged', "
        "payload_digest, author, device, reason, created_at FROM sheet_versions WHERE version = 3",
    )
    [inserted] = check(keyed).findings
    assert f"{ids['round']}/s01/{ids['judge']} version 4 has no audit record" in inserted.en
    sql(keyed, "DELETE FROM sheet_versions WHERE version >= 3")
    [deleted] = check(keyed).findings
    assert deleted.seq == 5 and f"{ids['round']}/s01/{ids['judge']} version 3, is missing" in deleted.en
    sql(keyed, f"UPDATE sheets SET judge_id = {ids['other']}")
    moved = [f.en for f in check(keyed).findings]
    assert sum("has no audit record" in f for f in moved) == 2 and sum("is missing (deleted)" in f for f in moved) == 3


def test_a_chain_rewritten_with_plain_sha256_is_found(keyed):
    stored(keyed)
    sql(keyed, """UPDATE sheet_versions SET marks = '{"lay_hose": "5"}' WHERE version = 2""")
    rechain(keyed, None, lower_marks)
    assert check(session_factory(keyed.kw["bind"])).findings == []  # consistent, unkeyed: the old check passed it
    findings = [f.en for f in check(keyed).findings]
    assert findings == [
        "no record is keyed with this deployment's key: the whole chain could have been rewritten by someone "
        "who does not hold the key"
    ]


def test_a_chain_rewritten_with_another_key_is_found(keyed):
    stored(keyed)
    rechain(keyed, b"x" * 32, lower_marks)
    findings = check(keyed).findings
    assert findings and "were made with another key" in findings[0].en


def test_records_written_without_the_key_after_keyed_ones_are_named(keyed, bare):
    ids = stored(keyed)
    committed(bare, record_write, sheet_write(ids, 3, "15"), RUBRIC)  # a process without the deployment's key
    findings = check(keyed).findings
    assert [f.seq for f in findings] == [6] and "carry no key although records before them do" in findings[0].en
    # verified without the key, the keyed records cannot be checked: said, not passed
    assert any("this check has no key" in f.en for f in check(bare).findings)


def test_unkeyed_records_before_the_key_are_vouched_for_by_the_keyed_ones_after(keyed, bare):
    """A store written before the chain was keyed (migration 0008) keeps verifying once keyed."""
    ids = stored(bare)
    assert check(bare).findings == []  # tests' bare sessions: unkeyed throughout, consistent
    assert "no record is keyed" in check(keyed).findings[0].en  # nothing vouches for them yet
    committed(keyed, record_write, sheet_write(ids, 3, "15"), RUBRIC)
    report = check(keyed)
    assert report.findings == [] and report.unkeyed_prefix == 5 and report.keyed == 1
    assert "written before the chain was keyed" in report.notes[0].en
    with keyed.begin() as s:  # the unkeyed records rewritten consistently, as anyone could
        prev = audit.GENESIS
        for r in s.execute(select(AuditRecord).where(AuditRecord.seq <= 5).order_by(AuditRecord.seq)).scalars():
            r.actor, r.prev_hash = "someone else", prev
            fields = (r.seq, r.at, r.actor, r.address, r.action, r.entity, r.entity_id, r.before, r.after, prev)
            r.hash = prev = audit.record_hash(*fields)
    [found] = check(keyed).findings  # the keyed record's link, which only the key could make again
    assert found.seq == 6 and "its link to the record before does not match" in found.en


def test_a_record_from_before_digests_still_binds_its_marks(bare):
    ids = stored(bare)

    def strip(s: Session, record: AuditRecord) -> None:
        if isinstance(record.after, dict) and "digest" in record.after:
            record.after = {k: v for k, v in record.after.items() if k != "digest"}

    rechain(bare, None, strip)
    assert check(bare).findings == []
    sql(bare, """UPDATE sheet_versions SET marks = '{"lay_hose": "5"}' WHERE version = 2""")
    [found] = check(bare).findings
    assert found.seq == 4 and f"{ids['round']}/s01/{ids['judge']} version 2 does not match" in found.en


def test_deleting_every_audit_record_is_found(keyed):
    stored(keyed)
    sql(keyed, "DELETE FROM audit_records")
    findings = [f.en for f in check(keyed).findings]
    assert "the newest record(s) 1 to 5 are missing (deleted)" in findings
    assert any("the audit log has no records" in f for f in findings)
    sql(keyed, "DELETE FROM audit_head")
    findings = [f.en for f in check(keyed).findings]
    assert any("the audit log has no records" in f for f in findings)
    assert sum("has no audit record" in f for f in findings) == 3  # the sheet's three versions


def test_a_chain_rewritten_by_a_key_holder_is_found_by_the_head_printed_before(keyed):
    stored(keyed)
    printed = check(keyed).head
    assert printed is not None
    sql(keyed, """UPDATE sheet_versions SET marks = '{"lay_hose": "5"}' WHERE version = 2""")
    rechain(keyed, KEY, lower_marks)
    assert check(keyed).findings == []  # with the key, the rewrite is consistent
    [found] = check(keyed, [printed]).findings
    assert found.seq == 5 and "does not match the head exported" in found.en
    sql(keyed, "DELETE FROM audit_records WHERE seq = 5")
    sql(keyed, "UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_records WHERE seq = 4)")
    assert any("no record 5" in f.en for f in check(keyed, [printed]).findings)


# -- the command ---------------------------------------------------------------------------------


@pytest.fixture
def plain_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("SCORING_DATABASE_URL", raising=False)
    monkeypatch.delenv("SCORING_DATA_DIR", raising=False)
    monkeypatch.delenv("SCORING_SECRET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_verify_checks_the_chain_the_server_of_that_folder_wrote(plain_env):
    from litestar.testing import TestClient

    from server.app import create_app
    from server.settings import Settings

    data = plain_env / "data"
    made = run("init", "--data", data, "--competition", POWER)
    assert made.exit_code == 0, made.output
    password = made.output.split("password: ")[1].split()[0]
    with sqlite3.connect(data / "scoring.sqlite3") as db:
        judge = db.execute("SELECT id FROM judges ORDER BY id LIMIT 1").fetchone()[0]
    with TestClient(create_app(Settings.from_env(data))) as client:
        assert client.post("/api/session", json={"username": "organiser", "password": password}).status_code == 200
        assert client.post(f"/api/admin/judges/{judge}/access").status_code == 200
    result = run("audit", "verify", "--data", data)
    assert result.exit_code == 0, result.output
    assert "3 records verified" in result.output and "key id" in result.output
    with sqlite3.connect(data / "scoring.sqlite3") as db:
        assert {row[0] for row in db.execute("SELECT key_id FROM audit_records")} != {""}


def test_verify_names_sheet_versions_changed_in_the_table(plain_env):
    data = plain_env / "data"
    assert run("init", "--data", data, "--competition", POWER).exit_code == 0
    from web.security import audit_key, load_secret

    sessions = session_factory(
        make_engine(f"sqlite:///{data / 'scoring.sqlite3'}"), audit_key=audit_key(load_secret(data, None))
    )
    with sessions() as s:
        event = s.execute(select(Event).where(Event.key == "hydrant")).scalar_one()
        round_ = s.execute(select(Round).where(Round.event_id == event.id)).scalar_one()
        judge = s.execute(select(Judge).order_by(Judge.key)).scalars().first()
        assert judge is not None
    ids = {"round": round_.id, "rubric": event.rubric_version_id, "judge": judge.id}
    committed(sessions, record_write, sheet_write(ids, 0, "12"), RUBRIC)
    assert run("audit", "verify", "--data", data).exit_code == 0
    with sqlite3.connect(data / "scoring.sqlite3") as db:
        db.execute("""UPDATE sheet_versions SET marks = '{"lay_hose": "19"}'""")
    bad = run("audit", "verify", "--data", data)
    assert bad.exit_code == 1 and "does not match this record of it" in bad.output, bad.output


def test_head_prints_the_head_and_verify_expects_it(plain_env):
    data = plain_env / "data"
    assert run("init", "--data", data, "--competition", POWER).exit_code == 0
    printed = run("audit", "head", "--data", data)
    assert printed.exit_code == 0, printed.output
    with sqlite3.connect(data / "scoring.sqlite3") as db:
        seq, digest = db.execute("SELECT seq, hash FROM audit_head").fetchone()
    assert printed.output.splitlines()[0] == f"{seq}:{digest}" and seq == 2
    assert run("audit", "verify", "--data", data, "--expect", f"{seq}:{digest}").exit_code == 0
    wrong = run("audit", "verify", "--data", data, "--expect", f"{seq}:{'0' * 64}")
    assert wrong.exit_code == 1 and "does not match the head exported" in wrong.output
    assert run("audit", "verify", "--data", data, "--expect", "two:abc").exit_code == 2
    with sqlite3.connect(data / "scoring.sqlite3") as db:
        db.execute("UPDATE audit_records SET actor = 'x' WHERE seq = 1")
    refused = run("audit", "head", "--data", data)  # the head of a broken chain vouches for nothing
    assert refused.exit_code == 1 and f"{seq}:{digest}" not in refused.output


def test_verify_refuses_an_empty_log(plain_env):
    data = plain_env / "data"
    assert run("init", "--data", data).exit_code == 0
    with sqlite3.connect(data / "scoring.sqlite3") as db:
        db.execute("DELETE FROM audit_records")
        db.execute("DELETE FROM audit_head")
    result = run("audit", "verify", "--data", data)
    assert result.exit_code == 1 and "the audit log has no records" in result.output, result.output


def test_verify_of_a_missing_folder_or_key_fails_and_creates_nothing(plain_env):
    mistyped = plain_env / "dta"
    result = run("audit", "verify", "--data", mistyped)
    assert result.exit_code == 1 and "no database" in result.output
    assert run("audit", "head", "--data", mistyped).exit_code == 1
    assert list(plain_env.iterdir()) == []
    data = plain_env / "data"
    assert run("init", "--data", data).exit_code == 0
    (data / "secret.key").unlink()
    before = sorted(p.name for p in data.iterdir())
    keyless = run("audit", "verify", "--data", data)
    assert keyless.exit_code == 1 and "no key for the audit chain" in keyless.output, keyless.output
    assert sorted(p.name for p in data.iterdir()) == before  # no new secret.key made


def test_verify_never_migrates_a_store(plain_env):
    """A store at an older schema is refused with how to upgrade it, and left at its schema."""
    from alembic import command
    from alembic.config import Config

    from scoring.store.database import MIGRATIONS

    data = plain_env / "data"
    assert run("init", "--data", data).exit_code == 0
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(f"sqlite:///{data / 'scoring.sqlite3'}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    engine.dispose()
    result = run("audit", "verify", "--data", data)
    assert result.exit_code == 1 and "scoring init --data" in result.output, result.output
    with sqlite3.connect(data / "scoring.sqlite3") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0007"
