"""Problems found in input, and the error that carries them.

Every check in the core reports a `Problem` that says where (file, line, field path or row)
and what would be valid, in Chinese and in English. Loaders collect all problems they find
before raising `InvalidInput`, so an organiser fixes a file in one pass. Nothing here decides
what is valid; the loaders and kinds do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


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


@dataclass
class InvalidInput(Exception):
    """Raised with every problem found; the operation that raised it changed nothing."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self) -> str:
        return "\n".join(str(p) for p in self.problems)

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
