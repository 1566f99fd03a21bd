"""Writes with a signed-in cookie come from this server's own pages, and JSON routes take JSON.

Cookies are SameSite=Lax, which does not separate two sites on one host (another port is the
same site), and the JSON API is exempt from the forms' CSRF token. So every request that can
change something (POST, PUT, PATCH, DELETE, and every WebSocket) is refused when the browser
says it comes from another origin (the Origin header, which browsers send on such requests;
a client that sends none is not a browser page). And a body sent to /api must be JSON, or a
multipart upload on the routes that take files: a text/plain body, which a page on another
origin can send without asking, is refused with 415.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from litestar.types import ASGIApp, HTTPResponseStartEvent, Receive, Scope, Send

SAFE = {"GET", "HEAD", "OPTIONS"}
BODY_TYPES = (b"application/json", b"multipart/form-data")


def _problem(status: int, kind: str, zh: str, en: str) -> bytes:
    body = {"type": f"urn:scoring:problem:{kind}", "title": kind, "status": status, "detail": f"{zh} / {en}"}
    return json.dumps(body | {"zh": zh, "en": en}, ensure_ascii=False).encode()


def origin_matches(origin: bytes, host: bytes | None) -> bool:
    if not host:
        return False
    parts = urlsplit(origin.decode("latin-1"))
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.decode("latin-1").lower()


def same_origin_writes(app: ASGIApp) -> ASGIApp:
    """ASGI middleware enforcing the rule above."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        writes = scope["type"] == "websocket" or scope.get("method", "GET") not in SAFE
        origin = headers.get(b"origin")
        refusal: tuple[int, str, str, str] | None = None
        if writes and origin is not None and not origin_matches(origin, headers.get(b"host")):
            refusal = (403, "cross-origin", "不接受来自其他网站的请求", "requests from another site are not accepted")
        elif scope["type"] == "http" and writes and str(scope.get("path", "")).startswith("/api/"):
            content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            has_body = headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers
            if has_body and content_type not in BODY_TYPES:
                refusal = (
                    415,
                    "unsupported-media-type",
                    "请求数据须为 JSON（application/json）",
                    "the request body must be JSON (application/json)",
                )
        if refusal is None:
            await app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4403, "reason": "cross-origin"})
        else:
            body = _problem(*refusal)
            start: HTTPResponseStartEvent = {
                "type": "http.response.start",
                "status": refusal[0],
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

    return middleware
