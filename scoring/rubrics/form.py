"""The score form a judge sees, described from a rubric (sections, criteria, inputs, limits).

Pure: it reads a rubric and says, per criterion, which input the tablet shows (stepped
buttons for a scale, a toggle for a checklist step, a stopwatch for a time, a counter for a
deduction, a confirmed switch for a veto) and its limits. Criteria given by officials are
listed as such and are not on a judge's form. A time or measurement that maps to points
(bands, linear) says so (`mapped`): the tablet's running subtotal leaves it out, since the
points are the server's to compute. Used by the organiser's rubric preview and the tablet form.
"""

from __future__ import annotations

from typing import Any

from scoring.decimals import format_decimal
from scoring.rubrics.criteria import ChecklistKind, DeductionKind, MeasurementKind, ScaleKind, TimeKind, VetoKind
from scoring.rubrics.model import Criterion, Rubric, Section


def _num(value: Any) -> str | None:
    return None if value is None else format_decimal(value)


def criterion_form(c: Criterion) -> dict[str, Any]:
    kind = c.kind
    item: dict[str, Any] = {
        "key": c.key,
        "title": c.title,
        "kind": kind.key,
        "official": c.official,
        "max_points": _num(kind.max_points()),
        "describe": kind.describe(),
    }
    if isinstance(kind, ScaleKind):
        item |= {"input": "stepper", "min": _num(kind.low), "max": _num(kind.high), "step": _num(kind.step)}
    elif isinstance(kind, ChecklistKind):
        item |= {"input": "toggle", "points": _num(kind.points)}
    elif isinstance(kind, DeductionKind):
        item |= {"input": "counter", "per": _num(kind.per), "cap": _num(kind.cap), "max_count": kind.max_count}
    elif isinstance(kind, VetoKind):
        item |= {"input": "veto", "scope": kind.scope, "confirm": True}
    elif isinstance(kind, TimeKind):
        item |= {"input": "stopwatch", "min": _num(kind.low), "max": _num(kind.high), "mapped": kind.mapping.defined}
    elif isinstance(kind, MeasurementKind):
        item |= {
            "input": "number",
            "unit": kind.unit,
            "min": _num(kind.low),
            "max": _num(kind.high),
            "mapped": kind.mapping.defined,
        }
    else:
        item |= {"input": "answer"}
    return item


def _node(node: Criterion | Section) -> dict[str, Any]:
    if isinstance(node, Section):
        return {
            "section": node.key,
            "title": node.title,
            "max_points": _num(node.max_points()),
            "base": _num(node.base),
            "items": [_node(child) for child in node.children],
        }
    return criterion_form(node)


def rubric_form(rubric: Rubric) -> dict[str, Any]:
    return {
        "key": rubric.key,
        "title": rubric.title,
        "better": "lower" if rubric.lower_is_better else "higher",
        "max_points": _num(rubric.max_score()),
        "attempts": rubric.attempts.count,
        "panel": rubric.total_panel.describe() if rubric.total_panel else None,
        "items": [_node(n) for n in rubric.children],
    }
