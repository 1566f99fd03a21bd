"""What anyone may read: the OpenAPI document, and a blind round's codes once results are published."""

from __future__ import annotations

from tests.integration.world import ok


def test_openapi_document_describes_every_api_route(world):
    schema = world.public.get("/schema/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/judge/sheets/{round_id}/{entry}", "/api/admin/rounds/{round_id}/panel", "/api/session"):
        assert path in paths
    put = paths["/api/judge/sheets/{round_id}/{entry}"]["put"]
    assert "client_id" in str(schema.json()["components"]) and put["requestBody"]


def test_blind_codes_are_public_only_once_results_are_published(world):
    draws = f"/api/admin/rounds/{world.hydrant}/draws"
    ok(world.organiser.post(draws, json={"purpose": "checkin", "drawn_by": "李四", "seed": 1}), 201)
    codes = ok(world.organiser.post(draws, json={"purpose": "codes", "drawn_by": "赵六", "seed": 2}), 201)["result"][
        "codes"
    ]
    url = f"/api/public/rounds/{world.hydrant}/codes"
    publication = f"/api/admin/rounds/{world.hydrant}/publication"
    assert world.public.get(url).status_code == 404
    assert world.organiser.post(publication, json={"state": "notice"}).status_code == 409  # lock first
    assert world.organiser.post(publication, json={"state": "locked"}).json()["state"] == "locked"
    assert world.public.get(url).status_code == 404
    assert world.organiser.post(publication, json={"state": "notice"}).status_code == 200
    decoded = world.public.get(url).json()
    assert decoded["state"] == "notice" and decoded["codes"] == {code: entry for entry, code in codes.items()}
    assert world.organiser.post(publication, json={"state": "final"}).status_code == 200
    assert world.organiser.post(publication, json={"state": "locked"}).status_code == 409  # final is final
    assert world.public.get("/api/public/rounds/999999/codes").status_code == 404
