"""The judges' cards (issue 12, items 12 and 13): printing never revokes anything, reissuing is
per judge with a confirmation, revoking every card is a separate action with the competition's
key and a reason; every change is audited. Printed links and QR codes carry SCORING_PUBLIC_URL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from scoring.store.models import AuditRecord
from server.settings import public_url
from tests.integration.world import ok

KEY = "safety-culture-2023"
CARDS = f"/admin/competitions/{KEY}/access-cards"


def form(client, path: str, data: dict[str, str]):
    """A form posted as a browser does: with the CSRF token from a page first read."""
    ok(client.get("/admin"))
    return client.post(path, data=data, headers={"x-csrftoken": client.cookies.get("csrftoken", "")})


def actions(world, action: str) -> list[AuditRecord]:
    with world.app.state.database.read() as db:
        return list(db.execute(select(AuditRecord).where(AuditRecord.action == action)).scalars())


def pins_on(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-judge="(\w+)">.*?PIN (\d{6})', page, re.S))


def test_printing_the_cards_twice_revokes_nothing_and_prints_the_same_pins(world):
    printed = form(world.organiser, CARDS, {})
    assert printed.status_code == 200 and printed.url.path == CARDS  # issued, then shown (post, redirect, get)
    first = pins_on(printed.text)
    assert first["e1"] == world.access["e1"]["pin"] and set(first) == {"e1", "e2", "e3", "e4", "e5", "e6", "e7"}
    again = pins_on(world.organiser.get(CARDS).text)
    assert again == first  # the same PINs and links, printed again
    assert world.access["e1"]["link"] in world.organiser.get(CARDS).text
    assert ok(world.judge.get("/api/judge/assignments"))  # the signed-in tablet is still signed in
    assert world.signed_in("e1")  # and the link on the card still signs in
    pin = world.client().post("/api/session/judge-pin", json={"competition": KEY, "judge": "e5", "pin": first["e5"]})
    assert pin.status_code == 200  # a judge issued a PIN at printing signs in with it
    assert [r.entity_id for r in actions(world, "judge.pin_issued")] == ["e5", "e6", "e7"]
    assert actions(world, "judge.access.revoked") == []


def test_reissuing_one_card_needs_a_confirmation_and_ends_only_that_judges_access(world):
    e1 = world.judge_ids["e1"]
    page = ok(world.organiser.get(f"/admin/judges/{e1}/reissue"))
    assert page is None  # a page, not JSON
    unconfirmed = form(world.organiser, f"/admin/judges/{e1}/reissue", {"reason": "lost"})
    assert unconfirmed.status_code == 422 and "请勾选确认" in unconfirmed.text
    assert ok(world.judge.get("/api/judge/assignments"))  # nothing changed
    done = form(world.organiser, f"/admin/judges/{e1}/reissue", {"reason": "card lost", "confirm": "yes"})
    assert done.status_code == 200 and done.url.path == CARDS and done.url.params["judge"] == "e1"
    new_pin = pins_on(done.text)["e1"]
    assert new_pin != world.access["e1"]["pin"] and list(pins_on(done.text)) == ["e1"]
    assert world.judge.get("/api/judge/assignments").status_code == 401  # the old session ended
    assert world.client().get(world.access["e1"]["link"], follow_redirects=False).status_code == 401
    assert ok(world.chief.get("/api/judge/assignments"))  # another judge is untouched
    [record] = actions(world, "judge.access")[-1:]
    assert record.entity_id == "e1" and record.after["reason"] == "card lost"


def test_revoking_every_card_is_explicit_audited_and_all_or_nothing(world):
    page = ok(world.organiser.get(f"/admin/competitions/{KEY}/revoke-access"))
    assert page is None
    refused = form(world.organiser, f"/admin/competitions/{KEY}/revoke-access", {"confirm": "yes", "reason": ""})
    assert refused.status_code == 422 and "请输入竞赛编号" in refused.text and "请填写原因" in refused.text
    assert ok(world.judge.get("/api/judge/assignments"))  # nothing changed
    api = world.organiser.post(f"/api/admin/competitions/{KEY}/access/revoke", json={"confirm": "x", "reason": "y"})
    assert api.status_code == 422 and api.json()["problems"][0]["field"] == "confirm"
    done = form(
        world.organiser, f"/admin/competitions/{KEY}/revoke-access", {"confirm": KEY, "reason": "sheet left in hall"}
    )
    assert done.status_code == 200 and done.url.path == CARDS
    for client in (world.judge, world.chief, world.unseated):
        assert client.get("/api/judge/assignments").status_code == 401
    assert pins_on(done.text)["e1"] != world.access["e1"]["pin"]
    [summary] = actions(world, "judge.access.revoke_all")
    assert summary.after["reason"] == "sheet left in hall" and len(summary.after["judges"]) == 7
    assert len(actions(world, "judge.access.revoked")) == 7
    quiz_master = world.quiz.post(f"/api/admin/competitions/{KEY}/access/revoke", json={"confirm": KEY, "reason": "x"})
    assert quiz_master.status_code == 403  # checked on the server


def test_printed_links_carry_the_public_address(world):
    world.app.state.public_url = "http://192.168.1.10:8000"
    try:
        page = world.organiser.get(CARDS).text
        assert "http://192.168.1.10:8000/judge/signin/" in page and 'id="unreachable"' not in page
        links = ok(world.organiser.get(f"/api/admin/competitions/{KEY}/appeal-links"))
        assert links[0]["link"].startswith("http://192.168.1.10:8000/appeal/")
    finally:
        world.app.state.public_url = ""
    local = world.organiser.get(CARDS, headers={"host": "127.0.0.1:8471"}).text
    assert 'id="unreachable"' in local and "SCORING_PUBLIC_URL" in local  # the organiser is told


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", ""), ("http://192.168.1.10:8000/", "http://192.168.1.10:8000"), ("https://scores.example.org", None)],
)
def test_the_public_address_setting_is_checked(text, expected):
    assert public_url(text) == (expected if expected is not None else text)


@pytest.mark.parametrize("text", ["192.168.1.10:8000", "ftp://x", "http://", "http://h/?a=1", "http://h:99999"])
def test_a_public_address_that_no_tablet_could_use_is_refused(text):
    with pytest.raises(SystemExit, match="SCORING_PUBLIC_URL"):
        public_url(text)


def test_pins_are_hashed_outside_any_write_transaction(world, monkeypatch):
    """Hashing a PIN takes tens of milliseconds on purpose: done while the write lock is held it
    stalls every judge's write (a renewal of all cards once held everyone for 20 s)."""
    from organiser import judge_access

    database = world.app.state.database
    real, hashed_inside, hashed = judge_access.hash_pin, [], []

    def watched(pin: str) -> str:
        (hashed_inside if database.writing_here() else hashed).append(pin)
        return real(pin)

    monkeypatch.setattr(judge_access, "hash_pin", watched)
    form(world.organiser, CARDS, {})  # PINs issued for the judges who had none
    e2 = world.judge_ids["e2"]
    assert form(world.organiser, f"/admin/judges/{e2}/reissue", {"reason": "lost", "confirm": "yes"}).status_code == 200
    assert ok(world.organiser.post(f"/api/admin/judges/{e2}/access", json={"reason": "lost again"}))
    revoked = world.organiser.post(
        f"/api/admin/competitions/{KEY}/access/revoke", json={"confirm": KEY, "reason": "cards seen"}
    )
    assert revoked.status_code == 200 and revoked.json()["revoked"] == 7
    assert len(hashed) == 3 + 1 + 1 + 7 and hashed_inside == []
    new_pin = pins_on(world.organiser.get(CARDS).text)["e2"]  # and the stored hashes are the right ones
    pin = world.client().post("/api/session/judge-pin", json={"competition": KEY, "judge": "e2", "pin": new_pin})
    assert pin.status_code == 200
