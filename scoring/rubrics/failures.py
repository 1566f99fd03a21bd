"""Problems found while scoring a rubric, each named by its entry and attempt (and judge).

The engine collects them and raises them together (InvalidInput); it computes no result past
them. What is a problem is decided where it is found, not here.
"""

from __future__ import annotations

import pandas as pd

from scoring.problems import InvalidInput, Problem


class Failure:
    """The problems found while scoring, raised together; nothing is computed past them."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, zh: str, en: str) -> None:
        self.problems.append(Problem(zh=zh, en=en, file=self.source))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)


def group_label(groups: pd.DataFrame, i: int) -> tuple[str, str]:
    row = groups.iloc[i]
    judge = f", 评委 {row['judge']}" if "judge" in groups.columns else ""
    judge_en = f", judge {row['judge']}" if "judge" in groups.columns else ""
    return (
        f"参赛对象 {row['entry']} 第 {row['attempt']} 次{judge}",
        f"entry {row['entry']} attempt {row['attempt']}{judge_en}",
    )
