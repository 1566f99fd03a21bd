"""Judges and their cards: adding a judge; printing the cards (each judge's QR link and PIN, read
as they stand: printing never revokes anything); reissuing one judge's card (a lost card: a new
link and PIN, the old ones and every session of that judge end); revoking every card of a
competition at once, asked for explicitly. Links and PINs both derive from the app's key, the
judge and the judge's token version (web/security.py), so the store keeps a version and a hash,
never a PIN. Each change is audited in the caller's transaction.

Hashing a PIN is slow on purpose (tens of milliseconds each), so it is never done while a write
transaction holds the database: the routes first make the hashes a use case will need in a read
(`pin_hashes_ahead`) and hand them in; only a judge whose version moved in between is hashed in
the transaction. Checking the printed PINs against the store is remembered per process."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from organiser.competition_setup import check_key, competition_by_key
from scoring.problems import InvalidInput, Problem
from scoring.refusals import NotFound
from scoring.store import audit
from scoring.store.live import record_change
from scoring.store.models import (
    Judge,
)
from scoring.store.sign_ins import end_sign_ins_of_judge, record_success
from web.security import check_pin, hash_pin, judge_pin, sign_judge_token


def add_judge(db: Session, competition_key: str, key: str, name: str, actor: str) -> dict[str, str]:
    problems = check_key(key, "key")
    if not name.strip():
        problems.append(Problem(zh="请填写评委姓名", en="give the judge's name", path="name"))
    if problems:
        raise InvalidInput(problems)
    competition = competition_by_key(db, competition_key)
    exists = db.execute(select(Judge.id).where(Judge.competition_id == competition.id, Judge.key == key)).first()
    if exists:
        raise InvalidInput([Problem(zh=f"评委编号“{key}”已存在", en=f"judge key '{key}' is already used", path="key")])
    db.add(Judge(competition_id=competition.id, key=key, name=name.strip()))
    audit.append(
        db,
        actor=actor,
        action="judge.create",
        entity="judge",
        entity_id=key,
        after={"competition": competition_key, "name": name.strip()},
    )
    record_change(db, competition.id, "setup", actor=actor)  # the live boards rebuild
    return {"key": key, "name": name.strip()}


def _card(secret: bytes, judge: Judge, pin: str | None) -> dict[str, Any]:
    return {
        "id": judge.id,
        "judge": judge.key,
        "name": judge.name,
        "pin": pin,
        "link": f"/judge/signin/{sign_judge_token(secret, judge.id, judge.token_version)}",
    }


def _judges_of(db: Session, competition_id: int, lock: bool = False) -> list[Judge]:
    query = select(Judge).where(Judge.competition_id == competition_id).order_by(Judge.key)
    return list(db.execute(query.with_for_update() if lock else query).scalars())


PinHashes = dict[tuple[int, int], str]  # (judge id, token version) -> the hash of that version's PIN


def pin_hashes_ahead(
    db: Session,
    secret: bytes,
    *,
    competition_key: str | None = None,
    judge_ids: list[int] | None = None,
    reissue: bool,
) -> PinHashes:
    """In a read, before the write: the hashes of the PINs a use case will store. For a reissue
    (`reissue`) the next version's PIN of every judge named (by competition or ids); otherwise the
    current version's PIN of each such judge who has none yet."""
    query = select(Judge.id, Judge.token_version, Judge.pin_hash)
    if competition_key is not None:
        query = query.where(Judge.competition_id == competition_by_key(db, competition_key).id)
    if judge_ids is not None:
        query = query.where(Judge.id.in_(judge_ids))
    wanted = [
        (judge_id, version + 1 if reissue else version)
        for judge_id, version, pin_hash in db.execute(query)
        if reissue or pin_hash is None
    ]
    return {(judge_id, version): hash_pin(judge_pin(secret, judge_id, version)) for judge_id, version in wanted}


def _pin_hash(secret: bytes, hashes: PinHashes | None, judge_id: int, version: int) -> str:
    """The hash made ahead, or (the version moved since) one made now."""
    made = (hashes or {}).get((judge_id, version))
    return made if made is not None else hash_pin(judge_pin(secret, judge_id, version))


#: (stored hash, PIN) -> whether they match: a printed card checks each judge once per process
_CHECKED: dict[tuple[str, str], bool] = {}


def _stored_pin_is(pin_hash: str | None, pin: str) -> bool:
    if pin_hash is None:
        return False
    known = _CHECKED.get((pin_hash, pin))
    if known is None:
        if len(_CHECKED) > 10_000:
            _CHECKED.clear()
        known = _CHECKED[(pin_hash, pin)] = check_pin(pin_hash, pin)
    return known


def issue_missing_pins(
    db: Session, secret: bytes, competition_key: str, actor: str, hashes: PinHashes | None = None
) -> int:
    """A PIN for every judge of the competition who has none yet (a judge added since the last
    print): nothing anyone holds stops working. Returns how many were issued."""
    competition = competition_by_key(db, competition_key)
    issued = 0
    for judge in _judges_of(db, competition.id, lock=True):
        if judge.pin_hash is None:
            judge.pin_hash = _pin_hash(secret, hashes, judge.id, judge.token_version)
            audit.append(
                db,
                actor=actor,
                action="judge.pin_issued",
                entity="judge",
                entity_id=judge.key,
                after={"competition": competition_key, "token_version": judge.token_version},
            )
            issued += 1
    return issued


def access_cards(db: Session, secret: bytes, competition_key: str) -> dict[str, Any]:
    """Every judge's card as it stands: the current link, and the current PIN when the store
    holds it (None for a judge not issued one yet, or whose PIN was made before PINs were
    derived: reissue that judge's card). Reads only: printing never revokes anything."""
    competition = competition_by_key(db, competition_key)
    cards = []
    for judge in _judges_of(db, competition.id):
        pin = judge_pin(secret, judge.id, judge.token_version)
        cards.append(_card(secret, judge, pin if _stored_pin_is(judge.pin_hash, pin) else None))
    return {"competition": competition, "cards": cards}


def renew_access(
    db: Session, secret: bytes, judge_ids: list[int], actor: str, reason: str = "", hashes: PinHashes | None = None
) -> list[dict[str, Any]]:
    """Reissue these judges' cards: a new link and PIN each; every earlier link, PIN and session
    of theirs stops working (a lost card). Audited per judge, with the reason when given."""
    out = []
    for judge_id in judge_ids:
        judge = db.get(Judge, judge_id, with_for_update=True)
        if judge is None:
            raise NotFound("没有这位评委", f"no judge {judge_id}")
        out.append(_reissue(db, secret, judge, actor, "judge.access", reason, hashes))
    return out


def _reissue(
    db: Session, secret: bytes, judge: Judge, actor: str, action: str, reason: str, hashes: PinHashes | None
) -> dict[str, Any]:
    before = judge.token_version
    judge.token_version += 1
    pin = judge_pin(secret, judge.id, judge.token_version)
    judge.pin_hash = _pin_hash(secret, hashes, judge.id, judge.token_version)
    end_sign_ins_of_judge(db, judge.id)  # every session of the old link or PIN ends now
    record_success(judge)  # and a judge locked out by failed PINs may sign in again
    audit.append(
        db,
        actor=actor,
        action=action,
        entity="judge",
        entity_id=judge.key,
        before={"token_version": before},
        after={"token_version": judge.token_version} | ({"reason": reason} if reason else {}),
    )
    return _card(secret, judge, pin)


def revoke_all(
    db: Session,
    secret: bytes,
    competition_key: str,
    confirm: str,
    reason: str,
    actor: str,
    hashes: PinHashes | None = None,
) -> int:
    """Revoke every judge's card of the competition at once (a sheet of cards lost or seen by
    someone else): all links, PINs and sessions stop working and new cards are issued. Asked
    for explicitly: `confirm` must repeat the competition's key, and a reason is recorded."""
    problems = []
    if confirm.strip() != competition_key:
        problems.append(
            Problem(
                zh=f"请输入竞赛编号“{competition_key}”以确认",
                en=f"type the competition's key '{competition_key}' to confirm",
                path="confirm",
            )
        )
    if not reason.strip():
        problems.append(Problem(zh="请填写原因", en="give a reason", path="reason"))
    if problems:
        raise InvalidInput(problems)
    competition = competition_by_key(db, competition_key)
    judges = _judges_of(db, competition.id, lock=True)
    audit.append(
        db,
        actor=actor,
        action="judge.access.revoke_all",
        entity="competition",
        entity_id=competition_key,
        after={"judges": [j.key for j in judges], "reason": reason.strip()},
    )
    for judge in judges:
        _reissue(db, secret, judge, actor, "judge.access.revoked", reason.strip(), hashes)
    return len(judges)
