"""`scoring audit verify` and `scoring audit head`: check the keyed audit chain and every sheet
version against its record, reading only; print the head to put on result sheets.

Registered on the `scoring` app of server/cli.py, which imports this module.
"""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.orm import Session, sessionmaker

from scoring.store.audit import Head
from scoring.store.audit_verify import Report, verify_chain
from scoring.store.database import make_engine, schema_is_current, session_factory
from server.cli import MAX_PROBLEMS, _usage_error, app, err, out
from server.settings import Settings
from server.stores import NoStore, require_store
from web.security import audit_key, existing_secret

audit_app = typer.Typer(help="审计日志 / The audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def _store_to_check(data: Path | None) -> sessionmaker[Session]:
    """Sessions on an existing store with its audit key, for reading only: a missing store, a
    store at an older schema or a missing key is refused (exit 1), and nothing is created,
    migrated or written."""
    settings = Settings.from_env(data)
    try:
        require_store(settings)
    except NoStore as refused:
        err.print(str(refused), markup=False)
        raise typer.Exit(1) from None
    secret = existing_secret(settings.data_dir, settings.secret_key)
    if secret is None:
        err.print(
            f"没有审计日志的密钥：{settings.data_dir / 'secret.key'} 不存在，也未设置 SCORING_SECRET_KEY。"
            "审计链用部署的密钥签名：请在服务器的数据目录（或用其 SCORING_SECRET_KEY）校验 / "
            f"no key for the audit chain: {settings.data_dir / 'secret.key'} is missing and SCORING_SECRET_KEY "
            "is not set; the chain is keyed with the deployment's secret, so check it with the server's data "
            "folder (or its SCORING_SECRET_KEY)",
            markup=False,
        )
        raise typer.Exit(1)
    engine = make_engine(settings.database_url)
    if not schema_is_current(engine):
        engine.dispose()
        err.print(
            f"数据库的结构早于本程序：请先运行 scoring init --data {settings.data_dir}（或启动服务器）升级；"
            f"校验不改动数据库 / the store's schema is older than this program: bring it up to date with "
            f"`scoring init --data {settings.data_dir}` (or by starting the server) first; verify changes nothing",
            markup=False,
        )
        raise typer.Exit(1)
    return session_factory(engine, audit_key=audit_key(secret))


def _anchors(expect: list[str]) -> list[Head]:
    try:
        return [Head.parse(text) for text in expect]
    except ValueError as exc:
        _usage_error("--expect 的格式是 序号:摘要（scoring audit head 打印的）", f"--expect takes seq:digest: {exc}")


def _checked(data: Path | None, expect: list[str]) -> Report:
    """The whole chain and every sheet version checked; every finding printed and exit 1 if any."""
    anchors = _anchors(expect)
    with _store_to_check(data)() as session:
        report = verify_chain(session, anchors)
    for note in report.notes[:MAX_PROBLEMS]:
        out.print(f"  {note}", markup=False)
    if report.findings:
        err.print(
            f"[bold red]审计日志未通过校验 / the audit log does not verify: "
            f"{len(report.findings)} finding(s) in {report.records} records and {report.versions} sheet versions[/]"
        )
        for finding in report.findings[:MAX_PROBLEMS]:
            err.print(f"  {finding}", markup=False)
        if len(report.findings) > MAX_PROBLEMS:
            more = len(report.findings) - MAX_PROBLEMS
            err.print(f"  … and {more} more / 另有 {more} 个")
        raise typer.Exit(1)
    return report


EXPECT_HELP = "a head printed earlier by `scoring audit head` (seq:digest) that the chain must still pass through"


@audit_app.command("verify")
def audit_verify(
    data: Path | None = typer.Option(None, help="data directory (default: $SCORING_DATA_DIR or ./data)"),
    expect: list[str] = typer.Option([], help=EXPECT_HELP),
) -> None:
    """Check the keyed audit chain (no record edited, inserted or deleted), every stored sheet
    version against its record, and any head printed earlier; an empty log fails. Reads only.
    / 校验审计日志与每个评分表版本是否被篡改。"""
    report = _checked(data, expect)
    out.print(
        f"审计日志完整 / the audit log is whole: {report.records} records verified "
        f"(key id 密钥编号 {report.key_id}), {report.versions} sheet versions match their records; "
        f"head 链尾 {report.head}",
        markup=False,
    )


@audit_app.command("head")
def audit_head_command(
    data: Path | None = typer.Option(None, help="data directory (default: $SCORING_DATA_DIR or ./data)"),
) -> None:
    """Verify the audit log, then print its head (seq:digest) to print on result sheets; a
    later `scoring audit verify --expect seq:digest` finds a chain rewritten since.
    / 校验后打印审计链尾摘要，印在成绩单上。"""
    report = _checked(data, [])
    out.print(f"{report.head}", markup=False)
    out.print(
        f"审计链尾 / audit head: record 记录 {report.head.seq if report.head else 0}, key id 密钥编号 "
        f"{report.key_id}; 以后可用 / check later with: scoring audit verify --expect {report.head}",
        markup=False,
    )
