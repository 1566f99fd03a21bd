"""A statement whose text never changes, made cacheable: SQLAlchemy does not cache the compiled
form of a statement with a data-modifying WITH (an UPDATE ... RETURNING as a CTE), so such a
statement is compiled again on every execution (once a tenth of a PostgreSQL sheet write's CPU).
`fixed` compiles it once into a `text()` with the same parameters and types, which is cached.

Only for statements built once at import, with every value a parameter. Nothing here runs SQL."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.dialects.postgresql.base import PGDialect


def fixed_postgresql(statement: Any) -> TextClause:
    """`statement` as PostgreSQL text with named parameters, each keeping its type (a JSON value
    is serialised as the column's type would) and its default (a literal the statement holds)."""
    compiled = statement.compile(dialect=PGDialect(paramstyle="named"))
    values = compiled.params
    binds = [
        bindparam(name, value=values[name], type_=bind.type) if values.get(name) is not None
        else bindparam(name, type_=bind.type)
        for bind, name in compiled.bind_names.items()
    ]  # fmt: skip
    # a cast the dialect writes after a parameter (:before::JSON) as text() reads it
    sql = re.sub(r":(\w+)::(\w+)", r"CAST(:\1 AS \2)", str(compiled))
    return text(sql).bindparams(*binds)
