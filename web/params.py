"""Path parameter types shared by the API routes: ids are bounded so that no number, however
large, reaches the database (a 64-bit overflow there would be a server error)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import PathParameter

MAX_ID = 2_147_483_647

RowId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="a database id")]
PathKey = Annotated[str, PathParameter(min_length=1, max_length=64)]
