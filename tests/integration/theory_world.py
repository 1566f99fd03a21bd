"""A small theory paper to test uploads and item analysis by hand: four questions (single
choice, multiple choice with partial credit, true or false, numeric within a tolerance), eight
contestants, and answer sheets whose grades, difficulty and discrimination are worked out
below. `add_paper(world)` stores it in an integration world through the organiser's API and
gives the theory round's id."""

from __future__ import annotations

from sqlalchemy import select

from scoring.store.models import Event, Round
from tests.integration.world import World, ok

KEY = "paper-2026"

RUBRIC = """key = "paper"
title = { zh = "安全知识试卷", en = "Safety knowledge paper" }

[[criteria]]
key = "q01"
title = { zh = "单选题 1", en = "Single choice 1" }
kind = "answer_key"
type = "single"
answer = "B"
points = 1

[[criteria]]
key = "q02"
title = { zh = "多选题 2", en = "Multiple choice 2" }
kind = "answer_key"
type = "multiple"
answer = "ABD"
points = 2
partial = "subset"
partial_points = 1

[[criteria]]
key = "q03"
title = { zh = "判断题 3", en = "True or false 3" }
kind = "answer_key"
type = "true_false"
answer = true
points = 1

[[criteria]]
key = "q04"
title = { zh = "计算题 4", en = "Numeric 4" }
kind = "answer_key"
type = "numeric"
answer = 3.14
tolerance = 0.01
points = 1
"""

MEMBERS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄涛"]
COMPETITION = f"""[competition]
key = "{KEY}"
name = {{ zh = "安全知识考试", en = "Safety knowledge exam" }}
dates = ["2026-05-01"]
language = "zh-CN"
ranking = "individual"

[overall]
method = "sum"

[[events]]
key = "paper"
title = {{ zh = "理论试卷", en = "Theory paper" }}
kind = "theory"
scope = "individual"
rubric = "paper.toml"

[[judges]]
key = "j1"
name = "王军"

[[units]]
key = "u1"
name = {{ zh = "一车间", en = "Workshop 1" }}

[[teams]]
key = "t1"
unit = "u1"
name = {{ zh = "一车间一队", en = "Workshop 1, team 1" }}
""" + "".join(
    f'\n  [[teams.members]]\n  key = "c0{i + 1}"\n  name = "{name}"\n  role = "member"\n'
    for i, name in enumerate(MEMBERS)
)

# Wide answer sheets and what each earns (q01 1 point, q02 2 (1 for a right subset), q03 1, q04 1):
#   c01 B ABD 对 3.14  -> 1 2 1 1 = 5      c05 C C  F 2     -> 0 0 0 0 = 0
#   c02 B AB  T 3.2   -> 1 1 1 0 = 3      c06 B ABD T 3.14 -> 1 2 1 1 = 5
#   c03 A ABD F 3.14  -> 0 2 0 1 = 3      c07 D AD 1 (none) -> 0 1 1 0 = 2
#   c04 B (none) T 3.141 -> 1 0 1 1 = 3   c08 B ABCD 0 3.14 -> 1 0 0 1 = 2
# Ranked by total (then entry): c05 c07 c08 c02 c03 c04 c01 c06; the 27% groups are 2 each
# (8 x 0.27 = 2.16): lower c05 c07, upper c01 c06.
WIDE = (
    "entry,q01,q02,q03,q04\n"
    "c01,B,ABD,对,3.14\nc02,B,AB,T,3.2\nc03,A,ABD,F,3.14\nc04,B,,T,3.141\n"
    "c05,C,C,F,2\nc06,B,ABD,T,3.14\nc07,D,AD,1,\nc08,B,ABCD,0,3.14\n"
)
TOTALS = {"c01": "5", "c02": "3", "c03": "3", "c04": "3", "c05": "0", "c06": "5", "c07": "2", "c08": "2"}
# difficulty (half up to 2 places): q01 5/8, q02 8/16, q03 5/8, q04 5/8; discrimination: the upper
# group's share minus the lower's
ITEMS = {
    "q01": ("0.63", "1.00"),
    "q02": ("0.50", "0.75"),
    "q03": ("0.63", "0.50"),
    "q04": ("0.63", "1.00"),
}


def add_paper(world: World) -> int:
    """Store the paper's competition through the API; the id of its theory round."""
    ok(
        world.organiser.post(
            "/api/admin/competitions",
            files={"competition": ("competition.toml", COMPETITION), "paper": ("paper.toml", RUBRIC)},
        ),
        201,
    )
    with world.app.state.database.read() as db:
        round_id = db.scalar(select(Round.id).join(Event, Event.id == Round.event_id).where(Event.key == "paper"))
    assert round_id is not None
    return round_id
