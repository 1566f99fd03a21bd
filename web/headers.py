"""Security headers on every response, and the toolkit's own script (/assets/pages.js).

Pages may run only scripts served by this server (no inline script, no event-handler
attributes: `script-src 'self'`), may not be framed by another site (`frame-ancestors 'none'`,
X-Frame-Options), and say what they are (`nosniff`). Styles may be inline. The API
documentation under /schema is left to its own renderer's needs. A request that reached the
server over HTTPS (directly, or through a proxy trusted by SCORING_TRUSTED_PROXIES) gets every
cookie marked Secure, whatever SCORING_SECURE_COOKIES says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, Response, get
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from web.auth import public_guard

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
HEADERS = [
    (b"content-security-policy", POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
PAGES_SCRIPT = (Path(__file__).resolve().parent / "assets" / "pages.js").read_text(encoding="utf-8")


def secure_cookie(value: bytes) -> bytes:
    """A Set-Cookie value marked Secure (sent back over HTTPS only)."""
    return value if b"secure" in value.lower().split(b"; ") else value + b"; Secure"


def security_headers(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: add HEADERS to every HTTP response outside /schema."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/schema"):
            await app(scope, receive, send)
            return

        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, secure_cookie(value) if https and name.lower() == b"set-cookie" else value)
                    for name, value in message.get("headers", [])
                ]
                present = {name.lower() for name, _ in headers}
                extra = [(name, value) for name, value in HEADERS if name not in present]
                message = {**message, "headers": [*headers, *extra]}
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware


class AssetsController(Controller):
    path = "/assets"
    guards = [public_guard]  # noqa: RUF012
    include_in_schema = False

    @get("/pages.js")
    async def pages_script(self) -> Response[Any]:
        return Response(PAGES_SCRIPT, media_type="text/javascript")
