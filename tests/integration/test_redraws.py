"""Draws of lots drawn again (issue 12, item 16): a second draw of a kind must name the draw in
force it replaces (a warning the organiser confirms), needs a reason once the round's judges may
have seen that draw, is recorded with its reason and audited, and the page shows which draw is
in force, with team names rather than keys."""

from __future__ import annotations

from sqlalchemy import select

from scoring.store.models import AuditRecord, Draw
from tests.integration.world import ok, sheet_body


def form(client, path: str, data: dict[str, str]):
    ok(client.get("/admin"))
    return client.post(path, data=data, headers={"x-csrftoken": client.cookies.get("csrftoken", "")})


def test_a_second_draw_must_name_the_draw_it_replaces_and_the_newest_is_in_force(world):
    url = f"/api/admin/rounds/{world.extinguisher}/draws"
    first = ok(world.organiser.post(url, json={"purpose": "order", "drawn_by": "王五", "seed": 1}), 201)
    unconfirmed = world.organiser.post(url, json={"purpose": "order", "drawn_by": "王五", "seed": 2})
    assert unconfirmed.status_code == 409 and unconfirmed.json()["field"] == "replaces"
    assert f"#{first['id']}" in unconfirmed.json()["zh"]
    assert len(ok(world.organiser.get(url))) == 1  # nothing was added
    stale = world.organiser.post(url, json={"purpose": "order", "drawn_by": "王五", "replaces": first["id"] + 99})
    assert stale.status_code == 409
    second = ok(
        world.organiser.post(url, json={"purpose": "order", "drawn_by": "王五", "seed": 2, "replaces": first["id"]}),
        201,
    )  # no judge sits on this round yet: no reason needed
    assert second["reason"] is None
    ok(world.organiser.post(url, json={"purpose": "stations", "drawn_by": "王五", "stations": 2}), 201)  # another kind
    page = world.organiser.get(f"/admin/rounds/{world.extinguisher}").text
    rows = page.split('id="draws"')[1]
    assert rows.count("draw_in_force") == 0 and rows.count("生效") >= 2  # the order and the stations in force
    assert f"已被取代： #{second['id']}" in rows  # the first order draw, replaced by the second
    assert "安全监察部" in rows  # team names, not only keys


def test_a_redraw_after_the_judges_may_have_seen_the_order_needs_a_reason_and_is_recorded(world):
    url = f"/api/admin/rounds/{world.hydrant}/draws"
    first = ok(world.organiser.post(url, json={"purpose": "order", "drawn_by": "王五", "seed": 7}), 201)
    assert ok(world.judge.get("/api/judge/assignments"))[0]["entries"] == first["result"]["order"]  # e1 sees it
    body = {"purpose": "order", "drawn_by": "王五", "seed": 8, "replaces": first["id"]}
    no_reason = world.organiser.post(url, json=body)
    assert no_reason.status_code == 422 and no_reason.json()["problems"][0]["field"] == "reason"
    assert len(ok(world.organiser.get(url))) == 1  # nothing was added
    redrawn = ok(world.organiser.post(url, json=body | {"reason": "the draw was made before all teams arrived"}), 201)
    assert redrawn["reason"] == "the draw was made before all teams arrived"
    assert ok(world.judge.get("/api/judge/assignments"))[0]["entries"] == redrawn["result"]["order"]
    with world.app.state.database.read() as db:
        record = db.execute(select(AuditRecord).where(AuditRecord.action == "draw.order")).scalars().all()[-1]
        assert record.after["reason"] == redrawn["reason"] and record.after["draw"] == redrawn["id"]
        assert len(db.execute(select(Draw).where(Draw.round_id == world.hydrant)).scalars().all()) == 2  # appended
    page = world.organiser.get(f"/admin/rounds/{world.hydrant}").text
    assert "评委可能已看到" in page and "the draw was made before all teams arrived" in page


def test_the_round_page_warns_of_a_redraw_and_asks_for_the_confirmation_and_the_reason(world):
    path = f"/admin/rounds/{world.hydrant}/draws"
    ok(form(world.organiser, path, {"purpose": "order", "drawn_by": "王五", "seed": "3"}))
    warned = form(world.organiser, path, {"purpose": "order", "drawn_by": "王五", "seed": "4"})
    assert warned.status_code == 409 and 'id="redraw"' in warned.text and 'name="replaces"' in warned.text
    assert 'value="王五"' in warned.text and 'value="4"' in warned.text  # what was typed is kept
    draw_id = warned.text.split('name="replaces" value="')[1].split('"')[0]
    needs_reason = form(world.organiser, path, {"purpose": "order", "drawn_by": "王五", "replaces": draw_id})
    assert needs_reason.status_code == 422 and "须填写原因" in needs_reason.text
    done = form(
        world.organiser, path, {"purpose": "order", "drawn_by": "王五", "replaces": draw_id, "reason": "抽签箱有误"}
    )
    assert done.status_code == 200 and done.url.path == f"/admin/rounds/{world.hydrant}"
    assert "原因: 抽签箱有误" in done.text


def test_codes_are_still_fixed_once_a_sheet_exists_even_for_a_confirmed_redraw(world):
    url = f"/api/admin/rounds/{world.hydrant}/draws"
    checkin = ok(world.organiser.post(url, json={"purpose": "checkin", "drawn_by": "李四", "seed": 1}), 201)
    ok(world.judge.put(f"/api/judge/sheets/{world.hydrant}/s01", json=sheet_body()))
    again = world.organiser.post(
        url, json={"purpose": "checkin", "drawn_by": "李四", "replaces": checkin["id"], "reason": "x"}
    )
    assert again.status_code == 409 and "can no longer be drawn again" in again.json()["en"]
