"""Assigning experts to submitted works for review away from the venue (评审分配).

Each work gets `k` distinct experts from a pool. An expert never reviews a work of their own
unit, nor a work they declared a conflict with: those pairs are never made, whatever else has
to give. Loads are balanced: the most any expert carries is the least it can be, and no expert
carries two more than another unless the conflicts force it.

How: each work first takes its `k` least-loaded eligible experts (ties by key, so the same
input gives the same assignment). Then, while an expert carries at least two more than
another, a review is passed along a chain of experts (A gives a work to B, B gives another to
C, ... to the lightest), each step a move the conflicts allow; a chain changes only its two
ends' loads. When no such chain exists the loads are as even as the conflicts permit: had
another assignment a smaller maximum, the difference between the two would hold such a chain.

Reviews already made (`fixed`: the organiser added an expert, or an earlier assignment is kept)
count in the loads and are never moved. This module decides; it does not store or read anything.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scoring.refusals import Conflict


@dataclass(frozen=True)
class Reviewable:
    """A work to review: its key and the unit it came from."""

    key: str
    unit: str


@dataclass(frozen=True)
class Expert:
    """An expert of the pool: their key and their own unit ("" for none)."""

    key: str
    unit: str = ""


def may_review(expert: Expert, work: Reviewable, conflicts: frozenset[tuple[str, str]]) -> bool:
    """Whether `expert` may review `work`: not their own unit, no declared conflict."""
    if expert.unit and expert.unit == work.unit:
        return False
    return (expert.key, work.key) not in conflicts


def assign_reviews(
    works: Sequence[Reviewable],
    experts: Sequence[Expert],
    k: int,
    conflicts: Iterable[tuple[str, str]] = (),
    fixed: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, list[str]]:
    """Work key -> the keys of its `k` experts (sorted). `conflicts` are (expert, work) pairs
    declared; `fixed` are reviews already made, kept as they are. Refused (Conflict) when a work
    has fewer than `k` experts who may review it."""
    if k < 1:
        raise Conflict("每件作品至少需要 1 位评审专家", "each work needs at least 1 expert")
    declared = frozenset(conflicts)
    by_key = {e.key: e for e in experts}
    fixed = fixed or {}
    chosen: dict[str, set[str]] = {w.key: set(fixed.get(w.key, ())) for w in works}
    load = {e.key: 0 for e in experts}
    for keys in chosen.values():
        for key in keys:
            load[key] = load.get(key, 0) + 1
    movable: dict[str, set[str]] = {e.key: set() for e in experts}  # expert -> works they may hand on
    eligible = {w.key: [e for e in experts if may_review(e, w, declared)] for w in works}
    # the most constrained works choose first, so they are not left without experts
    for work in sorted(works, key=lambda w: (len(eligible[w.key]), w.key)):
        need = k - len(chosen[work.key])
        pool = sorted(
            (e for e in eligible[work.key] if e.key not in chosen[work.key]), key=lambda e: (load[e.key], e.key)
        )
        if len(pool) < need:
            raise Conflict(
                f"作品“{work.key}”可回避后只有 {len(pool) + len(chosen[work.key])} 位专家可评审，少于 {k} 位",
                f"work '{work.key}' has only {len(pool) + len(chosen[work.key])} experts without a conflict, "
                f"fewer than {k}",
                field=work.key,
            )
        for expert in pool[:need]:
            chosen[work.key].add(expert.key)
            movable[expert.key].add(work.key)
            load[expert.key] += 1
    works_by_key = {w.key: w for w in works}
    _balance(chosen, movable, load, by_key, works_by_key, declared)
    return {key: sorted(experts_of) for key, experts_of in chosen.items()}


def _balance(
    chosen: dict[str, set[str]],
    movable: dict[str, set[str]],
    load: dict[str, int],
    experts: Mapping[str, Expert],
    works: Mapping[str, Reviewable],
    conflicts: frozenset[tuple[str, str]],
) -> None:
    """Pass reviews along chains from the heaviest experts to the lightest until no chain helps."""
    while True:
        moved = False
        for heavy in sorted(load, key=lambda key: (-load[key], key)):
            path = _chain(heavy, chosen, movable, load, experts, works, conflicts)
            if path:
                for giver, work, taker in path:
                    chosen[work].discard(giver)
                    chosen[work].add(taker)
                    movable[giver].discard(work)
                    movable[taker].add(work)
                load[path[0][0]] -= 1
                load[path[-1][2]] += 1
                moved = True
                break
        if not moved:
            return


def _chain(
    start: str,
    chosen: dict[str, set[str]],
    movable: dict[str, set[str]],
    load: dict[str, int],
    experts: Mapping[str, Expert],
    works: Mapping[str, Reviewable],
    conflicts: frozenset[tuple[str, str]],
) -> list[tuple[str, str, str]]:
    """The shortest chain of moves from `start` to an expert carrying at least two fewer, as
    (giver, work, taker) steps; [] when none exists (breadth first, in key order)."""
    came: dict[str, tuple[str, str, str] | None] = {start: None}
    queue = deque([start])
    while queue:
        giver = queue.popleft()
        for work in sorted(movable[giver]):
            for taker in sorted(experts):
                if taker in came or taker in chosen[work] or not may_review(experts[taker], works[work], conflicts):
                    continue
                came[taker] = (giver, work, taker)
                if load[taker] <= load[start] - 2:
                    path = []
                    at: str | None = taker
                    while at is not None and came[at] is not None:
                        step = came[at]
                        assert step is not None
                        path.append(step)
                        at = step[0]
                    return path[::-1]
                queue.append(taker)
    return []


def loads(assignment: Mapping[str, Sequence[str]], experts: Iterable[str]) -> dict[str, int]:
    """How many works each expert reviews."""
    counts = dict.fromkeys(experts, 0)
    for keys in assignment.values():
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return counts
