"""The call for entries in Chromium under the real Content-Security-Policy: a unit submits a
work on a phone and a tablet (zh, en) and a bad file is refused on a page in its language; an
expert reviews a work on a phone and a tablet (zh, en) without ever seeing its authors or unit,
through the judges' sheet; the organiser's page and the public call page. Screenshots:
docs/screenshots/works-*.png when refreshing them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from scoring.store.models import Sheet, SheetVersion
from scoring.store.works_models import Work, WorkVersion
from server.demo_works import pdf_of, store_five_small
from tests.e2e.tablets import PHONE, SIZES, TABLET, judge_page, mark, sessions, wait_sent
from web.security import load_secret

MARKS = {"innovation": "24", "practicality": "22.5", "benefit": "19", "presentation": "12.5"}
WORDS = {
    "zh": {"sent": "已提交", "review": "作品评审", "blind": "盲评"},
    "en": {"sent": "Submitted", "review": "Review of works", "blind": "Blind review"},
}


def five_small(tmp_path: Path) -> dict[str, Any]:
    """The five-small example up to the experts' assignment (every review still to do)."""
    made = store_five_small(sessions(tmp_path), tmp_path / "uploads" / "works", load_secret(tmp_path, None), False)
    assert made["works"] == 40 and made["expert"]["judge"] == "E09"
    return made


def no_sideways_scroll(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def open_strict(browser: Any, size: dict[str, int]) -> Any:
    context = browser.new_context(viewport=size, bypass_csp=False, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    # what the page's policy refused (a refused form's own 422 is the test's intent, not an error)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Refused" in m.text else None)
    page.errors = errors
    return page


@pytest.mark.parametrize(("lang", "size"), [("zh", "phone"), ("en", "tablet")])
def test_a_unit_submits_a_work_and_a_bad_file_is_refused(server, browser, shots: Path, tmp_path: Path, lang, size):
    made = five_small(tmp_path)
    page = open_strict(browser, SIZES[size])
    assert page.goto(f"{server}{made['unit_link']}?lang={lang}").status == 200
    no_sideways_scroll(page)
    page.fill("#title", "配电房巡检机器人")
    page.fill("#authors", "王建华，李海燕")
    page.select_option("#category", "small_invention")
    page.fill("#abstract", "巡检机器人代替人工夜间巡视。")
    page.set_input_files(
        "#attachments", files=[{"name": "tool.pdf", "mimeType": "application/pdf", "buffer": b"MZ not a pdf"}]
    )
    page.click("form.works-form button[type=submit]")
    assert "tool.pdf" in page.locator(".problems").inner_text()  # refused in place, in the page's language
    no_sideways_scroll(page)
    page.screenshot(path=str(shots / f"works-unit-refused-{lang}-{size}.png"), full_page=True)
    with sessions(tmp_path)() as db:
        assert db.execute(select(Work).where(Work.unit_key == "u01")).scalars().all().__len__() == 4  # nothing stored
    page.fill("#title", "配电房巡检机器人")
    page.set_input_files(
        "#attachments", files=[{"name": "说明.pdf", "mimeType": "application/pdf", "buffer": pdf_of("robot")}]
    )
    page.click("form.works-form button[type=submit]")
    assert WORDS[lang]["sent"] in page.locator(".notice").inner_text()
    assert "配电房巡检机器人" in page.locator(".works-list").inner_text()
    no_sideways_scroll(page)
    page.screenshot(path=str(shots / f"works-unit-{lang}-{size}.png"), full_page=True)
    assert page.errors == []
    with sessions(tmp_path)() as db:
        stored = db.execute(select(WorkVersion).where(WorkVersion.title == "配电房巡检机器人")).scalar_one()
    assert [a["name"] for a in stored.attachments] == ["说明.pdf"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", ["phone", "tablet"])
def test_an_expert_reviews_a_work_blind_through_the_judges_sheet(
    server, browser, shots: Path, tmp_path: Path, lang, size
):
    made = five_small(tmp_path)
    expert = made["expert"]
    page = judge_page(browser, server, expert["judge"], expert["pin"], SIZES[size], lang)
    page.click("a[href='/review']")  # the tablet links an expert to the works' materials
    page.wait_for_url(f"{server}/review")
    assert WORDS[lang]["review"] in page.locator("h1").inner_text()
    text = page.locator("main").inner_text()
    assert WORDS[lang]["blind"] in text
    with sessions(tmp_path)() as db:
        authors = [v.authors for v in db.execute(select(WorkVersion)).scalars()]
    assert not any(name in text for a in authors for name in a.split("，"))  # never an author
    no_sideways_scroll(page)
    preview = page.locator("img.preview").first  # a work's photo, beside its abstract
    preview.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.preview'); return i.complete && i.naturalWidth > 0 }"
    )
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"works-review-{lang}-{size}.png"))
    first = page.locator("section.card").first
    key = first.get_attribute("id").removeprefix("work-")
    first.locator("a.button").click()
    page.wait_for_url(f"**/judge/rounds/*/{key}")
    assert page.locator("#materials").get_attribute("href") == f"/review#work-{key}"  # back to its materials
    assert page.locator(".work-materials a").first.inner_text().endswith(".pdf")  # its files beside the form
    page.screenshot(path=str(shots / f"works-sheet-{lang}-{size}.png"))
    mark(page, MARKS)
    page.click("#review")
    page.click("#confirm")
    wait_sent(page)
    with sessions(tmp_path)() as db:
        stored = db.execute(
            select(SheetVersion.state, SheetVersion.marks)
            .join(Sheet, Sheet.id == SheetVersion.sheet_id)
            .where(Sheet.entry_key == key)
        ).all()
    assert [(s, m) for s, m in stored] == [("submitted", MARKS)]
    page.goto(f"{server}/review?lang={lang}")
    assert WORDS[lang]["sent"].lower() in page.locator(f"#work-{key}").inner_text().lower()


def test_the_organisers_page_and_the_public_call(server, browser, shots: Path, tmp_path: Path):
    five_small(tmp_path)
    page = open_strict(browser, TABLET)
    page.goto(f"{server}/admin/login")
    page.fill("#username", "organiser")
    page.fill("#password", "demo-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/admin**")
    assert page.goto(f"{server}/admin/competitions/five-small-2026/works?lang=zh").status == 200
    assert "W040" in page.locator("main").inner_text()
    no_sideways_scroll(page)
    page.screenshot(path=str(shots / "works-organiser-zh-tablet.png"))
    page.locator("h2", has_text="评审进度").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "works-organiser-review-zh-tablet.png"))
    for lang, size in (("zh", PHONE), ("en", TABLET)):
        public = open_strict(browser, size)
        assert public.goto(f"{server}/calls/five-small-2026?lang={lang}").status == 200
        no_sideways_scroll(public)
        public.screenshot(
            path=str(shots / f"works-call-{lang}-{'phone' if size == PHONE else 'tablet'}.png"), full_page=True
        )
        assert public.errors == []
