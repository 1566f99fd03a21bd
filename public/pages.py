"""The landing page at / (the first thing a newcomer opens): the competitions held here, and
where organisers and judges sign in, in Chinese first or English (`?lang=`).

It shows what anyone may already read through /api/public/competitions (names and keys; a
judge signing in with a PIN needs the competition's key) and nothing else: no rounds, no
results before they are published.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template
from sqlalchemy import func, select

from scoring.store.models import Competition, Event
from web.auth import public_guard
from web.database import InjectedDatabase
from web.i18n import LANGS, language_of, translator
from web.pages import render_page

# the landing page's own words, zh then en (the shared ones come from web/i18n.py)
TEXT: dict[str, tuple[str, str]] = {
    "welcome": (
        "供技能竞赛的组织者、评委和裁判长使用：评分细则、评委平板评分、裁判长控制台。",
        "For the organisers, judges and chief judges of skill competitions: rubrics, scoring on tablets, "
        "the chief judge's console.",
    ),
    "held_here": ("本系统中的竞赛", "Competitions on this server"),
    "none_yet": (
        "还没有竞赛。组织者登录后即可创建。",
        "No competition yet. An organiser creates one after signing in.",
    ),
    "events_n": ("个赛项", "events"),
    "organisers": ("组织者", "Organisers"),
    "organisers_note": (
        "上传竞赛文件与评分细则、导入名单、设置评委组与裁判长、抽签、打印评委登录二维码。",
        "Create competitions from their files, import rosters, seat panels and chief judges, "
        "draw lots, print the judges' sign-in QR codes.",
    ),
    "judges": ("评委与裁判长", "Judges and chief judges"),
    "judges_note": (
        "扫描组织者发的二维码即可登录；也可输入竞赛编号、评委编号和 PIN。",
        "Scan the QR code the organiser gave you to sign in, or enter the competition key, your judge key and PIN.",
    ),
    "judge_pin": ("用 PIN 登录", "Sign in with a PIN"),
    "api": ("接口文档（JSON API）", "API documentation (JSON)"),
}


def page_text(lang: str) -> Any:
    """The translator for this page: its own words, then the shared ones."""
    shared = translator(lang)
    index = LANGS.index(lang)

    def t(key: str, *args: Any) -> str:
        return TEXT[key][index] if key in TEXT else shared(key, *args)

    return t


class LandingPages(Controller):
    guards = [public_guard]  # noqa: RUF012

    @get("/", sync_to_thread=True, include_in_schema=False)  # a page, not part of the JSON API
    def home(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template:
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        with database.read() as db:
            rows = db.execute(
                select(Competition.key, Competition.name_zh, Competition.name_en, func.count(Event.id))
                .outerjoin(Event, Event.competition_id == Competition.id)
                .group_by(Competition.id, Competition.key, Competition.name_zh, Competition.name_en)
                .order_by(Competition.id)
            ).all()
        competitions = [
            {"key": key, "name": zh if lang == "zh" else en, "events": events} for key, zh, en, events in rows
        ]
        return render_page(request, "public/home.html", competitions=competitions, t=page_text(lang))
