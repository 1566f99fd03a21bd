"""The full working of one entry's score, as data (for JSON) and as text (for the terminal).

Reads the engine's trace; computes nothing new. For each attempt: the officials' parameters,
each criterion's marks with what was kept and dropped and why, the rule, each rounding, the
sections, the formula and the attempt score; then how attempts were combined.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from scoring.decimals import format_decimal
from scoring.rubrics.attempt_counts import describe_missing
from scoring.rubrics.model import Rubric
from scoring.rubrics.ordinal_explain import explain_ordinal, render_ordinal
from scoring.rubrics.trace import AttemptTrace, RubricResult


def _num(value: Any) -> str | None:
    return format_decimal(value) if isinstance(value, Decimal) else None


def _criteria(rubric: Rubric, trace: AttemptTrace, i: int, total_mode_panel: bool = False) -> list[dict[str, Any]]:
    out = []
    items = [("total", None)] if total_mode_panel else [(c.key, c) for c in rubric.criteria()]
    for key, criterion in items:
        t = trace.criteria[key]
        marks = []
        for k, judge in enumerate(t.judges):
            value = t.marks[i, k]
            if value is None:
                continue
            reason = t.reasons[i, k]
            marks.append(
                {
                    "judge": judge or "official",
                    "points": _num(value),
                    "kept": not reason,
                    "dropped_because": reason or None,
                }
            )
        if criterion is None:
            rule = rubric.total_panel.describe() if rubric.total_panel else ""
            rounding = rubric.attempt_rounding
            title = {"zh": "评委总分", "en": "judges' totals"}
        else:
            rule = (
                "veto"
                if criterion.is_veto
                else ("official value" if criterion.official else criterion.panel.describe())
            )
            if rubric.ordinal is not None:
                rule = f"placements ranked by the {rubric.ordinal.describe()}"
            rounding = criterion.rounding
            title = criterion.title
        item: dict[str, Any] = {
            "criterion": key,
            "title": title,
            "kind": criterion.kind.describe() if criterion else "total",
            "rule": rule,
            "marks": marks,
            "note": t.notes[i] or None,
            "value_before_rounding": _num(t.raw[i]),
            "value": _num(t.value[i]),
            "rounding": rounding.describe() if rounding else None,
        }
        if t.vetoed is not None:
            item["veto_called"] = bool(t.vetoed[i])
        out.append(item)
    return out


def _attempt(rubric: Rubric, trace: AttemptTrace, i: int) -> dict[str, Any]:
    assert trace.score is not None and trace.raw is not None
    return {
        "parameters": {k: _num(v[i]) for k, v in trace.parameters.items()},
        "criteria": _criteria(rubric, trace, i),
        "sections": [
            {
                "section": s.key,
                "title": s.title,
                "sum": _num(trace.sections[s.key][0][i]),
                "value": _num(trace.sections[s.key][1][i]),
            }
            for s in rubric.sections()
        ],
        "formula": None if rubric.formula is None else {"text": rubric.formula.text, "value": _num(trace.raw[i])},
        "score_before_rounding": _num(trace.raw[i]),
        "score": _num(trace.score[i]),
        "rounding": rubric.attempt_rounding.describe() if rubric.attempt_rounding else None,
    }


def explain_entry(result: RubricResult, entry: str) -> dict[str, Any] | None:
    """The working for `entry`, or None if it has no marks. A ranking rubric's working has the
    same shape (each dance a criterion, each judge's place a mark) and its sheets besides."""
    by_entry = result.by_entry()
    if entry not in by_entry:
        return None
    rubric, trace = result.rubric, result.trace
    rows = np.flatnonzero(trace.groups["entry"].to_numpy() == entry)
    attempts = []
    for i in rows:
        attempt = int(trace.groups.iloc[i]["attempt"])
        if result.judge_trace is not None:
            jt = result.judge_trace
            mine = np.flatnonzero(
                (jt.groups["entry"].to_numpy() == entry) & (jt.groups["attempt"].to_numpy() == attempt)
            )
            item: dict[str, Any] = {
                "attempt": attempt,
                "judges": [{"judge": jt.groups.iloc[k]["judge"]} | _attempt(rubric, jt, int(k)) for k in mine],
                "panel": _criteria(rubric, trace, int(i), total_mode_panel=True)[0],
                "score": _num(trace.score[i]) if trace.score is not None else None,
            }
        else:
            item = {"attempt": attempt} | _attempt(rubric, trace, int(i))
        attempts.append(item)
    final = by_entry[entry]
    ordinal = explain_ordinal(result, entry) if result.ordinal is not None else {}
    parts: dict[str, Any] = {}
    if rubric.attempts.variable:
        parts |= {"attempts_rule": describe_missing(rubric), "not_made": result.not_made.get(entry, [])}
    if result.entry_part is not None:  # the part scored once per entry: its one "attempt" is the entry
        once = explain_entry(result.entry_part, entry)
        parts["per_entry"] = once["attempts"][0] if once else None
    return (
        ordinal
        | parts
        | {
            "entry": entry,
            "rubric": rubric.key,
            "attempts": attempts,
            "combine": result.combine_notes.get(entry),
            "total_rounding": rubric.total_rounding.describe() if rubric.total_rounding else None,
            "score": _num(final.score),
            "disqualified": final.disqualified,
            "flags": [
                {
                    "attempt": f.attempt,
                    "criterion": f.criterion,
                    "spread": _num(f.spread),
                    "tolerance": _num(f.tolerance),
                }
                for f in result.flags
                if f.entry == entry
            ],
        }
    )


def _render_criteria(lines: list[str], criteria: list[dict[str, Any]], indent: str) -> None:
    for c in criteria:
        marks = "  ".join(
            f"{m['judge']}={m['points']}" + ("" if m["kept"] else f"✗({m['dropped_because']})") for m in c["marks"]
        )
        lines.append(f"{indent}{c['criterion']} {c['title']['zh']} / {c['title']['en']} [{c['kind']}; {c['rule']}]")
        lines.append(f"{indent}    marks: {marks or '-'}")
        if c.get("note"):
            lines.append(f"{indent}    note: {c['note']}")
        if c.get("veto_called") is not None:
            lines.append(f"{indent}    veto called: {'YES 是' if c['veto_called'] else 'no 否'}")
        elif c["rounding"] and c["value_before_rounding"] != c["value"]:
            lines.append(f"{indent}    = {c['value_before_rounding']} -> {c['rounding']} -> {c['value']}")
        else:
            lines.append(f"{indent}    = {c['value']}")


def _render_attempt(lines: list[str], a: dict[str, Any], indent: str, label: str = "attempt score 本次得分") -> None:
    if a["parameters"]:
        lines.append(indent + "parameters 参数: " + ", ".join(f"{k}={v}" for k, v in a["parameters"].items()))
    _render_criteria(lines, a["criteria"], indent)
    for s in a["sections"]:
        clamp = "" if s["sum"] == s["value"] else f" -> {s['value']}"
        lines.append(f"{indent}section {s['section']} {s['title']['zh']}: {s['sum']}{clamp}")
    if a["formula"]:
        lines.append(f"{indent}formula 公式: {a['formula']['text']} = {a['formula']['value']}")
    if a["rounding"] and a["score_before_rounding"] != a["score"]:
        lines.append(f"{indent}{label}: {a['score_before_rounding']} -> {a['rounding']} -> {a['score']}")
    else:
        lines.append(f"{indent}{label}: {a['score']}")


def render_explanation(explanation: dict[str, Any]) -> str:
    if "ordinal" in explanation:
        return render_ordinal(explanation)
    lines = [f"entry 参赛对象 {explanation['entry']} — rubric 评分标准 {explanation['rubric']}"]
    for a in explanation["attempts"]:
        lines.append(f"  attempt 第 {a['attempt']} 次")
        if "judges" in a:
            for j in a["judges"]:
                lines.append(f"    judge 评委 {j['judge']}")
                _render_attempt(lines, j, "      ")
            _render_criteria(lines, [a["panel"]], "    ")
            lines.append(f"    attempt score 本次得分: {a['score']}")
        else:
            _render_attempt(lines, a, "    ")
    if "attempts_rule" in explanation:
        lines.append(f"  attempts 试次: {explanation['attempts_rule']}")
        lines.append(f"  not made 未完成: {', '.join(map(str, explanation['not_made'])) or '-'}")
    lines.append(f"  combine 合计方式: {explanation['combine']}")
    if explanation.get("per_entry"):
        lines.append("  per entry 按参赛对象（每个参赛对象评一次）")
        _render_attempt(lines, explanation["per_entry"], "    ", "entry score 参赛对象得分")
    elif explanation["total_rounding"]:
        lines.append(f"  total rounding 总分舍入: {explanation['total_rounding']}")
    for f in explanation["flags"]:
        lines.append(
            f"  FLAG 分歧: attempt {f['attempt']} {f['criterion']} spread {f['spread']} > tolerance {f['tolerance']}"
        )
    verdict = "DISQUALIFIED 取消成绩" if explanation["disqualified"] else explanation["score"]
    lines.append(f"  score 得分: {verdict}")
    return "\n".join(lines)
