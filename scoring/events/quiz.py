"""Quiz rounds (知识竞答): compulsory, buzzer and risk questions scored from a log of answers.

The rules are data: every team starts from a base; a compulsory question adds `right` when
answered right and `wrong` otherwise; a buzzer question adds `right`, takes off `wrong` for a
wrong answer and `early` for buzzing before the question is read out; a risk question adds its
stake when right and takes it off when wrong, and the stake must be one the rules offer.
Extra questions (加赛) break ties only: each right answer counts one, outside the score.

The log has one answer a row: `team, type, outcome` and, for risk questions, `stake`. Types:
compulsory 必答, buzzer 抢答, risk 风险, extra 加赛. Outcomes: right 对, wrong 错, early 抢跑,
timeout 超时 (counted as wrong). The quiz master's console writes the log with questions put and
undos beside the answers; scoring/events/quiz_log.py picks out the answers that count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from scoring.decimals import format_decimal, parse_decimal
from scoring.document import Fields
from scoring.events.base import BoundEvent, EntryScore, EventResult, NoParams, NoParamsKind
from scoring.problems import ProblemCollector
from scoring.tables import numbered, read_table

TYPES = {
    "compulsory": "compulsory",
    "必答": "compulsory",
    "buzzer": "buzzer",
    "抢答": "buzzer",
    "risk": "risk",
    "风险": "risk",
    "extra": "extra",
    "加赛": "extra",
}
OUTCOMES = {
    "right": "right",
    "对": "right",
    "正确": "right",
    "wrong": "wrong",
    "错": "wrong",
    "错误": "wrong",
    "early": "early",
    "抢跑": "early",
    "timeout": "timeout",
    "超时": "timeout",
}


@dataclass(frozen=True)
class QuizRules:
    base: Decimal = Decimal(100)
    compulsory_right: Decimal = Decimal(10)
    compulsory_wrong: Decimal = Decimal(0)
    buzzer_right: Decimal = Decimal(10)
    buzzer_wrong: Decimal = Decimal(10)
    buzzer_early: Decimal = Decimal(10)
    risk_stakes: tuple[Decimal, ...] = (Decimal(10), Decimal(20), Decimal(30))
    maximum: Decimal | None = None
    title: dict[str, str] = field(default_factory=lambda: {"zh": "知识竞答", "en": "Quiz"})

    def change(self, kind: str, outcome: str, stake: Decimal | None) -> Decimal:
        """Points one answer adds (negative: takes off)."""
        right = outcome == "right"
        if kind == "compulsory":
            return self.compulsory_right if right else self.compulsory_wrong
        if kind == "buzzer":
            return self.buzzer_right if right else -(self.buzzer_early if outcome == "early" else self.buzzer_wrong)
        if kind == "risk":
            assert stake is not None
            return stake if right else -stake
        return Decimal(0)


def read_quiz_rules(f: Fields) -> QuizRules:
    q = f.table_of("quiz", required=True)
    if q is None:
        return QuizRules()
    title = f.text("title", {"zh": "知识竞答", "en": "Quiz"})
    f.str("key", "")
    c, b, r = q.table_of("compulsory"), q.table_of("buzzer"), q.table_of("risk")
    stakes: tuple[Decimal, ...] = (Decimal(10), Decimal(20), Decimal(30))
    if r is not None:
        raw = r.raw("stakes", None)
        if raw is not None:
            parsed = [parse_decimal(v) for v in raw] if isinstance(raw, list) else [None]
            if not parsed or any(v is None or v <= 0 for v in parsed):
                r.error_at(
                    "stakes",
                    "stakes 必须是正数数组，如 [10, 20, 30]",
                    "stakes must be positive numbers, e.g. [10, 20, 30]",
                )
            else:
                stakes = tuple(v for v in parsed if v is not None)
    rules = QuizRules(
        base=q.decimal("base", Decimal(100)),
        compulsory_right=c.decimal("right", Decimal(10)) if c else Decimal(10),
        compulsory_wrong=c.decimal("wrong", Decimal(0)) if c else Decimal(0),
        buzzer_right=b.decimal("right", Decimal(10)) if b else Decimal(10),
        buzzer_wrong=b.decimal("wrong", Decimal(10), minimum=Decimal(0)) if b else Decimal(10),
        buzzer_early=b.decimal("early", Decimal(10), minimum=Decimal(0)) if b else Decimal(10),
        risk_stakes=stakes,
        maximum=q.decimal("max", None, positive=True),
        title=title,
    )
    for sub in (c, b, r, q):
        if sub is not None:
            sub.finish()
    f.finish()
    return rules


def score_log(rules: QuizRules, frame: pd.DataFrame, source: str, teams: set[str] | None = None) -> EventResult:
    problems = ProblemCollector(source)
    for column in ("team", "type", "outcome"):
        if column not in frame.columns:
            problems.add(
                f"缺少列 {column}",
                f"missing column '{column}'; a quiz log needs team, type, outcome (and stake for risk questions)",
                line=1,
            )
    problems.raise_if_any()
    if "stake" not in frame.columns:
        frame = frame.assign(stake="")
    known = set(teams) if teams is not None else set()
    lines: dict[str, list[dict[str, Any]]] = {t: [] for t in known}
    scores: dict[str, Decimal] = {t: rules.base for t in known}
    extra: dict[str, Decimal] = {t: Decimal(0) for t in known}
    by_kind: dict[str, dict[str, Decimal]] = {}  # points each kind of question gave or took
    for row, team, kind_raw, outcome_raw, stake_raw in frame[["row", "team", "type", "outcome", "stake"]].itertuples(
        index=False
    ):
        team, kind, outcome = (
            str(team).strip(),
            TYPES.get(str(kind_raw).strip().lower()),
            OUTCOMES.get(str(outcome_raw).strip().lower()),
        )
        ok = True
        if not team or (teams is not None and team not in teams):
            problems.add(f"未知的参赛队“{team}”", f"unknown team '{team}'", row=int(row))
            ok = False
        if kind is None:
            problems.add(
                f"题型“{kind_raw}”无效；可用：compulsory/必答, buzzer/抢答, risk/风险, extra/加赛",
                f"question type '{kind_raw}' is not valid; use compulsory, buzzer, risk or extra",
                row=int(row),
            )
            ok = False
        if outcome is None:
            problems.add(
                f"结果“{outcome_raw}”无效；可用：right/对, wrong/错, early/抢跑, timeout/超时",
                f"outcome '{outcome_raw}' is not valid; use right, wrong, early or timeout",
                row=int(row),
            )
            ok = False
        elif outcome == "early" and kind not in (None, "buzzer"):
            problems.add("只有抢答题会抢跑", "only a buzzer question can be buzzed early", row=int(row))
            ok = False
        stake = parse_decimal(str(stake_raw)) if str(stake_raw).strip() else None
        if kind == "risk" and stake not in rules.risk_stakes:
            offered = ", ".join(format_decimal(s) for s in rules.risk_stakes)
            problems.add(
                f"风险题分值“{stake_raw}”无效；可选：{offered}",
                f"risk stake '{stake_raw}' is not offered; choose one of: {offered}",
                row=int(row),
            )
            ok = False
        if not ok:
            continue
        assert kind is not None and outcome is not None
        scores.setdefault(team, rules.base)
        extra.setdefault(team, Decimal(0))
        if kind == "extra":
            extra[team] += 1 if outcome == "right" else 0
            change = Decimal(0)
        else:
            change = rules.change(kind, outcome, stake)
            scores[team] += change
            by_kind.setdefault(team, {}).setdefault(kind, Decimal(0))
            by_kind[team][kind] += change
        lines.setdefault(team, []).append(
            {
                "row": int(row),
                "type": kind,
                "outcome": outcome,
                "stake": format_decimal(stake) if stake is not None else None,
                "change": format_decimal(change),
                "running": format_decimal(scores[team]),
            }
        )
    problems.raise_if_any()
    entries = [EntryScore(t, scores[t], tiebreak=extra[t]) for t in sorted(scores)]

    def explain(team: str) -> dict[str, Any] | None:
        if team not in scores:
            return None
        return {
            "entry": team,
            "base": format_decimal(rules.base),
            "answers": lines.get(team, []),
            "score": format_decimal(scores[team]),
            "extra_right": format_decimal(extra[team]),
        }

    def render(e: dict[str, Any]) -> str:
        out = [f"team 参赛队 {e['entry']} — quiz 知识竞答, base 基础分 {e['base']}"]
        for a in e["answers"]:
            stake = f" stake {a['stake']}" if a["stake"] else ""
            out.append(f"  row {a['row']}: {a['type']} {a['outcome']}{stake}: {a['change']:>4} -> {a['running']}")
        out.append(f"  score 得分: {e['score']} (extra questions right 加赛答对: {e['extra_right']})")
        return "\n".join(out)

    def breakdown() -> pd.DataFrame:
        """Each team: the base, the points each kind of question gave or took, the extra
        questions answered right (the tie-break), as the score adds them up."""
        rows = [
            {"entry": t, "base": rules.base}
            | {k: by_kind.get(t, {}).get(k, Decimal(0)) for k in ("compulsory", "buzzer", "risk")}
            | {"extra_right": extra[t]}
            for t in sorted(scores)
        ]
        return pd.DataFrame(rows, columns=["entry", "base", "compulsory", "buzzer", "risk", "extra_right"])

    return EventResult(
        kind="quiz",
        scores=entries,
        lower_is_better=False,
        max_score=rules.maximum,
        explain=explain,
        render=render,
        breakdown=breakdown,
    )


class QuizEvent(BoundEvent):
    """A quiz round bound to its rules; its table is the log of answers."""

    key = "quiz"

    def __init__(self, rules: QuizRules) -> None:
        self.rules = rules

    @property
    def lower_is_better(self) -> bool:
        return False

    @property
    def max_score(self) -> Decimal | None:
        return self.rules.maximum

    def read_table(self, path: Path) -> pd.DataFrame:
        return read_table(path)

    def score(
        self,
        table: pd.DataFrame,
        entries: set[str] | None = None,
        judges: set[str] | None = None,
        source: str = "marks",
    ) -> EventResult:
        """The quiz master keeps the log, so `judges` is not used."""
        return score_log(self.rules, numbered(table), source, entries)


class QuizKind(NoParamsKind[QuizRules]):
    key = "quiz"
    title: ClassVar[dict[str, str]] = {"zh": "知识竞答", "en": "Quiz"}

    def read_rules(self, f: Fields) -> QuizRules:
        return read_quiz_rules(f)

    def bind(self, rules: QuizRules, params: NoParams) -> QuizEvent:
        return QuizEvent(rules)
