"""Counting an expert panel's votes on nominated candidates (专家审议): the rule is stated in
words with its result, so the published list says how it was chosen.

Three counting methods:

- `approval_threshold`: a candidate is selected when at least `threshold` (a fraction, such as
  2/3) of the panel approve. An expert who cast no vote on a candidate counts as not approving:
  the threshold is of the whole panel, never of those who voted. With `seats` set, at most that
  many are selected, the most approved first.
- `top_approvals`: the `seats` candidates with the most approvals.
- `borda`: each expert ranks candidates; with m candidates the first ranked earns m-1 points,
  the second m-2, and so on; an unranked candidate earns nothing. The `seats` candidates with
  the most points are selected.

Ties at the last seat are settled by the stated tie rule: `include_tied` selects every tied
candidate (the list grows past `seats`), `nomination_order` selects the earlier-nominated
ones (the order in which the candidates are given). Ties elsewhere only share a place.

Counting is exact (integers and fractions) and pure: it reads no store and decides nothing
about who is on the panel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from scoring.problems import InvalidInput, Problem

METHODS = ("approval_threshold", "top_approvals", "borda")
TIE_RULES = ("include_tied", "nomination_order")
APPROVE, REJECT = "approve", "reject"


@dataclass(frozen=True)
class CountingRule:
    method: str
    seats: int | None = None
    threshold: Fraction = Fraction(2, 3)
    tie: str = "include_tied"

    def check(self) -> None:
        """Refuse a rule that cannot be applied, naming the field."""
        problems = []
        if self.method not in METHODS:
            problems.append(
                Problem(
                    zh=f"计票方法只能是 {'、'.join(METHODS)}",
                    en=f"the method is one of {', '.join(METHODS)}",
                    path="method",
                )
            )
        if self.seats is not None and self.seats < 1:
            problems.append(Problem(zh="名额至少为 1", en="seats must be at least 1", path="seats"))
        if self.method in ("top_approvals", "borda") and self.seats is None:
            problems.append(Problem(zh="此计票方法需要名额", en="this method needs the number of seats", path="seats"))
        if not Fraction(0) < self.threshold <= 1:
            problems.append(
                Problem(zh="通过比例应大于 0 且不超过 1", en="the threshold is above 0 and at most 1", path="threshold")
            )
        if self.tie not in TIE_RULES:
            problems.append(
                Problem(
                    zh=f"并列规则只能是 {'、'.join(TIE_RULES)}",
                    en=f"the tie rule is one of {', '.join(TIE_RULES)}",
                    path="tie",
                )
            )
        if problems:
            raise InvalidInput(problems)

    def stated(self) -> tuple[str, str]:
        """The rule in words, (zh, en), as it is published with the result."""
        tie_zh = "末位并列者全部入选" if self.tie == "include_tied" else "末位并列者按推荐先后入选"
        tie_en = (
            "all candidates tied for the last seat are selected"
            if self.tie == "include_tied"
            else "a tie for the last seat goes to the earlier nomination"
        )
        if self.method == "approval_threshold":
            cap_zh = f"，至多 {self.seats} 名，赞成票多者优先" if self.seats else ""
            cap_en = f", at most {self.seats}, the most approved first" if self.seats else ""
            return (
                f"获得评审组全体成员至少 {self.threshold} 赞成票者入选（未投票视为不赞成）{cap_zh}；{tie_zh}",
                f"selected when approved by at least {self.threshold} of the whole panel (no vote counts as not"
                f" approving){cap_en}; {tie_en}",
            )
        if self.method == "top_approvals":
            return (
                f"按赞成票数从多到少取前 {self.seats} 名；{tie_zh}",
                f"the {self.seats} candidates with the most approvals; {tie_en}",
            )
        return (
            f"波达计数：m 名候选人中排第 1 位得 m-1 分，第 2 位得 m-2 分，依次类推，未排序者 0 分；"
            f"按总分取前 {self.seats} 名；{tie_zh}",
            f"Borda count: of m candidates the first ranked earns m-1 points, the second m-2, and so on,"
            f" an unranked one 0; the {self.seats} with the most points; {tie_en}",
        )


@dataclass(frozen=True)
class CountedCandidate:
    candidate: str
    approvals: int
    rejections: int
    points: int
    place: int
    selected: bool
    tied_at_cut: bool


@dataclass(frozen=True)
class Tally:
    rule: CountingRule
    panel_size: int
    ballots: int
    rows: tuple[CountedCandidate, ...]

    @property
    def selected(self) -> list[str]:
        return [row.candidate for row in self.rows if row.selected]


def _places(order: list[str], score: Mapping[str, int]) -> dict[str, int]:
    """Competition places (1, 2, 2, 4) by score, highest first."""
    places: dict[str, int] = {}
    for index, candidate in enumerate(order):
        previous = order[index - 1] if index else None
        same = previous is not None and score[previous] == score[candidate]
        places[candidate] = places[previous] if same and previous is not None else index + 1
    return places


def _choose(
    candidates: Sequence[str], score: Mapping[str, int], eligible: set[str], rule: CountingRule
) -> tuple[list[str], dict[str, int], set[str], set[str]]:
    """(order, places, selected, tied at the cut): the eligible, highest score first, cut at
    `seats` with the rule's tie rule; ties in the order kept by nomination order."""
    position = {c: i for i, c in enumerate(candidates)}
    order = sorted(candidates, key=lambda c: (-score[c], position[c]))
    places = _places(order, score)
    ranked = [c for c in order if c in eligible]
    if rule.seats is None or len(ranked) <= rule.seats:
        return order, places, set(ranked), set()
    cut_score = score[ranked[rule.seats - 1]]
    above = [c for c in ranked if score[c] > cut_score]
    tied = [c for c in ranked if score[c] == cut_score]
    if len(above) + len(tied) <= rule.seats:
        return order, places, set(above) | set(tied), set()
    if rule.tie == "include_tied":
        return order, places, set(above) | set(tied), set(tied)
    return order, places, set(above) | set(tied[: rule.seats - len(above)]), set(tied)


def count_approvals(
    rule: CountingRule,
    candidates: Sequence[str],
    panel: Sequence[str],
    votes: Mapping[str, Mapping[str, str]],
) -> Tally:
    """Count approve/reject votes (`votes[expert][candidate]`) by `rule`. Votes of anyone off the
    panel, or on no candidate, are not counted."""
    rule.check()
    if rule.method == "borda":
        raise ValueError("a Borda count needs ranked ballots")
    members = set(panel)
    approvals = {c: 0 for c in candidates}
    rejections = {c: 0 for c in candidates}
    counted = 0
    for expert, ballot in votes.items():
        if expert not in members:
            continue
        counted += 1
        for candidate, vote in ballot.items():
            if candidate in approvals and vote == APPROVE:
                approvals[candidate] += 1
            elif candidate in rejections and vote == REJECT:
                rejections[candidate] += 1
    if rule.method == "approval_threshold":
        eligible = {c for c in candidates if members and Fraction(approvals[c]) >= rule.threshold * len(members)}
    else:
        eligible = set(candidates)
    order, places, selected, tied = _choose(candidates, approvals, eligible, rule)
    rows = tuple(
        CountedCandidate(c, approvals[c], rejections[c], 0, places[c], c in selected, c in tied) for c in order
    )
    return Tally(rule, len(members), counted, rows)


def count_borda(
    rule: CountingRule,
    candidates: Sequence[str],
    panel: Sequence[str],
    ballots: Mapping[str, Sequence[str]],
) -> Tally:
    """Count ranked ballots (`ballots[expert]`: candidates, most preferred first) by Borda. A
    candidate ranked twice on one ballot counts at its first place; unknown ones are skipped."""
    rule.check()
    if rule.method != "borda":
        raise ValueError("ranked ballots are counted by Borda only")
    members = set(panel)
    m = len(candidates)
    points = {c: 0 for c in candidates}
    counted = 0
    for expert, ranking in ballots.items():
        if expert not in members:
            continue
        counted += 1
        seen: set[str] = set()
        for candidate in ranking:
            if candidate in points and candidate not in seen:
                points[candidate] += m - 1 - len(seen)
                seen.add(candidate)
    order, places, selected, tied = _choose(candidates, points, set(candidates), rule)
    rows = tuple(CountedCandidate(c, 0, 0, points[c], places[c], c in selected, c in tied) for c in order)
    return Tally(rule, len(members), counted, rows)
