"""What the selection's pages say back to the people using them: the organiser's refused forms
come back as pages (never as the page's source sent as JSON) naming each field by its label,
nothing kept; an accepted act says what was done; the expert's ballot says how many candidates
the expert has voted on and what a missing vote counts as."""

from __future__ import annotations

from sqlalchemy import func, select

from scoring.store.nomination_models import NominationCall
from tests.integration.nomination_steps import CALL, KEY, nominate, nominee, open_call, post_form

ADMIN = f"/admin/competitions/{KEY}/nominations"


def calls(world) -> int:
    with world.app.state.database.read() as db:
        return db.execute(select(func.count()).select_from(NominationCall)).scalar_one()


def test_nomination_call_form_refused_is_a_page_naming_the_fields_by_label(world):
    bad = CALL | {"min_service_years": "three", "threshold": "most", "regions": "d01 north", "panel": ["e1"]}
    for lang, labels in (
        ("zh", ("最低工作年限", "赞成比例（如 2/3）", "单位所在地区（每行：单位代码=地区）")),
        ("en", ("Minimum years of service", "Share of the panel (such as 2/3)", "Units&#39; regions")),
    ):
        refused = post_form(world.organiser, f"{ADMIN}/call?lang={lang}", bad)
        assert refused.status_code == 422
        assert refused.headers["content-type"].startswith("text/html"), refused.headers["content-type"]
        assert refused.text.lstrip().lower().startswith("<!doctype html>")
        for label in labels:
            assert f"<code>{label}" in refused.text, label
        assert "<code>min_service_years</code>" not in refused.text
    assert calls(world) == 0  # nothing kept
    new = world.organiser.get(ADMIN)
    assert 'id="min_service_years" name="min_service_years" type="number" min="0" value="0"' in new.text


def test_nomination_organiser_acts_say_what_was_done(world):
    saved = post_form(
        world.organiser, f"{ADMIN}/call", CALL | {"panel": ["e1", "e2"], "regions": "", "region_quota": ""}
    )
    assert saved.status_code in (302, 303) and saved.headers["location"].endswith("?done=call")
    page = world.organiser.get(saved.headers["location"])
    assert 'id="done"' in page.text and "设置已保存" in page.text
    assert "audit" not in page.text.split('id="done"')[1].split("</p>")[0]
    assert nominate(world, "d01", nominee("林一")).status_code in (302, 303)
    assert "<th>地区</th>" not in world.organiser.get(ADMIN).text  # this call has no regions: no empty column
    closed = post_form(world.organiser, f"{ADMIN}/close", {})
    assert closed.headers["location"].endswith("?done=close")
    en = world.organiser.get(closed.headers["location"] + "&lang=en")
    assert "Nominations are closed; the panel deliberates." in en.text
    assert 'type="datetime-local"' in en.text  # the notice's deadline picked, not typed in ISO form
    unknown = world.organiser.get(f"{ADMIN}?done=%3Cscript%3E")
    assert unknown.status_code == 200 and 'id="done"' not in unknown.text


def test_nomination_ballot_counts_the_experts_votes(world):
    open_call(world)
    for unit, name in (("d01", "林一"), ("d01", "林二"), ("d03", "林三")):
        assert nominate(world, unit, nominee(name)).status_code in (302, 303)
    assert post_form(world.organiser, f"{ADMIN}/close", {}).status_code in (302, 303)
    assert "<th>地区</th>" in world.organiser.get(f"{ADMIN}?lang=zh").text  # this call has regions
    page = world.judge.get(f"/deliberation/{KEY}")
    assert "已对 0 位人选表态（共 3 位）" in page.text and "未表态的人选计为不赞成" in page.text
    first = page.text.split('name="vote_')[1].split('"')[0]
    sent = post_form(world.judge, f"/deliberation/{KEY}", {f"vote_{first}": "approve"})
    assert sent.status_code in (302, 303), sent.text
    en = world.judge.get(f"/deliberation/{KEY}?lang=en")
    assert "you have voted on 1 candidates (of 3)" in en.text and "counts as not approved" in en.text


def test_nomination_call_form_refused_keeps_what_was_typed(world):
    bad = CALL | {"title_zh": "最美巡查员", "threshold": "most", "panel": ["e1", "e2"]}
    refused = post_form(world.organiser, f"{ADMIN}/call", bad)
    assert refused.status_code == 422
    assert 'value="最美巡查员"' in refused.text and 'value="most"' in refused.text
    assert 'value="e2" checked' in refused.text and "d01=north" in refused.text
    assert '<details class="card" open>' in refused.text  # the settings stay open to correct
