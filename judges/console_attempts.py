"""What the chief judge's console adds for a rubric with attempts (a diver's five dives, a drill's
two timed runs): the panel's marks grouped per attempt for the review, each judge's marks per
attempt in a matrix cell, and per entry and attempt the parameters the officials' desk gave (a
dive's DD) beside the engine's working.

A rubric's part marked once per entry (a skater's components, keyed by the criterion alone) is
reviewed on its own (judges/console.py; its flags say attempt 0), and a cell carries its marks
as "0".
The review compares marks per entry, attempt and criterion: each (entry, attempt) is one group
of the review's view, so an attempt a judge has not submitted yet is simply not there (the
engine would refuse an entry with attempts missing). Parameters are read as the desk stored
them (judges/desk.py attempt_parameters: the value given, else the rubric's default). This
module computes no score and renders nothing; a rubric without attempts never comes here.
"""

from __future__ import annotations

from typing import Any

from judges.console_results import written
from judges.desk import attempt_parameters
from scoring.rubrics.model import Rubric
from scoring.sheet_attempts import attempts_in, entry_criteria, split_attempt
from scoring.store.sheet_rows import SheetRow

SEPARATOR = "\x1f"  # between an entry's key and its attempt in a review group (never in a key)


def review_rows(
    rubric: Rubric, sheets: list[SheetRow], panel_keys: set[str], states: set[str]
) -> tuple[list[tuple[str, str, str, str, str]], dict[str, tuple[str, int]]]:
    """The review's rows (group, attempt, judge, criterion, value), one group per entry and
    attempt, and each group's (entry, attempt)."""
    rows: list[tuple[str, str, str, str, str]] = []
    groups: dict[str, tuple[str, int]] = {}
    for entry, judge, _, state, _, marks in sheets:
        if state not in states:
            continue
        for key, value in marks.items():
            attempt, name = split_attempt(key)
            if attempt is None or name not in panel_keys:
                continue
            group = f"{entry}{SEPARATOR}{attempt}"
            groups[group] = (entry, attempt)
            rows.append((group, "", judge, name, value))
    return rows, groups


def cell_attempts(rubric: Rubric, marks: dict[str, str], places: dict[str, int | None]) -> dict[str, Any]:
    """A matrix cell's marks per attempt ("1" -> "7.5", criteria joined by " · " in the rubric's
    order) and how many attempts the sheet holds."""
    names = [c.key for c in rubric.criteria() if not c.official]
    by_attempt: dict[str, str] = {}
    for attempt in sorted(attempts_in(marks)):
        shown = [written(marks[f"{attempt}/{n}"], places.get(n)) or "" for n in names if f"{attempt}/{n}" in marks]
        by_attempt[str(attempt)] = " · ".join(shown)
    once = [written(marks[n], places.get(n)) or "" for n in entry_criteria(rubric) if n in marks]
    if once:
        by_attempt["0"] = " · ".join(once)
    return {"attempts": max(attempts_in(marks), default=0), "by_attempt": by_attempt}


def entry_parameters(rubric: Rubric, values: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Per attempt ("1".."N") the rubric's parameters with the value the desk gave (else the
    default, else None: not given yet)."""
    params = attempt_parameters(rubric, values)
    return {
        str(a): [
            {"key": p["key"], "title": p["title"], "value": p["values"].get(str(a)) or p["default"]} for p in params
        ]
        for a in range(1, rubric.attempts.count + 1)
    }
