"""Rendering a page, and the one pattern every form handler follows: act, then redirect, or
show the page again with what went wrong.

Every page is rendered with the reader's language (`?lang=zh|en`, remembered in a cookie;
Chinese by default) and its translator `t`. A refusal raised by the use case a form runs is
shown on the form's page, in both languages, with the status it carries; a refusal raised
while reading a page (no such round) is answered by the refused page (web/problem_bodies.py).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from scoring.problems import InvalidInput, Problem
from scoring.refusals import Refusal
from web.auth import principal_of
from web.database import Database
from web.i18n import MESSAGES, language_of, round_title, translator


def render_page(request: Request[Any, Any, Any], name: str, status: int = 200, **context: Any) -> Template:
    """The template `name` in the reader's language; `user` is the signed-in organiser's name."""
    lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
    who = principal_of(request)
    response = Template(
        template_name=name,
        status_code=status,
        context={
            "lang": lang,
            "t": translator(lang),
            "words": MESSAGES,  # to ask whether a data key has words
            "round_title": partial(round_title, lang),  # a round's key in the reader's words
            "user": who.name if who.role == "organiser" else None,
        }
        | context,
    )
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def problems_of(refused: Refusal) -> list[Problem]:
    """What a form shows for a refusal: every problem of an invalid input, else the refusal's words."""
    if isinstance(refused, InvalidInput):
        return refused.problems
    return [Problem(zh=refused.zh, en=refused.en, path=refused.field, row=refused.row)]


async def act_then_redirect(
    request: Request[Any, Any, Any],
    db: Database,
    act: Callable[[Session], Any],
    *,
    redirect: str,
    template: str,
    page_data: Callable[[Session], dict[str, Any]],
) -> Template | Redirect:
    """Run `act` in one transaction; then redirect to `redirect`, or, if it was refused, show
    `template` again (with `page_data` read afresh) and the problems, with the refusal's status."""
    try:
        await db.run(act)
    except Refusal as refused:
        data = await db.run(page_data)
        return render_page(request, template, refused.status, problems=problems_of(refused), **data)
    return Redirect(path=redirect)


def public_base(request: Request[Any, Any, Any]) -> str:
    """The address printed links and QR codes carry: SCORING_PUBLIC_URL when set, else the
    address the reader's browser used (which a tablet may not reach: `only_this_computer`)."""
    configured = str(request.app.state.get("public_url") or "")
    return configured or str(request.base_url).rstrip("/")


def only_this_computer(base: str) -> bool:
    """Whether `base` names this computer only (localhost, 127.0.0.1, ::1): no tablet reaches it."""
    host = urlsplit(base).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
