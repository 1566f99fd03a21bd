"""The one way a rule says no: `Refusal`, raised wherever a request or an input is refused.

A refusal carries its kind (a stable slug such as `not-found` or `stale-write`), the HTTP-like
status that fits it, what is wrong in Chinese and in English, and where the fault lies (the
field, or the row of an uploaded file) when one place is at fault. Subclasses add what the
asker needs to put things right (`details()`: the current version of a sheet, every problem
of a file). The web toolkit turns any refusal into a problem body, or a page in the reader's
language, by its type alone; the command line prints it. Nothing here knows HTTP or pages.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Refusal(Exception):
    """A rule said no. The operation that raised it changed nothing."""

    kind: ClassVar[str] = "refused"
    status: ClassVar[int] = 409

    def __init__(self, zh: str, en: str, *, field: str | None = None, row: int | None = None) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en, self.field, self.row = zh, en, field, row

    def details(self) -> dict[str, Any]:
        """What the asker needs besides the words (plain data, ready to serialise)."""
        return {}

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


class NotFound(Refusal):
    """There is no such thing, or none that the asker may know of (the public is told 404 for
    a round that exists but is not published)."""

    kind = "not-found"
    status = 404


class Forbidden(Refusal):
    """The asker is known and may not do this (not on the panel, not the chief judge)."""

    kind = "forbidden"
    status = 403


class Conflict(Refusal):
    """The thing is not in a state that allows this now (a round already final, an event whose
    rubric has sheets, a blind round without codes)."""

    kind = "conflict"
    status = 409
