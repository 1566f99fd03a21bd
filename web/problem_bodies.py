"""One problem body for every error: type, title, status, detail (Chinese / English), zh and en,
and the field, row or sheet at fault. Every refusal (scoring/refusals.py) becomes a body by
its type alone: its kind, status, words and `details()`. A refused page (anything outside
/api) is said on a page in the reader's language instead. No input reaches a 500; an
unexpected error is logged and answered as a 500 problem, and tests treat any 500 as a bug."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect, Template

from scoring.refusals import Refusal
from web.auth import SignInRequired
from web.i18n import language_of, translator

log = logging.getLogger("scoring")


def problem(status: int, kind: str, title: str, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    body = {"type": f"urn:scoring:problem:{kind}", "title": title, "status": status, "detail": detail} | extra
    return Response(body, status_code=status, media_type="application/problem+json")


def refused_page(request: Request[Any, Any, Any], status: int, zh: str, en: str) -> Template:
    """A refusal said on a short page in both languages, with the way back home."""
    lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
    path = request.url.path
    home = "/judge" if path.startswith("/judge") else "/quiz" if path.startswith("/quiz") else "/admin"
    context = {"lang": lang, "t": translator(lang), "status": status, "zh": zh, "en": en, "home": home}
    return Template(template_name="refused.html", status_code=status, context=context)


def on_refusal(request: Request[Any, Any, Any], exc: Refusal) -> Response[Any]:
    if not request.url.path.startswith("/api"):
        return refused_page(request, exc.status, exc.zh, exc.en)
    where = {k: v for k, v in (("field", exc.field), ("row", exc.row)) if v is not None}
    title = exc.kind.replace("-", " ").capitalize()
    return problem(exc.status, exc.kind, title, f"{exc.zh} / {exc.en}", zh=exc.zh, en=exc.en, **where, **exc.details())


def on_validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    fields = [
        {"field": e.get("key"), "source": e.get("source"), "en": e.get("message")}
        for e in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(e, dict)
    ]
    return problem(400, "bad-request", "Bad request", f"请求数据有误 / {exc.detail}", problems=fields)


def on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, SignInRequired):
        return Redirect(path=exc.sign_in_path)
    response = problem(exc.status_code, f"http-{exc.status_code}", exc.__class__.__name__, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "server-error", "Server error", "服务器内部错误 / an unexpected error; it has been logged")


HANDLERS: dict[Any, Any] = {
    Refusal: on_refusal,
    ValidationException: on_validation,
    HTTPException: on_http,
    Exception: on_unexpected,
}
