"""`make demo`: the two example competitions, scored from generated marks, then served.

0. Checks first, before anything is written: the port (`--port`, `make demo PORT=8001`) is
   taken at once and kept for the server, and nobody serves data/demo-server (a demo still
   running, or `scoring serve` on it): a taken port or a served database stops the demo with
   nothing changed. The SCORING_* settings the demo relies on are set or cleared, and it says
   which it cleared: a key, another database, HTTPS-only cookies or Redis left in the shell
   would make its links and sign-in fail.
1. Prints what the spreadsheet workflow gives: the standings of both example competitions
   computed from plausible generated marks (written to data/demo/<competition>/).
2. Sets up a fresh demo database in data/demo-server (SQLite): the organiser account, both
   competitions and a drill yard with no marks yet (judge-timed, to try the tablets on), a
   panel on every round marked on score sheets (the first judges, the first one chief; a
   theory paper or a quiz has none, so no judge sees them on a tablet), new access links and PINs
   for the judges, and prints the login and the URLs of each competition's chief and a judge.
   The two examples' generated marks are written into the store through the venue's paths
   (judges' sheets submitted, officials' values, the quiz log; server/demo_store.py), every
   round locked, and published: the cement contest on notice (公示) for a week, the
   safety-culture contest as final, so standings, award lists, the notice and final pages and
   certificates show at once; `scoring results --competition <key> --data data/demo-server`
   then equals `scoring compute` on data/demo/<key>.
   A fourth competition, the live demo (examples/live_demo), is served with no marks and its
   rounds open; a quiz master account is made for it. Every judge's link and PIN and the quiz
   master's account go to data/demo-server/simulate.json (owner-only), what `scoring simulate`
   reads.
3. Serves it on http://127.0.0.1:<port> until Ctrl-C (skipped with --no-serve), and, once the
   server answers, plays a judging run of the live demo through its API in the background
   (server/simulate.py; skipped with --no-simulate), so the big screen and the phone board move.
   Prints where the boards and the quiz console of each competition are.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from organiser.service import renew_access, set_panel
from results.overall import score_competition
from results.publishing import publish_final, publish_notice
from results.report import competition_table
from scoring.competition import load_competition
from scoring.refusals import Refusal
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory, sqlite_url
from scoring.store.draws import record_draw
from scoring.store.models import Competition, Event, Judge, Round
from scoring.store.rounds import event_entry_keys, marked_on_sheets, round_context
from scoring.store.users import create_user, new_password
from server.cli import print_frame
from server.demo_dance import dance_lines, set_up_dance
from server.demo_marks import write_competition_marks
from server.demo_nominations import load_ranger_selection, ranger_urls
from server.demo_online import load_online_practice
from server.demo_store import store_generated_marks
from server.demo_works import print_works, store_five_small
from server.settings import Settings
from server.simulate import (
    CREDENTIALS_FILE,
    CompetitionAccess,
    JudgeAccess,
    QuizMaster,
    QuizRound,
    SimulationError,
    write_credentials,
)
from server.simulate import run as run_simulation
from server.stores import SERVING_LOCK, exclusive_use, serving
from web.security import audit_key, load_secret

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "examples" / "cement" / "competition.toml", ROOT / "examples" / "power_safety" / "competition.toml"]
# served too, with no marks yet: a drill yard to try the tablets (a stopwatch) and the chief's console on
DRILL_YARD = ROOT / "examples" / "drill_yard" / "competition.toml"
# and the live demo, judged by `scoring simulate` in the background while the demo serves
LIVE = ROOT / "examples" / "live_demo" / "competition.toml"
SERVED = [*EXAMPLES, DRILL_YARD, LIVE]
SIMULATED = "live-demo-2026"  # the competition the background simulation judges
PACE = 2.0  # seconds between the simulation's writes
PANEL = 5
HOST = "127.0.0.1"
# the settings the demo decides itself (server/settings.py reads them): a value left in the
# shell would serve another database, sign with another key, send cookies over HTTPS only, or
# need a Redis; the demo clears them
CLEARED = ("SCORING_DATABASE_URL", "SCORING_SECRET_KEY", "SCORING_SECURE_COOKIES", "SCORING_REDIS_URL")


def print_batch_results(data_dir: Path, console: Console) -> None:
    for path in EXAMPLES:
        competition = load_competition(path)
        marks = data_dir / competition.key
        write_competition_marks(competition, marks)
        result = score_competition(competition, marks)
        console.rule(f"{competition.name['zh']} / {competition.name['en']}")
        print_frame(competition_table(result).head(10), "table", title="总成绩前十 / Overall standings, top ten")
        flags = sum(len(r.flags) for r in result.events.values())
        shown = marks.relative_to(ROOT) if marks.is_relative_to(ROOT) else marks
        console.print(
            f"评分分歧标记 / disagreement flags: {flags}; 全部成绩 / all results: "
            f"scoring compute --competition {path.relative_to(ROOT)} --marks {shown}",
            markup=False,
        )


def set_up_server(data_dir: Path, marks_dir: Path | None = None) -> dict[str, Any]:
    """A fresh demo database; returns the organiser's password and the judges' access. With
    `marks_dir` (where print_batch_results wrote them), the example competitions' marks are
    written into the store through the venue's paths and every round is locked.
    Refused (StoreInUse), with nothing changed, while another process serves `data_dir`."""
    with exclusive_use(data_dir):
        for old in data_dir.iterdir():
            if old.name != SERVING_LOCK:  # the lock outlives the wipe
                if old.is_dir() and not old.is_symlink():
                    shutil.rmtree(old)
                else:
                    old.unlink()
        return _fill(data_dir, marks_dir)


def _fill(data_dir: Path, marks_dir: Path | None) -> dict[str, Any]:
    engine = make_engine(f"sqlite:///{data_dir / 'scoring.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine, audit_key=audit_key(load_secret(data_dir, None)))  # keyed like the server's
    password = new_password()
    with sessions.begin() as db:
        create_user(db, "organiser", password, "organiser", actor="make demo")
    access: dict[str, list[dict[str, Any]]] = {}
    quiz: dict[str, dict[str, Any]] = {}
    for path in SERVED:
        competition = load_competition(path)
        with sessions.begin() as db:  # each competition stored, seated and given access at once
            store_competition(db, competition, actor="make demo")
            cid = db.execute(select(Competition.id).where(Competition.key == competition.key)).scalar_one()
            judges = list(
                db.execute(select(Judge.key).where(Judge.competition_id == cid).order_by(Judge.key)).scalars()
            )
            rounds = list(
                db.execute(
                    select(Round.id)
                    .join(Event, Event.id == Round.event_id)
                    .where(Event.competition_id == cid)
                    .order_by(Round.id)
                ).scalars()
            )
            judge_ids = list(
                db.execute(select(Judge.id).where(Judge.competition_id == cid).order_by(Judge.key)).scalars()
            )
            for round_id in rounds:  # theory papers and quizzes are not marked on sheets: no panel
                if marked_on_sheets(db, round_context(db, round_id)):
                    set_panel(db, round_id, judges[:PANEL], judges[0], actor="make demo")
            access[competition.key] = renew_access(db, load_secret(data_dir, None), judge_ids, actor="make demo")
            if path == LIVE:  # a quiz master for its quiz rounds, which the simulation plays
                quiz[competition.key] = _quiz_master(db, cid, competition.key)
                _draw_orders(db, cid)
        if marks_dir is not None and path in EXAMPLES:
            store_generated_marks(sessions, competition, marks_dir / competition.key)
            publish_demo_results(sessions, competition.key, final=path == EXAMPLES[1])
    ranger = load_ranger_selection(sessions, data_dir, load_secret(data_dir, None))  # examples/ranger_selection
    works = store_five_small(sessions, data_dir / "uploads" / "works", load_secret(data_dir, None))
    dance = set_up_dance(sessions, data_dir, marks_dir)  # a DanceSport final judged by placing
    online = load_online_practice(sessions, load_secret(data_dir, None))  # examples/online_practice
    engine.dispose()
    return {
        "password": password,
        "access": access,
        "quiz": quiz,
        "ranger": ranger,
        "works": works,
        "dance": dance,
        "online": online,
    }


def _draw_orders(db: Session, competition_id: int) -> None:
    """The order of performance of each practical round, drawn, so the boards say who is on now."""
    for event in db.execute(
        select(Event).where(Event.competition_id == competition_id, Event.kind == "practical")
    ).scalars():
        for round_id in db.execute(select(Round.id).where(Round.event_id == event.id)).scalars():
            record_draw(
                db,
                round_id=round_id,
                purpose="order",
                entries=event_entry_keys(db, event),
                seed=2026,
                params={},
                drawn_by="make demo",
                actor="make demo",
            )


def _quiz_master(db: Session, competition_id: int, key: str) -> dict[str, Any]:
    """A quiz master account of the competition, and its quiz rounds with their teams."""
    username, password = f"quiz-{key}"[:64], new_password()
    create_user(db, username, password, "quiz_master", "make demo", competition_id)
    events = db.execute(select(Event).where(Event.competition_id == competition_id, Event.kind == "quiz")).scalars()
    rounds = [
        {"round": round_id, "teams": event_entry_keys(db, event)}
        for event in events
        for round_id in db.execute(select(Round.id).where(Round.event_id == event.id).order_by(Round.id)).scalars()
    ]
    return {"username": username, "password": password, "rounds": rounds}


def simulation_access(setup: dict[str, Any]) -> list[CompetitionAccess]:
    """What `scoring simulate` needs, from what set_up_server made: every served competition's
    judges (their links and PINs), and the quiz master where there is one."""
    out = []
    for key, judges in setup["access"].items():
        master = setup["quiz"].get(key)
        out.append(
            CompetitionAccess(
                key,
                tuple(JudgeAccess(j["judge"], j["link"], j["pin"]) for j in judges),
                None
                if master is None
                else QuizMaster(
                    master["username"],
                    master["password"],
                    tuple(QuizRound(r["round"], tuple(r["teams"])) for r in master["rounds"]),
                ),
            )
        )
    return out


def _wait_until_up(base: str, stop: threading.Event, seconds: float = 60.0) -> bool:
    import httpx

    deadline = time.monotonic() + seconds
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=2.0).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        stop.wait(0.2)
    return False


def start_simulation(
    base: str, competitions: list[CompetitionAccess], console: Console, stop: threading.Event
) -> threading.Thread:
    """A thread that waits for the server to answer, then judges the live demo through its API
    at PACE until every round is done or `stop` is set; it says only what matters (a round
    locked, a refusal, the end)."""

    def say(zh: str, en: str) -> None:
        console.print(f"模拟 / simulation: {zh} / {en}", markup=False)

    def work() -> None:
        logging.getLogger("httpx").setLevel(logging.WARNING)  # the server's log shows each request already
        if not _wait_until_up(base, stop):
            return
        try:
            tally = run_simulation(base, competitions, pace=PACE, report=say, wait=stop.wait)
        except SimulationError as exc:
            say(exc.zh, exc.en)
            return
        if not stop.is_set():
            say(
                f"完成：{tally.sheets} 张评分表、{tally.answers} 条竞答记录",
                f"done: {tally.sheets} sheets, {tally.answers} quiz answers",
            )

    thread = threading.Thread(target=work, name="demo-simulation", daemon=True)
    thread.start()
    return thread


def publish_demo_results(sessions: sessionmaker[Session], key: str, final: bool) -> None:
    """Put the locked results on notice (公示) for a week; with `final`, publish them as final at
    once, so the demo shows a notice open to appeal and a final result side by side."""
    with sessions.begin() as db:
        publish_notice(db, key, datetime.now(UTC) + timedelta(days=7), "make demo")
    if final:
        with sessions.begin() as db:
            publish_final(db, key, "make demo", early=True, reason="演示 / the demo publishes its final at once")


def demo_settings(data_dir: Path, console: Console) -> Settings:
    """The settings the demo serves with, whatever the shell exported; says what it cleared."""
    cleared = [name for name in CLEARED if os.environ.pop(name, None) is not None]
    os.environ["SCORING_DATA_DIR"] = str(data_dir)
    console.print(
        f"演示使用自己的设置：数据目录 {data_dir}（SQLite）、密钥保存在该目录、Cookie 可走 HTTP、实时更新在本进程内 / "
        f"the demo sets its own settings: data folder {data_dir} (SQLite), its key kept there, "
        "cookies over plain HTTP, live updates inside this process",
        markup=False,
    )
    if cleared:
        console.print(
            f"已忽略并清除环境变量 / ignored and cleared from the environment: {', '.join(cleared)}", markup=False
        )
    return Settings(data_dir=data_dir, database_url=sqlite_url(data_dir))


def claim_port(port: int) -> socket.socket:
    """The server's socket, bound now so that nothing is set up for a port another process holds."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise
    return sock


def serve_forever(app: Any, sock: socket.socket) -> None:
    import uvicorn

    uvicorn.Server(uvicorn.Config(app, log_level="warning", proxy_headers=False)).run(sockets=[sock])


def _stop(console: Console, zh: str, en: str) -> NoReturn:
    console.print(f"{zh} / {en}", markup=False)
    raise SystemExit(1)


def main(argv: list[str], serve: Callable[[Any, socket.socket], None] = serve_forever) -> None:
    parser = argparse.ArgumentParser(prog="make demo", description="演示 / the demo")
    parser.add_argument("--port", type=int, default=8000, help="port to serve on (make demo PORT=8001)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="folder for demo/ and demo-server/")
    parser.add_argument("--no-serve", action="store_true", help="set up and print, do not serve")
    parser.add_argument(
        "--no-simulate", action="store_true", help="serve without judging the live demo in the background"
    )
    args = parser.parse_args(argv)
    console = Console(highlight=False, width=160)
    err = Console(stderr=True, highlight=False, width=160)
    data_dir = args.data / "demo-server"
    sock = None
    if not args.no_serve:
        try:
            sock = claim_port(args.port)
        except OSError as exc:
            _stop(
                err,
                f"端口 {args.port} 已被占用（也许演示仍在运行）：请先停止它，"
                f"或换一个端口：make demo PORT={args.port + 1}",
                f"port {args.port} is in use ({exc.strerror}; a demo still running?): stop it, or choose another "
                f"port: make demo PORT={args.port + 1}. Nothing was changed.",
            )
    try:
        with exclusive_use(data_dir):  # refuse now, before any work, if another process serves it
            pass
        settings = demo_settings(data_dir, console)
        print_batch_results(args.data / "demo", console)
        setup = set_up_server(data_dir, args.data / "demo")
    except Refusal as refused:
        if sock is not None:
            sock.close()
        _stop(err, refused.zh, refused.en)
    base = f"http://{HOST}:{args.port}"
    shown = data_dir.relative_to(Path.cwd()) if data_dir.is_relative_to(Path.cwd()) else data_dir
    console.rule("服务器 / Server")
    console.print(
        f"组织者 / organiser: {base}/admin   用户名 / user: organiser   密码 / password: {setup['password']}",
        markup=False,
    )
    for key, judges in setup["access"].items():
        for seat, judge in zip(("裁判长 / chief judge", "评委 / judge"), judges[:2], strict=False):
            console.print(f"{seat} {judge['judge']} ({key}): {base}{judge['link']}   PIN {judge['pin']}", markup=False)
    console.print(f"公众 / public: {base}/   接口文档 / API: {base}/schema", markup=False)
    for path in EXAMPLES:
        key = load_competition(path).key
        console.print(
            f"成绩 / results ({key}): {base}/results/{key}   "
            f"组织者 / organiser: {base}/admin/competitions/{key}/results",
            markup=False,
        )
    for line in ranger_urls(base, setup["ranger"]):
        console.print(line, markup=False)
    print_works(console, base, setup["works"])
    for line in dance_lines(base, setup["dance"]):
        console.print(line, markup=False, soft_wrap=True)
    online = setup["online"]
    console.print(
        f"网上练兵 / online drills: 组织者 / organiser {base}{online['organiser']}   "
        f"选手 / contestant {base}{online['contestant']}   单位 / unit {base}{online['unit']}   "
        f"初赛成绩 / results {base}{online['public']}",
        markup=False,
        soft_wrap=True,
    )
    access = simulation_access(setup)
    credentials = data_dir / CREDENTIALS_FILE
    write_credentials(credentials, base, access)
    print_boards(console, base, access, shown / CREDENTIALS_FILE)
    console.print(
        f"导出平板评分 / marks from the tablets: scoring export-marks --competition drill-yard-2026 "
        f"--out data/from-sheets --data {shown}",
        markup=False,
    )
    if sock is None:
        return
    from server.app import create_app

    app = create_app(settings)
    stop = threading.Event()
    if not args.no_simulate:
        console.print(
            f"模拟评分：服务器启动后，每 {PACE:g} 秒提交一张评分表或一条竞答记录（{SIMULATED}；--no-simulate 关闭）/ "
            f"simulated judging: once the server is up, a sheet or a quiz answer every {PACE:g} s "
            f"({SIMULATED}; --no-simulate turns it off)",
            markup=False,
            soft_wrap=True,
        )
        start_simulation(base, [c for c in access if c.key == SIMULATED], console, stop)
    console.print("按 Ctrl-C 停止 / press Ctrl-C to stop")
    try:
        with serving(data_dir):
            serve(app, sock)
    except KeyboardInterrupt:
        pass  # Ctrl-C: the server has stopped; no traceback
    finally:
        stop.set()


def print_boards(console: Console, base: str, access: list[CompetitionAccess], credentials: Path) -> None:
    """Where each competition's live boards are, and its quiz console and quiz master."""
    console.rule("现场大屏 / Live boards")
    for competition in access:
        key = competition.key
        console.print(
            f"{key}: 大屏 / big screen {base}/live/{key}/screen   手机 / phone {base}/live/{key}",
            markup=False,
            soft_wrap=True,
        )
        master = competition.quiz_master
        if master is not None:
            for quiz in master.rounds:
                console.print(
                    f"  竞答控制台 / quiz console: {base}/quiz/rounds/{quiz.round}   "
                    f"用户名 / user: {master.username}   密码 / password: {master.password}",
                    markup=False,
                    soft_wrap=True,
                )
    console.print(
        f"终端查看 / in a terminal: scoring watch {base}/live/{SIMULATED}   "
        f"模拟评分 / simulate: scoring simulate {base} --credentials {credentials} --until-done",
        markup=False,
        soft_wrap=True,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
