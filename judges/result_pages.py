"""The chief judge's results of a round, beside the console (/judge/console/{round}/results):
the round's provisional standings from every submitted or locked sheet, how fairly the panel
marked (each judge against the panel's kept marks, the share trimmed, agreement, the places a
judge's marks alone decide: results/fairness.py) and the judges' severity as a chart; and the
competition's appeals (申诉) of the current notice, which the chief judge may decide with reasons
(the organiser decides as the arbitration committee on the organiser's results page).

Entries are shown as the round's judges see them: in a blind event by their drawn code,
never by the entry behind it. Only the round's chief judge reaches these pages.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from judges.console_text import console_text
from judges.placements import ordered_by_placing
from judges.seats import require_seat
from results.appeals import decide_appeal
from results.charts import severity_chart
from results.fairness import (
    COLUMN_LABELS,
    Agreement,
    FairnessReport,
    agreement_frame,
    decisive_marks_frame,
    judges_frame,
)
from results.report import rank_event
from results.round_review import review_round
from scoring.decimals import decimal_text
from scoring.problems import InvalidInput, Problem
from scoring.store.models import Competition, Judge
from scoring.store.result_publications import appeals_of, latest_publication
from scoring.store.rounds import entry_labels, rubric_of
from web.auth import judge_page_guard, principal_of
from web.database import InjectedDatabase
from web.i18n import language_of, round_title
from web.pages import act_then_redirect, render_page
from web.params import RowId


def _page(db: Session, judge_id: int, round_id: int, lang: str) -> dict[str, Any]:
    context = require_seat(db, judge_id, round_id, chief=True)
    shown = entry_labels(db, context)
    review = review_round(db, round_id)
    result, report, problem = review.result, review.fairness, review.problem
    if review.waiting is not None:  # a round ranked by placing: how many judges' orders are in
        problem = review.waiting.zh if lang == "zh" else review.waiting.en
    standings = []
    if result is not None:
        for s in rank_event(result):
            if s.entry in shown:
                standings.append({"place": s.place_label, "entry": shown[s.entry], "score": decimal_text(s.score)})
    competition = db.get(Competition, context.event.competition_id)
    assert competition is not None
    fairness: dict[str, Any] = {}
    if report is not None:
        judges = db.execute(select(Judge.key, Judge.name).where(Judge.competition_id == competition.id))
        names = {judge_key: name for judge_key, name in judges}
        decisive = decisive_marks_frame(report, lang)
        decisive["entry"] = decisive["entry"].map(lambda e: shown.get(e, e) if isinstance(e, str) else "")
        rows: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in decisive.fillna("").to_dict("records")]
        fairness = {
            "judges": judges_frame(report).fillna("—").to_dict(orient="records"),
            "agreement": agreement_frame(report, lang).fillna("—").to_dict(orient="records")[0],
            "decisive": [r | _places(r) for r in rows if r["computed"]],
            "not_computable": _not_computable(rows),
            "labels": {k: v[lang] for k, v in COLUMN_LABELS.items()},
            "names": names,
        }
    notice = latest_publication(db, competition.id)
    appeals = []
    if notice is not None and notice.kind == "notice":
        appeals = [
            {
                "number": number,
                "id": a.appeal.id,
                "team": a.appeal.team_key,
                "reason": a.appeal.reason,
                "outcome": a.outcome,
                "decision": a.decisions[-1].reason if a.decisions else "",
            }
            for number, a in enumerate(appeals_of(db, competition.id), start=1)
            if a.appeal.publication_id == notice.id
        ]
    return {
        "round_id": round_id,
        "round_key": round_title(lang, context.round.key),  # "final" is 决赛
        "event": context.event,
        "competition_key": competition.key,
        "standings": standings,
        "problem": problem,
        "fairness": fairness,
        # places have no severity (each judge's add up to the same): the deviations and the chart say nothing
        "no_severity": console_text(lang)("places_no_severity_here")
        if ordered_by_placing(rubric_of(db, context))
        else "",
        "appeals": appeals,
    }


def _not_computable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The judges the round cannot be scored without, grouped by the reason: the same reason
    shown once with its judges, not once a judge."""
    grouped: dict[str, list[str]] = {}
    for row in rows:
        if not row["computed"]:
            grouped.setdefault(str(row["note"]), []).append(str(row["judge"]))
    return [{"note": note, "judges": judges} for note, judges in grouped.items()]


def _places(row: dict[str, Any]) -> dict[str, Any]:
    """Places as whole numbers (the frame's column turns them into floats beside the empty rows)."""
    return {k: int(row[k]) if isinstance(row[k], float) else row[k] for k in ("old_place", "new_place")}


class ChiefResultPages(Controller):
    path = "/judge/console"
    guards = [judge_page_guard]  # noqa: RUF012

    @get("/{round_id:int}/results")
    async def results(self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId) -> Template:
        who = principal_of(request)
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        data = await database.run(lambda db: _page(db, who.judge_id or 0, round_id, lang))
        return render_page(request, "judge/round_results.html", **data)

    @get("/{round_id:int}/severity.svg")
    async def severity(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> Response[bytes]:
        """The judges' severity in this round as an SVG chart (mean deviation and its spread)."""
        who = principal_of(request)
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))

        def chart(db: Session) -> bytes:
            context = require_seat(db, who.judge_id or 0, round_id, chief=True)
            report = review_round(db, round_id).fairness
            title = {"zh": context.event.title_zh, "en": context.event.title_en}
            empty = FairnessReport(context.event.key, [], Agreement(0, 0, None, None, None, None), [])
            return severity_chart(report or empty, title, lang).svg

        return Response(await database.run(chart), media_type="image/svg+xml")

    @post("/{round_id:int}/appeals/{appeal_id:int}")
    async def decide(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId, appeal_id: RowId
    ) -> Template | Redirect:
        """The chief judge decides an appeal (upheld or dismissed, with reasons)."""
        who = principal_of(request)
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        form = await request.form()
        outcome, reason = str(form.get("outcome", "")), str(form.get("reason", "")).strip()

        def act(db: Session) -> None:
            context = require_seat(db, who.judge_id or 0, round_id, chief=True)
            if outcome not in ("upheld", "dismissed"):
                raise InvalidInput([Problem(zh="请选择成立或驳回", en="choose upheld or dismissed", path="outcome")])
            competition = db.get(Competition, context.event.competition_id)
            assert competition is not None
            decide_appeal(db, competition.key, appeal_id, outcome, reason, f"chief:{who.name}")

        return await act_then_redirect(
            request,
            database,
            act,
            redirect=f"/judge/console/{round_id}/results",
            template="judge/round_results.html",
            page_data=lambda db: _page(db, who.judge_id or 0, round_id, lang),
        )
