"""`scoring simulate` and `scoring watch`: a judging run played through a server's API
(server/simulate.py), and a live board followed in a terminal (server/watch.py).
Registered on the `scoring` app of server/cli.py, which imports this module.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import typer
from rich.live import Live

from server.cli import app, err, out
from server.simulate import MAX_ACTIONS, SimulationError, read_credentials, run
from server.watch import BoardState, Outcome, WatchStopped, follow, socket_url, standings

DEFAULT_CREDENTIALS = Path("data/demo-server/simulate.json")


def _refuse(zh: str, en: str, code: int = 1) -> typer.Exit:
    err.print(f"{zh} / {en}", markup=False)
    return typer.Exit(code)


def _round_ids(text: str | None) -> set[int] | None:
    if text is None:
        return None
    ids = set()
    for part in text.split(",")[:1000]:
        if not part.strip().isdigit() or len(part.strip()) > 12:
            raise _refuse(
                f"--rounds 应为以逗号分隔的轮次编号，如 3,4，而“{part.strip()}”不是",
                f"--rounds takes round ids separated by commas, e.g. 3,4; '{part.strip()}' is not one",
                2,
            )
        ids.add(int(part))
    return ids


@app.command()
def simulate(
    url: str = typer.Argument(..., help="the server, e.g. http://127.0.0.1:8000"),
    competition: str | None = typer.Option(
        None, help="only this competition (its key); default: every one in the file"
    ),
    pace: float = typer.Option(2.0, min=0, max=3600, help="seconds between two writes"),
    rounds: str | None = typer.Option(None, help="only these rounds, by id: 3,4"),
    until_done: bool = typer.Option(
        False, "--until-done", help="go on until every round is locked and every quiz log played"
    ),
    steps: int = typer.Option(50, min=1, max=MAX_ACTIONS, help="stop after this many writes (without --until-done)"),
    credentials: Path = typer.Option(
        DEFAULT_CREDENTIALS, help="judges' links and PINs, the quiz master (make demo writes it)"
    ),
) -> None:
    """Judge through a server's API at a steady pace, as judges, chiefs and the quiz master do.
    / 模拟评分：按固定节奏通过服务器接口提交评分表、锁定轮次、记录竞答。"""
    wanted = _round_ids(rounds)
    try:
        access = read_credentials(credentials)
    except SimulationError as exc:
        raise _refuse(exc.zh, exc.en) from None
    if competition is not None:
        access = [c for c in access if c.key == competition]
        if not access:
            known = ", ".join(c.key for c in read_credentials(credentials)) or "—"
            raise _refuse(
                f"凭据文件 {credentials} 中没有竞赛“{competition}”（有：{known}）",
                f"no competition '{competition}' in the credentials file {credentials} (it has: {known})",
            )

    def say(zh: str, en: str) -> None:
        out.print(f"{zh} / {en}", markup=False)

    done = [0]

    def wait(seconds: float) -> bool:
        done[0] += 1
        out.print(f"  {done[0]} 次提交 / writes", markup=False, end="\r")
        time.sleep(seconds)
        return False

    try:
        tally = run(url, access, pace=pace, rounds=wanted, steps=None if until_done else steps, report=say, wait=wait)
    except SimulationError as exc:
        raise _refuse(exc.zh, exc.en) from None
    except KeyboardInterrupt:
        raise _refuse("已中断", "interrupted", 130) from None
    locked = ", ".join(str(r) for r in tally.locked) or "—"
    out.print(
        f"提交评分表 {tally.sheets} 张，竞答记录 {tally.answers} 条，锁定轮次 {locked}，被拒绝 {tally.refused} 次 / "
        f"{tally.sheets} sheets submitted, {tally.answers} quiz answers, rounds locked: {locked}, "
        f"refused: {tally.refused}",
        markup=False,
    )
    if tally.refused:
        raise typer.Exit(1)


@app.command()
def watch(
    url: str = typer.Argument(..., help="a board's page (http://host:8000/live/KEY) or its socket (ws://.../ws)"),
    as_json: bool = typer.Option(False, "--json", help="print every message as one JSON line, nothing else"),
    lang: str = typer.Option("zh", help="zh or en"),
    count: int | None = typer.Option(None, min=1, max=10_000_000, help="stop after this many messages"),
) -> None:
    """Follow a live board in the terminal: the overall standings, refreshed as they change.
    / 在终端中查看现场大屏的实时总成绩。"""
    if lang not in ("zh", "en"):
        raise _refuse(f"--lang 应为 zh 或 en，而不是“{lang}”", f"--lang is zh or en, not '{lang}'", 2)
    try:
        socket_url(url)
    except WatchStopped as exc:
        raise _refuse(exc.zh, exc.en, 2) from None
    state = BoardState()

    def note(live: bool, why: str) -> None:
        if not live:
            err.print(f"连接中断，稍后重连 / not live ({why}); reconnecting", markup=False)

    try:
        if as_json:

            def emit(message: dict[str, Any], _: Outcome) -> None:
                sys.stdout.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n")
                sys.stdout.flush()

            asyncio.run(follow(url, state, emit, note, count))
            return
        with Live(standings(state, lang), console=out, auto_refresh=False, transient=False) as screen:

            def show(_: dict[str, Any], __: Outcome) -> None:
                screen.update(standings(state, lang), refresh=True)

            def status(live: bool, why: str) -> None:
                screen.update(standings(state, lang, live), refresh=True)

            asyncio.run(follow(url, state, show, status, count))
    except WatchStopped as exc:
        raise _refuse(exc.zh, exc.en) from None
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
