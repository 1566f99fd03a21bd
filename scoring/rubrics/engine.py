"""Score every entry of one rubric from checked marks, exactly, and keep the working.

The order of work, for each entry and attempt (with panel_on = "total", for each judge first):
1. each mark is adjusted (criterion `adjust`, e.g. a referee's penalty off every judge's mark);
2. each criterion's panel is formed: the judges who marked that criterion anywhere and who
   marked this entry and attempt; a missing mark is an error, dropped, or zero by `missing`;
3. the panel rule combines the marks, then the criterion's rounding applies; marks (as the
   judges wrote them, before any adjust) spread wider than the tolerance raise a flag;
4. vetoes apply (to a criterion, its section, or the whole attempt);
5. sections add their children to their base, are held between floor and max, and rounded;
6. the formula (or the plain total) gives the attempt score, then the attempt rounding;
7. attempts combine by sum, best or best n, then the total rounding.
One pass serves every entry; it lays its marks out once, as each criterion's matrix of point
codes (layout.py). A criterion's panels take the integer path where they can
(exact_criterion.py: marks as int64 counts of the criterion's unit, rounding in integers) and the
Decimal path (Decimals in numpy object arrays, the reference) where they cannot: adjusted marks,
vetoes, or values int64 cannot hold exactly. Sections and the total stay in integers while every
operand is (columns.py); a formula is evaluated on Decimals. Both paths give the same Decimals.
A rubric with an ordinal rule (placements ranked, not points added) is scored by
ordinal_engine.py. Ranking is not here (results/standings.py).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from functools import partial

import numpy as np
import pandas as pd

from scoring.codes import column_codes, distinct
from scoring.decimals import score_context
from scoring.marks import MarkTable
from scoring.problems import Problem
from scoring.rubrics import columns
from scoring.rubrics.attempt_counts import combine_variable, made_groups
from scoring.rubrics.attempts import combine_attempts, combine_judges
from scoring.rubrics.columns import Column, decimals
from scoring.rubrics.combine import apply_panel, pick, round_array, spread_flags
from scoring.rubrics.criteria import VetoKind
from scoring.rubrics.entry_parts import score_with_entry_part
from scoring.rubrics.exact import NotExact
from scoring.rubrics.exact_criterion import PointCounts, score_exact
from scoring.rubrics.failures import Failure, group_label
from scoring.rubrics.layout import Layout, MarkGrid
from scoring.rubrics.model import Criterion, Rubric, Section
from scoring.rubrics.ordinal_engine import score_ordinal
from scoring.rubrics.panel import KEPT, PanelRule, SumRule
from scoring.rubrics.trace import AttemptTrace, CriterionTrace, Flag, Later, RubricResult

ZERO = Decimal(0)
SINGLE = SumRule()  # an official's value, or one judge's own mark: taken as it is


def _group_codes(frame: pd.DataFrame, groups: pd.DataFrame, columns: list[str]) -> np.ndarray:
    index = pd.MultiIndex.from_frame(groups[columns])
    return np.asarray(index.get_indexer(pd.MultiIndex.from_frame(frame[columns])))


def _entry_groups(table: MarkTable) -> tuple[pd.DataFrame, np.ndarray]:
    """The (entry, attempt) groups of marks and parameters in the order pandas sorts them (entries
    as their categories are ordered: as they first appear in the table), and each mark's group;
    found from the entries' codes without sorting the marks."""
    keys = ["entry", "attempt"]
    marks, params = table.marks, table.parameters
    entry, param_entry = marks["entry"].dtype, params["entry"].dtype
    if not (isinstance(entry, pd.CategoricalDtype) and entry == param_entry):
        groups = pd.concat([marks[keys], params[keys]]).drop_duplicates().sort_values(keys).reset_index(drop=True)
        return groups, _group_codes(marks, groups, keys)
    codes = np.concatenate([marks["entry"].cat.codes.to_numpy(), params["entry"].cat.codes.to_numpy()])
    attempt = np.concatenate([marks["attempt"].to_numpy(), params["attempt"].to_numpy()]).astype(np.int64)
    width = int(attempt.max(initial=0)) + 1
    found, where = distinct(codes.astype(np.int64) * width + attempt, len(entry.categories) * width)
    groups = pd.DataFrame({"entry": pd.Categorical.from_codes(found // width, dtype=entry), "attempt": found % width})
    return groups, where[: len(marks)]


class _Pass:
    """One evaluation of the rubric over a set of groups."""

    def __init__(
        self,
        rubric: Rubric,
        table: MarkTable,
        groups: pd.DataFrame,
        mark_group: np.ndarray,
        params: dict[str, np.ndarray],
        per_judge: bool,
        failure: Failure,
        point_counts: PointCounts | None,
    ) -> None:
        self.rubric, self.table, self.groups, self.per_judge, self.failure = rubric, table, groups, per_judge, failure
        self.point_counts = point_counts
        self.trace = AttemptTrace(groups=groups, parameters=params)
        self.n = len(groups)
        # Coded once per pass: each mark's group, judge and criterion as integers, laid out by criterion.
        marks = table.marks
        mark_judge, judge_names = column_codes(marks["judge"])
        mark_criterion, criterion_names = column_codes(marks["criterion"])
        self.criterion_code = {str(name): i for i, name in enumerate(criterion_names)}
        self.grid = MarkGrid(
            self.n,
            mark_group.astype(np.int64),
            mark_judge,
            np.asarray(judge_names, dtype=object),
            mark_criterion,
            len(criterion_names),
            marks["point"].to_numpy(),
            per_judge,
        )
        self.flags: list[Flag] = []

    def run(self) -> AttemptTrace:
        values: dict[str, Column] = {}
        vetoes: list[tuple[Criterion, np.ndarray]] = []
        for criterion in self.rubric.criteria():
            trace, values[criterion.key] = self.criterion(criterion)
            self.trace.criteria[criterion.key] = trace
            if trace.vetoed is not None:
                vetoes.append((criterion, trace.vetoed))
        parents = {c.key: s for c, s in self.rubric.criteria_with_section()}
        section_vetoes: dict[str, np.ndarray] = {}
        event_veto = np.zeros(self.n, dtype=bool)
        for criterion, called in vetoes:
            kind = criterion.kind
            assert isinstance(kind, VetoKind)
            parent = parents[criterion.key]
            if kind.scope == "criterion":
                vetoed = values[kind.target] = columns.zero_where(called, values[kind.target])
                self.trace.criteria[kind.target].value = Later(partial(decimals, vetoed))
            elif kind.scope == "section" and parent is not None:
                section_vetoes[parent.key] = section_vetoes.get(parent.key, np.zeros(self.n, bool)) | called
            else:
                event_veto |= called
        for section in self.rubric.sections():
            values[section.key] = self.section(section, values, section_vetoes.get(section.key))
        total = columns.total([values[node.key] for node in self.rubric.children], self.n)
        raw: Column = total
        if self.rubric.formula is not None:
            names = self.rubric.formula.names
            env = {k: decimals(v) for k, v in values.items() if k in names} | self.trace.parameters
            raw = np.asarray(self.rubric.formula.evaluate(env | {"total": decimals(total)}), dtype=object)
            raw = np.broadcast_to(raw, (self.n,)).copy() if raw.ndim == 0 else raw
            for i in np.flatnonzero([v.is_nan() for v in raw]):
                zh, en = group_label(self.groups, int(i))
                self.failure.add(f"{zh}：公式中出现除以零", f"{en}: the formula divides by zero")
            self.trace.formula = raw
        score = columns.zero_where(event_veto, raw) if event_veto.any() else raw
        if self.rubric.attempt_rounding is not None:
            score = columns.rounded(score, self.rubric.attempt_rounding)
        self.trace.raw = decimals(raw)
        self.trace.score = self.trace.raw if score is raw else decimals(score)
        self.trace.disqualified = event_veto & self.rubric.lower_is_better
        return self.trace

    def section(self, section: Section, values: dict[str, Column], vetoed: np.ndarray | None) -> Column:
        raw = columns.total([values[c.key] for c in section.children], self.n, base=section.base)
        value = raw
        if section.floor is not None:
            value = columns.clamp(value, section.floor, below=True)
        if section.maximum is not None:
            value = columns.clamp(value, section.maximum, below=False)
        if vetoed is not None:
            value = columns.zero_where(vetoed, value)
        if section.rounding is not None:
            value = columns.rounded(value, section.rounding)
        self.trace.sections[section.key] = (decimals(raw), decimals(value))
        return value

    def _layout(self, criterion: Criterion) -> Layout:
        """Where the criterion's marks sit: which judges form its panel and who should have marked."""
        return self.grid.layout(self.criterion_code.get(criterion.key), criterion.official or self.per_judge)

    def _report(self, criterion: Criterion) -> Callable[[np.ndarray, Problem], None]:
        def report(rows: np.ndarray, problem: Problem) -> None:
            for i in rows:
                zh, en = group_label(self.groups, int(i))
                self.failure.add(
                    f"{zh}：评分项 {criterion.key}：{problem.zh}", f"{en}: criterion {criterion.key}: {problem.en}"
                )

        return report

    def _report_missing(self, criterion: Criterion, missing: np.ndarray, judges: list[str]) -> None:
        for i in np.flatnonzero(missing.any(axis=1)):
            who = ", ".join(judges[k] or "official" for k in np.flatnonzero(missing[i]))
            zh, en = group_label(self.groups, int(i))
            self.failure.add(
                f"{zh}：评分项 {criterion.key} 缺少评分（{who}）",
                f"{en}: criterion {criterion.key} has no mark from {who}",
            )

    def criterion(self, criterion: Criterion) -> tuple[CriterionTrace, Column]:
        layout = self._layout(criterion)
        single = criterion.official or self.per_judge  # one value per group: no panel to combine
        rule: PanelRule = SINGLE if single else criterion.panel
        min_marks = 1 if single else criterion.min_judges
        if criterion.adjust is None and not criterion.is_veto and self.point_counts is not None:
            try:
                done = score_exact(criterion, layout, self.point_counts, rule, min_marks, self.groups)
            except NotExact:
                pass
            else:
                if criterion.missing == "error":
                    self._report_missing(criterion, done.missing, layout.judges)
                for rows, problem in done.problems:
                    self._report(criterion)(rows, problem)
                self.flags += done.flags
                return done.trace, done.value
        trace = self._decimal_criterion(criterion, layout, rule, min_marks)
        return trace, trace.value

    def _decimal_criterion(
        self, criterion: Criterion, layout: Layout, rule: PanelRule, min_marks: int
    ) -> CriterionTrace:
        """The reference: the criterion's marks as Decimals in numpy object arrays."""
        judges = layout.judges
        g, j, codes = layout.marks()
        points = own = self.table.point_values[codes]
        if criterion.adjust is not None:
            env = {k: v[g] for k, v in self.trace.parameters.items()} | {"value": points}
            points = np.asarray(criterion.adjust.evaluate(env), dtype=object)
        matrix = np.full((self.n, len(judges)), None, dtype=object)
        present = np.zeros((self.n, len(judges)), dtype=bool)
        matrix[g, j] = points
        own_matrix = matrix if criterion.adjust is None else np.full_like(matrix, None)
        own_matrix[g, j] = own
        present[g, j] = True
        notes = np.full(
            self.n, f"marks after adjust: {criterion.adjust.text}" if criterion.adjust else "", dtype=object
        )
        if criterion.is_veto:
            return self._veto(criterion, matrix, present, notes, judges)
        missing = layout.expected & ~present
        if criterion.missing == "zero":
            matrix[missing] = ZERO
            own_matrix[missing] = ZERO
            present |= missing
            notes[missing.any(axis=1)] += "; missing marks count as 0"
        elif criterion.missing == "error":
            self._report_missing(criterion, missing, judges)
        else:
            notes[missing.any(axis=1)] += "; missing marks left out"
        raw, reasons, blocks = apply_panel(rule, matrix, present, min_marks, self._report(criterion))
        self.flags += spread_flags(self.groups, criterion.key, criterion.tolerance, own_matrix, judges, blocks)
        value = round_array(raw, criterion.rounding) if criterion.rounding else raw
        return CriterionTrace(judges=judges, marks=matrix, reasons=reasons, notes=notes, raw=raw, value=value)

    def _veto(
        self, criterion: Criterion, matrix: np.ndarray, present: np.ndarray, notes: np.ndarray, judges: list[str]
    ) -> CriterionTrace:
        kind = criterion.kind
        assert isinstance(kind, VetoKind)
        calls = pick(present, matrix, ZERO)
        called_count = (calls == 1).sum(axis=1)
        single = criterion.official or self.per_judge
        panel = np.ones(self.n, int) if single else np.maximum(self.grid.panel_size, 1)
        if kind.decided_by == "any":
            called = called_count > 0
        elif kind.decided_by == "all":
            called = called_count >= panel
        else:
            called = called_count * 2 > panel
        notes[called] = "veto called"
        zeros = np.full(self.n, ZERO, dtype=object)
        return CriterionTrace(
            judges=judges,
            marks=matrix,
            reasons=np.full(matrix.shape, KEPT, dtype=object),
            notes=notes,
            raw=zeros,
            value=zeros,
            vetoed=called,
        )


def _parameters(rubric: Rubric, table: MarkTable, groups: pd.DataFrame, failure: Failure) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for spec in rubric.parameters:
        rows = table.parameters[table.parameters["parameter"] == spec.key]
        values = np.full(len(groups), spec.default, dtype=object)
        codes = _group_codes(rows, groups, ["entry", "attempt"])
        found = codes >= 0  # an attempt not made has no group: its parameters are not used
        values[codes[found]] = rows["value"].to_numpy(dtype=object)[found]
        missing = np.flatnonzero([v is None for v in values])
        for i in missing[:50]:
            zh, en = group_label(groups, int(i))
            failure.add(
                f"{zh}：缺少参数 {spec.key}",
                f"{en}: parameter {spec.key} is missing (give it in a row with an "
                f"empty judge and criterion = {spec.key})",
            )
        values[missing] = ZERO  # lets the other checks run; the failure above stops any result
        out[spec.key] = values
    return out


def score_rubric(rubric: Rubric, table: MarkTable, *, integers: bool = True) -> RubricResult:
    """Score every entry in `table`; raises InvalidInput (computing nothing) on any problem.
    With integers=False every criterion takes the Decimal path (the reference the integer path is
    tested against); the result is the same."""
    with decimal.localcontext(score_context()):
        if rubric.ordinal is not None:  # places are ranked against each other, the whole round at once
            return score_ordinal(rubric, table)
        return _score(rubric, table, integers)


def _score(rubric: Rubric, table: MarkTable, integers: bool) -> RubricResult:
    if rubric.entry_part is not None:
        return score_with_entry_part(rubric, table, partial(_score, integers=integers))
    failure = Failure(table.source)
    keys = ["entry", "attempt"]
    groups, mark_group = _entry_groups(table)
    if rubric.attempts.variable:
        groups, mark_group = made_groups(groups, mark_group)
    params = _parameters(rubric, table, groups, failure)
    point_counts = PointCounts(table.point_values) if integers else None
    judge_trace = None
    if rubric.panel_on == "total":
        judge_groups = (
            table.marks[keys + ["judge"]].drop_duplicates().sort_values(keys + ["judge"]).reset_index(drop=True)
        )
        ea = _group_codes(judge_groups, groups, keys)
        judge_params = {k: v[ea] for k, v in params.items()}
        judge_mark_group = _group_codes(table.marks, judge_groups, keys + ["judge"])
        judge_pass = _Pass(rubric, table, judge_groups, judge_mark_group, judge_params, True, failure, point_counts)
        failure.raise_if_any()
        judge_trace = judge_pass.run()
        failure.raise_if_any()
        trace, flags = combine_judges(rubric, judge_trace, groups, params, ea, failure)
    else:
        one = _Pass(rubric, table, groups, mark_group, params, False, failure, point_counts)
        trace = one.run()
        flags = one.flags
    failure.raise_if_any()
    not_made: dict[str, list[int]] = {}
    if rubric.attempts.variable:
        results, notes, not_made = combine_variable(rubric, trace, table.entries(), failure)
    else:
        results, notes = combine_attempts(rubric, trace, failure)
    failure.raise_if_any()
    return RubricResult(
        rubric=rubric,
        results=results,
        flags=flags,
        trace=trace,
        judge_trace=judge_trace,
        combine_notes=notes,
        not_made=not_made,
    )
