"""The score form a judge sees, described from a rubric (sections, criteria, inputs, limits).

Pure: it reads a rubric and says, per criterion, which input the tablet shows and its limits,
as the criterion's kind declares them (`tablet_input`, scoring/rubrics/inputs.py): stepped
buttons for a scale, a toggle for a checklist step, a stopwatch for a time, a counter for a
deduction, a confirmed switch for a veto, a number for a measurement. Criteria given by
officials are listed as such and are not on a judge's form. A time or measurement that maps to points
(bands, linear) says so (`mapped`): the tablet's running subtotal leaves it out, since the
points are the server's to compute. Used by the organiser's rubric preview and the tablet form.
A rubric's part marked once per entry (`[entry]`) has a form of its own (`entry_part_form`),
shown after the attempts.
"""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from typing import Any

from scoring.decimals import format_decimal
from scoring.rubrics.inputs import TabletInput
from scoring.rubrics.model import Criterion, Rubric, Section

#: The widgets the tablet's form renders (judges/templates/judge/sheet.html); a criterion kind
#: declares one of them in `tablet_input`.
WIDGETS = frozenset({"stepper", "toggle", "counter", "veto", "stopwatch", "number", "answer", "placement"})


def _num(value: Any) -> str | None:
    return None if value is None else format_decimal(value)


def input_form(spec: TabletInput) -> dict[str, Any]:
    """A criterion's tablet input as the form carries it: `input` names the widget, then the
    widget's fields under their own names (numbers as exact text)."""
    if spec.widget not in WIDGETS:
        raise ValueError(f"the score form does not know the widget {spec.widget!r}")
    values = {f.name: getattr(spec, f.name) for f in fields(spec)}
    return {"input": spec.widget} | {k: _num(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def criterion_form(c: Criterion) -> dict[str, Any]:
    kind = c.kind
    return {
        "key": c.key,
        "title": c.title,
        "kind": kind.key,
        "official": c.official,
        "max_points": _num(kind.max_points()),
        "describe": kind.describe(),
    } | input_form(kind.tablet_input())


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


def entry_part_form(rubric: Rubric) -> dict[str, Any] | None:
    """The form of the rubric's part marked once per entry (a skater's programme components), or
    None without one: its items, and how many attempts a sheet holds before it (`after`: all of
    them, or with "up to N" the rubric's `min`)."""
    part = rubric.entry_part
    if part is None:
        return None
    after = rubric.attempts.fewest if rubric.attempts.variable else rubric.attempts.count
    return {"after": after, "items": [_node(n) for n in part.children]}
