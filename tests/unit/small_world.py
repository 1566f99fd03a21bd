"""A small competition written by hand for the award and group tests, with every score worked out.

Three units, five teams of two, a theory paper (individual, weight 40, max 100; team mean) and
a drill (team, weight 60, max 100); overall weighted, two places.

    team  unit  theory (members)   team theory  drill  team overall = 0.4 theory + 0.6 drill
    A     U1    a1 90*, a2 70      80           90     32 + 54   = 86
    B     U1    b1 80*, b2 80      80           70     32 + 42   = 74
    C     U2    c1 100*, c2 50     75           80     30 + 48   = 78
    D     U3    d1 60*, d2 60      60           50     24 + 30   = 54
    E     U1    e1 65*, e2 66      65.5         71     26.2+42.6 = 68.8
    (* team leader)

Individual overall = 0.4 x own theory + 0.6 x the team's drill:
    a1 36+54 = 90, a2 28+54 = 82, b1 = b2 = 32+42 = 74, c1 40+48 = 88, c2 20+48 = 68,
    d1 = d2 = 24+30 = 54, e1 26+42.6 = 68.6, e2 26.4+42.6 = 69.
"""

from __future__ import annotations

from pathlib import Path

from results.overall import CompetitionResult, score_competition
from scoring.competition import load_competition

TEAMS = {  # team: (unit, drill, [(member, name, theory, leader)])
    "A": ("U1", 90, [("a1", "安一", 90, True), ("a2", "安二", 70, False)]),
    "B": ("U1", 70, [("b1", "白一", 80, True), ("b2", "白二", 80, False)]),
    "C": ("U2", 80, [("c1", "陈一", 100, True), ("c2", "陈二", 50, False)]),
    "D": ("U3", 50, [("d1", "丁一", 60, True), ("d2", "丁二", 60, False)]),
    "E": ("U1", 71, [("e1", "鄂一", 65, True), ("e2", "鄂二", 66, False)]),
}

RUBRIC = """
[events.rubric]
key = "{key}"
title = "{key}"
[[events.rubric.criteria]]
key = "a"
title = "A"
kind = "scale"
max = 100
"""


def write_world(folder: Path, extra: str = "") -> Path:
    """The competition file and its two marks files in `folder`; `extra` is appended (awards,
    unit_ranking)."""
    lines = [
        '[competition]\nkey = "small"\nname = "Small"\nranking = "team"\n',
        "[overall]\nround = 2\n",
        '[[events]]\nkey = "theory"\ntitle = { zh = "理论", en = "Theory" }\nkind = "practical"\n'
        'scope = "individual"\nweight = 40\n' + RUBRIC.format(key="theory"),
        '[[events]]\nkey = "drill"\ntitle = { zh = "实操", en = "Drill" }\nkind = "practical"\n'
        'scope = "team"\nweight = 60\n' + RUBRIC.format(key="drill"),
    ]
    for unit, zh, en in (("U1", "甲公司", "Alpha"), ("U2", "乙公司", "Beta"), ("U3", "丙公司", "Gamma")):
        lines.append(f'[[units]]\nkey = "{unit}"\nname = {{ zh = "{zh}", en = "{en}" }}\n')
    theory, drill = ["entry,attempt,judge,criterion,value"], ["entry,attempt,judge,criterion,value"]
    for team, (unit, drill_score, members) in TEAMS.items():
        lines.append(f'[[teams]]\nkey = "{team}"\nname = {{ zh = "{team}队", en = "Team {team}" }}\nunit = "{unit}"\n')
        drill.append(f"{team},,J1,a,{drill_score}")
        for key, name, score, leader in members:
            role = "team_leader" if leader else "member"
            lines.append(f'[[teams.members]]\nkey = "{key}"\nname = "{name}"\nrole = "{role}"\n')
            theory.append(f"{key},,J1,a,{score}")
    (folder / "theory.csv").write_text("\n".join(theory) + "\n", encoding="utf-8")
    (folder / "drill.csv").write_text("\n".join(drill) + "\n", encoding="utf-8")
    path = folder / "competition.toml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def small_result(folder: Path, extra: str = "") -> CompetitionResult:
    path = write_world(folder, extra)
    return score_competition(load_competition(path), folder)
