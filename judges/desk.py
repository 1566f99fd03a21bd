"""The officials' desk (记录台) of a round, kept by its chief judge: the values officials give per
entry and attempt (a dive's degree of difficulty, a referee's penalty, an official's stopwatch
time, an official measurement), entered on a page instead of uploaded.

What the desk shows: one row per entry (in the drawn order; by code in a blind event) and
attempt, with the rubric's parameters and official criteria as inputs, and each entry's
current values and version. A rubric with a part marked once per entry (`[entry]`: a skater's
deductions, the segment's factor) adds that part's fields once per entry, keyed by the field
alone (`entry_fields`), beside the per-attempt ones keyed "attempt/field".

What a write does: checks the entry's whole set of values exactly as `scoring compute` checks
the rows with an empty judge (scoring/marks.py `check_marks`), then stores them as the entry's
next version (scoring/store/official_values.py: append-only, idempotent by client id, refused
when stale or once the round is closed, audited, a live change recorded), in the caller's one
transaction. Judges' marks never come this way, and a bulk file goes through the organiser's
upload (organiser/official_uploads.py), not here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scoring.decimals import format_decimal
from scoring.marks import check_marks
from scoring.problems import InvalidInput, Problem
from scoring.rubrics.form import criterion_form
from scoring.rubrics.model import Rubric
from scoring.sheet_rules import canonical_mark
from scoring.store.models import OfficialValues
from scoring.store.official_values import record_values, split_key, values_with_versions
from scoring.store.rounds import RoundContext, entry_labels, entry_of_label, labels_in_order


def desk_fields(rubric: Rubric) -> list[dict[str, Any]]:
    """The desk's inputs: each parameter (a number within its limits) and each official criterion
    (its tablet input: a stopwatch for a time, a number for a measurement)."""
    fields: list[dict[str, Any]] = [
        {
            "key": p.key,
            "title": p.title,
            "source": "parameter",
            "input": "number",
            "min": None if p.minimum is None else format_decimal(p.minimum),
            "max": None if p.maximum is None else format_decimal(p.maximum),
            "default": None if p.default is None else format_decimal(p.default),
            "step": None,
        }
        for p in rubric.parameters
    ]
    for criterion in rubric.criteria():
        if criterion.official:
            form = criterion_form(criterion)
            fields.append(form | {"source": "criterion", "default": None, "step": form.get("step")})
    return fields


def attempt_parameters(rubric: Rubric, values: dict[str, str]) -> list[dict[str, Any]]:
    """The rubric's parameters with one entry's values per attempt ("1" -> "3.0"), as the desk
    gave them: what a judge's tablet shows read-only above each attempt."""
    out = []
    for p in rubric.parameters:
        own = {split_key(k)[0]: v for k, v in values.items() if split_key(k)[1] == p.key}
        out.append(
            {
                "key": p.key,
                "title": p.title,
                "default": None if p.default is None else format_decimal(p.default),
                "values": own,
            }
        )
    return out


def sheet_parameters(rubric: Rubric, values: dict[str, str]) -> dict[str, str | None]:
    """Each attempt's parameters for a judge's tablet, keyed "attempt/key" ("2/dd" -> "3.4"): the
    desk's value, else the rubric's default, else None (not given yet)."""
    return {
        f"{a}/{p['key']}": p["values"].get(str(a)) or p["default"]
        for p in attempt_parameters(rubric, values)
        for a in range(1, rubric.attempts.count + 1)
    }


def entry_fields(rubric: Rubric) -> list[dict[str, Any]]:
    """The desk's inputs given once per entry: the per-entry part's (none without one)."""
    return [] if rubric.entry_part is None else desk_fields(rubric.entry_part)


def desk_keys(rubric: Rubric) -> list[str]:
    """Every key a desk write may hold: "attempt/field" for a rubric with attempts, else "field";
    a per-entry part's fields by their key alone."""
    names = [f["key"] for f in desk_fields(rubric)]
    once = [f["key"] for f in entry_fields(rubric)]
    if rubric.attempts.count == 1:
        return names + once
    return [f"{a}/{n}" for a in range(1, rubric.attempts.count + 1) for n in names] + once


def desk_rows(db: Session, context: RoundContext, rubric: Rubric) -> dict[str, Any]:
    """What the desk page and its API show: the fields, the attempts, and per entry (label) its
    version and values."""
    values = values_with_versions(db, context.round.id)
    keys = {label: entry for entry, label in entry_labels(db, context).items()}
    entries = []
    for label in labels_in_order(db, context):
        version, own = values.get(keys.get(label, ""), (0, {}))
        entries.append({"entry": label, "version": version, "values": own})
    return {
        "round": context.round.id,
        "publication": context.round.publication,
        "attempts": rubric.attempts.count,
        "fields": desk_fields(rubric),
        "entry_fields": entry_fields(rubric),
        "entries": entries,
    }


def check_desk_values(rubric: Rubric, entry: str, values: dict[str, str]) -> dict[str, str]:
    """The values as stored (empty ones dropped, each kept as the server keeps a mark), or
    InvalidInput with a problem per key (its path) saying why not, in the page's two languages."""
    allowed = set(desk_keys(rubric))
    kept = {key: canonical_mark(value) for key, value in values.items() if str(value).strip() != ""}
    problems = [
        Problem(
            f"记录台没有“{key}”；可用：{', '.join(sorted(allowed))}",
            f"the desk has no '{key}'; known: {', '.join(sorted(allowed))}",
            path=key,
        )
        for key in kept
        if key not in allowed
    ]
    if problems:
        raise InvalidInput(problems)
    if not kept:
        return kept
    order = list(kept)
    rows = [(entry, *split_key(key), kept[key]) for key in order]
    frame = pd.DataFrame(rows, columns=["entry", "attempt", "criterion", "value"]).assign(judge="")
    frame["row"] = range(1, len(frame) + 1)
    try:
        check_marks(frame, rubric, "desk")
    except InvalidInput as refused:
        raise InvalidInput(
            [Problem(p.zh, p.en, path=order[p.row - 1] if p.row else None) for p in refused.problems]
        ) from None
    return kept


def write_desk_values(
    db: Session,
    context: RoundContext,
    rubric: Rubric,
    label: str,
    values: dict[str, str],
    base_version: int,
    client_id: str,
    author: str,
) -> tuple[str, dict[str, Any]]:
    """Store one entry's values as its next version; (entry key, the version as the API shows
    it). Two desks racing for one version: the loser is answered as a retry or as stale."""
    entry = entry_of_label(db, context, label)
    kept = check_desk_values(rubric, entry, values)

    def store() -> OfficialValues:
        return record_values(
            db,
            round_id=context.round.id,
            entry=entry,
            values=kept,
            client_id=client_id,
            author=author,
            reason="desk",
            base_version=base_version,
        )

    try:
        with db.begin_nested():
            row = store()
    except IntegrityError:  # another write took this version first: now a replay, or stale
        row = store()
    return entry, {"entry": label, "version": row.version, "values": dict(row.values)}
