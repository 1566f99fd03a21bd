"""A stored dance competition for the tests of the judges' ordering form (ordinal judging): one
Latin final of six couples (teams c01..c06), judged by placing them in two dances by the
median-rank rule: the samba, where no two couples may share a place, and the rumba, where they
may (ties = "allow"). Three judges j1..j3 mark (j1 is also the chief judge); j4 is seated
nowhere."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import select

from scoring.store.models import Competition, Event, Judge, Round
from tests.integration.world import World, ok

KEY = "dance-2026"
COUPLES = [f"c{i:02d}" for i in range(1, 7)]
JUDGES = ["j1", "j2", "j3"]
DANCES = ["samba", "rumba"]
RUBRIC = """key = "latin_final"
title = { zh = "拉丁舞决赛", en = "Latin final" }

[ordinal]
rule = "median"

[[criteria]]
key = "samba"
title = { zh = "桑巴", en = "Samba" }
kind = "placement"

[[criteria]]
key = "rumba"
title = { zh = "伦巴", en = "Rumba" }
kind = "placement"
ties = "allow"
"""
JUDGES_TOML = "".join(f'[[judges]]\nkey = "{j}"\nname = "裁判{j}"\n\n' for j in [*JUDGES, "j4"])
TEAMS_TOML = "".join(
    f'[[teams]]\nkey = "{c}"\nunit = "u1"\nname = {{ zh = "组合{c}", en = "Couple {c}" }}\n'
    f'  [[teams.members]]\n  key = "{c}a"\n  name = "选手{c}甲"\n  role = "member"\n'
    f'  [[teams.members]]\n  key = "{c}b"\n  name = "选手{c}乙"\n  role = "member"\n\n'
    for c in COUPLES
)
COMPETITION = f"""
[competition]
key = "{KEY}"
name = {{ zh = "体育舞蹈公开赛", en = "DanceSport open" }}
dates = ["2026-09-01"]
language = "zh-CN"
ranking = "team"

[overall]
method = "sum"

[[events]]
key = "latin"
title = {{ zh = "拉丁舞", en = "Latin" }}
kind = "practical"
scope = "team"
rubric = "../rubrics/latin_final.toml"

{JUDGES_TOML}
[[units]]
key = "u1"
name = {{ zh = "舞蹈俱乐部", en = "Dance club" }}

{TEAMS_TOML}"""


def write_files(folder: Path) -> Path:
    """The competition and its rubric as files under `folder`; the competition file's path."""
    (folder / "competition").mkdir(parents=True)
    (folder / "rubrics").mkdir()
    (folder / "rubrics" / "latin_final.toml").write_text(RUBRIC, encoding="utf-8")
    (folder / "competition" / "competition.toml").write_text(COMPETITION, encoding="utf-8")
    return folder / "competition" / "competition.toml"


@dataclass
class Dancing:
    round_id: int
    judges: dict[str, TestClient[Any]]  # signed in by their access links; j4 is seated nowhere


def store_dancing(world: World, blind: bool = False) -> Dancing:
    """Store the competition through the organiser's API (judged blind, by drawn codes, with
    `blind`), seat the panel and sign every judge in."""
    text = COMPETITION.replace('kind = "practical"\n', 'kind = "practical"\nblind = true\n') if blind else COMPETITION
    files = {
        "competition": ("competition.toml", text.encode()),
        "latin_final": ("latin_final.toml", RUBRIC.encode()),
    }
    ok(world.organiser.post("/api/admin/competitions", files=files), 201)
    with world.app.state.database.read() as db:
        cid = db.execute(select(Competition.id).where(Competition.key == KEY)).scalar_one()
        event = db.execute(select(Event.id).where(Event.competition_id == cid)).scalar_one()
        round_id = db.execute(select(Round.id).where(Round.event_id == event)).scalar_one()
        ids = dict(db.execute(select(Judge.key, Judge.id).where(Judge.competition_id == cid)).all())
    ok(world.organiser.put(f"/api/admin/rounds/{round_id}/panel", json={"judges": JUDGES, "chief": "j1"}))
    clients = {}
    for key in [*JUDGES, "j4"]:
        access = ok(world.organiser.post(f"/api/admin/judges/{ids[key]}/access"))
        clients[key] = world.client()
        ok(clients[key].get(access["link"], follow_redirects=False), (302, 303))
    return Dancing(round_id, clients)


def order_body(
    action: str, places: dict[str, dict[str, str]], bases: dict[str, int] | None = None, client_id: str | None = None
) -> dict[str, Any]:
    """A whole order as the tablet sends it: every couple's base version (0 unless given)."""
    return {
        "action": action,
        "client_id": client_id or uuid.uuid4().hex,
        "base_versions": {c: (bases or {}).get(c, 0) for c in COUPLES},
        "places": places,
        "device": "tablet-d1",
    }


def in_order(*couples: str) -> dict[str, str]:
    """Places 1..n for the couples as given, best first."""
    return {c: str(i) for i, c in enumerate(couples, start=1)}
