"""Award lists from standings: prizes by ratio, count or score threshold, titles for the best
individuals of an event, and organisation awards given by the organiser's decision.

What an award list holds is defined here; how places become awards is `allocate_awards`.
Nothing here reads the store or renders anything (results/workbook.py, the pages).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from results.award_bases import UNIT, award_basis
from results.overall import CompetitionResult
from results.standings import Standing
from scoring.decimals import format_decimal, quantize, score_context
from scoring.model import AwardRule, Competition
from scoring.problems import InvalidInput, Problem


@dataclass(frozen=True)
class OrganisationDecision:
    """The organiser's decision to give an organisation award (优秀组织奖) to a unit, with the
    reason recorded."""

    award: str  # the award rule's key
    unit: str  # the unit's key
    reason: str
    decided_by: str = ""


@dataclass(frozen=True)
class AwardRecipient:
    """One entry (a team, a contestant or a unit) on an award list."""

    award: str  # the award rule's key
    entry: str  # the key of the team, contestant or unit
    name: str  # the entry's name (zh; a team's or unit's en name is in name_en)
    name_en: str
    unit: str  # the unit's key ("" for a unit itself)
    unit_name: str  # zh
    unit_name_en: str
    contestants: tuple[str, ...]  # names of the team's contestants (the contestant's own for individuals)
    place: int | None  # place in the standings the award is based on (None for organisation awards)
    shared: bool  # the place is shared with another entry
    score: Decimal | None
    reason: str = ""  # why (organisation awards: the organiser's recorded reason)


@dataclass
class AwardList:
    """The recipients of one award rule, best first, and how its boundary was decided."""

    rule: AwardRule
    recipients: list[AwardRecipient]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en): counts, ties at a boundary
    places: int | None = None  # the places the rule gives (ratio or count) before ties; None for a threshold


@dataclass(frozen=True)
class _Chosen:
    """Who a prize or title goes to and the notes that say how its boundary was decided."""

    entries: list[Standing]
    places: int | None
    notes: list[tuple[str, str]]


def allocate_awards(
    competition: Competition, result: CompetitionResult, decisions: Sequence[OrganisationDecision] = ()
) -> list[AwardList]:
    """One award list per award rule, in the competition file's order, recipients best first.

    A prize or title is drawn from the standings its scope and basis name (results/award_bases.py).
    Its number of places is `count`, or `ratio` x the ranked entries (those with a place; for a
    title limited to some roles, the ranked entries of those roles) rounded as
    `ratio_rounding` says; `threshold` gives it instead to every entry at or better than that
    score (at or below it where lower wins). At the boundary, `ties` decides: "tiebreak" follows
    the standings' places (the tie-break chain already separated what it could) and every entry
    still sharing the last place inside gets the award; "all_in" and "all_out" compare scores only
    and give it to every entry with the last one's score, or to none of them. Then `min_score`
    takes out every entry below it (above it where lower wins).

    Prizes of the same scope and basis are given in file order, each from the entries that
    earlier prizes left, so an entry gets at most one of them (the highest); titles are drawn
    from the whole standings. Organisation awards go to the units in `decisions`, in the order
    decided; a decision naming an unknown award or unit, an award that is not an organisation
    award, a unit twice, or more units than the rule's `count` raises InvalidInput with every
    such problem.
    """
    _check_decisions(competition, decisions)
    with decimal.localcontext(score_context()):
        lists: list[AwardList] = []
        taken: dict[tuple[str, str], set[str]] = {}
        for rule in competition.awards:
            if rule.kind == "organisation":
                lists.append(_organisation_list(competition, rule, decisions))
                continue
            basis = award_basis(result, rule)
            eligible = _eligible(competition, rule)
            ranked = [s for s in basis.standings if s.place is not None and s.score is not None and eligible(s.entry)]
            group = taken.setdefault((str(rule.scope), rule.basis), set())
            pool = [s for s in ranked if s.entry not in group] if rule.kind == "prize" else ranked
            chosen = _choose(rule, pool, len(ranked), basis.lower_is_better)
            if rule.kind == "prize":
                group.update(s.entry for s in chosen.entries)
            recipients = [_recipient(competition, rule, s) for s in chosen.entries]
            lists.append(AwardList(rule, recipients, basis.notes + chosen.notes, chosen.places))
        return lists


def _eligible(competition: Competition, rule: AwardRule) -> Callable[[str], bool]:
    if not rule.eligible_roles:
        return lambda entry: True
    allowed = {c.key for c in competition.contestants if c.role in rule.eligible_roles}
    return allowed.__contains__


def _at_or_better(score: Decimal, limit: Decimal, lower_is_better: bool) -> bool:
    return score <= limit if lower_is_better else score >= limit


def _names(entries: Sequence[Standing]) -> str:
    return ", ".join(s.entry for s in entries)


def _number(value: Decimal) -> str:
    return format_decimal(value.normalize()) if value else "0"


_ROUNDING_WORDS = {
    "half_up": ("四舍五入", "rounded half up", "half_up"),
    "floor": ("向下取整", "rounded down", "floor"),
    "ceiling": ("向上取整", "rounded up", "ceiling"),
}


def _places(rule: AwardRule, ranked: int) -> tuple[int, tuple[str, str]]:
    """The number of places of a ratio or count rule, and the note that shows the computation."""
    if rule.ratio is None:
        assert rule.count is not None
        return rule.count, (f"名额 {rule.count} 个", f"{rule.count} places")
    product = rule.ratio * ranked
    zh_words, en_words, mode = _ROUNDING_WORDS[rule.ratio_rounding]
    n = int(quantize(product, 0, mode))
    percent = _number(rule.ratio * 100)
    return n, (
        f"{ranked} × {percent}% = {_number(product)}，{zh_words}：{n}",
        f"{ranked} x {percent}% = {_number(product)}, {en_words}: {n}",
    )


def _choose(rule: AwardRule, pool: list[Standing], ranked: int, lower_is_better: bool) -> _Chosen:
    notes: list[tuple[str, str]] = []
    places: int | None = None
    if rule.threshold is not None:
        limit = rule.threshold
        chosen = [s for s in pool if s.score is not None and _at_or_better(s.score, limit, lower_is_better)]
        word = ("及以下", "or below") if lower_is_better else ("及以上", "or above")
        notes.append(
            (
                f"成绩 {_number(limit)} 分{word[0]}：{len(chosen)} 个",
                f"score {_number(limit)} {word[1]}: {len(chosen)}",
            )
        )
    else:
        places, note = _places(rule, ranked)
        notes.append(note)
        chosen = _boundary(rule, pool, places, notes)
    if rule.min_score is not None:
        floor = rule.min_score
        below = [s for s in chosen if s.score is not None and not _at_or_better(s.score, floor, lower_is_better)]
        if below:
            chosen = [s for s in chosen if s not in below]
            notes.append(
                (
                    f"未达最低分 {_number(floor)}，不获奖：{_names(below)}",
                    f"below the minimum score {_number(floor)}, not awarded: {_names(below)}",
                )
            )
    return _Chosen(chosen, places, notes)


def _boundary(rule: AwardRule, pool: list[Standing], places: int, notes: list[tuple[str, str]]) -> list[Standing]:
    """The first `places` entries of `pool`, and those tied with the last of them as `ties` says."""
    if places > len(pool):
        notes.append(
            (
                f"可获奖者只有 {len(pool)} 个（名额 {places} 个）",
                f"only {len(pool)} entries left for {places} places",
            )
        )
    if places <= 0 or not pool:
        return []
    inside, outside = pool[:places], pool[places:]
    last = inside[-1]
    if rule.ties == "tiebreak":
        extra = [s for s in outside if s.place == last.place]
        if extra:
            sharing = [s for s in inside if s.place == last.place] + extra
            notes.append(
                (
                    f"第 {last.place} 名并列（决胜规则未能区分），均获奖：{_names(sharing)}",
                    f"place {last.place} is shared at the boundary (the tie-breaks did not separate them); "
                    f"all get it: {_names(sharing)}",
                )
            )
        elif outside and outside[0].score == last.score:
            first_out = outside[0]
            why = "; ".join(first_out.decided_by) or "tie-break"
            notes.append(
                (
                    f"{last.entry} 与 {first_out.entry} 成绩相同，按决胜规则（{why}）{last.entry} 获奖",
                    f"{last.entry} and {first_out.entry} have the same score; the tie-break ({why}) "
                    f"gives it to {last.entry}",
                )
            )
        return inside + extra
    tied_out = [s for s in outside if s.score == last.score]
    if not tied_out:
        return inside
    tied_in = [s for s in inside if s.score == last.score]
    score = _number(last.score) if last.score is not None else "-"
    if rule.ties == "all_in":
        notes.append(
            (
                f"成绩 {score} 并列于名额边界，全部获奖（不用决胜规则）：{_names(tied_in + tied_out)}",
                f"score {score} is tied at the boundary; all get it (tie-breaks not used): "
                f"{_names(tied_in + tied_out)}",
            )
        )
        return inside + tied_out
    notes.append(
        (
            f"成绩 {score} 并列于名额边界，均不获奖（不用决胜规则）：{_names(tied_in + tied_out)}",
            f"score {score} is tied at the boundary; none of them gets it (tie-breaks not used): "
            f"{_names(tied_in + tied_out)}",
        )
    )
    return [s for s in inside if s.score != last.score]


def _recipient(competition: Competition, rule: AwardRule, standing: Standing) -> AwardRecipient:
    units = {u.key: u for u in competition.units}
    place, shared, score = standing.place, standing.shared, standing.score
    if rule.scope == UNIT:
        unit = units[standing.entry]
        return AwardRecipient(
            rule.key, unit.key, unit.name["zh"], unit.name["en"], "", "", "", (), place, shared, score
        )
    names = {c.key: c.name for c in competition.contestants}
    team = next((t for t in competition.teams if t.key == standing.entry), None) if rule.scope == "team" else None
    if team is not None:
        name, name_en, unit_key = team.name["zh"], team.name["en"], team.unit
        people = tuple(names[m] for m in team.members)
    else:
        person = next(c for c in competition.contestants if c.key == standing.entry)
        name, name_en, unit_key, people = person.name, person.name, person.unit, (person.name,)
    unit_name = units[unit_key].name if unit_key in units else {"zh": "", "en": ""}
    return AwardRecipient(
        rule.key,
        standing.entry,
        name,
        name_en,
        unit_key,
        unit_name["zh"],
        unit_name["en"],
        people,
        place,
        shared,
        score,
    )


def _check_decisions(competition: Competition, decisions: Sequence[OrganisationDecision]) -> None:
    rules = {r.key: r for r in competition.awards}
    units = {u.key for u in competition.units}
    problems: list[Problem] = []
    given: dict[str, list[str]] = {}
    for i, d in enumerate(decisions):
        rule = rules.get(d.award)
        if rule is None:
            listed = ", ".join(r.key for r in competition.awards if r.kind == "organisation") or "-"
            problems.append(
                Problem(
                    f"没有奖项“{d.award}”；优秀组织奖：{listed}",
                    f"no award '{d.award}'; organisation awards: {listed}",
                    path=f"decisions[{i}].award",
                )
            )
            continue
        if rule.kind != "organisation":
            problems.append(
                Problem(
                    f"奖项“{d.award}”按成绩评定，不能由组委会决定授予",
                    f"award '{d.award}' is a {rule.kind} given by the standings, not by the organiser's decision",
                    path=f"decisions[{i}].award",
                )
            )
            continue
        if d.unit not in units:
            problems.append(Problem(f"未知的单位“{d.unit}”", f"unknown unit '{d.unit}'", path=f"decisions[{i}].unit"))
            continue
        if d.unit in given.get(d.award, []):
            problems.append(
                Problem(
                    f"单位“{d.unit}”重复获得奖项“{d.award}”",
                    f"unit '{d.unit}' is given award '{d.award}' twice",
                    path=f"decisions[{i}].unit",
                )
            )
            continue
        given.setdefault(d.award, []).append(d.unit)
    for key, chosen in given.items():
        cap = rules[key].count
        if cap is not None and len(chosen) > cap:
            problems.append(
                Problem(
                    f"奖项“{key}”最多授予 {cap} 个单位，现决定了 {len(chosen)} 个",
                    f"award '{key}' goes to at most {cap} units; {len(chosen)} decided",
                    path="decisions",
                )
            )
    if problems:
        raise InvalidInput(problems)


def _organisation_list(
    competition: Competition, rule: AwardRule, decisions: Sequence[OrganisationDecision]
) -> AwardList:
    units = {u.key: u for u in competition.units}
    recipients = [
        AwardRecipient(
            rule.key,
            d.unit,
            units[d.unit].name["zh"],
            units[d.unit].name["en"],
            "",
            "",
            "",
            (),
            None,
            False,
            None,
            reason=d.reason,
        )
        for d in decisions
        if d.award == rule.key
    ]
    cap = f"（最多 {rule.count} 个）" if rule.count is not None else ""
    cap_en = f" (at most {rule.count})" if rule.count is not None else ""
    note = (
        f"组委会决定授予 {len(recipients)} 个单位{cap}",
        f"units decided by the organiser: {len(recipients)}{cap_en}",
    )
    return AwardList(rule, recipients, [note], rule.count)
