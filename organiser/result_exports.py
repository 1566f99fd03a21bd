"""The organiser's downloads of a competition's results (/admin): the workbook, a CSV of one table,
the JSON, and an award list's certificates as a printable page and as a PDF.

`view=provisional` (the default: every submitted or locked sheet) or `view=published` (what the
public may see); a provisional file says so in its name and its first rows. Everything is read
in one read transaction by results/exports.py, which the `scoring results` command calls too.
A refusal (no such competition or award, no awards before every event has results, no Chromium
for the PDF) is a page in the reader's language (web/problem_bodies.py), never a raw body.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery

from results.certificate_pdf import html_to_pdf_async
from results.exports import ResultsExport, certificates_html, read_export
from results.from_store import View
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict
from web.auth import organiser_page_guard
from web.database import InjectedDatabase
from web.i18n import language_of
from web.params import PathKey

PROBLEMS_SHOWN = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def view_of(value: str | None) -> View:
    """The view a download asks for; InvalidInput (a page) for anything else."""
    try:
        return View(value or View.PROVISIONAL)
    except ValueError:
        raise InvalidInput(
            [
                Problem(
                    zh="view 只能是 provisional 或 published", en="view must be provisional or published", path="view"
                )
            ]
        ) from None


def attachment(content: bytes | str, name: str, media_type: str) -> Response[Any]:
    """A download: the file's name in both the plain and the UTF-8 form (RFC 6266)."""
    ascii_name = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in name)
    return Response(
        content=content,
        media_type=media_type,
        headers={"content-disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"},
    )


class ResultExports(Controller):
    path = "/admin/competitions/{key:str}"
    guards = [organiser_page_guard]  # noqa: RUF012

    async def _export(self, database: InjectedDatabase, key: str, view: str | None) -> ResultsExport:
        """The export; stored marks that do not fit the rules (an incomplete sheet counted in
        the provisional view) are a conflict whose page names each problem."""
        try:
            return await database.run(read_export, key, view_of(view))
        except InvalidInput as invalid:
            if invalid.problems and invalid.problems[0].path == "view":
                raise
            shown = invalid.problems[:PROBLEMS_SHOWN]
            more = len(invalid.problems) - len(shown)
            raise Conflict(
                zh="成绩还不能计算：" + "；".join(p.zh for p in shown) + (f"；另有 {more} 个问题" if more else ""),
                en="the results cannot be computed yet: "
                + "; ".join(p.en for p in shown)
                + (f"; and {more} more" if more else ""),
            ) from invalid

    @get("/results.xlsx")
    async def results_xlsx(
        self, database: InjectedDatabase, key: PathKey, view: FromQuery[str | None] = None
    ) -> Response[Any]:
        export = await self._export(database, key, view)
        return attachment(export.xlsx(), export.file_name("xlsx"), XLSX)

    @get("/results.csv")
    async def results_csv(
        self,
        database: InjectedDatabase,
        key: PathKey,
        view: FromQuery[str | None] = None,
        table: FromQuery[str] = "overall",
    ) -> Response[Any]:
        """One table: `table=overall` (the default), an event's key, award_<award key>, or marks."""
        export = await self._export(database, key, view)
        body = export.csv(table)
        part = "" if table == "overall" else table
        return attachment(body, export.file_name("csv", part), "text/csv; charset=utf-8")

    @get("/results.json")
    async def results_json(
        self, database: InjectedDatabase, key: PathKey, view: FromQuery[str | None] = None
    ) -> Response[Any]:
        export = await self._export(database, key, view)
        return attachment(export.json(), export.file_name("json"), "application/json")

    async def _certificates(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: PathKey,
        award: PathKey,
        view: FromQuery[str | None],
    ) -> str:
        export = await self._export(database, key, view)
        lang = language_of(request.query_params.get("lang"), request.cookies.get("lang"))
        return certificates_html(export, award, Path(request.app.state.templates), lang=lang)

    @get("/awards/{award:str}/certificates")
    async def certificates(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: PathKey,
        award: PathKey,
        view: FromQuery[str | None] = None,
    ) -> Response[str]:
        """Every certificate of the award list, one A4 landscape page each when printed."""
        html = await self._certificates(request, database, key, award, view)
        return Response(content=html, media_type="text/html; charset=utf-8")

    @get("/awards/{award:str}/certificates.pdf")
    async def certificates_pdf(
        self,
        request: Request[Any, Any, Any],
        database: InjectedDatabase,
        key: PathKey,
        award: PathKey,
        view: FromQuery[str | None] = None,
    ) -> Response[Any]:
        html = await self._certificates(request, database, key, award, view)
        pdf = await html_to_pdf_async(html)
        name = f"{key}-{award}-certificates{'-provisional' if view_of(view) is View.PROVISIONAL else ''}.pdf"
        return attachment(pdf, name, "application/pdf")
