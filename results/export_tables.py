"""The tables every results export is made of: the overall, one per event with its breakdown, one
per award list, and the judges' marks; each cell as exact text, each column with a key (what
`scoring compute` prints, and what CSV and JSON files use) and a bilingual header (zh / en,
what the workbook shows).

Scores are written as `format_decimal` gives them, never as binary floats: 85.50 stays 85.50,
and what a reader sees is what was computed. Nothing here rounds, renders pages or writes files
(results/workbook.py writes XLSX, CSV and JSON; results/certificates.py renders certificates).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from results.awards import AwardList
from results.from_store import IncludedMarks, StoredResults
from results.report import competition_table, rank_event
from scoring.decimals import decimal_text
from scoring.events import EventResult
from scoring.model import Competition
from scoring.publication import Publication

# headers of the columns every table may have: key -> (zh, en)
HEADERS: dict[str, tuple[str, str]] = {
    "place": ("名次", "Place"),
    "entry": ("编号", "Entry"),
    "name": ("名称", "Name"),
    "unit": ("单位", "Unit"),
    "overall": ("总分", "Overall"),
    "tie_break": ("并列决胜", "Tie-break"),
    "score": ("得分", "Score"),
    "attempt_score": ("本次得分", "Attempt score"),
    "award": ("奖项", "Award"),
    "contestants": ("选手", "Contestants"),
    "reason": ("理由", "Reason"),
    "round": ("轮次", "Round"),
    "attempt": ("次", "Attempt"),
    "judge": ("评委", "Judge"),
    "criterion": ("评分项", "Criterion"),
    "value": ("分值", "Value"),
    "base": ("基础分", "Base"),
    "compulsory": ("必答", "Compulsory"),
    "buzzer": ("抢答", "Buzzer"),
    "risk": ("风险题", "Risk"),
    "extra_right": ("加赛答对", "Extra right"),
}

PROVISIONAL_NOTICE = ("暂定成绩，尚未公布，以正式公布为准", "Provisional results: not published, subject to change")
WAITING_NOTICE = ("总成绩待全部赛项有成绩后计算，尚缺：", "The overall waits for every event; still waiting for: ")


@dataclass
class ExportTable:
    """One table of an export: `frame` has the columns' keys and text cells; `headers` the
    (zh, en) of each column; `title` names the sheet or file part."""

    key: str  # the sheet's name (an event's or award's key, "overall", "marks")
    title: tuple[str, str]
    frame: pd.DataFrame
    headers: dict[str, tuple[str, str]] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def header(self, column: str) -> tuple[str, str]:
        return self.headers.get(column) or HEADERS.get(column) or (column, column)


def text(value: object) -> str:
    """A cell as exact text: a Decimal as format_decimal writes it, nothing for None."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def labels(competition: Competition) -> dict[str, tuple[str, str]]:
    """Each team's and contestant's (name, unit name), and each unit's (name, "")."""
    units = {u.key: u.name["zh"] for u in competition.units}
    out = {u.key: (u.name["zh"], "") for u in competition.units}
    out |= {t.key: (t.name["zh"], units.get(t.unit, "")) for t in competition.teams}
    out |= {c.key: (c.name, units.get(c.unit, "")) for c in competition.contestants}
    return out


def overall_table(stored: StoredResults) -> ExportTable:
    """The columns `scoring compute` prints (results/report.py): place, entry, name, unit, one
    per event, overall, tie_break. Empty, with a note, until every event has a score."""
    competition = stored.competition
    headers = {e.key: (e.title.get("zh", e.key), e.title.get("en", e.key)) for e in competition.events}
    if stored.overall is None:
        columns = ["place", "entry", "name", "unit"] + [e.key for e in competition.events] + ["overall", "tie_break"]
        waiting = ", ".join(stored.waiting_for)
        notes = [(WAITING_NOTICE[0] + waiting, WAITING_NOTICE[1] + waiting)]
        return ExportTable("overall", ("总成绩", "Overall"), pd.DataFrame(columns=columns), headers, notes)
    frame = competition_table(stored.overall).astype(str)
    notes = [(n, n) for n in stored.overall.notes]
    return ExportTable("overall", ("总成绩", "Overall"), frame, headers, notes)


def _breakdown_columns(competition: Competition, event_key: str, result: EventResult) -> tuple[pd.DataFrame, dict]:
    """The event's breakdown as one row per entry: with attempts, a column per criterion and
    attempt ("key#2") and each attempt's score; without, a column per criterion."""
    event = next(e for e in competition.events if e.key == event_key)
    rubric = event.bound.rubric if event.bound is not None else None
    titles = {c.key: (c.title.get("zh", c.key), c.title.get("en", c.key)) for c in rubric.criteria()} if rubric else {}
    titles["total"] = ("评委总分", "Judges' totals")
    frame = result.breakdown()
    if "attempt" not in frame.columns:
        headers = {k: titles.get(k, HEADERS.get(k, (k, k))) for k in frame.columns if k != "entry"}
        return frame.set_index("entry"), headers
    values = [c for c in frame.columns if c not in ("entry", "attempt")]
    attempts = sorted({int(a) for a in frame["attempt"]})
    if len(attempts) <= 1:
        wide = frame.drop(columns=["attempt", "attempt_score"], errors="ignore").set_index("entry")
        return wide, {k: titles.get(k, (k, k)) for k in wide.columns}
    wide = frame.pivot(index="entry", columns="attempt", values=values)
    headers = {}
    names = []
    for attempt in attempts:
        for key in values:
            name = f"{key}#{attempt}"
            zh, en = titles.get(key, HEADERS.get(key, (key, key)))
            headers[name] = (f"{zh}（第{attempt}次）", f"{en} (attempt {attempt})")
            names.append((key, attempt, name))
    out = pd.DataFrame({name: wide[(key, attempt)] for key, attempt, name in names}, index=wide.index)
    return out, headers


def event_table_with_breakdown(stored: StoredResults, event_key: str) -> ExportTable:
    """One event's standings (place, entry, name, unit), its breakdown by criterion (and
    attempt), and the score; best first, as results/report.py ranks an event."""
    competition = stored.competition
    event = next(e for e in competition.events if e.key == event_key)
    result = stored.events[event_key]
    breakdown, headers = _breakdown_columns(competition, event_key, result)
    names = labels(competition)
    rows = []
    for s in rank_event(result):
        name, unit = names.get(s.entry, (s.entry, ""))
        row = {"place": s.place_label, "entry": s.entry, "name": name, "unit": unit}
        found = s.entry in breakdown.index
        row |= {c: text(breakdown.at[s.entry, c]) if found else "" for c in breakdown.columns}
        row["score"] = text(s.score) if s.place is not None else "DQ"
        row["tie_break"] = "; ".join(s.decided_by)
        rows.append(row)
    columns = ["place", "entry", "name", "unit", *breakdown.columns, "score", "tie_break"]
    frame = pd.DataFrame(rows, columns=columns)
    return ExportTable(event_key, (event.title.get("zh", event_key), event.title.get("en", event_key)), frame, headers)


def award_table(awards: AwardList) -> ExportTable:
    """One award list: award, place, name (the team, contestant or unit), unit, contestants,
    score, reason; in the list's order (best first)."""
    rule = awards.rule
    rows = [
        {
            "award": rule.title.get("zh", rule.key),
            "place": "" if r.place is None else (f"={r.place}" if r.shared else str(r.place)),
            "entry": r.entry,
            "name": r.name,
            "unit": r.unit_name,
            "contestants": "、".join(r.contestants),
            "score": text(r.score),
            "reason": r.reason,
        }
        for r in awards.recipients
    ]
    columns = ["award", "place", "entry", "name", "unit", "contestants", "score", "reason"]
    return ExportTable(
        f"award_{rule.key}",
        (rule.title.get("zh", rule.key), rule.title.get("en", rule.key)),
        pd.DataFrame(rows, columns=columns),
        notes=list(awards.notes),
    )


def all_final(marks: IncludedMarks) -> bool:
    """Every event has an included round and every included round is final: the judges' marks
    may then be handed out."""
    return not marks.waiting_for and all(Publication(r.publication) is Publication.FINAL for r in marks.rounds)


def marks_table(marks: IncludedMarks) -> ExportTable:
    """The judges' marks of every included round, as counted: round, entry, attempt, judge
    (empty for an official's value), criterion, value."""
    frames = []
    for taken in marks.rounds:
        table = taken.table
        if "criterion" not in table.columns:  # a quiz log is not judges' marks
            continue
        frames.append(
            table.assign(round=f"{taken.event_key}/{taken.round_key}")[
                ["round", "entry", "attempt", "judge", "criterion", "value"]
            ]
        )
    columns = ["round", "entry", "attempt", "judge", "criterion", "value"]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return ExportTable("marks", ("评委评分", "Judges' marks"), frame.map(text))


def export_tables(
    stored: StoredResults, awards: Sequence[AwardList] = (), marks: IncludedMarks | None = None
) -> list[ExportTable]:
    """Every table of a full export: the overall, each event that has a score, each award
    list, and the judges' marks when given (the caller gives them once results are final)."""
    tables = [overall_table(stored)]
    tables += [event_table_with_breakdown(stored, e.key) for e in stored.competition.events if e.key in stored.events]
    tables += [award_table(a) for a in awards]
    if marks is not None:
        tables.append(marks_table(marks))
    return tables
