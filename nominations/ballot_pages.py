"""The panel's ballot (专家审议) at /deliberation/{key}: a signed-in judge on the selection's
panel sees every nomination (name, unit, post, years, story) and votes approve or reject on
each, or ranks them for a Borda count, as the call's counting rule says; the rule is stated on
the page, with how many candidates the expert has voted on so far. A newer ballot replaces
the expert's older one (both are kept). Anyone else is refused: a judge off the panel by the
store (scoring/store/nominations.py), the rest by the page guard."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.refusals import Forbidden
from scoring.store.models import Judge, Unit
from scoring.store.nominations import cast_ballot, counting_of, nominations_of, open_call_of, standing_ballots
from web.auth import judge_page_guard, principal_of
from web.database import InjectedDatabase
from web.nomination_words import BALLOT_FIELDS, NOMINATION_CSS, labelled, text_for
from web.pages import act_then_redirect, render_page
from web.params import PathKey


def ballot_page(db: Session, key: str, judge_id: int) -> dict[str, Any]:
    competition, call = open_call_of(db, key)
    judge = db.get(Judge, judge_id)
    if judge is None or judge.competition_id != competition.id or judge.key not in (call.panel or []):
        raise Forbidden("您不是评审专家组成员", "you are not on this selection's panel")
    units = {u.key: u for u in db.execute(select(Unit).where(Unit.competition_id == competition.id)).scalars()}
    rule = counting_of(call)
    mine = standing_ballots(db, call).get(judge.key)
    zh, en = rule.stated()
    shown: dict[str, Any] = {
        "key": key,
        "call": {"zh": call.title_zh, "en": call.title_en, "stage": call.stage},
        "method": rule.method,
        "rule": {"zh": zh, "en": en},
        "expert": judge.name,
        "nominations": [
            {
                "id": n.id,
                "name": n.name,
                "name_en": n.name_en,
                "unit": {"zh": units[n.unit_key].name_zh, "en": units[n.unit_key].name_en}
                if n.unit_key in units
                else {"zh": n.unit_key, "en": n.unit_key},
                "post": n.post,
                "post_en": n.post_en,
                "years": n.years_of_service,
                "story": {"zh": n.story_zh, "en": n.story_en or n.story_zh},
                "vote": (mine or {}).get(str(n.id)) if isinstance(mine, dict) else None,
                "rank": mine.index(n.id) + 1 if isinstance(mine, list) and n.id in mine else None,
            }
            for n in nominations_of(db, call.id)
        ],
        "css": NOMINATION_CSS,
    }
    shown["voted"] = sum(1 for n in shown["nominations"] if n["vote"] or n["rank"])
    return shown


def _choices(form: Any, method: str) -> Any:
    """The ballot from the form: `vote_<id>` = approve|reject, or `rank_<id>` = 1, 2, ... (a
    blank rank leaves the candidate unranked; a rank that is not a number ranks it last)."""
    if method != "borda":
        return {k.removeprefix("vote_"): str(v) for k, v in form.items() if k.startswith("vote_")}
    ranks: list[tuple[int, int]] = []
    for k, v in form.items():
        nomination, text = k.removeprefix("rank_"), str(v).strip()
        if k.startswith("rank_") and text and nomination.isdigit():
            ranks.append((int(text) if text.isdigit() and len(text) < 7 else 10**6, int(nomination)))
    return [nomination for _, nomination in sorted(ranks)]  # equal ranks: the earlier nomination first


class BallotPages(Controller):
    guards = [judge_page_guard]  # noqa: RUF012

    @get("/deliberation/{key:str}")
    async def page(self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey) -> Template:
        judge_id = principal_of(request).judge_id or 0
        shown = await database.run(lambda db: ballot_page(db, key, judge_id))
        t = text_for(request.query_params.get("lang"), request.cookies.get("lang"))
        return render_page(
            request, "nominations/ballot.html", sent=request.query_params.get("sent") == "1", t=t, **shown
        )

    @post("/deliberation/{key:str}")
    async def cast(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, key: PathKey
    ) -> Template | Redirect:
        judge_id = principal_of(request).judge_id or 0
        form = await request.form()
        t = text_for(request.query_params.get("lang"), request.cookies.get("lang"))

        def act(db: Session) -> Any:
            _, call = open_call_of(db, key)
            return cast_ballot(db, key, judge_id, _choices(form, counting_of(call).method))

        return await act_then_redirect(
            request,
            database,
            labelled(act, t, BALLOT_FIELDS),
            redirect=f"/deliberation/{key}?sent=1",
            template="nominations/ballot.html",
            page_data=lambda db: ballot_page(db, key, judge_id) | {"t": t, "sent": False},
        )
