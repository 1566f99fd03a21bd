"""The review on the chief judge's console: the panels whose counted marks disagree beyond the
rubric's tolerance (flags, the marks side by side) and each judge's severity, computed by the
same engine that scores from the current versions of the submitted and locked sheets.

While marking is under way a panel may still be too small for the rubric's rule (a trimmed
mean needs three marks); the review then compares with the mean of the marks so far, and says so.
A rubric with attempts is reviewed per entry, attempt and criterion (judges/console_attempts.py);
a part marked once per entry on its own, its flags saying attempt 0.

The review depends only on the counted sheets, the rubric and the entries' labels, and costs a
pandas frame, the marks' check and an engine run: it is kept per process by exactly those (each
counted sheet's entry, judge, state and version: versions never change), so a console read while
only drafts move, or a second viewer's read, costs a lookup. Renders nothing; judges/console.py
puts it beside the matrix.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pandas as pd

from judges.console_attempts import review_rows
from judges.console_results import criterion_title, written
from scoring.decimals import format_decimal
from scoring.kept import Kept
from scoring.marks import check_marks
from scoring.problems import InvalidInput
from scoring.review import review_judges
from scoring.rubrics.engine import score_rubric
from scoring.rubrics.model import Attempts, Criterion, Rubric, Section
from scoring.rubrics.panel import MeanRule
from scoring.rubrics.trace import Flag, RubricResult
from scoring.store.sheet_rows import SheetRow

REVIEWED = {"submitted", "locked"}
KEEP = 64


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


def review(rubric: Rubric, sheets: list[SheetRow]) -> tuple[RubricResult | None, bool, dict[str, tuple[str, int]]]:
    """The engine's review of the counted marks (flags, the judges' deviations), whether it
    compared with the mean of the marks so far, and for a rubric with attempts each reviewed
    group's (entry, attempt): such marks are compared per entry, attempt and criterion."""
    panel_keys = {c.key for c in rubric.criteria() if not (c.official or c.is_veto)}
    groups: dict[str, tuple[str, int]] = {}
    if rubric.attempts.count > 1:
        rows, groups = review_rows(rubric, sheets, panel_keys, REVIEWED)
        frame = pd.DataFrame(rows, columns=["entry", "attempt", "judge", "criterion", "value"])
    else:
        frame = _marks_frame(sheets, panel_keys)
    if not len(frame):
        return None, False, groups
    frame["row"] = range(2, len(frame) + 2)
    for mean in (False, True):
        view = _panel_view(rubric, mean)
        try:
            return score_rubric(view, check_marks(frame, view, "sheets")), mean, groups
        except InvalidInput:
            continue
    return None, True, groups


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
    `key` (what names the database, the round and the rubric version) and the counted sheets."""
    counted = [s for s in sheets if s.state in REVIEWED and s.entry in shown]
    kept_by = (*key, tuple(shown.items()), tuple((s.entry, s.judge, s.state, s.version) for s in counted))
    return _KEPT.get_or_make(kept_by, lambda: _reviewed(rubric, counted, shown, places))


def _reviewed(
    rubric: Rubric, counted: list[SheetRow], shown: dict[str, str], places: dict[str, int | None]
) -> Reviewed:
    attempts = rubric.attempts.count > 1
    result, by_mean, groups = review(rubric, counted)

    def flag_json(f: Flag, entry: str, attempt: int | None) -> dict[str, Any]:
        return {
            "entry": shown.get(entry, entry),
            **({"attempt": attempt} if attempt is not None else {}),
            "criterion": f.criterion,
            "title": criterion_title(rubric, f.criterion),
            "spread": written(f.spread, places.get(f.criterion)),
            "tolerance": written(f.tolerance, places.get(f.criterion)),
            "marks": {j: written(m, places.get(f.criterion)) for j, m in f.marks.items()},
        }

    flags = (
        []
        if result is None
        else [
            flag_json(f, groups.get(f.entry, (f.entry, 1))[0], groups[f.entry][1] if attempts else None)
            for f in result.flags
        ]
    )
    if rubric.entry_part is not None:  # the part marked once per entry: its flags say attempt 0
        once = review(rubric.entry_part, counted)[0]
        flags += [flag_json(f, f.entry, 0 if attempts else None) for f in (once.flags if once else [])]
    reviews = (
        []
        if result is None
        else [
            {
                "judge": r.judge,
                "marks": r.marks,
                "mean_deviation": format_decimal(r.mean_deviation) if r.mean_deviation is not None else None,
                "outside_tolerance": r.outside,
                "outside_share": format_decimal(r.outside_share) if r.outside_share is not None else None,
            }
            for r in review_judges(result)
        ]
    )
    return Reviewed(flags, reviews, by_mean)
