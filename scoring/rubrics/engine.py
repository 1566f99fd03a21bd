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
All values are Decimals in numpy object arrays, so one pass serves every entry. Ranking is not
here (results/standings.py).
"""

from __future__ import annotations

import decimal
from decimal import Decimal

import numpy as np
import pandas as pd

from scoring.decimals import score_context
from scoring.marks import MarkTable
from scoring.problems import InvalidInput, Problem
from scoring.rubrics.combine import apply_panel, pick, round_array, spread_flags
from scoring.rubrics.criteria import VetoKind
from scoring.rubrics.model import Criterion, Rubric, Section
from scoring.rubrics.panel import KEPT, PanelRule, SumRule
from scoring.rubrics.trace import AttemptTrace, CriterionTrace, EntryResult, Flag, RubricResult

ZERO = Decimal(0)
SINGLE = SumRule()  # an official's value, or one judge's own mark: taken as it is


class _Failure:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, zh: str, en: str) -> None:
        self.problems.append(Problem(zh=zh, en=en, file=self.source))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)


def _group_label(groups: pd.DataFrame, i: int) -> tuple[str, str]:
    row = groups.iloc[i]
    judge = f", 评委 {row['judge']}" if "judge" in groups.columns else ""
    judge_en = f", judge {row['judge']}" if "judge" in groups.columns else ""
    return (
        f"参赛对象 {row['entry']} 第 {row['attempt']} 次{judge}",
        f"entry {row['entry']} attempt {row['attempt']}{judge_en}",
    )


def _group_codes(frame: pd.DataFrame, groups: pd.DataFrame, columns: list[str]) -> np.ndarray:
    index = pd.MultiIndex.from_frame(groups[columns])
    return np.asarray(index.get_indexer(pd.MultiIndex.from_frame(frame[columns])))


class _Pass:
    """One evaluation of the rubric over a set of groups."""

    def __init__(
        self,
        rubric: Rubric,
        marks: pd.DataFrame,
        groups: pd.DataFrame,
        params: dict[str, np.ndarray],
        per_judge: bool,
        failure: _Failure,
    ) -> None:
        self.rubric, self.marks, self.groups, self.per_judge, self.failure = rubric, marks, groups, per_judge, failure
        self.columns = ["entry", "attempt", "judge"] if per_judge else ["entry", "attempt"]
        self.trace = AttemptTrace(groups=groups, parameters=params)
        self.n = len(groups)
        # Coded once per pass: each mark's group, judge and criterion as integers.
        self.mark_group = _group_codes(marks, groups, self.columns)
        self.mark_judge, self.judge_names = pd.factorize(marks["judge"])
        self.mark_criterion, criterion_names = pd.factorize(marks["criterion"])
        self.criterion_code = {str(name): i for i, name in enumerate(criterion_names)}
        self.points = marks["points"].to_numpy(dtype=object)
        on_panel = marks["judge"].to_numpy() != ""
        width = max(len(self.judge_names), 1)
        pairs = np.unique(self.mark_group[on_panel].astype(np.int64) * width + self.mark_judge[on_panel])
        self.group_judges = pd.DataFrame(
            {"g": pairs // width, "judge": np.asarray(self.judge_names, dtype=object)[pairs % width]}
        )
        self.panel_size = np.bincount(self.group_judges["g"], minlength=self.n)
        self.flags: list[Flag] = []

    def run(self) -> AttemptTrace:
        values: dict[str, np.ndarray] = {}
        vetoes: list[tuple[Criterion, np.ndarray]] = []
        for criterion in self.rubric.criteria():
            trace = self.criterion(criterion)
            self.trace.criteria[criterion.key] = trace
            values[criterion.key] = trace.value
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
                target = self.trace.criteria[kind.target]
                target.value = pick(called, ZERO, target.value)
                values[kind.target] = target.value
            elif kind.scope == "section" and parent is not None:
                section_vetoes[parent.key] = section_vetoes.get(parent.key, np.zeros(self.n, bool)) | called
            else:
                event_veto |= called
        for section in self.rubric.sections():
            values[section.key] = self.section(section, values, section_vetoes.get(section.key))
        total = self._sum([values[node.key] for node in self.rubric.children])
        if self.rubric.formula is not None:
            env = dict(values) | self.trace.parameters | {"total": total}
            raw = np.asarray(self.rubric.formula.evaluate(env), dtype=object)
            raw = np.broadcast_to(raw, (self.n,)).copy() if raw.ndim == 0 else raw
            for i in np.flatnonzero([v.is_nan() for v in raw]):
                zh, en = _group_label(self.groups, int(i))
                self.failure.add(f"{zh}：公式中出现除以零", f"{en}: the formula divides by zero")
            self.trace.formula = raw
        else:
            raw = total
        self.trace.raw = raw
        score = pick(event_veto, ZERO, raw)
        if self.rubric.attempt_rounding is not None:
            score = round_array(score, self.rubric.attempt_rounding)
        self.trace.score = score
        self.trace.disqualified = event_veto & self.rubric.lower_is_better
        return self.trace

    @staticmethod
    def _sum(arrays: list[np.ndarray]) -> np.ndarray:
        total = np.full(len(arrays[0]), ZERO, dtype=object)
        for a in arrays:
            total = total + a
        return total

    def section(self, section: Section, values: dict[str, np.ndarray], vetoed: np.ndarray | None) -> np.ndarray:
        raw = self._sum([values[c.key] for c in section.children]) + section.base
        value = raw
        if section.floor is not None:
            value = pick(value < section.floor, section.floor, value)
        if section.maximum is not None:
            value = pick(value > section.maximum, section.maximum, value)
        if vetoed is not None:
            value = pick(vetoed, ZERO, value)
        if section.rounding is not None:
            value = round_array(value, section.rounding)
        self.trace.sections[section.key] = (raw, value)
        return value

    def criterion(self, criterion: Criterion) -> CriterionTrace:
        code = self.criterion_code.get(criterion.key, -1)
        mine = np.flatnonzero(self.mark_criterion == code)
        g = self.mark_group[mine]
        points = own = self.points[mine]
        if criterion.adjust is not None:
            env = {k: v[g] for k, v in self.trace.parameters.items()} | {"value": points}
            points = np.asarray(criterion.adjust.evaluate(env), dtype=object)
        if criterion.official or self.per_judge:
            judges = [""]
            j = np.zeros(len(mine), dtype=int)
            expected = np.ones((self.n, 1), dtype=bool)
        else:
            codes = np.unique(self.mark_judge[mine])
            names = np.asarray(self.judge_names, dtype=object)[codes]
            by_name = np.argsort(names)
            judges = [str(n) for n in names[by_name]]
            column = np.zeros(len(self.judge_names), dtype=int)
            column[codes[by_name]] = np.arange(len(codes))
            j = column[self.mark_judge[mine]]
            expected = np.zeros((self.n, len(judges)), dtype=bool)
            gj = self.group_judges[self.group_judges["judge"].isin(judges)]
            expected[gj["g"].to_numpy(), np.searchsorted(judges, gj["judge"].to_numpy())] = True
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
        missing = expected & ~present
        if criterion.missing == "zero":
            matrix[missing] = ZERO
            own_matrix[missing] = ZERO
            present |= missing
            notes[missing.any(axis=1)] += "; missing marks count as 0"
        elif criterion.missing == "error":
            for i in np.flatnonzero(missing.any(axis=1)):
                who = ", ".join(judges[k] or "official" for k in np.flatnonzero(missing[i]))
                zh, en = _group_label(self.groups, int(i))
                self.failure.add(
                    f"{zh}：评分项 {criterion.key} 缺少评分（{who}）",
                    f"{en}: criterion {criterion.key} has no mark from {who}",
                )
        else:
            notes[missing.any(axis=1)] += "; missing marks left out"
        single = criterion.official or self.per_judge  # one value per group: no panel to combine

        def report(rows: np.ndarray, problem: Problem) -> None:
            for i in rows:
                zh, en = _group_label(self.groups, int(i))
                self.failure.add(
                    f"{zh}：评分项 {criterion.key}：{problem.zh}", f"{en}: criterion {criterion.key}: {problem.en}"
                )

        rule: PanelRule = SINGLE if single else criterion.panel
        raw, reasons, blocks = apply_panel(rule, matrix, present, 1 if single else criterion.min_judges, report)
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
        panel = np.maximum(self.panel_size, 1) if not (criterion.official or self.per_judge) else np.ones(self.n, int)
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


def _parameters(rubric: Rubric, table: MarkTable, groups: pd.DataFrame, failure: _Failure) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for spec in rubric.parameters:
        rows = table.parameters[table.parameters["parameter"] == spec.key]
        values = np.full(len(groups), spec.default, dtype=object)
        codes = _group_codes(rows, groups, ["entry", "attempt"])
        values[codes] = rows["value"].to_numpy(dtype=object)
        missing = np.flatnonzero([v is None for v in values])
        for i in missing[:50]:
            zh, en = _group_label(groups, int(i))
            failure.add(
                f"{zh}：缺少参数 {spec.key}",
                f"{en}: parameter {spec.key} is missing (give it in a row with an "
                f"empty judge and criterion = {spec.key})",
            )
        values[missing] = ZERO  # lets the other checks run; the failure above stops any result
        out[spec.key] = values
    return out


def score_rubric(rubric: Rubric, table: MarkTable) -> RubricResult:
    """Score every entry in `table`; raises InvalidInput (computing nothing) on any problem."""
    with decimal.localcontext(score_context()):
        return _score(rubric, table)


def _score(rubric: Rubric, table: MarkTable) -> RubricResult:
    failure = _Failure(table.source)
    keys = ["entry", "attempt"]
    groups = (
        pd.concat([table.marks[keys], table.parameters[keys]])
        .drop_duplicates()
        .sort_values(keys)
        .reset_index(drop=True)
    )
    params = _parameters(rubric, table, groups, failure)
    judge_trace = None
    if rubric.panel_on == "total":
        judge_groups = (
            table.marks[keys + ["judge"]].drop_duplicates().sort_values(keys + ["judge"]).reset_index(drop=True)
        )
        ea = _group_codes(judge_groups, groups, keys)
        judge_params = {k: v[ea] for k, v in params.items()}
        judge_pass = _Pass(rubric, table.marks, judge_groups, judge_params, per_judge=True, failure=failure)
        failure.raise_if_any()
        judge_trace = judge_pass.run()
        failure.raise_if_any()
        trace, flags = _combine_judges(rubric, judge_trace, groups, params, ea, failure)
    else:
        one = _Pass(rubric, table.marks, groups, params, per_judge=False, failure=failure)
        trace = one.run()
        flags = one.flags
    failure.raise_if_any()
    results, notes = _combine_attempts(rubric, trace, failure)
    failure.raise_if_any()
    return RubricResult(
        rubric=rubric, results=results, flags=flags, trace=trace, judge_trace=judge_trace, combine_notes=notes
    )


def _combine_judges(
    rubric: Rubric,
    judge_trace: AttemptTrace,
    groups: pd.DataFrame,
    params: dict[str, np.ndarray],
    ea: np.ndarray,
    failure: _Failure,
) -> tuple[AttemptTrace, list[Flag]]:
    """panel_on = "total": each judge's attempt score, then the panel rule over judges."""
    judges = sorted(judge_trace.groups["judge"].unique())
    j = np.searchsorted(judges, judge_trace.groups["judge"].to_numpy())
    n = len(groups)
    matrix = np.full((n, len(judges)), None, dtype=object)
    present = np.zeros((n, len(judges)), dtype=bool)
    matrix[ea, j] = judge_trace.score
    present[ea, j] = True
    rule = rubric.total_panel
    assert rule is not None

    def report(rows: np.ndarray, problem: Problem) -> None:
        for i in rows:
            zh, en = _group_label(groups, int(i))
            failure.add(f"{zh}：评委总分：{problem.zh}", f"{en}: judges' totals: {problem.en}")

    raw, reasons, blocks = apply_panel(rule, matrix, present, rubric.total_min_judges, report)
    flags = spread_flags(groups, "total", rubric.total_tolerance, matrix, judges, blocks)
    score = round_array(raw, rubric.attempt_rounding) if rubric.attempt_rounding else raw
    trace = AttemptTrace(groups=groups, parameters=params)
    trace.criteria["total"] = CriterionTrace(
        judges=judges, marks=matrix, reasons=reasons, notes=np.full(n, "", dtype=object), raw=raw, value=score
    )
    trace.raw, trace.score = raw, score
    trace.disqualified = np.zeros(n, dtype=bool)
    return trace, flags


def _combine_attempts(
    rubric: Rubric, trace: AttemptTrace, failure: _Failure
) -> tuple[list[EntryResult], dict[str, str]]:
    spec = rubric.attempts
    results: list[EntryResult] = []
    notes: dict[str, str] = {}
    assert trace.score is not None and trace.disqualified is not None
    by_entry: dict[str, dict[int, Decimal | None]] = {}
    for entry, attempt, value, dq in zip(
        trace.groups["entry"].tolist(),
        trace.groups["attempt"].tolist(),
        trace.score.tolist(),
        trace.disqualified.tolist(),
        strict=True,
    ):
        by_entry.setdefault(str(entry), {})[int(attempt)] = None if dq else value
    expected = set(range(1, spec.count + 1))
    for entry in sorted(by_entry):
        attempts = by_entry[entry]
        valid = [s for s in attempts.values() if s is not None]
        disqualified = False
        if spec.combine == "sum":
            missing = sorted(expected - set(attempts))
            if missing:
                failure.add(
                    f"参赛对象 {entry} 缺少第 {missing} 次的评分",
                    f"entry {entry} has no marks for attempt(s) {missing}",
                )
            disqualified = len(valid) < len(attempts)
            score: Decimal | None = None if disqualified else sum(valid, ZERO)
            notes[entry] = "sum of attempts" if spec.count > 1 else "one attempt"
        else:
            n = 1 if spec.combine == "best" else spec.best_n
            chosen = sorted(valid, reverse=not rubric.lower_is_better)[:n]
            disqualified = not chosen
            score = sum(chosen, ZERO) if chosen else None
            notes[entry] = f"best {n} of {len(attempts)} attempts: {', '.join(str(v) for v in chosen)}"
        if score is not None and rubric.total_rounding is not None:
            score = rubric.total_rounding.apply(score)
        results.append(EntryResult(entry=entry, score=score, disqualified=disqualified, attempts=attempts))
    return results, notes
