"""Typed reading of a parsed TOML table that collects every problem with its line and path.

`Fields` wraps one table of a document. Each getter returns a value of the asked type, or a
harmless default after recording a problem, so that a loader can read a whole file and report
every mistake at once. Unknown keys are reported too: a misspelt key must not be silently
ignored. This module knows nothing of rubrics or competitions.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

from scoring.decimals import parse_decimal
from scoring.problems import ProblemCollector
from scoring.tomlsource import FieldPath, TomlDocument, format_path

_MISSING = object()


#: The longest key anything may have (the database's key columns hold 64 characters).
MAX_KEY_LENGTH = 64
#: Every number the rubric and competition language takes lies within these bounds, so that
#: exact arithmetic on it stays within the score context's precision.
MAX_MAGNITUDE = Decimal(1_000_000_000)
MAX_PLACES = 6


def is_key(value: str) -> bool:
    """A stable identifier: ASCII letters, digits, '_' and '-', starting with a letter, at most
    MAX_KEY_LENGTH characters."""
    return (
        bool(value)
        and len(value) <= MAX_KEY_LENGTH
        and value[0].isascii()
        and value[0].isalpha()
        and all(c.isascii() and (c.isalnum() or c in "_-") for c in value)
    )


class Fields:
    """A view of one TOML table at `path` within `doc`, reporting into `problems`."""

    def __init__(self, doc: TomlDocument, table: Any, path: FieldPath, problems: ProblemCollector) -> None:
        self.doc = doc
        self.path = path
        self.problems = problems
        self.used: set[str] = set()
        if isinstance(table, dict):
            self.table: dict[str, Any] = table
        else:
            self.table = {}
            self.error(path, "必须是一个表（table）", "must be a table")

    # -- reporting -------------------------------------------------------
    def error(self, path: FieldPath, zh: builtins.str, en: builtins.str) -> None:
        self.problems.add(zh, en, line=self.doc.line_of(path), path=format_path(path))

    def error_at(self, key: builtins.str, zh: builtins.str, en: builtins.str) -> None:
        self.error(self.path + (key,), zh, en)

    # -- access ----------------------------------------------------------
    def has(self, key: builtins.str) -> builtins.bool:
        return key in self.table

    def raw(self, key: builtins.str, default: Any = _MISSING) -> Any:
        self.used.add(key)
        if key in self.table:
            return self.table[key]
        if default is _MISSING:
            self.error_at(key, "缺少必填字段", "required field is missing")
            return None
        return default

    def str(
        self, key: builtins.str, default: Any = _MISSING, choices: list[builtins.str] | None = None
    ) -> builtins.str:
        value = self.raw(key, default)
        if value is None:
            return "" if default is _MISSING else default
        if not isinstance(value, str) or (default is _MISSING and not value.strip()):
            self.error_at(key, "必须是非空文本", "must be non-empty text")
            return ""
        if choices is not None and value not in choices:
            listed = ", ".join(choices)
            shown = str(value)[:40]
            self.error_at(key, f"取值“{shown}”无效，可选：{listed}", f"'{shown}' is not valid; choose one of: {listed}")
        return value

    def key(self, key: builtins.str = "key") -> builtins.str:
        """A stable identifier: letters, digits, underscore and hyphen, starting with a letter."""
        value = self.str(key)
        if value and not is_key(value):
            shown = value if len(value) <= 40 else value[:40] + "…"
            self.error_at(
                key,
                f"标识“{shown}”只能含字母、数字、下划线和连字符，以字母开头，最多 {MAX_KEY_LENGTH} 个字符",
                f"key '{shown}' may hold only ASCII letters, digits, '_' and '-', starting with a letter, "
                f"at most {MAX_KEY_LENGTH} characters",
            )
        return value

    def text(self, key: builtins.str, default: Any = _MISSING) -> dict[builtins.str, builtins.str]:
        """Bilingual text: {zh = "...", en = "..."} or a plain string used for both."""
        value = self.raw(key, default)
        if value is None or value is default:
            return default if isinstance(default, dict) else {"zh": "", "en": ""}
        if isinstance(value, str):
            return {"zh": value, "en": value}
        if isinstance(value, dict) and isinstance(value.get("zh"), str) and isinstance(value.get("en"), str):
            extra = set(value) - {"zh", "en"}
            if extra:
                self.error_at(
                    key, f"未知语言：{', '.join(sorted(extra))}", f"unknown languages: {', '.join(sorted(extra))}"
                )
            return {"zh": value["zh"], "en": value["en"]}
        self.error_at(key, '必须是文本，或 {zh = "…", en = "…"}', 'must be text, or {zh = "…", en = "…"}')
        return {"zh": "", "en": ""}

    def decimal(
        self,
        key: builtins.str,
        default: Any = _MISSING,
        *,
        minimum: Decimal | None = None,
        positive: builtins.bool = False,
    ) -> Decimal:
        """A number; None (after recording the problem) when a required one is missing or invalid."""
        value = self.raw(key, default)
        if value is None or value is default:
            return cast(Decimal, None if default is _MISSING else default)
        number = parse_decimal(value)
        if number is None:
            self.error_at(key, f"必须是数字，而不是 {str(value)[:40]!r}", f"must be a number, not {str(value)[:40]!r}")
            return cast(Decimal, None if default is _MISSING else default)
        if abs(number) > MAX_MAGNITUDE or -number.as_tuple().exponent > MAX_PLACES:  # type: ignore[operator]
            self.error_at(
                key,
                f"数字超出范围：绝对值不超过 {MAX_MAGNITUDE:,}，小数不超过 {MAX_PLACES} 位",
                f"the number is out of bounds: at most {MAX_MAGNITUDE:,} in size and {MAX_PLACES} decimal places",
            )
            return cast(Decimal, None if default is _MISSING else default)
        if positive and number <= 0:
            self.error_at(key, f"必须大于 0（现为 {number}）", f"must be greater than 0 (is {number})")
        if minimum is not None and number < minimum:
            self.error_at(key, f"不能小于 {minimum}（现为 {number}）", f"must be at least {minimum} (is {number})")
        return number

    def int(self, key: builtins.str, default: Any = _MISSING, *, minimum: builtins.int | None = None) -> builtins.int:
        value = self.raw(key, default)
        if value is None or value is default:
            return cast(builtins.int, (minimum or 0) if default is _MISSING else default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error_at(
                key, f"必须是整数，而不是 {str(value)[:40]!r}", f"must be a whole number, not {str(value)[:40]!r}"
            )
            return minimum or 0
        if abs(value) > MAX_MAGNITUDE:
            self.error_at(
                key,
                f"整数超出范围：绝对值不超过 {MAX_MAGNITUDE:,}",
                f"the number is out of bounds: at most {MAX_MAGNITUDE:,}",
            )
            return minimum or 0
        if minimum is not None and value < minimum:
            self.error_at(key, f"不能小于 {minimum}（现为 {value}）", f"must be at least {minimum} (is {value})")
        return value

    def bool(self, key: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            self.error_at(key, "必须是 true 或 false", "must be true or false")
            return default
        return value

    def table_of(self, key: builtins.str, required: builtins.bool = False) -> Fields | None:
        value = self.raw(key, _MISSING if required else None)
        if value is None:
            return None
        return Fields(self.doc, value, self.path + (key,), self.problems)

    def tables(self, key: builtins.str, required: builtins.bool = False) -> Iterator[Fields]:
        """Each table of an array of tables, with its own path."""
        value = self.raw(key, _MISSING if required else [])
        if value is None:
            return
        if not isinstance(value, list):
            self.error_at(key, "必须是表的数组（[[…]]）", "must be an array of tables ([[…]])")
            return
        if required and not value:
            self.error_at(key, "至少需要一项", "needs at least one entry")
        for i, item in enumerate(value):
            yield Fields(self.doc, item, self.path + (key, i), self.problems)

    def list_of_str(self, key: builtins.str, default: Any = _MISSING) -> list[builtins.str]:
        value = self.raw(key, default)
        if value is None or value is default:
            return list(default) if isinstance(default, list) else []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error_at(key, "必须是文本的数组", "must be an array of text")
            return []
        return list(value)

    def finish(self) -> None:
        """Report keys that no getter asked for: they are misspelt or do not belong here."""
        for key in self.table:
            if key not in self.used:
                known = ", ".join(sorted(self.used)) or "-"
                self.error_at(
                    key, f"未知字段“{key}”；此处可用：{known}", f"unknown field '{key}'; fields allowed here: {known}"
                )
