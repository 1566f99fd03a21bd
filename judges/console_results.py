"""How the chief judge's console writes numbers and names: marks as the rubric writes them, each
entry's panel result (results/round_entries.py) as JSON, judges' names.

A mark is written with the places its criterion's step gives (a scale by 0.5 writes 86.0 and
90.0, never 86 beside 90.0; a checklist worth 10 writes 10), and a judge's total with the places
the rubric rounds an attempt to (else those of its criteria), so marks side by side line up.
Only zeros are added or taken away: a value with more places than that (a mean) keeps every
digit; scores stay exact Decimal strings. The criterion "total" (a panel that marks judges' totals) is titled as the
engine titles it (评委总分 / judges' totals). This module computes no score.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from results.round_entries import EntryPanel
from scoring.decimals import format_decimal
from scoring.rubrics.criteria import ChecklistKind, DeductionKind, MeasurementKind, ScaleKind, VetoKind
from scoring.rubrics.model import Criterion, Rubric
from scoring.store.models import Judge

TOTAL_TITLE = {"zh": "评委总分", "en": "judges' totals"}


def _places(value: Decimal | None) -> int:
    exponent = value.as_tuple().exponent if value is not None else 0
    return max(0, -exponent) if isinstance(exponent, int) else 0


def criterion_places(criterion: Criterion) -> int | None:
    """The places a criterion's points are written to, as its definition says; None when it does
    not say (a measurement without bands: shown as written)."""
    kind = criterion.kind
    if isinstance(kind, ScaleKind):
        return max(_places(kind.step), _places(kind.low))
    if isinstance(kind, ChecklistKind):
        return _places(kind.points)
    if isinstance(kind, DeductionKind):
        return max(_places(kind.per), _places(kind.cap))
    if isinstance(kind, VetoKind):
        return 0
    if isinstance(kind, MeasurementKind) and kind.mapping.defined:
        if kind.mapping.rounding is not None:
            return kind.mapping.rounding.places
        return max(_places(b.points) for b in kind.mapping.bands)
    return None


def mark_places(rubric: Rubric) -> dict[str, int | None]:
    """Criterion key (and "total") -> the places its marks are written to."""
    places = {c.key: criterion_places(c) for c in rubric.all_criteria()}  # a per-entry part's too
    if rubric.attempt_rounding is not None:
        places["total"] = rubric.attempt_rounding.places
    elif rubric.formula is None and all(p is not None for p in places.values()):
        bases = [_places(s.base) for s in rubric.sections()]
        places["total"] = max([p for p in places.values() if p is not None] + bases, default=0)
    else:
        places["total"] = None
    return places


def written(value: Decimal | str | None, places: int | None) -> str | None:
    """A mark as text with `places` places where it is exactly that (15.0 -> 15, 90 -> 90.00);
    a value that needs more places keeps them all (7.75 stays 7.75 where the step says 1)."""
    if value is None:
        return None
    number = Decimal(value) if isinstance(value, str) else value
    if places is not None:
        fixed = number.quantize(Decimal(1).scaleb(-places))
        if fixed == number:
            number = fixed
    return format_decimal(number)


def criterion_title(rubric: Rubric, key: str) -> dict[str, str]:
    found = rubric.criterion(key) or (rubric.entry_part.criterion(key) if rubric.entry_part else None)
    return dict(found.title) if found is not None else dict(TOTAL_TITLE) if key == "total" else {"zh": key, "en": key}


def judge_names(db: Session, competition_id: int) -> dict[str, str]:
    return dict(db.execute(select(Judge.key, Judge.name).where(Judge.competition_id == competition_id)).all())


def _criterion(item: dict[str, Any], places: dict[str, int | None]) -> dict[str, Any]:
    p = places.get(item["criterion"])
    return {
        "criterion": item["criterion"],
        "title": item["title"],
        "rule": item["rule"],
        "official": item["rule"] == "official value",
        "marks": [
            {"judge": m["judge"], "points": written(m["points"], p), "kept": m["kept"], "dropped": m["dropped_because"]}
            for m in item["marks"]
        ],
        "value": item["value"],
        "veto_called": item.get("veto_called"),
    }


def _attempts(working: dict[str, Any], places: dict[str, int | None]) -> list[dict[str, Any]]:
    """Per attempt the criteria with their marks (for a panel of judges' totals: the totals)."""
    out = []
    for a in working["attempts"]:
        items = [a["panel"]] if "panel" in a else a["criteria"]
        formula = a.get("formula")  # the rubric's formula with its value (award * dd), when it has one
        out.append(
            {
                "attempt": a["attempt"],
                "criteria": [_criterion(c, places) for c in items],
                "formula": formula["text"] if formula else None,
                "before_rounding": a.get("score_before_rounding"),
                "score": a["score"],
            }
        )
    return out


def entry_json(row: EntryPanel, label: str, places: dict[str, int | None], with_working: bool = True) -> dict[str, Any]:
    """One entry's line on the console: pending (with how many sheets count so far, and the
    engine's reason when it has one) or scored (total, place, and with `with_working` the working
    per attempt; without, "working": "later": the page asks for it when the chief opens the entry)."""
    working = row.working if with_working else None
    body: dict[str, Any] = {
        "entry": label,
        "state": "pending" if row.pending else "scored",
        "counted": row.counted,
        "expected": row.expected,
        "score": format_decimal(row.score) if row.score is not None else None,
        "place": row.place,
        "disqualified": row.disqualified,
        "problem": {"zh": row.problem.zh, "en": row.problem.en} if row.problem else None,
        "whole_round": row.whole_round,  # a round ranked by placing waits for every judge's order
        "attempts": _attempts(working, places) if working else [],
        "working": "shown" if working else "later" if row.explain is not None else "none",
    }
    if working and working.get("per_entry"):  # the part scored once per entry (components)
        body["per_entry"] = _attempts({"attempts": [working["per_entry"]]}, places)[0]
    return body
