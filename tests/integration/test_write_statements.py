"""How much database work one judge's sheet write costs: the statements it runs, counted on the
engine (issue 16: a write is one transaction with its checks inside it, read in one statement,
and the rubric from a cache). A count, not a time: it fails when a change adds queries to the hot
path, and says which."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.default import CACHE_HIT

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
    # 8 on SQLite and 6 on PostgreSQL (16.5 and 15.5 before issue 16's item 1), a new sheet tied to
    # its tablet and a next version of it: BEGIN IMMEDIATE (SQLite only); the one check of the
    # sign-in, round, event, rubric digest, seat, entry and assignments; the sheet's row (made
    # with ON CONFLICT DO NOTHING, or selected FOR UPDATE); its version by client id and its latest
    # with the round's publication under a shared lock; the version; the audit append (head FOR
    # UPDATE, the records in one insert, the head moved: on PostgreSQL by the insert's WITH). The
    # commit is not a statement here. A submit adds the live change (on SQLite two statements).
    bound = 8 if world.database_url.startswith("sqlite") else 6
    assert len(seen) / 2 <= bound, "\n".join(seen)


def test_a_warm_sheet_write_compiles_no_sql(world):
    """Every statement of a warm write comes from SQLAlchemy's cache of compiled statements, or is
    a driver-level one with nothing to compile (BEGIN IMMEDIATE): a statement built from the
    write's values (a multi-row VALUES of literal rows, say) is compiled again on every write,
    which once cost a PostgreSQL write a tenth of its CPU. Two new sheets tied to the tablet (two
    audit records each) and a next version."""
    compiled: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        if context is not None and context.cache_hit is not CACHE_HIT and context.compiled is not None:
            compiled.append(f"{context.cache_hit}: {' '.join(statement.split())[:160]}")

    url = f"/api/judge/sheets/{world.hydrant}"
    ok(world.judge.put(f"{url}/s01", json=sheet_body(client_id=uuid.uuid4().hex)))  # warms the caches
    ok(world.judge.put(f"{url}/s01", json=sheet_body(base=1, client_id=uuid.uuid4().hex)))
    event.listen(Engine, "before_cursor_execute", note)
    try:
        ok(world.judge.put(f"{url}/s02", json=sheet_body(client_id=uuid.uuid4().hex)))
        ok(world.judge.put(f"{url}/s03", json=sheet_body(client_id=uuid.uuid4().hex)))
        ok(world.judge.put(f"{url}/s02", json=sheet_body(base=1, client_id=uuid.uuid4().hex)))
    finally:
        event.remove(Engine, "before_cursor_execute", note)
    assert compiled == [], "\n".join(compiled)
