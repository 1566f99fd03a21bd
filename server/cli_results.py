"""`scoring results` and `scoring certificates`: a stored competition's results and its award
certificates, from the store, as the organiser's downloads give them (results/exports.py).

`scoring results` prints the same columns as `scoring compute` (results/report.py, through
results/export_tables.py), as a table, CSV or JSON, or writes the workbook; the provisional
view (the default) says so above the rows, `--published` shows what the public may see.
Registered on the `scoring` app of server/cli.py, which imports this module.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from results.certificate_pdf import ChromiumMissing, html_to_pdf
from results.exports import ResultsExport, certificates_html, read_export
from results.from_store import View
from results.workbook import notice_lines
from scoring.problems import InvalidInput
from scoring.refusals import Refusal
from server.cli import _existing_store, _usage_error, app, err, out, print_frame, report_problems
from server.settings import Settings

FORMATS = ("table", "csv", "json", "xlsx")
DATA_HELP = "data directory (default: $SCORING_DATA_DIR or ./data)"


def _read(data: Path | None, competition: str, view: View) -> ResultsExport:
    sessions = _existing_store(data)
    try:
        with sessions() as db:
            return read_export(db, competition, view)
    except InvalidInput as exc:
        report_problems(exc)
        raise typer.Exit(1) from None
    except Refusal as refused:
        err.print(f"{refused.zh} / {refused.en}", markup=False)
        raise typer.Exit(1) from None


def _print_table(export: ResultsExport, key: str, shape: str) -> None:
    table = export.table(key)
    if shape == "csv":
        sys.stdout.write(export.csv(key).removeprefix("\ufeff"))
        return
    for line in notice_lines(table, export.provisional):
        (err if shape == "json" else out).print(line, markup=False)
    print_frame(table.frame, shape, title=f"{table.title[0]} / {table.title[1]}")


@app.command()
def results(
    competition: str = typer.Option(..., help="the stored competition's key"),
    data: Path | None = typer.Option(None, help=DATA_HELP),
    event: str | None = typer.Option(None, help="show this event's results only, by criterion"),
    awards: bool = typer.Option(False, "--awards", help="print the award lists"),
    fmt: str = typer.Option("table", "--format", help="table (the default), csv, json or xlsx"),
    out_file: Path | None = typer.Option(None, "--out", help="write to this file (needed for xlsx)"),
    published: bool = typer.Option(False, "--published", help="only what is published (default: provisional)"),
    table: str | None = typer.Option(
        None, help="another table: individual, units, standardised, or fairness_<event>_<round>"
    ),
) -> None:
    """A stored competition's results: the overall, an event, the award lists, individual or
    unit standings, a round's fairness, or the workbook.
    / 从数据库输出竞赛成绩：总成绩、单个赛项、奖项名单、个人或单位成绩、评分公正性或工作簿。"""
    if fmt not in FORMATS:
        _usage_error(f"--format 只能是 {', '.join(FORMATS)}", f"--format must be one of {', '.join(FORMATS)}")
    if fmt == "xlsx" and out_file is None:
        _usage_error("--format xlsx 需要 --out 文件", "--format xlsx needs --out FILE")
    if fmt == "xlsx" and (event is not None or awards or table is not None):
        _usage_error(
            "--format xlsx 写出整个工作簿，不能与 --event、--awards 或 --table 同用",
            "--format xlsx writes the whole workbook; leave out --event, --awards and --table",
        )
    if sum(x is not None and x is not False for x in (event, awards, table)) > 1:
        _usage_error("--event、--awards、--table 只能选一个", "choose one of --event, --awards and --table")
    export = _read(data, competition, View.PUBLISHED if published else View.PROVISIONAL)
    if event is not None and export.stored.competition.event(event) is None:
        known = ", ".join(e.key for e in export.stored.competition.events)
        err.print(f"没有赛项“{event}” / no event '{event}'; events: {known}", markup=False)
        raise typer.Exit(1)
    if event is not None and event not in export.stored.events:
        err.print(f"赛项“{event}”还没有成绩 / event '{event}' has no results yet", markup=False)
        raise typer.Exit(1)
    if fmt == "xlsx":
        assert out_file is not None
        out_file.write_bytes(export.xlsx())
        out.print(f"已写出 / written: {out_file}", markup=False)
        return
    if out_file is not None:
        _write_text(export, out_file, fmt, event, awards)
        return
    if awards:
        if not export.awards:
            for zh, en in export.award_problems or [
                ("还没有奖项名单（总成绩未出）", "no award lists yet (no overall)")
            ]:
                err.print(f"{zh} / {en}", markup=False)
            raise typer.Exit(1)
        for award in export.awards:
            _print_table(export, f"award_{award.rule.key}", fmt)
        return
    try:
        _print_table(export, table or event or "overall", fmt)
    except Refusal as refused:  # a table the export does not hold: says which it holds
        err.print(f"{refused.zh} / {refused.en}", markup=False)
        raise typer.Exit(1) from None


def _write_text(export: ResultsExport, path: Path, fmt: str, event: str | None, awards: bool) -> None:
    if fmt == "json":
        path.write_text(export.json(), encoding="utf-8")
    elif fmt == "csv" and not awards:
        path.write_text(export.csv(event or "overall"), encoding="utf-8")
    else:
        _usage_error(
            "--out 用于 csv（总成绩或一个赛项）、json 或 xlsx",
            "--out writes csv (the overall or one event), json or xlsx",
        )
    out.print(f"已写出 / written: {path}", markup=False)


@app.command()
def certificates(
    competition: str = typer.Option(..., help="the stored competition's key"),
    award: str = typer.Option(..., help="the award's key (as in the competition file)"),
    out_file: Path = typer.Option(..., "--out", help="the PDF to write"),
    data: Path | None = typer.Option(None, help=DATA_HELP),
    published: bool = typer.Option(False, "--published", help="from published results only (default: provisional)"),
) -> None:
    """Print an award list's certificates to a PDF, one A4 landscape page each (needs Chromium).
    A certificate.html in <data>/templates replaces the default. / 生成获奖证书 PDF（需要 Chromium）。"""
    if out_file.suffix.lower() != ".pdf":
        _usage_error("--out 应是 .pdf 文件", "--out should be a .pdf file")
    export = _read(data, competition, View.PUBLISHED if published else View.PROVISIONAL)
    templates = Settings.from_env(data).data_dir / "templates"
    try:
        html = certificates_html(export, award, templates)
        pdf = html_to_pdf(html)
    except (ChromiumMissing, Refusal) as refused:
        err.print(f"{refused.zh} / {refused.en}", markup=False)
        raise typer.Exit(1) from None
    out_file.write_bytes(pdf)
    count = len(next(a for a in export.awards if a.rule.key == award).recipients)
    out.print(f"已写出 {count} 张证书 / {count} certificate(s) written: {out_file}", markup=False)
