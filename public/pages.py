"""The landing page at / (the first thing a newcomer opens): the competitions held here, and
where organisers and judges sign in, in Chinese first or English (`?lang=`).

It shows what anyone may already read through /api/public/competitions (names and keys; a
judge signing in with a PIN needs the competition's key), and each competition's results as
far as they are published (公示中 until the deadline, the final version, or not yet), with a
link to its results page (public/results_pages.py), and the public pages of its stages before the
final (public/before_final_links.py: a call for entries, a selection's notice or list, an online
board). No rounds, nothing before publication.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template
from sqlalchemy import func, select

from public.before_final_links import public_stage_links
from public.published import FINAL, NOTICE, PublicView, views_of_all
from public.results_text import local_time
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
    "results": ("成绩", "Results"),
    "results_none": ("尚未公布", "not published yet"),
    "results_notice": ("公示中，截止 {}", "public notice until {}"),
    "results_final": ("最终成绩 第 {} 版", "final results, version {}"),
    "results_withdrawn": ("公示已撤回更正", "notice withdrawn for a correction"),
    "results_link": ("查看成绩", "See the results"),
    "before_final": ("赛前", "Before the final"),
    "works_call": ("作品征集", "Call for entries"),
    "nomination_call": ("推荐评选", "Nominations"),
    "nomination_notice": ("公示名单", "Public notice"),
    "nomination_list": ("公布名单", "Published list"),
    "online_board": ("成绩榜：{}", "Board: {}"),
    "contestants": ("参赛选手", "Contestants"),
    "contestants_note": (
        "网上练兵与初赛：输入单位发给你的答题码，或打开单位发给你的链接。",
        "Online drills and preliminary papers: enter the code your unit gave you, or open the link it sent.",
    ),
    "contestant_code": ("输入答题码", "Enter your code"),
}


def page_text(lang: str) -> Any:
    """The translator for this page: its own words, then the shared ones."""
    shared = translator(lang)
    index = LANGS.index(lang)

    def t(key: str, *args: Any) -> str:
        return TEXT[key][index].format(*args) if key in TEXT else shared(key, *args)

    return t


def results_state(view: PublicView | None, lang: str) -> dict[str, Any]:
    """A competition's results as the landing page says them: the words and whether to link."""
    t = page_text(lang)
    if view is None or not view.published:
        return {"words": t("results_none"), "published": False, "kind": "none"}
    if view.withdrawn is not None:
        return {"words": t("results_withdrawn"), "published": True, "kind": "withdrawn"}
    shown = view.shown
    assert shown is not None  # published and not withdrawn
    if shown.kind == NOTICE:
        return {"words": t("results_notice", local_time(shown.deadline, lang)), "published": True, "kind": NOTICE}
    return {"words": t("results_final", shown.version), "published": True, "kind": FINAL}


class LandingPages(Controller):
    guards = [public_guard]  # noqa: RUF012

    @get("/", sync_to_thread=True, include_in_schema=False)  # a page, not part of the JSON API
    def home(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template:
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        with database.read() as db:
            views = views_of_all(db)
            rows = db.execute(
                select(Competition.id, Competition.key, Competition.name_zh, Competition.name_en, func.count(Event.id))
                .outerjoin(Event, Event.competition_id == Competition.id)
                .group_by(Competition.id, Competition.key, Competition.name_zh, Competition.name_en)
                .order_by(Competition.id)
            ).all()
            stages = public_stage_links(db, {row[0]: row[1] for row in rows})
        t = page_text(lang)
        competitions = [
            {
                "key": key,
                "name": zh if lang == "zh" else en,
                "events": events,
                "results": results_state(views.get(id_), lang),
                "stages": [
                    {"words": t(words, title[0 if lang == "zh" else 1] if title else ""), "href": href}
                    for words, title, href in stages.get(id_, [])
                ],
            }
            for id_, key, zh, en, events in rows
        ]
        return render_page(request, "public/home.html", competitions=competitions, t=t)
