"""The app's request class: a JSON body that cannot be read at all (bytes that are not UTF-8,
arrays nested a million deep) is the sender's error, answered 400 like any malformed JSON,
never a server error."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException


class ReadableRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        try:
            return await super().json()
        except (UnicodeDecodeError, RecursionError):
            raise ClientException(detail="请求数据不是可读的 JSON / the request body is not readable JSON") from None
