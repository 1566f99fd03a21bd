"""How far the judges of a round judged by placing (an ordinal rubric: skating system, median
rank, Borda) have come: which marking judges have submitted their whole order.

Places are judged against each other, so an ordinal round has no result entry by entry: the
rule needs every judge's places of every entry of the round at once. A round part-placed (one
judge still ordering, one sheet returned) is pending as a whole, never scored on the entries
complete so far (their places would run past the number of entries scored, and the engine
would refuse them with messages that do not say what the chief is waiting for). A judge's order
counts once the judge has a counted sheet (submitted or locked, as results/from_store.py reads
them) for every entry of the round; a draft or a returned sheet does not count.

Not here: scoring (the rubric's ordinal rule), rendering, who may read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoring.problems import Problem
from scoring.rubrics.model import Rubric


@dataclass(frozen=True)
class OrderProgress:
    """The panel's judges who have submitted a whole order, of how many, over how many entries."""

    submitted: list[str]
    panel: list[str]
    entries: int

    @property
    def complete(self) -> bool:
        return bool(self.panel) and self.entries > 0 and len(self.submitted) == len(self.panel)

    @property
    def waiting_for(self) -> list[str]:
        return [j for j in self.panel if j not in self.submitted]

    def problem(self) -> Problem:
        """Why the round is pending, in Chinese and English."""
        waiting = "、".join(self.waiting_for)
        waiting_en = ", ".join(self.waiting_for)
        return Problem(
            zh=f"{len(self.panel)} 名评委中已有 {len(self.submitted)} 名提交名次"
            + (f"（尚待：{waiting}）" if waiting else "")
            + f"；全部评委排定全部 {self.entries} 个参赛对象后才计算名次",
            en=f"{len(self.submitted)} of {len(self.panel)} judges have submitted their order"
            + (f" (waiting for {waiting_en})" if waiting_en else "")
            + f"; places are computed once every judge has placed all {self.entries} entries",
        )


def ranks_by_placing(rubric: object) -> bool:
    """Whether the rules are a rubric that ranks the round from judges' placements (an ordinal rule)."""
    return isinstance(rubric, Rubric) and rubric.ordinal is not None


def order_progress(table: pd.DataFrame, panel: list[str], entries: list[str]) -> OrderProgress:
    """The progress of the round's `panel` over its `entries` (keys), from the round's counted
    marks (`table`, long form as results/from_store.py reads them; officials' rows have no judge)."""
    wanted = set(entries)
    placed: dict[str, set[str]] = {}
    if len(table):
        marked = table[table["judge"] != ""]
        for judge, entry in zip(marked["judge"].astype(str), marked["entry"].astype(str), strict=True):
            placed.setdefault(judge, set()).add(entry)
    submitted = [j for j in panel if wanted and wanted <= placed.get(j, set())]
    return OrderProgress(submitted, list(panel), len(wanted))
