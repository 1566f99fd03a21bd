"""`make demo`: the two example competitions, scored from generated marks, then served.

1. Prints what the spreadsheet workflow gives: the standings of both example competitions
   computed from plausible generated marks (written to data/demo/<competition>/).
2. Sets up a fresh demo database in data/demo-server (SQLite): the organiser account, both
   competitions and a drill yard with no marks yet (judge-timed, to try the tablets on), a
   panel on every round (the first judges, the first one chief), new access links and PINs
   for the judges, and prints the login and the URLs of each competition's chief and a judge.
3. Serves it on http://127.0.0.1:8000 until Ctrl-C (skipped with --no-serve).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlalchemy import select

from organiser.service import renew_access, set_panel
from results.overall import score_competition
from results.report import competition_table
from scoring.competition import load_competition
from scoring.store.competitions import store_competition
from scoring.store.database import make_engine, migrate, session_factory
from scoring.store.models import Competition, Event, Judge, Round
from scoring.store.users import create_user, new_password
from server.cli import print_frame
from server.demo_marks import write_competition_marks
from web.security import load_secret

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "examples" / "cement" / "competition.toml", ROOT / "examples" / "power_safety" / "competition.toml"]
# served too, with no marks yet: a drill yard to try the tablets (a stopwatch) and the chief's console on
SERVED = [*EXAMPLES, ROOT / "examples" / "drill_yard" / "competition.toml"]
PANEL = 5


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


def set_up_server(data_dir: Path) -> dict[str, Any]:
    """A fresh demo database; returns the organiser's password and the judges' access."""
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    engine = make_engine(f"sqlite:///{data_dir / 'scoring.sqlite3'}")
    migrate(engine)
    sessions = session_factory(engine)
    password = new_password()
    with sessions.begin() as db:
        create_user(db, "organiser", password, "organiser", actor="make demo")
    access: dict[str, list[dict[str, Any]]] = {}
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
            for round_id in rounds:
                set_panel(db, round_id, judges[:PANEL], judges[0], actor="make demo")
            access[competition.key] = renew_access(db, load_secret(data_dir, None), judge_ids, actor="make demo")
    engine.dispose()
    return {"password": password, "access": access}


def main(argv: list[str]) -> None:
    console = Console(highlight=False, width=160)
    print_batch_results(ROOT / "data" / "demo", console)
    data_dir = ROOT / "data" / "demo-server"
    setup = set_up_server(data_dir)
    base = "http://127.0.0.1:8000"
    console.rule("服务器 / Server")
    console.print(
        f"组织者 / organiser: {base}/admin   用户名 / user: organiser   密码 / password: {setup['password']}",
        markup=False,
    )
    for key, judges in setup["access"].items():
        for seat, judge in zip(("裁判长 / chief judge", "评委 / judge"), judges[:2], strict=False):
            console.print(f"{seat} {judge['judge']} ({key}): {base}{judge['link']}   PIN {judge['pin']}", markup=False)
    console.print(f"公众 / public: {base}/api/public/competitions   接口文档 / API: {base}/schema", markup=False)
    if "--no-serve" in argv:
        return
    import os

    import uvicorn

    from server.app import create_app
    from server.settings import Settings

    os.environ.setdefault("SCORING_DATA_DIR", str(data_dir))
    console.print("按 Ctrl-C 停止 / press Ctrl-C to stop")
    uvicorn.run(create_app(Settings.from_env(data_dir)), host="127.0.0.1", port=8000, log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1:])
