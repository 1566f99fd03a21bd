"""One problem body for every error: type, title, status, detail (Chinese / English), and the
field, row or sheet at fault. No input reaches a 500; an unexpected error is logged and
answered as a 500 problem, and tests treat any 500 as a bug."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect, Template

from judges.service import AccessRefused
from scoring.problems import InvalidInput
from scoring.store.sheets import DeviceConflict, IdempotencyConflict, SheetRejected, StaleWrite
from server.i18n import language_of, translator

log = logging.getLogger("scoring")


def problem(status: int, kind: str, title: str, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    body = {"type": f"urn:scoring:problem:{kind}", "title": title, "status": status, "detail": detail} | extra
    return Response(body, status_code=status, media_type="application/problem+json")


def snapshot_body(snapshot: Any) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {
        "version": snapshot.version,
        "state": snapshot.state.value,
        "marks": snapshot.marks,
        "notes": snapshot.notes,
        "author": snapshot.author,
        "reason": snapshot.reason,
        "created_at": snapshot.created_at.isoformat(),
    }


def on_stale(_: Request[Any, Any, Any], exc: StaleWrite) -> Response[dict[str, Any]]:
    return problem(409, "stale-write", "Stale write", str(exc), current=snapshot_body(exc.current))


def on_idempotency(_: Request[Any, Any, Any], exc: IdempotencyConflict) -> Response[dict[str, Any]]:
    return problem(409, "client-id-reused", "Client id reused", str(exc))


def on_device(_: Request[Any, Any, Any], exc: DeviceConflict) -> Response[dict[str, Any]]:
    return problem(409, "sheet-on-another-device", "Sheet on another device", str(exc), zh=exc.zh, en=exc.en)


def on_rejected(_: Request[Any, Any, Any], exc: SheetRejected) -> Response[dict[str, Any]]:
    return problem(
        422,
        "sheet-rejected",
        "Sheet not accepted",
        str(exc),
        problems=[{"field": field, "zh": zh, "en": en} for field, zh, en in exc.problems],
    )


def on_invalid(_: Request[Any, Any, Any], exc: InvalidInput) -> Response[dict[str, Any]]:
    return problem(
        422,
        "invalid-input",
        "Invalid input",
        f"{len(exc.problems)} problem(s) / {len(exc.problems)} 个问题",
        problems=[
            {"file": p.file, "line": p.line, "field": p.path, "row": p.row, "zh": p.zh, "en": p.en}
            for p in exc.problems
        ],
    )


def on_refused(request: Request[Any, Any, Any], exc: AccessRefused) -> Response[Any]:
    if not request.url.path.startswith("/api"):  # a page: said on a page, in both languages
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        home = "/judge" if request.url.path.startswith("/judge") else "/admin"
        context = {"lang": lang, "t": translator(lang), "status": exc.status, "zh": exc.zh, "en": exc.en, "home": home}
        return Template(template_name="refused.html", status_code=exc.status, context=context)
    kinds = {403: "forbidden", 404: "not-found", 409: "conflict"}
    return problem(
        exc.status, kinds.get(exc.status, "refused"), kinds.get(exc.status, "refused").title(), f"{exc.zh} / {exc.en}"
    )


def on_validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    fields = [
        {"field": e.get("key"), "source": e.get("source"), "en": e.get("message")}
        for e in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(e, dict)
    ]
    return problem(400, "bad-request", "Bad request", f"请求数据有误 / {exc.detail}", problems=fields)


def on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if exc.__class__.__name__ == "LoginRequired":
        return Redirect(path="/admin/login")
    if exc.__class__.__name__ == "JudgeSignInRequired":
        return Redirect(path="/judge/pin")
    response = problem(exc.status_code, f"http-{exc.status_code}", exc.__class__.__name__, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "server-error", "Server error", "服务器内部错误 / an unexpected error; it has been logged")


HANDLERS: dict[Any, Any] = {
    StaleWrite: on_stale,
    IdempotencyConflict: on_idempotency,
    DeviceConflict: on_device,
    SheetRejected: on_rejected,
    InvalidInput: on_invalid,
    AccessRefused: on_refused,
    ValidationException: on_validation,
    HTTPException: on_http,
    Exception: on_unexpected,
}
