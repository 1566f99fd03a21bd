"""A unit's nomination through its signed link (nominations/unit_pages.py): the call's rules
checked on the form with errors naming the field and nothing stored, quotas per unit and per
region, a retried form kept once, links forged or of another purpose refused."""

from __future__ import annotations

from sqlalchemy import func, select

from scoring.store.models import AuditRecord
from scoring.store.nomination_models import Nomination
from tests.integration.nomination_steps import KEY, nominate, nominee, open_call, post_form, unit_link


def stored(world) -> int:
    with world.app.state.database.read() as db:
        return db.execute(select(func.count()).select_from(Nomination)).scalar_one()


def test_nomination_form_shows_the_rules_and_takes_a_good_nomination(world):
    open_call(world)
    page = world.public.get(unit_link(world, "d01") + "?lang=en")
    assert page.status_code == 200
    assert "at least 3 years of service" in page.text and "nominees work on the front line" in page.text
    assert "at most 2 per unit" in page.text and "Safety Supervision Dept." in page.text
    sent = nominate(world, "d01", nominee("李护林"))
    assert sent.status_code in (302, 303) and sent.headers["location"].endswith("?sent=1")
    again = world.public.get(sent.headers["location"])
    assert "李护林" in again.text
    assert stored(world) == 1
    with world.app.state.database.read() as db:
        made = db.execute(select(AuditRecord).where(AuditRecord.action == "nomination.made")).scalar_one()
    assert made.actor == "unit:d01" and made.after["name"] == "李护林" and len(made.after["photo"]) == 64


def test_nomination_form_rules_name_the_field_and_store_nothing(world):
    open_call(world)
    cases = [
        (nominee("甲", years_of_service="2"), None, "工作年限", "至少 3 年"),
        (nominee("乙", front_line=""), None, "在一线岗位工作", "一线"),
        (nominee("丙"), b"GIF89a not a photo", "照片（JPEG 或 PNG，不超过 2 MB）", "JPEG 或 PNG"),
        (nominee("", story_zh=""), None, "姓名", "请填写姓名"),
    ]
    for form, photo, field, words in cases:
        refused = nominate(world, "d02", form, photo)
        assert refused.status_code == 422, refused.text
        assert f"<code>{field}</code>" in refused.text and words in refused.text  # the field by its label
        assert "photo-again" in refused.text  # a browser keeps no chosen file: the page says so
    assert stored(world) == 0
    en = post_form(world.public, unit_link(world, "d02") + "?lang=en", nominee("丁", years_of_service="1"))
    assert en.status_code == 422 and "at least 3 years of service are required (given: 1)" in en.text
    assert "丁" in en.text  # what was typed is kept on the page
    assert "<code>Years of service</code>" in en.text


def test_nomination_quotas_per_unit_and_per_region(world):
    open_call(world)  # 2 per unit; 3 per region; d01 and d02 are "north"
    for name in ("一", "二"):
        assert nominate(world, "d01", nominee(name)).status_code in (302, 303)
    over = nominate(world, "d01", nominee("三"))
    assert over.status_code == 422 and "<code>每单位名额（不限留空）</code>" in over.text
    assert 'id="quota-full"' in over.text and 'id="nominate"' not in over.text  # no form to fill in vain
    assert nominate(world, "d02", nominee("四")).status_code in (302, 303)
    region = nominate(world, "d02", nominee("五"))
    assert region.status_code == 422 and "<code>每地区名额（不限留空）</code>" in region.text
    assert nominate(world, "d03", nominee("六")).status_code in (302, 303)  # another region
    assert stored(world) == 4


def test_nomination_form_gives_way_to_a_notice_once_the_quota_is_used_up(world):
    open_call(world, unit_quota="1", region_quota="")
    first = world.public.get(unit_link(world, "d01"))
    assert 'id="nominate"' in first.text and 'id="quota-full"' not in first.text
    assert nominate(world, "d01", nominee("一")).status_code in (302, 303)
    for lang, words in (("zh", "本单位的推荐名额已用完"), ("en", "This unit&#39;s quota is used up")):
        full = world.public.get(unit_link(world, "d01") + f"?lang={lang}")
        assert full.status_code == 200 and words in full.text and 'id="nominate"' not in full.text
    assert 'id="nominate"' in world.public.get(unit_link(world, "d02")).text  # another unit still may


def test_nomination_a_retried_form_is_kept_once(world):
    open_call(world)
    form = nominee("重试")
    assert nominate(world, "d01", form).status_code in (302, 303)
    assert nominate(world, "d01", form).status_code in (302, 303)
    assert stored(world) == 1


def test_nomination_links_forged_or_of_another_purpose_are_refused(world):
    open_call(world)
    for link in ("/nominate/1.ZDAx.forged", unit_link(world, "d01", purpose="contestant"), unit_link(world, "zz")):
        page = world.public.get(link)
        assert page.status_code == 404 and "没有这个推荐链接" in page.text
    assert world.public.get(unit_link(world, "d01", purpose="appeal")).status_code == 404


def test_nomination_closed_after_the_call_closes(world):
    open_call(world)
    closed = post_form(world.organiser, f"/admin/competitions/{KEY}/nominations/close", {})
    assert closed.status_code in (302, 303)
    late = nominate(world, "d01", nominee("迟到"))
    assert late.status_code == 409 and "推荐已截止" in late.text
    assert stored(world) == 0
