"""Whether the chief judge's change of single sheets leaves each judge's places a valid order, in
a round judged by placing (placement criteria, judges/placements.py).

A judge's places are written whole by the judge's ordering form, but the chief judge corrects a
submitted or locked sheet, or types in a paper sheet, one entry's sheet at a time. A place means
something only beside the judge's other places, so such a change could leave two entries on one
place, or a place beyond the number of entries. Before it is stored, each judge whose sheets it
changes has their places read as they would stand after it (the judge's current sheets, any
state, with the new marks in place of the old) and checked per dance: an order that covers
every entry of the round with the core's check (`check_placements`: 1..n without a gap, shared
places only where the dance allows them); an order still partial (the judge has not placed
everyone yet) place by place, no place beyond the number of entries, and no shared place where
the dance refuses them. Every problem is named by judge and dance, in Chinese and English; the
caller refuses the whole change (nothing stored).

Not here: the writes themselves (judges/chief_api.py), a single sheet's own marks (the sheet
rules check those), the round's result.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from judges.placements import placement_criteria
from scoring.problems import Problem
from scoring.rubrics.model import Criterion, Rubric
from scoring.rubrics.placements import check_placements, read_place
from scoring.store.rounds import RoundContext, entry_labels
from scoring.store.sheet_writes import SheetRejected
from scoring.store.sheets import current_version


@dataclass(frozen=True)
class SheetChange:
    """One sheet the chief is about to write: its entry (key), judge (id and key) and new marks."""

    entry: str
    judge_id: int
    judge: str
    marks: dict[str, str]


def order_problems(db: Session, context: RoundContext, rubric: Rubric, changes: list[SheetChange]) -> list[Problem]:
    """What would be wrong with each changed judge's places after `changes` (empty when nothing,
    or when the round is not judged by placing)."""
    dances = placement_criteria(rubric)
    if not dances or not changes:
        return []
    labels = entry_labels(db, context)
    problems: list[Problem] = []
    for judge_id, judge in sorted({(c.judge_id, c.judge) for c in changes}, key=lambda j: j[1]):
        marks: dict[str, dict[str, str]] = {}
        for entry, label in labels.items():
            found = current_version(db, context.round.id, entry, judge_id)
            marks[label] = dict(found.marks) if found is not None else {}
        for change in changes:
            if change.judge_id == judge_id and change.entry in labels:
                marks[labels[change.entry]] = dict(change.marks)
        for dance in dances:
            given = {label: m[dance.key] for label, m in marks.items() if dance.key in m}
            found_problems = (
                check_placements(dance, given) if len(given) == len(labels) else _partial(dance, given, len(labels))
            )
            problems += [_named(judge, dance, p) for p in found_problems]
    return problems


def _partial(dance: Criterion, given: dict[str, str], entries: int) -> list[Problem]:
    """The problems an order still being made can already have: a place that is not one, a place
    beyond the round's number of entries, a shared place where the dance refuses them."""
    problems: list[Problem] = []
    read: dict[str, int] = {}
    for label, raw in given.items():
        place = read_place(raw)
        if place is None:
            problems.append(Problem(f"{label}：“{raw}”不是名次（正整数）", f"{label}: '{raw}' is not a place"))
        elif place > entries:
            problems.append(
                Problem(
                    f"{label} 的名次 {place} 大于本轮次参赛对象数 {entries}",
                    f"{label}'s place {place} is above the number of entries in the round, {entries}",
                )
            )
        else:
            read[label] = place
    if not dance.kind.ties_allowed:  # type: ignore[attr-defined]
        for place, count in sorted(Counter(read.values()).items()):
            if count > 1:
                who = sorted(label for label, p in read.items() if p == place)
                problems.append(
                    Problem(
                        f"{'、'.join(who)} 同为第 {place} 名；本评分项不允许并列",
                        f"{', '.join(who)} share place {place}; this criterion allows no shared places",
                    )
                )
    return problems


def _named(judge: str, dance: Criterion, problem: Problem) -> Problem:
    zh, en = dance.title.get("zh", dance.key), dance.title.get("en", dance.key)
    return Problem(f"评委 {judge} 的“{zh}”名次：{problem.zh}", f"judge {judge}'s places in {en}: {problem.en}")


def refuse_broken_orders(db: Session, context: RoundContext, rubric: Rubric, changes: list[SheetChange]) -> None:
    """Raise SheetRejected (422, every problem named, nothing stored) when `changes` would leave a
    judge's places invalid; a judge's places change together, through their ordering form."""
    problems = order_problems(db, context, rubric, changes)
    if problems:
        raise SheetRejected(
            "修改后评委的名次不再有效，未保存；名次须整体修改：请退回该评委的评分表，由评委在排名页重新排定并提交",
            "after this change the judge's places would no longer be a valid order, nothing was stored; places "
            "change together: return the judge's sheets so the judge orders them again on the ordering form",
            problems,
        )
