"""A selection by nomination after the units' forms: the panel's ballots counted by the stated
rule, the notice (公示) with the public's objections during its period only, each decided with
reasons and audited, an upheld objection taking its nominee off the list, and what the public
may see at each stage (nothing of the candidates before the notice)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from scoring.problems import InvalidInput
from scoring.refusals import Conflict
from scoring.store.models import AuditRecord
from scoring.store.nomination_lists import decide_objection, lodge_objection, publish_final
from scoring.store.nomination_models import Nomination
from tests.integration.nomination_steps import KEY, nominate, nominee, open_call, post_form

ADMIN = f"/admin/competitions/{KEY}/nominations"
PUBLIC = f"/nominations/{KEY}"


def ids_by_name(world) -> dict[str, int]:
    with world.app.state.database.read() as db:
        return {n.name: n.id for n in db.execute(select(Nomination)).scalars()}


def nominated_and_closed(world) -> dict[str, int]:
    """Four candidates from three units, then nominations closed."""
    for unit, name in (("d01", "林一"), ("d01", "林二"), ("d03", "林三"), ("d04", "林四")):
        assert nominate(world, unit, nominee(name)).status_code in (302, 303)
    assert post_form(world.organiser, f"{ADMIN}/close", {}).status_code in (302, 303)
    return ids_by_name(world)


def vote(client, ids: dict[str, int], approve: set[str]) -> None:
    form = {f"vote_{i}": "approve" if name in approve else "reject" for name, i in ids.items()}
    sent = post_form(client, f"/deliberation/{KEY}", form)
    assert sent.status_code in (302, 303), sent.text


def on_notice(world, approvals: dict[str, set[str]]) -> dict[str, int]:
    open_call(world)  # panel e1 (the world's judge), e2 (its chief), e4; 2/3 of the panel approve
    ids = nominated_and_closed(world)
    e4 = world.signed_in("e4")
    for client, key in ((world.judge, "e1"), (world.chief, "e2"), (e4, "e4")):
        vote(client, ids, approvals[key])
    deadline = (datetime.now(UTC) + timedelta(days=5)).astimezone().strftime("%Y-%m-%dT%H:%M%z")
    sent = post_form(world.organiser, f"{ADMIN}/notice", {"deadline": deadline})
    assert sent.status_code in (302, 303), sent.text
    return ids


VOTES = {"e1": {"林一", "林二", "林三"}, "e2": {"林一", "林三"}, "e4": {"林一", "林二"}}


def test_selection_the_public_sees_nothing_of_the_candidates_before_the_notice(world):
    open_call(world)
    ids = nominated_and_closed(world)
    call = world.public.get(PUBLIC)
    assert call.status_code == 200 and "最美护林员推选" in call.text
    assert all(name not in call.text for name in ids)
    for path in ("/notice", "/list", f"/honourees/{ids['林一']}", f"/honourees/{ids['林一']}/photo"):
        assert world.public.get(PUBLIC + path).status_code == 404, path
    assert world.public.get("/nominations/no-such-competition").status_code == 404


def test_selection_votes_are_counted_by_the_stated_rule_and_recorded_with_the_list(world):
    ids = on_notice(world, VOTES)
    # 林一 3 approvals, 林二 2, 林三 2 (2/3 of a panel of 3), 林四 0
    page = world.public.get(f"{PUBLIC}/notice?lang=en")
    assert page.status_code == 200
    assert all(name in page.text for name in ("林一", "林二", "林三")) and "林四" not in page.text
    assert "at least 2/3 of the whole panel" in page.text and "panel of 3" in page.text
    photo = world.public.get(f"{PUBLIC}/honourees/{ids['林一']}/photo")
    assert photo.status_code == 200 and photo.content.startswith(b"\x89PNG")
    assert world.public.get(f"{PUBLIC}/honourees/{ids['林四']}/photo").status_code == 404
    with world.app.state.database.read() as db:
        record = db.execute(select(AuditRecord).where(AuditRecord.action == "nomination_list.notice")).scalar_one()
    assert sorted(record.after["list"]) == sorted(ids[n] for n in ("林一", "林二", "林三"))
    admin = world.organiser.get(ADMIN)
    assert admin.status_code == 200 and "林四" in admin.text


def test_selection_only_the_panel_votes_and_only_while_deliberating(world):
    open_call(world)
    early = post_form(world.judge, f"/deliberation/{KEY}", {"vote_1": "approve"})
    assert early.status_code == 409
    ids = nominated_and_closed(world)
    assert world.unseated.get(f"/deliberation/{KEY}").status_code == 403  # e3 is off the panel
    refused = post_form(world.unseated, f"/deliberation/{KEY}", {f"vote_{ids['林一']}": "approve"})
    assert refused.status_code == 403
    assert world.public.get(f"/deliberation/{KEY}", follow_redirects=False).status_code in (302, 303)
    bad = post_form(world.judge, f"/deliberation/{KEY}", {f"vote_{ids['林一']}": "maybe"})
    assert bad.status_code == 422 and "<code>专家审议投票</code>" in bad.text
    page = world.judge.get(f"/deliberation/{KEY}")
    assert page.status_code == 200 and "林四" in page.text and "2/3" in page.text


def test_selection_objections_during_the_notice_decided_with_reasons_and_the_list_follows(world):
    ids = on_notice(world, VOTES)
    sent = post_form(
        world.public,
        f"{PUBLIC}/notice",
        {"nomination": str(ids["林二"]), "name": "王五", "contact": "13900000000", "reason": "年限不足"},
    )
    assert sent.status_code in (302, 303), sent.text
    missing = post_form(world.public, f"{PUBLIC}/notice?lang=en", {"nomination": str(ids["林三"]), "name": "赵六"})
    assert (
        missing.status_code == 422
        and "<code>Contact (phone or e-mail)</code>" in missing.text
        and "<code>Reasons</code>" in missing.text
    )
    assert 'id="objection-problems"' in missing.text  # the problems shown at the form too
    assert 'action="/nominations/safety-culture-2023/notice#objection"' in missing.text  # the page opens at the form
    off_list = post_form(
        world.public, f"{PUBLIC}/notice", {"nomination": str(ids["林四"]), "name": "a", "contact": "b", "reason": "c"}
    )
    assert off_list.status_code == 422 and "<code>Nominee</code>" in off_list.text  # the reader chose English above
    admin = world.organiser.get(ADMIN)
    assert "年限不足" in admin.text and "13900000000" in admin.text
    with world.app.state.database.read() as db:
        objection = db.execute(
            select(AuditRecord).where(AuditRecord.action == "nomination_objection.lodged")
        ).scalar_one()
    number = int(objection.entity_id)
    no_reason = post_form(world.organiser, f"{ADMIN}/objections/{number}/decision", {"outcome": "upheld", "reason": ""})
    assert no_reason.status_code == 422 and "<code>理由</code>" in no_reason.text
    assert no_reason.headers["content-type"].startswith("text/html")  # a page, never the page's source as JSON
    upheld = post_form(
        world.organiser, f"{ADMIN}/objections/{number}/decision", {"outcome": "upheld", "reason": "档案显示仅两年"}
    )
    assert upheld.status_code in (302, 303), upheld.text
    twice = post_form(world.organiser, f"{ADMIN}/objections/{number}/decision", {"outcome": "dismissed", "reason": "x"})
    assert twice.status_code == 409
    early = post_form(world.organiser, f"{ADMIN}/final", {})
    assert early.status_code == 409 and "公示期尚未结束" in early.text
    assert early.headers["content-type"].startswith("text/html")
    waiting = world.organiser.get(ADMIN)
    assert 'id="final-after"' in waiting.text and "公示期结束" in waiting.text  # the button says why it waits
    # the period ends: the list is published without the nominee the upheld objection names
    database = world.app.state.database
    with database.transaction() as db:
        publish_final(db, KEY, "organiser:org", now=datetime.now(UTC) + timedelta(days=6))
    listed = world.public.get(f"{PUBLIC}/list?lang=zh")
    assert listed.status_code == 200 and "林一" in listed.text and "林三" in listed.text
    assert "经异议核实后移出名单" in listed.text and "林二" in listed.text  # named as taken off
    honouree = world.public.get(f"{PUBLIC}/honourees/{ids['林一']}?lang=en")
    assert honouree.status_code == 200 and "has walked the forest for years" in honouree.text
    assert world.public.get(f"{PUBLIC}/honourees/{ids['林二']}").status_code == 404
    assert world.public.get(f"{PUBLIC}/honourees/{ids['林二']}/photo").status_code == 404
    old_notice = world.public.get(f"{PUBLIC}/notice?lang=zh").text
    assert f"/honourees/{ids['林二']}/photo" not in old_notice and f"/honourees/{ids['林一']}/photo" in old_notice
    assert "经异议核实后移出名单" in old_notice
    with database.read() as db:
        decided = db.execute(
            select(AuditRecord).where(AuditRecord.action == "nomination_objection.decided")
        ).scalar_one()
        final = db.execute(select(AuditRecord).where(AuditRecord.action == "nomination_list.final")).scalar_one()
    assert decided.after["effect"] == "removed from the list" and decided.after["reason"] == "档案显示仅两年"
    assert final.after["removed"][0]["id"] == ids["林二"]
    after = post_form(
        world.public, f"{PUBLIC}/notice", {"nomination": str(ids["林一"]), "name": "a", "contact": "b", "reason": "c"}
    )
    assert after.status_code == 409


def test_selection_objections_are_refused_after_the_period(world):
    ids = on_notice(world, VOTES)
    later = datetime.now(UTC) + timedelta(days=5, minutes=1)
    database = world.app.state.database
    with pytest.raises(Conflict) as refused, database.transaction() as db:
        lodge_objection(db, KEY, ids["林一"], "甲", "乙", "丙", now=later)
    assert "period has ended" in refused.value.en
    with database.transaction() as db:
        lodge_objection(db, KEY, ids["林一"], "甲", "乙", "丙", now=later - timedelta(minutes=2))
    with pytest.raises(InvalidInput), database.transaction() as db:
        decide_objection(db, KEY, 1, "perhaps", "x", "organiser:org")
    with pytest.raises(Conflict) as undecided, database.transaction() as db:
        publish_final(db, KEY, "organiser:org", now=later)
    assert "not decided" in undecided.value.en


def test_selection_objections_are_rate_limited_per_address(world):
    ids = on_notice(world, VOTES)
    form = {"nomination": str(ids["林一"]), "name": "甲", "contact": "乙", "reason": "丙"}
    statuses = [post_form(world.public, f"{PUBLIC}/notice", form).status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5 and statuses[5] == 429


def test_selection_ranked_ballots_on_the_form_are_counted_by_borda(world):
    open_call(world, method="borda", seats="2", tie="nomination_order")
    ids = nominated_and_closed(world)  # 林一 .. 林四
    e4 = world.signed_in("e4")
    rankings = {
        world.judge: ["林三", "林一", "林二"],  # 林三 3 points, 林一 2, 林二 1, 林四 0
        world.chief: ["林一", "林三"],  # 林一 3, 林三 2
        e4: ["林二", "林一"],  # 林二 3, 林一 2
    }
    for client, ranking in rankings.items():
        form = {f"rank_{ids[name]}": str(place) for place, name in enumerate(ranking, start=1)}
        form[f"rank_{ids['林四']}"] = ""  # left blank: unranked
        sent = post_form(client, f"/deliberation/{KEY}", form)
        assert sent.status_code in (302, 303), sent.text
    page = world.judge.get(f"/deliberation/{KEY}?lang=en")
    assert "Borda count" in page.text and f'name="rank_{ids["林三"]}"' in page.text
    twice = post_form(world.judge, f"/deliberation/{KEY}", {f"rank_{ids['林一']}": "1", f"rank_{ids['林二']}": "1"})
    assert twice.status_code in (302, 303)  # equal ranks are ordered by nomination: 林一, then 林二
    ok_again = {f"rank_{ids[name]}": str(p) for p, name in enumerate(["林三", "林一", "林二"], start=1)}
    assert post_form(world.judge, f"/deliberation/{KEY}", ok_again).status_code in (302, 303)
    admin = world.organiser.get(f"{ADMIN}?lang=en")
    assert "Borda count" in admin.text
    # points: 林一 2+3+2 = 7, 林三 3+2 = 5, 林二 1+3 = 4, 林四 0 -> 林一 and 林三
    deadline = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    assert post_form(world.organiser, f"{ADMIN}/notice", {"deadline": deadline}).status_code in (302, 303)
    notice = world.public.get(f"{PUBLIC}/notice?lang=zh")
    assert "林一" in notice.text and "林三" in notice.text and "林二" not in notice.text
    with world.app.state.database.read() as db:
        record = db.execute(select(AuditRecord).where(AuditRecord.action == "nomination_list.notice")).scalar_one()
    assert record.after["list"] == [ids["林一"], ids["林三"]]


def test_selection_pages_in_chinese_show_words_not_keys(world):
    """Every page of the demo's selection, in Chinese, with no raw key of the data
    (tests/integration/test_pages_in_chinese.py's check)."""
    from pathlib import Path

    from scoring.store.database import session_factory
    from server.demo_nominations import load_ranger_selection
    from tests.integration.test_pages_in_chinese import raw_keys

    data_dir = Path(world.app.state.uploads).parent
    shown = load_ranger_selection(session_factory(world.engine), data_dir, world.app.state.secret)
    key = shown["key"]
    pages = {
        world.organiser: [f"/admin/competitions/{key}/nominations", f"/admin/competitions/{KEY}/nominations"],
        world.public: [
            f"/nominations/{key}",
            f"/nominations/{key}/notice",
            f"/nominations/{key}/list",
            f"/nominations/{key}/honourees/{shown['honouree']}",
            shown["unit_link"],
        ],
    }
    for client, paths in pages.items():
        for path in paths:
            page = client.get(path + "?lang=zh")
            assert page.status_code == 200, path
            assert raw_keys(page.text) == set(), path
            assert "{}" not in page.text, path
    photo = world.public.get(f"/nominations/{key}/honourees/{shown['honouree']}/photo")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"


def test_selection_a_notice_needs_ballots_and_someone_selected(world):
    open_call(world)
    ids = nominated_and_closed(world)
    deadline = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    none_yet = post_form(world.organiser, f"{ADMIN}/notice", {"deadline": deadline})
    assert none_yet.status_code == 409 and "还没有投票" in none_yet.text
    vote(world.judge, ids, set())  # one expert rejects everyone: no one reaches 2/3
    nobody = post_form(world.organiser, f"{ADMIN}/notice?lang=en", {"deadline": deadline})
    assert nobody.status_code == 409 and "selects no candidate" in nobody.text
    past = post_form(world.organiser, f"{ADMIN}/notice?lang=zh", {"deadline": "2020-01-01T08:00"})
    assert past.status_code == 422 and "<code>公示截止</code>" in past.text
    assert past.headers["content-type"].startswith("text/html")
    garbled = post_form(world.organiser, f"{ADMIN}/notice?lang=en", {"deadline": "next Friday"})
    assert garbled.status_code == 422 and garbled.headers["content-type"].startswith("text/html")
    assert "<code>Notice until</code>" in garbled.text and "<!doctype html>" in garbled.text.lower()
    assert world.public.get(f"{PUBLIC}/notice").status_code == 404
