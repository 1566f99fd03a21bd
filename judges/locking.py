"""Locking a round: the chief judge's last act on its sheets.

Every sheet gets a lock version and the round's results move from "open" to "locked", in the
caller's one transaction, so a crash or a refusal leaves either all of it or none: never
locked sheets in a round that still says "open". Refused while any sheet of the panel is
not submitted, or (a rubric with attempts) holds fewer attempts than the rubric demands: all of
them, or with "up to N" attempts at least the rubric's `min`, and then the same number on every
sheet of one entry (the judges of an entry agree on how many attempts it made: a diver who
withdrew after dive 3 has three dives on every judge's sheet); and, for a rubric with a part
marked once per entry (`[entry]`), while a submitted sheet does not hold that part yet.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from judges.console import missing_sheets
from scoring.refusals import Conflict
from scoring.sheet_attempts import attempts_in, has_entry_part
from scoring.sheet_rules import Actor, SheetAction
from scoring.store.models import Sheet, SheetVersion
from scoring.store.publication import move_publication
from scoring.store.rounds import RoundContext, entry_labels, rubric_of
from scoring.store.sheet_writes import SheetWrite
from scoring.store.sheets import SERVER_ID_PREFIX, current_sheets, record_many


def lock_round(db: Session, context: RoundContext, author: str, address: str = "") -> int:
    """Lock every submitted sheet of the round and move its publication to "locked" (if it is
    open). Returns how many sheets were locked."""
    round_id = context.round.id
    missing = missing_sheets(db, context)
    if missing:
        listed = ", ".join(f"{entry}/{judge}" for entry, judge in missing[:20])
        more = f" (+{len(missing) - 20})" if len(missing) > 20 else ""
        raise Conflict(
            f"还有 {len(missing)} 张评分表未提交：{listed}{more}",
            f"{len(missing)} sheet(s) are not submitted yet: {listed}{more}",
        )
    rubric = rubric_of(db, context)
    current = current_sheets(db, round_id)
    if rubric.attempts.count > 1:
        _refuse_short_sheets(db, context, current, rubric.attempts.fewest, rubric.attempts.variable)
        if rubric.attempts.variable:
            _refuse_uneven_sheets(db, context, current)
        if rubric.entry_part is not None:
            _refuse_without_entry_part(db, context, current)
    sheets = [(entry, v) for entry, _, v in current if v.state == "submitted"]
    judges_of = {s.id: s.judge_id for s in db.execute(select(Sheet).where(Sheet.round_id == round_id)).scalars()}
    locks = [
        SheetWrite(
            round_id=round_id,
            entry_key=entry,
            judge_id=judges_of[version.sheet_id],
            rubric_version_id=context.rubric_version_id,
            action=SheetAction.LOCK,
            actor=Actor.CHIEF,
            base_version=version.version,
            client_id=f"{SERVER_ID_PREFIX}lock/{version.version}",
            author=author,
            address=address,
        )
        for entry, version in sheets
    ]
    record_many(db, locks, rubric)
    if context.round.publication == "open":
        move_publication(db, round_id, "locked", author)
    return len(sheets)


def _refuse_short_sheets(
    db: Session, context: RoundContext, current: list[tuple[str, str, SheetVersion]], count: int, up_to: bool = False
) -> None:
    """Refuse the lock while a submitted sheet holds fewer attempts than `count`, the fewest the
    rubric demands."""
    shown = entry_labels(db, context)
    short = [
        f"{shown.get(entry, entry)}/{judge} ({max(attempts_in(v.marks), default=0)}/{count})"
        for entry, judge, v in current
        if v.state == "submitted" and max(attempts_in(v.marks), default=0) < count
    ]
    if short:
        listed = ", ".join(short[:20]) + (f" (+{len(short) - 20})" if len(short) > 20 else "")
        zh = f"不足 {count} 次" if up_to else f"未评完全部 {count} 次"
        raise Conflict(
            f"还有 {len(short)} 张评分表{zh}：{listed}",
            f"{len(short)} sheet(s) do not hold {'at least' if up_to else 'all'} {count} attempts yet: {listed}",
        )


def _refuse_uneven_sheets(db: Session, context: RoundContext, current: list[tuple[str, str, SheetVersion]]) -> None:
    """With "up to N" attempts, refuse the lock while one entry's submitted sheets hold different
    numbers of attempts: a judge has not yet marked an attempt the others have."""
    held: dict[str, dict[str, int]] = {}
    for entry, judge, version in current:
        if version.state == "submitted":
            held.setdefault(entry, {})[judge] = max(attempts_in(version.marks), default=0)
    uneven = {entry: judges for entry, judges in held.items() if len(set(judges.values())) > 1}
    if uneven:
        shown = entry_labels(db, context)
        listed = "; ".join(
            f"{shown.get(entry, entry)}: " + ", ".join(f"{judge} {n}" for judge, n in sorted(judges.items()))
            for entry, judges in sorted(uneven.items())[:20]
        )
        raise Conflict(
            f"{len(uneven)} 个参赛对象的评分表次数不一致（评委 次数）：{listed}",
            f"{len(uneven)} entr(ies) have sheets holding different numbers of attempts (judge attempts): {listed}",
        )


def _refuse_without_entry_part(
    db: Session, context: RoundContext, current: list[tuple[str, str, SheetVersion]]
) -> None:
    """Refuse the lock while a submitted sheet does not hold the per-entry part (a skater's
    programme components): the judge marks it after the attempts."""
    shown = entry_labels(db, context)
    short = [f"{shown.get(e, e)}/{j}" for e, j, v in current if v.state == "submitted" and not has_entry_part(v.marks)]
    if short:
        listed = ", ".join(short[:20]) + (f" (+{len(short) - 20})" if len(short) > 20 else "")
        raise Conflict(
            f"还有 {len(short)} 张评分表未评按参赛对象的部分：{listed}",
            f"{len(short)} sheet(s) do not hold the per-entry part yet: {listed}",
        )
