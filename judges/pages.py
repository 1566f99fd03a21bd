"""The judge's tablet pages (/judge): sign in with a PIN, the assignments, the score form, and
for a round's chief judge the live console and the printable paper sheets.

The form is built from the rubric (scoring/rubrics/form.py), with a link to the next entry in
the round's order; a rubric with attempts shows one attempt at a time (attempts.js) with the
attempt's parameters as the officials' desk gave them (a dive's DD), read-only. Its script
keeps every change on the device at once, exactly as the box shows it, says in place and in the
page's language why a mark is not valid, sends saves and submissions through a local outbox
with a client-made id and retries them until the server acknowledges them; a service worker
(scope /judge) keeps the pages available when the network drops, and the assignments page keeps
every assigned sheet's form as it opens. The server checks everything again: seats, entries,
marks, versions. The tablet's own words are in judges/tablet_text.py.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from judges.assignments import materials_of, require_assigned, reviews_works, visible_labels
from judges.console import console
from judges.console_text import console_text, field_words
from judges.desk import attempt_parameters
from judges.placements import ordered_by_placing
from judges.seats import assignments, require_seat
from judges.tablet_text import TEXT, page_text, script_words
from scoring.refusals import Refusal
from scoring.rubrics.form import entry_part_form, rubric_form
from scoring.sheet_attempts import entry_criteria
from scoring.store.nominations import panels_sat_on
from scoring.store.official_values import current_values
from scoring.store.rounds import entry_of_label, labels_in_order, panel_judges, rubric_of
from scoring.store.sheets import current_version
from web.auth import judge_page_guard, principal_of, public_guard
from web.database import InjectedDatabase
from web.i18n import both, language_of, round_title
from web.pages import problems_of, render_page
from web.params import PathKey, RowId
from web.signin import sign_in_with_pin

SCRIPTS = Path(__file__).resolve().parent / "templates" / "judge"
SERVICE_WORKER = (SCRIPTS / "sw.js").read_text(encoding="utf-8")
SHEET_SCRIPT = (SCRIPTS / "sheet.js").read_text(encoding="utf-8")
MARKS_SCRIPT = (SCRIPTS / "marks.js").read_text(encoding="utf-8")
HOME_SCRIPT = (SCRIPTS / "home.js").read_text(encoding="utf-8")
CONSOLE_SCRIPT = (SCRIPTS / "console.js").read_text(encoding="utf-8")
ATTEMPTS_SCRIPT = (SCRIPTS / "attempts.js").read_text(encoding="utf-8")


def tablet_page(request: Request[Any, Any, Any], name: str, status: int = 200, **context: Any) -> Template:
    """A tablet page in the reader's language, with the tablet's own words (judges/tablet_text.py)."""
    lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
    return render_page(request, name, status, t=page_text(lang), **context)


class JudgeSignInPages(Controller):
    path = "/judge"
    guards = [public_guard]  # noqa: RUF012

    @get("/pin")
    async def pin_form(self, request: Request[Any, Any, Any]) -> Template:
        return tablet_page(request, "judge/pin.html")

    @post("/pin")
    async def pin(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template | Redirect:
        form = await request.form()
        competition, judge, pin = (str(form.get(name, "")).strip() for name in ("competition", "judge", "pin"))
        try:
            await anyio.to_thread.run_sync(sign_in_with_pin, request, database, competition, judge, pin)
        except Refusal as refused:
            return tablet_page(  # what the judge typed stays in the form (never the PIN)
                request,
                "judge/pin.html",
                refused.status,
                problems=problems_of(refused),
                competition=competition,
                judge=judge,
                ask_competition=refused.field == "competition",
            )
        return Redirect(path="/judge")

    @get("/sheet.js")
    async def sheet_script(self) -> Response[str]:
        return Response(SHEET_SCRIPT, media_type="text/javascript")

    @get("/marks.js")
    async def marks_script(self) -> Response[str]:
        return Response(MARKS_SCRIPT, media_type="text/javascript")

    @get("/home.js")
    async def home_script(self) -> Response[str]:
        return Response(HOME_SCRIPT, media_type="text/javascript")

    @get("/attempts.js")
    async def attempts_script(self) -> Response[str]:
        return Response(ATTEMPTS_SCRIPT, media_type="text/javascript")

    @get("/console.js")
    async def console_script(self) -> Response[str]:
        return Response(CONSOLE_SCRIPT, media_type="text/javascript")

    @get("/sw.js")
    async def service_worker(self) -> Response[str]:
        return Response(SERVICE_WORKER, media_type="text/javascript", headers={"Service-Worker-Allowed": "/judge"})


class JudgePages(Controller):
    path = "/judge"
    guards = [judge_page_guard]  # noqa: RUF012

    @get("/")
    async def home(self, request: Request[Any, Any, Any], database: InjectedDatabase) -> Template:
        who = principal_of(request)
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))

        def load(db: Session) -> dict[str, Any]:
            seats = assignments(db, who.judge_id or 0)
            for seat in seats:
                seat["round_title"] = round_title(lang, seat["round"])  # "final" is 决赛
                states = {}
                context = require_seat(db, who.judge_id or 0, seat["round_id"])
                seat["placing"] = ordered_by_placing(rubric_of(db, context))  # one ordering form, not sheets
                for shown in seat["entries"]:
                    found = current_version(db, seat["round_id"], entry_of_label(db, context, shown), who.judge_id or 0)
                    states[shown] = found.state.value if found else "new"
                seat["states"] = states
            # an expert reviewing submitted works is linked to their materials (/review)
            # an expert on a selection's panel is linked to its ballot (/deliberation/{key})
            panels = panels_sat_on(db, who.judge_id or 0)
            return {"seats": seats, "reviews": reviews_works(db, who.judge_id or 0), "panels": panels}

        return tablet_page(request, "judge/home.html", judge=who.name, **await database.run(load))

    @get("/rounds/{round_id:int}/{entry:str}")
    async def sheet(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId, entry: PathKey
    ) -> Template | Redirect:
        who = principal_of(request)

        def load(db: Session) -> dict[str, Any]:
            context = require_seat(db, who.judge_id or 0, round_id, marks=True)
            if ordered_by_placing(rubric_of(db, context)):
                return {"placing": True}  # placed all together on the ordering form
            key = entry_of_label(db, context, entry)
            require_assigned(db, context, who.judge_id or 0, key, entry)
            found = current_version(db, round_id, key, who.judge_id or 0)
            labels = visible_labels(db, context, who.judge_id or 0, labels_in_order(db, context))
            at = labels.index(entry) if entry in labels else len(labels)
            rubric = rubric_of(db, context)
            if rubric.attempts.count > 1 and at + 1 == len(labels) and labels:  # the next attempt starts again
                at = -1
            return {
                # an expert's work: its materials are on the works' review page, by its key
                "materials": materials_of(db, round_id, key),
                "form": rubric_form(rubric),
                "entry_form": entry_part_form(rubric),  # marked once, after the attempts
                "parameters": attempt_parameters(rubric, current_values(db, round_id, key).get(key, {})),
                "event": context.event,
                "next": labels[at + 1] if at + 1 < len(labels) else None,  # in the drawn order
                "sheet": {
                    "version": found.version if found else 0,
                    "state": found.state.value if found else "new",
                    "marks": found.marks if found else {},
                    "reason": found.reason if found else "",
                },
            }

        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        loaded = await database.run(load)
        if loaded.get("placing"):
            return Redirect(path=f"/judge/placements/{round_id}")
        return tablet_page(
            request,
            "judge/sheet.html",
            round_id=round_id,
            entry=entry,
            judge=who.name,
            words=script_words(lang),
            **loaded,
        )

    @get("/rounds/{round_id:int}/paper")
    async def paper(self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId) -> Template:
        """Blank score sheets to print, one per entry (in the drawn order, by code in a blind round)
        and judge of the panel, for marking on paper when tablets cannot be used. Chief judge only;
        the marks are typed in afterwards as transcribed sheets."""
        who = principal_of(request)

        def load(db: Session) -> dict[str, Any]:
            context = require_seat(db, who.judge_id or 0, round_id, chief=True)
            judges = panel_judges(db, round_id)
            sheets = [{"entry": e, "judge": j} for e in labels_in_order(db, context) for j in judges]
            rubric = rubric_of(db, context)
            return {
                "form": rubric_form(rubric),
                "entry_form": entry_part_form(rubric),  # a per-entry part: its rows after the attempts'
                "once_title": " / ".join(TEXT["entry_part"]),
                "event": context.event,
                "round_key": f"{round_title('zh', context.round.key)} / {round_title('en', context.round.key)}",
                "sheets": sheets,
            }

        return render_page(request, "judge/paper.html", both=both, **await database.run(load))

    @get("/console/{round_id:int}")
    async def chief_console(
        self, request: Request[Any, Any, Any], database: InjectedDatabase, round_id: RowId
    ) -> Template:
        """The chief judge's console: the sheets of the round (entries x judges, judges by name),
        each entry's panel result and provisional place, disagreements with the marks side by
        side, judges' severity; console.js keeps it live and acts on sheets and the round."""
        who = principal_of(request)
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        opened = request.query_params.getall("open", [])[:200]  # console.js asks for them (?open=s01&open=s02)

        def load(db: Session) -> dict[str, Any]:
            context = require_seat(db, who.judge_id or 0, round_id, chief=True)
            rubric = rubric_of(db, context)
            criteria = [
                {"key": c.key, "title": c.title.get(lang) or c.key} for c in rubric.criteria() if not c.official
            ]
            count = rubric.attempts.count
            if count > 1:  # a sheet's marks are keyed "attempt/criterion": the panel's inputs are too
                words = console_text(lang)
                criteria = [
                    {"key": f"{a}/{c['key']}", "title": f"{words('attempt_n', a)} · {c['title']}"}
                    for a in range(1, count + 1)
                    for c in criteria
                ]
                criteria += [  # a part marked once per entry (components): keyed by the criterion alone
                    {"key": c.key, "title": f"{words('per_entry')} · {c.title.get(lang) or c.key}"}
                    for c in entry_criteria(rubric).values()
                ]
            asked = request.query_params.get("attempt", "")
            return {
                "data": console(db, context, opened),  # the working of the entries the chief opened
                "shown_attempt": int(asked) if asked.isascii() and asked.isdigit() and 1 <= int(asked) <= count else 0,
                "event": context.event,
                "round_key": round_title(lang, context.round.key),  # "final" is 决赛
                "criteria": criteria,
            }

        now = datetime.now().astimezone().strftime("%H:%M:%S")
        data = await database.run(load)
        return render_page(
            request,
            "judge/console.html",
            round_id=round_id,
            now=now,
            t=console_text(lang),
            fields=field_words(lang),
            **data,
        )
