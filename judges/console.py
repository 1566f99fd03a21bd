"""What the chief judge's console shows for a round: every sheet's state and the device it is
tied to (entries, in the drawn order, x judges), the panels whose marks disagree beyond the
rubric's tolerance with the marks side by side, and each judge's severity. Computed from the
current versions of the submitted and locked sheets by the same engine that scores, so a flag
here is the flag the results will carry.

While marking is under way a panel may still be too small for the rubric's rule (a trimmed
mean needs three marks); the review then compares with the mean of the marks so far, and says so.
In a blind event entries are shown by their codes.

For a rubric with attempts (judges/console_attempts.py) the marks are reviewed per entry, attempt
and criterion (a flag names its attempt), a matrix cell carries the judge's marks per attempt, and
each entry's result the desk's parameters per attempt (a dive's DD). A rubric's adjustment that
reads the desk's parameters (a referee's penalty) is left out of the review: the marks compared
are the judges' own. A part marked once per entry (`[entry]`: a skater's components) is reviewed
on its own, per entry and criterion; its flags say attempt 0 (the page: "once per entry"), and
the judges' severity is the attempts' review's.

Beside the sheets, each entry's panel result as the rubric computes it (results/round_entries.py:
the counted sheets of complete entries, marks kept and dropped, the total as the rubric rounds
it, the provisional place; pending until every judge's sheet counts). Marks are written as the
rubric writes them and criteria and judges carry their titles and names (judges/console_results.py),
so the page shows names and titles in its own language, never bare keys.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from judges.assignments import not_owed, owed_sheets
from judges.console_attempts import cell_attempts, entry_parameters, review_rows
from judges.console_placements import placements_matrix
from judges.console_results import criterion_title, entry_json, judge_names, mark_places, written
from results.round_entries import entry_panels
from scoring.decimals import format_decimal
from scoring.marks import check_marks
from scoring.problems import InvalidInput
from scoring.review import review_judges
from scoring.rubrics.engine import score_rubric
from scoring.rubrics.model import Attempts, Criterion, Rubric, Section
from scoring.rubrics.panel import MeanRule
from scoring.rubrics.trace import Flag, RubricResult
from scoring.store.models import Judge, PanelSeat, Sheet, SheetVersion, utcnow
from scoring.store.official_values import current_values
from scoring.store.rounds import RoundContext, entry_labels, labels_in_order, panel_judges, rubric_of
from scoring.store.sheets import current_sheets

REVIEWED = {"submitted", "locked"}


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


def review(
    rubric: Rubric, sheets: list[tuple[str, str, SheetVersion]]
) -> tuple[RubricResult | None, bool, dict[str, tuple[str, int]]]:
    """The engine's review of the counted marks (flags, the judges' deviations), whether it
    compared with the mean of the marks so far, and for a rubric with attempts each reviewed
    group's (entry, attempt): such marks are compared per entry, attempt and criterion."""
    panel_keys = {c.key for c in rubric.criteria() if not (c.official or c.is_veto)}
    groups: dict[str, tuple[str, int]] = {}
    if rubric.attempts.count > 1:
        rows, groups = review_rows(rubric, sheets, panel_keys, REVIEWED)
    else:
        rows = [
            (entry, "", judge, key, value)
            for entry, judge, v in sheets
            if v.state in REVIEWED
            for key, value in v.marks.items()
            if key in panel_keys
        ]
    if not rows:
        return None, False, groups
    frame = pd.DataFrame(rows, columns=["entry", "attempt", "judge", "criterion", "value"])
    frame["row"] = range(2, len(frame) + 2)
    for mean in (False, True):
        view = _panel_view(rubric, mean)
        try:
            return score_rubric(view, check_marks(frame, view, "sheets")), mean, groups
        except InvalidInput:
            continue
    return None, True, groups


def console(db: Session, context: RoundContext) -> dict[str, Any]:
    round_id = context.round.id
    rubric = rubric_of(db, context)
    judges = panel_judges(db, round_id)
    shown = entry_labels(db, context)
    sheets = current_sheets(db, round_id)
    devices = dict(
        ((entry, judge), device)
        for entry, judge, device in db.execute(
            select(Sheet.entry_key, Judge.key, Sheet.device)
            .join(Judge, Judge.id == Sheet.judge_id)
            .where(Sheet.round_id == round_id, Sheet.device != "")
        ).all()
    )
    attempts = rubric.attempts.count > 1
    places = mark_places(rubric)
    matrix: dict[str, dict[str, dict[str, Any]]] = {shown[e]: {} for e in shown}
    for (entry, judge), device in devices.items():
        if entry in shown:
            matrix[shown[entry]][judge] = {"state": "new", "version": 0, "device": device}
    for entry, judge, version in sheets:
        if entry in shown:
            cell = {"state": version.state, "version": version.version, "device": devices.get((entry, judge), "")}
            if attempts:  # each judge's marks per attempt, as the sheet's current version holds them
                cell |= cell_attempts(rubric, version.marks, places)
            matrix[shown[entry]][judge] = cell
    for entry, judge in not_owed(db, round_id, list(shown), judges):  # a review round: not assigned
        matrix[shown[entry]][judge] = {"state": "unassigned", "version": 0, "device": ""}
    result, by_mean, groups = review(rubric, [s for s in sheets if s[0] in shown])

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
        once = review(rubric.entry_part, [s for s in sheets if s[0] in shown])[0]
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
    states: dict[str, int] = {}  # every sheet of the panel, "new" for those not started
    for row in matrix.values():
        for judge in judges:
            state = row.get(judge, {}).get("state", "new")
            if state != "unassigned":  # a sheet the round does not owe is not counted
                states[state] = states.get(state, 0) + 1
    order = labels_in_order(db, context)
    key_of = {label: entry for entry, label in shown.items()}
    panels = entry_panels(db, round_id, [key_of[label] for label in order if label in key_of])
    names = judge_names(db, context.event.competition_id)
    now = utcnow()
    locked_out = [
        {"judge": key, "name": name, "until": until.astimezone().strftime("%H:%M")}
        for key, name, until in db.execute(
            select(Judge.key, Judge.name, Judge.locked_until)
            .join(PanelSeat, PanelSeat.judge_id == Judge.id)
            .where(PanelSeat.round_id == round_id, Judge.locked_until.is_not(None))
            .order_by(Judge.key)
        ).all()
        if until is not None and until > now
    ]
    results = [entry_json(panel, shown[panel.entry], places) for panel in panels]
    if attempts:  # beside each attempt's working, the desk's parameters (a dive's DD)
        desk = current_values(db, round_id)
        for panel, line in zip(panels, results, strict=True):
            line["parameters"] = entry_parameters(rubric, desk.get(panel.entry, {}))
    return {
        "round": round_id,
        "publication": context.round.publication,
        "attempts": rubric.attempts.count,
        "judges": judges,
        "names": {key: names.get(key, "") for key in judges},
        "locked_out": locked_out,  # judges locked out after failed PINs (the organiser renews their access)
        "entries": order,
        "matrix": matrix,
        "states": states,
        "flags": flags,
        "reviews": reviews,
        "compared_with": "mean of the marks so far" if by_mean else "the rubric's panel rule",
        "compared_by_mean": by_mean,
        "results": results,
        "placements": placements_matrix(rubric, sheets, shown),  # a round judged by placing: per dance
        "order_waiting": next((line["problem"] for line in results if line["whole_round"]), None),
    }


def missing_sheets(db: Session, context: RoundContext) -> list[tuple[str, str]]:
    """(shown entry, judge) pairs whose sheet is not submitted or locked yet."""
    round_id = context.round.id
    judges = panel_judges(db, round_id)
    shown = entry_labels(db, context)
    done = {(entry, judge) for entry, judge, v in current_sheets(db, round_id) if v.state in REVIEWED}
    owed = owed_sheets(db, round_id)  # a round with review assignments owes those sheets only
    if owed is not None:
        return [(shown[e], j) for e, j in sorted(owed) if e in shown and (e, j) not in done]
    return [(shown[e], j) for e in shown for j in judges if (e, j) not in done]
