"""A judge signs in with the judge key and PIN their card shows (issue 12, item 7): no competition
key unless two competitions share the judge's key, keys in any case, a wrong competition key
said to be that and not a wrong PIN, and the card printing every key the form may ask for."""

from __future__ import annotations

from tests.helpers import ROOT, RUBRICS
from tests.integration.world import ok

PIN_URL = "/api/session/judge-pin"


def pin_of(world, key: str) -> str:
    return world.access[key]["pin"]


def test_a_judge_signs_in_with_key_and_pin_alone_in_any_case(world):
    for typed in ("e1", "E1", " E1 "):
        client = world.client()
        ok(client.post(PIN_URL, json={"judge": typed, "pin": pin_of(world, "e1")}))
        assert ok(client.get("/api/judge/assignments"))[0]["event"] == "hydrant"
    upper = world.client()
    ok(upper.post(PIN_URL, json={"competition": "Safety-Culture-2023", "judge": "E1", "pin": pin_of(world, "e1")}))


def test_a_wrong_competition_key_is_not_reported_as_a_wrong_pin(world):
    wrong = world.client().post(PIN_URL, json={"competition": "safety-2023", "judge": "e1", "pin": pin_of(world, "e1")})
    assert wrong.status_code == 401
    body = wrong.json()
    assert "safety-2023" in body["en"] and "competition" in body["en"] and "PIN" not in body["en"]
    assert "竞赛" in body["zh"] and "PIN" not in body["zh"]
    other = "000000" if pin_of(world, "e1") != "000000" else "111111"
    bad_pin = world.client().post(PIN_URL, json={"judge": "E1", "pin": other})
    assert bad_pin.status_code in (400, 401) and "competition" not in bad_pin.text


def test_two_competitions_sharing_a_judge_key_ask_for_the_competition(world):
    text = (ROOT / "examples" / "power_safety" / "competition.toml").read_text(encoding="utf-8")
    files = {"competition": ("c.toml", text.replace('key = "safety-culture-2023"', 'key = "Spring-Cup"').encode())}
    files |= {p.stem: (p.name, p.read_bytes()) for p in RUBRICS.glob("*.toml")}
    ok(world.organiser.post("/api/admin/competitions", files=files), 201)
    asked = world.client().post(PIN_URL, json={"judge": "e1", "pin": pin_of(world, "e1")})
    assert asked.status_code == 401 and "competition key" in asked.json()["en"] and "竞赛编号" in asked.json()["zh"]
    client = world.client()
    ok(client.post(PIN_URL, json={"competition": "SAFETY-CULTURE-2023", "judge": "E1", "pin": pin_of(world, "e1")}))
    assert ok(client.get("/api/judge/assignments"))[0]["event"] == "hydrant"


def test_the_pin_page_keeps_the_judge_and_says_which_field_is_wrong(world):
    page = world.client()
    assert page.get("/judge/pin?lang=en").status_code == 200  # sets the CSRF cookie and the language
    form = {"competition": "nope", "judge": "E1", "pin": pin_of(world, "e1")}
    refused = page.post("/judge/pin", data=form, headers={"x-csrftoken": page.cookies.get("csrftoken", "")})
    assert refused.status_code == 401
    assert "no competition has the key &#39;nope&#39;" in refused.text and 'aria-invalid="true"' in refused.text
    assert 'value="E1"' in refused.text and "wrong judge or PIN" not in refused.text
    form["competition"] = ""
    signed = page.post(
        "/judge/pin", data=form, headers={"x-csrftoken": page.cookies.get("csrftoken", "")}, follow_redirects=False
    )
    assert signed.status_code in (302, 303) and signed.headers["location"] == "/judge"


def test_the_access_card_prints_the_judge_and_competition_keys(world):
    page = world.organiser
    page.get("/admin/competitions/safety-culture-2023?lang=en")
    token = {"x-csrftoken": page.cookies.get("csrftoken", "")}
    sheet = page.post("/admin/competitions/safety-culture-2023/access-cards", headers=token)
    assert sheet.status_code == 200, sheet.text[:300]
    assert sheet.text.count("<code>safety-culture-2023</code>") == 7  # one per judge card
    assert "Judge key <code>e1</code>" in sheet.text
