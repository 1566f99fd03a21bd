"""The marks of a round's stored sheets, in the long form `scoring compute` reads
(entry, attempt, judge, criterion, value), for results.

Only sheets that count for results are taken (scoring/sheet_rules.py `counts_for_results`):
locked ones, or also submitted ones where the event says `results_before_lock`. Every sheet
left out is listed with its state, so a report can say what is not in it yet. Entries are
keys, never blind codes: results are for organisers, and the public sees decoded entries
only once a round is published. A mark keyed "attempt/criterion" is a row of that attempt. The
officials' values of the round (a dive's degree of difficulty, an official's time: not on
sheets) follow as rows with an empty judge, so the file scores as the store does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.orm import Session

from scoring.marks import MARK_COLUMNS
from scoring.sheet_rules import counts_for_results
from scoring.store.models import Event, Round
from scoring.store.official_values import current_values, split_key, values_table
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
        for key, value in sorted(version.marks.items()):
            attempt, criterion = split_key(key)
            marks.append((entry, attempt, judge, criterion, value))
    sheets = pd.DataFrame(marks, columns=MARK_COLUMNS)
    official = current_values(session, round_id)
    result.marks = pd.concat([sheets, values_table(official)], ignore_index=True) if official else sheets
    return result
