"""Load any rules file on its own and tell which event kind scores it.

A file with a [quiz] table holds quiz rules; a rubric whose every criterion is an answer_key
question is a theory paper; any other rubric is scored as a practical event.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scoring.document import Fields
from scoring.events import EVENT_KINDS
from scoring.problems import ProblemCollector
from scoring.rubrics.loader import read_rubric
from scoring.tomlsource import TomlDocument, load_toml_file


def kind_of(doc: TomlDocument) -> str:
    if "quiz" in doc.data:
        return "quiz"
    if "competition" in doc.data:
        return "competition"
    return "rubric"


def load_rules_file(path: str | Path) -> tuple[str, Any]:
    """(event kind key, rules); raises InvalidInput with every problem."""
    doc = load_toml_file(path)
    problems = ProblemCollector(doc.file)
    top = Fields(doc, doc.data, (), problems)
    if kind_of(doc) == "quiz":
        rules = EVENT_KINDS["quiz"].read_rules(top)
        problems.raise_if_any()
        return "quiz", rules
    rubric = read_rubric(top, doc.file)
    problems.raise_if_any()
    return ("theory" if rubric.is_answer_key else "practical"), rubric
