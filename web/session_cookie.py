"""The session cookie, written only when the session changed.

Litestar's cookie backend encrypts the session and sets the cookie again on every response;
here a response whose session is the one the request came with sets no cookie (the browser
keeps the one it has, with the lifetime it was given at sign-in; the server-side sign-in it
names expires on its own, scoring/store/sign_ins.py). Encrypting and setting the cookie was
about a third of the web framework's work on a judge's write. Signing in, switching language
and signing out change the session, so they still set or clear it.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.types import Message, ScopeSession

LOADED = "session_as_loaded"  # where the session the request came with is kept (scope state)


class QuietSessionBackend(ClientSideSessionBackend):
    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        connection.scope.setdefault("state", {})[LOADED] = dict(data)
        return data

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        loaded = connection.scope.get("state", {}).get(LOADED)
        if scope_session and isinstance(scope_session, dict) and scope_session == loaded:
            return  # unchanged: the browser's cookie stands
        await super().store_in_message(scope_session, message, connection)


class QuietCookieConfig(CookieBackendConfig):
    _backend_class = QuietSessionBackend
