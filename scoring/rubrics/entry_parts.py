"""Scoring a rubric with a part evaluated once per entry (`[entry]`) beside its attempts.

First the attempts are scored as any rubric's (each attempt's criteria, sections and formula;
then the attempts combined by sum, best or best n), without the total rounding. That combined
score is given to the per-entry part as its parameter `attempts`, one value per entry, and the
part is scored as a rubric of one attempt: its criteria (a panel's programme components), its
sections, its parameters (an official's deductions) and its formula, by default `attempts +
total`. The part's score, rounded by the rubric's `total_round`, is the entry's score. A figure
skating segment is one such rubric: elements per attempt, components and deductions per entry.

Both parts run through the same engine, so each takes the integer path where it can; what
joins them (the formula) is evaluated on Decimals, as every formula is. Every problem of both
parts is reported together, and an entry marked in one part but not the other is a problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pandas as pd

from scoring.marks import MarkTable
from scoring.problems import InvalidInput, Problem
from scoring.rubrics.model import Parameter, Rubric
from scoring.rubrics.parts_loader import ATTEMPTS_NAME
from scoring.rubrics.trace import EntryResult, RubricResult

ZERO = Decimal(0)
Score = Callable[[Rubric, MarkTable], RubricResult]


def _attempts_parameter(table: MarkTable, combined: dict[str, Decimal | None]) -> MarkTable:
    """The per-entry marks with each entry's attempts combined as the parameter `attempts` (0
    where the attempts give no score: the entry is disqualified, and the 0 is never shown)."""
    rows = pd.DataFrame(
        {
            "entry": list(combined),
            "attempt": 1,
            "parameter": ATTEMPTS_NAME,
            "value": pd.Series([ZERO if v is None else v for v in combined.values()], dtype=object),
            "row": 0,
        }
    )
    parameters = table.parameters.astype({"entry": object})
    return replace(table, parameters=pd.concat([parameters, rows], ignore_index=True))


_ATTEMPT_ONE = (re.compile(r"^参赛对象 (.+?) 第 1 次"), re.compile(r"^entry (.+?) attempt 1\b"))


def _per_entry(problem: Problem) -> Problem:
    """A problem of the per-entry part, named as such: its one attempt is the entry itself."""
    zh, en = _ATTEMPT_ONE
    return replace(
        problem,
        zh=zh.sub(r"参赛对象 \1（按参赛对象评分）", problem.zh, count=1),
        en=en.sub(r"entry \1 (marked once per entry)", problem.en, count=1),
    )


def _unmatched(attempted: list[str], per_entry: list[str], source: str) -> list[Problem]:
    """An entry marked in one part and not the other."""
    problems = [
        Problem(
            f"参赛对象 {entry} 有按参赛对象的评分，但没有任何一次的评分",
            f"entry {entry} has marks of the per-entry part but none of any attempt",
            file=source,
        )
        for entry in sorted(set(per_entry) - set(attempted))
    ]
    problems += [
        Problem(
            f"参赛对象 {entry} 缺少按参赛对象评的部分（[entry]）的评分",
            f"entry {entry} has no marks of the per-entry part ([entry])",
            file=source,
        )
        for entry in sorted(set(attempted) - set(per_entry))
    ]
    return problems


def _unmarked_by_panel(rubric: Rubric, table: MarkTable, per_entry: MarkTable) -> list[Problem]:
    """A judge who marked an entry's attempts and marks a per-entry criterion for others, but
    gave this entry nothing of the per-entry part: the part's panel is the entry's judges (each
    part alone cannot see it, since a panel is formed from the judges who marked the entry)."""
    part = rubric.entry_part
    assert part is not None
    marks, own = table.marks, per_entry.marks
    judged = own[own["judge"] != ""]
    seen = set(zip(judged["entry"].astype(str), judged["judge"].astype(str), strict=True))
    attempted = marks[marks["judge"] != ""][["entry", "judge"]].astype(str).drop_duplicates()
    problems = []
    for criterion in part.criteria():
        if criterion.official or criterion.missing != "error":
            continue
        markers = set(judged.loc[judged["criterion"].astype(str) == criterion.key, "judge"].astype(str))
        for entry, judge in attempted.itertuples(index=False):
            if judge in markers and (entry, judge) not in seen:
                problems.append(
                    Problem(
                        f"参赛对象 {entry}（按参赛对象评分）：评分项 {criterion.key} 缺少评分（{judge}）",
                        f"entry {entry} (marked once per entry): criterion {criterion.key} has no mark from {judge}",
                        file=table.source,
                    )
                )
    return problems


def score_with_entry_part(rubric: Rubric, table: MarkTable, score: Score) -> RubricResult:
    """Score the attempts, then the per-entry part with them; InvalidInput lists every problem."""
    part = rubric.entry_part
    assert part is not None
    if table.entry is None:
        raise InvalidInput(
            [
                Problem(
                    "评分未按评分标准的两部分检查（每次、每个参赛对象）",
                    "the marks were not checked against both parts of the rubric (per attempt, per entry)",
                    file=table.source,
                )
            ]
        )
    problems: list[Problem] = []
    try:
        attempted = score(replace(rubric, entry_part=None, total_rounding=None), table)
    except InvalidInput as exc:
        problems += exc.problems
        attempted = None
    with_attempts = replace(
        part, parameters=[*part.parameters, Parameter(ATTEMPTS_NAME, {"zh": "各次合计", "en": "attempts combined"})]
    )
    if attempted is not None:
        per_entry = table.entry.entries()
        problems += _unmatched([r.entry for r in attempted.results], per_entry, table.source)
        problems += _unmarked_by_panel(rubric, table, table.entry)
        if not problems:
            try:
                combined = {r.entry: r.score for r in attempted.results}
                once = score(with_attempts, _attempts_parameter(table.entry, combined))
            except InvalidInput as exc:
                problems += [_per_entry(p) for p in exc.problems]
    else:
        try:  # the per-entry part's own problems, reported with the attempts'
            score(with_attempts, _attempts_parameter(table.entry, dict.fromkeys(table.entry.entries(), ZERO)))
        except InvalidInput as exc:
            problems += [_per_entry(p) for p in exc.problems]
    if problems or attempted is None:
        raise InvalidInput(problems)
    by_entry = attempted.by_entry()
    results = [
        EntryResult(
            entry=r.entry,
            score=None if by_entry[r.entry].disqualified or r.disqualified else r.score,
            disqualified=by_entry[r.entry].disqualified or r.disqualified,
            attempts=by_entry[r.entry].attempts,
        )
        for r in once.results
    ]
    return replace(attempted, rubric=rubric, results=results, flags=attempted.flags + once.flags, entry_part=once)
