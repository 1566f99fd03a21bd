"""The chief judge's console for a round judged by placing the entries: the placements matrix,
one table per dance (placement criterion), entries (in the round's order, by code in a blind
event) x judges, each cell the place the judge's current sheet holds and that sheet's state.
A place means something only beside the others, so the chief reads a judge's column down a
dance. Pure reading of the sheets the console already loaded; the round's result from the
places is the core's (the rubric's ordinal rule), shown with the other results."""

from __future__ import annotations

from typing import Any

from judges.placements import placement_criteria
from scoring.rubrics.model import Rubric
from scoring.store.sheet_rows import SheetRow


def placements_matrix(rubric: Rubric, sheets: list[SheetRow], shown: dict[str, str]) -> list[dict[str, Any]]:
    """Per dance: its key, titles, ties rule and `places` {label: {judge: {"place", "state"}}}
    (a judge's cell is missing where no sheet of theirs holds a place for the entry). Empty for
    a rubric without placement criteria."""
    dances = placement_criteria(rubric)
    out = []
    for dance in dances:
        places: dict[str, dict[str, dict[str, str]]] = {label: {} for label in shown.values()}
        for entry, judge, _, state, _, marks in sheets:
            if entry in shown and dance.key in marks:
                places[shown[entry]][judge] = {"place": marks[dance.key], "state": state}
        out.append(
            {
                "key": dance.key,
                "title": dance.title,
                "ties": "allow" if dance.kind.ties_allowed else "refuse",  # type: ignore[attr-defined]
                "places": places,
            }
        )
    return out
