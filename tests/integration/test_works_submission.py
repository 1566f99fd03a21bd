"""A unit's submissions through its link: attachments typed by their bytes and bounded in size
(bad input: a clear 4xx page, nothing stored), revisions until the deadline and refused after,
and the organiser's eligibility check with the reason the unit reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from scoring.store.models import Team
from scoring.store.works_models import Work, WorkCall, WorkVersion
from tests.integration.works_world import KEY, PDF, PNG, csrf, submit, works_world
from tests.integration.world import ok


def counts(world):
    with world.sessions() as db:
        return (
            db.execute(select(func.count()).select_from(Work)).scalar_one(),
            db.execute(select(func.count()).select_from(WorkVersion)).scalar_one(),
        )


def test_a_unit_submits_a_work_with_files_kept_by_their_hash(tmp_path):
    with works_world(tmp_path) as world:
        unit = world.client()
        link = world.unit_link("u01")
        page = unit.get(link)
        assert page.status_code == 200 and "输电运检中心" in page.text and "提交新作品" in page.text
        sent = submit(unit, link, [("说明.pdf", PDF), ("photo.jpg", PNG)])
        assert sent.status_code in (302, 303) and sent.headers["location"] == f"{link}?sent=1"
        assert counts(world) == (1, 1)
        with world.sessions() as db:
            version = db.execute(select(WorkVersion)).scalar_one()
        # typed by the bytes: the ".jpg" is a PNG
        assert [(a["name"], a["type"]) for a in version.attachments] == [
            ("说明.pdf", "application/pdf"),
            ("photo.jpg", "image/png"),
        ]
        assert world.files() == sorted(a["sha256"] for a in version.attachments)
        shown = unit.get(link + "?lang=en")
        assert "W001" in shown.text and "Awaiting the check" in shown.text
        own = unit.get(f"{link}/files/{version.attachments[0]['sha256']}")
        assert own.status_code == 200 and own.content == PDF
        other = world.client().get(f"{world.unit_link('u02')}/files/{version.attachments[0]['sha256']}")
        assert other.status_code == 404  # another unit never reads this unit's files


def test_bad_attachments_are_refused_with_a_page_naming_them_and_nothing_is_stored(tmp_path):
    with works_world(tmp_path) as world:
        unit, link = world.client(), world.unit_link("u01")
        refused = submit(unit, link, [("tool.pdf", b"MZ\x90\x00 not a pdf")])
        assert refused.status_code == 422 and "tool.pdf" in refused.text and "PDF" in refused.text
        assert "<html" in refused.text  # a page, never raw JSON
        too_big = submit(unit, link, [("big.pdf", PDF + b"0" * (1024 * 1024))])
        assert too_big.status_code == 422 and "big.pdf" in too_big.text and "1 MB" in too_big.text
        too_many = submit(unit, link, [("a.pdf", PDF), ("b.pdf", PDF + b"1"), ("c.pdf", PDF + b"2")])
        assert too_many.status_code == 422
        missing = submit(unit, link, title=" ", category="nope")
        assert missing.status_code == 422 and "title" in missing.text and "category" in missing.text
        assert counts(world) == (0, 0)
        assert world.files() == []  # refused before any file was written
        assert world.client().get("/works/unit/1.dTAx.forged").status_code == 404


def test_revisions_until_the_deadline_and_refused_after(tmp_path):
    with works_world(tmp_path) as world:
        unit, link = world.client(), world.unit_link("u03")
        ok(submit(unit, link, [("a.pdf", PDF)]), (302, 303))
        with world.sessions() as db:
            first = db.execute(select(WorkVersion)).scalar_one()
        kept = first.attachments[0]["sha256"]
        revised = submit(unit, f"{link}/w/W001", [("b.png", PNG)], title="改进后的名称", keep=kept)
        assert revised.status_code in (302, 303)
        with world.sessions() as db:
            latest = db.execute(select(WorkVersion).where(WorkVersion.version == 2)).scalar_one()
        assert latest.title == "改进后的名称" and [a["name"] for a in latest.attachments] == ["a.pdf", "b.png"]
        # another unit cannot revise it
        assert submit(world.client(), f"{world.unit_link('u04')}/w/W001", title="x").status_code == 404
        with world.sessions.begin() as db:
            db.execute(update(WorkCall).values(deadline=datetime.now(UTC) - timedelta(minutes=1)))
        late = submit(unit, f"{link}/w/W001", title="太晚了")
        assert late.status_code == 409 and "截止" in late.text
        assert submit(unit, link, title="新的").status_code == 409
        assert counts(world) == (1, 2)
        closed = unit.get(link + "?lang=en")
        assert "The call has closed" in closed.text and "Submit a new work" not in closed.text


def test_the_organisers_refusal_gives_a_reason_the_unit_reads_and_eligible_works_become_entries(tmp_path):
    with works_world(tmp_path) as world:
        unit, link = world.client(), world.unit_link("u02")
        ok(submit(unit, link, title="甲"), (302, 303))
        ok(submit(unit, link, title="乙"), (302, 303))
        page = f"/admin/competitions/{KEY}/works"
        headers = csrf(world.organiser, page)
        no_reason = world.organiser.post(f"{page}/W001/decision", data={"eligible": "0"}, headers=headers)
        assert no_reason.status_code == 409 and "须说明原因" in no_reason.text
        refused = world.organiser.post(
            f"{page}/W001/decision",
            data={"eligible": "0", "reason": "不属于五小成果范围"},
            headers=headers,
            follow_redirects=False,
        )
        assert refused.status_code in (302, 303)
        ok(world.organiser.post(f"{page}/W002/decision", data={"eligible": "1"}, headers=headers), 200)
        shown = unit.get(link)
        assert "不符合条件" in shown.text and "不属于五小成果范围" in shown.text
        with world.sessions() as db:
            entries = db.execute(select(Team.key, Team.unit_key, Team.name_zh)).all()
        assert entries == [("W002", "u02", "乙")]
        # an entry under review is not refused afterwards
        late = world.organiser.post(f"{page}/W002/decision", data={"eligible": "0", "reason": "x"}, headers=headers)
        assert late.status_code == 409
