"""Publishing a stored competition's results: notice, appeals, final, corrections and versions,
organisation awards (results/publishing.py over the cement example, every round locked)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from results.appeals import ATTACHMENT_MAX, Attachment, decide_appeal, lodge_appeal
from results.publishing import (
    correct_final,
    decide_organisation_award,
    publication_record,
    publication_snapshot,
    publish_final,
    publish_notice,
    withdraw_notice,
)
from scoring.problems import InvalidInput
from scoring.refusals import Conflict
from scoring.store.models import AuditRecord, Event, ResultPublication, Round, Unit
from scoring.store.official_values import current_values, record_values
from scoring.store.publication import move_publication
from tests.integration.stored_examples import StoredExample

KEY = "cement-team-leaders-2023"
NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
DEADLINE = NOW + timedelta(days=7)
AFTER = DEADLINE + timedelta(minutes=1)
PDF = Attachment("proof.pdf", "application/pdf", b"%PDF-1.4 proof")


@pytest.fixture
def sessions(stored_cement: StoredExample, tmp_path: Path) -> sessionmaker[Session]:
    return stored_cement.sessions(tmp_path)


def theory_round(db: Session) -> int:
    return db.execute(
        select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == "theory")
    ).scalar_one()


def states(db: Session) -> set[str]:
    return set(db.scalars(select(Round.publication)))


def change_theory_mark(db: Session, round_id: int, reason: str) -> str:
    """Reopen the theory round, change one contestant's first answer, lock the round again;
    returns the contestant."""
    move_publication(db, round_id, "open", "organiser:test")
    values = current_values(db, round_id)
    entry = sorted(values)[0]
    changed = dict(values[entry])
    first = sorted(changed)[0]
    options = ["A", "B", "C", "D"]
    changed[first] = next(o for o in options if o != changed[first])
    record_values(db, round_id=round_id, entry=entry, values=changed, client_id="fix-1", author="chief", reason=reason)
    move_publication(db, round_id, "locked", "chief")
    return entry


def test_notice_refused_while_a_round_is_open(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as db:
        move_publication(db, theory_round(db), "open", "organiser:test")
    with sessions.begin() as db, pytest.raises(Conflict) as refused:
        publish_notice(db, KEY, DEADLINE, "organiser:test", now=NOW)
    assert "theory" in refused.value.en and refused.value.zh


def test_notice_then_final_records_snapshots_and_the_audit_head(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as db:
        notice = publish_notice(db, KEY, DEADLINE, "organiser:test", now=NOW)
    assert notice["kind"] == "notice" and notice["version"] == 1 and notice["seq"] == 1
    with sessions() as db:
        assert states(db) == {"notice"}
        row = db.execute(select(ResultPublication)).scalar_one()
        record = db.get(AuditRecord, row.audit_seq)
        assert record is not None and record.hash == row.audit_hash  # the chain's head at that moment
        assert record.action == "round.publication"
        snap = publication_snapshot(db, KEY, 1)
    assert snap["format"] == 1 and snap["kind"] == "notice" and snap["changes"] == []
    assert snap["deadline"] == DEADLINE.isoformat() and snap["audit"] == {"seq": row.audit_seq, "hash": row.audit_hash}
    assert len(snap["overall"]) == 28 and snap["overall"][0]["place"] == "1"
    assert all(isinstance(v, str) for r in snap["overall"] for v in r["scores"].values())
    assert {a["key"] for a in snap["awards"]} >= {"first", "second", "third"}
    assert set(snap["event_standings"]) == {e["key"] for e in snap["events"]}
    with sessions.begin() as db, pytest.raises(Conflict):
        publish_final(db, KEY, "organiser:test", now=NOW)  # before the deadline
    with sessions.begin() as db, pytest.raises(InvalidInput):
        publish_final(db, KEY, "organiser:test", early=True, reason=" ", now=NOW)
    with sessions.begin() as db:
        final = publish_final(db, KEY, "organiser:test", now=AFTER)
        assert states(db) == {"final"}
    assert final["kind"] == "final" and final["version"] == 1 and final["seq"] == 2
    with sessions() as db:
        snap2 = publication_snapshot(db, KEY, 2)
    assert snap2["deadline"] is None and snap2["overall"] == snap["overall"] and snap2["changes"] == []


def test_final_refused_with_undecided_or_upheld_appeals(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as db:
        publish_notice(db, KEY, DEADLINE, "organiser:test", now=NOW)
        appeal = lodge_appeal(db, KEY, "t01", "理论成绩计算有误", "leader:t01", PDF, now=NOW)
        other = lodge_appeal(db, KEY, "t02", "重新核对", "organiser:test", now=NOW)
    assert appeal["number"] == 1 and appeal["attachment"]["bytes"] == len(PDF.data)
    with sessions.begin() as db, pytest.raises(Conflict):
        publish_final(db, KEY, "organiser:test", now=AFTER)
    with sessions.begin() as db:
        decide_appeal(db, KEY, other["id"], "dismissed", "核对无误", "chief")
        with pytest.raises(Conflict):
            decide_appeal(db, KEY, other["id"], "upheld", "changed mind", "chief")  # decided once
    with sessions.begin() as db, pytest.raises(Conflict):
        publish_final(db, KEY, "organiser:test", now=AFTER)  # appeal 1 still undecided
    with sessions.begin() as db:
        decide_appeal(db, KEY, appeal["id"], "upheld", "答案 1 判错", "arbitration")
    with sessions.begin() as db, pytest.raises(Conflict) as refused:
        publish_final(db, KEY, "organiser:test", now=AFTER)
    assert "upheld" in refused.value.en
    with sessions.begin() as db, pytest.raises(Conflict):
        lodge_appeal(db, KEY, "t03", "too late", "leader:t03", now=AFTER)  # after the deadline


def test_upheld_appeal_leads_to_a_corrected_notice_whose_changes_say_why(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as db:
        publish_notice(db, KEY, DEADLINE, "organiser:test", now=NOW)
    with sessions() as db:
        before = publication_snapshot(db, KEY, 1)
    team = before["overall"][5]["entry"]
    with sessions.begin() as db:
        appeal = lodge_appeal(db, KEY, team, "理论第一题判分有误", "leader", now=NOW)
        decide_appeal(db, KEY, appeal["id"], "upheld", "第一题答案更正", "arbitration")
        withdraw_notice(db, KEY, "申诉 #1 更正理论成绩", "organiser:test")
        assert states(db) == {"locked"}
        round_id = theory_round(db)
        entry = change_theory_mark(db, round_id, "appeal #1")
        notice = publish_notice(db, KEY, DEADLINE, "organiser:test", now=NOW)
    assert notice["seq"] == 3 and notice["version"] == 1 and notice["changes"] >= 1
    with sessions() as db:
        after = publication_snapshot(db, KEY, 3)
        record = publication_record(db, KEY)
    assert [p["kind"] for p in record["publications"]] == ["notice", "withdrawn", "notice"]
    assert record["appeals"][0]["outcome"] == "upheld"
    changed = {c["entry"]: c for c in after["changes"]}
    assert changed and all(c["before"] != c["after"] for c in changed.values())
    assert any("申诉 #1" in c["why"]["zh"] or "更正" in c["why"]["zh"] for c in changed.values())
    assert entry  # the contestant whose answer was corrected


def test_correction_after_final_publishes_version_two_and_keeps_version_one(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as db:
        publish_notice(db, KEY, DEADLINE, "organiser:test", now=NOW)
        publish_final(db, KEY, "organiser:test", early=True, reason="no appeals expected", now=NOW)
    with sessions() as db:
        v1 = publication_snapshot(db, KEY, 2)
    with sessions.begin() as db, pytest.raises(Conflict):
        move_publication(db, theory_round(db), "locked", "organiser:test")  # not without a correction
    with sessions.begin() as db:
        round_id = theory_round(db)
        correct_final(db, KEY, [round_id], "复核发现理论题答案键错误", "organiser:test")
        change_theory_mark(db, round_id, "re-check")
        assert publish_notice(db, KEY, DEADLINE, "organiser:test", now=NOW)["version"] == 2
        final = publish_final(db, KEY, "organiser:test", now=AFTER)
    assert final["version"] == 2
    with sessions() as db:
        rows = list(db.scalars(select(ResultPublication).order_by(ResultPublication.seq)))
        assert [(r.kind, r.version) for r in rows] == [
            ("notice", 1),
            ("final", 1),
            ("withdrawn", 2),
            ("notice", 2),
            ("final", 2),
        ]
        assert publication_snapshot(db, KEY, 2) == v1  # version 1 unchanged
        notice2 = publication_snapshot(db, KEY, 4)
    assert notice2["changes"] and all("复核" in c["why"]["zh"] for c in notice2["changes"])


def test_appeal_attachment_bounds(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as db:
        publish_notice(db, KEY, DEADLINE, "organiser:test", now=NOW)
    too_big = Attachment("big.pdf", "application/pdf", b"%PDF-" + b"0" * ATTACHMENT_MAX)
    not_pdf = Attachment("x.pdf", "application/pdf", b"MZ executable")
    wrong_type = Attachment("x.html", "text/html", b"<script>")
    for attachment in (too_big, not_pdf, wrong_type):
        with sessions.begin() as db, pytest.raises(InvalidInput):
            lodge_appeal(db, KEY, "t01", "reason", "leader", attachment, now=NOW)
    with sessions.begin() as db, pytest.raises(InvalidInput):
        lodge_appeal(db, KEY, "t01", "x" * 2001, "leader", now=NOW)
    with sessions.begin() as db:
        png = Attachment("p.png", "image/png", b"\x89PNG\r\n\x1a\n....")
        first = lodge_appeal(db, KEY, "t01", "reason", "leader", png, client_id="c1", now=NOW)
        again = lodge_appeal(db, KEY, "t01", "reason", "leader", png, client_id="c1", now=NOW)
    assert first["id"] == again["id"]


def test_organisation_award_decisions_reach_the_award_lists(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as db:
        unit = sorted(db.scalars(select(Unit.key)))[0]
        decide_organisation_award(db, KEY, "organisation", unit, "give", "组织参赛积极", "organiser:test")
        with pytest.raises(Conflict):
            decide_organisation_award(db, KEY, "organisation", unit, "give", "again", "organiser:test")
        with pytest.raises(InvalidInput):
            decide_organisation_award(db, KEY, "first", unit, "give", "not an organisation award", "organiser:test")
        publish_notice(db, KEY, DEADLINE, "organiser:test", now=NOW)
    with sessions() as db:
        awards = {a["key"]: a for a in publication_snapshot(db, KEY, 1)["awards"]}
    assert [(r["entry"], r["reason"]) for r in awards["organisation"]["recipients"]] == [(unit, "组织参赛积极")]
    with sessions.begin() as db:
        decide_organisation_award(db, KEY, "organisation", unit, "withdraw", "弄错了", "organiser:test")
        assert publication_record(db, KEY)["organisation_awards"] == []


def test_team_link_is_signed_and_names_one_team() -> None:
    from web.security import read_team_token, sign_team_token

    secret, other = b"s" * 32, b"o" * 32
    token = sign_team_token(secret, 3, "t05")
    assert read_team_token(secret, token) == (3, "t05")
    assert read_team_token(other, token) is None  # another deployment's key
    mac = token.rpartition(".")[2]
    forged = sign_team_token(secret, 3, "t06").rpartition(".")[0] + "." + mac  # t06 with t05's signature
    assert read_team_token(secret, forged) is None
    assert read_team_token(secret, "3.dDA1.AAAA") is None and read_team_token(secret, "garbage") is None
