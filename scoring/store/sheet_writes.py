"""What a sheet write is and how the store answers it: the write a tablet or the chief's console
sends (`SheetWrite`, with the digest that makes a retry recognisable), the version it made or
finds (`SheetSnapshot`), and the refusals the store gives (a stale base version, a client id
reused for another change, another device holding the sheet, a write the round or the rules
refuse). Applying a write is scoring/store/sheets.py's; nothing here touches the database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from scoring.problems import Problem
from scoring.refusals import Conflict, Refusal
from scoring.sheet_rules import (
    Actor,
    SheetAction,
    SheetState,
)
from scoring.store.models import SheetVersion


@dataclass(frozen=True)
class SheetWrite:
    """One request to change a sheet, as a tablet (or the chief judge's console) sends it."""

    round_id: int
    entry_key: str
    judge_id: int
    rubric_version_id: int
    action: SheetAction
    actor: Actor
    base_version: int
    client_id: str
    author: str
    device: str = ""
    marks: dict[str, str] | None = None
    notes: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    address: str = ""
    competition_id: int | None = None  # the round's, when the caller has read it (saves a query)

    def digest(self) -> str:
        body = [
            self.round_id,
            self.entry_key,
            self.judge_id,
            self.action.value,
            self.base_version,
            self.marks,
            self.notes,
            self.reason,
        ]
        return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class SheetSnapshot:
    sheet_id: int
    version: int
    state: SheetState
    marks: dict[str, str]
    notes: dict[str, str]
    client_id: str
    author: str
    created_at: datetime
    reason: str = ""  # why the chief judge returned or corrected it
    replayed: bool = False  # True when this answers a retry of an earlier write

    def body(self) -> dict[str, Any]:
        """The version as the API shows it."""
        return {
            "version": self.version,
            "state": self.state.value,
            "marks": self.marks,
            "notes": self.notes,
            "author": self.author,
            "reason": self.reason,
            "created_at": self.created_at.isoformat(),
        }

    @staticmethod
    def of(row: SheetVersion | Row[Any], replayed: bool = False) -> SheetSnapshot:
        """From a stored version: an ORM row, or a Core row of its columns."""
        return SheetSnapshot(
            sheet_id=row.sheet_id,
            version=row.version,
            state=SheetState(row.state),
            marks=dict(row.marks),
            notes=dict(row.notes),
            client_id=row.client_id,
            author=row.author,
            created_at=row.created_at,
            reason=row.reason or "",
            replayed=replayed,
        )


class StaleWrite(Conflict):
    """The sheet has moved past the version the write was based on; carries the current one."""

    kind = "stale-write"

    def __init__(self, current: SheetSnapshot | None, base_version: int) -> None:
        self.current = current
        now = current.version if current else 0
        super().__init__(
            f"评分表已更新为第 {now} 版（提交基于第 {base_version} 版），请刷新后再改",
            f"the sheet is at version {now}, not {base_version}; reload it and make the change again",
        )

    def details(self) -> dict[str, Any]:
        return {"current": self.current.body() if self.current else None}


class IdempotencyConflict(Conflict):
    kind = "client-id-reused"

    def __init__(self, client_id: str) -> None:
        super().__init__(
            f"请求编号 {client_id} 已用于另一内容", f"client id {client_id} was already used for a different change"
        )


class DeviceConflict(Conflict):
    """The sheet is being marked on another device; the chief judge can release it."""

    kind = "sheet-on-another-device"

    def __init__(self) -> None:
        super().__init__(
            "此评分表已在另一台设备上评分；如需换设备，请裁判长在控制台释放后再试",
            "this sheet is being marked on another device; to move it here, "
            "ask the chief judge to release it in the console, then try again",
        )


class SheetRejected(Refusal):
    """The change is not allowed on this sheet now, or its marks are not valid."""

    kind = "sheet-rejected"
    status = 422

    def __init__(self, zh: str, en: str, problems: list[Problem] | None = None) -> None:
        super().__init__(zh, en)
        self.problems = problems or []

    def details(self) -> dict[str, Any]:
        return {"problems": [{"field": p.path, "zh": p.zh, "en": p.en} for p in self.problems]}
