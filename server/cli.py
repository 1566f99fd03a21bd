"""The `scoring` command: validate files, compute results from spreadsheets, import rosters.

Each command parses its arguments, calls the core, and prints. Any problem in the input is
printed with its file, line or row, and the command exits with status 1 having changed nothing.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from results.overall import score_competition
from results.report import competition_table, event_table, question_table
from results.spreadsheet import neutralised
from scoring.competition import load_competition, read_competition
from scoring.problems import InvalidInput
from scoring.roster import COLUMNS, apply_import, plan_import
from scoring.rules_file import bind_rules_file, kind_of
from scoring.store.audit import head as audit_head
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, private_dir, session_factory
from scoring.store.models import Competition, Event, Round, Sheet
from scoring.store.sheet_marks import round_marks
from scoring.store.users import create_user, has_organiser, new_password
from scoring.tomlsource import load_toml_file
from server.addresses import lan_addresses, serve_banner
from server.settings import Settings
from server.stores import NoStore, open_store, require_store, serving
from web.security import audit_key, load_secret

app = typer.Typer(
    help="技能竞赛评分系统 / Competition scoring and judging.", no_args_is_help=True, pretty_exceptions_enable=False
)
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)
MAX_PROBLEMS = 200


def report_problems(exc: InvalidInput) -> None:
    problems = exc.problems
    err.print(f"[bold red]发现 {len(problems)} 个问题 / {len(problems)} problem(s) found; nothing was changed.[/]")
    for p in problems[:MAX_PROBLEMS]:
        err.print(f"  {p}", markup=False)
    if len(problems) > MAX_PROBLEMS:
        err.print(f"  … and {len(problems) - MAX_PROBLEMS} more / 另有 {len(problems) - MAX_PROBLEMS} 个")


def print_frame(frame: pd.DataFrame, fmt: str, title: str = "") -> None:
    if fmt == "csv":
        sys.stdout.write(neutralised(frame).to_csv(index=False))
    elif fmt == "json":
        sys.stdout.write(json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        table = Table(title=title or None, show_lines=False)
        for column in frame.columns:
            table.add_column(str(column), justify="right" if column in ("place", "score", "overall") else "left")
        for row in frame.itertuples(index=False):
            table.add_row(*[str(v) for v in row])
        out.print(table)


@app.command()
def validate(files: list[Path] = typer.Argument(..., help="competition, rubric or quiz rules files (TOML)")) -> None:
    """Check competition and rubric files; print every problem. / 检查竞赛文件与评分标准文件。"""
    failed = False
    for path in files:
        try:
            doc = load_toml_file(path)
            if kind_of(doc) == "competition":
                comp = read_competition(doc)
                out.print(
                    f"OK {path}: competition 竞赛 {comp.key}: {len(comp.units)} units 单位, "
                    f"{len(comp.teams)} teams 队, "
                    f"{len(comp.contestants)} contestants 选手, {len(comp.events)} events 赛项",
                    markup=False,
                )
            else:
                bound = bind_rules_file(path)
                kind, maximum = bound.key, bound.max_score
                count = len(bound.rubric.all_criteria()) if bound.rubric else 0
                out.print(
                    f"OK {path}: {kind} rules 规则, {count} criteria 评分项, max 满分 {maximum if maximum else '-'}",
                    markup=False,
                )
        except InvalidInput as exc:
            failed = True
            report_problems(exc)
    raise typer.Exit(1 if failed else 0)


def _usage_error(zh: str, en: str) -> NoReturn:
    """An option that would be ignored, or that contradicts another: say which, change nothing."""
    err.print(f"{zh} / {en}", markup=False)
    raise typer.Exit(2)


def _check_compute_options(
    rubric: Path | None,
    competition: Path | None,
    fmt: str | None,
    explain: str | None,
    event: str | None,
    questions: bool,
) -> None:
    """Every option given must be used: one that would be ignored, or that contradicts another, is an error."""
    if fmt is not None and fmt not in ("table", "csv", "json"):
        _usage_error("--format 必须是 table、csv 或 json", "--format must be table, csv or json")
    if (rubric is None) == (competition is None):
        _usage_error("请给出 --rubric 或 --competition 之一", "give exactly one of --rubric or --competition")
    if rubric is not None and event is not None:
        _usage_error(
            "--event 只用于 --competition（一个评分细则文件就是一个赛项）",
            "--event needs --competition (a rubric file is one event)",
        )
    if explain and questions:
        _usage_error(
            "--questions 与 --explain 不能同时使用：去掉其一",
            "--questions and --explain do not go together (one entry's working has no item analysis): drop one",
        )
    if explain and fmt is not None:
        _usage_error(
            "--format 不适用于 --explain（计算过程是文本）", "--format does not apply to --explain: the working is text"
        )
    if competition is not None and questions and event is None:
        _usage_error(
            "--questions 需要 --event 指定一个理论赛项",
            "--questions needs --event naming a theory event, e.g. --event theory --questions",
        )


def _no_questions(event: str) -> NoReturn:
    _usage_error(
        f"赛项“{event}”不是理论试卷，没有题目分析（--questions）",
        f"{event} is not a theory paper: it has no item analysis (--questions)",
    )


def _no_result(entry: str, where: str = "") -> NoReturn:
    zh_where = f"（赛项 {where}）" if where else ""
    en_where = f" in event {where}" if where else ""
    err.print(f"没有参赛对象“{entry}”的成绩{zh_where} / no result for entry '{entry}'{en_where}", markup=False)
    raise typer.Exit(1)


@app.command()
def compute(
    rubric: Path | None = typer.Option(None, help="a rubric or quiz rules file (TOML)"),
    competition: Path | None = typer.Option(None, help="a competition file (TOML)"),
    marks: Path = typer.Option(..., help="marks file (.csv/.xlsx), or with --competition a folder of <event>.csv"),
    fmt: str | None = typer.Option(None, "--format", help="table (the default), csv or json"),
    explain: str | None = typer.Option(None, help="print the full working for this entry"),
    event: str | None = typer.Option(None, help="with --competition: show this event's results only"),
    questions: bool = typer.Option(False, help="theory: also print per-question difficulty and discrimination"),
) -> None:
    """Compute scores and ranks from marks. / 根据评分计算成绩与名次。"""
    _check_compute_options(rubric, competition, fmt, explain, event, questions)
    shape = fmt or "table"
    try:
        if rubric is not None:
            bound = bind_rules_file(rubric)
            if questions and bound.key != "theory":
                _no_questions(rubric.stem)
            result = bound.score_file(marks)
            if explain:
                explanation = result.explain(explain)
                if explanation is None:
                    _no_result(explain)
                out.print(result.render(explanation), markup=False)
                return
            print_frame(event_table(result), shape, title=f"{rubric.stem}")
            stats = question_table(result)
            if questions and stats is not None:
                print_frame(stats, shape, title="questions 题目分析")
            return
        assert competition is not None
        comp = load_competition(competition)
        chosen = comp.event(event) if event is not None else None
        if event is not None and chosen is None:
            err.print(f"没有赛项“{event}” / no event '{event}'; events: {', '.join(e.key for e in comp.events)}")
            raise typer.Exit(1)
        if questions and chosen is not None and chosen.kind != "theory":
            _no_questions(chosen.key)
        outcome = score_competition(comp, marks)
        if explain:
            keys = [event] if event is not None else [e.key for e in comp.events]
            found = [(k, outcome.events[k].explain(explain)) for k in keys]
            if all(explanation is None for _, explanation in found):
                _no_result(explain, event or "")
            for k, explanation in found:
                if explanation is not None:
                    out.print(f"== {k}", markup=False)
                    out.print(outcome.events[k].render(explanation), markup=False)
            return
        if event is not None:
            print_frame(event_table(outcome.events[event]), shape, title=event)
            stats = question_table(outcome.events[event])
            if questions and stats is not None:
                print_frame(stats, shape, title=f"{event}: questions 题目分析")
            return
        print_frame(competition_table(outcome), shape, title=comp.name["zh"] + " / " + comp.name["en"])
    except InvalidInput as exc:
        report_problems(exc)
        raise typer.Exit(1) from None


@app.command("import-roster")
def import_roster(
    roster: Path = typer.Argument(..., help="roster file (.csv/.xlsx): unit, team, contestant, name, role"),
    competition: Path = typer.Option(..., help="the competition file to add the roster to"),
    yes: bool = typer.Option(False, "--yes", help="write without asking"),
    dry_run: bool = typer.Option(False, "--dry-run", help="show the preview and errors only"),
) -> None:
    """Import units, teams and contestants from a spreadsheet; all or nothing. / 从表格导入名单。"""
    try:
        comp = load_competition(competition)
        plan = plan_import(roster, comp)
    except InvalidInput as exc:
        report_problems(exc)
        raise typer.Exit(1) from None
    preview = pd.DataFrame([asdict(r) for r in plan.rows], columns=["row", *COLUMNS])
    print_frame(
        preview,
        "table",
        title=f"preview 预览: {len(preview)} rows 行, {len(plan.new_units)} new units 新单位, "
        f"{len(plan.new_teams)} new teams 新参赛队",
    )
    if plan.problems:
        report_problems(InvalidInput(plan.problems))
        raise typer.Exit(1)
    if dry_run:
        return
    if not yes and not typer.confirm("写入竞赛文件？ / Write to the competition file?", default=False):
        out.print("未写入 / nothing written")
        return
    try:
        apply_import(plan, competition)
    except InvalidInput as exc:
        report_problems(exc)
        raise typer.Exit(1) from None
    out.print(f"已导入 {len(preview)} 名选手 / imported {len(preview)} contestants into {competition}", markup=False)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    data: Path | None = typer.Option(None, help="data directory (default: $SCORING_DATA_DIR or ./data)"),
) -> None:
    """Start the web server: organiser pages at /admin, judges' tablets at /judge, the JSON API
    at /api (described at /schema). Prints the addresses it can be reached at (--host 0.0.0.0
    for the tablets of a venue's network). / 启动服务器：组织者页面 /admin，裁判平板 /judge，接口 /api。"""
    import uvicorn

    from server.app import create_app

    settings = Settings.from_env(data)
    try:
        require_store(settings)
    except NoStore as refused:
        err.print(str(refused), markup=False)
        raise typer.Exit(1) from None
    app = create_app(settings)
    for line in serve_banner(host, port, settings.public_url, lan_addresses()):
        out.print(line, markup=False)
    with serving(settings.data_dir):  # `make demo` never wipes a folder that is being served
        options = settings.uvicorn_proxy_options()
        uvicorn.run(app, host=host, port=port, log_level="info", **options)  # type: ignore[arg-type]


def _create_store(data: Path | None) -> tuple[Settings, Any]:
    """The store of `scoring init`, made where it is missing: the one command that creates one."""
    settings = Settings.from_env(data)
    if settings.database_url.startswith("sqlite"):
        private_dir(settings.data_dir)
    engine = make_engine(settings.database_url)
    migrate(engine)
    # the records init writes are keyed like the server's: its secret is made here if need be
    return settings, session_factory(engine, audit_key=audit_key(load_secret(settings.data_dir, settings.secret_key)))


def _existing_store(data: Path | None) -> sessionmaker[Session]:
    """The store every other command works on; a missing one is refused with how to make it."""
    try:
        return open_store(Settings.from_env(data))
    except NoStore as refused:
        err.print(str(refused), markup=False)
        raise typer.Exit(1) from None


@app.command()
def init(
    data: Path | None = typer.Option(None, help="data directory (default: $SCORING_DATA_DIR or ./data)"),
    competition: Path | None = typer.Option(None, help="also store this competition file"),
    organiser: str = typer.Option("organiser", help="user name of the first organiser"),
) -> None:
    """Create the data directory and database, and the first organiser. / 初始化数据库与首位组织者。"""
    settings, sessions = _create_store(data)
    out.print(f"数据库已就绪 / database ready: {settings.database_url}", markup=False)
    password = new_password()
    with sessions.begin() as session:
        exists = has_organiser(session)
        if not exists:
            create_user(session, organiser, password, "organiser", actor="scoring init")
    if exists:
        out.print("组织者账号已存在，未重新创建 / an organiser already exists; no new password was made")
    else:
        out.print(f"组织者 / organiser: {organiser}  密码 / password: {password}", markup=False)
        out.print("密码只显示这一次，请妥善保存 / the password is shown only this once: keep it safe")
    if competition is not None:
        try:
            loaded = load_competition(competition)
            with sessions.begin() as session:
                store_competition(session, loaded, actor="scoring init")
        except InvalidInput as exc:
            report_problems(exc)
            raise typer.Exit(1) from None
        out.print(f"已保存竞赛 / stored competition {loaded.key}", markup=False)


@app.command("export-marks")
def export_marks(
    competition: str = typer.Option(..., help="the stored competition's key"),
    out_dir: Path = typer.Option(..., "--out", help="folder to write one <event>.csv per event into"),
    data: Path | None = typer.Option(None, help="data directory (default: $SCORING_DATA_DIR or ./data)"),
) -> None:
    """Write the marks of the judges' sheets in the format `scoring compute` reads, for every
    round with sheets: locked sheets only, unless the event says results_before_lock.
    / 导出评分表中的评分（仅已锁定的），供 scoring compute 计算成绩。"""
    sessions = _existing_store(data)
    with sessions() as session:
        found = session.execute(select(Competition).where(Competition.key == competition)).scalar_one_or_none()
        if found is None:
            err.print(f"没有竞赛“{competition}” / no stored competition '{competition}'", markup=False)
            raise typer.Exit(1)
        rounds = session.execute(
            select(Event.key, Round.key, Round.id)
            .join(Round, Round.event_id == Event.id)
            .where(Event.competition_id == found.id, Round.id.in_(select(Sheet.round_id)))
            .order_by(Event.id, Round.id)
        ).all()
        exported = [(event, key, round_marks(session, round_id)) for event, key, round_id in rounds]
        read_at = audit_head(session)
    per_event: dict[str, int] = {}
    for event, _, _ in exported:
        per_event[event] = per_event.get(event, 0) + 1
    out_dir.mkdir(parents=True, exist_ok=True)
    table = Table(title="评分表导出 / marks exported from sheets")
    for column in ("file", "sheets counted 已计入", "left out 未计入"):
        table.add_column(column)
    for event, key, marks in exported:
        name = f"{event}.csv" if per_event[event] == 1 else f"{event}.{key}.csv"
        neutralised(marks.marks).to_csv(out_dir / name, index=False)
        states: dict[str, int] = {}
        for _, _, state in marks.left_out:
            states[state] = states.get(state, 0) + 1
        left = ", ".join(f"{state} {n}" for state, n in sorted(states.items())) or "—"
        table.add_row(name, str(marks.counted), left)
    out.print(table)
    out.print(f"scoring compute --competition <file> --marks {out_dir}", markup=False)
    if read_at is not None:  # ties the exported marks to a point of the audit chain
        out.print(f"读取时的审计链尾 / marks read at audit head: {read_at}", markup=False)


# the commands of server/cli_results.py, cli_audit.py and cli_live.py register themselves on `app`
from server import cli_audit, cli_live, cli_results  # noqa: E402, F401


def main() -> None:
    app()


if __name__ == "__main__":
    main()
