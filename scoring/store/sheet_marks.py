"""The marks of a round's stored sheets, in the long form `scoring compute` reads
(entry, attempt, judge, criterion, value), for results.

Only sheets that count for results are taken (scoring/sheet_rules.py `counts_for_results`):
locked ones, or also submitted ones where the event says `results_before_lock`. Every sheet
left out is listed with its state, so a report can say what is not in it yet. Entries are
keys, never blind codes: results are for organisers, and the public sees decoded entries
only once a round is published. Official values (an official's time) are not on sheets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.orm import Session

from scoring.marks import MARK_COLUMNS
from scoring.sheet_rules import counts_for_results
from scoring.store.models import Event, Round
from scoring.store.sheets import current_sheets


@dataclass
class RoundMarks:
    marks: pd.DataFrame  # MARK_COLUMNS, one mark a row
    counted: int = 0  # sheets taken
    left_out: list[tuple[str, str, str]] = field(default_factory=list)  # (entry, judge, state)


def round_marks(session: Session, round_id: int) -> RoundMarks:
    found = session.get(Round, round_id)
    event = session.get(Event, found.event_id) if found else None
    if found is None or event is None:
        raise KeyError(round_id)
    result = RoundMarks(pd.DataFrame(columns=MARK_COLUMNS))
    marks = []
    for entry, judge, version in sorted(current_sheets(session, round_id), key=lambda s: (s[0], s[1])):
        if not counts_for_results(version.state, event.results_before_lock):
            result.left_out.append((entry, judge, version.state))
            continue
        result.counted += 1
        marks += [(entry, "", judge, criterion, value) for criterion, value in sorted(version.marks.items())]
    result.marks = pd.DataFrame(marks, columns=MARK_COLUMNS)
    return result
