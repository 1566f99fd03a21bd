"""Who may reach which route: every registered route, each role granted or refused as intended."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.helpers import RUBRICS
from tests.integration.world import COMPLETE, World, ok, sheet_body

ROLES = ["public", "organiser", "judge", "chief", "unseated", "quiz"]
# public routes that answer 404 for what is not published yet, as if it did not exist
HIDDEN_UNTIL_PUBLISHED = {
    "/api/public/rounds/{round_id:int}/codes",
    "/api/public/competitions/{key:str}/results",
    "/results/{key:str}",
    "/results/{key:str}/v/{version:str}",
    "/calls/{key:str}",
    "/online/results/{key:str}/{paper:str}",
}
# routes the matrix calls with input they must refuse (creating real things would change the world)
REFUSED_INPUT = {
    "/api/chief/rounds/{round_id:int}/lock",
    "/api/admin/competitions/from-template",
    "/api/admin/competitions/{key:str}/access/revoke",
    "/api/admin/competitions/{key:str}/judges",
    "/api/admin/rounds/{round_id:int}/publication",
    # an award the world does not have: the route is reached without printing through Chromium
    # (tests/integration/test_result_exports.py prints one)
    "/admin/competitions/{key:str}/awards/{award:str}/certificates.pdf",
    "/api/admin/rounds/{round_id:int}/official-values",
    # the world has no theory paper: a practical round's theory page is refused (409)
    "/admin/rounds/{round_id:int}/theory",
    "/api/admin/competitions/{key:str}/results/notice",
    "/api/admin/competitions/{key:str}/results/final",
    "/api/admin/competitions/{key:str}/results/withdraw",
    "/api/admin/competitions/{key:str}/results/corrections",
    "/api/admin/competitions/{key:str}/appeals",
    "/api/admin/competitions/{key:str}/appeals/{appeal_id:int}/decision",
    "/api/admin/competitions/{key:str}/organisation-awards",
    "/api/admin/competitions/{key:str}/publications/{seq:int}",
    "/api/appeals/{token:str}",
    "/appeal/{token:str}",
    # refused while not frozen (409): freezing is tried in tests/integration/test_live_boards.py
    "/api/admin/competitions/{key:str}/live/reveal",
    "/api/admin/competitions/{key:str}/live/unfreeze",
    "/api/quiz/rounds/{round_id:int}/undo",
    # the world's competition has no logo: every role reaches the route and is told so
    "/live/{key:str}/logo",
    # the world's rounds are scored, not judged by placing: a seated judge is told so (409)
    "/api/judge/placements/{round_id:int}",
    "/judge/placements/{round_id:int}",
    # selection by nomination: the world's competition has no call (every page says so), and the
    # unit's link is forged (tests/integration/test_nomination_*.py go through the whole flow)
    "/nominate/{token:str}",
    "/deliberation/{key:str}",
    "/admin/competitions/{key:str}/nominations/{nomination_id:int}/photo",
    "/nominations/{key:str}",
    "/nominations/{key:str}/notice",
    "/nominations/{key:str}/list",
    "/nominations/{key:str}/honourees/{nomination_id:int}",
    "/nominations/{key:str}/honourees/{nomination_id:int}/photo",
    # the world has no call for entries: no file to serve, no unit link (404)
    "/admin/competitions/{key:str}/works/files/{sha:str}",
    "/works/unit/{token:str}",
    "/works/unit/{token:str}/w/{key:str}",
    "/works/unit/{token:str}/files/{sha:str}",
    "/review/files/{call_id:int}/{sha:str}",
    # the online drills: a forged link names no one (404), the world has no bank or paper (409/404);
    # tests/integration/test_online_papers.py goes through them with real links
    "/api/online/{token:str}",
    "/api/online/{token:str}/papers/{paper:str}/start",
    "/api/online/{token:str}/attempts/{attempt_id:int}",
    "/api/online/{token:str}/attempts/{attempt_id:int}/answers/{question:str}",
    "/api/online/{token:str}/attempts/{attempt_id:int}/submit",
    "/online/c/{token:str}",
    "/online/c/{token:str}/attempts/{attempt_id:int}",
    "/online/u/{token:str}",
    "/api/admin/competitions/{key:str}/online/papers",
    "/api/admin/competitions/{key:str}/online/papers/{paper:str}/board",
    "/api/admin/competitions/{key:str}/online/papers/{paper:str}/finalists",
    "/api/admin/competitions/{key:str}/online/papers/{paper:str}/publish",
    "/api/admin/online/attempts/{attempt_id:int}",
}
OK = {200, 201, 302, 303}
SIGN_IN_PAGES = ("/admin/login", "/judge/pin", "/quiz/login")
EVERYONE = set(ROLES)
JUDGES = {"judge", "chief", "unseated"}  # every signed-in judge reaches a judge's page; the store decides
# Every registered route: a concrete request (its path's {names} are the world's ids, see `ids`)
# and the roles that may reach it.
ACCESS: dict[tuple[str, str], tuple[str, Any, set[str]]] = {
    ("GET", "/health"): ("/health", None, EVERYONE),
    ("GET", "/"): ("/", None, EVERYONE),
    ("GET", "/assets/pages.js"): ("/assets/pages.js", None, EVERYONE),
    ("GET", "/api/public/competitions"): ("/api/public/competitions", None, EVERYONE),
    ("POST", "/api/session"): ("/api/session", {"username": "org", "password": "correct horse"}, EVERYONE),
    ("DELETE", "/api/session"): ("/api/session", None, EVERYONE),
    ("POST", "/api/session/judge-pin"): ("/api/session/judge-pin", "PIN", EVERYONE),
    ("GET", "/judge/signin/{token:str}"): ("LINK", None, EVERYONE),
    ("GET", "/api/admin/competitions"): ("/api/admin/competitions", None, {"organiser"}),
    ("POST", "/api/admin/competitions"): ("/api/admin/competitions", "UPLOAD", {"organiser"}),
    ("GET", "/api/admin/rounds/{round_id:int}/panel"): ("/api/admin/rounds/{hydrant}/panel", None, {"organiser"}),
    ("PUT", "/api/admin/rounds/{round_id:int}/panel"): (
        "/api/admin/rounds/{hydrant}/panel",
        {"judges": ["e1", "e2"], "chief": "e2"},
        {"organiser"},
    ),
    ("POST", "/api/admin/judges/{judge_id:int}/access"): (
        "/api/admin/judges/{e5}/access",
        None,
        {"organiser"},
    ),
    ("POST", "/api/admin/rounds/{round_id:int}/draws"): (
        "/api/admin/rounds/{extinguisher}/draws",
        {"purpose": "order", "drawn_by": "张三"},
        {"organiser"},
    ),
    ("GET", "/api/admin/rounds/{round_id:int}/draws"): (
        "/api/admin/rounds/{extinguisher}/draws",
        None,
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/roster"): (
        "/api/admin/competitions/safety-culture-2023/roster?dry_run=true",
        "ROSTER",
        {"organiser"},
    ),
    ("GET", "/api/admin/events/{event_id:int}/rubric"): (
        "/api/admin/events/{quiz_event}/rubric",
        None,
        {"organiser"},
    ),
    ("PUT", "/api/admin/events/{event_id:int}/rubric"): (
        "/api/admin/events/{quiz_event}/rubric",
        "RUBRIC",
        {"organiser"},
    ),
    ("POST", "/api/admin/rounds/{round_id:int}/official-values"): (
        "/api/admin/rounds/{hydrant}/official-values",
        "VALUES",
        {"organiser"},
    ),
    ("POST", "/admin/rounds/{round_id:int}/official-values"): (
        "/admin/rounds/{hydrant}/official-values",
        "FORM:",
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/from-template"): (
        "/api/admin/competitions/from-template",
        {"template": "no-such-template", "key": "x1", "name_zh": "甲", "name_en": "X"},
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/judges"): (
        "/api/admin/competitions/no-such-competition/judges",
        {"key": "x1", "name": "X"},
        {"organiser"},
    ),
    ("POST", "/admin/competitions/from-template"): (
        "/admin/competitions/from-template",
        "FORM:template=none",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/judges"): (
        "/admin/competitions/safety-culture-2023/judges",
        "FORM:key=&name=",
        {"organiser"},
    ),
    ("GET", "/api/judge/assignments"): ("/api/judge/assignments", None, {"judge", "chief", "unseated"}),
    ("GET", "/api/chief/rounds/{round_id:int}/console"): ("/api/chief/rounds/{hydrant}/console", None, {"chief"}),
    # (the panel has not submitted: the chief reaches the route and is told what is missing)
    ("POST", "/api/chief/rounds/{round_id:int}/lock"): ("/api/chief/rounds/{hydrant}/lock", None, {"chief"}),
    ("POST", "/api/admin/competitions/{key:str}/quiz-masters"): (
        "/api/admin/competitions/safety-culture-2023/quiz-masters",
        {"username": "qm-matrix"},
        {"organiser"},
    ),
    ("POST", "/api/quiz/rounds/{round_id:int}/answers"): (
        "/api/quiz/rounds/{quiz_round}/answers",
        "ANSWER",
        {"quiz"},
    ),
    ("GET", "/api/quiz/rounds/{round_id:int}/scores"): (
        "/api/quiz/rounds/{quiz_round}/scores",
        None,
        {"quiz"},
    ),
    ("POST", "/api/quiz/rounds/{round_id:int}/questions"): (
        "/api/quiz/rounds/{quiz_round}/questions",
        "QUESTION",
        {"quiz"},
    ),
    ("POST", "/api/quiz/rounds/{round_id:int}/end"): ("/api/quiz/rounds/{quiz_round}/end", "CLIENT", {"quiz"}),
    # (the log is empty: the quiz master reaches the route and is told there is nothing to undo)
    ("POST", "/api/quiz/rounds/{round_id:int}/undo"): ("/api/quiz/rounds/{quiz_round}/undo", "CLIENT", {"quiz"}),
    ("GET", "/api/quiz/rounds/{round_id:int}/console"): ("/api/quiz/rounds/{quiz_round}/console", None, {"quiz"}),
    ("GET", "/quiz/login"): ("/quiz/login", None, EVERYONE),
    ("POST", "/quiz/login"): ("/quiz/login", "FORM:username=qm", EVERYONE),
    ("POST", "/quiz/logout"): ("/quiz/logout", "FORM:", EVERYONE),
    ("GET", "/quiz/console.js"): ("/quiz/console.js", None, EVERYONE),
    ("GET", "/quiz"): ("/quiz", None, {"quiz"}),
    ("GET", "/quiz/rounds/{round_id:int}"): ("/quiz/rounds/{quiz_round}", None, {"quiz"}),
    ("PATCH", "/api/admin/teams/{team_id:int}"): (
        "/api/admin/teams/1",
        {"name_zh": "安全监察部一队", "name_en": "Safety team 1", "unit": "d01"},
        {"organiser"},
    ),
    ("PATCH", "/api/admin/units/{unit_id:int}"): (
        "/api/admin/units/1",
        {"name_zh": "安全监察部", "name_en": "Safety"},
        {"organiser"},
    ),
    ("PATCH", "/api/admin/contestants/{contestant_id:int}"): (
        "/api/admin/contestants/2",
        {"name": "改名", "role": "member", "team": "s01"},
        {"organiser"},
    ),
    ("PATCH", "/api/admin/events/{event_id:int}"): (
        "/api/admin/events/{hydrant_event}",
        {"title_zh": "消火栓", "title_en": "Hydrant", "weight": "10"},
        {"organiser"},
    ),
    ("POST", "/api/admin/events/{event_id:int}/rounds"): (
        "/api/admin/events/{hydrant_event}/rounds",
        "ROUND",
        {"organiser"},
    ),
    ("POST", "/api/admin/rounds/{round_id:int}/publication"): (
        "/api/admin/rounds/{extinguisher}/publication",
        {"state": "final"},
        {"organiser"},
    ),
    ("GET", "/api/public/rounds/{round_id:int}/codes"): ("/api/public/rounds/{hydrant}/codes", None, set()),
    # results and their publication (the world has nothing locked: each action is refused)
    ("GET", "/api/admin/competitions/{key:str}/results"): (
        "/api/admin/competitions/safety-culture-2023/results",
        None,
        {"organiser"},
    ),
    ("GET", "/api/admin/competitions/{key:str}/appeal-links"): (
        "/api/admin/competitions/safety-culture-2023/appeal-links",
        None,
        {"organiser"},
    ),
    ("GET", "/api/admin/competitions/{key:str}/publications/{seq:int}"): (
        "/api/admin/competitions/safety-culture-2023/publications/1",
        None,
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/results/notice"): (
        "/api/admin/competitions/safety-culture-2023/results/notice",
        {"deadline": "2099-01-01T00:00:00+00:00"},
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/results/final"): (
        "/api/admin/competitions/safety-culture-2023/results/final",
        {},
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/results/withdraw"): (
        "/api/admin/competitions/safety-culture-2023/results/withdraw",
        {"reason": "x"},
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/results/corrections"): (
        "/api/admin/competitions/safety-culture-2023/results/corrections",
        {"rounds": [1], "reason": "x"},
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/appeals"): (
        "/api/admin/competitions/safety-culture-2023/appeals",
        {"team": "s01", "reason": "x"},
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/appeals/{appeal_id:int}/decision"): (
        "/api/admin/competitions/safety-culture-2023/appeals/999/decision",
        {"outcome": "upheld", "reason": "x"},
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/organisation-awards"): (
        "/api/admin/competitions/safety-culture-2023/organisation-awards",
        {"award": "none", "unit": "d01", "action": "give", "reason": "x"},
        {"organiser"},
    ),
    ("POST", "/api/appeals/{token:str}"): ("/api/appeals/1.dDAx.forged", "UPLOAD", EVERYONE),
    ("GET", "/appeal/{token:str}"): ("/appeal/1.dDAx.forged", None, EVERYONE),
    ("POST", "/appeal/{token:str}"): ("/appeal/1.dDAx.forged", "FORM:reason=x", EVERYONE),
    ("GET", "/api/online/{token:str}"): ("/api/online/1.cDAwMQ.forged", None, EVERYONE),
    ("POST", "/api/online/{token:str}/papers/{paper:str}/start"): (
        "/api/online/1.cDAwMQ.forged/papers/prelim/start",
        "CLIENT",
        EVERYONE,
    ),
    ("GET", "/api/online/{token:str}/attempts/{attempt_id:int}"): (
        "/api/online/1.cDAwMQ.forged/attempts/1",
        None,
        EVERYONE,
    ),
    ("PUT", "/api/online/{token:str}/attempts/{attempt_id:int}/answers/{question:str}"): (
        "/api/online/1.cDAwMQ.forged/attempts/1/answers/s01",
        {"answer": "A", "client_id": "c1"},
        EVERYONE,
    ),
    ("POST", "/api/online/{token:str}/attempts/{attempt_id:int}/submit"): (
        "/api/online/1.cDAwMQ.forged/attempts/1/submit",
        None,
        EVERYONE,
    ),
    ("GET", "/online/paper.js"): ("/online/paper.js", None, EVERYONE),
    ("GET", "/online"): ("/online", None, EVERYONE),
    ("POST", "/online"): ("/online", "FORM:competition=safety-culture-2023&code=CODE", EVERYONE),
    ("GET", "/online/c/{token:str}"): ("/online/c/1.cDAwMQ.forged", None, EVERYONE),
    ("POST", "/online/c/{token:str}/papers/{paper:str}/start"): (
        "/online/c/1.cDAwMQ.forged/papers/prelim/start",
        "FORM:client_id=c1",
        EVERYONE,
    ),
    ("GET", "/online/c/{token:str}/attempts/{attempt_id:int}"): (
        "/online/c/1.cDAwMQ.forged/attempts/1",
        None,
        EVERYONE,
    ),
    ("POST", "/online/c/{token:str}/attempts/{attempt_id:int}/submit"): (
        "/online/c/1.cDAwMQ.forged/attempts/1/submit",
        "FORM:",
        EVERYONE,
    ),
    ("GET", "/online/u/{token:str}"): ("/online/u/1.ZDAx.forged", None, EVERYONE),
    ("GET", "/online/results/{key:str}/{paper:str}"): ("/online/results/safety-culture-2023/prelim", None, set()),
    ("POST", "/api/admin/competitions/{key:str}/online/bank"): (
        "/api/admin/competitions/safety-culture-2023/online/bank",
        "UPLOAD",
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/online/papers"): (
        "/api/admin/competitions/safety-culture-2023/online/papers",
        {"key": "prelim", "kind": "preliminary", "title_zh": "初赛", "questions": ["s01"], "time_limit_minutes": 5},
        {"organiser"},
    ),
    ("GET", "/api/admin/competitions/{key:str}/online"): (
        "/api/admin/competitions/safety-culture-2023/online",
        None,
        {"organiser"},
    ),
    ("GET", "/api/admin/competitions/{key:str}/online/papers/{paper:str}/board"): (
        "/api/admin/competitions/safety-culture-2023/online/papers/prelim/board",
        None,
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/online/papers/{paper:str}/finalists"): (
        "/api/admin/competitions/safety-culture-2023/online/papers/prelim/finalists",
        {"rule": "top_overall", "value": "3", "target": "final"},
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/online/papers/{paper:str}/publish"): (
        "/api/admin/competitions/safety-culture-2023/online/papers/prelim/publish",
        None,
        {"organiser"},
    ),
    ("GET", "/api/admin/competitions/{key:str}/online/links"): (
        "/api/admin/competitions/safety-culture-2023/online/links",
        None,
        {"organiser"},
    ),
    ("GET", "/api/admin/online/attempts/{attempt_id:int}"): ("/api/admin/online/attempts/1", None, {"organiser"}),
    ("GET", "/admin/competitions/{key:str}/online"): (
        "/admin/competitions/safety-culture-2023/online",
        None,
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/online/bank"): (
        "/admin/competitions/safety-culture-2023/online/bank",
        "FORM:",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/online/papers"): (
        "/admin/competitions/safety-culture-2023/online/papers",
        "FORM:key=prelim&kind=preliminary",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/online/papers/{paper:str}/finalists"): (
        "/admin/competitions/safety-culture-2023/online/papers/prelim/finalists",
        "FORM:rule=top_overall&value=3&target=final",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/online/papers/{paper:str}/publish"): (
        "/admin/competitions/safety-culture-2023/online/papers/prelim/publish",
        "FORM:",
        {"organiser"},
    ),
    ("GET", "/admin/competitions/{key:str}/online/links.csv"): (
        "/admin/competitions/safety-culture-2023/online/links.csv",
        None,
        {"organiser"},
    ),
    ("GET", "/admin/competitions/{key:str}/results"): (
        "/admin/competitions/safety-culture-2023/results",
        None,
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/results/notice"): (
        "/admin/competitions/safety-culture-2023/results/notice",
        "FORM:deadline=x",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/results/final"): (
        "/admin/competitions/safety-culture-2023/results/final",
        "FORM:",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/results/withdraw"): (
        "/admin/competitions/safety-culture-2023/results/withdraw",
        "FORM:reason=",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/appeals/{appeal_id:int}/decision"): (
        "/admin/competitions/safety-culture-2023/appeals/999/decision",
        "FORM:outcome=upheld&reason=x",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/organisation-awards"): (
        "/admin/competitions/safety-culture-2023/organisation-awards",
        "FORM:award=none&unit=d01&action=give&reason=x",
        {"organiser"},
    ),
    # published results (public/results_pages.py): nothing of the world's competition is published
    ("GET", "/api/public/competitions/{key:str}/results"): (
        "/api/public/competitions/safety-culture-2023/results",
        None,
        set(),
    ),
    ("GET", "/results/{key:str}"): ("/results/safety-culture-2023", None, set()),
    ("GET", "/live/{key:str}/board.json"): ("/live/safety-culture-2023/board.json", None, EVERYONE),
    ("GET", "/api/admin/competitions/{key:str}/live"): (
        "/api/admin/competitions/safety-culture-2023/live",
        None,
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/live/freeze"): (
        "/api/admin/competitions/safety-culture-2023/live/freeze",
        None,
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/live/reveal"): (
        "/api/admin/competitions/safety-culture-2023/live/reveal",
        {"by": "entry"},
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/live/unfreeze"): (
        "/api/admin/competitions/safety-culture-2023/live/unfreeze",
        None,
        {"organiser"},
    ),
    ("GET", "/results/{key:str}/v/{version:str}"): ("/results/safety-culture-2023/v/1", None, set()),
    # the live pages (live/pages.py; the provisional view is tried in tests/integration/test_live_pages.py)
    ("GET", "/live/{key:str}"): ("/live/safety-culture-2023", None, EVERYONE),
    ("GET", "/live/{key:str}/screen"): ("/live/safety-culture-2023/screen", None, EVERYONE),
    ("GET", "/live/{key:str}/quiz/{round_id:int}"): ("/live/safety-culture-2023/quiz/{quiz_round}", None, EVERYONE),
    ("GET", "/live/{key:str}/logo"): ("/live/safety-culture-2023/logo", None, EVERYONE),
    ("GET", "/live/assets/board.js"): ("/live/assets/board.js", None, EVERYONE),
    ("GET", "/admin/competitions/{key:str}/live"): (
        "/admin/competitions/safety-culture-2023/live",
        None,
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/live/freeze"): (
        "/admin/competitions/safety-culture-2023/live/freeze",
        "FORM:",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/live/reveal"): (
        "/admin/competitions/safety-culture-2023/live/reveal",
        "FORM:by=entry",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/live/unfreeze"): (
        "/admin/competitions/safety-culture-2023/live/unfreeze",
        "FORM:",
        {"organiser"},
    ),
    ("GET", "/public/results.css"): ("/public/results.css", None, EVERYONE),
    ("GET", "/admin/competitions/{key:str}/charts/{event:str}"): (
        "/admin/competitions/safety-culture-2023/charts/hydrant",
        None,
        {"organiser"},
    ),
    ("GET", "/admin/rounds/{round_id:int}/severity"): (
        "/admin/rounds/{hydrant}/severity?format=png",
        None,
        {"organiser"},
    ),
    # organiser pages
    ("GET", "/admin/competitions/{key:str}/people"): (
        "/admin/competitions/safety-culture-2023/people",
        None,
        {"organiser"},
    ),
    ("POST", "/admin/teams/{team_id:int}"): (
        "/admin/teams/1",
        "FORM:name_zh=一队&name_en=T1&unit=d01",
        {"organiser"},
    ),
    ("POST", "/admin/units/{unit_id:int}"): (
        "/admin/units/1",
        "FORM:name_zh=安全监察部&name_en=Safety",
        {"organiser"},
    ),
    ("POST", "/admin/contestants/{contestant_id:int}"): (
        "/admin/contestants/2",
        "FORM:name=乙&role=member&team=s01",
        {"organiser"},
    ),
    ("GET", "/judge/pin"): ("/judge/pin", None, EVERYONE),
    ("POST", "/judge/pin"): ("/judge/pin", "FORM:competition=safety-culture-2023&judge=e3&pin=000000", EVERYONE),
    ("GET", "/judge/sw.js"): ("/judge/sw.js", None, EVERYONE),
    ("GET", "/judge/sheet.js"): ("/judge/sheet.js", None, EVERYONE),
    ("GET", "/judge/marks.js"): ("/judge/marks.js", None, EVERYONE),
    ("GET", "/judge/home.js"): ("/judge/home.js", None, EVERYONE),
    ("GET", "/judge"): ("/judge", None, {"judge", "chief", "unseated"}),
    ("GET", "/judge/rounds/{round_id:int}/{entry:str}"): ("/judge/rounds/{hydrant}/s05", None, {"judge", "chief"}),
    ("GET", "/judge/rounds/{round_id:int}/paper"): ("/judge/rounds/{hydrant}/paper", None, {"chief"}),
    ("GET", "/judge/console/{round_id:int}"): ("/judge/console/{hydrant}", None, {"chief"}),
    ("GET", "/judge/console.js"): ("/judge/console.js", None, EVERYONE),
    ("GET", "/judge/attempts.js"): ("/judge/attempts.js", None, EVERYONE),
    ("GET", "/judge/desk.js"): ("/judge/desk.js", None, EVERYONE),
    ("GET", "/judge/rounds/{round_id:int}/desk"): ("/judge/rounds/{hydrant}/desk", None, {"chief"}),
    ("GET", "/judge/console/{round_id:int}/results"): ("/judge/console/{hydrant}/results", None, {"chief"}),
    ("GET", "/judge/console/{round_id:int}/severity.svg"): ("/judge/console/{hydrant}/severity.svg", None, {"chief"}),
    ("POST", "/judge/console/{round_id:int}/appeals/{appeal_id:int}"): (
        "/judge/console/{hydrant}/appeals/999999",
        "FORM:outcome=upheld&reason=x",
        {"chief"},
    ),
    ("POST", "/admin/rounds/{round_id:int}/publication"): (
        "/admin/rounds/{extinguisher}/publication",
        "FORM:state=final",
        {"organiser"},
    ),
    ("POST", "/admin/events/{event_id:int}/rubric"): (
        "/admin/events/{hydrant_event}/rubric",
        "FORM:",
        {"organiser"},
    ),
    ("GET", "/admin/events/{event_id:int}"): ("/admin/events/{hydrant_event}", None, {"organiser"}),
    ("POST", "/admin/events/{event_id:int}"): (
        "/admin/events/{hydrant_event}",
        "FORM:title_zh=消火栓&title_en=Hydrant&weight=10",
        {"organiser"},
    ),
    ("POST", "/admin/events/{event_id:int}/rounds"): (
        "/admin/events/{hydrant_event}/rounds",
        "FORM:key=",
        {"organiser"},
    ),  # (a refused public visitor is sent to the sign-in page)
    ("GET", "/admin/login"): ("/admin/login", None, EVERYONE),
    ("POST", "/admin/login"): ("/admin/login", "FORM:username=org&password=correct horse", EVERYONE),
    ("POST", "/admin/logout"): ("/admin/logout", "FORM:", EVERYONE),
    ("GET", "/admin"): ("/admin", None, {"organiser"}),
    ("POST", "/admin/competitions"): ("/admin/competitions", "FORM:", {"organiser"}),
    ("GET", "/admin/competitions/{key:str}"): ("/admin/competitions/safety-culture-2023", None, {"organiser"}),
    # result downloads and certificates
    ("GET", "/admin/competitions/{key:str}/results.xlsx"): (
        "/admin/competitions/safety-culture-2023/results.xlsx",
        None,
        {"organiser"},
    ),
    ("GET", "/admin/competitions/{key:str}/results.csv"): (
        "/admin/competitions/safety-culture-2023/results.csv",
        None,
        {"organiser"},
    ),
    ("GET", "/admin/competitions/{key:str}/results.json"): (
        "/admin/competitions/safety-culture-2023/results.json?view=published",
        None,
        {"organiser"},
    ),
    ("GET", "/admin/competitions/{key:str}/awards/{award:str}/certificates"): (
        "/admin/competitions/safety-culture-2023/awards/first/certificates",
        None,
        {"organiser"},
    ),
    ("GET", "/admin/competitions/{key:str}/awards/{award:str}/certificates.pdf"): (
        "/admin/competitions/safety-culture-2023/awards/no-such-award/certificates.pdf",
        None,
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/roster"): (
        "/admin/competitions/safety-culture-2023/roster",
        "FORM:",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/roster/confirm"): (
        "/admin/competitions/safety-culture-2023/roster/confirm",
        "FORM:token=x",
        {"organiser"},
    ),
    # the judges' cards: printing (an unknown competition), reissuing and revoking unconfirmed (refused)
    ("POST", "/admin/competitions/{key:str}/access-cards"): (
        "/admin/competitions/no-such-competition/access-cards",
        "FORM:",
        {"organiser"},
    ),
    ("GET", "/admin/competitions/{key:str}/access-cards"): (
        "/admin/competitions/safety-culture-2023/access-cards",
        None,
        {"organiser"},
    ),
    ("GET", "/admin/judges/{judge_id:int}/reissue"): ("/admin/judges/{e5}/reissue", None, {"organiser"}),
    ("POST", "/admin/judges/{judge_id:int}/reissue"): ("/admin/judges/{e5}/reissue", "FORM:reason=x", {"organiser"}),
    ("GET", "/admin/competitions/{key:str}/revoke-access"): (
        "/admin/competitions/safety-culture-2023/revoke-access",
        None,
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/revoke-access"): (
        "/admin/competitions/safety-culture-2023/revoke-access",
        "FORM:confirm=no&reason=",
        {"organiser"},
    ),
    ("POST", "/api/admin/competitions/{key:str}/access/revoke"): (
        "/api/admin/competitions/safety-culture-2023/access/revoke",
        {"confirm": "no", "reason": "x"},
        {"organiser"},
    ),
    ("GET", "/admin/rounds/{round_id:int}"): ("/admin/rounds/{extinguisher}", None, {"organiser"}),
    ("GET", "/admin/rounds/{round_id:int}/theory"): ("/admin/rounds/{extinguisher}/theory", None, {"organiser"}),
    ("POST", "/admin/rounds/{round_id:int}/panel"): (
        "/admin/rounds/{extinguisher}/panel",
        "FORM:judges=e6",
        {"organiser"},
    ),
    ("POST", "/admin/rounds/{round_id:int}/draws"): (
        "/admin/rounds/{extinguisher}/draws",
        "FORM:purpose=order&drawn_by=Li",
        {"organiser"},
    ),
    ("GET", "/admin/events/{event_id:int}/rubric"): (
        "/admin/events/{hydrant_event}/rubric",
        None,
        {"organiser"},
    ),
    ("GET", "/api/judge/sheets/{round_id:int}/{entry:str}"): (
        "/api/judge/sheets/{hydrant}/s03",
        None,
        {"judge", "chief"},
    ),
    ("PUT", "/api/judge/sheets/{round_id:int}/{entry:str}"): (
        "/api/judge/sheets/{hydrant}/s03",
        "SHEET",
        {"judge", "chief"},
    ),
    ("POST", "/api/chief/sheets/{round_id:int}/{entry:str}/{judge:str}"): (
        "/api/chief/sheets/{hydrant}/s04/e1",
        "TRANSCRIBE",
        {"chief"},
    ),
    ("POST", "/api/judge/sheets/{round_id:int}/{entry:str}/claim"): (
        "/api/judge/sheets/{hydrant}/s12/claim",
        {"device": "matrix-tablet"},
        {"judge", "chief"},
    ),
    ("GET", "/api/chief/sheets/{round_id:int}/{entry:str}/{judge:str}"): (
        "/api/chief/sheets/{hydrant}/s12/e1",
        None,
        {"chief"},
    ),
    ("POST", "/api/chief/sheets/{round_id:int}/{entry:str}/{judge:str}/release"): (
        "/api/chief/sheets/{hydrant}/s12/e1/release",
        {"reason": "tablet broke"},
        {"chief"},
    ),
    # (a file with a row for a judge off the panel: the chief reaches the route and is told)
    ("POST", "/api/chief/rounds/{round_id:int}/transcriptions"): (
        "/api/chief/rounds/{hydrant}/transcriptions",
        "PAPER",
        {"chief"},
    ),
    ("GET", "/api/chief/rounds/{round_id:int}/desk"): ("/api/chief/rounds/{hydrant}/desk", None, {"chief"}),
    ("PUT", "/api/chief/rounds/{round_id:int}/desk/{entry:str}"): (
        "/api/chief/rounds/{hydrant}/desk/s06",
        {"base_version": 0, "client_id": "matrix-desk-0001", "values": {"time": "38.5"}},
        {"chief"},
    ),
    ("GET", "/judge/placements.js"): ("/judge/placements.js", None, EVERYONE),
    ("GET", "/judge/placements/{round_id:int}"): ("/judge/placements/{hydrant}", None, {"judge", "chief"}),
    ("GET", "/api/judge/placements/{round_id:int}"): ("/api/judge/placements/{hydrant}", None, {"judge", "chief"}),
    ("PUT", "/api/judge/placements/{round_id:int}"): (
        "/api/judge/placements/{hydrant}",
        {"action": "save", "client_id": "matrix-order-0001", "base_versions": {"s01": 0}},
        {"judge", "chief"},
    ),
    # selection by nomination (nominations/, organiser/nomination_pages.py, public/nomination_pages.py)
    ("GET", "/nominate/{token:str}"): ("/nominate/1.ZDAx.forged", None, EVERYONE),
    ("POST", "/nominate/{token:str}"): ("/nominate/1.ZDAx.forged", "FORM:name=x", EVERYONE),
    ("GET", "/deliberation/{key:str}"): ("/deliberation/safety-culture-2023", None, JUDGES),
    ("POST", "/deliberation/{key:str}"): ("/deliberation/safety-culture-2023", "FORM:vote_1=approve", JUDGES),
    ("GET", "/admin/competitions/{key:str}/nominations"): (
        "/admin/competitions/safety-culture-2023/nominations",
        None,
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/nominations/call"): (
        "/admin/competitions/safety-culture-2023/nominations/call",
        "FORM:title_zh=",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/nominations/close"): (
        "/admin/competitions/safety-culture-2023/nominations/close",
        "FORM:",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/nominations/notice"): (
        "/admin/competitions/safety-culture-2023/nominations/notice",
        "FORM:deadline=x",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/nominations/objections/{objection_id:int}/decision"): (
        "/admin/competitions/safety-culture-2023/nominations/objections/999/decision",
        "FORM:outcome=upheld&reason=x",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/nominations/final"): (
        "/admin/competitions/safety-culture-2023/nominations/final",
        "FORM:",
        {"organiser"},
    ),
    ("GET", "/admin/competitions/{key:str}/nominations/{nomination_id:int}/photo"): (
        "/admin/competitions/safety-culture-2023/nominations/1/photo",
        None,
        {"organiser"},
    ),
    ("GET", "/nominations/{key:str}"): ("/nominations/safety-culture-2023", None, EVERYONE),
    ("GET", "/nominations/{key:str}/notice"): ("/nominations/safety-culture-2023/notice", None, EVERYONE),
    ("POST", "/nominations/{key:str}/notice"): (
        "/nominations/safety-culture-2023/notice",
        "FORM:nomination=1&name=a&contact=b&reason=c",
        EVERYONE,
    ),
    ("GET", "/nominations/{key:str}/list"): ("/nominations/safety-culture-2023/list", None, EVERYONE),
    ("GET", "/nominations/{key:str}/honourees/{nomination_id:int}"): (
        "/nominations/safety-culture-2023/honourees/1",
        None,
        EVERYONE,
    ),
    ("GET", "/nominations/{key:str}/honourees/{nomination_id:int}/photo"): (
        "/nominations/safety-culture-2023/honourees/1/photo",
        None,
        EVERYONE,
    ),
    # the call for entries (issue 13 part 2): the world's competition has no call, so the
    # organiser's forms are refused (404) and a forged unit link is no link
    ("GET", "/admin/competitions/{key:str}/works"): (
        "/admin/competitions/safety-culture-2023/works",
        None,
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/works/call"): (
        "/admin/competitions/safety-culture-2023/works/call",
        "FORM:title_zh=",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/works/{work:str}/decision"): (
        "/admin/competitions/safety-culture-2023/works/W001/decision",
        "FORM:eligible=1",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/works/experts"): (
        "/admin/competitions/safety-culture-2023/works/experts",
        "FORM:experts=e1 d01 extra",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/works/conflicts"): (
        "/admin/competitions/safety-culture-2023/works/conflicts",
        "FORM:judge=zz&work=W001",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/works/assign"): (
        "/admin/competitions/safety-culture-2023/works/assign",
        "FORM:",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/works/add-expert"): (
        "/admin/competitions/safety-culture-2023/works/add-expert",
        "FORM:judge=e1&work=W001",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/works/shortlist"): (
        "/admin/competitions/safety-culture-2023/works/shortlist",
        "FORM:rule=rank&value=1",
        {"organiser"},
    ),
    ("POST", "/admin/competitions/{key:str}/works/shortlist/publish"): (
        "/admin/competitions/safety-culture-2023/works/shortlist/publish",
        "FORM:",
        {"organiser"},
    ),
    ("GET", "/admin/competitions/{key:str}/works/files/{sha:str}"): (
        "/admin/competitions/safety-culture-2023/works/files/0000000000000000000000000000000000000000000000000000000000000000",
        None,
        {"organiser"},
    ),
    ("GET", "/works/unit/{token:str}"): ("/works/unit/1.dTAx.forged", None, EVERYONE),
    ("POST", "/works/unit/{token:str}"): ("/works/unit/1.dTAx.forged", "FORM:title=x", EVERYONE),
    ("GET", "/works/unit/{token:str}/w/{key:str}"): ("/works/unit/1.dTAx.forged/w/W001", None, EVERYONE),
    ("POST", "/works/unit/{token:str}/w/{key:str}"): ("/works/unit/1.dTAx.forged/w/W001", "FORM:title=x", EVERYONE),
    ("GET", "/works/unit/{token:str}/files/{sha:str}"): (
        "/works/unit/1.dTAx.forged/files/0000000000000000000000000000000000000000000000000000000000000000",
        None,
        EVERYONE,
    ),
    ("GET", "/review"): ("/review", None, {"judge", "chief", "unseated"}),
    ("GET", "/review/files/{call_id:int}/{sha:str}"): (
        "/review/files/1/0000000000000000000000000000000000000000000000000000000000000000",
        None,
        {"judge", "chief", "unseated"},
    ),
    ("GET", "/api/review/works"): ("/api/review/works", None, {"judge", "chief", "unseated"}),
    ("GET", "/calls/{key:str}"): ("/calls/safety-culture-2023", None, set()),  # no call: hidden
}


def ids(world: World) -> dict[str, int]:
    """The world's ids, by the names the table's paths use."""
    return {
        "hydrant": world.hydrant,
        "extinguisher": world.extinguisher,
        "quiz_round": world.quiz_round,
        "quiz_event": world.event_ids["quiz"],
        "hydrant_event": world.event_ids["hydrant"],
        "e5": world.judge_ids["e5"],
    }


def test_every_registered_route_has_an_access_rule(world):
    registered = {
        (m, r.path)
        for r in world.app.routes
        for m in getattr(r, "methods", ())
        if m not in ("OPTIONS", "HEAD") and not r.path.startswith("/schema")
    }
    assert registered == set(ACCESS), (
        f"routes without an access rule: {registered - set(ACCESS)}; rules without a route: {set(ACCESS) - registered}"
    )


# sign-in routes replace the caller's session: every role calls them on a client of its own
CHANGES_SESSION = {
    "/api/session",
    "/api/session/judge-pin",
    "/judge/signin/{token:str}",
    "/admin/login",
    "/admin/logout",
    "/judge/pin",
    "/quiz/login",
    "/quiz/logout",
}


def call_as(world: World, role: str, method: str, template: str, path: str, body: Any) -> Any:
    """The table's request for one route, sent as `role`; the response."""
    client = world.client() if role == "public" or template in CHANGES_SESSION else world.by_role()[role]
    target, payload, files = path.format(**ids(world)), body, None
    if path == "LINK":
        target = world.access["e4"]["link"]
    if body == "PIN":
        payload = {"competition": "safety-culture-2023", "judge": "e3", "pin": world.access["e3"]["pin"]}
    if body == "SHEET":
        payload = sheet_body()
    if body == "ROUND":
        payload = {"key": f"r{uuid.uuid4().hex[:8]}"}
    if body == "QUESTION":
        payload = {"number": 1, "type": "buzzer", "client_id": uuid.uuid4().hex}
    if body == "CLIENT":
        payload = {"client_id": uuid.uuid4().hex}
    if body == "ANSWER":
        payload = {"team": "s01", "type": "必答", "outcome": "对", "client_id": uuid.uuid4().hex}
    if body == "TRANSCRIBE":
        payload = {
            "action": "transcribe",
            "base_version": 0,
            "client_id": uuid.uuid4().hex,
            "marks": COMPLETE,
            "device": role,
        }
        target = f"/api/chief/sheets/{world.hydrant}/s{ROLES.index(role) + 4:02d}/e1"
    if body == "UPLOAD":
        payload, files = None, {"competition": ("c.toml", b"not toml [")}
    if body == "PAPER":
        payload, files = None, {"marks": ("paper.csv", "entry,judge,criterion,value\ns01,zz,lay_hose,12\n")}
    if body == "ROSTER":
        payload, files = (
            None,
            {"roster": ("r.csv", "unit,team,contestant,name,role\nd01,s01,p900,张三,member\n")},
        )
    if body == "VALUES":  # an unknown entry: refused whole, nothing stored
        payload, files = None, {"values": ("v.csv", "entry,attempt,judge,criterion,value\nzz,,,lay_hose,12\n")}
    if body == "RUBRIC":
        payload, files = None, {"rubric": ("quiz.toml", (RUBRICS / "safety_quiz.toml").read_bytes())}
    form = None
    headers = {}
    if isinstance(body, str) and body.startswith("FORM:"):
        ok(client.get("/admin/login"))  # the CSRF cookie
        headers = {"x-csrftoken": client.cookies.get("csrftoken", "")}
        form = dict(pair.split("=", 1) for pair in body[5:].split("&") if pair)
        if template == "/judge/pin":
            form["pin"] = world.access["e3"]["pin"]
        if template == "/quiz/login":  # a quiz master of its own, signed in for real
            username = f"qm-{uuid.uuid4().hex[:8]}"
            made = ok(
                world.organiser.post(
                    "/api/admin/competitions/safety-culture-2023/quiz-masters", json={"username": username}
                ),
                201,
            )
            form = {"username": username, "password": made["password"]}
        if template == "/online":  # a contestant's own typed code, as their unit hands it out
            links = ok(world.organiser.get("/api/admin/competitions/safety-culture-2023/online/links"))
            form["code"] = links["contestants"][0]["code"]
        payload = None
    return client.request(method, target, json=payload, data=form, files=files, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("route", list(ACCESS), ids=[f"{method} {template}" for method, template in ACCESS])
def test_the_route_grants_and_refuses_each_role_as_intended(world, route):
    """Every role is tried on its own world's route, and every role that is wrong is named."""
    method, template = route
    path, body, allowed = ACCESS[route]
    wrong = []
    for role in ROLES:
        response = call_as(world, role, method, template, path, body)
        status = response.status_code
        if status >= 500:
            wrong.append((method, template, role, response.text))
        elif role not in allowed:
            to_login = status in (302, 303) and response.headers.get("location") in SIGN_IN_PAGES
            hidden = template in HIDDEN_UNTIL_PUBLISHED and status == 404
            if not (status in (401, 403) or to_login or hidden):
                wrong.append((method, template, role, status, response.text))
        elif isinstance(body, str) and body.startswith("FORM:") and template not in CHANGES_SESSION:
            if not (status not in (401, 403) and response.headers.get("location") != "/admin/login"):
                wrong.append((method, template, role, status))
        elif body in ("UPLOAD", "PAPER") or template in REFUSED_INPUT:
            if status not in (404, 409, 422):  # reached; the bad input refused
                wrong.append((method, template, role, status))
        elif status not in OK:
            wrong.append((method, template, role, status, response.text))
    assert not wrong, "\n".join(str(w) for w in wrong)
