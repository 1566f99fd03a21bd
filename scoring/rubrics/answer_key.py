"""The answer_key criterion kind: a theory question graded against its key.

Single choice, multiple choice (with partial credit by rule), true or false, and numeric
within a tolerance. A blank answer scores 0; an answer that is not a valid choice is refused.
Grading many sheets at once is scoring/events/theory.py; this is one answer.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from scoring.decimals import parse_decimal
from scoring.document import Fields
from scoring.problems import Problem
from scoring.rubrics.criteria import Converted, CriterionKind
from scoring.rubrics.inputs import AnswerField, TabletInput
from scoring.rubrics.values import read_bool


class AnswerKeyKind(CriterionKind):
    """A theory question graded against its key: single choice, multiple choice (partial credit by
    rule), true or false, or numeric within a tolerance. A blank answer scores 0."""

    key = "answer_key"
    official = True
    TYPES: ClassVar[list[str]] = ["single", "multiple", "true_false", "numeric"]
    PARTIAL: ClassVar[list[str]] = ["none", "subset", "per_option"]

    def __init__(self, f: Fields, lower_is_better: bool) -> None:
        super().__init__(f, lower_is_better)
        self.type = f.str("type", choices=self.TYPES)
        self.points = f.decimal("points", positive=True)
        self.options = f.str("options", "ABCD").upper()
        self.partial = f.str("partial", "none", choices=self.PARTIAL) if self.type == "multiple" else "none"
        self.partial_points = f.decimal("partial_points", None, positive=True) if self.partial == "subset" else None
        self.per_option = f.decimal("per_option", None, positive=True) if self.partial == "per_option" else None
        if self.partial == "subset" and self.partial_points is None:
            f.error_at(
                "partial_points", 'partial = "subset" 需要 partial_points', 'partial = "subset" needs partial_points'
            )
        if self.partial == "per_option" and self.per_option is None:
            f.error_at(
                "per_option", 'partial = "per_option" 需要 per_option', 'partial = "per_option" needs per_option'
            )
        answer = f.raw("answer")
        self.tolerance = Decimal(0)
        self.answer_set: frozenset[str] = frozenset()
        self.answer_bool: bool | None = None
        self.answer_number: Decimal | None = None
        if self.type in ("single", "multiple"):
            letters = self.letters(str(answer)) if answer is not None else None
            if not letters or (self.type == "single" and len(letters) != 1):
                f.error_at(
                    "answer", f"答案必须是 {self.options} 中的字母", f"answer must be letters from {self.options}"
                )
            else:
                self.answer_set = letters
        elif self.type == "true_false":
            self.answer_bool = answer if isinstance(answer, bool) else read_bool(str(answer))
            if self.answer_bool is None:
                f.error_at("answer", "判断题答案必须是 true 或 false", "a true/false answer must be true or false")
        elif self.type == "numeric":
            self.answer_number = parse_decimal(answer)
            if self.answer_number is None:
                f.error_at("answer", "数值题答案必须是数字", "a numeric answer must be a number")
            self.tolerance = f.decimal("tolerance", Decimal(0), minimum=Decimal(0))

    def letters(self, raw: str) -> frozenset[str] | None:
        chosen = [c for c in raw.upper() if c not in " ,，、;/|"]
        if any(c not in self.options for c in chosen):
            return None
        return frozenset(chosen)

    def convert(self, raw: str) -> Converted:
        text = raw.strip()
        if not text:
            return Decimal(0)
        if self.type in ("single", "multiple"):
            chosen = self.letters(text)
            if chosen is None or (self.type == "single" and len(chosen) > 1):
                kind = "一个" if self.type == "single" else "若干"
                return Problem(
                    f"“{raw}”不是 {self.options} 中的{kind}选项",
                    f"'{raw}' is not a valid choice from {self.options}",
                )
            if chosen == self.answer_set:
                return self.points
            if self.partial == "subset" and chosen < self.answer_set and self.partial_points is not None:
                return self.partial_points
            if self.partial == "per_option" and chosen < self.answer_set and self.per_option is not None:
                return self.per_option * len(chosen)
            return Decimal(0)
        if self.type == "true_false":
            said = read_bool(text)
            if said is None:
                return Problem(f"“{raw}”不是 对/错", f"'{raw}' is not true/false (对/错, T/F, 1/0)")
            return self.points if said == self.answer_bool else Decimal(0)
        number = parse_decimal(text)
        if number is None:
            return Problem(f"“{raw}”不是数字", f"'{raw}' is not a number")
        assert self.answer_number is not None
        return self.points if abs(number - self.answer_number) <= self.tolerance else Decimal(0)

    def tablet_input(self) -> TabletInput:
        return AnswerField()

    def max_points(self) -> Decimal:
        return self.points

    def describe(self) -> str:
        return f"answer key ({self.type})"
