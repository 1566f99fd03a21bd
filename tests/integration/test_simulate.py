"""`scoring simulate` against a real server (uvicorn on a free port) on the demo's store: the
judges sign in with the links and PINs the demo writes, claim and submit every sheet of the
live demo's open round, its chief locks it, the quiz master plays the quiz log; run again,
it stores nothing twice. The demo writes the credentials readable by their owner only."""

from __future__ import annotations

import json
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from scoring.store.database import make_engine, session_factory, sqlite_url
from scoring.store.models import Competition, Event, QuizAnswer, Round, Sheet, SheetVersion
from server import demo
from server.app import create_app
from server.cli import app as cli
from server.settings import Settings
from server.simulate import (
    CREDENTIALS_FILE,
    FormField,
    SimulationError,
    make_marks,
    read_credentials,
    run,
    write_credentials,
)
from tests.serving import serve_app

LIVE = "live-demo-2026"


@contextmanager
def _served(data_dir: Path) -> Iterator[str]:
    with serve_app(create_app(Settings(data_dir=data_dir, database_url=sqlite_url(data_dir)))) as base:
        yield base


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo") / "demo-server"
    data.mkdir()
    setup = demo.set_up_server(data)  # no marks: every round open
    write_credentials(data / CREDENTIALS_FILE, "http://127.0.0.1:8000", demo.simulation_access(setup))
    return data


def _counts(data: Path) -> dict[str, object]:
    engine = make_engine(sqlite_url(data))
    with session_factory(engine)() as db:
        cid = db.execute(select(Competition.id).where(Competition.key == LIVE)).scalar_one()
        rounds = dict(
            db.execute(
                select(Event.kind, Round.publication)
                .join(Event, Event.id == Round.event_id)
                .where(Event.competition_id == cid)
            ).all()
        )
        sheets = db.execute(
            select(func.count())
            .select_from(SheetVersion)
            .join(Sheet, Sheet.id == SheetVersion.sheet_id)
            .join(Round, Round.id == Sheet.round_id)
            .join(Event, Event.id == Round.event_id)
            .where(Event.competition_id == cid, SheetVersion.state == "submitted")
        ).scalar_one()
        answers = db.execute(
            select(func.count())
            .select_from(QuizAnswer)
            .join(Round, Round.id == QuizAnswer.round_id)
            .join(Event, Event.id == Round.event_id)
            .where(Event.competition_id == cid)
        ).scalar_one()
    engine.dispose()
    return {"rounds": rounds, "submitted": sheets, "answers": answers}


def test_the_demo_writes_the_credentials_for_its_owner_only(demo_store):
    path = demo_store / CREDENTIALS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    access = {c.key: c for c in read_credentials(path)}
    assert set(access) == {"cement-team-leaders-2023", "safety-culture-2023", "drill-yard-2026", LIVE}
    live = access[LIVE]
    assert [j.judge for j in live.judges] == ["j1", "j2", "j3"]
    assert all(j.link.startswith("/judge/signin/") and len(j.pin) == 6 for j in live.judges)
    assert live.quiz_master is not None and len(live.quiz_master.rounds) == 1
    assert live.quiz_master.rounds[0].teams == tuple(f"t{i:02d}" for i in range(1, 9))
    assert access["drill-yard-2026"].quiz_master is None


def test_simulate_judges_locks_and_plays_the_quiz_then_stores_nothing_twice(demo_store):
    credentials = demo_store / CREDENTIALS_FILE
    said: list[str] = []
    with _served(demo_store) as base:
        live = [c for c in read_credentials(credentials) if c.key == LIVE]
        started = time.monotonic()
        tally = run(base, live, pace=0, report=lambda zh, en: said.append(en))
        assert time.monotonic() - started < 60
        assert tally.refused == 0, said
        assert tally.sheets == 8 * 3 and tally.answers == 4 * 8 + 3 * 8 + 8
        assert len(tally.locked) == 1 and any("locked round" in line for line in said)
        counts = _counts(demo_store)
        assert counts == {"rounds": {"practical": "locked", "quiz": "open"}, "submitted": 24, "answers": 64}
        # again, through the command: the round is closed, the quiz log replays; nothing new is stored
        again = CliRunner().invoke(
            cli,
            ["simulate", base, "--competition", LIVE, "--credentials", str(credentials), "--pace", "0", "--until-done"],
        )
        assert again.exit_code == 0, again.output
        assert "0 sheets submitted, 0 quiz answers" in again.output
        assert _counts(demo_store) == counts


def test_simulate_stops_at_its_steps_and_names_what_is_wrong(demo_store, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["simulate", "http://127.0.0.1:1", "--credentials", str(tmp_path / "none.json")])
    assert missing.exit_code == 1 and "找不到凭据文件" in missing.output and "make demo" in missing.output
    unknown = runner.invoke(
        cli,
        ["simulate", "http://127.0.0.1:1", "--credentials", str(demo_store / CREDENTIALS_FILE), "--competition", "x"],
    )
    assert unknown.exit_code == 1 and "no competition 'x'" in unknown.output and LIVE in unknown.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": 1, "competitions": [{"key": "k", "judges": [{"judge": 3}]}]}))
    refused = runner.invoke(cli, ["simulate", "http://127.0.0.1:1", "--credentials", str(bad)])
    assert refused.exit_code == 1 and "competitions[0].judges[0].judge" in refused.output
    rounds = runner.invoke(cli, ["simulate", "http://127.0.0.1:1", "--credentials", str(bad), "--rounds", "3,x"])
    assert rounds.exit_code == 2 and "--rounds" in rounds.output
    unreachable = runner.invoke(
        cli, ["simulate", "http://127.0.0.1:1", "--credentials", str(demo_store / CREDENTIALS_FILE), "--pace", "0"]
    )
    assert unreachable.exit_code == 1 and "无法连接服务器" in unreachable.output, unreachable.output
    with _served(demo_store) as base:
        drill = [c for c in read_credentials(demo_store / CREDENTIALS_FILE) if c.key == "drill-yard-2026"]
        tally = run(base, drill, pace=0, steps=5)
    assert tally.sheets == 5 and tally.locked == []


def test_marks_are_exact_and_within_each_inputs_limits():
    from decimal import Decimal
    from random import Random

    fields = [
        FormField("scale", "stepper", Decimal(0), Decimal(10), Decimal("0.5")),
        FormField("done", "toggle"),
        FormField("kinks", "counter", Decimal(0), Decimal(2)),
        FormField("time", "stopwatch", None, Decimal(300)),
        FormField("offset", "number", None, Decimal(200)),
        FormField("veto", "veto"),
    ]
    for i in range(200):
        marks = make_marks(fields, f"t{i}", "j1", Random(i))
        assert set(marks) == {"scale", "done", "kinks", "time", "offset"}  # a veto is not called
        assert Decimal(marks["scale"]) % Decimal("0.5") == 0 and 0 <= Decimal(marks["scale"]) <= 10
        assert marks["done"] in ("0", "1") and 0 <= int(marks["kinks"]) <= 2
        assert Decimal(15) <= Decimal(marks["time"]) <= Decimal(300) and 0 <= Decimal(marks["offset"]) <= 200
    with pytest.raises(SimulationError) as refused:
        make_marks([FormField("q1", "answer")], "t1", "j1", Random(1))
    assert "q1" in refused.value.en and "q1" in refused.value.zh
