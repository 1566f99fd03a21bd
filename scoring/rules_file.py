"""Load any rules file on its own and tell which event kind scores it.

A file with a [quiz] table holds quiz rules; a rubric whose every criterion is an answer_key
question is a theory paper; any other rubric is scored as a practical event. `bind_rules_file`
binds the file's kind to its rules with no parameters, as `scoring compute --rubric` scores it.
"""

from __future__ import annotations

from pathlib import Path

from scoring.document import Fields
from scoring.events import PRACTICAL, QUIZ, THEORY, BoundEvent, NoParams
from scoring.events.quiz import QuizRules
from scoring.problems import ProblemCollector
from scoring.rubrics.loader import read_rubric
from scoring.rubrics.model import Rubric
from scoring.tomlsource import TomlDocument, load_toml_file


def kind_of(doc: TomlDocument) -> str:
    if "quiz" in doc.data:
        return "quiz"
    if "competition" in doc.data:
        return "competition"
    return "rubric"


def load_rules_file(path: str | Path) -> tuple[str, Rubric | QuizRules]:
    """(event kind key, rules); raises InvalidInput with every problem."""
    doc = load_toml_file(path)
    problems = ProblemCollector(doc.file)
    top = Fields(doc, doc.data, (), problems)
    if kind_of(doc) == "quiz":
        rules = QUIZ.read_rules(top)
        problems.raise_if_any()
        return "quiz", rules
    rubric = read_rubric(top, doc.file)
    problems.raise_if_any()
    return ("theory" if rubric.is_answer_key else "practical"), rubric


def bind_rules_file(path: str | Path) -> BoundEvent:
    """The file's event kind bound to its rules; raises InvalidInput with every problem."""
    _, rules = load_rules_file(path)
    if isinstance(rules, QuizRules):
        return QUIZ.bind(rules, NoParams())
    return (THEORY if rules.is_answer_key else PRACTICAL).bind(rules, NoParams())
