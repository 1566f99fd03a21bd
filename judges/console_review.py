"""The review on the chief judge's console: the panels whose counted marks disagree beyond the
rubric's tolerance (flags, the marks side by side) and each judge's severity, computed by the
same engine that scores from the current versions of the submitted and locked sheets.

While marking is under way a panel may still be too small for the rubric's rule (a trimmed
mean needs three marks); the review then compares with the mean of the marks so far, and says so.
A rubric with attempts is reviewed per entry, attempt and criterion (judges/console_attempts.py);
a part marked once per entry on its own, its flags saying attempt 0.

The review depends only on the counted sheets, the rubric and the entries' labels. It is kept per
process by exactly those (each counted sheet's entry, judge, state and version: versions never
change), so a console read while only drafts move, or a second viewer's read, costs a lookup.
Beneath that, each entry's part (its flags as shown, its judges' deviations: scoring/review.py
`deviations_by`) is kept by that entry's own counted sheets, under the rubric's rule and under the
mean apart, so after a submission only the entries whose sheets changed are scored, together in one
engine run; the judges' severity adds the entries' deviations in the whole round's order
(`review_parts`: the same Decimals as one run over the round). If the rule refuses any entry (a
panel still too small), the whole round is compared by the mean of the marks so far, as before.
Flags come entry by entry (in the sheets' order), each entry's by criterion, then attempt; a flag's
marks by judge. Renders nothing; judges/console.py puts it beside the matrix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from judges.console_attempts import review_rows
from judges.console_results import criterion_title, written
from scoring.decimals import format_decimal
from scoring.kept import Kept
from scoring.marks import check_marks
from scoring.problems import InvalidInput
from scoring.review import Deviations, deviations_by, review_parts
from scoring.rubrics.engine import score_rubric
from scoring.rubrics.model import Attempts, Criterion, Rubric, Section
from scoring.rubrics.panel import MeanRule
from scoring.rubrics.trace import Flag, RubricResult
from scoring.store.sheet_rows import SheetRow

REVIEWED = {"submitted", "locked"}
KEEP = 64
KEEP_ENTRIES = 2_000  # entries' parts: a few rounds' entries, by rule and by mean


@dataclass(frozen=True)
class Reviewed:
    """The review as the console gives it (shared between reads: read it, never change it)."""

    flags: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    by_mean: bool  # compared with the mean of the marks so far, not the rubric's panel rule


#: (database, competition and its creation, round, rubric version, labels, counted sheets) -> the review
_KEPT: Kept[Reviewed] = Kept(KEEP)


def _panel_view(rubric: Rubric, mean: bool) -> Rubric:
    """The rubric's judge-marked criteria only, each panel as it stands (missing marks left out)."""
    criteria: list[Criterion | Section] = [
        dataclasses.replace(
            c,
            missing="ignore",
            min_judges=1,
            rounding=None,
            panel=MeanRule() if mean else c.panel,
            adjust=None if rubric.parameters else c.adjust,  # the desk's values are not in the view
        )
        for c in rubric.criteria()
        if not (c.official or c.is_veto)
    ]
    return dataclasses.replace(
        rubric,
        children=criteria,
        entry_part=None,
        formula=None,
        parameters=[],
        attempts=Attempts(),
        attempt_rounding=None,
        total_rounding=None,
        total_panel=MeanRule() if mean and rubric.total_panel else rubric.total_panel,
        total_min_judges=1,
    )


def _frame(rubric: Rubric, sheets: list[SheetRow]) -> tuple[pd.DataFrame, dict[str, tuple[str, int]]]:
    """The counted marks of the panel's criteria as the engine reads them, and for a rubric with
    attempts each group's (entry, attempt)."""
    panel_keys = {c.key for c in rubric.criteria() if not (c.official or c.is_veto)}
    groups: dict[str, tuple[str, int]] = {}
    if rubric.attempts.count > 1:
        rows, groups = review_rows(rubric, sheets, panel_keys, REVIEWED)
        return pd.DataFrame(rows, columns=["entry", "attempt", "judge", "criterion", "value"]), groups
    return _marks_frame(sheets, panel_keys), groups


def _scored(rubric: Rubric, frame: pd.DataFrame, mean: bool) -> RubricResult | None:
    """The engine's run of the review's view over `frame`; None when it refuses the marks (a
    panel too small for the rule)."""
    frame = frame.copy()
    frame["row"] = range(2, len(frame) + 2)
    view = _panel_view(rubric, mean)
    try:
        return score_rubric(view, check_marks(frame, view, "sheets"))
    except InvalidInput:
        return None


def _marks_frame(sheets: list[SheetRow], panel_keys: set[str]) -> pd.DataFrame:
    """The counted sheets' marks of the panel's criteria, one row per mark in the sheets' order,
    built column by column (a round's thousands of sheets: no tuple per mark)."""
    entries: list[str] = []
    judges: list[str] = []
    criteria: list[str] = []
    values: list[str] = []
    for s in sheets:
        if s.state not in REVIEWED:
            continue
        marked = [key for key in s.marks if key in panel_keys]
        entries += [s.entry] * len(marked)
        judges += [s.judge] * len(marked)
        criteria += marked
        values += [s.marks[key] for key in marked]
    return pd.DataFrame(
        {"entry": entries, "attempt": [""] * len(entries), "judge": judges, "criterion": criteria, "value": values}
    )


def reviewed(
    key: tuple[Any, ...], rubric: Rubric, sheets: list[SheetRow], shown: dict[str, str], places: dict[str, int | None]
) -> Reviewed:
    """The review of `sheets` (the round's, its shown entries' only) for the console, kept by
    `key` (what names the database, the round and the rubric version) and the counted sheets;
    made from each entry's part, kept by that entry's counted sheets."""
    counted = [s for s in sheets if s.state in REVIEWED and s.entry in shown]
    kept_by = (*key, tuple(shown.items()), tuple((s.entry, s.judge, s.state, s.version) for s in counted))
    return _KEPT.get_or_make(kept_by, lambda: _reviewed(key, rubric, counted, shown, places))


@dataclass(frozen=True)
class _EntryReview:
    """One entry's part of the review (shared between reads: read it, never change it)."""

    flags: list[dict[str, Any]]  # as the console shows them, by criterion, then attempt
    deviations: Deviations | None  # None: no panel marks counted for it yet
    refused: bool = False  # the engine refuses its marks under this rule (a panel too small)


_REFUSED = _EntryReview([], None, refused=True)
#: (database, competition and its creation, round, rubric version, part, by mean, entry, its
#: label, its counted sheets) -> its part of the review
_ENTRIES: Kept[_EntryReview] = Kept(KEEP_ENTRIES)
Attempt = Callable[[Flag, dict[str, tuple[str, int]]], tuple[str, int | None]]


def _reviewed(
    key: tuple[Any, ...], rubric: Rubric, counted: list[SheetRow], shown: dict[str, str], places: dict[str, int | None]
) -> Reviewed:
    attempts = rubric.attempts.count > 1
    by_entry: dict[str, list[SheetRow]] = {}
    for s in counted:  # in the sheets' order: the entries as the whole round's groups come
        by_entry.setdefault(s.entry, []).append(s)

    def panel_attempt(f: Flag, groups: dict[str, tuple[str, int]]) -> tuple[str, int | None]:
        return groups.get(f.entry, (f.entry, 1))[0], groups[f.entry][1] if attempts else None

    def once_attempt(f: Flag, groups: dict[str, tuple[str, int]]) -> tuple[str, int | None]:
        return f.entry, 0 if attempts else None  # the part marked once per entry: its flags say attempt 0

    made = _Made(rubric, shown, places)
    parts, by_mean = made.entries((*key, "panel"), rubric, by_entry, panel_attempt)
    flags = [flag for part in parts or [] for flag in part.flags]
    if rubric.entry_part is not None:
        once = made.entries((*key, "once"), rubric.entry_part, by_entry, once_attempt)[0]
        flags += [flag for part in once or [] for flag in part.flags]
    deviations = [part.deviations for part in parts or [] if part.deviations is not None]
    reviews = [
        {
            "judge": r.judge,
            "marks": r.marks,
            "mean_deviation": format_decimal(r.mean_deviation) if r.mean_deviation is not None else None,
            "outside_tolerance": r.outside,
            "outside_share": format_decimal(r.outside_share) if r.outside_share is not None else None,
        }
        for r in review_parts(deviations)
    ]
    return Reviewed(flags, reviews, by_mean)


@dataclass(frozen=True)
class _Made:
    """Makes the entries' parts of a review, scoring only those not kept, in one engine run."""

    rubric: Rubric  # the round's (criteria titled from it)
    shown: dict[str, str]
    places: dict[str, int | None]

    def entries(
        self, key: tuple[Any, ...], rubric: Rubric, by_entry: dict[str, list[SheetRow]], attempt: Attempt
    ) -> tuple[list[_EntryReview] | None, bool]:
        """Each entry's part by `rubric`'s own panel rule, else (any entry refused) by the mean
        of the marks so far, and which; None when even the mean is refused."""
        for mean in (False, True):
            keys = {
                e: (*key, mean, e, self.shown[e], tuple((s.judge, s.state, s.version) for s in rows))
                for e, rows in by_entry.items()
            }
            kept = _ENTRIES.get_many(list(keys.values()))
            found = {e: kept[k] for e, k in keys.items() if k in kept}
            if not any(part.refused for part in found.values()):
                todo = {e: rows for e, rows in by_entry.items() if e not in found}
                made = self.scored(rubric, todo, mean, attempt)
                _ENTRIES.put_many({keys[e]: part for e, part in made.items()})
                found |= made
            if not any(part.refused for part in found.values()):
                return [found[e] for e in by_entry], mean
        return None, True

    def scored(
        self, rubric: Rubric, todo: dict[str, list[SheetRow]], mean: bool, attempt: Attempt
    ) -> dict[str, _EntryReview]:
        """The parts of `todo`'s entries from one engine run over their marks (when it refuses
        them, each entry on its own: which is refused)."""
        if not todo:
            return {}
        frame, groups = _frame(rubric, [s for rows in todo.values() for s in rows])
        if not len(frame):
            return {e: _EntryReview([], None) for e in todo}
        result = _scored(rubric, frame, mean)
        if result is None:
            if len(todo) == 1:
                return {e: _REFUSED for e in todo}
            return {e: part for one in todo for e, part in self.scored(rubric, {one: todo[one]}, mean, attempt).items()}

        def entry_of(group: str) -> str:
            return groups[group][0] if groups else group

        position = {str(g): i for i, g in enumerate(result.trace.groups["entry"])}
        rank = {c: i for i, c in enumerate(result.trace.criteria)}
        flags: dict[str, list[dict[str, Any]]] = {e: [] for e in todo}
        for f in sorted(result.flags, key=lambda f: (rank.get(f.criterion, len(rank)), position.get(f.entry, 0))):
            entry, number = attempt(f, groups)
            flags[entry_of(f.entry)].append(self.flag_json(f, entry, number))
        deviations = deviations_by(result, entry_of)
        return {e: _EntryReview(flags[e], deviations.get(e)) for e in todo}

    def flag_json(self, f: Flag, entry: str, attempt: int | None) -> dict[str, Any]:
        places = self.places.get(f.criterion)
        return {
            "entry": self.shown.get(entry, entry),
            **({"attempt": attempt} if attempt is not None else {}),
            "criterion": f.criterion,
            "title": criterion_title(self.rubric, f.criterion),
            "spread": written(f.spread, places),
            "tolerance": written(f.tolerance, places),
            "marks": {j: written(m, places) for j, m in sorted(f.marks.items())},  # by judge
        }
