"""Results exports from a stored competition: the workbook read back row for row, CSV and JSON,
`scoring results` against `scoring compute` on the same marks, the award lists, and a PDF of
certificates with one page per recipient."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from results.certificate_pdf import CHROMIUM, pdf_page_count
from results.exports import ResultsExport, certificates_html, read_export
from results.from_store import View
from results.groups import individual_standings, unit_standings
from results.report import rank_event
from scoring.refusals import Conflict, NotFound
from server.cli import app
from tests.integration.stored_examples import StoredExample

runner = CliRunner()
NO_CHROMIUM = not Path(CHROMIUM).is_file() and os.environ.get("CI") != "true"


@pytest.fixture(scope="module")
def cement(stored_cement: StoredExample) -> StoredExample:
    return stored_cement


@pytest.fixture(scope="module")
def export(cement: StoredExample) -> ResultsExport:
    with cement.sessions()() as db:
        return read_export(db, cement.competition.key, View.PROVISIONAL)


@pytest.fixture(scope="module")
def data_dir(cement: StoredExample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding a copy of the store, as `scoring --data` reads it."""
    folder = tmp_path_factory.mktemp("data")
    shutil.copyfile(cement.database, folder / "scoring.sqlite3")
    return folder


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def unquote(value: object) -> str:
    """A cell as written, without the apostrophe that keeps "=2" from being a formula."""
    text = "" if value is None else str(value)
    return text[1:] if text.startswith("'=") else text


def sheet_rows(book, name: str) -> list[list[str]]:
    """The data rows of a sheet: after the notice lines and the two header rows (zh, en)."""
    rows = [[unquote(v) for v in row] for row in book[name].iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if row[:2] == ["名次", "编号"])
    assert rows[header + 1][:2] == ["Place", "Entry"]
    return rows[header + 2 :]


def test_workbook_overall_and_event_sheets_match_the_standings(export: ResultsExport) -> None:
    book = load_workbook(io.BytesIO(export.xlsx()), read_only=True)
    overall = export.stored.overall
    assert overall is not None
    assert book.sheetnames[:1] == ["overall"] and "marks" not in book.sheetnames  # provisional: no marks
    assert str(book["overall"]["A1"].value).startswith("暂定成绩")
    got = sheet_rows(book, "overall")
    assert len(got) == len(overall.standings)
    for row, standing in zip(got, overall.standings, strict=True):
        assert row[0] == standing.place_label and row[1] == standing.entry
        assert row[-2] == f"{standing.score:f}"  # exact text, places kept
        for i, event in enumerate(export.stored.competition.events):
            score = overall.event_scores[event.key].get(standing.entry)
            assert row[4 + i] == ("" if score is None else f"{score:f}")
    for event in export.stored.competition.events:
        result = export.stored.events[event.key]
        rows = sheet_rows(book, event.key)
        standings = rank_event(result)
        assert [(r[0], r[1]) for r in rows] == [(s.place_label, s.entry) for s in standings]
        assert [r[-2] for r in rows] == [f"{s.score:f}" if s.place is not None else "DQ" for s in standings]


def test_workbook_holds_individual_unit_and_fairness_sheets(export: ResultsExport) -> None:
    overall = export.stored.overall
    assert overall is not None
    book = load_workbook(io.BytesIO(export.xlsx()), read_only=True)
    individual = individual_standings(overall)
    rows = sheet_rows(book, "individual")
    assert [(r[0], r[1]) for r in rows] == [(s.place_label, s.entry) for s in individual.standings]
    units = unit_standings(overall)
    rows = sheet_rows(book, "units")
    assert [(r[0], r[1], r[4]) for r in rows] == [(s.place_label, s.entry, f"{s.score:f}") for s in units.standings]
    fairness = [name for name in book.sheetnames if name.startswith("fairness_")]
    practical = [e.key for e in export.stored.competition.events if e.kind == "practical"]
    assert len(fairness) == len(practical)  # one per judged round; the theory paper has no panel
    table = export.table(fairness[0])
    judges = table.frame[table.frame["part"] == "judges"]
    assert sorted(judges["judge"]) == ["j1", "j2", "j3", "j4", "j5"]
    assert table.header("mean_deviation") == ("平均偏差", "Mean deviation")


def test_workbook_holds_the_theory_papers_item_analysis(export: ResultsExport, cement: StoredExample) -> None:
    """A sheet per theory event: each question's key, difficulty and discrimination, the same
    Decimals `scoring compute` gives from the marks file, with the method said in both languages."""
    book = load_workbook(io.BytesIO(export.xlsx()), read_only=True)
    assert "items_theory" in book.sheetnames
    rows = [[unquote(v) for v in row] for row in book["items_theory"].iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if row[:2] == ["题号", "题目"])
    assert rows[header + 1][:2] == ["Question", "Title"]
    said = " ".join(str(row[0]) for row in rows[:header])
    assert "27%" in said and "upper-lower" in said and "not point-biserial" in said and "区分度" in said
    theory = cement.competition.event("theory")
    assert theory is not None and theory.bound is not None
    marks = cement.marks / "theory.csv"
    expected = theory.bound.score_file(marks).details["question_statistics"]
    got = {row[0]: (row[6], row[7]) for row in rows[header + 2 :]}
    assert got == {
        q: (f"{d:f}", f"{x:f}")
        for q, d, x in expected[["question", "difficulty", "discrimination"]].itertuples(index=False)
    }
    assert len(got) == 80 and rows[header + 2][4] == "D"  # q01's key


def test_event_sheet_breaks_the_score_down_by_criterion(export: ResultsExport) -> None:
    table = export.table("digital_enablement")
    rubric = export.stored.competition.event("digital_enablement").bound.rubric  # type: ignore[union-attr]
    keys = [c.key for c in rubric.criteria()]
    assert [c for c in table.frame.columns if c in keys] == keys
    assert table.header(keys[0])[0] == rubric.criteria()[0].title["zh"]
    first = table.frame.iloc[0]
    explained = export.stored.events["digital_enablement"].explain(first["entry"])
    values = {c["criterion"]: c["value"] for c in explained["attempts"][0]["criteria"]}  # type: ignore[index]
    assert {k: first[k] for k in keys} == {k: values[k] for k in keys}


def test_award_sheets_and_csv_and_json(export: ResultsExport) -> None:
    book = load_workbook(io.BytesIO(export.xlsx()), read_only=True)
    first = next(a for a in export.awards if a.rule.key == "first")
    rows = [list(r) for r in book["award_first"].iter_rows(values_only=True)]
    rows = rows[[r[0] for r in rows].index("Award") + 1 :]  # after the notes and the two header rows
    assert [r[2] for r in rows] == [r.entry for r in first.recipients]
    text = export.csv("overall")
    lines = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert lines[0][0].startswith("暂定成绩") and "Provisional" in lines[0][0]
    assert lines[1] == list(export.table("overall").frame.columns)
    assert [r[1] for r in lines[2:]] == [s.entry for s in export.stored.overall.standings]  # type: ignore[union-attr]
    assert export.file_name("csv") == f"{export.stored.competition.key}-results-provisional.csv"
    document = json.loads(export.json())
    assert document["provisional"] is True
    assert set(document["tables"]) >= {"overall", "theory", "award_first"}
    assert all(isinstance(v, str) for row in document["tables"]["overall"]["rows"] for v in row.values())
    with pytest.raises(NotFound):
        export.csv("no_such_table")


def test_certificates_hold_one_page_per_recipient_and_escape_names(export: ResultsExport, tmp_path: Path) -> None:
    html = certificates_html(export, "first", None)
    first = next(a for a in export.awards if a.rule.key == "first")
    assert html.count('class="certificate"') == len(first.recipients)
    assert "@page { size: A4 landscape" in html and "PROVISIONAL" in html
    (tmp_path / "certificate.html").write_text("{% for r in recipients %}<p>{{ r.name }}</p>{% endfor %}")
    assert certificates_html(export, "first", tmp_path).count("<p>") == len(first.recipients)
    with pytest.raises(NotFound):
        certificates_html(export, "no_such_award", None)
    with pytest.raises(Conflict):  # an organisation award no one has decided yet
        certificates_html(export, "organisation", None)


def test_scoring_results_csv_equals_scoring_compute(cement: StoredExample, data_dir: Path) -> None:
    compute = run("compute", "--competition", cement.competition.file, "--marks", cement.marks, "--format", "csv")
    assert compute.exit_code == 0, compute.output
    stored = run("results", "--competition", cement.competition.key, "--data", data_dir, "--format", "csv")
    assert stored.exit_code == 0, stored.output
    computed = list(csv.reader(io.StringIO(compute.stdout)))
    lines = list(csv.reader(io.StringIO(stored.stdout)))
    assert lines[0][0].startswith("暂定成绩")  # provisional by default, and says so
    assert lines[1:] == computed


def test_scoring_results_event_and_awards_and_xlsx(cement: StoredExample, data_dir: Path, tmp_path: Path) -> None:
    key = cement.competition.key
    event = run("results", "--competition", key, "--data", data_dir, "--event", "theory", "--format", "csv")
    assert event.exit_code == 0, event.output
    assert list(csv.reader(io.StringIO(event.stdout)))[1][:5] == ["place", "entry", "name", "unit", "q01"]
    awards = run("results", "--competition", key, "--data", data_dir, "--awards")
    assert awards.exit_code == 0, awards.output
    assert "一等奖" in awards.stdout and "技术能手" in awards.stdout
    target = tmp_path / "results.xlsx"
    written = run("results", "--competition", key, "--data", data_dir, "--format", "xlsx", "--out", target)
    assert written.exit_code == 0, written.output
    assert {"overall", "theory", "award_first"} <= set(load_workbook(target, read_only=True).sheetnames)
    usage = run("results", "--competition", key, "--data", data_dir, "--format", "xlsx")
    assert usage.exit_code == 2 and "--out" in usage.output
    unknown = run("results", "--competition", key, "--data", data_dir, "--event", "nope")
    assert unknown.exit_code == 1 and "no event" in unknown.output


@pytest.mark.skipif(NO_CHROMIUM, reason=f"Chromium is not installed at {CHROMIUM}")
def test_scoring_certificates_writes_a_page_per_recipient(
    cement: StoredExample, data_dir: Path, export: ResultsExport, tmp_path: Path
) -> None:
    target = tmp_path / "first.pdf"
    done = run(
        "certificates", "--competition", cement.competition.key, "--award", "first", "--out", target, "--data", data_dir
    )
    assert done.exit_code == 0, done.output
    first = next(a for a in export.awards if a.rule.key == "first")
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF") and pdf_page_count(pdf) == len(first.recipients)


def test_scoring_results_prints_unit_and_individual_standings(
    cement: StoredExample, data_dir: Path, export: ResultsExport
) -> None:
    units = run(
        "results", "--competition", cement.competition.key, "--data", data_dir, "--table", "units", "--format", "csv"
    )
    assert units.exit_code == 0, units.output
    lines = units.stdout.strip().splitlines()
    assert lines[-len(export.table("units").frame) :][0].split(",")[1] == export.table("units").frame.iloc[0]["entry"]
    wrong = run("results", "--competition", cement.competition.key, "--data", data_dir, "--table", "nothing")
    assert wrong.exit_code == 1 and "individual" in wrong.output
