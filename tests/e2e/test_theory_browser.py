"""A theory paper in a real browser, on a tablet (1024x768) and a phone (390x844), in Chinese and
in English: the organiser creates the competition, finds no panel on the theory round, uploads a
file with bad rows (refused whole, each problem named by file, row and column), then the right
file, replaces one answer with a reason, and reads the graded sheets and the item analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.theory_world import COMPETITION, ITEMS, RUBRIC, TOTALS, WIDE

SIZES = {"tablet": {"width": 1024, "height": 768}, "phone": {"width": 390, "height": 844}}
WORDS = {
    "zh": {
        "no_panel": "不设评委组",
        "bad_choice": "“E”不是 ABCD 中的一个选项",
        "unknown": "未知的参赛对象“zz”",
        "nothing": "尚未上传答卷",
        "reason": "请填写替换原因",
        "method": "高低分组法，不是点二列相关",
        "groups": "本轮 8 人，每组 2 人",
    },
    "en": {
        "no_panel": "it has no panel",
        "bad_choice": "'E' is not a valid choice from ABCD",
        "unknown": "unknown entry 'zz'",
        "nothing": "No answer sheets uploaded yet",
        "reason": "give the reason for replacing them",
        "method": "upper-lower groups, not a point-biserial correlation",
        "groups": "8 contestants this round, 2 in each group",
    },
}


def fits_the_screen(page) -> bool:
    """No sideways scrolling of the page itself: wide tables scroll inside their card."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_theory_answer_sheets_uploaded_and_analysed(server, browser, shots: Path, tmp_path: Path, size, lang):
    said = WORDS[lang]
    page = browser.new_page(viewport=SIZES[size])
    page.goto(f"{server}/admin/login?lang={lang}")
    page.fill("#username", "organiser")
    page.fill("#password", "demo-password")
    page.click("button[type=submit]")

    (tmp_path / "competition.toml").write_text(COMPETITION, encoding="utf-8")
    (tmp_path / "paper.toml").write_text(RUBRIC, encoding="utf-8")
    page.set_input_files("#competition", str(tmp_path / "competition.toml"))
    page.set_input_files("#rubrics", [str(tmp_path / "paper.toml")])
    page.click("form[action='/admin/competitions'] button[type=submit]")
    assert page.url.endswith("/admin/competitions/paper-2026")

    # the theory round has no panel form: it is never put on a judge's tablet
    page.click("tr:has-text('paper') a.button")
    assert page.locator("input[name=judges]").count() == 0
    assert said["no_panel"] in page.locator("#no-panel").inner_text()
    page.click("#theory-link a.button")
    assert page.url.endswith("/theory")

    # a file with bad rows: refused whole, each problem named; nothing stored
    bad = tmp_path / "bad.csv"
    bad.write_text(WIDE.replace("c03,A,", "c03,E,").replace("c08,", "zz,"), encoding="utf-8")
    page.set_input_files("#values_file", str(bad))
    page.click("form.upload button[type=submit]")
    alert = page.locator("[role=alert]").inner_text()
    assert "bad.csv" in alert and said["bad_choice"] in alert and said["unknown"] in alert
    choice = page.locator("[role=alert] li", has_text="q01").inner_text()  # file, row, column, what is valid
    assert choice.startswith("bad.csv") and ("行 4" if lang == "zh" else "Row 4") in choice and "ABCD" in choice
    assert said["nothing"] in page.locator("#uploads").inner_text()
    assert page.locator("#sheets").count() == 0
    assert fits_the_screen(page)
    if size == "tablet" and lang == "zh":
        page.screenshot(path=str(shots / "theory-upload.png"), full_page=True)
    else:
        page.screenshot(path=str(shots / f"theory-upload-{size}-{lang}.png"), full_page=True)

    # the right file: graded by the key
    good = tmp_path / "answers.csv"
    good.write_text(WIDE, encoding="utf-8")
    page.set_input_files("#values_file", str(good))
    page.click("form.upload button[type=submit]")
    assert page.url.endswith("/theory") and page.locator("[role=alert]").count() == 0
    for entry, total in TOTALS.items():
        assert page.locator(f"tr[data-entry={entry}] td.score").inner_text() == total
    assert page.locator("tr[data-entry=c02] td[data-q=q04]").inner_text().split() == ["3.2", "0"]

    # replacing an answer needs a reason; with one it is a second upload
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(WIDE.replace("c05,C,C,F,2", "c05,B,C,F,2"), encoding="utf-8")
    page.set_input_files("#values_file", str(fixed))
    page.click("form.upload button[type=submit]")
    assert said["reason"] in page.locator("[role=alert]").inner_text()
    page.set_input_files("#values_file", str(fixed))
    page.fill("#reason", "c05 第 1 题读错 / q01 misread")
    page.click("form.upload button[type=submit]")
    assert page.locator("#uploads tbody tr").count() == 2
    assert "q01 misread" in page.locator("#uploads tbody tr").first.inner_text()
    assert page.locator("tr[data-entry=c05] td.score").inner_text() == "1"

    # the item analysis: the method in words, and each question's difficulty and discrimination
    assert said["method"] in page.locator("#item-method").inner_text()
    assert said["groups"] in page.locator("#item-method").inner_text()
    got = {
        q: (
            page.locator(f"tr[data-question={q}] td.difficulty").inner_text(),
            page.locator(f"tr[data-question={q}] td.discrimination").inner_text(),
        )
        for q in ITEMS
    }
    # c05 now earns q01's point: q01's difficulty 6/8; in the lower group (c05, c07) half are right
    assert got == ITEMS | {"q01": ("0.75", "0.50")}
    assert fits_the_screen(page)
    page.locator("#item-analysis").scroll_into_view_if_needed()
    if size == "tablet" and lang == "zh":
        page.screenshot(path=str(shots / "theory-item-analysis.png"), full_page=True)
    else:
        page.screenshot(path=str(shots / f"theory-item-analysis-{size}-{lang}.png"), full_page=True)
