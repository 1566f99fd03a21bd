"""Online papers drawn from a question bank: what a paper holds, a contestant's paper rebuilt from
its seed, an answer read as the contestant gave it, and the answers graded by the answer key.

A paper is fixed (a list of question keys) or drawn by rule (n questions of a topic and a
difficulty, `*` for any). Each contestant's attempt has a seed; `build_paper(bank, spec, seed)`
draws the questions, orders them and orders each question's options from that seed alone, so the
paper a contestant saw is rebuilt exactly for an appeal (the same bank version, spec and seed give
the same paper on any machine: Python's `random.Random(int)` is the same everywhere).

A contestant answers in the letters the page showed; `original_answer` turns them into the
bank's letters before the answer key grades them (scoring/question_bank.py `bank_rubric`, the
theory paper's `answer_key` kind). Nothing here stores or times anything (scoring/store/online.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

import pandas as pd

from scoring.decimals import parse_decimal
from scoring.events.theory import grade_wide, question_statistics
from scoring.problems import Problem
from scoring.question_bank import LETTERS, BankQuestion, bank_rubric
from scoring.rubrics.values import read_bool

ANY = "*"
MAX_QUESTIONS_PER_PAPER = 200


@dataclass(frozen=True)
class DrawRule:
    """Draw `count` questions of `topic` and `difficulty` (`*` for any)."""

    topic: str
    difficulty: str
    count: int

    def takes(self, question: BankQuestion) -> bool:
        return self.topic in (ANY, question.topic) and self.difficulty in (ANY, question.difficulty)


@dataclass(frozen=True)
class PaperSpec:
    """A fixed paper (`questions`), or one drawn by `rules`; `shuffle` orders questions and options
    per contestant."""

    questions: tuple[str, ...] = ()
    rules: tuple[DrawRule, ...] = ()
    shuffle: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "questions": list(self.questions),
            "rules": [{"topic": r.topic, "difficulty": r.difficulty, "count": r.count} for r in self.rules],
            "shuffle": self.shuffle,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> PaperSpec:
        return PaperSpec(
            questions=tuple(str(k) for k in data.get("questions", [])),
            rules=tuple(
                DrawRule(str(r["topic"]), str(r["difficulty"]), int(r["count"])) for r in data.get("rules", [])
            ),
            shuffle=bool(data.get("shuffle", True)),
        )


def check_spec(spec: PaperSpec, bank: list[BankQuestion]) -> list[Problem]:
    """What is wrong with a paper's spec against the bank; [] when every contestant can be given it."""
    problems: list[Problem] = []
    keys = {q.key for q in bank}
    if bool(spec.questions) == bool(spec.rules):
        problems.append(
            Problem(
                "试卷须给出题目编号，或给出抽题规则（二者选一）",
                "a paper gives question keys or draw rules, one of them",
                path="questions",
            )
        )
    for key in spec.questions:
        if key not in keys:
            problems.append(Problem(f"题库中没有题目“{key}”", f"the bank has no question '{key}'", path="questions"))
    if len(set(spec.questions)) != len(spec.questions):
        problems.append(Problem("题目编号有重复", "a question key is given twice", path="questions"))
    taken: set[str] = set()
    for i, rule in enumerate(spec.rules, start=1):
        if rule.count < 1:
            problems.append(
                Problem(f"第 {i} 条规则：题数须至少为 1", f"rule {i}: the count must be at least 1", path=f"rules[{i}]")
            )
            continue
        pool = [q.key for q in bank if rule.takes(q) and q.key not in taken]
        if len(pool) < rule.count:
            problems.append(
                Problem(
                    f"第 {i} 条规则要 {rule.count} 道（主题 {rule.topic}，难度 {rule.difficulty}），"
                    f"题库只有 {len(pool)} 道可抽",
                    f"rule {i} wants {rule.count} questions (topic {rule.topic}, difficulty {rule.difficulty}); "
                    f"the bank has {len(pool)} left to draw",
                    path=f"rules[{i}]",
                )
            )
        taken.update(pool[: rule.count])  # the worst case for the next rule: these may all be drawn
    size = len(spec.questions) + sum(r.count for r in spec.rules)
    if size > MAX_QUESTIONS_PER_PAPER:
        problems.append(
            Problem(
                f"一张试卷最多 {MAX_QUESTIONS_PER_PAPER} 道题",
                f"a paper holds at most {MAX_QUESTIONS_PER_PAPER} questions",
            )
        )
    return problems


@dataclass(frozen=True)
class ShownQuestion:
    """A question as one contestant sees it: `order` is the bank's letters in the order shown
    (shown A is `order[0]`); "" for a question without options."""

    key: str
    order: str


@dataclass(frozen=True)
class Paper:
    questions: tuple[ShownQuestion, ...] = field(default_factory=tuple)

    def keys(self) -> list[str]:
        return [q.key for q in self.questions]

    def shown(self, key: str) -> ShownQuestion | None:
        return next((q for q in self.questions if q.key == key), None)


def build_paper(bank: list[BankQuestion], spec: PaperSpec, seed: int) -> Paper:
    """The paper for `seed`: its questions drawn and ordered, and each one's options ordered."""
    rng = random.Random(seed)
    by_key = {q.key: q for q in bank}
    keys = list(spec.questions)
    for rule in spec.rules:
        pool = [q.key for q in bank if rule.takes(q) and q.key not in keys]
        keys.extend(rng.sample(pool, rule.count))
    if spec.shuffle:
        rng.shuffle(keys)
    shown = []
    for key in keys:
        order = list(LETTERS[: len(by_key[key].options)])
        if spec.shuffle:
            rng.shuffle(order)
        shown.append(ShownQuestion(key, "".join(order)))
    return Paper(tuple(shown))


def check_answer(question: BankQuestion, text: str) -> Problem | None:
    """Whether `text` is an answer the page could have sent (blank is: no answer)."""
    text = text.strip()
    if not text:
        return None
    if question.type in ("single", "multiple"):
        shown = LETTERS[: len(question.options)]
        chosen = [c for c in text.upper() if c not in " ,"]
        if not chosen or any(c not in shown for c in chosen) or (question.type == "single" and len(chosen) != 1):
            return Problem(
                f"“{text}”不是 {shown} 中的选项", f"'{text}' is not a choice from {shown}", path=question.key
            )
    elif question.type == "true_false" and read_bool(text) is None:
        return Problem(f"“{text}”须为 true 或 false", f"'{text}' must be true or false", path=question.key)
    elif question.type == "numeric" and parse_decimal(text) is None:
        return Problem(f"“{text}”不是数字", f"'{text}' is not a number", path=question.key)
    return None


def original_answer(shown: ShownQuestion, text: str) -> str:
    """The answer in the bank's letters: shown letter i is the bank's `shown.order[i]`."""
    if not shown.order:
        return text.strip()
    return "".join(sorted(shown.order[LETTERS.index(c)] for c in text.upper() if c in LETTERS[: len(shown.order)]))


@dataclass(frozen=True)
class Graded:
    points: dict[str, Decimal]  # per question of the paper
    total: Decimal
    max_total: Decimal


def grade_papers(bank: list[BankQuestion], sheets: dict[str, tuple[Paper, dict[str, str]]]) -> dict[str, Graded]:
    """Each sheet (an id -> its paper and the answers as shown) graded by the answer key. A
    question left blank earns 0; a question not on a sheet's paper is not counted for it."""
    if not sheets:
        return {}
    asked = sorted({k for paper, _ in sheets.values() for k in paper.keys()})
    by_key = {q.key: q for q in bank}
    rubric = bank_rubric([by_key[k] for k in asked])
    rows = []
    for sheet, (paper, answers) in sheets.items():
        row = {"entry": sheet} | {k: "" for k in asked}
        for q in paper.questions:
            row[q.key] = original_answer(q, answers.get(q.key, ""))
        rows.append(row)
    frame = pd.DataFrame(rows, dtype=object).assign(row=range(2, len(rows) + 2))
    points = grade_wide(rubric, frame, "answers")
    graded = {}
    for sheet, (paper, _) in sheets.items():
        mine: dict[str, Decimal] = {k: cast(Decimal, points.at[sheet, k]) for k in paper.keys()}
        top = sum((Decimal(by_key[k].points) for k in paper.keys()), Decimal(0))
        graded[sheet] = Graded(mine, sum(mine.values(), Decimal(0)), top)
    return graded


def item_statistics(bank: list[BankQuestion], graded: dict[str, Graded]) -> pd.DataFrame:
    """Difficulty and discrimination per question over the sheets that were given it, by the
    theory paper's own statistics (scoring/events/theory.py): each question is analysed with the
    sheets' paper totals ranking its upper and lower groups. Columns: question, sheets,
    difficulty, discrimination."""
    by_key = {q.key: q for q in bank}
    rows = []
    for key in sorted({k for g in graded.values() for k in g.points}):
        had = {s: g for s, g in graded.items() if key in g.points}
        frame = pd.DataFrame(
            {key: [g.points[key] for g in had.values()], "rest": [g.total - g.points[key] for g in had.values()]},
            index=pd.Index(list(had), name="entry"),
            dtype=object,
        )
        stats = question_statistics(frame, bank_rubric([by_key[key]]))  # ranks by key + rest = the paper's total
        rows.append({"question": key, "sheets": len(had)} | stats.iloc[0].drop("question").to_dict())
    return pd.DataFrame(rows, columns=["question", "sheets", "difficulty", "discrimination"])
