"""Storing the call for entries and its works: the call, a unit's submissions and revisions
(append-only versions), their files, and the organiser's eligibility decisions.

A work's files are written once under `files_dir` by their SHA-256 (written to a temporary
name, then renamed, so a reader never sees half a file); the rows saying which work version
attached which hash are added in the caller's transaction. A request refused after a file was
written leaves an unreferenced file, never a row: nothing serves a file no version names.

An eligible work becomes an entry of the review round: a team row of the competition keyed by
the work's key, in the work's unit, named by its title (so the engine, standings, awards by
rank and the units' organisation awards read works as they read teams). Each use case runs in
the caller's transaction and appends an audit record. Form rules are scoring/works_form.py.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scoring.refusals import Conflict, NotFound
from scoring.store import audit
from scoring.store.models import Team
from scoring.store.works_models import ReviewAssignment, Work, WorkCall, WorkDecision, WorkFile, WorkVersion
from scoring.works_form import CallRules, Category, Submission, check_submission, open_for_submission


@dataclass(frozen=True)
class WorkState:
    """A work with its latest version and its latest eligibility decision (None: not checked)."""

    work: Work
    version: WorkVersion
    decision: WorkDecision | None

    @property
    def status(self) -> str:
        """submitted (not yet checked, or revised since), eligible, or refused."""
        if self.decision is None or self.decision.version != self.version.version:
            return "eligible" if self.decision is not None and self.decision.eligible else "submitted"
        return "eligible" if self.decision.eligible else "refused"


def call_rules(call: WorkCall) -> CallRules:
    return CallRules(
        tuple(Category(c["key"], c["zh"], c["en"]) for c in call.categories),
        call.deadline,
        call.attachment_max_bytes,
        call.attachments_max,
    )


def call_of(db: Session, competition_id: int) -> WorkCall:
    found = db.execute(select(WorkCall).where(WorkCall.competition_id == competition_id)).scalar_one_or_none()
    if found is None:
        raise NotFound("该竞赛没有作品征集", "this competition has no call for entries")
    return found


def open_call(db: Session, actor: str, **fields: Any) -> WorkCall:
    """The competition's call for entries (one per competition)."""
    exists = db.execute(select(WorkCall.id).where(WorkCall.competition_id == fields["competition_id"])).first()
    if exists is not None:
        raise Conflict("该竞赛已有作品征集", "this competition already has a call for entries")
    call = WorkCall(**fields)
    db.add(call)
    db.flush()
    audit.append(
        db,
        actor=actor,
        action="works.call",
        entity="work_call",
        entity_id=str(call.id),
        after={"round": call.round_id, "deadline": call.deadline.isoformat(), "reviews": call.reviews_per_work},
    )
    return call


def store_file(files_dir: Path, data: bytes) -> str:
    """Keep `data` at files_dir/<sha256> (once) and return the hash."""
    digest = hashlib.sha256(data).hexdigest()
    target = files_dir / digest
    if not target.exists():
        files_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=files_dir, prefix=".part-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    return digest


def work_states(db: Session, call_id: int, unit_key: str | None = None) -> list[WorkState]:
    """The call's works (or one unit's), by key, each with its latest version and decision."""
    query = select(Work).where(Work.call_id == call_id).order_by(Work.key)
    if unit_key is not None:
        query = query.where(Work.unit_key == unit_key)
    works = list(db.execute(query).scalars())
    ids = [w.id for w in works]
    versions: dict[int, WorkVersion] = {}
    decisions: dict[int, WorkDecision] = {}
    if ids:
        for v in db.execute(select(WorkVersion).where(WorkVersion.work_id.in_(ids)).order_by(WorkVersion.version)):
            versions[v[0].work_id] = v[0]
        for d in db.execute(select(WorkDecision).where(WorkDecision.work_id.in_(ids)).order_by(WorkDecision.id)):
            decisions[d[0].work_id] = d[0]
    return [WorkState(w, versions[w.id], decisions.get(w.id)) for w in works]


def work_state(db: Session, call_id: int, key: str) -> WorkState:
    work = db.execute(select(Work).where(Work.call_id == call_id, Work.key == key)).scalar_one_or_none()
    if work is None:
        raise NotFound(f"没有作品“{key}”", f"no work '{key}'")
    version = db.execute(
        select(WorkVersion).where(WorkVersion.work_id == work.id).order_by(WorkVersion.version.desc()).limit(1)
    ).scalar_one()
    decision = db.execute(
        select(WorkDecision).where(WorkDecision.work_id == work.id).order_by(WorkDecision.id.desc()).limit(1)
    ).scalar_one_or_none()
    return WorkState(work, version, decision)


def submit_work(
    db: Session,
    call: WorkCall,
    unit_key: str,
    submission: Submission,
    files_dir: Path,
    *,
    client_id: str,
    actor: str,
    now: datetime,
    work_key: str | None = None,
    keep: tuple[str, ...] = (),
) -> WorkState:
    """A unit's new work (`work_key` None) or a revision of its own work, before the deadline.
    A revision keeps the files of the last version whose hashes are in `keep`. A retry with the
    same client id answers what the first made."""
    replayed = _replay(db, call.id, unit_key, client_id)
    if replayed is not None:
        return replayed
    rules = call_rules(call)
    open_for_submission(rules, now)
    last: WorkState | None = None
    if work_key is not None:
        last = work_state(db, call.id, work_key)
        if last.work.unit_key != unit_key:
            raise NotFound(f"没有作品“{work_key}”", f"no work '{work_key}'")
    kept = [a for a in (last.version.attachments if last else []) if a["sha256"] in keep]
    found = check_submission(rules, submission, kept_attachments=len(kept))
    attachments = list(kept)
    for upload, (name, content_type) in zip(submission.uploads, found, strict=True):
        digest = store_file(files_dir, upload.data)
        if (
            db.execute(select(WorkFile.id).where(WorkFile.call_id == call.id, WorkFile.sha256 == digest)).first()
            is None
        ):
            db.add(WorkFile(call_id=call.id, sha256=digest, content_type=content_type, size=len(upload.data)))
        attachments.append({"name": name, "sha256": digest, "type": content_type, "size": len(upload.data)})
    if last is None:
        work = Work(call_id=call.id, key=_next_key(db, call.id), unit_key=unit_key, client_id=client_id)
        db.add(work)
        db.flush()
        number = 1
    else:
        work, number = last.work, last.version.version + 1
    version = WorkVersion(
        work_id=work.id,
        version=number,
        title=submission.title.strip(),
        authors=submission.authors.strip(),
        category=submission.category,
        abstract=submission.abstract.strip(),
        video_links=list(submission.video_links),
        attachments=attachments,
        client_id=client_id,
        author=actor,
        created_at=now,
    )
    db.add(version)
    db.flush()
    team = _entry_of(db, call.competition_id, work.key)
    if team is not None:  # an eligible work's entry carries its current title
        team.name_zh = team.name_en = version.title
    audit.append(
        db,
        actor=actor,
        action="works.submit" if number == 1 else "works.revise",
        entity="work",
        entity_id=f"{call.id}/{work.key}",
        after={"version": number, "title": version.title, "files": [a["sha256"] for a in attachments]},
    )
    return WorkState(work, version, last.decision if last else None)


def _replay(db: Session, call_id: int, unit_key: str, client_id: str) -> WorkState | None:
    found = db.execute(
        select(Work.key)
        .join(WorkVersion, WorkVersion.work_id == Work.id)
        .where(Work.call_id == call_id, Work.unit_key == unit_key, WorkVersion.client_id == client_id)
    ).first()
    return work_state(db, call_id, found[0]) if found is not None else None


def _next_key(db: Session, call_id: int) -> str:
    db.get(WorkCall, call_id, with_for_update=True)  # one new key at a time
    count = db.execute(select(func.count()).select_from(Work).where(Work.call_id == call_id)).scalar_one()
    return f"W{count + 1:03}"


def _entry_of(db: Session, competition_id: int, key: str) -> Team | None:
    return db.execute(select(Team).where(Team.competition_id == competition_id, Team.key == key)).scalar_one_or_none()


def decide_eligibility(db: Session, call: WorkCall, key: str, eligible: bool, reason: str, actor: str) -> WorkState:
    """The organiser's check of a work's latest version: eligible (it becomes an entry of the
    review round), or refused with a reason the unit reads. A work already an entry cannot be
    refused (its reviews may have begun); a refused work may be checked again after a revision."""
    state = work_state(db, call.id, key)
    reason = reason.strip()
    if not eligible and not reason:
        raise Conflict("不符合条件须说明原因", "a refusal needs a reason the unit can read", field="reason")
    entry = _entry_of(db, call.competition_id, key)
    if not eligible and entry is not None:
        raise Conflict(
            f"作品“{key}”已进入评审，不能再判为不符合条件",
            f"work '{key}' is already under review and cannot be refused",
        )
    decision = WorkDecision(
        work_id=state.work.id, version=state.version.version, eligible=eligible, reason=reason[:2000], decided_by=actor
    )
    db.add(decision)
    if eligible and entry is None:
        title = state.version.title
        db.add(
            Team(
                competition_id=call.competition_id, key=key, unit_key=state.work.unit_key, name_zh=title, name_en=title
            )
        )
    db.flush()
    audit.append(
        db,
        actor=actor,
        action="works.eligible" if eligible else "works.refuse",
        entity="work",
        entity_id=f"{call.id}/{key}",
        after={"version": state.version.version, "reason": decision.reason},
    )
    return WorkState(state.work, state.version, decision)


def file_row(db: Session, call_id: int, sha256: str) -> WorkFile:
    found = db.execute(
        select(WorkFile).where(WorkFile.call_id == call_id, WorkFile.sha256 == sha256)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("没有这个附件", "no such attachment")
    return found


def attachments_ever(db: Session, work_id: int) -> list[dict[str, Any]]:
    """Every file any version of a work attached (its owner may open older versions' files)."""
    rows = db.execute(select(WorkVersion.attachments).where(WorkVersion.work_id == work_id)).scalars()
    return [a for attachments in rows for a in attachments]


def reviewed_by(db: Session, judge_id: int) -> list[tuple[WorkCall, WorkState]]:
    """The works a judge is assigned to review in their calls' review rounds, by call and key."""
    rows = db.execute(
        select(WorkCall, Work.key)
        .join(ReviewAssignment, ReviewAssignment.round_id == WorkCall.round_id)
        .join(Work, (Work.call_id == WorkCall.id) & (Work.key == ReviewAssignment.entry_key))
        .where(ReviewAssignment.judge_id == judge_id)
        .order_by(WorkCall.id, Work.key)
    ).all()
    return [(call, work_state(db, call.id, key)) for call, key in rows]


def call_reviewed_in(db: Session, round_id: int) -> WorkCall | None:
    """The call whose review round this is (its entries are submitted works), if any."""
    return db.execute(select(WorkCall).where(WorkCall.round_id == round_id).limit(1)).scalar_one_or_none()
