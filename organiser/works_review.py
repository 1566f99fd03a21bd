"""The organiser's use cases for a call for entries and its review away from the venue: opening
the call, the eligibility check, the experts' pool and conflicts, assigning the experts, adding
one to a work, the review's progress and disagreements, and the shortlist (into the next round
in a drawn order, or straight to awards). Each runs in the caller's transaction; the rules are
the core's (scoring/works_form.py, review_assignment.py, shortlist.py), the rows the store's."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from results.round_review import review_round
from results.stored import competition_row
from scoring.draws import new_seed
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict, NotFound
from scoring.shortlist import shortlist_by_rank, shortlist_by_threshold
from scoring.store.draws import record_draw
from scoring.store.models import Event, PanelSeat, Round
from scoring.store.review_assignments import add_reviewer, assign_round, assignments_of, declare_conflict, set_expert
from scoring.store.sheets import current_sheets
from scoring.store.shortlists import record_shortlist
from scoring.store.works import call_of, open_call, work_states
from scoring.store.works_models import ReviewAssignment, WorkCall

BEIJING = timezone(timedelta(hours=8))


def event_rounds(db: Session, competition_id: int) -> list[tuple[Round, Event]]:
    rows = db.execute(
        select(Round, Event).join(Event, Event.id == Round.event_id).where(Event.competition_id == competition_id)
    ).all()
    return [(r, e) for r, e in rows]


def parse_categories(text: str) -> list[dict[str, str]]:
    """Categories one a line: key | 中文名 | English name."""
    found, problems = [], []
    for n, line in enumerate((x for x in text.splitlines() if x.strip()), 1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not all(parts) or not parts[0].replace("_", "").isalnum():
            problems.append(
                Problem(
                    zh=f"第 {n} 行应写成：编号 | 中文名 | 英文名",
                    en=f"line {n} must read: key | Chinese name | English name",
                    path="categories",
                    row=n,
                )
            )
        else:
            found.append({"key": parts[0], "zh": parts[1], "en": parts[2]})
    if not found and not problems:
        problems.append(Problem(zh="至少需要一个类别", en="give at least one category", path="categories"))
    if problems:
        raise InvalidInput(problems)
    return found


def parse_deadline(text: str) -> datetime:
    """A deadline typed as Beijing time (YYYY-MM-DDTHH:MM, as a datetime-local field sends it)."""
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=BEIJING)
    except ValueError:
        raise InvalidInput(
            [
                Problem(
                    zh="截止时间格式应为 2026-12-01T17:00",
                    en="the deadline must read like 2026-12-01T17:00",
                    path="deadline",
                )
            ]
        ) from None


def create_call(db: Session, key: str, form: dict[str, str], actor: str) -> WorkCall:
    """Open the competition's call for entries for one of its rounds."""
    competition = competition_row(db, key)
    rounds = {str(r.id): r for r, _ in event_rounds(db, competition.id)}
    round_ = rounds.get(form.get("round", ""))
    problems = []
    if round_ is None:
        problems.append(Problem(zh="请选择评审轮次", en="choose the review round", path="round"))
    numbers = {}
    for name, low, high in (("reviews_per_work", 1, 15), ("attachments_max", 0, 20), ("attachment_mb", 1, 10)):
        try:
            numbers[name] = int(form.get(name, ""))
            if not low <= numbers[name] <= high:
                raise ValueError
        except ValueError:
            problems.append(
                Problem(
                    zh=f"{name} 应为 {low}–{high} 的整数",
                    en=f"{name} must be a whole number {low} to {high}",
                    path=name,
                )
            )
    title_zh, title_en = form.get("title_zh", "").strip(), form.get("title_en", "").strip()
    if not title_zh or not title_en:
        problems.append(
            Problem(zh="请填写征集的中英文名称", en="give the call's title in Chinese and English", path="title")
        )
    categories = deadline = None
    try:
        categories = parse_categories(form.get("categories", ""))
    except InvalidInput as refused:
        problems += refused.problems
    try:
        deadline = parse_deadline(form.get("deadline", ""))
    except InvalidInput as refused:
        problems += refused.problems
    if problems:
        raise InvalidInput(problems)
    assert round_ is not None and deadline is not None and categories is not None
    return open_call(
        db,
        actor,
        competition_id=competition.id,
        round_id=round_.id,
        title_zh=title_zh[:255],
        title_en=title_en[:255],
        notes_zh=form.get("notes_zh", "")[:5000],
        notes_en=form.get("notes_en", "")[:5000],
        categories=categories,
        deadline=deadline,
        attachment_max_bytes=numbers["attachment_mb"] * 1024 * 1024,
        attachments_max=numbers["attachments_max"],
        reviews_per_work=numbers["reviews_per_work"],
        blind=form.get("blind", "") in ("1", "on", "true"),
        published=form.get("published", "") in ("1", "on", "true"),
    )


def eligible_keys(db: Session, call: WorkCall) -> list[str]:
    return [s.work.key for s in work_states(db, call.id) if s.status == "eligible"]


def assign_experts(db: Session, key: str, actor: str) -> dict[str, list[str]]:
    """Give every eligible work the call's number of experts (assignments made before are kept)."""
    call = call_of(db, competition_row(db, key).id)
    entries = eligible_keys(db, call)
    if not entries:
        raise Conflict("还没有符合条件的作品", "no work has been found eligible yet")
    return assign_round(db, call.competition_id, call.round_id, entries, call.reviews_per_work, actor)


def add_expert(db: Session, key: str, judge_key: str, work_key: str, actor: str) -> None:
    call = call_of(db, competition_row(db, key).id)
    if work_key not in eligible_keys(db, call):
        raise NotFound(f"没有进入评审的作品“{work_key}”", f"no work '{work_key}' under review")
    add_reviewer(db, call.competition_id, call.round_id, judge_key, work_key, actor)


def review_progress(db: Session, call: WorkCall) -> dict[str, Any]:
    """Per work under review: its experts and their sheets' states, its provisional score and
    the disagreement flags the engine raises (marks further apart than the rubric's tolerance)."""
    assigned = assignments_of(db, call.round_id)
    states: dict[tuple[str, str], str] = {}
    for entry, judge, version in current_sheets(db, call.round_id):
        states[(entry, judge)] = str(version.state)
    scores: dict[str, Decimal | None] = {}
    flags: dict[str, list[str]] = {}
    severity: list[dict[str, Any]] = []
    reviewed = review_round(db, call.round_id) if states else None
    if reviewed is not None and reviewed.result is not None:
        scores = {s.entry: s.score for s in reviewed.result.scores}
        for f in reviewed.result.flags:
            flags.setdefault(f.entry, []).append(f"{f.criterion}: {f.spread} > {f.tolerance}")
    if reviewed is not None and reviewed.fairness is not None:  # as the chief's console shows it
        severity = [
            {"judge": j.judge, "marks": j.marks, "mean_deviation": j.mean_deviation}
            for j in reviewed.fairness.judges
            if j.marks
        ]
    works = []
    for entry in sorted(assigned):
        experts = [{"judge": j, "state": states.get((entry, j), "new")} for j in assigned[entry]]
        works.append(
            {
                "entry": entry,
                "experts": experts,
                "done": sum(e["state"] in ("submitted", "locked") for e in experts),
                "score": scores.get(entry),
                "flags": flags.get(entry, []),
            }
        )
    return {
        "works": works,
        "severity": severity,
        "problem": reviewed.problem if reviewed is not None else "",
        "lower_is_better": bool(reviewed and reviewed.result and reviewed.result.lower_is_better),
    }


def make_shortlist(db: Session, key: str, rule: str, value: str, next_round: str, actor: str) -> list[str]:
    """The shortlist from the review round's scores, every assigned sheet submitted first. Into
    `next_round` (a round id; "" for straight to awards): its seated judges are assigned the
    shortlisted works only, and their order of appearance is drawn."""
    call = call_of(db, competition_row(db, key).id)
    progress = review_progress(db, call)
    missing = sum(len(w["experts"]) - w["done"] for w in progress["works"])
    if not progress["works"] or missing:
        raise Conflict(
            f"还有 {missing} 张评审表未提交，不能确定入围名单",
            f"{missing} review sheets are not submitted yet; the shortlist waits for them",
        )
    scores = {w["entry"]: w["score"] for w in progress["works"]}
    lower = bool(progress["lower_is_better"])
    try:
        if rule == "rank":
            chosen = shortlist_by_rank(scores, int(value), lower).entries
        elif rule == "threshold":
            chosen = shortlist_by_threshold(scores, Decimal(value), lower).entries
        else:
            raise InvalidInput(
                [Problem(zh="规则应为名次或分数线", en="the rule must be rank or threshold", path="rule")]
            )
    except (ValueError, InvalidOperation):
        raise InvalidInput(
            [Problem(zh="请填写数量或分数线", en="give a count or a threshold score", path="value")]
        ) from None
    next_id = _next_round(db, call, next_round)
    if next_id is None:
        _refuse_awards_before_a_later_round(db, call)
    if next_id is not None:
        seated = list(
            db.execute(
                select(PanelSeat.judge_id).where(PanelSeat.round_id == next_id, PanelSeat.marks.is_(True))
            ).scalars()
        )
        if not seated:
            raise Conflict("请先为下一轮设置评委组", "seat the next round's panel first")
        for judge_id in seated:
            for entry in chosen:
                db.add(ReviewAssignment(round_id=next_id, judge_id=judge_id, entry_key=entry, added_by=actor))
        record_draw(
            db,
            round_id=next_id,
            purpose="order",
            entries=chosen,
            seed=new_seed(),
            params={"shortlist": True},
            drawn_by=actor,
            actor=actor,
        )
    record_shortlist(db, call.id, rule, value, chosen, next_id, actor)
    return chosen


def _refuse_awards_before_a_later_round(db: Session, call: WorkCall) -> None:
    """Straight to awards only from the event's last round: awards follow the event's last round,
    so a later round (a final) would hold them back with no work in it. Its rounds are in id order."""
    event_id = db.execute(select(Round.event_id).where(Round.id == call.round_id)).scalar_one()
    later = db.execute(
        select(Round.key).where(Round.event_id == event_id, Round.id > call.round_id).order_by(Round.id)
    ).scalars()
    named = "、".join(later)
    if named:
        raise Conflict(
            f"评审轮次之后还有轮次“{named}”，奖项要等那一轮评完；请选择入围进入“{named}”，"
            "或在竞赛设置中去掉该轮次后再直接评奖",
            f"the event has a later round '{named}' after the review and its awards wait for it; "
            f"shortlist into '{named}', or remove that round from the competition to go straight to awards",
            field="next_round",
        )


def _next_round(db: Session, call: WorkCall, next_round: str) -> int | None:
    if not next_round:
        return None
    rounds = {str(r.id): r for r, _ in event_rounds(db, call.competition_id)}
    if next_round not in rounds or rounds[next_round].id == call.round_id:
        raise InvalidInput([Problem(zh="请选择另一轮次", en="choose another round", path="next_round")])
    taken = db.execute(select(ReviewAssignment.id).where(ReviewAssignment.round_id == int(next_round)).limit(1)).first()
    if taken is not None:
        raise Conflict("下一轮已有入围作品", "the next round already has its shortlisted works")
    return int(next_round)


def set_pool(db: Session, key: str, text: str, actor: str) -> int:
    """The experts' pool from lines "judge_key [unit_key]"; every problem named by its line."""
    competition = competition_row(db, key)
    lines = [line.split() for line in text.splitlines() if line.strip()]
    problems = [
        Problem(
            zh=f"第 {n} 行应为：评委编号 [单位编号]",
            en=f"line {n} must read: judge key [unit key]",
            path="experts",
            row=n,
        )
        for n, parts in enumerate(lines, 1)
        if len(parts) > 2
    ]
    if problems:
        raise InvalidInput(problems)
    for parts in lines:
        set_expert(db, competition.id, parts[0], parts[1] if len(parts) > 1 else "", actor)
    return len(lines)


def conflict_of(db: Session, key: str, judge_key: str, work_key: str, reason: str, actor: str) -> None:
    declare_conflict(db, competition_row(db, key).id, judge_key.strip(), work_key.strip(), reason.strip(), actor)
