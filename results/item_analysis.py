"""A theory paper's graded answer sheets and its item analysis: one round read from the store for
the organiser's page (`review_theory_round`), and every theory event of an export as a table of
its own (`item_analysis_tables`).

Per question: its key and points, the difficulty P (the mean points earned over the question's
points, which for a one-point question is the share who answered right; 1.00 = everyone right)
and the discrimination index D (P in the upper group minus P in the lower group, the groups being
the top and bottom 27% of contestants by total, ties broken by entry key): classical item
analysis with upper and lower groups, not a point-biserial correlation. Both are computed once,
by the event kind (scoring/events/theory.py `question_statistics`), exactly in Decimal, rounded
half up to two places; they describe the paper and never change a score.

Nothing here decides who may read a round (the organiser's guard does) or renders words other
than the export's bilingual headers and notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from results.export_tables import ExportTable, text
from results.from_store import StoredResults, View, round_table, score_round
from results.report import rank_event
from results.stored import stored_competition
from scoring.events import EventResult
from scoring.events.theory import group_size
from scoring.model import Event as EventModel
from scoring.problems import InvalidInput
from scoring.refusals import Conflict, NotFound
from scoring.rubrics.answer_key import AnswerKeyKind
from scoring.rubrics.model import Rubric
from scoring.store.models import Competition, Event, Round
from scoring.store.official_values import current_values

LOW_DISCRIMINATION = Decimal("0.20")  # below this a question hardly tells strong from weak: review it
METHOD_NOTES = [
    (
        "难度 P = 该题平均得分 ÷ 该题分值（1 分题即答对人数的比例），1.00 表示全部答对。",
        "Difficulty P = the mean points earned on the question ÷ its points (for a one-point question, the "
        "share who answered right); 1.00 means everyone was right.",
    ),
    (
        "区分度 D = 高分组的 P − 低分组的 P；按总分排序，高分组、低分组各为前、后 27% 的考生（总分相同按编号）。"
        f"D 低于 {LOW_DISCRIMINATION} 的题目建议复核。",
        "Discrimination D = P in the upper group − P in the lower group, the groups being the top and bottom 27% "
        f"of contestants by total (equal totals by entry key): upper-lower groups, not point-biserial. A question "
        f"with D below {LOW_DISCRIMINATION} is worth reviewing.",
    ),
]


@dataclass
class Question:
    key: str
    title: dict[str, str]
    type: str  # single, multiple, true_false, numeric
    answer: str  # the key as the organiser wrote it: letters, true/false, a number ± tolerance
    points: Decimal
    partial: str  # how a multiple choice earns part of its points: none, subset, per_option
    difficulty: Decimal | None = None
    discrimination: Decimal | None = None

    @property
    def low(self) -> bool:
        return self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION


@dataclass
class Sheet:
    entry: str
    place: str
    score: Decimal | None
    cells: list[tuple[str, Decimal | None]]  # per question: the answer given, the points it earned


@dataclass
class TheoryReview:
    round_id: int
    round_key: str
    event_key: str
    title: dict[str, str]
    publication: str
    questions: list[Question]
    sheets: list[Sheet] = field(default_factory=list)
    group: int = 0  # the size of each of the upper and lower groups
    max_score: Decimal | None = None
    problem: tuple[str, str] | None = None  # (zh, en) when the stored answers cannot be graded


def questions_of(rubric: Rubric) -> list[Question]:
    """The paper's questions in order, with their keys in words."""
    out = []
    for criterion in rubric.criteria():
        kind = criterion.kind
        if not isinstance(kind, AnswerKeyKind):
            continue
        out.append(
            Question(
                key=criterion.key,
                title=dict(criterion.title),
                type=kind.type,
                answer=answer_text(kind),
                points=kind.points,
                partial=kind.partial,
            )
        )
    return out


def answer_text(kind: AnswerKeyKind) -> str:
    """A question's key as text: the letters, true or false, or the number with its tolerance."""
    if kind.type in ("single", "multiple"):
        return "".join(sorted(kind.answer_set))
    if kind.type == "true_false":
        return "true" if kind.answer_bool else "false"
    number = text(kind.answer_number)
    return f"{number} ± {text(kind.tolerance)}" if kind.tolerance else number


def review_theory_round(db: Session, round_id: int) -> TheoryReview:
    """A theory round's stored answer sheets graded (the provisional view: every upload counts
    while the round is open) and its item analysis. Conflict for a round of another kind."""
    round_ = db.get(Round, round_id)
    event = db.get(Event, round_.event_id) if round_ is not None else None
    competition = db.get(Competition, event.competition_id) if event is not None else None
    if round_ is None or event is None or competition is None:
        raise NotFound("没有这个轮次", f"no round {round_id}")
    if event.kind != "theory":
        raise Conflict("本轮次不是理论试卷", "this round is not a theory paper")
    model = stored_competition(db, competition.key)
    bound = model.event(event.key)
    assert bound is not None and bound.bound is not None and bound.bound.rubric is not None
    review = TheoryReview(
        round_id,
        round_.key,
        event.key,
        {"zh": event.title_zh, "en": event.title_en},
        round_.publication,
        questions_of(bound.bound.rubric),
        max_score=bound.bound.max_score,
    )
    taken = round_table(db, round_, event, View.PROVISIONAL)
    if taken.table.empty:
        return review
    try:
        result = score_round(model, taken)
    except InvalidInput as refused:  # answers stored under an older key no longer grade
        shown = refused.problems[:5]
        review.problem = ("；".join(p.zh for p in shown), "; ".join(p.en for p in shown))
        return review
    _fill(review, result, current_values(db, round_id))
    return review


def _fill(review: TheoryReview, result: EventResult, answers: dict[str, dict[str, str]]) -> None:
    stats = result.details.get("question_statistics")
    if stats is not None:
        found = {row["question"]: row for row in stats.to_dict("records")}
        for q in review.questions:
            if q.key in found:
                q.difficulty, q.discrimination = found[q.key]["difficulty"], found[q.key]["discrimination"]
    points = result.breakdown().set_index("entry")
    review.group = group_size(len(points))
    for standing in rank_event(result):
        given = answers.get(standing.entry, {})
        cells: list[tuple[str, Decimal | None]] = [
            (given.get(q.key, ""), _earned(points, standing.entry, q.key)) for q in review.questions
        ]
        review.sheets.append(Sheet(standing.entry, standing.place_label, standing.score, cells))


def _earned(points: pd.DataFrame, entry: str, question: str) -> Decimal | None:
    if entry not in points.index or question not in points.columns:
        return None
    value = points.at[entry, question]
    return value if isinstance(value, Decimal) else None


def item_analysis_table(event: EventModel, result: EventResult) -> ExportTable | None:
    """One theory event's item analysis as an export table (None for other kinds)."""
    stats = result.details.get("question_statistics")
    rubric = event.bound.rubric if event.bound is not None else None
    if event.kind != "theory" or stats is None or rubric is None:
        return None
    found = {row["question"]: row for row in stats.to_dict("records")}
    n = len(result.scores)
    rows: list[dict[str, Any]] = []
    for q in questions_of(rubric):
        row = found.get(q.key, {})
        d = row.get("discrimination")
        rows.append(
            {
                "question": q.key,
                "title": q.title.get("zh", q.key),
                "title_en": q.title.get("en", q.key),
                "type": q.type,
                "answer": q.answer,
                "points": text(q.points),
                "difficulty": text(row.get("difficulty")),
                "discrimination": text(d),
                "review": "review" if d is not None and d < LOW_DISCRIMINATION else "",
            }
        )
    columns = ["question", "title", "title_en", "type", "answer", "points", "difficulty", "discrimination", "review"]
    headers = {
        "question": ("题号", "Question"),
        "title": ("题目", "Title"),
        "title_en": ("题目（英文）", "Title (English)"),
        "type": ("题型", "Type"),
        "answer": ("标准答案", "Key"),
        "points": ("分值", "Points"),
        "difficulty": ("难度 P", "Difficulty P"),
        "discrimination": ("区分度 D（高低分组 27%）", "Discrimination D (upper-lower 27%)"),
        "review": ("建议复核", "Review"),
    }
    k = group_size(n)
    notes = [*METHOD_NOTES, (f"考生 {n} 人，高分组、低分组各 {k} 人。", f"{n} contestants; {k} in each group.")]
    title = event.title
    return ExportTable(
        f"items_{event.key}"[:31],
        (f"试题分析 {title.get('zh', event.key)}", f"Item analysis {title.get('en', event.key)}"),
        pd.DataFrame(rows, columns=columns),
        headers,
        notes,
    )


def item_analysis_tables(stored: StoredResults) -> list[ExportTable]:
    """The item analysis of every theory event that has a result in this view."""
    tables = []
    for event in stored.competition.events:
        if event.key in stored.events:
            table = item_analysis_table(event, stored.events[event.key])
            if table is not None:
                tables.append(table)
    return tables
