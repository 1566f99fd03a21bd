"""How much database work one judge's sheet write costs: the statements it runs, counted on the
engine (issue 16: a write is one transaction with its checks inside it, the round, panel and
rubric read from a cache). A count, not a time: it fails when a change adds queries to the hot
path, and says which."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.integration.world import ok, sheet_body


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(" ".join(statement.split())[:160])

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def test_a_warm_sheet_write_runs_few_statements(world):
    url = f"/api/judge/sheets/{world.hydrant}"
    ok(world.judge.put(f"{url}/s01", json=sheet_body(client_id=uuid.uuid4().hex)))  # warms the caches
    with counted_statements() as seen:
        ok(world.judge.put(f"{url}/s02", json=sheet_body(client_id=uuid.uuid4().hex)))
        ok(world.judge.put(f"{url}/s02", json=sheet_body(base=1, client_id=uuid.uuid4().hex)))
    # 16.5 on SQLite and 15.5 on PostgreSQL when this was written (a new sheet and a next version
    # of it): the sign-in, the seat and round, the entry, the sheet and its versions, the round
    # re-read under lock, the audit append (head, record, head), begin and commit.
    assert len(seen) / 2 <= 18, "\n".join(seen)
