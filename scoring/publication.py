"""Publication of a round's results: which states follow which, and what the public may see.

    open --lock--> locked --publish notice (公示)--> notice --publish final--> final
    notice --withdraw (for a correction after an appeal)--> locked
Nothing of a round is public before its notice; from the notice on, a blind round's codes are
decoded (解密) for everyone: the mapping from codes to entries is published with the results.
Final is final. Results themselves are published by the results issue; this is the state.
"""

from __future__ import annotations

from enum import StrEnum

from scoring.problems import Problem


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

PUBLIC = {Publication.NOTICE, Publication.FINAL}


def check_move(current: Publication, target: Publication) -> Problem | None:
    """Why `current` cannot become `target`, or None."""
    if target in NEXT[current]:
        return None
    allowed = ", ".join(sorted(s.value for s in NEXT[current])) or "-"
    return Problem(
        f"发布状态不能从“{current.value}”改为“{target.value}”（可改为：{allowed}）",
        f"a round that is {current.value} cannot become {target.value}; it can become: {allowed}",
    )
