"""The export tables beside the ranking's own: individual and unit standings, standardised
scores, and each round's fairness report (each judge against the panel, agreement, the places a
judge's marks alone decide), as exact text with bilingual headers, like results/export_tables.py.

Individual standings count each contestant's own events and their team's score in team
events; unit standings are the mean or best n of the units' teams, as the competition file
says (results/groups.py). Fairness statistics are descriptive (results/fairness.py); the
frames round them to 3 places. Nothing here reads the store.
"""

from __future__ import annotations

import pandas as pd

from results.export_tables import ExportTable, text
from results.fairness import COLUMN_LABELS, agreement_frame, assess_round, decisive_marks_frame, judges_frame
from results.from_store import IncludedMarks, StoredResults
from results.groups import individual_standings, unit_standings
from results.report import competition_table
from scoring.model import Scope
from scoring.problems import InvalidInput


def individual_table(stored: StoredResults) -> ExportTable | None:
    """Every contestant's standing (a team ranking only; in an individual ranking it is the overall)."""
    competition = stored.competition
    if stored.overall is None or competition.ranking is Scope.INDIVIDUAL or not competition.contestants:
        return None
    frame = competition_table(individual_standings(stored.overall)).astype(str)
    headers = {e.key: (e.title.get("zh", e.key), e.title.get("en", e.key)) for e in competition.events}
    return ExportTable("individual", ("个人成绩", "Individual standings"), frame, headers)


def unit_table(stored: StoredResults) -> ExportTable | None:
    """Each unit's standing, with the entries its score is made of."""
    competition = stored.competition
    if stored.overall is None or not competition.units:
        return None
    units = unit_standings(stored.overall)
    names = {u.key: u.name for u in competition.units}
    rows = [
        {
            "place": s.place_label,
            "entry": s.entry,
            "name": names.get(s.entry, {}).get("zh", s.entry),
            "name_en": names.get(s.entry, {}).get("en", s.entry),
            "score": text(s.score),
            "counted": " ".join(units.counted.get(s.entry, ())),
        }
        for s in units.standings
    ]
    frame = pd.DataFrame(rows, columns=["place", "entry", "name", "name_en", "score", "counted"])
    headers = {"name_en": ("名称（英文）", "Name (English)"), "counted": ("计入的参赛队", "Counted entries")}
    return ExportTable("units", ("单位成绩", "Unit standings"), frame, headers, list(units.notes))


def standardised_table(stored: StoredResults) -> ExportTable | None:
    """Raw and standardised scores of the events that are standardised, side by side."""
    if stored.overall is None or not stored.overall.standardised:
        return None
    result = stored.overall
    keys = list(result.standardised)
    entries = [s.entry for s in result.standings]
    rows = []
    for entry in entries:
        row = {"entry": entry}
        for key in keys:
            row[f"{key}"] = text(result.event_scores[key].get(entry))
            row[f"{key}_standardised"] = text(result.standardised[key].get(entry))
        rows.append(row)
    headers: dict[str, tuple[str, str]] = {}
    for key in keys:
        event = stored.competition.event(key)
        title = (event.title.get("zh", key), event.title.get("en", key)) if event else (key, key)
        headers[key] = (f"{title[0]}（原始分）", f"{title[1]} (raw)")
        headers[f"{key}_standardised"] = (f"{title[0]}（标准分）", f"{title[1]} (standardised)")
    frame = pd.DataFrame(rows, columns=["entry"] + [c for k in keys for c in (k, f"{k}_standardised")])
    return ExportTable("standardised", ("标准分", "Standardised scores"), frame, headers)


def fairness_tables(stored: StoredResults, marks: IncludedMarks) -> list[ExportTable]:
    """One table per judged round: its judges against the panel, then the panel's agreement and
    the places each judge's marks decide, as rows of the same sheet."""
    tables = []
    labels = {k: (v["zh"], v["en"]) for k, v in COLUMN_LABELS.items()}
    for taken in marks.rounds:
        event = stored.competition.event(taken.event_key)
        if event is None or event.bound is None or event.bound.rubric is None or event.kind == "theory":
            continue
        if taken.table.empty:
            continue
        try:
            report = assess_round(event.bound, taken.table, None, None, taken.event_key, event.key)
        except InvalidInput:
            continue  # marks that cannot be scored yet have no fairness to report
        judges = judges_frame(report)
        agreement = agreement_frame(report, "en")
        decisive = decisive_marks_frame(report, "en")
        frame = pd.concat(
            [
                judges.assign(part="judges"),
                agreement.assign(part="agreement"),
                decisive.assign(part="decisive"),
            ],
            ignore_index=True,
        )
        frame = frame[["part"] + [c for c in frame.columns if c != "part"]].map(
            lambda v: (
                "" if v is None or (isinstance(v, float) and pd.isna(v)) else text(v) if not isinstance(v, str) else v
            )
        )
        key = f"fairness_{taken.event_key}_{taken.round_key}"[:31]
        title = (
            f"公正性 {event.title.get('zh', event.key)} {taken.round_key}",
            f"Fairness {event.key} {taken.round_key}",
        )
        tables.append(ExportTable(key, title, frame, labels | {"part": ("部分", "Part")}))
    return tables
