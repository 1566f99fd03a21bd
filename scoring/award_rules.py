"""Award rules and the unit ranking of a competition file: `[[awards]]` and `[unit_ranking]`.

Read and checked here, with every problem located (file, line, field path) in Chinese and
English; applied by results/awards.py and results/groups.py. Nothing here ranks or awards.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.document import Fields
from scoring.model import ROLE_WORDS, AwardRule, Competition, Role, Scope, UnitRanking

AWARD_KINDS = ["prize", "title", "organisation"]
AWARD_SCOPES = ["team", "individual", "unit"]
RATIO_ROUNDINGS = ["half_up", "floor", "ceiling"]
AWARD_TIES = ["tiebreak", "all_in", "all_out"]
UNIT_RANKING_METHODS = ["mean", "best"]
UNIT = "unit"  # the scope of awards to units (Scope holds the ranking scopes only)


def _award_roles(a: Fields, kind: str, scope: str) -> tuple[Role, ...]:
    """The contestant roles a title may go to (`eligible_roles`); () for all."""
    if not a.has("eligible_roles"):
        return ()
    words = a.list_of_str("eligible_roles", [])
    if kind != "title" or scope != Scope.INDIVIDUAL.value:
        a.error_at(
            "eligible_roles",
            'eligible_roles 只适用于个人范围的称号（kind = "title", scope = "individual"）',
            'eligible_roles applies only to individual titles (kind = "title", scope = "individual")',
        )
    roles: list[Role] = []
    for word in words:
        role = ROLE_WORDS.get(word)
        if role is None:
            listed = ", ".join(ROLE_WORDS)
            a.error_at(
                "eligible_roles", f"角色“{word}”无效；可用：{listed}", f"role '{word}' is not valid; roles: {listed}"
            )
        elif role not in roles:
            roles.append(role)
    if not words and isinstance(a.table.get("eligible_roles"), list):
        a.error_at("eligible_roles", "至少列出一个角色", "list at least one role")
    return tuple(roles)


def _award_places(a: Fields, kind: str) -> tuple[Decimal | None, int | None, Decimal | None]:
    """ratio, count and threshold: exactly one for a prize or title; an organisation award takes
    only an optional count."""
    ratio = a.decimal("ratio", None, positive=True)
    count = a.int("count", None, minimum=1)
    threshold = a.decimal("threshold", None)
    given = [k for k in ("ratio", "count", "threshold") if a.has(k)]
    if kind == "organisation":
        for k in given:
            if k != "count":
                a.error_at(
                    k,
                    f"优秀组织奖由组委会决定，不能用 {k}；可用 count 限定最多几个单位",
                    f"an organisation award is given by the organiser's decision: {k} does not apply; "
                    "count may cap how many units get it",
                )
    elif len(given) != 1:
        a.error_at(
            given[1] if len(given) > 1 else "ratio",
            f"ratio（比例）、count（名额）、threshold（分数线）只能且必须给出一个（现为 {len(given)} 个）",
            f"give exactly one of ratio (a share), count (places) or threshold (a score); {len(given)} given",
        )
    if ratio is not None and ratio > 1:
        a.error_at(
            "ratio", "ratio 是 0 到 1 之间的比例，如 0.1 表示 10%", "ratio is a share from 0 to 1; 0.1 means 10%"
        )
    return ratio, count, threshold


def _award_scope(a: Fields, kind: str, competition: Competition) -> tuple[str, str]:
    """The award's scope and basis, checked against its kind and the competition's events."""
    events = {e.key for e in competition.events}
    default_scope = UNIT if kind == "organisation" else competition.ranking.value
    scope = a.str("scope", default_scope, choices=AWARD_SCOPES)
    basis = a.str("basis", "overall")
    if basis != "overall" and basis not in events:
        a.error_at(
            "basis",
            f"basis 必须是 overall 或赛项编号（{', '.join(sorted(events))}）",
            f"basis must be 'overall' or an event key ({', '.join(sorted(events))})",
        )
    if kind == "organisation" and scope != UNIT:
        a.error_at("scope", '优秀组织奖的范围只能是 "unit"', 'an organisation award has scope "unit"')
    elif kind == "title" and scope == UNIT:
        a.error_at(
            "scope",
            '称号只授予参赛队或个人（"team" 或 "individual"）',
            "a title goes to teams or individuals, not units",
        )
    if scope == UNIT and basis != "overall":
        a.error_at(
            "basis",
            "单位奖项按单位排名评定，basis 只能是 overall",
            "a unit award follows the unit standings: basis must be 'overall'",
        )
    if scope == Scope.INDIVIDUAL.value and not competition.contestants and kind != "organisation":
        a.error_at(
            "scope", "竞赛没有选手，不能设个人奖项", "the competition has no contestants for an individual award"
        )
    # a competition with units but no teams yet may take its teams later: the units' works found
    # eligible in a call for entries become its entries (scoring/store/works.py)
    if scope == Scope.TEAM.value and not competition.teams and not competition.units:
        a.error_at("scope", "竞赛没有参赛队，不能设团体奖项", "the competition has no teams for a team award")
    return scope, basis


def _award_rules_of_kind(a: Fields, kind: str, ratio: Decimal | None, threshold: Decimal | None) -> tuple[str, str]:
    """ratio_rounding and ties, which apply only where they can change something."""
    ratio_rounding = a.str("ratio_rounding", "half_up", choices=RATIO_ROUNDINGS)
    ties = a.str("ties", "tiebreak", choices=AWARD_TIES)
    if a.has("ratio_rounding") and ratio is None:
        a.error_at("ratio_rounding", "ratio_rounding 只与 ratio 一起使用", "ratio_rounding applies only with ratio")
    if a.has("ties") and (kind == "organisation" or threshold is not None):
        a.error_at(
            "ties",
            "ties 只适用于按比例或名额评定的奖项",
            "ties applies only to awards given by ratio or count",
        )
    if a.has("min_score") and kind == "organisation":
        a.error_at("min_score", "优秀组织奖不设最低分", "an organisation award has no min_score")
    return ratio_rounding, ties


def read_awards(top: Fields, competition: Competition) -> list[AwardRule]:
    """The `[[awards]]` tables in file order, each checked whole: kind, scope and basis agree;
    exactly one of ratio, count, threshold for a prize or title; prize ratios of one scope and
    basis add up to at most 100%."""
    awards: list[AwardRule] = []
    shares: dict[tuple[str, str], Decimal] = {}
    for a in top.tables("awards"):
        key = a.key()
        if key and key in {x.key for x in awards}:
            a.error_at("key", f"奖项编号“{key}”重复", f"award key '{key}' is used twice")
        kind = a.str("kind", "prize", choices=AWARD_KINDS)
        scope, basis = _award_scope(a, kind, competition)
        ratio, count, threshold = _award_places(a, kind)
        ratio_rounding, ties = _award_rules_of_kind(a, kind, ratio, threshold)
        if ratio is not None and kind == "prize":
            group = (scope, basis)
            shares[group] = shares.get(group, Decimal(0)) + ratio
            if shares[group] > 1:
                a.error_at(
                    "ratio",
                    "同一范围的奖项比例合计超过 100%",
                    "award ratios for the same scope and basis add up to over 100%",
                )
        awards.append(
            AwardRule(
                key=key,
                title=a.text("title"),
                kind=kind,
                scope=scope,
                basis=basis,
                ratio=ratio,
                count=count,
                min_score=a.decimal("min_score", None),
                threshold=threshold,
                ratio_rounding=ratio_rounding,
                ties=ties,
                eligible_roles=_award_roles(a, kind, scope),
            )
        )
        a.finish()
    return awards


def read_unit_ranking(top: Fields) -> UnitRanking:
    """`[unit_ranking]`: a unit's score is the mean of its teams' overall scores, or the sum of
    its best n teams."""
    u = top.table_of("unit_ranking")
    if u is None:
        return UnitRanking()
    method = u.str("method", "mean", choices=UNIT_RANKING_METHODS)
    best = u.int("best", None, minimum=1)
    if method == "best" and best is None and not u.has("best"):
        u.error_at(
            "best", "按最好成绩计时须给出 best（计入的参赛队数）", 'method = "best" needs best = n (teams counted)'
        )
    if method == "mean" and u.has("best"):
        u.error_at("best", 'best 只与 method = "best" 一起使用', 'best applies only with method = "best"')
    u.finish()
    return UnitRanking(method=method, best=best if method == "best" else None)
