"""Theory papers: answer sheets graded against the key, all at once with pandas.

An answer sheet is wide (one row per contestant: `entry`, then one column per question key)
or the long marks form (`entry, attempt, judge, criterion, value` with an empty judge). Each
distinct answer to a question is graded once and mapped onto every sheet, so ten thousand
sheets cost little more than their distinct answers. A blank answer scores 0; an answer that
is not a valid choice is an error naming its row and question.

Per-question statistics: difficulty is the mean score over the maximum (1.00 = everyone right);
the discrimination index is the difference in that proportion between the top 27% and the
bottom 27% of contestants ranked by total (classical item analysis).
"""

from __future__ import annotations

import decimal
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, cast

import numpy as np
import pandas as pd

from scoring.decimals import format_decimal, quantize, score_context
from scoring.document import Fields
from scoring.events.base import BoundEvent, EntryScore, EventResult, NoParams, NoParamsKind
from scoring.marks import check_mark_columns, check_marks
from scoring.problems import Problem, ProblemCollector
from scoring.rubrics.answer_key import AnswerKeyKind
from scoring.rubrics.loader import read_rubric
from scoring.rubrics.model import Rubric
from scoring.tables import LIMITS, numbered, read_table


def check_answer_key(rubric: Rubric, problems: ProblemCollector) -> None:
    for c in rubric.criteria():
        if not isinstance(c.kind, AnswerKeyKind):
            problems.add(
                f"理论试卷只能包含 answer_key 题目；“{c.key}”是 {c.kind.key}",
                f"a theory paper holds only answer_key questions; '{c.key}' is {c.kind.key}",
            )


def grade_wide(rubric: Rubric, frame: pd.DataFrame, source: str, entries: set[str] | None = None) -> pd.DataFrame:
    """Points per entry (rows) and question (columns), as Decimals; raises on any bad cell."""
    problems = ProblemCollector(source)
    questions = [c.key for c in rubric.criteria()]
    columns = [c for c in frame.columns if c not in ("entry", "row")]
    valid = _columns_said(questions)
    if "entry" not in frame.columns:
        problems.add(
            f"缺少 entry 列；答卷的列为 {valid[0]}",
            f"missing column 'entry'; an answer sheet's columns are {valid[1]}",
            line=1,
            path="entry",
        )
    for extra in sorted(set(columns) - set(questions)):
        problems.add(
            f"未知的题目列“{extra}”；答卷的列为 {valid[0]}",
            f"unknown question column '{extra}'; an answer sheet's columns are {valid[1]}",
            line=1,
            path=str(extra),
        )
    for repeated in sorted({str(c) for c in frame.columns[frame.columns.duplicated()]}):
        problems.add(f"列“{repeated}”出现了不止一次", f"the column '{repeated}' appears more than once", line=1)
    problems.raise_if_any()
    entry_col = frame["entry"].fillna("").astype(str).str.strip()
    for row in frame.loc[entry_col == "", "row"]:
        problems.add("entry 为空", "entry is empty", row=int(row))
    if entries is not None:
        unknown = (entry_col != "") & ~entry_col.isin(entries)
        for row, e in zip(frame.loc[unknown, "row"], entry_col[unknown], strict=True):
            problems.add(f"未知的参赛对象“{e}”", f"unknown entry '{e}'", row=int(row))
    dup = entry_col.duplicated(keep=False) & (entry_col != "")
    for row, e in zip(frame.loc[dup, "row"], entry_col[dup], strict=True):
        problems.add(f"参赛对象“{e}”有多张答卷", f"entry '{e}' has more than one answer sheet", row=int(row))
    points: dict[str, np.ndarray] = {}
    criteria = {c.key: c for c in rubric.criteria()}
    for q in questions:
        if q not in frame.columns:
            points[q] = np.full(len(frame), Decimal(0), dtype=object)
            continue
        raw = frame[q].fillna("").astype(str)
        kind = criteria[q].kind
        graded = {answer: kind.convert(answer) for answer in raw.unique()}
        for a, why in graded.items():
            if isinstance(why, Problem):
                for row in frame.loc[raw == a, "row"][:20]:
                    problems.add(f"题目 {q}：{why.zh}", f"question {q}: {why.en}", row=int(row), path=q)
        points[q] = raw.map({a: v for a, v in graded.items() if not isinstance(v, Problem)}).to_numpy(dtype=object)
    problems.raise_if_any()
    return pd.DataFrame(points, index=pd.Index(entry_col, name="entry"))


def _columns_said(questions: list[str]) -> tuple[str, str]:
    """The columns an answer sheet may have, in words (zh, en): entry, then the questions."""
    shown = ", ".join(questions) if len(questions) <= 6 else f"{questions[0]}, {questions[1]} … {questions[-1]}"
    return f"entry 与题目 {shown}（共 {len(questions)} 题）", f"entry and the questions {shown} ({len(questions)})"


def long_to_wide(rubric: Rubric, table: pd.DataFrame, source: str, entries: set[str] | None) -> pd.DataFrame:
    marks = check_marks(check_mark_columns(table, source), rubric, source, entries=entries)
    pivot = marks.marks.assign(points=marks.points).pivot(index="entry", columns="criterion", values="points")
    questions = [c.key for c in rubric.criteria()]
    return pivot.reindex(columns=questions).map(lambda v: v if isinstance(v, Decimal) else Decimal(0))


GROUP_SHARE = Decimal("0.27")  # the upper and lower groups of the discrimination index


def group_size(n: int) -> int:
    """How many contestants each of the upper and lower groups holds: 27% of n, rounded half
    up, at least one (none when no one sat the paper)."""
    return max(1, int(quantize(Decimal(n) * GROUP_SHARE, 0))) if n else 0


def question_statistics(points: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Difficulty and discrimination index per question, to two places (half up). Contestants
    are ranked by total, ties by entry key, so the groups are the same on every run."""
    with decimal.localcontext(score_context()):
        values = points.to_numpy(dtype=object)
        n = len(points)
        totals = values.sum(axis=1) + Decimal(0) if n else np.array([], dtype=object)
        order = sorted(range(n), key=lambda i: (totals[i], points.index[i]))
        k = group_size(n)
        lower, upper = order[:k], order[-k:]
        rows = []
        for j, c in enumerate(rubric.criteria()):
            top = c.kind.max_points() or Decimal(1)
            column = values[:, j]
            difficulty = (sum(column, Decimal(0)) / n / top) if n else Decimal(0)
            hi = sum(column[upper], Decimal(0)) / k / top if k else Decimal(0)
            lo = sum(column[lower], Decimal(0)) / k / top if k else Decimal(0)
            rows.append(
                {"question": c.key, "difficulty": quantize(difficulty, 2), "discrimination": quantize(hi - lo, 2)}
            )
        return pd.DataFrame(rows)


class TheoryEvent(BoundEvent):
    """A theory paper bound to its answer key."""

    key = "theory"

    def __init__(self, rubric: Rubric) -> None:
        self._rubric = rubric

    @property
    def rubric(self) -> Rubric:
        return self._rubric

    @property
    def lower_is_better(self) -> bool:
        return False

    @property
    def max_score(self) -> Decimal | None:
        return self._rubric.max_score()

    def read_table(self, path: Path) -> pd.DataFrame:
        """Answer sheets as they are in the file: wide, or the long marks form. Bounded as every
        table is, except that the wide form may have a column per question past the usual cap."""
        questions = len(self._rubric.criteria())
        return read_table(path, replace(LIMITS, columns=max(LIMITS.columns, questions + 2)))

    def score(
        self,
        table: pd.DataFrame,
        entries: set[str] | None = None,
        judges: set[str] | None = None,
        source: str = "marks",
    ) -> EventResult:
        """Answers are an official's values, so `judges` is not used."""
        if {"criterion", "value"} <= set(table.columns):
            points = long_to_wide(self._rubric, table, source, entries)
        else:
            points = grade_wide(self._rubric, numbered(table), source, entries)
        return theory_result(self._rubric, points)


class TheoryKind(NoParamsKind[Rubric]):
    key = "theory"
    title: ClassVar[dict[str, str]] = {"zh": "理论", "en": "Theory"}

    def read_rules(self, f: Fields) -> Rubric:
        rubric = read_rubric(f, f.doc.file)
        check_answer_key(rubric, f.problems)
        return rubric

    def bind(self, rules: Rubric, params: NoParams) -> TheoryEvent:
        return TheoryEvent(rules)


def theory_result(rubric: Rubric, points: pd.DataFrame) -> EventResult:
    """Scores, explanations and question statistics from points per entry and question."""
    rounding = rubric.total_rounding or rubric.attempt_rounding
    with decimal.localcontext(score_context()):
        totals = points.to_numpy(dtype=object).sum(axis=1) + Decimal(0) if len(points) else []
        scores = [
            EntryScore(str(e), rounding.apply(t) if rounding else t) for e, t in zip(points.index, totals, strict=True)
        ]
    by_entry = {s.entry: s for s in scores}
    criteria = rubric.criteria()

    def explain(entry: str) -> dict[str, Any] | None:
        if entry not in by_entry:
            return None
        return {
            "entry": entry,
            "rubric": rubric.key,
            "score": format_decimal(by_entry[entry].score or Decimal(0)),
            "questions": [
                {
                    "question": c.key,
                    "points": format_decimal(cast(Decimal, points.at[entry, c.key])),
                    "max": format_decimal(c.kind.max_points() or Decimal(0)),
                }
                for c in criteria
            ],
        }

    def render(e: dict[str, Any]) -> str:
        lines = [f"entry 参赛对象 {e['entry']} — theory paper 理论试卷 {e['rubric']}"]
        lines += [f"  {q['question']}: {q['points']} / {q['max']}" for q in e["questions"]]
        lines.append(f"  score 得分: {e['score']}")
        return "\n".join(lines)

    return EventResult(
        kind=TheoryEvent.key,
        scores=scores,
        lower_is_better=False,
        max_score=rubric.max_score(),
        explain=explain,
        render=render,
        details={"question_statistics": question_statistics(points, rubric)},
        criterion_values=lambda key: {str(e): v for e, v in points[key].items()} if key in points.columns else {},
        breakdown=lambda: points.reset_index(names="entry").astype({"entry": str}),
    )
