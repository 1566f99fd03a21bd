"""The `scoring` command end to end, on files written to a temporary folder."""

import csv
import io
import json
from pathlib import Path

from openpyxl import Workbook
from typer.testing import CliRunner

from scoring.competition import load_competition
from server.cli import app
from server.demo_marks import write_competition_marks
from tests.helpers import ROOT, RUBRICS, committed

runner = CliRunner()
CEMENT = ROOT / "examples" / "cement" / "competition.toml"
POWER = ROOT / "examples" / "power_safety" / "competition.toml"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def dive_marks(path: Path) -> Path:
    rows = [["entry", "attempt", "judge", "criterion", "value"]]
    awards = {"A": [7, 7.5, 8, 8, 8.5, 8.5, 9], "B": [6, 6.5, 6.5, 7, 7, 7, 10], "C": [7, 7.5, 8, 8, 8.5, 8.5, 9]}
    for entry, marks in awards.items():
        for attempt in range(1, 6):
            rows += [[entry, attempt, f"J{j + 1}", "award", m] for j, m in enumerate(marks)]
            rows.append([entry, attempt, "", "dd", "3.0"])
    rows.append(["B", 2, "", "penalty", "2"])
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def test_validate_reports_ok_and_problems_with_exit_status(tmp_path):
    ok = run("validate", CEMENT, RUBRICS / "fire_hydrant.toml", RUBRICS / "safety_quiz.toml")
    assert ok.exit_code == 0, ok.output
    assert "11 units" in ok.output and "max 满分 100" in ok.output
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'key = "x"\ntitle = "X"\n[[criteria]]\nkey = "a"\ntitle = "A"\nkind = "scale"\nmax = 10\nstep = 3\n',
        encoding="utf-8",
    )
    result = run("validate", bad)
    assert result.exit_code == 1
    assert f"{bad}:8: criteria[0].step" in result.output and "whole number of steps" in result.output


def test_compute_ranks_with_shared_places_in_every_format(tmp_path):
    marks = dive_marks(tmp_path / "dive.csv")
    table = run("compute", "--rubric", RUBRICS / "diving_individual.toml", "--marks", marks)
    assert table.exit_code == 0, table.output
    assert "367.50" in table.output and "=1" in table.output
    as_csv = run("compute", "--rubric", RUBRICS / "diving_individual.toml", "--marks", marks, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert [(r["place"], r["entry"], r["score"]) for r in rows] == [
        ("'=1", "A", "367.50"),  # a shared place is text to a spreadsheet, never a formula (issue 9)
        ("'=1", "C", "367.50"),
        ("3", "B", "289.50"),
    ]
    as_json = json.loads(
        run("compute", "--rubric", RUBRICS / "diving_individual.toml", "--marks", marks, "--format", "json").output
    )
    # B: four dives at 20.5 x 3.0 = 61.50 and one with the penalty, 14.5 x 3.0 = 43.50: 289.50
    assert as_json[2] == {"place": "3", "entry": "B", "score": "289.50", "flags": 5, "tie_break": ""}


def test_compute_reads_xlsx_the_same_as_csv(tmp_path):
    marks = dive_marks(tmp_path / "dive.csv")
    book = Workbook()
    sheet = book.active
    with marks.open(encoding="utf-8") as f:
        for i, row in enumerate(csv.reader(f)):
            sheet.append(
                [float(v) if i and k == 4 else (int(v) if i and k == 1 and v else v) for k, v in enumerate(row)]
            )
    book.save(tmp_path / "dive.xlsx")
    a = run("compute", "--rubric", RUBRICS / "diving_individual.toml", "--marks", marks, "--format", "csv")
    b = run(
        "compute", "--rubric", RUBRICS / "diving_individual.toml", "--marks", tmp_path / "dive.xlsx", "--format", "csv"
    )
    assert b.exit_code == 0, b.output
    assert a.output == b.output


def test_explain_prints_the_full_working(tmp_path):
    marks = dive_marks(tmp_path / "dive.csv")
    result = run("compute", "--rubric", RUBRICS / "diving_individual.toml", "--marks", marks, "--explain", "B")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "J1=6✗(lowest)" in out and "J7=10✗(highest)" in out
    assert "penalty=2" in out and "marks after adjust: max(value - penalty, 0)" in out
    assert "award * dd = 43.50" in out and "score 得分: 289.50" in out
    missing = run("compute", "--rubric", RUBRICS / "diving_individual.toml", "--marks", marks, "--explain", "Z")
    assert missing.exit_code == 1 and "no result for entry 'Z'" in missing.output


def test_bad_marks_give_row_errors_and_no_results(tmp_path):
    marks = tmp_path / "bad.csv"
    marks.write_text(
        "entry,attempt,judge,criterion,value\nA,1,J1,award,10.5\nA,1,J2,award,7.25\nA,9,J1,award,7\nA,1,J3,height,7\n",
        encoding="utf-8",
    )
    result = run("compute", "--rubric", RUBRICS / "diving_individual.toml", "--marks", marks)
    assert result.exit_code == 1
    assert "367" not in result.output
    for expected in (
        "row 2: award：",
        "10.5 is out of range",
        "row 3:",
        "7.25 is off the step",
        "row 4:",
        "attempt '9' is not valid; use 1 to 5",
        "row 5:",
        "unknown criterion or parameter 'height'",
    ):
        assert expected in result.output, expected
    wrong_columns = tmp_path / "cols.csv"
    wrong_columns.write_text("team,judge,item,score\n", encoding="utf-8")
    result = run("compute", "--rubric", RUBRICS / "diving_individual.toml", "--marks", wrong_columns)
    assert result.exit_code == 1 and "missing columns: entry, criterion, value" in result.output


def test_competition_compute_overall_event_and_explain(tmp_path):
    competition = load_competition(CEMENT)
    write_competition_marks(competition, tmp_path)
    result = run("compute", "--competition", CEMENT, "--marks", tmp_path, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 28 and rows[0]["place"] in ("1", "=1")
    assert list(rows[0]) == [
        "place",
        "entry",
        "name",
        "unit",
        "theory",
        "digital_enablement",
        "risk_identification",
        "sealing_points_sop",
        "site_5s",
        "emergency_response",
        "overall",
        "tie_break",
    ]
    overall = [float(r["overall"]) for r in rows]
    assert overall == sorted(overall, reverse=True)
    event = run("compute", "--competition", CEMENT, "--marks", tmp_path, "--event", "theory", "--questions")
    assert event.exit_code == 0 and "c001" in event.output
    explain = run("compute", "--competition", CEMENT, "--marks", tmp_path, "--explain", "t01")
    assert explain.exit_code == 0 and "== digital_enablement" in explain.output


def test_competition_compute_names_missing_marks_files(tmp_path):
    result = run("compute", "--competition", POWER, "--marks", tmp_path)
    assert result.exit_code == 1
    assert "no marks for event extinguisher: expected extinguisher.csv or extinguisher.xlsx" in result.output


def copy_competition(tmp_path: Path) -> Path:
    target = tmp_path / "comp" / "competition.toml"
    target.parent.mkdir()
    text = POWER.read_text(encoding="utf-8").replace('rubric = "../rubrics/', f'rubric = "{RUBRICS}/')
    target.write_text(text, encoding="utf-8")
    return target


def test_import_roster_adds_units_teams_and_contestants(tmp_path):
    comp = copy_competition(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "unit,unit_name,team,team_name,contestant,name,role\n"
        "d09,安全应急中心,s15,应急一队,p101,张伟,队长\n"
        "d09,,s15,,p102,李娜,队员\n"
        "d01,,s01,,p103,王强,替补\n",
        encoding="utf-8",
    )
    result = run("import-roster", roster, "--competition", comp, "--yes")
    assert result.exit_code == 0, result.output
    loaded = load_competition(comp)
    assert len(loaded.teams) == 15 and loaded.teams[-1].members == ("p101", "p102")
    assert {c.key: c.role.value for c in loaded.contestants if c.key.startswith("p10")} == {
        "p101": "team_leader",
        "p102": "member",
        "p103": "reserve",
    }
    assert "# 安全文化专项劳动竞赛" in comp.read_text(encoding="utf-8")  # comments kept


def test_import_roster_with_any_bad_row_changes_nothing(tmp_path):
    comp = copy_competition(tmp_path)
    before = comp.read_bytes()
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "unit,team,contestant,name,role\n"
        "d01,s01,p201,赵六,member\n"
        "d77,s16,p202,钱七,member\n"
        "d01,s01,p001,孙八,member\n"
        "d02,s01,p203,周九,captain\n"
        "d01,s01,p201,吴十,member\n",
        encoding="utf-8",
    )
    result = run("import-roster", roster, "--competition", comp, "--yes")
    assert result.exit_code == 1
    out = result.output
    assert "row 3" in out and "unknown unit 'd77'; give unit_name to add it" in out
    assert "row 4" in out and "contestant 'p001' is already in the competition" in out
    assert "row 5" in out and "role 'captain' is not valid" in out and "team s01 belongs to unit d01, not d02" in out
    assert "row 6" in out and "repeats row 2" in out
    assert comp.read_bytes() == before


def test_demo_scores_both_examples_and_sets_up_a_server(tmp_path, capsys):
    from litestar.testing import TestClient

    from server import demo
    from server.app import create_app
    from server.settings import Settings

    demo.print_batch_results(tmp_path / "marks", demo.Console(width=200))
    out = capsys.readouterr().out
    assert "全国水泥行业班组长综合管理技能竞赛" in out and "安全文化专项劳动竞赛" in out
    assert (tmp_path / "marks" / "cement-team-leaders-2023" / "theory.csv").exists()
    setup = demo.set_up_server(tmp_path / "server")
    app = create_app(
        Settings(data_dir=tmp_path / "server", database_url=f"sqlite:///{tmp_path / 'server' / 'scoring.sqlite3'}")
    )
    with TestClient(app) as client:
        assert (
            client.post("/api/session", json={"username": "organiser", "password": setup["password"]}).status_code
            == 200
        )
        assert [c["key"] for c in client.get("/api/admin/competitions").json()] == [
            "cement-team-leaders-2023",
            "safety-culture-2023",
            "drill-yard-2026",
            "live-demo-2026",
            "ranger-2026",  # the stages before a final: a selection by nomination,
            "five-small-2026",  # a call for entries reviewed by experts,
            "online-practice-2026",  # online drills (the dance final needs the demo's marks)
        ]
    with TestClient(app) as judge:
        first = setup["access"]["safety-culture-2023"][0]
        assert judge.get(first["link"], follow_redirects=False).status_code in (302, 303), "signed in by the link"
        seats = judge.get("/api/judge/assignments").json()
        # e1 is the chief of every round marked on score sheets (the quiz round is never on a tablet)
        assert len(seats) == 4 and all(s["chief"] for s in seats)
        assert "quiz" not in {s["event"] for s in seats}


def test_init_creates_the_database_once_and_audit_verify_finds_tampering(tmp_path):
    import sqlite3

    data = tmp_path / "data"
    first = run("init", "--data", data, "--competition", POWER)
    assert first.exit_code == 0, first.output
    assert "password" in first.output and "stored competition safety-culture-2023" in first.output
    again = run("init", "--data", data)
    assert again.exit_code == 0 and "already exists" in again.output and "password:" not in again.output
    ok = run("audit", "verify", "--data", data)
    assert ok.exit_code == 0 and "2 records verified" in ok.output
    with sqlite3.connect(data / "scoring.sqlite3") as db:
        db.execute("UPDATE audit_records SET action = 'user.delete' WHERE seq = 1")
    bad = run("audit", "verify", "--data", data)
    assert bad.exit_code == 1 and "record 1:" in bad.output and "edited" in bad.output
    duplicate = run("init", "--data", data, "--competition", POWER)
    assert duplicate.exit_code == 1 and "already stored" in duplicate.output


def test_export_marks_takes_locked_sheets_only_and_compute_reads_them(tmp_path):
    """Tablets' marks reach results through the same spreadsheet format: only sheets the chief
    judge locked count, unless the event says results_before_lock."""
    import uuid

    from sqlalchemy import select, update

    from organiser.service import set_panel
    from scoring.sheet_rules import Actor, SheetAction
    from scoring.store.database import make_engine, session_factory
    from scoring.store.models import Event, Judge, Round
    from scoring.store.rounds import round_context, rubric_of
    from scoring.store.sheet_marks import round_marks
    from scoring.store.sheet_writes import SheetWrite
    from scoring.store.sheets import record_write

    drill = ROOT / "examples" / "drill_yard" / "competition.toml"
    data = tmp_path / "data"
    assert run("init", "--data", data, "--competition", drill).exit_code == 0
    sessions = session_factory(make_engine(f"sqlite:///{data / 'scoring.sqlite3'}"))
    with sessions() as db:
        round_id = db.execute(select(Round.id)).scalar_one()
        judges = dict(db.execute(select(Judge.key, Judge.id)).all())
        context = round_context(db, round_id)
        rubric = rubric_of(db, context)
    committed(sessions, set_panel, round_id, ["j1", "j2", "j3"], "j3", actor="t")
    marks = {"inspect_hose": "1", "couple_firm": "1", "technique": "8", "lane_offset": "8", "time": "28.5", "kink": "0"}

    def write(entry, judge, action, base, actor=Actor.JUDGE):
        committed(
            sessions,
            record_write,
            SheetWrite(
                round_id=round_id,
                entry_key=entry,
                judge_id=judges[judge],
                rubric_version_id=context.rubric_version_id,
                action=action,
                actor=actor,
                base_version=base,
                client_id=uuid.uuid4().hex,
                author=judge,
                marks=marks if action is not SheetAction.LOCK else None,
            ),
            rubric,
        )

    for judge in ("j1", "j2"):  # t01: submitted and locked by two judges
        write("t01", judge, SheetAction.SUBMIT, 0)
        write("t01", judge, SheetAction.LOCK, 1, Actor.CHIEF)
    write("t02", "j1", SheetAction.SUBMIT, 0)  # submitted, not locked
    write("t03", "j1", SheetAction.SAVE, 0)  # a draft

    folder = tmp_path / "from-sheets"
    exported = run("export-marks", "--data", data, "--competition", "drill-yard-2026", "--out", folder)
    assert exported.exit_code == 0, exported.output
    assert "hose_coupling.csv" in exported.output and "draft 1, submitted 1" in exported.output
    rows = list(csv.DictReader((folder / "hose_coupling.csv").open(encoding="utf-8")))
    assert {(r["entry"], r["judge"]) for r in rows} == {("t01", "j1"), ("t01", "j2")} and len(rows) == 12

    computed = run("compute", "--competition", drill, "--marks", folder, "--event", "hose_coupling", "--format", "csv")
    assert computed.exit_code == 0, computed.output
    # 5 + 10 + 8 + 10 (8 cm) + 20 (28.5 s) + 10 (no kinks) = 63 from both judges
    assert "t01" in computed.output and "63.00" in computed.output

    with sessions.begin() as db:  # the event lets submitted sheets count before the lock
        db.execute(update(Event).values(results_before_lock=True))
    with sessions() as db:
        taken = round_marks(db, round_id)
    assert taken.counted == 3 and taken.left_out == [("t03", "j1", "draft")]
    missing_run = run("export-marks", "--data", data, "--competition", "nope", "--out", folder)
    assert missing_run.exit_code == 1 and "no stored competition 'nope'" in missing_run.output


# -- issue 9, item 14: every option given is used, or the command says why not ------------------


def test_compute_competition_event_questions_prints_the_item_analysis(tmp_path):
    """The README's `--event theory --questions` prints the theory paper's item analysis."""
    write_competition_marks(load_competition(CEMENT), tmp_path)
    result = run("compute", "--competition", CEMENT, "--marks", tmp_path, "--event", "theory", "--questions")
    assert result.exit_code == 0, result.output
    assert "题目分析" in result.output and "difficulty" in result.output and "discrimination" in result.output
    as_csv = run(
        "compute", "--competition", CEMENT, "--marks", tmp_path, "--event", "theory", "--questions", "--format", "csv"
    )
    assert as_csv.exit_code == 0, as_csv.output
    assert "question" in as_csv.output and "discrimination" in as_csv.output


def test_compute_explain_of_an_unknown_entry_in_a_competition_says_so_and_fails(tmp_path):
    write_competition_marks(load_competition(CEMENT), tmp_path)
    missing = run("compute", "--competition", CEMENT, "--marks", tmp_path, "--explain", "zz")
    assert missing.exit_code == 1
    assert "没有参赛对象“zz”的成绩" in missing.output and "no result for entry 'zz'" in missing.output
    # t01 is a team: it has no theory paper (contestants sit it)
    wrong_event = run("compute", "--competition", CEMENT, "--marks", tmp_path, "--event", "theory", "--explain", "t01")
    assert wrong_event.exit_code == 1 and "no result for entry 't01' in event theory" in wrong_event.output
    one_event = run("compute", "--competition", CEMENT, "--marks", tmp_path, "--event", "site_5s", "--explain", "t01")
    assert one_event.exit_code == 0 and "== site_5s" in one_event.output and "== theory" not in one_event.output


def test_compute_refuses_unused_or_conflicting_options(tmp_path):
    dive = dive_marks(tmp_path / "dive.csv")
    folder = tmp_path / "cement"
    write_competition_marks(load_competition(CEMENT), folder)
    diving = ("--rubric", RUBRICS / "diving_individual.toml", "--marks", dive)
    cement = ("--competition", CEMENT, "--marks", folder)
    cases = [
        (diving + ("--event", "theory"), "--event"),
        (diving + ("--questions",), "--questions"),
        (cement + ("--questions",), "--questions"),
        (cement + ("--event", "site_5s", "--questions"), "--questions"),
        (cement + ("--event", "theory", "--questions", "--explain", "c001"), "--explain"),
        (diving + ("--explain", "A", "--format", "csv"), "--format"),
        (cement + ("--explain", "t01", "--format", "json"), "--format"),
        (cement + ("--rubric", RUBRICS / "diving_individual.toml"), "--rubric"),
    ]
    for args, option in cases:
        result = run("compute", *args)
        assert result.exit_code == 2, (args, result.output)
        assert option in result.output, (args, result.output)
        assert "place" not in result.output, (args, result.output)  # nothing computed and printed


# -- issue 9, item 15: only `scoring init` (and the demo) makes a database ----------------------


def test_commands_on_a_missing_store_say_how_to_make_one_and_create_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("SCORING_DATABASE_URL", raising=False)
    monkeypatch.delenv("SCORING_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    mistyped = tmp_path / "dta"
    for args in (
        ("export-marks", "--competition", "drill-yard-2026", "--out", tmp_path / "out"),
        ("export-marks", "--competition", "drill-yard-2026", "--out", tmp_path / "out", "--data", mistyped),
        ("audit", "verify"),
        ("audit", "verify", "--data", mistyped),
        ("serve", "--data", mistyped),
    ):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert "没有数据库" in result.output and "no database" in result.output, (args, result.output)
        assert "scoring init" in result.output, (args, result.output)
        assert sorted(p.name for p in tmp_path.iterdir()) == [], (args, list(tmp_path.iterdir()))


def test_a_missing_store_beside_the_demos_points_to_it(tmp_path, monkeypatch):
    """After `make demo` the README's export-marks example names data/demo-server."""
    monkeypatch.delenv("SCORING_DATABASE_URL", raising=False)
    monkeypatch.delenv("SCORING_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert run("init", "--data", tmp_path / "data" / "demo-server").exit_code == 0
    result = run("export-marks", "--competition", "drill-yard-2026", "--out", tmp_path / "out")
    assert result.exit_code == 1 and "--data data/demo-server" in result.output, result.output
    assert not (tmp_path / "data" / "scoring.sqlite3").exists() and not (tmp_path / "out").exists()
    found = run(
        "export-marks", "--competition", "drill-yard-2026", "--out", tmp_path / "out", "--data", "data/demo-server"
    )
    assert found.exit_code == 1 and "no stored competition 'drill-yard-2026'" in found.output


def test_a_database_url_without_the_schema_is_refused_not_migrated(database_url, monkeypatch, tmp_path):
    """SQLite and PostgreSQL alike: a store `scoring init` never made is not made behind its back."""
    from sqlalchemy import inspect

    from scoring.store.database import make_engine

    monkeypatch.setenv("SCORING_DATABASE_URL", database_url)
    result = run("audit", "verify", "--data", tmp_path / "data")
    assert result.exit_code == 1 and "scoring init" in result.output, result.output
    if database_url.startswith("sqlite"):
        assert list(tmp_path.iterdir()) == []
    else:
        engine = make_engine(database_url)
        assert inspect(engine).get_table_names() == []
        engine.dispose()
    assert run("init", "--data", tmp_path / "data").exit_code == 0
    assert run("audit", "verify", "--data", tmp_path / "data").exit_code == 0


def test_the_ranking_and_deviation_window_examples_validate_compute_and_explain_themselves():
    final, window = RUBRICS / "dancesport_standard_final.toml", RUBRICS / "skills_showcase_window.toml"
    checked = run("validate", final, window)
    assert checked.exit_code == 0, checked.output
    assert "dancesport_standard_final.toml: practical rules 规则, 3 criteria" in checked.output
    ranked = run("compute", "--rubric", final, "--marks", final.with_suffix(".csv"), "--format", "csv")
    assert ranked.exit_code == 0, ranked.output
    rows = list(csv.DictReader(io.StringIO(ranked.output)))
    # the score column is the final place, ranked lowest first
    assert [(r["place"], r["entry"], r["score"]) for r in rows] == [
        ("1", "11", "1"), ("2", "13", "2"), ("3", "12", "3"), ("4", "14", "4"), ("5", "15", "5"), ("6", "16", "6")
    ]  # fmt: skip
    sheet = run("compute", "--rubric", final, "--marks", final.with_suffix(".csv"), "--explain", "15")
    assert sheet.exit_code == 0, sheet.output
    assert "dance 单项 tango 探戈 / Tango — majority 过半数 3 of 5" in sheet.output
    assert "summary 总表" in sheet.output and "place 名次: 5 (rule 11)" in sheet.output
    scored = run("compute", "--rubric", window, "--marks", window.with_suffix(".csv"), "--format", "json")
    assert [(r["entry"], r["score"]) for r in json.loads(scored.output)] == [
        ("P1", "81.63"), ("P3", "80.00"), ("P2", "73.58")
    ]  # fmt: skip
    working = run("compute", "--rubric", window, "--marks", window.with_suffix(".csv"), "--explain", "P2")
    assert "J7=58✗(more than 5 from the mean 47.3571…)" in working.output and "score 得分: 73.58" in working.output


def test_the_figure_skating_examples_validate_compute_and_explain_themselves():
    skating = RUBRICS / "figure_skating"
    for name, scores, entry, lines in [
        # the Cup of China 2017 protocol: 176.58 (13 elements) and 159.98 (12, one fall)
        ("free_skate_2017", {"AARON_Max": "176.58", "TANAKA_Keiji": "159.98"}, "TANAKA_Keiji", ["not made 未完成: 13"]),
        ("segment", {"SkaterA": "187.58", "SkaterB": "136.64"}, "SkaterB", ["not made 未完成: 12, 13"]),
    ]:
        rubric, marks = skating / f"{name}.toml", skating / f"{name}_marks.csv"
        checked = run("validate", rubric)
        assert checked.exit_code == 0 and "criteria 评分项" in checked.output, checked.output
        computed = run("compute", "--rubric", rubric, "--marks", marks, "--format", "csv")
        assert computed.exit_code == 0, computed.output
        assert {r["entry"]: r["score"] for r in csv.DictReader(io.StringIO(computed.output))} == scores
        explained = run("compute", "--rubric", rubric, "--marks", marks, "--explain", entry)
        assert explained.exit_code == 0, explained.output
        for line in [*lines, "per entry 按参赛对象", f"entry score 参赛对象得分: {scores[entry]}"]:
            assert line in explained.output
