"""Problems found in input, and the error that carries them.

Every check in the core reports a `Problem` that says where (file, line, field path or row)
and what would be valid, in Chinese and in English. Loaders collect all problems they find
before raising `InvalidInput`, so an organiser fixes a file in one pass. Nothing here decides
what is valid; the loaders and kinds do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scoring.refusals import Refusal


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    zh: str
    en: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    row: int | None = None

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.path:
            parts.append(self.path)
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        text = f"{self.zh} / {self.en}"
        return f"{where}: {text}" if where else text


class InvalidInput(Refusal):
    """Raised with every problem found; the operation that raised it changed nothing."""

    kind = "invalid-input"
    status = 422

    def __init__(self, problems: list[Problem] | None = None) -> None:
        self.problems: list[Problem] = list(problems or [])
        n = len(self.problems)
        first = self.problems[0] if n == 1 else None
        super().__init__(
            first.zh if first else f"{n} 个问题",
            first.en if first else f"{n} problem(s)",
            field=first.path if first else None,
            row=first.row if first else None,
        )

    def summary(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def details(self) -> dict[str, Any]:
        return {
            "problems": [
                {"file": p.file, "line": p.line, "field": p.path, "row": p.row, "zh": p.zh, "en": p.en}
                for p in self.problems
            ]
        }

    def __str__(self) -> str:
        return self.summary()


class ProblemCollector:
    """Collects problems with a fixed file name, then raises them all at once."""

    def __init__(self, file: str | None = None) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(
        self, zh: str, en: str, *, line: int | None = None, path: str | None = None, row: int | None = None
    ) -> None:
        self.problems.append(Problem(zh=zh, en=en, file=self.file, line=line, path=path, row=row))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(list(self.problems))
