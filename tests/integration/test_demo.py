"""`make demo` on a machine that is already busy: a taken port, a demo still serving, settings
left in the environment (issue 9, items 16 and 17)."""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from server import demo
from server.stores import serving
from tests.helpers import ROOT
from tests.serving import free_port

LEAKY = {
    "SCORING_SECRET_KEY": "a key the demo's links were not signed with",
    "SCORING_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    "SCORING_SECURE_COOKIES": "1",
    "SCORING_REDIS_URL": "redis://127.0.0.1:1/0",
    "SCORING_DATA_DIR": "/nonexistent/elsewhere",
}


def _listening_port() -> socket.socket:
    """A port another process has taken (here: a listening socket of the test's own)."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    return taken


def _an_earlier_demo(data: Path) -> bytes:
    """A demo database that another demo set up, to be left untouched."""
    (data / "demo-server").mkdir(parents=True)
    (data / "demo-server" / "scoring.sqlite3").write_bytes(b"the running demo's database")
    return b"the running demo's database"


def _never_serve(app: Any, sock: socket.socket) -> None:
    raise AssertionError("the demo must not serve")


def test_demo_on_a_taken_port_stops_before_it_destroys_anything(tmp_path, capsys):
    before = _an_earlier_demo(tmp_path)
    with _listening_port() as taken:
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as stopped:
            demo.main(["--data", str(tmp_path), "--port", str(port)], serve=_never_serve)
    assert stopped.value.code == 1
    said = capsys.readouterr()
    assert f"端口 {port} 已被占用" in said.err and f"port {port} is in use" in said.err
    assert "make demo PORT=" in said.err
    assert (tmp_path / "demo-server" / "scoring.sqlite3").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-server"]  # no marks written either
    assert "password" not in said.out


def test_demo_never_wipes_a_database_another_process_serves(tmp_path, capsys):
    before = _an_earlier_demo(tmp_path)
    with serving(tmp_path / "demo-server"):  # as `scoring serve` or a running demo holds it
        with pytest.raises(SystemExit) as stopped:
            demo.main(["--data", str(tmp_path), "--port", str(free_port())], serve=_never_serve)
        assert stopped.value.code == 1
        with pytest.raises(SystemExit):
            demo.main(["--data", str(tmp_path), "--no-serve"], serve=_never_serve)
    said = capsys.readouterr()
    assert "正被另一个进程使用" in said.err and "another process is serving" in said.err
    assert (tmp_path / "demo-server" / "scoring.sqlite3").read_bytes() == before
    assert "password" not in said.out


def test_make_demo_takes_a_port():
    dry = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "demo", "PORT=8001", "VENV=/nonexistent/venv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert re.search(r"-m server\.demo .*--port 8001", dry.stdout), dry.stdout + dry.stderr


def test_demo_clears_the_settings_it_relies_on_says_so_and_its_links_work(tmp_path, capsys, monkeypatch):
    """With SCORING_* variables exported (a key, another database, HTTPS-only cookies, Redis),
    the demo still serves its own database with links signed by the key it serves with."""
    for name, value in LEAKY.items():
        monkeypatch.setenv(name, value)
    served: dict[str, Any] = {}

    def serve(app: Any, sock: socket.socket) -> None:
        served["app"], served["port"] = app, sock.getsockname()[1]

    port = free_port()
    demo.main(["--data", str(tmp_path), "--port", str(port)], serve=serve)
    out = capsys.readouterr().out
    assert served["port"] == port
    for name in ("SCORING_SECRET_KEY", "SCORING_DATABASE_URL", "SCORING_SECURE_COOKIES", "SCORING_REDIS_URL"):
        assert name in out, name
        assert name not in demo.os.environ, name
    assert "已忽略并清除" in out and "ignored and cleared" in out
    assert demo.os.environ["SCORING_DATA_DIR"] == str(tmp_path / "demo-server")
    password = re.search(r"password: (\S+)", out)
    links = re.findall(rf"http://127\.0\.0\.1:{port}(/judge/signin/\S+)", out)
    assert password and len(links) == 9 + 3, (
        out
    )  # two of each competition's, the five-small expert's, and 3: the dance rounds' chairpersons and a judge
    for key in ("cement-team-leaders-2023", "safety-culture-2023", "drill-yard-2026", "live-demo-2026"):
        assert f"http://127.0.0.1:{port}/live/{key}/screen" in out, key
        assert re.search(rf"phone http://127\.0\.0\.1:{port}/live/{key}$", out, re.M), key
    assert re.search(rf"quiz console: http://127\.0\.0\.1:{port}/quiz/rounds/\d+", out), out
    assert "大屏 / big screen" in out and "竞答控制台 / quiz console" in out and "simulated judging" in out
    assert f"http://127.0.0.1:{port}/nominations/ranger-2026/list" in out, out
    credentials = tmp_path / "demo-server" / "simulate.json"
    assert credentials.stat().st_mode & 0o777 == 0o600  # judges' links and PINs: the owner's only
    with TestClient(served["app"]) as organiser:
        signed_in = organiser.post("/api/session", json={"username": "organiser", "password": password[1]})
        assert signed_in.status_code == 200, signed_in.text
        assert (
            len(organiser.get("/api/admin/competitions").json()) == 9
        )  # the four, the ranger selection, five-small, the dance final and its copy, the online drills
        works = organiser.get("/admin/competitions/five-small-2026/works")
        assert works.status_code == 200 and "W040" in works.text and "同一成果重复提交" in works.text
        online = re.search(rf"organiser http://127\.0\.0\.1:{port}(/admin/\S+/online)", out)
        assert online and organiser.get(online[1]).status_code == 200, out
    unit = re.search(rf"http://127\.0\.0\.1:{port}(/works/unit/\S+)", out)
    assert unit and f"http://127.0.0.1:{port}/calls/five-small-2026" in out, out
    with TestClient(served["app"]) as visitor:
        assert "入围名单 (14)" in visitor.get("/calls/five-small-2026").text
        assert visitor.get(unit[1]).status_code == 200
        # the landing page links every public page of the stages before a final, in both languages
        landing = {lang: visitor.get(f"/?lang={lang}").text for lang in ("zh", "en")}
        online_board = re.search(r'href="(/online/results/[^"]+)"', landing["zh"])
        assert online_board and visitor.get(online_board[1]).status_code == 200, landing["zh"]
        for href, zh, en in [
            ("/calls/five-small-2026", "作品征集", "Call for entries"),
            ("/nominations/ranger-2026", "推荐评选", "Nominations"),
            ("/nominations/ranger-2026/list", "公布名单", "Published list"),
            ("/online", "输入答题码", "Enter your code"),
        ]:
            assert f'href="{href}">{zh}<' in landing["zh"] and f'href="{href}">{en}<' in landing["en"], href
            assert visitor.get(href).status_code == 200, href
    for path in re.findall(rf"http://127\.0\.0\.1:{port}(/online/\S+)", out):  # contestant, unit, results
        with TestClient(served["app"]) as holder:
            assert holder.get(path).status_code == 200, path
    assert len(re.findall(rf"http://127\.0\.0\.1:{port}(/online/\S+)", out)) == 3, out
    seen: set[str] = set()
    for link in links:
        with TestClient(served["app"]) as judge:
            assert judge.get(link, follow_redirects=False).status_code in (302, 303), link
            assigned = judge.get("/api/judge/assignments")
            assert assigned.status_code == 200, link
            seen |= {a["event"] for a in assigned.json()}
            home = judge.get("/judge")  # the tablet's list of rounds
            assert "理论知识" not in home.text and "safety_quiz" not in home.text, link
    # a cement judge sees the practical projects, never the theory paper's 140 answer sheets
    assert "digital_enablement" in seen and "theory" not in seen and "safety_quiz" not in seen, seen
    _the_demos_results_are_published_and_equal_scoring_compute(tmp_path, served["app"])
    _the_dance_round_is_locked_and_equals_scoring_compute(tmp_path, served["app"], out, port)


def _the_demos_results_are_published_and_equal_scoring_compute(data: Path, app: Any) -> None:
    """The marks the demo stored through the venue's paths give, from the store, the standings
    `scoring compute` gives from the demo's files, row for row; the public sees the cement
    contest on notice and the safety-culture contest final, with their award lists."""
    from typer.testing import CliRunner

    from server.cli import app as cli

    runner = CliRunner()
    for path in demo.EXAMPLES:
        key = demo.load_competition(path).key
        stored = runner.invoke(
            cli,
            ["results", "--competition", key, "--data", str(data / "demo-server"), "--published", "--format", "csv"],
        )
        computed = runner.invoke(
            cli, ["compute", "--competition", str(path), "--marks", str(data / "demo" / key), "--format", "csv"]
        )
        assert stored.exit_code == 0 and computed.exit_code == 0, stored.output + computed.output
        assert stored.stdout.splitlines() == computed.stdout.splitlines(), key
    with TestClient(app) as visitor:
        notice = visitor.get("/results/cement-team-leaders-2023")
        final = visitor.get("/results/safety-culture-2023?lang=en")
        assert notice.status_code == 200 and "公示" in notice.text and "一等奖" in notice.text
        assert final.status_code == 200 and "Team first prize" in final.text


def _the_dance_round_is_locked_and_equals_scoring_compute(data: Path, app: Any, out: str, port: int) -> None:
    """The DanceSport final (server/demo_dance.py): every judge's order stored through the ordering
    form's path and the round locked; its standings from the store equal `scoring compute` on the
    marks the demo wrote; the chairperson's console and results say so; in the open copy judge d
    reaches the ordering form and the console waits for two orders."""
    from typer.testing import CliRunner

    from server import demo_dance
    from server.cli import app as cli

    runner = CliRunner()
    stored = runner.invoke(
        cli, ["results", "--competition", demo_dance.KEY, "--data", str(data / "demo-server"), "--format", "csv"]
    )
    computed = runner.invoke(
        cli,
        ["compute", "--competition", str(demo_dance.EXAMPLE), "--marks", str(data / "demo" / demo_dance.KEY)]
        + ["--format", "csv"],
    )
    assert stored.exit_code == 0 and computed.exit_code == 0, stored.output + computed.output
    notice, *rows = stored.stdout.splitlines()  # the round is locked, not published: provisional
    assert "Provisional results" in notice and rows == computed.stdout.splitlines()
    assert [line.split(",")[1] for line in computed.stdout.splitlines()[1:]] == [
        "n11",
        "n13",
        "n12",
        "n14",
        "n15",
        "n16",
    ]
    chief = re.search(rf"DanceSport final \(locked\).*?http://127\.0\.0\.1:{port}(/judge/signin/\S+)", out)
    console = re.search(rf"console http://127\.0\.0\.1:{port}/judge/console/(\d+)   ", out)
    judge = re.search(rf"judge d: http://127\.0\.0\.1:{port}(/judge/signin/\S+).*?ordering form \S+/(\d+)", out)
    assert chief and console and judge, out
    with TestClient(app) as chair:
        assert chair.get(chief[1], follow_redirects=False).status_code in (302, 303)
        seen = chair.get(f"/api/chief/rounds/{console[1]}/console").json()
        assert seen["publication"] == "locked" and seen["order_waiting"] is None
        assert {r["entry"]: r["place"] for r in seen["results"]}["n11"] == "1"
        assert seen["states"] == {"locked": 30} and seen["judges"] == demo_dance.JUDGES
        page = chair.get(f"/judge/console/{console[1]}/results?lang=en")
        assert page.status_code == 200 and "n16" in page.text and "cannot be scored" not in page.text
    with TestClient(app) as d:
        assert d.get(judge[1], follow_redirects=False).status_code in (302, 303)
        form = d.get(f"/api/judge/placements/{judge[2]}").json()
        assert form["entries"] == [f"n{n}" for n in range(11, 17)]
        assert {s["state"] for s in form["sheets"].values()} == {"new"}
        assert d.get(f"/judge/placements/{judge[2]}?lang=zh").status_code == 200


def test_scoring_serve_holds_its_data_folder_against_the_demo(tmp_path, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from server.cli import app
    from server.stores import StoreInUse, exclusive_use

    data = tmp_path / "demo-server"
    monkeypatch.delenv("SCORING_DATABASE_URL", raising=False)
    assert CliRunner().invoke(app, ["init", "--data", str(data)]).exit_code == 0
    refused: list[str] = []

    def run_server(*args: Any, **kwargs: Any) -> None:
        try:
            with exclusive_use(data):
                pass
        except StoreInUse as exc:
            refused.append(exc.en)

    monkeypatch.setattr(uvicorn, "run", run_server)
    served = CliRunner().invoke(app, ["serve", "--data", str(data), "--port", str(free_port())])
    assert served.exit_code == 0, served.output
    assert refused and "another process is serving" in refused[0]
