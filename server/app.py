"""The one place the web app is wired together: database, sessions, CSRF, routes, errors.

The areas' controllers are listed here and nowhere else; the `database` dependency (one
transaction per use case, web/database.py) is registered for every route.

Routes are grouped by audience, each group behind its guard: /admin and /api/admin
(organisers), /api/judge and /api/chief (judges; chief rights are checked per round),
/api/quiz (quiz masters, of their own competition), sign-in routes and /api/public (anyone).
The landing page is / (public/pages.py), published results /results/{key}
(public/results_pages.py). The OpenAPI document is at /schema, rendered by
Swagger UI from the files of the swagger-ui-bundle-v2 package, served here under
/schema/assets: the documentation needs no internet (at a venue there often is none).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import anyio
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from swagger_ui_bundle import swagger_ui_path

from judges.chief_api import ChiefController
from judges.desk_api import DeskController
from judges.desk_pages import DeskPages
from judges.judge_api import JudgeController
from judges.pages import JudgePages, JudgeSignInPages
from judges.placement_api import PlacementController
from judges.placement_pages import PlacementPages
from judges.result_pages import ChiefResultPages
from live.pages import LivePages
from live.routes import LiveController, start_live_hub, stop_live_hub
from nominations.ballot_pages import BallotPages
from nominations.unit_pages import UnitNominationPages
from online.api import OnlineController
from online.pages import OnlinePages
from organiser.access_pages import AccessCardPages
from organiser.api import AdminController
from organiser.competition_pages import CompetitionPages
from organiser.corrections_api import CorrectionsController
from organiser.live_api import LiveControlController
from organiser.live_pages import LiveConsolePages
from organiser.nomination_pages import NominationAdminPages
from organiser.online_api import OnlineAdminController
from organiser.online_pages import OnlineAdminPages
from organiser.people_pages import PeoplePages
from organiser.result_charts import ResultChartPages
from organiser.result_exports import ResultExports
from organiser.results_api import ResultsController
from organiser.results_pages import OrganiserResultsPages
from organiser.round_pages import RoundPages
from organiser.sign_in_pages import AdminLoginPages
from organiser.theory_pages import TheoryPages
from organiser.works_pages import WorksPages
from public.api import PublicController
from public.appeals import AppealController
from public.nomination_pages import PublicNominationPages
from public.pages import LandingPages
from public.results_pages import PublicResultsPages
from public.works_pages import PublicCallPages
from quiz.api import QuizController
from quiz.pages import QuizPages, QuizSignInPages
from scoring.store.database import make_engine, migrate, private_dir, session_factory
from server.settings import Settings
from web.channels import announce_live_changes, channels_plugin, remember_loop
from web.database import Database, provide_database
from web.headers import AssetsController, security_headers
from web.origin import same_origin_writes
from web.problem_bodies import HANDLERS
from web.requests import ReadableRequest
from web.results_feed import ResultsFeed
from web.security import AttemptLimiter, audit_key, load_secret
from web.session_cookie import QuietCookieConfig
from web.signin_api import AuthController
from works.expert_pages import ExpertReviewApi, ExpertReviewPages
from works.unit_pages import UnitWorkPages

SESSION_HOURS = 12
ROOT = Path(__file__).resolve().parent.parent
AREAS = ("web", "organiser", "judges", "public", "quiz", "live", "nominations", "works", "online")
TEMPLATES: list[Path | str] = [str(ROOT / area / "templates") for area in AREAS]
API_DOCS_ASSETS = "/schema/assets"


def api_docs() -> OpenAPIConfig:
    """/schema: Swagger UI with every file it loads served by this server, nothing from a CDN."""
    swagger = SwaggerRenderPlugin(
        path=["/", "/swagger"],
        js_url=f"{API_DOCS_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{API_DOCS_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{API_DOCS_ASSETS}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{API_DOCS_ASSETS}/favicon-32x32.png'>",
    )
    return OpenAPIConfig(
        title="Competition scoring / 技能竞赛评分", version="0.1.0", path="/schema", render_plugins=[swagger]
    )


def use_worker_threads(count: int, _: Litestar) -> None:
    """On start-up: the routes' threads (the loop's default executor, where Litestar runs sync
    handlers) and anyio's (pages, the boards) are `count` each; the database pool has room for
    all of them (Settings.database_pool), so none waits for a connection or gets a 500."""
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(count, thread_name_prefix="scoring"))
    anyio.to_thread.current_default_thread_limiter().total_tokens = count


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    if settings.database_url.startswith("sqlite"):
        private_dir(settings.data_dir)
    in_memory = settings.database_url.endswith(":memory:") or settings.database_url == "sqlite://"
    engine = make_engine(settings.database_url, **({} if in_memory else settings.database_pool))
    migrate(engine)
    secret = load_secret(settings.data_dir, settings.secret_key)
    sessions_cookie = QuietCookieConfig(
        secret=secret,
        key="scoring_session",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=SESSION_HOURS * 3600,
    )
    database = Database(session_factory(engine, audit_key=audit_key(secret)))
    feed = ResultsFeed(database)  # each competition's provisional standings, kept current
    app = Litestar(
        route_handlers=[
            AssetsController,
            PublicController,
            AuthController,
            AdminController,
            CorrectionsController,
            ResultsController,
            OrganiserResultsPages,
            AppealController,
            JudgeController,
            ChiefController,
            DeskController,
            DeskPages,
            PlacementController,
            PlacementPages,
            QuizController,
            QuizSignInPages,
            QuizPages,
            AdminLoginPages,
            CompetitionPages,
            AccessCardPages,
            RoundPages,
            TheoryPages,
            PeoplePages,
            ResultExports,
            ResultChartPages,
            JudgeSignInPages,
            JudgePages,
            ChiefResultPages,
            LandingPages,
            PublicResultsPages,
            LiveController,
            LiveControlController,
            LivePages,
            LiveConsolePages,
            UnitNominationPages,
            BallotPages,
            NominationAdminPages,
            PublicNominationPages,
            WorksPages,
            UnitWorkPages,
            ExpertReviewPages,
            ExpertReviewApi,
            PublicCallPages,
            OnlineController,
            OnlinePages,
            OnlineAdminController,
            OnlineAdminPages,
            create_static_files_router(
                path=API_DOCS_ASSETS, directories=[Path(str(swagger_ui_path))], include_in_schema=False
            ),
        ],
        template_config=TemplateConfig(directory=list(TEMPLATES), engine=JinjaTemplateEngine),
        dependencies={"database": Provide(provide_database, sync_to_thread=False)},
        middleware=[security_headers, same_origin_writes, sessions_cookie.middleware],
        csrf_config=CSRFConfig(
            secret=secret.hex(),
            cookie_httponly=True,
            cookie_samesite="lax",
            # anchored: a competition whose key begins with "api" keeps its forms' CSRF token
            exclude=["^/api/", "^/health$", "^/judge/signin/", "^/schema"],
        ),
        plugins=[channels_plugin(settings.redis_url)],
        exception_handlers=HANDLERS,
        request_class=ReadableRequest,
        openapi_config=api_docs(),
        state=State(
            {
                "database": database,
                "results_feed": feed,
                "secret": secret,
                "limiter": AttemptLimiter(limit=50),  # failures per address in 5 min; accounts lock after 5
                "uploads": str(settings.data_dir / "uploads"),
                # the organiser's own templates (a certificate.html replaces the shipped one)
                "templates": str(settings.data_dir / "templates"),
                "logos": str(settings.data_dir / "logos"),  # the big screen's logo: {key}.png|.svg|.jpg
                "public_url": settings.public_url,  # printed links and QR codes (web/pages.py public_base)
            }
        ),
        on_startup=[remember_loop, partial(use_worker_threads, settings.worker_threads), start_live_hub],
        on_shutdown=[stop_live_hub, feed.close, database.close, engine.dispose],
    )
    database.on_live_changes = partial(announce_live_changes, app)
    return app
