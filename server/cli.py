"""The `scoring` command: validate files, compute results from spreadsheets, import rosters.

Each command parses its arguments, calls the core, and prints. Any problem in the input is
printed with its file, line or row, and the command exits with status 1 having changed nothing.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from results.overall import score_competition
from results.report import competition_table, event_table, question_table
from results.spreadsheet import neutralised
from scoring.competition import load_competition, read_competition
from scoring.problems import InvalidInput
from scoring.roster import COLUMNS, apply_import, plan_import
from scoring.rules_file import bind_rules_file, kind_of
from scoring.store.audit import verify as verify_audit
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.models import Competition, Event, Round, Sheet
from scoring.store.sheet_marks import round_marks
from scoring.store.users import create_user, has_organiser, new_password
from scoring.tomlsource import load_toml_file
from server.settings import Settings

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
                count = len(bound.rubric.criteria()) if bound.rubric else 0
                out.print(
                    f"OK {path}: {kind} rules 规则, {count} criteria 评分项, max 满分 {maximum if maximum else '-'}",
                    markup=False,
                )
        except InvalidInput as exc:
            failed = True
            report_problems(exc)
    raise typer.Exit(1 if failed else 0)


def _print_explanation(result: Any, entry: str) -> None:
    explanation = result.explain(entry)
    if explanation is None:
        err.print(f"没有参赛对象“{entry}”的成绩 / no result for entry '{entry}'", markup=False)
        raise typer.Exit(1)
    out.print(result.render(explanation), markup=False)


@app.command()
def compute(
    rubric: Path | None = typer.Option(None, help="a rubric or quiz rules file (TOML)"),
    competition: Path | None = typer.Option(None, help="a competition file (TOML)"),
    marks: Path = typer.Option(..., help="marks file (.csv/.xlsx), or with --competition a folder of <event>.csv"),
    fmt: str = typer.Option("table", "--format", help="table, csv or json"),
    explain: str | None = typer.Option(None, help="print the full working for this entry"),
    event: str | None = typer.Option(None, help="with --competition: show this event's results"),
    questions: bool = typer.Option(False, help="theory: print per-question difficulty and discrimination"),
) -> None:
    """Compute scores and ranks from marks. / 根据评分计算成绩与名次。"""
    if fmt not in ("table", "csv", "json"):
        err.print("--format 必须是 table、csv 或 json / --format must be table, csv or json")
        raise typer.Exit(2)
    if (rubric is None) == (competition is None):
        err.print("请给出 --rubric 或 --competition 之一 / give exactly one of --rubric or --competition")
        raise typer.Exit(2)
    try:
        if rubric is not None:
            result = bind_rules_file(rubric).score_file(marks)
            if explain:
                _print_explanation(result, explain)
                return
            print_frame(event_table(result), fmt, title=f"{rubric.stem}")
            stats = question_table(result)
            if questions and stats is not None:
                print_frame(stats, fmt, title="questions 题目分析")
            return
        assert competition is not None
        comp = load_competition(competition)
        outcome = score_competition(comp, marks)
        if event is not None or explain:
            key = event or ""
            if key and comp.event(key) is None:
                err.print(f"没有赛项“{key}” / no event '{key}'; events: {', '.join(e.key for e in comp.events)}")
                raise typer.Exit(1)
            if explain:
                keys = [key] if key else [e.key for e in comp.events]
                for k in keys:
                    if outcome.events[k].explain(explain) is not None:
                        out.print(f"== {k}", markup=False)
                        _print_explanation(outcome.events[k], explain)
                return
            print_frame(event_table(outcome.events[key]), fmt, title=key)
            return
        print_frame(competition_table(outcome), fmt, title=comp.name["zh"] + " / " + comp.name["en"])
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
    at /api (described at /schema). / 启动服务器：组织者页面 /admin，裁判平板 /judge，接口 /api。"""
    import uvicorn

    from server.app import create_app

    uvicorn.run(create_app(Settings.from_env(data)), host=host, port=port, log_level="info")


audit_app = typer.Typer(help="审计日志 / The audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def _database(data: Path | None) -> tuple[Settings, Any]:
    settings = Settings.from_env(data)
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    migrate(engine)
    return settings, session_factory(engine)


@app.command()
def init(
    data: Path | None = typer.Option(None, help="data directory (default: $SCORING_DATA_DIR or ./data)"),
    competition: Path | None = typer.Option(None, help="also store this competition file"),
    organiser: str = typer.Option("organiser", help="user name of the first organiser"),
) -> None:
    """Create the data directory and database, and the first organiser. / 初始化数据库与首位组织者。"""
    settings, sessions = _database(data)
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
    _, sessions = _database(data)
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


@audit_app.command("verify")
def audit_verify(
    data: Path | None = typer.Option(None, help="data directory (default: $SCORING_DATA_DIR or ./data)"),
) -> None:
    """Check that no audit record was edited, inserted or deleted. / 校验审计日志是否被篡改。"""
    _, sessions = _database(data)
    with sessions() as session:
        count, findings = verify_audit(session)
    if findings:
        err.print(
            f"[bold red]审计日志被改动 / the audit log was tampered with: "
            f"{len(findings)} finding(s) in {count} records[/]"
        )
        for finding in findings:
            err.print(f"  {finding}", markup=False)
        raise typer.Exit(1)
    out.print(f"审计日志完整 / the audit log is whole: {count} records verified")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
