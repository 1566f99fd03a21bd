"""A stored figure-skating competition for the tests of a rubric with a part marked once per entry
(examples/rubrics/figure_skating/segment.toml: elements per attempt, up to 13; programme
components and deductions once per skater): one segment, three skaters s1..s3, five judges
j1..j5 who mark, and a referee r1 seated as the round's chief judge (the desk and the console).
The marks: each skater's elements with their base values, the judges' grades of execution, and
their programme components; worked by hand for s1 in tests/integration/test_skating_segment.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import select

from scoring.store.models import Competition, Event, Judge, Round
from tests.helpers import RUBRICS
from tests.integration.world import World, ok

KEY = "skating-2026"
RUBRIC = RUBRICS / "figure_skating" / "segment.toml"
JUDGES = [f"j{i}" for i in range(1, 6)]
SKATERS = ["s1", "s2", "s3"]
REFEREE = "r1"
JUDGES_TOML = "".join(f'[[judges]]\nkey = "{j}"\nname = "裁判{j}"\n\n' for j in [*JUDGES, REFEREE])
MEMBERS_TOML = "".join(
    f'\n  [[teams.members]]\n  key = "{c}"\n  name = "选手{c}"\n  role = "member"\n' for c in SKATERS
)
COMPETITION = f"""
[competition]
key = "{KEY}"
name = {{ zh = "花样滑冰邀请赛", en = "Figure skating invitational" }}
dates = ["2026-12-01"]
language = "zh-CN"
ranking = "individual"

[overall]
method = "sum"

[[events]]
key = "short"
title = {{ zh = "男子单人滑短节目", en = "Men, short programme" }}
kind = "practical"
scope = "individual"
rubric = "../rubrics/segment.toml"

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

# per skater, per element: (base value, base value for GOE, the five judges' grades)
ELEMENTS: dict[str, list[tuple[str, str, list[str]]]] = {
    "s1": [
        ("10.00", "10.00", ["1", "2", "2", "2", "3"]),
        ("5.00", "5.00", ["0", "1", "1", "1", "-1"]),
        ("3.30", "3.00", ["-1", "-1", "0", "0", "-2"]),
    ],
    "s2": [("9.50", "9.50", ["3", "3", "2", "4", "3"]), ("6.00", "6.00", ["2", "2", "1", "2", "2"])],
    "s3": [
        ("11.00", "10.00", ["0", "-1", "0", "1", "0"]),
        ("4.20", "4.20", ["1", "1", "1", "1", "1"]),
        ("3.00", "3.00", ["2", "2", "2", "3", "1"]),
    ],
}
# per skater, per component: the five judges' marks
COMPONENTS: dict[str, dict[str, list[str]]] = {
    "s1": {
        "composition": ["7", "7.25", "7.5", "7.5", "8"],
        "presentation": ["7"] * 5,
        "skating_skills": ["6.5", "7", "7", "7", "7.5"],
    },
    "s2": {
        "composition": ["8", "8.25", "8.5", "8", "8"],
        "presentation": ["8.5", "8.5", "8.75", "8.25", "8.5"],
        "skating_skills": ["8", "8", "8", "8", "8"],
    },
    "s3": {
        "composition": ["6", "6.25", "6", "6.5", "6"],
        "presentation": ["6", "6", "6", "6", "6"],
        "skating_skills": ["6.75", "6.5", "6.5", "6.5", "6.5"],
    },
}
DEDUCTIONS = {"s1": "1", "s2": "0", "s3": "2"}
FACTOR = "1.67"


@dataclass
class Skating:
    round_id: int
    judges: dict[str, TestClient[Any]]  # signed in by their access links; r1 is the referee (chief)

    @property
    def chief(self) -> TestClient[Any]:
        return self.judges[REFEREE]


def store_skating(world: World, rubric_text: bytes | None = None) -> Skating:
    """Store the competition through the organiser's API, seat the panel and sign every judge in
    (with `rubric_text`, that rubric in place of the example's)."""
    rubric = rubric_text or RUBRIC.read_bytes()
    files = {"competition": ("competition.toml", COMPETITION.encode()), "segment": (RUBRIC.name, rubric)}
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
    return Skating(round_id, clients)


def desk_values(skater: str) -> dict[str, str]:
    """The desk's values of one skater: per element its base values, once the factor and deductions."""
    per_element = {
        f"{k}/{name}": value
        for k, (base, goe_base, _) in enumerate(ELEMENTS[skater], start=1)
        for name, value in (("base_value", base), ("goe_base", goe_base))
    }
    return per_element | {"factor": FACTOR, "deductions": DEDUCTIONS[skater]}


def element_marks(skater: str, judge: int, upto: int) -> dict[str, str]:
    """A judge's (0-based) grades of the skater's elements 1..upto, keyed "element/goe"."""
    return {f"{k}/goe": ELEMENTS[skater][k - 1][2][judge] for k in range(1, upto + 1)}


def component_marks(skater: str, judge: int) -> dict[str, str]:
    """A judge's (0-based) programme components of the skater, keyed by the criterion alone."""
    return {name: marks[judge] for name, marks in COMPONENTS[skater].items()}
