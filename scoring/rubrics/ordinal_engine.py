"""Score a ranking rubric: every judge's placements of a round become each entry's final place.

The engine (engine.py) hands a rubric with an ordinal rule here. Unlike points, places are
judged against each other, so the whole round is read at once: for each dance (placement
criterion), each judge must place every entry of the round (the entries in the marks), a judge
who placed the entries in one dance must place them in every dance, and the places one judge
gives in one dance must pass `check_placements` (1..n without a gap; shared places only where
the criterion allows them). Every problem is named by dance, judge and entry,
and nothing is computed past one. The rubric's ordinal rule (ordinal.py) then places the entries.

The result has the shape every rubric's has, so results, standings and exports need nothing new:
each entry's score is its final place (lower is better; entries sharing places get their mean,
2.5), each criterion's value is the entry's place in that dance (for the median rule its median
there, for the Borda count its points there), and the marks are the places as written. The
explanation (ordinal_explain.py) reads the rule's working kept in `RubricResult.ordinal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from scoring.marks import MarkTable
from scoring.rubrics.failures import Failure
from scoring.rubrics.model import Rubric
from scoring.rubrics.ordinal import OrdinalOutcome, PlacementTable
from scoring.rubrics.panel import KEPT
from scoring.rubrics.placements import check_placements
from scoring.rubrics.trace import AttemptTrace, CriterionTrace, EntryResult, RubricResult

#: At most this many missing entries are named in one problem; "…" says there are more.
LISTED = 30


@dataclass
class OrdinalWorking:
    """What `RubricResult.ordinal` holds: the placements read and the rule's outcome."""

    table: PlacementTable
    outcome: OrdinalOutcome


def _placement_table(rubric: Rubric, table: MarkTable, failure: Failure) -> PlacementTable:
    marks = table.marks
    entries = [str(e) for e in dict.fromkeys(marks["entry"].astype(str))]
    points = table.points
    dances = [c.key for c in rubric.criteria()]
    judges: dict[str, list[str]] = {}
    places: dict[str, dict[str, list[int]]] = {}
    for criterion in rubric.criteria():
        d = criterion.key
        mine = np.flatnonzero(marks["criterion"].astype(str).to_numpy() == d)
        given: dict[str, dict[str, int]] = {}
        for i in mine:
            given.setdefault(str(marks["judge"].iat[int(i)]), {})[str(marks["entry"].iat[int(i)])] = int(points[i])
        judges[d] = list(given)
        if not given:
            failure.add(f"{d}：没有任何评委的名次", f"{d}: no judge placed any entry")
        for judge, placed in given.items():
            missing = [e for e in entries if e not in placed]
            if missing:
                shown = ", ".join(missing[:LISTED]) + (" …" if len(missing) > LISTED else "")
                failure.add(
                    f"{d}：评委 {judge} 未给出 {shown} 的名次（每名评委须排定本轮全部 {len(entries)} 个参赛对象）",
                    f"{d}: judge {judge} did not place {shown} "
                    f"(each judge places all {len(entries)} entries of the round)",
                )
                continue
            for problem in check_placements(criterion, placed):
                failure.add(f"{d}：评委 {judge}：{problem.zh}", f"{d}: judge {judge}: {problem.en}")
        places[d] = {e: [given[j].get(e, 0) for j in judges[d]] for e in entries}
    everyone = list(dict.fromkeys(j for d in dances for j in judges[d]))
    for d in dances:
        for judge in everyone:
            if judge not in judges[d] and judges[d]:
                failure.add(
                    f"{d}：评委 {judge} 在其他单项中排了名次，在本单项中没有",
                    f"{d}: judge {judge} placed the entries in another dance but not in this one",
                )
    return PlacementTable(dances, entries, judges, places)


def score_ordinal(rubric: Rubric, table: MarkTable) -> RubricResult:
    """Check every judge's placements and rank the round; raises InvalidInput on any problem."""
    assert rubric.ordinal is not None
    failure = Failure(table.source)
    placements = _placement_table(rubric, table, failure)
    failure.raise_if_any()
    outcome = rubric.ordinal.rank(placements)
    entries = placements.entries
    groups = pd.DataFrame({"entry": entries, "attempt": np.ones(len(entries), dtype=np.int64)})
    trace = AttemptTrace(groups=groups, parameters={})
    for d in placements.dances:
        judges = placements.judges[d]
        marks = np.array([[Decimal(p) for p in placements.places[d][e]] for e in entries], dtype=object).reshape(
            len(entries), len(judges)
        )
        value = np.array([outcome.per_dance[d][e] for e in entries], dtype=object)
        trace.criteria[d] = CriterionTrace(
            judges=judges,
            marks=marks,
            reasons=np.full(marks.shape, KEPT, dtype=object),
            notes=np.full(len(entries), "", dtype=object),
            raw=value,
            value=value,
        )
    final = np.array([outcome.final[e] for e in entries], dtype=object)
    trace.raw = trace.score = final
    trace.disqualified = np.zeros(len(entries), dtype=bool)
    results = [EntryResult(e, outcome.final[e], False, {1: outcome.final[e]}) for e in entries]
    return RubricResult(
        rubric=rubric,
        results=results,
        flags=[],
        trace=trace,
        combine_notes={e: f"{rubric.ordinal.describe()}: {outcome.decided_by.get(e, 'place')}" for e in entries},
        ordinal=OrdinalWorking(placements, outcome),
    )
