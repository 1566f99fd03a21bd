"""One problem body for every error: type, title, status, detail (Chinese / English), zh and en,
and the field, row or sheet at fault. Every refusal (scoring/refusals.py) becomes a body by
its type alone: its kind, status, words and `details()`. A refused page (anything outside
/api) is said on a page in the reader's language instead, and so is every other error a
browser meets asking for a page (Accept: text/html, outside /api): a route that does not
exist, a method not allowed, a revoked link, too many attempts (429, with its Retry-After), a
server error. API clients get the problem body for all of them. No input reaches a 500; an
unexpected error is logged and answered as a 500, and tests treat any 500 as a bug."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect, Template

from scoring.refusals import Refusal
from web.auth import SignInRequired
from web.i18n import MESSAGES, language_of, translator

log = logging.getLogger("scoring")


def problem(status: int, kind: str, title: str, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    body = {"type": f"urn:scoring:problem:{kind}", "title": title, "status": status, "detail": detail} | extra
    return Response(body, status_code=status, media_type="application/problem+json")


def refused_page(
    request: Request[Any, Any, Any], status: int, zh: str, en: str, headers: dict[str, str] | None = None
) -> Template:
    """A refusal said on a short page in the reader's language (the other one under it), with
    what the status means and the way back home."""
    lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
    path = request.url.path
    home = "/judge" if path.startswith("/judge") else "/quiz" if path.startswith("/quiz") else "/admin"
    title = MESSAGES.get(f"error_{status}", MESSAGES["error_4xx" if status < 500 else "error_500"])
    context = {
        "lang": lang,
        "t": translator(lang),
        "status": status,
        "zh": zh,
        "en": en,
        "home": home,
        "title": title[0 if lang == "zh" else 1],
    }
    return Template(template_name="refused.html", status_code=status, context=context, headers=headers)


def wants_page(request: Request[Any, Any, Any]) -> bool:
    """A person's browser asking for a page: outside /api, with text/html among what it accepts."""
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def _words(detail: str, status: int) -> tuple[str, str]:
    """An exception's "中文 / English" detail as its two halves, else the status's own words."""
    zh, sep, en = detail.partition(" / ")
    if sep and zh.strip() and en.strip():
        return zh.strip(), en.strip()
    return MESSAGES.get(f"error_{status}_detail", MESSAGES["error_detail"])


def on_refusal(request: Request[Any, Any, Any], exc: Refusal) -> Response[Any]:
    if not request.url.path.startswith("/api"):
        return refused_page(request, exc.status, exc.zh, exc.en)
    where = {k: v for k, v in (("field", exc.field), ("row", exc.row)) if v is not None}
    title = exc.kind.replace("-", " ").capitalize()
    return problem(exc.status, exc.kind, title, f"{exc.zh} / {exc.en}", zh=exc.zh, en=exc.en, **where, **exc.details())


def on_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    if wants_page(request):
        return refused_page(request, 400, *MESSAGES["error_400_detail"])
    fields = [
        {"field": e.get("key"), "source": e.get("source"), "en": e.get("message")}
        for e in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(e, dict)
    ]
    return problem(400, "bad-request", "Bad request", f"请求数据有误 / {exc.detail}", problems=fields)


def on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, SignInRequired):
        return Redirect(path=exc.sign_in_path)
    if wants_page(request):
        return refused_page(request, exc.status_code, *_words(str(exc.detail), exc.status_code), exc.headers)
    response = problem(exc.status_code, f"http-{exc.status_code}", exc.__class__.__name__, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    if wants_page(request):
        return refused_page(request, 500, *MESSAGES["error_500_detail"])
    return problem(500, "server-error", "Server error", "服务器内部错误 / an unexpected error; it has been logged")


HANDLERS: dict[Any, Any] = {
    Refusal: on_refusal,
    ValidationException: on_validation,
    HTTPException: on_http,
    Exception: on_unexpected,
}
