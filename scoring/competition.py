"""Load a competition file (TOML) and check it whole: roster, events, rules, overall, awards.

Event rules come from a rubric file named by path (relative to the competition file) or from
an inline table; each event's kind is bound here to its rules and its `params` table
(`Event.bound`). Every problem is reported with its file, line and field path; a rubric's own
problems carry the rubric file's name. Nothing is scored here.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from scoring.award_rules import read_awards, read_unit_ranking
from scoring.decimals import ROUNDING_MODES
from scoring.document import Fields
from scoring.events import EVENT_KINDS, BoundEvent, EventKindBase
from scoring.model import (
    ROLE_WORDS,
    Competition,
    Contestant,
    Event,
    Judge,
    Overall,
    Role,
    Scope,
    Standardisation,
    Team,
    TieBreak,
    Unit,
)
from scoring.problems import InvalidInput, ProblemCollector
from scoring.tiebreaks import TIEBREAK_METRICS
from scoring.tomlsource import TomlDocument, load_toml_file

TEAM_AGGREGATES = ["mean", "sum", "best"]
STANDARDISE_METHODS = ["worldskills", "z"]
#: Places a standardised score may be rounded to: beyond this nobody reads them.
MAX_STANDARD_PLACES = 6


def bind_event(
    kind: EventKindBase, ref: Fields, key: str, base_dir: Path, problems: ProblemCollector
) -> tuple[BoundEvent | None, str]:
    """The event's kind bound to its rules (a path to a rules file, or an inline table) and its
    `params` table, with the rules' file. None when the rules have problems, so that checks
    built on them do not repeat those problems in other words."""
    value = ref.raw(key)
    params = ref.table_of("params")
    if isinstance(value, str):
        path = (base_dir / value).resolve() if not Path(value).is_absolute() else Path(value)
        try:
            doc = load_toml_file(path)
        except InvalidInput as exc:
            problems.extend(exc.problems)
            return kind.bind_fields(None, params), str(path)
        sub_problems = ProblemCollector(doc.file)
        bound = kind.bind_fields(Fields(doc, doc.data, (), sub_problems), params)
        problems.extend(sub_problems.problems)
        return bound, str(path)
    sub = ref.table_of(key)
    return kind.bind_fields(sub, params), (ref.doc.file if sub is not None else "")


def _roster(top: Fields, problems: ProblemCollector) -> tuple[list[Unit], list[Team], list[Contestant]]:
    units: list[Unit] = []
    for u in top.tables("units"):
        units.append(Unit(key=u.key(), name=u.text("name")))
        u.finish()
    unit_keys = {u.key for u in units}
    teams: list[Team] = []
    contestants: list[Contestant] = []
    seen: dict[str, str] = {}

    def contestant(c: Fields, team: str | None, unit: str) -> Contestant:
        key = c.key()
        if key in seen:
            c.error_at(
                "key",
                f"选手编号“{key}”重复（已见于 {seen[key]}）",
                f"contestant key '{key}' is used twice (also in {seen[key]})",
            )
        seen[key] = team or "contestants"
        role_word = c.str("role", "member")
        role = ROLE_WORDS.get(role_word)
        if role is None:
            listed = ", ".join(ROLE_WORDS)
            c.error_at(
                "role", f"角色“{role_word}”无效；可用：{listed}", f"role '{role_word}' is not valid; roles: {listed}"
            )
            role = Role.MEMBER
        own_unit = c.str("unit", unit)
        if (c.has("unit") or team is None) and own_unit not in unit_keys:
            c.error_at("unit", f"未知的单位“{own_unit}”", f"unknown unit '{own_unit}'")
        person = Contestant(key=key, name=c.str("name"), unit=own_unit, team=team, role=role)
        c.finish()
        return person

    for t in top.tables("teams"):
        key = t.key()
        unit = t.str("unit")
        if unit and unit not in unit_keys:
            listed = ", ".join(sorted(unit_keys)) or "-"
            t.error_at(
                "unit", f"未知的单位“{unit}”；已定义：{listed}", f"unknown unit '{unit}'; units defined: {listed}"
            )
        members = [contestant(m, key, unit) for m in t.tables("members")]
        if key in {x.key for x in teams}:
            t.error_at("key", f"参赛队编号“{key}”重复", f"team key '{key}' is used twice")
        leaders = [m for m in members if m.role is Role.TEAM_LEADER]
        if len(leaders) > 1:
            t.error_at("members", "一个队只能有一名队长", "a team has at most one team leader")
        teams.append(Team(key=key, name=t.text("name"), unit=unit, members=tuple(m.key for m in members)))
        contestants += members
        t.finish()
    for c in top.tables("contestants"):
        contestants.append(contestant(c, None, ""))
    return units, teams, contestants


def _standardise(e: Fields) -> Standardisation | None:
    """The event's optional `standardise` table: `{ method = "worldskills", centre = 700,
    spread = 100, round = 2 }` or `{ method = "z", round = 3 }`. centre and spread belong to
    "worldskills" only; a z-score has no centre or spread to choose."""
    f = e.table_of("standardise")
    if f is None:
        return None
    if not isinstance(e.raw("standardise"), dict):
        return None  # Fields has said that it must be a table
    method = f.str("method", choices=STANDARDISE_METHODS)
    worldskills = method != "z"  # an unknown method is reported; its other fields are still read
    if method == "z":
        for key in ("centre", "spread"):
            if f.has(key):
                f.raw(key)  # reported here, not again as an unknown field
                f.error_at(
                    key,
                    f'{key} 只用于 method = "worldskills"；z 分数没有中心和幅度',
                    f'{key} belongs to method = "worldskills" only; a z-score has no centre or spread',
                )
    centre = f.decimal("centre", Decimal(700)) if worldskills else Decimal(0)
    spread = f.decimal("spread", Decimal(100), positive=True) if worldskills else Decimal(1)
    places = f.int("round", 2 if worldskills else 3, minimum=0)
    if places > MAX_STANDARD_PLACES:
        f.error_at(
            "round",
            f"标准化分数最多保留 {MAX_STANDARD_PLACES} 位小数（现为 {places}）",
            f"a standardised score is rounded to at most {MAX_STANDARD_PLACES} places (is {places})",
        )
    f.finish()
    return Standardisation(method=method, centre=centre, spread=spread, places=min(places, MAX_STANDARD_PLACES))


def _events(top: Fields, base_dir: Path, problems: ProblemCollector) -> list[Event]:
    events: list[Event] = []
    for e in top.tables("events", required=True):
        key = e.key()
        kind = e.str("kind", choices=list(EVENT_KINDS))
        if key in {x.key for x in events}:
            e.error_at("key", f"赛项编号“{key}”重复", f"event key '{key}' is used twice")
        event_kind = EVENT_KINDS.get(kind)
        bound, rules_file = bind_event(event_kind, e, "rubric", base_dir, problems) if event_kind else (None, "")
        rounds = e.list_of_str("rounds", ["final"])
        events.append(
            Event(
                key=key,
                title=e.text("title"),
                kind=kind,
                scope=Scope(e.str("scope", "team", choices=[s.value for s in Scope]) or "team"),
                weight=e.decimal("weight", Decimal(1), minimum=Decimal(0)),
                bound=bound,
                rules_file=rules_file,
                panel_size=e.int("panel_size", None, minimum=1),
                blind=e.bool("blind", False),
                rounds=tuple(rounds),
                team_aggregate=e.str("team_aggregate", "mean", choices=TEAM_AGGREGATES),
                results_before_lock=e.bool("results_before_lock", False),
                standardise=_standardise(e),
            )
        )
        e.finish()
    return events


def _overall(top: Fields, competition: Competition) -> Overall:
    o = top.table_of("overall")
    if o is None:
        return Overall()
    method = o.str("method", "weighted", choices=["weighted", "sum"])
    places = o.int("round", 2, minimum=0)
    mode = o.str("round_mode", "half_up", choices=list(ROUNDING_MODES))
    tiebreaks = []
    for i, text in enumerate(o.list_of_str("tiebreak", [])):
        metric, _, argument = text.partition(":")
        path = o.path + ("tiebreak", i)
        if metric not in TIEBREAK_METRICS:
            listed = ", ".join(f"{k}:… ({m.description})" for k, m in TIEBREAK_METRICS.items())
            o.error(
                path, f"未知的决胜规则“{text}”；可用：{listed}", f"unknown tie-break '{text}'; use one of: {listed}"
            )
            continue
        problem = TIEBREAK_METRICS[metric].check(argument, competition)
        if problem:
            o.error(path, problem.zh, problem.en)
        tiebreaks.append(TieBreak(metric=metric, argument=argument))
    o.finish()
    return Overall(method=method, rounding_places=places, rounding_mode=mode, tiebreaks=tuple(tiebreaks))


def _check_overall(top: Fields, competition: Competition) -> None:
    if competition.overall.method != "weighted":
        return
    for i, event in enumerate(competition.events):
        if event.standardise is not None:
            top.error(
                ("events", i, "standardise"),
                f'赛项 {event.key} 的标准化分数没有满分，不能按满分折算加权；请在 [overall] 中用 method = "sum"',
                f"the standardised scores of event {event.key} have no maximum to weight against; "
                'use method = "sum" in [overall]',
            )
        if event.bound is None:
            continue
        if event.bound.lower_is_better:
            top.error(
                ("events", i, "kind"),
                f'赛项 {event.key} 以低分为优，不能按满分折算加权；请用 method = "sum" 或改用分档计分',
                f"event {event.key} ranks the lowest first, so it cannot be weighted against its maximum; "
                'use overall.method = "sum" or map its time to points',
            )
        elif event.bound.max_score is None:
            top.error(
                ("events", i, "rubric"),
                f"赛项 {event.key} 的满分无法确定；请在评分标准中写明 max",
                f"the maximum of event {event.key} cannot be known; give max in its rubric for weighting",
            )


def read_competition(doc: TomlDocument) -> Competition:
    problems = ProblemCollector(doc.file)
    top = Fields(doc, doc.data, (), problems)
    c = top.table_of("competition", required=True) or Fields(doc, {}, ("competition",), problems)
    base_dir = Path(doc.file).parent
    units, teams, contestants = _roster(top, problems)
    judges = []
    for j in top.tables("judges"):
        judges.append(Judge(key=j.key(), name=j.str("name")))
        j.finish()
    competition = Competition(
        key=c.key(),
        name=c.text("name"),
        dates=tuple(c.list_of_str("dates", [])),
        language=c.str("language", "zh-CN"),
        ranking=Scope(c.str("ranking", "team", choices=[s.value for s in Scope]) or "team"),
        units=units,
        teams=teams,
        contestants=contestants,
        judges=judges,
        events=_events(top, base_dir, problems),
        overall=Overall(),
        awards=[],
        file=doc.file,
    )
    c.finish()
    competition.overall = _overall(top, competition)
    _check_overall(top, competition)
    competition.awards = read_awards(top, competition)
    competition.unit_ranking = read_unit_ranking(top)
    top.finish()
    problems.raise_if_any()
    return competition


def load_competition(path: str | Path) -> Competition:
    """Load and check a competition file; raises InvalidInput listing every problem."""
    return read_competition(load_toml_file(path))
