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

A read reads the round's sheets once, as light rows (scoring/store/sheet_rows.py), for the matrix,
the review and the panel results. The review (judges/console_review.py) is kept by the counted
sheets themselves (and each entry's part by its own), the panel results by the live seq
(results/round_entries.py) and so their JSON; the matrix, which shows drafts, is built afresh on
every read.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from judges.assignments import not_owed, owed_sheets
from judges.console_attempts import cell_attempts, entry_parameters
from judges.console_placements import placements_matrix
from judges.console_results import entry_json, judge_names, mark_places
from judges.console_review import REVIEWED, reviewed
from results.round_entries import EntryPanel, SheetsRead, entry_panels
from scoring.kept import Kept
from scoring.rubrics.model import Rubric
from scoring.store.live import head
from scoring.store.models import Competition, Judge, PanelSeat, utcnow
from scoring.store.official_values import current_values
from scoring.store.rounds import RoundContext, entry_labels, labels_in_order, panel_judges, rubric_of
from scoring.store.sheet_rows import round_sheets, with_versions

#: (database, competition and its creation, round, rubric version, live seq, entries and labels,
#: the entries whose working is written) -> the entries' results as shown: the panels are kept by
#: the same seq (results/round_entries.py),
#: and the desk's values a rubric with attempts shows beside them bump it too
_RESULTS: Kept[list[dict[str, Any]]] = Kept(64)


def console(db: Session, context: RoundContext, workings: Collection[str] | None = None) -> dict[str, Any]:
    """The console's data. `workings`: the entries (as shown: labels, codes) whose working each
    result line carries; None: every scored entry's (the API's default). The page asks for the
    entries the chief opened only: writing out every working (ten thousand marks for 100 judges)
    on every refresh was most of a read's cost."""
    round_id = context.round.id
    competition = db.get(Competition, context.event.competition_id)
    assert competition is not None
    rubric = rubric_of(db, context)
    judges = panel_judges(db, round_id)
    shown = entry_labels(db, context)
    seq = head(db, competition.id)  # before the sheets: the panels kept under it are as new
    database = (str(db.get_bind().engine.url), competition.id, competition.created_at)
    sheets = round_sheets(db, round_id, database)  # read once: the matrix, the review and the panels
    attempts = rubric.attempts.count > 1
    places = mark_places(rubric)
    matrix: dict[str, dict[str, dict[str, Any]]] = {shown[e]: {} for e in shown}
    for entry, judge, device, state, version, marks in sheets:
        if entry in shown:
            cell = {"state": state, "version": version, "device": device}
            if attempts and version:  # each judge's marks per attempt, as the sheet's current version holds them
                cell |= cell_attempts(rubric, marks, places)
            matrix[shown[entry]][judge] = cell
    for entry, judge in not_owed(db, round_id, list(shown), judges):  # a review round: not assigned
        matrix[shown[entry]][judge] = {"state": "unassigned", "version": 0, "device": ""}
    review = reviewed((*database, round_id, context.rubric_version_id), rubric, sheets, shown, places)
    states: dict[str, int] = {}  # every sheet of the panel, "new" for those not started
    for row in matrix.values():
        for judge in judges:
            state = row.get(judge, {}).get("state", "new")
            if state != "unassigned":  # a sheet the round does not owe is not counted
                states[state] = states.get(state, 0) + 1
    order = labels_in_order(db, context)
    key_of = {label: entry for entry, label in shown.items()}
    keys = [key_of[label] for label in order if label in key_of]
    panels = entry_panels(db, round_id, keys, SheetsRead(seq, sheets))
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
    asked = None if workings is None else tuple(sorted(set(workings) & set(shown.values())))
    results = _RESULTS.get_or_make(
        (*database, round_id, context.rubric_version_id, seq, tuple((key, shown[key]) for key in keys), asked),
        lambda: _results(db, round_id, rubric, panels, shown, places, asked),
    )
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
        "flags": review.flags,
        "reviews": review.reviews,
        "compared_with": "mean of the marks so far" if review.by_mean else "the rubric's panel rule",
        "compared_by_mean": review.by_mean,
        "results": results,
        "placements": placements_matrix(rubric, with_versions(sheets), shown),  # a round judged by placing: per dance
        "order_waiting": next((line["problem"] for line in results if line["whole_round"]), None),
    }


def _results(
    db: Session, round_id: int, rubric: Rubric, panels: list[EntryPanel], shown: dict[str, str],
    places: dict[str, int | None], asked: tuple[str, ...] | None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Each entry's panel result as the console shows it (the marks of its working written as
    the rubric writes them, for the entries `asked`, None: all); for a rubric with attempts the
    desk's parameters beside them."""
    results = [
        entry_json(panel, shown[panel.entry], places, asked is None or shown[panel.entry] in asked) for panel in panels
    ]
    if rubric.attempts.count > 1:  # beside each attempt's working, the desk's parameters (a dive's DD)
        desk = current_values(db, round_id)
        for panel, line in zip(panels, results, strict=True):
            line["parameters"] = entry_parameters(rubric, desk.get(panel.entry, {}))
    return results


def missing_sheets(db: Session, context: RoundContext) -> list[tuple[str, str]]:
    """(shown entry, judge) pairs whose sheet is not submitted or locked yet."""
    round_id = context.round.id
    judges = panel_judges(db, round_id)
    shown = entry_labels(db, context)
    done = {(s.entry, s.judge) for s in round_sheets(db, round_id) if s.state in REVIEWED}
    owed = owed_sheets(db, round_id)  # a round with review assignments owes those sheets only
    if owed is not None:
        return [(shown[e], j) for e, j in sorted(owed) if e in shown and (e, j) not in done]
    return [(shown[e], j) for e in shown for j in judges if (e, j) not in done]
