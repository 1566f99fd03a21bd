"""Read a TOML file into plain data with exact numbers, and find the line of any field.

`tomllib` gives values but no positions, so `LineIndex` scans the text once and records the
line where each table, array-of-tables element and key starts. A path that is not recorded
(a field inside an inline table, say) falls back to its nearest recorded parent. Floats are
read as Decimal so that `0.1` in a rubric is exactly one tenth.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.problems import InvalidInput, Problem

FieldPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"^\s*((?:[A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*'))*)\s*="
)
_LINE_IN_ERROR = re.compile(r"\(at line (\d+), column (\d+)\)")


def _split_key(text: str) -> list[str]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.\s]+", text)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


class LineIndex:
    """Maps field paths such as ("criteria", 2, "max") to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self.lines: dict[FieldPath, int] = {}
        self._arrays: dict[FieldPath, int] = {}
        current: FieldPath = ()
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                    in_multiline = False
                continue
            header = _HEADER.match(line)
            if header and not line.lstrip().startswith("#"):
                is_array = header.group(1) == "[["
                current = self._resolve(_split_key(header.group(2)), new_element=is_array)
                self.lines.setdefault(current, number)
                if is_array:
                    self.lines.setdefault(current[:-1], number)
                continue
            key = _KEY.match(line)
            if key:
                path = current + tuple(_split_key(key.group(1)))
                self.lines.setdefault(path, number)
                if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                    in_multiline = True

    def _resolve(self, parts: list[str], new_element: bool) -> FieldPath:
        resolved: list[str | int] = []
        for i, part in enumerate(parts):
            resolved.append(part)
            key = tuple(resolved)
            last = i == len(parts) - 1
            if last and new_element:
                index = self._arrays.get(key, -1) + 1
                self._arrays[key] = index
                resolved.append(index)
            elif key in self._arrays:
                resolved.append(self._arrays[key])
        return tuple(resolved)

    def line_of(self, path: FieldPath) -> int | None:
        """The line where `path` is written, or where its nearest written parent is."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None


def format_path(path: FieldPath) -> str:
    """("criteria", 2, "max") -> "criteria[2].max"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass
class TomlDocument:
    """A parsed TOML file with the means to locate its fields."""

    file: str
    data: dict[str, Any]
    index: LineIndex

    def line_of(self, path: FieldPath) -> int | None:
        return self.index.line_of(path)


def load_toml_text(text: str, file: str) -> TomlDocument:
    """Parse TOML text; a syntax error becomes an InvalidInput naming file and line."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        match = _LINE_IN_ERROR.search(str(exc))
        line = int(match.group(1)) if match else None
        message = _LINE_IN_ERROR.sub("", str(exc)).strip()
        raise InvalidInput(
            [
                Problem(
                    zh=f"TOML 语法错误：{message}",
                    en=f"TOML syntax error: {message}",
                    file=file,
                    line=line,
                )
            ]
        ) from None
    except (RecursionError, ValueError) as exc:  # nested thousands deep, an integer of thousands of digits
        kind = "嵌套过深" if isinstance(exc, RecursionError) else "数字过长"
        what = "nested too deeply" if isinstance(exc, RecursionError) else "holds a number too long to read"
        raise InvalidInput([Problem(zh=f"TOML 文件{kind}", en=f"the TOML file {what}", file=file)]) from None
    return TomlDocument(file=file, data=data, index=LineIndex(text))


def load_toml_file(path: str | Path) -> TomlDocument:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput([Problem(zh="文件不存在", en="file not found", file=str(p))]) from None
    except UnicodeDecodeError:
        raise InvalidInput([Problem(zh="文件不是 UTF-8 编码", en="file is not UTF-8 text", file=str(p))]) from None
    return load_toml_text(text, str(p))
