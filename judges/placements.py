"""A judge's placements for a whole round, read and written at once (ordinal judging: the
DanceSport skating system, median rank, Borda).

Where a rubric has placement criteria (`kind = "placement"`, one per dance), a judge does not
mark entries one by one: the judge orders the round's entries, once per dance, and each entry's
place is stored as an ordinary mark on that entry's score sheet (mark key = the criterion's key,
value "1", "2"...). A place only means something beside the others, so the places of every entry
are written together: one request, one transaction, one sheet version per entry that changes,
through the store's own writes (`record_many` in scoring/store/sheets.py: versions, idempotency
by client id per sheet, the device tie, audit, the round's live change). Before anything is
written the order is checked whole, with the core's check (`check_placements`,
scoring/rubrics/placements.py): every entry of the round named, each dance's places 1..n without
a gap, shared places only where the criterion allows ties. A refusal names every problem and
stores nothing.

A sheet whose current version already holds exactly these places in the state the write moves
it to is left as it is, so after the chief judge returns one sheet the judge sends the whole
order again and only that sheet gets a new version (a submitted sheet whose places would change
is refused by the sheet's own rules: the chief returns it first).

Not here: the seat check and the labels judges see (judges/seats.py, scoring/store/rounds.py),
the routes (judges/placement_api.py), the page (judges/placement_pages.py), results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from scoring.problems import Problem
from scoring.publication import check_sheet_write
from scoring.refusals import Conflict
from scoring.rubrics.model import Criterion, Rubric
from scoring.rubrics.placements import PlacementKind, check_placements
from scoring.sheet_rules import Actor, SheetAction, SheetState, canonical_mark
from scoring.store.rounds import RoundContext, entry_labels, labels_in_order
from scoring.store.sheet_writes import SheetRejected, SheetSnapshot, SheetWrite
from scoring.store.sheets import current_version, find_sheet, record_many

#: The state a judge's write moves a sheet to.
TARGET = {SheetAction.SAVE: SheetState.DRAFT, SheetAction.SUBMIT: SheetState.SUBMITTED}


def placement_criteria(rubric: Rubric) -> list[Criterion]:
    """The rubric's placement criteria (its dances), in the rubric's order."""
    return [c for c in rubric.criteria() if isinstance(c.kind, PlacementKind)]


def ordered_by_placing(rubric: Rubric) -> bool:
    """Whether judges mark this rubric by ordering the entries rather than sheet by sheet."""
    return bool(placement_criteria(rubric))


def require_placing(rubric: Rubric) -> list[Criterion]:
    criteria = placement_criteria(rubric)
    if not criteria:
        raise Conflict(
            "本轮次不按名次评分：请逐个参赛对象填写评分表",
            "this round is not judged by placing the entries: mark each entry's sheet",
        )
    return criteria


def criteria_form(criteria: list[Criterion]) -> list[dict[str, Any]]:
    """The dances as the ordering form shows them."""
    return [
        {"key": c.key, "title": c.title, "ties": "allow" if c.kind.ties_allowed else "refuse"}  # type: ignore[attr-defined]
        for c in criteria
    ]


def judge_placements(db: Session, context: RoundContext, judge_id: int, device: str | None = None) -> dict[str, Any]:
    """The judge's own sheets of the round, by label, in the round's order (version 0 and no
    marks for a sheet not started), and, for a tablet that names itself, the labels whose sheet
    another device holds."""
    round_id = context.round.id
    labels = labels_in_order(db, context)
    key_of = {label: entry for entry, label in entry_labels(db, context).items()}
    sheets: dict[str, dict[str, Any]] = {}
    elsewhere: list[str] = []
    for label in labels:
        entry = key_of[label]
        found = current_version(db, round_id, entry, judge_id)
        sheets[label] = _sheet_body(found)
        if device is not None:
            holder = find_sheet(db, round_id, entry, judge_id)
            if holder is not None and holder.device and holder.device != device:
                elsewhere.append(label)
    return {"entries": labels, "sheets": sheets} | ({"elsewhere": elsewhere} if device is not None else {})


def _sheet_body(found: SheetSnapshot | None) -> dict[str, Any]:
    if found is None:
        return {"version": 0, "state": "new", "marks": {}, "reason": ""}
    return {"version": found.version, "state": found.state.value, "marks": found.marks, "reason": found.reason}


@dataclass(frozen=True)
class PlacementsWrite:
    """A judge's whole order of a round as the tablet sends it: each entry's base version (every
    entry of the round, by label) and each dance's places by label."""

    action: SheetAction
    client_id: str
    base_versions: dict[str, int]
    places: dict[str, dict[str, str]]
    device: str
    author: str
    address: str


def check_order(
    criteria: list[Criterion], labels: list[str], write: PlacementsWrite
) -> tuple[list[Problem], dict[str, dict[str, str]]]:
    """Every problem of the order (nothing is written if there is one), and each entry's marks."""
    problems: list[Problem] = []
    dances = {c.key: c for c in criteria}
    known = set(labels)
    for label in sorted(set(write.base_versions) - known):
        problems.append(Problem(f"本轮次没有“{label}”", f"no entry '{label}' in this round", path=label))
    left_out = [label for label in labels if label not in write.base_versions]
    if left_out:
        problems.append(
            Problem(
                f"名次须一次写全本轮次所有参赛对象，缺少：{'、'.join(left_out)}",
                f"the order must name every entry of the round; left out: {', '.join(left_out)}",
                path="base_versions",
            )
        )
    for key in sorted(set(write.places) - set(dances)):
        problems.append(Problem(f"“{key}”不是本轮次的排名项", f"'{key}' is not one of this round's placings", path=key))
    marks: dict[str, dict[str, str]] = {label: {} for label in labels}
    for key, criterion in dances.items():
        given = {label: canonical_mark(raw) for label, raw in write.places.get(key, {}).items()}
        strangers = sorted(set(given) - known)
        if strangers:
            problems.append(
                Problem(
                    f"{criterion.title.get('zh', key)}：本轮次没有 {'、'.join(strangers)}",
                    f"{criterion.title.get('en', key)}: no entry {', '.join(strangers)} in this round",
                    path=key,
                )
            )
            continue
        unplaced = [label for label in labels if label not in given]
        if unplaced and write.action is SheetAction.SUBMIT:
            problems.append(
                Problem(
                    f"{criterion.title.get('zh', key)}：尚未排名 {'、'.join(unplaced)}",
                    f"{criterion.title.get('en', key)}: not placed yet: {', '.join(unplaced)}",
                    path=key,
                )
            )
            continue
        # a dance placed whole is checked as an order; a draft's unfinished dance place by place
        found = check_placements(criterion, given) if not unplaced else _each_place(criterion, given)
        problems += [
            Problem(f"{criterion.title.get('zh', key)}：{p.zh}", f"{criterion.title.get('en', key)}: {p.en}", path=key)
            for p in found
        ]
        for label, place in given.items():
            marks[label][key] = place
    return problems, marks


def _each_place(criterion: Criterion, given: dict[str, str]) -> list[Problem]:
    problems = []
    for label, raw in given.items():
        converted = criterion.kind.convert(raw)
        if isinstance(converted, Problem):
            problems.append(Problem(f"{label}：{converted.zh}", f"{label}: {converted.en}"))
    return problems


def write_placements(
    db: Session, context: RoundContext, rubric: Rubric, judge_id: int, write: PlacementsWrite
) -> tuple[dict[str, SheetSnapshot], list[str]]:
    """Check the whole order, then write every entry's sheet that changes, in the caller's
    transaction: all of them or none. Returns each label's current version after the write and
    the keys of the entries written."""
    criteria = require_placing(rubric)
    check_sheet_write(context.round.publication)  # the store checks again, under the round's lock
    labels = labels_in_order(db, context)
    if not labels:
        raise Conflict(
            "盲评赛项尚未抽取编码，暂不能排名",
            "this blind event has no drawn codes yet; placing opens once they are drawn",
        )
    problems, marks = check_order(criteria, labels, write)
    if problems:
        raise SheetRejected(
            "名次有误，未保存任何名次",
            "the places are not a valid order, nothing was stored: " + "; ".join(f"{p.path}: {p.en}" for p in problems),
            problems,
        )
    key_of = {label: entry for entry, label in entry_labels(db, context).items()}
    target = TARGET[write.action]
    current: dict[str, SheetSnapshot] = {}
    writes: list[SheetWrite] = []
    for label in labels:
        entry = key_of[label]
        found = current_version(db, context.round.id, entry, judge_id)
        if found is not None and found.state is target and found.marks == marks[label]:
            current[label] = found  # already holds these places: nothing to write
            continue
        writes.append(
            SheetWrite(
                round_id=context.round.id,
                entry_key=entry,
                judge_id=judge_id,
                rubric_version_id=context.rubric_version_id,
                action=write.action,
                actor=Actor.JUDGE,
                base_version=write.base_versions[label],
                client_id=write.client_id,  # client ids are scoped to a sheet: one id for the whole order
                author=write.author,
                device=write.device,
                marks=marks[label],
                address=write.address,
                competition_id=context.event.competition_id,
            )
        )
    snapshots = record_many(db, writes, rubric) if writes else []
    label_of = {entry: label for label, entry in key_of.items()}
    written = [w.entry_key for w, s in zip(writes, snapshots, strict=True) if not s.replayed]
    for w, snapshot in zip(writes, snapshots, strict=True):
        current[label_of[w.entry_key]] = snapshot
    return {label: current[label] for label in labels}, written


def placements_body(snapshots: dict[str, SheetSnapshot], written: list[str]) -> dict[str, Any]:
    """The answer to a write: each label's sheet as it now stands, and whether anything new was
    stored (a retry answers `replayed`)."""
    return {
        "sheets": {label: _sheet_body(s) for label, s in snapshots.items()},
        "written": len(written),
        "replayed": not written,
    }
