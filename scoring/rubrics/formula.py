"""A small, safe formula language for rubrics, evaluated exactly with Decimal.

Grammar (lowest precedence first):
    expr   := or
    or     := and ("or" and)*
    and    := not ("and" not)*
    not    := "not" not | cmp
    cmp    := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum    := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := "-" unary | atom
    atom   := NUMBER | NAME | NAME "(" args ")" | "(" expr ")" | STRING
Functions: min(a, b, ...), max(a, b, ...), abs(x), round(x, places[, "mode"]), if(cond, then, else).

Values are Decimals, or numpy object arrays of Decimals when one formula is evaluated for many
entries at once; both go through the same code. A division by zero yields NaN for that entry
only, and the caller reports it if it reaches a result. Nothing is ever passed to Python's eval.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from typing import Any

import numpy as np

from scoring.decimals import ROUNDING_MODES, quantize

Value = Any  # Decimal | bool | numpy array of them
Evaluator = Callable[[Mapping[str, Value]], Value]

_TOKEN = re.compile(
    r"\s*(?:(\d+(?:\.\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|[-+*/(),<>])|\"([^\"]*)\"|'([^']*)')"
)
FUNCTIONS = ("min", "max", "abs", "round", "if")
_NAN = Decimal("NaN")


class FormulaError(ValueError):
    """A formula that cannot be read, with the column where reading stopped."""

    def __init__(self, zh: str, en: str, column: int | None = None) -> None:
        self.zh, self.en, self.column = zh, en, column
        where = f" (column {column})" if column is not None else ""
        super().__init__(en + where)


@dataclass
class _Token:
    kind: str  # num, name, op, str, end
    text: str
    column: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match:
            col = pos + len(text[pos:]) - len(text[pos:].lstrip()) + 1
            raise FormulaError(f"第 {col} 列有无法识别的字符", f"unexpected character at column {col}", col)
        column = match.start() + len(match.group(0)) - len(match.group(0).lstrip()) + 1
        if match.group(1):
            tokens.append(_Token("num", match.group(1), column))
        elif match.group(2):
            tokens.append(_Token("name", match.group(2), column))
        elif match.group(3):
            tokens.append(_Token("op", match.group(3), column))
        else:
            tokens.append(_Token("str", match.group(4) if match.group(4) is not None else match.group(5), column))
        pos = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


def _binary(op: Callable[[Value, Value], Value], lhs: Evaluator, rhs: Evaluator) -> Evaluator:
    def evaluate(env: Mapping[str, Value]) -> Value:
        return op(lhs(env), rhs(env))

    return evaluate


def _where(cond: Value, a: Value, b: Value) -> Value:
    if isinstance(cond, np.ndarray) or isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        chosen: Any = np.where(np.asarray(cond, dtype=bool), a, b)
        return np.asarray(chosen, dtype=object)
    return a if cond else b


def _divide(a: Value, b: Value) -> Value:
    if isinstance(b, np.ndarray):
        zero = b == 0
        if zero.any():
            one: Any = Decimal(1)
            nan: Any = _NAN
            safe = np.where(zero, one, b)
            return np.asarray(np.where(zero, nan, a / safe), dtype=object)
        return a / b
    if b == 0:
        return np.full(np.shape(a), _NAN, dtype=object) if isinstance(a, np.ndarray) else _NAN
    return a / b


def _compare(op: str, a: Value, b: Value) -> Value:
    result = {
        "<": lambda: a < b,
        "<=": lambda: a <= b,
        ">": lambda: a > b,
        ">=": lambda: a >= b,
        "==": lambda: a == b,
        "!=": lambda: a != b,
    }[op]()
    return np.asarray(result, dtype=bool) if isinstance(result, np.ndarray) else bool(result)


def _round(value: Value, places: int, mode: str) -> Value:
    if isinstance(value, np.ndarray):
        return np.frompyfunc(lambda v: v if v.is_nan() else quantize(v, places, mode), 1, 1)(value)
    return value if value.is_nan() else quantize(value, places, mode)


@dataclass
class Formula:
    """A parsed formula: its source text, the names it reads, and its evaluator."""

    text: str
    names: set[str] = field(default_factory=set)
    evaluate: Evaluator = field(default=lambda env: Decimal(0), repr=False)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.names: set[str] = set()

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text or tok.kind not in ("op",):
            raise FormulaError(
                f"第 {tok.column} 列应为“{text}”", f"expected '{text}' at column {tok.column}", tok.column
            )

    def parse(self) -> Evaluator:
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise FormulaError(
                f"第 {tok.column} 列多余的“{tok.text}”", f"unexpected '{tok.text}' at column {tok.column}", tok.column
            )
        return node

    def or_(self) -> Evaluator:
        left = self.and_()
        while self.peek().kind == "name" and self.peek().text == "or":
            self.take()
            right, prev = self.and_(), left
            left = _binary(np.logical_or, prev, right)
        return left

    def and_(self) -> Evaluator:
        left = self.not_()
        while self.peek().kind == "name" and self.peek().text == "and":
            self.take()
            right, prev = self.not_(), left
            left = _binary(np.logical_and, prev, right)
        return left

    def not_(self) -> Evaluator:
        if self.peek().kind == "name" and self.peek().text == "not":
            self.take()
            inner = self.not_()
            return lambda env: np.logical_not(inner(env))
        return self.cmp()

    def cmp(self) -> Evaluator:
        left = self.sum()
        tok = self.peek()
        if tok.kind == "op" and tok.text in ("<", "<=", ">", ">=", "==", "!="):
            self.take()
            right = self.sum()
            op = tok.text

            def compare(a: Value, b: Value) -> Value:
                return _compare(op, a, b)

            return _binary(compare, left, right)
        return left

    def sum(self) -> Evaluator:
        left = self.term()
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take().text
            right, prev = self.term(), left
            if op == "+":
                left = _binary(operator.add, prev, right)
            else:
                left = _binary(operator.sub, prev, right)
        return left

    def term(self) -> Evaluator:
        left = self.unary()
        while self.peek().kind == "op" and self.peek().text in "*/":
            op = self.take().text
            right, prev = self.unary(), left
            if op == "*":
                left = _binary(operator.mul, prev, right)
            else:
                left = _binary(_divide, prev, right)
        return left

    def unary(self) -> Evaluator:
        if self.peek().kind == "op" and self.peek().text == "-":
            self.take()
            inner = self.unary()
            return lambda env: -inner(env)
        if self.peek().kind == "op" and self.peek().text == "+":
            self.take()
            return self.unary()
        return self.atom()

    def atom(self) -> Evaluator:
        tok = self.take()
        if tok.kind == "num":
            number = Decimal(tok.text)
            return lambda env: number
        if tok.kind == "op" and tok.text == "(":
            inner = self.or_()
            self.expect(")")
            return inner
        if tok.kind == "name":
            if self.peek().kind == "op" and self.peek().text == "(":
                return self.call(tok)
            if tok.text in FUNCTIONS or tok.text in ("and", "or", "not"):
                raise FormulaError(
                    f"第 {tok.column} 列“{tok.text}”用法不对",
                    f"misplaced '{tok.text}' at column {tok.column}",
                    tok.column,
                )
            self.names.add(tok.text)
            name = tok.text
            return lambda env: env[name]
        where = tok.text or "end of formula"
        raise FormulaError(
            f"第 {tok.column} 列应为数字、名称或括号",
            f"expected a number, name or '(' at column {tok.column}, found {where!r}",
            tok.column,
        )

    def call(self, name_tok: _Token) -> Evaluator:
        name = name_tok.text
        if name not in FUNCTIONS:
            listed = ", ".join(FUNCTIONS)
            raise FormulaError(
                f"未知函数“{name}”；可用：{listed}", f"unknown function '{name}'; functions: {listed}", name_tok.column
            )
        self.expect("(")
        if name == "round":
            value = self.or_()
            self.expect(",")
            places_tok = self.take()
            negative = places_tok.kind == "op" and places_tok.text == "-"
            if negative:
                places_tok = self.take()
            if places_tok.kind != "num" or not places_tok.text.isdigit():
                raise FormulaError("round 的位数必须是整数", "round() places must be a whole number", places_tok.column)
            places = int(places_tok.text) * (-1 if negative else 1)
            mode = "half_up"
            if self.peek().kind == "op" and self.peek().text == ",":
                self.take()
                mode_tok = self.take()
                if mode_tok.kind != "str" or mode_tok.text not in ROUNDING_MODES:
                    listed = ", ".join(ROUNDING_MODES)
                    raise FormulaError(
                        f"舍入方式必须是：{listed}", f"rounding mode must be one of: {listed}", mode_tok.column
                    )
                mode = mode_tok.text
            self.expect(")")
            return lambda env: _round(value(env), places, mode)
        args = [self.or_()]
        while self.peek().kind == "op" and self.peek().text == ",":
            self.take()
            args.append(self.or_())
        self.expect(")")
        wanted = {"abs": 1, "if": 3}.get(name)
        if (wanted and len(args) != wanted) or (name in ("min", "max") and len(args) < 2):
            count = wanted if wanted else "2+"
            raise FormulaError(f"{name} 需要 {count} 个参数", f"{name}() takes {count} arguments", name_tok.column)
        if name == "abs":
            return lambda env: abs(args[0](env))
        if name == "if":
            return lambda env: _where(args[0](env), args[1](env), args[2](env))
        pick_low = name == "min"

        def pick(env: Mapping[str, Value]) -> Value:
            values = [a(env) for a in args]
            return reduce(lambda a, b: _where(_compare("<=" if pick_low else ">=", a, b), a, b), values)

        return pick


def compile_formula(text: str, allowed: set[str] | None = None) -> Formula:
    """Parse `text`; with `allowed`, every name it reads must be one of them."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("公式为空", "formula is empty")
    parser = _Parser(text)
    evaluate = parser.parse()
    if allowed is not None:
        unknown = sorted(parser.names - allowed)
        if unknown:
            listed = ", ".join(sorted(allowed)) or "-"
            raise FormulaError(
                f"公式使用了未定义的名称：{', '.join(unknown)}；可用：{listed}",
                f"formula uses unknown names: {', '.join(unknown)}; names available: {listed}",
            )
    return Formula(text=text, names=parser.names, evaluate=evaluate)
