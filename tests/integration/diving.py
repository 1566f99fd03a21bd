"""A stored diving competition for the tests of the officials' desk and attempt-by-attempt sheets:
one individual diving event (examples/rubrics/diving_individual.toml: five dives, DD and penalty
per dive, a 7-judge trimmed panel), four divers, seven judges d1..d7 who mark, and a referee r1
seated as the round's chief judge, not among the judges: the desk and the console, no sheets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import select

from scoring.store.models import Competition, Event, Judge, Round
from tests.helpers import RUBRICS
from tests.integration.world import World, ok

KEY = "diving-2026"
JUDGES = [f"d{i}" for i in range(1, 8)]
DIVERS = ["c1", "c2", "c3", "c4"]
REFEREE = "r1"
JUDGES_TOML = "".join(f'[[judges]]\nkey = "{j}"\nname = "裁判{j}"\n\n' for j in [*JUDGES, REFEREE])
MEMBERS_TOML = "".join(f'\n  [[teams.members]]\n  key = "{c}"\n  name = "选手{c}"\n  role = "member"\n' for c in DIVERS)
COMPETITION = f"""
[competition]
key = "{KEY}"
name = {{ zh = "跳水邀请赛", en = "Diving invitational" }}
dates = ["2026-08-01"]
language = "zh-CN"
ranking = "individual"

[overall]
method = "sum"

[[events]]
key = "springboard"
title = {{ zh = "3 米跳板个人", en = "3 m springboard, individual" }}
kind = "practical"
scope = "individual"
rubric = "../rubrics/diving_individual.toml"

{JUDGES_TOML}
[[units]]
key = "u1"
name = {{ zh = "一队", en = "Club 1" }}

[[teams]]
key = "t1"
unit = "u1"
name = {{ zh = "一队", en = "Club 1" }}
{MEMBERS_TOML}
"""


@dataclass
class Diving:
    round_id: int
    judges: dict[str, TestClient[Any]]  # signed in by their access links; r1 is the referee (chief)

    @property
    def chief(self) -> TestClient[Any]:
        return self.judges[REFEREE]


def store_diving(world: World, rubric_text: bytes | None = None) -> Diving:
    """Store the competition through the organiser's API, seat the panel and sign every judge in
    (with `rubric_text`, that rubric in place of the example's)."""
    rubric = RUBRICS / "diving_individual.toml"
    files = {
        "competition": ("competition.toml", COMPETITION.encode()),
        "diving_individual": (rubric.name, rubric_text or rubric.read_bytes()),
    }
    ok(world.organiser.post("/api/admin/competitions", files=files), 201)
    with world.app.state.database.read() as db:
        cid = db.execute(select(Competition.id).where(Competition.key == KEY)).scalar_one()
        event = db.execute(select(Event.id).where(Event.competition_id == cid)).scalar_one()
        round_id = db.execute(select(Round.id).where(Round.event_id == event)).scalar_one()
        ids = dict(db.execute(select(Judge.key, Judge.id).where(Judge.competition_id == cid)).all())
    ok(world.organiser.put(f"/api/admin/rounds/{round_id}/panel", json={"judges": JUDGES, "chief": REFEREE}))
    clients = {}
    for key in [*JUDGES, REFEREE]:
        access = ok(world.organiser.post(f"/api/admin/judges/{ids[key]}/access"))
        clients[key] = world.client()
        ok(clients[key].get(access["link"], follow_redirects=False), (302, 303))
    return Diving(round_id, clients)


def submit(client: TestClient[Any], round_id: int, entry: str, marks: dict[str, str], base: int) -> Any:
    """A judge's submission from their tablet (its own device id)."""
    body = {"action": "submit", "base_version": base, "client_id": uuid.uuid4().hex, "marks": marks}
    return client.put(f"/api/judge/sheets/{round_id}/{entry}", json=body | {"device": f"tablet-{id(client)}"})


def desk_put(client: TestClient[Any], round_id: int, entry: str, values: dict[str, str], base: int) -> Any:
    body = {"base_version": base, "client_id": uuid.uuid4().hex, "values": values}
    return client.put(f"/api/chief/rounds/{round_id}/desk/{entry}", json=body)
