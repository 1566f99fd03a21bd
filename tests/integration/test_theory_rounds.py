"""A theory round in the app: answer sheets uploaded (wide or long), checked whole, graded by the
key; replacing them needs a reason and keeps every version; the item analysis on the page; and
no judge is ever seated on such a round or sees it on a tablet."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from results.from_store import View, round_result
from results.item_analysis import review_theory_round
from scoring.store.models import Judge, OfficialValues, PanelSeat
from scoring.store.official_values import current_values, uploads_of
from tests.integration.test_pages_in_chinese import raw_keys
from tests.integration.theory_world import ITEMS, TOTALS, WIDE, add_paper
from tests.integration.world import ok


@pytest.fixture
def paper(world) -> int:
    return add_paper(world)


def upload(world, round_id: int, content: str | bytes, name: str = "answers.csv", reason: str | None = None):
    data = {"reason": reason} if reason is not None else None
    return world.organiser.post(
        f"/api/admin/rounds/{round_id}/official-values", files={"values": (name, content)}, data=data
    )


def graded(world, round_id: int) -> dict[str, str]:
    with world.app.state.database.read() as db:
        found = round_result(db, round_id, View.PROVISIONAL)
    assert found is not None
    return {s.entry: f"{s.score:f}" for s in found.result.scores}


def test_wide_answer_sheets_are_graded_by_the_key_and_analysed(world, paper):
    sent = ok(upload(world, paper, WIDE), 201)
    assert sent == {"round": paper, "file": "answers.csv", "entries": 8, "unchanged": 0, "upload": 1}
    assert graded(world, paper) == TOTALS
    with world.app.state.database.read() as db:
        review = review_theory_round(db, paper)
    assert {q.key: (f"{q.difficulty:f}", f"{q.discrimination:f}") for q in review.questions} == ITEMS
    assert review.group == 2 and [s.entry for s in review.sheets][:2] == ["c01", "c06"]
    c02 = next(s for s in review.sheets if s.entry == "c02")
    assert [(a, f"{p:f}") for a, p in c02.cells] == [("B", "1"), ("AB", "1"), ("T", "1"), ("3.2", "0")]


def test_the_long_form_and_an_xlsx_grade_the_same(world, paper):
    rows = [line.split(",") for line in WIDE.strip().splitlines()]
    questions = rows[0][1:]
    long = "entry,criterion,value\n" + "".join(
        f"{row[0]},{q},{answer}\n" for row in rows[1:] for q, answer in zip(questions, row[1:], strict=True)
    )
    ok(upload(world, paper, long, "long.csv"), 201)
    assert graded(world, paper) == TOTALS
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([float(v) if re.fullmatch(r"\d+\.\d+", v) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    again = ok(upload(world, paper, buffer.getvalue(), "answers.xlsx"), 201)
    assert again["entries"] == 0 and again["unchanged"] == 8  # the same answers: nothing new


@pytest.mark.parametrize(
    ("content", "said"),
    [
        # a choice not on the paper, named by row and column, with the valid choices
        (WIDE.replace("c03,A,", "c03,E,"), ("row", 4, "q01", "'E' is not a valid choice from ABCD")),
        (WIDE.replace("c05,C,C,F,2", "c05,C,C,maybe,2"), ("row", 6, "q03", "not true/false")),
        (WIDE.replace("c07,D,AD,1,", "c07,D,AD,1,pi"), ("row", 8, "q04", "'pi' is not a number")),
        (WIDE.replace("c08,", "zz,"), ("row", 9, None, "unknown entry 'zz'")),
        (WIDE + "c01,B,B,T,3\n", ("row", 10, None, "more than one answer sheet")),
        # the header: an unknown column says which columns are valid; a missing entry column
        (WIDE.replace("q04\n", "q04,name\n"), ("line", 1, "name", "entry and the questions q01, q02, q03, q04")),
        (WIDE.replace("entry,", "who,"), ("line", 1, "entry", "missing column 'entry'")),
        (WIDE.replace("q04\n", "q03\n"), ("line", 1, "q03", "more than once")),
        # a judge's row in the long form
        ("entry,judge,criterion,value\nc01,j1,q01,B\n", ("row", None, "judge", "name a judge")),
    ],
)
def test_a_bad_answer_sheet_is_refused_whole_naming_file_row_and_column(world, paper, content, said):
    response = upload(world, paper, content, "bad.csv")
    assert response.status_code == 422, response.text
    where, number, column, words = said
    problems = response.json()["problems"]
    assert any(
        p["file"] == "bad.csv"
        and (number is None or p.get(where) == number)
        and (column is None or p.get("field") == column)
        and words in p["en"]
        for p in problems
    ), problems
    with world.app.state.database.read() as db:
        assert current_values(db, paper) == {} and uploads_of(db, paper) == []


def test_every_reader_is_bounded(world, paper):
    """Columns past the cap, a file past the bytes cap and a file that is not a table are refused
    with the cap named; a paper with more questions than the usual cap has room for them."""
    wide = "entry," + ",".join(f"x{i}" for i in range(120)) + "\nc01" + ",A" * 120 + "\n"
    refused = upload(world, paper, wide, "wide.csv")
    assert refused.status_code == 422 and "more than 100 columns" in refused.text
    for name, content in (("a.txt", "entry\n"), ("b.xlsx", b"PK not a workbook"), ("c.csv", b"\xff\xfe")):
        response = upload(world, paper, content, name)
        assert response.status_code == 422, (name, response.text)
    big = "entry,q01\n" + "c01,B\n" * (21 * 1024 * 1024 // 6)
    too_big = upload(world, paper, big, "big.csv")
    assert too_big.status_code in (413, 422), too_big.text
    unknown = "entry,q01\n" + "".join(f"x{i},B\n" for i in range(5000))  # 5,000 unknown entries
    listed = upload(world, paper, unknown, "many.csv").json()["problems"]
    assert len(listed) == 201 and listed[-1]["en"] == "and 4800 more problems not listed; correct those above first"
    with world.app.state.database.read() as db:
        assert current_values(db, paper) == {}


def test_replacing_answers_needs_a_reason_and_keeps_every_version(world, paper):
    ok(upload(world, paper, WIDE), 201)
    fixed = WIDE.replace("c05,C,C,F,2", "c05,B,C,F,2")
    refused = upload(world, paper, fixed, "fixed.csv")
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "reason"
    assert "c05" in refused.text
    second = ok(upload(world, paper, fixed, "fixed.csv", reason="c05's q01 misread from the paper"), 201)
    assert second == {"round": paper, "file": "fixed.csv", "entries": 1, "unchanged": 7, "upload": 2}
    assert graded(world, paper)["c05"] == "1"
    # back to the first file: a third upload, not the first one's versions answered again
    third = ok(upload(world, paper, WIDE, reason="the paper was read right the first time"), 201)
    assert third["upload"] == 3 and third["entries"] == 1
    assert graded(world, paper) == TOTALS
    with world.app.state.database.read() as db:
        versions = db.scalars(
            select(OfficialValues.version).where(OfficialValues.round_id == paper, OfficialValues.entry_key == "c05")
        ).all()
        uploads = uploads_of(db, paper)
    assert sorted(versions) == [1, 2, 3]
    assert [(u["upload"], u["file"], u["changed"], u["reason"]) for u in uploads] == [
        (3, "answers.csv", 1, "the paper was read right the first time"),
        (2, "fixed.csv", 1, "c05's q01 misread from the paper"),
        (1, "answers.csv", 8, ""),
    ]
    assert all(u["author"] == "organiser:org" and len(u["sha256"]) == 64 for u in uploads)


def test_the_theory_page_shows_the_grades_and_the_item_analysis(world, paper):
    empty = world.organiser.get(f"/admin/rounds/{paper}/theory?lang=en")
    assert empty.status_code == 200 and "No answer sheets to grade yet" in empty.text
    ok(upload(world, paper, WIDE), 201)
    page = world.organiser.get(f"/admin/rounds/{paper}/theory?lang=en")
    assert page.status_code == 200
    assert "upper-lower groups, not a point-biserial correlation" in page.text
    assert "8 contestants this round, 2 in each group" in page.text
    for question, (difficulty, discrimination) in ITEMS.items():
        row = re.search(rf'<tr data-question="{question}">.*?</tr>', page.text, re.S)
        assert row is not None
        assert f">{difficulty}<" in row.group(0) and f">{discrimination}<" in row.group(0)
    for entry, total in TOTALS.items():
        row = re.search(rf'<tr data-entry="{entry}">.*?</tr>', page.text, re.S)
        assert row is not None and f"<strong>{total}</strong>" in row.group(0)
    chinese = world.organiser.get(f"/admin/rounds/{paper}/theory?lang=zh")
    assert "高低分组法，不是点二列相关" in chinese.text and "试题分析" in chinese.text
    assert raw_keys(chinese.text) == set() and raw_keys(world.organiser.get(f"/admin/rounds/{paper}").text) == set()
    round_page = world.organiser.get(f"/admin/rounds/{paper}?lang=en")
    assert f'href="/admin/rounds/{paper}/theory"' in round_page.text and 'name="judges"' not in round_page.text
    other = world.organiser.get(f"/admin/rounds/{world.hydrant}/theory")
    assert other.status_code == 409


def test_the_page_form_refuses_a_bad_file_on_the_theory_page_and_stores_a_good_one(world, paper):
    client = world.organiser
    ok(client.get("/admin/login"))
    headers = {"x-csrftoken": client.cookies.get("csrftoken", "")}
    bad = client.post(
        f"/admin/rounds/{paper}/official-values?lang=en",
        files={"values": ("bad.csv", WIDE.replace("c03,A,", "c03,E,"))},
        data={"reason": "typed before"},
        headers=headers,
        follow_redirects=False,
    )
    assert bad.status_code == 422 and "Item analysis" in bad.text and 'value="typed before"' in bad.text
    assert "bad.csv" in bad.text and "q01" in bad.text and "not a valid choice from ABCD" in bad.text
    good = client.post(
        f"/admin/rounds/{paper}/official-values",
        files={"values": ("answers.csv", WIDE)},
        headers=headers,
        follow_redirects=False,
    )
    assert good.status_code in (302, 303) and good.headers["location"] == f"/admin/rounds/{paper}/theory"


def test_no_judge_is_seated_on_a_round_not_marked_on_score_sheets(world, paper):
    organiser = world.organiser
    for round_id, judge in ((paper, "j1"), (world.quiz_round, "e3")):
        refused = organiser.put(f"/api/admin/rounds/{round_id}/panel", json={"judges": [judge], "chief": judge})
        assert refused.status_code == 409 and "not marked on score sheets" in refused.text
        ok(organiser.put(f"/api/admin/rounds/{round_id}/panel", json={"judges": []}))
    # seats made before the rule are ignored: not in the judge's assignments, every request refused
    with world.app.state.database.transaction() as db:
        e1 = db.scalar(select(Judge.id).where(Judge.key == "e1"))
        assert e1 is not None
        db.add_all(
            [PanelSeat(round_id=paper, judge_id=e1, chief=True), PanelSeat(round_id=world.quiz_round, judge_id=e1)]
        )
    assigned = ok(world.judge.get("/api/judge/assignments"))
    assert [a["event"] for a in assigned] == ["hydrant"]
    home = world.judge.get("/judge").text  # the tablet's list of rounds
    assert "消火栓操作" in home and "理论试卷" not in home and "安全知识竞答" not in home
    for path in (f"/api/judge/sheets/{paper}/c01", f"/api/judge/sheets/{world.quiz_round}/s01"):
        response = world.judge.get(path)
        assert response.status_code == 403 and "not marked on score sheets" in response.text, path
    assert world.judge.get(f"/judge/console/{paper}").status_code == 403
    page = organiser.get(f"/admin/rounds/{world.quiz_round}?lang=en")
    assert "no panel" in page.text and "Clear the panel" in page.text
