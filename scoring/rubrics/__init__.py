"""Rubrics: the schema, the loader, the formula language and the built-in plug-in registries.

The registries below are the single list of what a rubric file may name; a new kind is added
by writing its class and listing it here.
"""

from scoring.rubrics.answer_key import AnswerKeyKind
from scoring.rubrics.criteria import (
    ChecklistKind,
    CriterionKind,
    DeductionKind,
    MeasurementKind,
    OfficialMeasurementKind,
    OfficialTimeKind,
    ScaleKind,
    TimeKind,
    VetoKind,
)
from scoring.rubrics.panel import ClosestRule, MeanRule, MedianRule, PanelRule, SumRule, TrimmedRule
from scoring.rubrics.panel_window import WindowRule
from scoring.rubrics.placements import PlacementKind

CRITERION_KINDS: dict[str, type[CriterionKind]] = {
    kind.key: kind
    for kind in (
        ScaleKind,
        ChecklistKind,
        MeasurementKind,
        TimeKind,
        DeductionKind,
        VetoKind,
        AnswerKeyKind,
        OfficialMeasurementKind,
        OfficialTimeKind,
        PlacementKind,
    )
}

PANEL_RULES: dict[str, type[PanelRule]] = {
    rule.key: rule for rule in (MeanRule, MedianRule, SumRule, TrimmedRule, ClosestRule, WindowRule)
}

__all__ = ["CRITERION_KINDS", "PANEL_RULES"]
