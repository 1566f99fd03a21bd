"""A candidate's optional English name and post (nominations/unit_pages.py, the lists' frozen
snapshot, the public and organiser pages): stored from the unit's form, shown on English pages
where given (else the Chinese name), never on Chinese pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from scoring.store.models import AuditRecord
from scoring.store.nomination_lists import publish_final
from scoring.store.nomination_models import Nomination
from tests.integration.nomination_steps import KEY, nominate, nominee, open_call, post_form, unit_link

ADMIN = f"/admin/competitions/{KEY}/nominations"
PUBLIC = f"/nominations/{KEY}"


def test_nomination_english_name_and_post_are_stored_from_the_form(world):
    open_call(world)
    form = nominee("张卫", name_en="Zhang Wei", post_en="Forest ranger", story_en="Zhang Wei walks the forest.")
    assert nominate(world, "d01", form).status_code in (302, 303)
    with world.app.state.database.read() as db:
        row = db.execute(select(Nomination)).scalar_one()
        made = db.execute(select(AuditRecord).where(AuditRecord.action == "nomination.made")).scalar_one()
    assert (row.name, row.name_en, row.post, row.post_en) == ("张卫", "Zhang Wei", "护林员", "Forest ranger")
    assert made.after["name_en"] == "Zhang Wei" and made.after["post_en"] == "Forest ranger"
    en = world.public.get(unit_link(world, "d01") + "?lang=en").text
    zh = world.public.get(unit_link(world, "d01") + "?lang=zh").text
    assert "Zhang Wei · Forest ranger" in en and "张卫 · 护林员" in zh and "Zhang Wei" not in zh
    too_long = nominate(world, "d01", nominee("李", name_en="x" * 65))
    assert too_long.status_code == 422 and "<code>英文姓名（可选，英文页显示）</code>" in too_long.text


def test_nomination_english_pages_show_the_english_name_where_given_else_the_chinese(world):
    open_call(world)
    assert nominate(
        world,
        "d01",
        nominee("张卫", name_en="Zhang Wei", post_en="Forest ranger", story_en="Zhang Wei walks the forest."),
    ).status_code in (
        302,
        303,
    )
    assert nominate(world, "d03", nominee("林二")).status_code in (302, 303)  # no English name: the Chinese one stands
    assert post_form(world.organiser, f"{ADMIN}/close", {}).status_code in (302, 303)
    with world.app.state.database.read() as db:
        ids = {n.name: n.id for n in db.execute(select(Nomination)).scalars()}
    admin_en = world.organiser.get(ADMIN + "?lang=en").text
    assert "Zhang Wei" in admin_en and "Forest ranger" in admin_en and "林二" in admin_en
    assert "Zhang Wei" not in world.organiser.get(ADMIN + "?lang=zh").text
    assert "Zhang Wei" in world.judge.get(f"/deliberation/{KEY}?lang=en").text
    e4 = world.signed_in("e4")
    for client in (world.judge, world.chief, e4):
        votes = {f"vote_{i}": "approve" for i in ids.values()}
        assert post_form(client, f"/deliberation/{KEY}", votes).status_code in (302, 303)
    deadline = (datetime.now(UTC) + timedelta(days=5)).astimezone().strftime("%Y-%m-%dT%H:%M%z")
    assert post_form(world.organiser, f"{ADMIN}/notice", {"deadline": deadline}).status_code in (302, 303)
    notice_en = world.public.get(f"{PUBLIC}/notice?lang=en").text
    assert "<h3>Zhang Wei</h3>" in notice_en and "Forest ranger" in notice_en and "<h3>林二</h3>" in notice_en
    assert "张卫" not in notice_en
    notice_zh = world.public.get(f"{PUBLIC}/notice?lang=zh").text
    assert "<h3>张卫</h3>" in notice_zh and "Zhang Wei" not in notice_zh and "Forest ranger" not in notice_zh
    with world.app.state.database.transaction() as db:
        publish_final(db, KEY, "organiser:org", now=datetime.now(UTC) + timedelta(days=6))
    listed_en = world.public.get(f"{PUBLIC}/list?lang=en").text
    assert "Zhang Wei" in listed_en and "张卫" not in listed_en and "林二" in listed_en
    assert "Zhang Wei" not in world.public.get(f"{PUBLIC}/list?lang=zh").text
    page_en = world.public.get(f"{PUBLIC}/honourees/{ids['张卫']}?lang=en").text
    assert "<h1>Zhang Wei</h1>" in page_en and "Forest ranger" in page_en and "张卫" not in page_en
    page_zh = world.public.get(f"{PUBLIC}/honourees/{ids['张卫']}?lang=zh").text
    assert "<h1>张卫</h1>" in page_zh and "护林员" in page_zh and "Zhang Wei" not in page_zh
