"""Plausible marks for an example competition, generated from a seed (for the demo and tests).

Each entry gets an ability between 0.55 and 0.95; each judge a small bias. Marks are that
ability on the criterion's scale plus noise, snapped to the step; checklist steps are done with
the ability's probability; times shrink as ability grows; a rare veto is called. The files are
written in the formats the `scoring compute` command reads. Not used for anything but examples.
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

from scoring.model import Competition, Event
from scoring.rubrics.answer_key import AnswerKeyKind
from scoring.rubrics.criteria import (
    ChecklistKind,
    DeductionKind,
    MeasurementKind,
    ScaleKind,
    TimeKind,
    VetoKind,
)
from scoring.rubrics.model import Rubric


def _snap(value: float, low: Decimal, high: Decimal, step: Decimal) -> str:
    steps = round((value - float(low)) / float(step))
    mark = low + step * max(0, min(steps, int((high - low) / step)))
    return format(mark.normalize() if mark != 0 else Decimal(0), "f")


def _answer(kind: AnswerKeyKind, right: bool, rng: random.Random) -> str:
    if kind.type == "true_false":
        return ("对" if kind.answer_bool else "错") if right else ("错" if kind.answer_bool else "对")
    if kind.type == "numeric":
        assert kind.answer_number is not None
        return str(kind.answer_number if right else kind.answer_number + 1)
    if right:
        return "".join(sorted(kind.answer_set))
    if kind.type == "multiple" and rng.random() < 0.5 and len(kind.answer_set) > 1:
        return "".join(sorted(kind.answer_set))[:-1]  # a correct subset: partial credit
    wrong = [c for c in kind.options if c not in kind.answer_set] or list(kind.options)
    return rng.choice(wrong)


def _mark(kind: object, ability: float, bias: float, rng: random.Random) -> str:
    if isinstance(kind, ScaleKind):
        share = min(1.0, max(0.0, ability + bias + rng.gauss(0, 0.05)))
        return _snap(float(kind.low) + share * float(kind.high - kind.low), kind.low, kind.high, kind.step)
    if isinstance(kind, ChecklistKind):
        return "1" if rng.random() < ability + 0.05 else "0"
    if isinstance(kind, DeductionKind):
        count = sum(1 for _ in range(3) if rng.random() > ability + 0.1)
        return str(min(count, kind.max_count) if kind.max_count is not None else count)
    if isinstance(kind, VetoKind):
        return "1" if rng.random() < 0.01 else "0"
    raise TypeError(kind)


def _official(kind: object, ability: float, rng: random.Random) -> str:
    if isinstance(kind, TimeKind):
        seconds = Decimal(str(round(rng.uniform(15, 30) + (1 - ability) * 60, 1)))
        if kind.high is not None:
            seconds = min(seconds, kind.high)
        if kind.mapping.defined and kind.mapping.linear:
            top = kind.mapping.linear[-1][0]
            seconds = min(seconds * (top / Decimal(100)) * 2, top)
        elif kind.mapping.bands and any(b.high and b.high > 600 for b in kind.mapping.bands):
            seconds = seconds * 15
        return f"{seconds.quantize(Decimal('0.1'))}"
    if isinstance(kind, MeasurementKind):
        if kind.mapping.linear:
            xs = [x for x, _ in kind.mapping.linear]
            return (
                str(round(float(xs[0]) + (1 - ability) * float(xs[-1] - xs[0]) * 1.2, 2))
                if xs[0] < xs[-1] and kind.mapping.linear[0][1] > kind.mapping.linear[-1][1]
                else str(int(ability * float(xs[-1])))
            )
        if kind.high is not None:
            return str(round(float(kind.high) * min(1.0, ability + rng.uniform(-0.1, 0.1))))
        band = kind.mapping.bands[0]
        centre = ((band.low or Decimal(0)) + (band.high or Decimal(0))) / 2
        return str(centre if rng.random() < ability else centre + (band.high or Decimal(1)) - centre + Decimal("0.3"))
    raise TypeError(kind)


def write_rubric_marks(
    rubric: Rubric, entries: list[str], judges: list[str], path: Path, rng: random.Random, ability: dict[str, float]
) -> None:
    bias = {j: rng.uniform(-0.05, 0.05) for j in judges}
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["entry", "attempt", "judge", "criterion", "value"])
        for entry in entries:
            for attempt in range(1, rubric.attempts.count + 1):
                a = "" if rubric.attempts.count == 1 else str(attempt)
                for p in rubric.parameters:
                    if p.default is None:
                        writer.writerow([entry, a, "", p.key, str(p.minimum or 1)])
                for c in rubric.criteria():
                    if c.official:
                        writer.writerow([entry, a, "", c.key, _official(c.kind, ability[entry], rng)])
                        continue
                    for j in judges:
                        if isinstance(c.kind, VetoKind) and rng.random() > 0.02:
                            continue
                        writer.writerow([entry, a, j, c.key, _mark(c.kind, ability[entry], bias[j], rng)])


def write_theory_answers(
    rubric: Rubric, entries: list[str], path: Path, rng: random.Random, ability: dict[str, float]
) -> None:
    questions = rubric.criteria()
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["entry"] + [q.key for q in questions])
        for entry in entries:
            row = [entry]
            for q in questions:
                assert isinstance(q.kind, AnswerKeyKind)
                row.append("" if rng.random() < 0.02 else _answer(q.kind, rng.random() < ability[entry], rng))
            writer.writerow(row)


def write_quiz_log(entries: list[str], path: Path, rng: random.Random, ability: dict[str, float]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["question", "team", "type", "outcome", "stake"])
        q = 0
        for _ in range(4):
            for team in entries:
                q += 1
                writer.writerow([q, team, "必答", "对" if rng.random() < ability[team] else "错", ""])
        for _ in range(6 * len(entries) // 2):
            q += 1
            team = rng.choice(entries)
            outcome = "抢跑" if rng.random() < 0.05 else ("对" if rng.random() < ability[team] else "错")
            writer.writerow([q, team, "抢答", outcome, ""])
        for team in entries:
            q += 1
            writer.writerow([q, team, "风险", "对" if rng.random() < ability[team] else "错", rng.choice([10, 20, 30])])


def panel_for(competition: Competition, event: Event, rubric: Rubric) -> list[str]:
    size = max([event.panel_size or 0] + [c.min_judges for c in rubric.criteria()] + [rubric.total_min_judges])
    judges = [j.key for j in competition.judges][:size]
    return judges + [f"x{i}" for i in range(len(judges) + 1, size + 1)]


def write_competition_marks(competition: Competition, folder: Path, seed: int = 2023) -> None:
    """One marks file per event in `folder`, as `scoring compute --competition` reads them."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    team_ability = {t.key: rng.uniform(0.55, 0.95) for t in competition.teams}
    ability = dict(team_ability)
    for c in competition.contestants:
        ability[c.key] = min(0.98, max(0.3, team_ability.get(c.team or "", 0.7) + rng.uniform(-0.1, 0.1)))
    for event in competition.events:
        entries = sorted(competition.entries_for(event))
        rubric = event.rubric
        if event.kind == "quiz":
            write_quiz_log(entries, folder / f"{event.key}.csv", rng, ability)
            continue
        assert rubric is not None  # every other kind is scored by a rubric
        if event.kind == "theory":
            write_theory_answers(rubric, entries, folder / f"{event.key}.csv", rng, ability)
        else:
            judges = panel_for(competition, event, rubric)
            write_rubric_marks(rubric, entries, judges, folder / f"{event.key}.csv", rng, ability)
