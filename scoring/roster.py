"""Import a roster (units, teams, contestants) from CSV or XLSX into a competition file.

Columns: `unit, team, contestant, name, role`, and optionally `unit_name` and `team_name`
(needed when the unit or team is new), or the Chinese headers organisers use: 单位编号,
单位名称, 队号, 队名, 选手编号, 姓名, 角色 (`HEADERS`). `team` may be empty for an individual
contestant.
Roles: team_leader (队长, 班组长), member (队员), reserve (替补).
Every row is checked against the file and the competition; if any row is bad, nothing is
written. The competition file is edited in place with its comments kept, and the result is
loaded again as a whole before it replaces the old file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from scoring.competition import read_competition
from scoring.document import is_key
from scoring.model import ROLE_WORDS, Competition, Role
from scoring.problems import InvalidInput, Problem, ProblemCollector
from scoring.tables import read_table
from scoring.tomlsource import load_toml_text

REQUIRED = ["unit", "contestant", "name"]
COLUMNS = ["unit", "unit_name", "team", "team_name", "contestant", "name", "role"]
CHINESE = {
    "unit": "单位编号",
    "unit_name": "单位名称",
    "team": "队号",
    "team_name": "队名",
    "contestant": "选手编号",
    "name": "姓名",
    "role": "角色",
}
# every header a roster may use for each column: the English name (any case) or the Chinese one
HEADERS = {header: column for column, zh in CHINESE.items() for header in (column, zh)}


def header_hint() -> tuple[str, str]:
    """The headers a roster takes, for messages and forms, in Chinese and in English."""
    return "、".join(CHINESE.values()), ", ".join(COLUMNS)


def _label(column: str) -> str:
    """A column as a Chinese message names it: by its Chinese header."""
    return CHINESE[column]


@dataclass(frozen=True)
class RosterRow:
    """One row of a roster file, as cleaned text, with its row number."""

    row: int
    unit: str
    unit_name: str
    team: str
    team_name: str
    contestant: str
    name: str
    role: str

    def text(self, column: str) -> str:
        return str(getattr(self, column))


@dataclass(frozen=True)
class RosterState:
    """What a roster is checked against: the units, teams (with their unit), contestants and
    team leaders the competition already has, from its file or from the database."""

    units: frozenset[str]
    team_units: dict[str, str]
    contestants: frozenset[str]
    leaders: dict[str, int]

    @staticmethod
    def of(competition: Competition) -> RosterState:
        return RosterState(
            units=frozenset(u.key for u in competition.units),
            team_units={t.key: t.unit for t in competition.teams},
            contestants=frozenset(c.key for c in competition.contestants),
            leaders={
                t.key: sum(1 for c in competition.contestants if c.team == t.key and c.role is Role.TEAM_LEADER)
                for t in competition.teams
            },
        )


@dataclass
class RosterPlan:
    """What an import would add: checked rows, new units and teams."""

    rows: list[RosterRow]
    new_units: dict[str, str] = field(default_factory=dict)
    new_teams: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (unit, name)
    problems: list[Problem] = field(default_factory=list)


def plan_import(path: str | Path, competition: Competition | RosterState, source: str | None = None) -> RosterPlan:
    """Every row checked; the plan lists what would be added and every problem found, naming
    the file as `source` (default: the path)."""
    state = competition if isinstance(competition, RosterState) else RosterState.of(competition)
    frame = read_table(path)
    problems = ProblemCollector(source or str(path))
    renamed: dict[str, str] = {}
    for header in frame.columns:
        column = HEADERS.get(str(header).strip().lower()) or HEADERS.get(str(header).strip())
        if column is None:
            continue
        if column in renamed.values():
            problems.add(
                f"列 {_label(column)} 出现了两次（中英文表头只用一种）",
                f"column '{column}' is given twice (use its Chinese or its English header, not both)",
                line=1,
            )
        renamed[str(header)] = column
    frame = frame.rename(columns=renamed)
    zh_hint, en_hint = header_hint()
    for column in REQUIRED:
        if column not in renamed.values():
            problems.add(
                f"缺少列 {_label(column)}（{column}）；名单的表头为：{zh_hint}（或英文 {en_hint}）",
                f"missing column '{column}' ({CHINESE[column]}); a roster's headers are {en_hint} (or {zh_hint})",
                line=1,
            )
    if problems.problems:
        return RosterPlan(rows=[], problems=problems.problems)
    records = frame.fillna("").to_dict("records")
    rows = [RosterRow(row=int(r["row"]), **{c: str(r.get(c, "")).strip() for c in COLUMNS}) for r in records]
    plan = RosterPlan(rows=rows)
    units, teams, people = state.units, state.team_units, state.contestants
    seen: dict[str, int] = {}
    team_units: dict[str, tuple[str, int]] = {}
    leaders = dict(state.leaders)
    for r in rows:
        row = r.row
        for column in REQUIRED:
            if not r.text(column):
                problems.add(f"{_label(column)}为空", f"{column} is empty", row=row)
        for column in ("unit", "team", "contestant"):
            value = r.text(column)
            if value and not is_key(value):
                problems.add(
                    f"{_label(column)}“{value}”只能含字母、数字、_ 和 -，且以字母开头",
                    f"{column} '{value}' may hold only ASCII letters, digits, '_' and '-', starting with a letter",
                    row=row,
                )
        if r.unit and r.unit not in units and r.unit not in plan.new_units:
            if r.unit_name:
                plan.new_units[r.unit] = r.unit_name
            else:
                problems.add(
                    f"未知的单位“{r.unit}”；新单位请填写{_label('unit_name')}",
                    f"unknown unit '{r.unit}'; give unit_name to add it",
                    row=row,
                )
        if r.contestant in people:
            problems.add(
                f"选手“{r.contestant}”已在竞赛文件中",
                f"contestant '{r.contestant}' is already in the competition",
                row=row,
            )
        elif r.contestant in seen:
            problems.add(
                f"选手“{r.contestant}”与第 {seen[r.contestant]} 行重复",
                f"contestant '{r.contestant}' repeats row {seen[r.contestant]}",
                row=row,
            )
        elif r.contestant:
            seen[r.contestant] = row
        role = ROLE_WORDS.get(r.role or "member")
        if role is None:
            problems.add(
                f"角色“{r.role}”无效；可用：{', '.join(ROLE_WORDS)}",
                f"role '{r.role}' is not valid; roles: {', '.join(ROLE_WORDS)}",
                row=row,
            )
        if r.team:
            existing = teams.get(r.team)
            if existing is not None and existing != r.unit:
                problems.add(
                    f"参赛队 {r.team} 属于单位 {existing}，不是 {r.unit}",
                    f"team {r.team} belongs to unit {existing}, not {r.unit}",
                    row=row,
                )
            first = team_units.setdefault(r.team, (r.unit, row))
            if first[0] != r.unit:
                problems.add(
                    f"参赛队 {r.team} 在第 {first[1]} 行属于单位 {first[0]}",
                    f"team {r.team} is given unit {first[0]} in row {first[1]}",
                    row=row,
                )
            if existing is None and r.team not in plan.new_teams:
                plan.new_teams[r.team] = (r.unit, r.team_name or r.team)
            if role is Role.TEAM_LEADER:
                leaders[r.team] = leaders.get(r.team, 0) + 1
                if leaders[r.team] > 1:
                    problems.add(f"参赛队 {r.team} 已有队长", f"team {r.team} already has a team leader", row=row)
    plan.problems = problems.problems
    return plan


def apply_import(plan: RosterPlan, competition_path: str | Path) -> Competition:
    """Write the planned roster into the competition file; all or nothing."""
    if plan.problems:
        raise InvalidInput(plan.problems)
    path = Path(competition_path)
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    if plan.new_units:
        units = doc.setdefault("units", tomlkit.aot())
        for key, name in plan.new_units.items():
            units.append(tomlkit.item({"key": key, "name": name}))
    teams = doc.setdefault("teams", tomlkit.aot())
    by_key = {t["key"]: t for t in teams}
    for key, (unit, name) in plan.new_teams.items():
        team = tomlkit.item({"key": key, "name": name, "unit": unit})
        team["members"] = tomlkit.aot()
        teams.append(team)
        by_key[key] = teams[-1]
    for r in plan.rows:
        role = ROLE_WORDS.get(r.role or "member", Role.MEMBER).value
        person = {"key": r.contestant, "name": r.name, "role": role}
        if r.team:
            team = by_key[r.team]
            if "members" not in team:
                team["members"] = tomlkit.aot()
            team["members"].append(tomlkit.item(person))
        else:
            doc.setdefault("contestants", tomlkit.aot()).append(tomlkit.item(person | {"unit": r.unit}))
    text = tomlkit.dumps(doc)
    competition = read_competition(load_toml_text(text, str(path)))  # the whole must still load
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".roster-", suffix=".toml")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    return competition
