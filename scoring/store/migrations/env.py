"""Alembic environment: runs on the connection handed over by scoring.store.database.migrate."""

from alembic import context

import scoring.store.nomination_models  # noqa: F401  (its tables in Base.metadata)
from scoring.store import online_models  # noqa: F401  (the online drills' tables, migration 0014)
from scoring.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through scoring.store.database.migrate(engine)")
context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=connection.dialect.name == "sqlite"
)
with context.begin_transaction():
    context.run_migrations()
