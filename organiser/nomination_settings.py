"""The organiser's call settings form read into the store's `CallSettings`: every field's
problem named at once (a quota that is not a whole number, a threshold that is not a fraction,
a region line without "="), nothing kept on any problem, what was typed shown again
(`typed_values`). What is valid beyond the form's shape
is the core's and the store's to say (scoring/nomination_rules.py, scoring/deliberation.py,
scoring/store/nominations.py)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from scoring.deliberation import CountingRule
from scoring.nomination_rules import CallRules
from scoring.problems import InvalidInput, Problem
from scoring.store.nomination_models import NominationCall
from scoring.store.nominations import CallSettings

MAX_REGION_LINES = 500


def _whole(form: Any, name: str, problems: list[Problem], optional: bool) -> int | None:
    text = str(form.get(name, "")).strip()
    if not text and optional:
        return None
    if not text.isdigit() or len(text) > 6:
        problems.append(Problem(zh="应填写整数", en="a whole number is needed", path=name))
        return None
    return int(text)


def _fraction(text: str, problems: list[Problem]) -> Fraction:
    try:
        value = Fraction(text.strip() or "2/3")
    except (ValueError, ZeroDivisionError):
        problems.append(Problem(zh="比例写作 2/3 或 0.5", en="a share reads like 2/3 or 0.5", path="threshold"))
        return Fraction(2, 3)
    return value


def _regions(text: str, problems: list[Problem]) -> dict[str, str]:
    regions: dict[str, str] = {}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_REGION_LINES:
        problems.append(
            Problem(zh=f"至多 {MAX_REGION_LINES} 行", en=f"at most {MAX_REGION_LINES} lines", path="regions")
        )
        return regions
    for number, line in enumerate(lines, start=1):
        unit, sep, region = line.partition("=")
        if not sep or not unit.strip() or not region.strip() or len(region.strip()) > 64:
            problems.append(
                Problem(zh="每行写作 单位代码=地区", en="each line reads unit key=region", path="regions", row=number)
            )
        else:
            regions[unit.strip()] = region.strip()
    return regions


def settings_from_form(form: Any, panel: list[str]) -> CallSettings:
    """The call as the organiser's form gives it; `panel` is the judges' keys ticked."""
    problems: list[Problem] = []
    min_years = _whole(form, "min_service_years", problems, optional=False)
    unit_quota = _whole(form, "unit_quota", problems, optional=True)
    region_quota = _whole(form, "region_quota", problems, optional=True)
    seats = _whole(form, "seats", problems, optional=True)
    threshold = _fraction(str(form.get("threshold", "")), problems)
    regions = _regions(str(form.get("regions", ""))[:20000], problems)
    if problems:
        raise InvalidInput(problems)
    return CallSettings(
        title_zh=str(form.get("title_zh", ""))[:255],
        title_en=str(form.get("title_en", ""))[:255],
        intro_zh=str(form.get("intro_zh", ""))[:4000],
        intro_en=str(form.get("intro_en", ""))[:4000],
        rules=CallRules(
            min_service_years=min_years or 0,
            front_line_required=str(form.get("front_line_required", "")) in ("1", "on"),
            unit_quota=unit_quota,
            region_quota=region_quota,
            regions=regions,
        ),
        panel=tuple(panel),
        counting=CountingRule(
            method=str(form.get("method", ""))[:32],
            seats=seats,
            threshold=threshold,
            tie=str(form.get("tie", ""))[:32],
        ),
    )


def typed_values(form: Any, panel: list[str]) -> dict[str, Any]:
    """The form's fields as the organiser typed them, to show again with a refusal."""
    typed = {name: str(form.get(name, ""))[:4000] for name in TYPED}
    return typed | {"front_line_required": typed["front_line_required"] in ("1", "on"), "panel": panel}


TYPED = (
    "title_zh", "title_en", "intro_zh", "intro_en", "min_service_years", "front_line_required", "unit_quota",
    "region_quota", "regions", "method", "seats", "threshold", "tie",
)  # fmt: skip


def form_values(call: NominationCall | None) -> dict[str, Any]:
    """The form's fields filled from the stored call (empty for a new one)."""
    if call is None:
        return {"method": "approval_threshold", "threshold": "2/3", "tie": "include_tied", "panel": [], "regions": ""}
    counting = call.counting or {}
    return {
        "title_zh": call.title_zh,
        "title_en": call.title_en,
        "intro_zh": call.intro_zh,
        "intro_en": call.intro_en,
        "min_service_years": call.min_service_years,
        "front_line_required": call.front_line_required,
        "unit_quota": call.unit_quota or "",
        "region_quota": call.region_quota or "",
        "regions": "\n".join(f"{u}={r}" for u, r in (call.regions or {}).items()),
        "panel": list(call.panel or []),
        "method": counting.get("method", ""),
        "seats": counting.get("seats") or "",
        "threshold": counting.get("threshold", "2/3"),
        "tie": counting.get("tie", "include_tied"),
    }
