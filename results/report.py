"""Result tables for printing and export: one row per entry, best first, numbers as exact text.

Scores are written with format_decimal so that what is printed is what was computed; nothing
here rounds.
"""

from __future__ import annotations

import pandas as pd

from results.overall import CompetitionResult
from results.standings import Candidate, Standing, rank_entries
from scoring.decimals import decimal_text, format_decimal
from scoring.events import EventResult


def rank_event(result: EventResult) -> list[Standing]:
    tiebreak = any(s.tiebreak is not None for s in result.scores)
    candidates = [
        Candidate(s.entry, None if s.disqualified else s.score, ((s.tiebreak, False),) if tiebreak else ())
        for s in result.scores
    ]
    return rank_entries(candidates, result.lower_is_better, ["extra questions"] if tiebreak else [])


def event_table(result: EventResult) -> pd.DataFrame:
    standings = rank_event(result)
    flags: dict[str, int] = {}
    for f in result.flags:
        flags[f.entry] = flags.get(f.entry, 0) + 1
    rows = [
        {
            "place": s.place_label,
            "entry": s.entry,
            "score": decimal_text(s.score) if s.place is not None else "DQ",
            "flags": flags.get(s.entry, 0),
            "tie_break": "; ".join(s.decided_by),
        }
        for s in standings
    ]
    frame = pd.DataFrame(rows, columns=["place", "entry", "score", "flags", "tie_break"])
    if "order" in result.details:
        position = {e: i + 1 for i, e in enumerate(result.details["order"])}
        frame.insert(2, "order", [position.get(e, "") for e in frame["entry"]])
    return frame


def competition_table(result: CompetitionResult) -> pd.DataFrame:
    comp = result.competition
    units = {u.key: u.name["zh"] for u in comp.units}
    unit_of = {t.key: t.unit for t in comp.teams} | {c.key: c.unit for c in comp.contestants}
    rows = []
    for s in result.standings:
        row = {
            "place": s.place_label,
            "entry": s.entry,
            "name": result.entry_name(s.entry),
            "unit": units.get(unit_of.get(s.entry, ""), ""),
        }
        for event in comp.events:
            row[event.key] = decimal_text(result.event_scores[event.key].get(s.entry))
        row["overall"] = decimal_text(s.score)
        row["tie_break"] = "; ".join(s.decided_by)
        rows.append(row)
    return pd.DataFrame(rows)


def question_table(result: EventResult) -> pd.DataFrame | None:
    stats = result.details.get("question_statistics")
    if stats is None:
        return None
    return stats.assign(
        difficulty=stats["difficulty"].map(format_decimal), discrimination=stats["discrimination"].map(format_decimal)
    )
