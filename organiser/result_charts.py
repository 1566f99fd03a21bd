"""The organiser's charts of results (/admin/...): each event's score distribution and each
round's judges' severity, as SVG or PNG images (results/charts.py draws them), from the
provisional results: every submitted or locked sheet."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from results.charts import ChartImages, score_histogram, severity_chart
from results.fairness import Agreement, FairnessReport
from results.from_store import View, round_result
from results.round_review import review_round
from scoring.refusals import NotFound
from scoring.store.models import Competition, Event, Round
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.i18n import language_of
from web.params import PathKey, RowId

MEDIA = {"svg": "image/svg+xml", "png": "image/png"}


def _image(chart: ChartImages, fmt: str) -> Response[bytes]:
    return Response(chart.svg if fmt == "svg" else chart.png, media_type=MEDIA[fmt])


def _format(fmt: str) -> str:
    if fmt not in MEDIA:
        raise NotFound("没有这种图片格式", f"no chart as '{fmt}': svg or png")
    return fmt


class ResultChartPages(Controller):
    path = "/admin"
    guards = [organiser_page_guard]  # noqa: RUF012

    @get("/competitions/{key:str}/charts/{event:str}")
    async def distribution(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: PathKey,
        event: PathKey,
        fmt: Annotated[str, QueryParameter(name="format")] = "svg",
    ) -> Response[bytes]:
        """An event's score distribution (provisional results of its last round, the one its
        score comes from), `?format=svg` or `png`."""
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        wanted = _format(fmt)

        def draw(db: Session) -> ChartImages:
            stored = db.execute(
                select(Event)
                .join(Competition, Competition.id == Event.competition_id)
                .where(Competition.key == key, Event.key == event)
            ).scalar_one_or_none()
            if stored is None:
                raise NotFound("没有这个赛项", f"no event '{event}' in {key}")
            last = db.scalar(select(func.max(Round.id)).where(Round.event_id == stored.id))
            scored = round_result(db, last, View.PROVISIONAL) if last is not None else None
            scores = {s.entry: s.score for s in scored.result.scores} if scored is not None else {}
            return score_histogram(scores, {"zh": stored.title_zh, "en": stored.title_en}, lang)

        return _image(await database.run(draw), wanted)

    @get("/rounds/{round_id:int}/severity")
    async def severity(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        round_id: RowId,
        fmt: Annotated[str, QueryParameter(name="format")] = "svg",
    ) -> Response[bytes]:
        """A round's judges' severity, `?format=svg` or `png`: each judge's mean deviation from the
        panel's kept marks."""
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        wanted = _format(fmt)

        def draw(db: Session) -> ChartImages:
            review = review_round(db, round_id)
            title = {"zh": review.event.title_zh, "en": review.event.title_en}
            empty = FairnessReport(review.event.key, [], Agreement(0, 0, None, None, None, None), [])
            return severity_chart(review.fairness or empty, title, lang)

        return _image(await database.run(draw), wanted)
