"""How fairly one round's panel marked: each judge against the panel, agreement, decisive marks.

Reads what the engine kept of its working (through the bound event's per-entry explanation:
every mark with whether the panel rule kept it and why not); it never applies a panel rule
itself. For one round, given its marks table and the event's bound kind:

- Per judge. A judge's marks are their marks on panel criteria (officials' values and veto
  calls are left out); with `panel_on = "total"` they are the judge's totals per attempt, which
  the panel rule combines. For each mark, the deviation is the judge's mark (after any
  `adjust`, as the panel rule saw it) minus the mean of the marks the panel rule kept for the
  same entry, attempt and criterion, the judge's own included when kept: positive is more
  lenient than the panel, negative more severe. The judge's mean deviation is the mean of those
  deviations and its spread their sample standard deviation (n - 1; none with fewer than two
  marks). The dropped share is the part of the judge's marks that the panel rule dropped
  (trimmed as highest or lowest, or far from the median).
- Agreement. Each judge's total for an entry is the plain sum of their marks above over every
  criterion and attempt (not the rubric's formula). Over the entries every judge marked,
  Kendall's W = chi2 / (m (n - 1)), with chi2 the Friedman statistic of scipy.stats
  (friedmanchisquare, corrected for ties), m judges ranking n entries. The intraclass
  correlation is ICC(1,1) of the one-way random model, from the F of scipy.stats.f_oneway with
  one group per entry (its judges' totals): (F - 1) / (F + m - 1). A judge who is consistently
  severe lowers it (the one-way model counts judges' differences as error), unlike W.
- Decisive marks. For each judge, the event is scored again without that judge's marks, and
  the entries whose place in the event changes are listed, in the order of the places before (places by score alone, as
  results/standings.py gives them, without tie-breaks). When the rubric cannot score without
  that judge (a panel rule that needs n marks, a missing mark that is an error), the report
  says so for that judge, with the engine's reason.

Deviations are computed exactly in Decimal; the means, spreads and agreement coefficients are
descriptive floats, not scores: the frames round them to 3 places for display.
"""

from __future__ import annotations

import math
import statistics
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from scipy import stats

from results.standings import Candidate, rank_entries
from scoring.events.base import BoundEvent, EventResult
from scoring.problems import InvalidInput

DISPLAY_PLACES = 3


@dataclass(frozen=True)
class JudgeFairness:
    """One judge against the panel (floats are descriptive; see the module's docstring)."""

    judge: str
    marks: int
    mean_deviation: float | None
    deviation_spread: float | None
    dropped: int

    @property
    def dropped_share(self) -> float | None:
        return self.dropped / self.marks if self.marks else None


@dataclass(frozen=True)
class Agreement:
    """Agreement of the judges who marked every entry of `entries` (descriptive floats)."""

    judges: int
    entries: int
    kendall_w: float | None
    friedman_chi2: float | None
    friedman_p: float | None
    icc: float | None
    note: dict[str, str] = field(default_factory=dict)  # zh/en: why a coefficient is missing


@dataclass(frozen=True)
class PlaceChange:
    entry: str
    old_place: int | None
    new_place: int | None


@dataclass(frozen=True)
class WithoutJudge:
    """The event scored again without one judge's marks: the places that change, or, when the
    rubric cannot score without that judge, why (zh/en from the engine's problem)."""

    judge: str
    changes: list[PlaceChange]
    computed: bool = True
    reason: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FairnessReport:
    event: str
    judges: list[JudgeFairness]
    agreement: Agreement
    without_judge: list[WithoutJudge]


@dataclass(frozen=True)
class _Mark:
    judge: str
    entry: str
    points: Decimal
    deviation: Decimal
    kept: bool


def _panels(explanation: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    """Each panel's marks in an entry's explanation: per criterion, or the judges' totals."""
    for attempt in explanation["attempts"]:
        if "panel" in attempt:
            yield attempt["panel"]["marks"]
            continue
        for criterion in attempt["criteria"]:
            if "veto_called" in criterion:
                continue
            yield criterion["marks"]


def _judge_marks(result: EventResult) -> list[_Mark]:
    """Every judge's mark on a panel, with its deviation from the mean of the kept marks."""
    out: list[_Mark] = []
    for score in result.scores:
        explanation = result.explain(score.entry)
        if explanation is None:
            continue
        for marks in _panels(explanation):
            judged = [m for m in marks if m["judge"] != "official" and m["points"] is not None]
            kept = [Decimal(m["points"]) for m in judged if m["kept"]]
            if not judged or not kept:
                continue
            centre = sum(kept, Decimal(0)) / len(kept)
            for m in judged:
                points = Decimal(m["points"])
                out.append(_Mark(m["judge"], score.entry, points, points - centre, bool(m["kept"])))
    return out


def _judge_rows(marks: list[_Mark]) -> list[JudgeFairness]:
    rows = []
    for judge in sorted({m.judge for m in marks}):
        mine = [m for m in marks if m.judge == judge]
        deviations = [float(m.deviation) for m in mine]
        rows.append(
            JudgeFairness(
                judge=judge,
                marks=len(mine),
                mean_deviation=statistics.fmean(deviations),
                deviation_spread=statistics.stdev(deviations) if len(deviations) > 1 else None,
                dropped=sum(not m.kept for m in mine),
            )
        )
    return rows


def _judge_totals(marks: list[_Mark]) -> pd.DataFrame:
    """Each judge's plain sum of marks per entry: entries as rows, judges as columns (exact)."""
    totals: dict[tuple[str, str], Decimal] = {}
    for m in marks:
        totals[(m.entry, m.judge)] = totals.get((m.entry, m.judge), Decimal(0)) + m.points
    frame = pd.Series(totals, dtype=object).unstack() if totals else pd.DataFrame()
    return frame.sort_index().sort_index(axis=1)


def _agreement(marks: list[_Mark]) -> Agreement:
    totals = _judge_totals(marks)
    complete = totals.dropna(axis=0, how="any")
    m, n = complete.shape[1], complete.shape[0]
    if m < 2 or n < 3:
        return Agreement(
            m,
            n,
            None,
            None,
            None,
            None,
            {
                "zh": "需要至少 2 名评委对同样至少 3 个参赛对象评分",
                "en": "needs at least 2 judges who all marked the same 3 or more entries",
            },
        )
    rows = [[float(v) for v in complete.loc[entry]] for entry in complete.index]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant input: reported as no coefficient below
        chi2, p = stats.friedmanchisquare(*rows)
        f_value = stats.f_oneway(*rows).statistic
    w = chi2 / (m * (n - 1)) if math.isfinite(chi2) else None
    if math.isinf(f_value):
        icc: float | None = 1.0  # every judge gave each entry the same total
    else:
        icc = (f_value - 1) / (f_value + m - 1) if math.isfinite(f_value) else None
    note = {}
    if w is None or icc is None:
        note = {"zh": "评委总分无差异，无法计算", "en": "the judges' totals do not vary: no coefficient"}
    return Agreement(m, n, w, chi2 if w is not None else None, p if w is not None else None, icc, note)


def _places(result: EventResult, lower_is_better: bool) -> dict[str, int | None]:
    standings = rank_entries([Candidate(s.entry, s.score) for s in result.scores], lower_is_better)
    return {s.entry: s.place for s in standings}


def _without(
    bound: BoundEvent,
    table: pd.DataFrame,
    judge: str,
    before: dict[str, int | None],
    entries: set[str] | None,
    judges: set[str] | None,
    source: str,
) -> WithoutJudge:
    rest = table[table["judge"].astype(str).str.strip() != judge]
    try:
        result = bound.score(rest, entries, judges, source=f"{source} without {judge}")
    except InvalidInput as exc:
        first = exc.problems[0]
        more = len(exc.problems) - 1
        tail_zh, tail_en = (f"（另有 {more} 个问题）", f" (and {more} more)") if more else ("", "")
        return WithoutJudge(judge, [], False, {"zh": first.zh + tail_zh, "en": first.en + tail_en})
    after = _places(result, bound.lower_is_better)
    changes = [
        PlaceChange(entry, place, after.get(entry)) for entry, place in before.items() if after.get(entry) != place
    ]
    return WithoutJudge(judge, changes)


def assess_round(
    bound: BoundEvent,
    table: pd.DataFrame,
    entries: set[str] | None = None,
    judges: set[str] | None = None,
    source: str = "marks",
    event: str = "",
) -> FairnessReport:
    """The fairness report of one round's marks (the long form of scoring/marks.py) scored by
    `bound`; raises InvalidInput when the marks themselves cannot be scored. A kind without a
    panel (answers marked by an official only) gives a report without judges."""
    result = bound.score(table, entries, judges, source=source)
    marks = _judge_marks(result)
    before = _places(result, bound.lower_is_better)
    panel = sorted({m.judge for m in marks})
    return FairnessReport(
        event=event or (bound.rubric.key if bound.rubric else bound.key),
        judges=_judge_rows(marks),
        agreement=_agreement(marks),
        without_judge=[_without(bound, table, j, before, entries, judges, source) for j in panel],
    )


# -- frames for a workbook sheet or a page ---------------------------------------------------

COLUMN_LABELS: dict[str, dict[str, str]] = {
    "judge": {"zh": "评委", "en": "Judge"},
    "marks": {"zh": "评分数", "en": "Marks"},
    "mean_deviation": {"zh": "平均偏差", "en": "Mean deviation"},
    "deviation_spread": {"zh": "偏差标准差", "en": "Spread of deviations"},
    "dropped": {"zh": "被去掉的评分数", "en": "Marks dropped"},
    "dropped_share": {"zh": "被去掉比例", "en": "Share dropped"},
    "judges": {"zh": "评委人数", "en": "Judges"},
    "entries": {"zh": "参赛对象数", "en": "Entries"},
    "kendall_w": {"zh": "肯德尔和谐系数 W", "en": "Kendall's W"},
    "friedman_chi2": {"zh": "弗里德曼卡方", "en": "Friedman chi-squared"},
    "friedman_p": {"zh": "p 值", "en": "p-value"},
    "icc": {"zh": "组内相关系数 ICC(1,1)", "en": "ICC(1,1)"},
    "note": {"zh": "说明", "en": "Note"},
    "entry": {"zh": "参赛对象", "en": "Entry"},
    "old_place": {"zh": "原名次", "en": "Place"},
    "new_place": {"zh": "去掉该评委后名次", "en": "Place without the judge"},
    "computed": {"zh": "可计算", "en": "Computed"},
}


def _shown(value: float | None) -> float | None:
    return None if value is None else round(value, DISPLAY_PLACES)


def judges_frame(report: FairnessReport) -> pd.DataFrame:
    """One row per judge; floats rounded to 3 places for display."""
    return pd.DataFrame(
        [
            {
                "judge": j.judge,
                "marks": j.marks,
                "mean_deviation": _shown(j.mean_deviation),
                "deviation_spread": _shown(j.deviation_spread),
                "dropped": j.dropped,
                "dropped_share": _shown(j.dropped_share),
            }
            for j in report.judges
        ],
        columns=["judge", "marks", "mean_deviation", "deviation_spread", "dropped", "dropped_share"],
    )


def agreement_frame(report: FairnessReport, language: str = "en") -> pd.DataFrame:
    """One row: the panel's agreement; the note in `language` (zh or en)."""
    a = report.agreement
    return pd.DataFrame(
        [
            {
                "judges": a.judges,
                "entries": a.entries,
                "kendall_w": _shown(a.kendall_w),
                "friedman_chi2": _shown(a.friedman_chi2),
                "friedman_p": _shown(a.friedman_p),
                "icc": _shown(a.icc),
                "note": a.note.get(language, ""),
            }
        ]
    )


def decisive_marks_frame(report: FairnessReport, language: str = "en") -> pd.DataFrame:
    """One row per place that changes without a judge, and one row (computed false, with the
    reason as note) per judge the event cannot be scored without."""
    rows: list[dict[str, Any]] = []
    for w in report.without_judge:
        if not w.computed:
            rows.append(
                {
                    "judge": w.judge,
                    "computed": False,
                    "entry": None,
                    "old_place": None,
                    "new_place": None,
                    "note": w.reason.get(language, ""),
                }
            )
        for c in w.changes:
            rows.append(
                {
                    "judge": w.judge,
                    "computed": True,
                    "entry": c.entry,
                    "old_place": c.old_place,
                    "new_place": c.new_place,
                    "note": "",
                }
            )
    return pd.DataFrame(rows, columns=["judge", "computed", "entry", "old_place", "new_place", "note"])
