"""Publication of a round's results: which states follow which, and what the public may see.

    open --lock--> locked --publish notice (公示)--> notice --publish final--> final
    notice --withdraw (for a correction after an appeal)--> locked
    final --correction (recorded, with a reason)--> locked
Nothing of a round is public before its notice; from the notice on, a blind round's codes are
decoded (解密) for everyone: the mapping from codes to entries is published with the results.
Final is final in place: a published final version never changes. A mistake found after it is
put right by a recorded correction (final -> locked, only with a reason, `CORRECTIONS`): the
round is reopened and corrected, locked again, and published as a new notice and then a new
final version, while the earlier version stays as it was (results/publishing.py).

Sheets change only while their round is open: once it is locked, on notice or final, every
write to a sheet (a judge's save or submission, a device claim, a chief's return, correction
or transcription) is refused, and only the lock itself is taken again (it changes nothing
then). To change a mark after the lock, the organiser reopens the round (locked -> open),
which is audited; a correction during the notice after an upheld appeal comes with the
results issue's appeals.
"""

from __future__ import annotations

from enum import StrEnum

from scoring.problems import Problem
from scoring.refusals import Conflict


class RoundClosed(Conflict):
    """A write to a sheet of a round that is no longer open."""

    kind = "round-closed"


class Publication(StrEnum):
    OPEN = "open"
    LOCKED = "locked"
    NOTICE = "notice"
    FINAL = "final"


NEXT: dict[Publication, set[Publication]] = {
    Publication.OPEN: {Publication.LOCKED},
    Publication.LOCKED: {Publication.NOTICE, Publication.OPEN},
    Publication.NOTICE: {Publication.FINAL, Publication.LOCKED},
    Publication.FINAL: set(),
}

# moves allowed only as a recorded correction, with its reason
CORRECTIONS: dict[Publication, set[Publication]] = {Publication.FINAL: {Publication.LOCKED}}

PUBLIC = {Publication.NOTICE, Publication.FINAL}


def check_move(current: Publication, target: Publication, correction: str = "") -> Problem | None:
    """Why `current` cannot become `target`, or None. A final round goes back to locked only as
    a correction with its reason (`correction`), never as an ordinary move."""
    if target in NEXT[current]:
        return None
    if target in CORRECTIONS.get(current, set()):
        if correction.strip():
            return None
        return Problem(
            "最终发布的成绩只能通过记录原因的更正退回锁定状态",
            "a final round goes back to locked only through a recorded correction with a reason",
        )
    allowed = ", ".join(sorted(s.value for s in NEXT[current])) or "-"
    return Problem(
        f"发布状态不能从“{current.value}”改为“{target.value}”（可改为：{allowed}）",
        f"a round that is {current.value} cannot become {target.value}; it can become: {allowed}",
    )


def check_sheet_write(publication: str, is_lock: bool = False) -> None:
    """Refuse (RoundClosed) a write to a sheet of a round in this publication state."""
    state = Publication(publication)
    if state is Publication.OPEN or (is_lock and state is Publication.LOCKED):
        return
    raise RoundClosed(
        f"该轮次已{STATE_WORDS[state]}，评分表不能再修改；如需更正，请组织者先将轮次重新开放",
        f"this round is {state.value}; its sheets can no longer change (to correct one, the organiser "
        "reopens the round first)",
    )


STATE_WORDS = {Publication.LOCKED: "锁定", Publication.NOTICE: "公示", Publication.FINAL: "最终发布"}
