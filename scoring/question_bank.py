"""An online question bank (题库) read from CSV or XLSX: every row checked, all or nothing.

Columns (English or Chinese headers, `HEADERS`): key 编号, type 题型 (single 单选, multiple 多选,
true_false 判断, numeric 数值), question 题目 and question_en 英文题目, options 选项 and options_en
英文选项 (the choices in order, separated by "|": the first is A), answer 答案 (letters, 对/错, or
a number), explanation 解析 and explanation_en, topic 主题, difficulty 难度 (easy 易, medium 中,
hard 难), and optionally points 分值 (default 1), tolerance 误差 (a numeric question's) and
partial_points 部分分 (what a multiple choice earns for some right options and no wrong one).

The file is read by the bounded reader (scoring/tables.py). A bad row never stops the check: every
problem is collected with its row, its column and what would be valid, and a bank with any
problem is refused whole. A good bank becomes an answer-key rubric (`bank_rubric`), so a paper is
graded by the same criterion kind as a theory paper (scoring/rubrics/answer_key.py) and analysed by
the same item statistics. Drawing papers from the bank is scoring/online_papers.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.decimals import parse_decimal
from scoring.document import is_key
from scoring.problems import InvalidInput, ProblemCollector
from scoring.rubrics.loader import load_rubric_document
from scoring.rubrics.model import Rubric
from scoring.rubrics.values import read_bool
from scoring.tables import read_table
from scoring.tomlsource import LineIndex, TomlDocument

CHINESE = {
    "key": "编号",
    "type": "题型",
    "question": "题目",
    "question_en": "英文题目",
    "options": "选项",
    "options_en": "英文选项",
    "answer": "答案",
    "explanation": "解析",
    "explanation_en": "英文解析",
    "topic": "主题",
    "difficulty": "难度",
    "points": "分值",
    "tolerance": "误差",
    "partial_points": "部分分",
}
HEADERS = {header: column for column, zh in CHINESE.items() for header in (column, zh)}
REQUIRED = ["key", "type", "question", "answer", "topic", "difficulty"]
TYPES = {"single": "single", "单选": "single", "multiple": "multiple", "多选": "multiple"} | {
    "true_false": "true_false",
    "判断": "true_false",
    "numeric": "numeric",
    "数值": "numeric",
}
DIFFICULTIES = {"easy": "easy", "易": "easy", "medium": "medium", "中": "medium", "hard": "hard", "难": "hard"}
LETTERS = "ABCDEFGH"
MAX_QUESTIONS = 5000


@dataclass(frozen=True)
class BankQuestion:
    """One checked question. `options` are the choices in order (A first), each {"zh", "en"}."""

    key: str
    type: str
    text: dict[str, str]
    options: list[dict[str, str]]
    answer: str  # letters (sorted), "true"/"false", or a number
    explanation: dict[str, str]
    topic: str
    difficulty: str
    points: str
    tolerance: str = "0"
    partial_points: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> BankQuestion:
        return BankQuestion(**data)


def _label(column: str) -> tuple[str, str]:
    return f"{CHINESE[column]}（{column}）", column


def read_bank(path: str | Path, source: str | None = None) -> list[BankQuestion]:
    """Every question of the file, checked; InvalidInput naming every bad row and column."""
    frame = read_table(path)
    problems = ProblemCollector(source or Path(path).name)
    renamed: dict[str, str] = {}
    for header in frame.columns:
        column = HEADERS.get(str(header).strip().lower()) or HEADERS.get(str(header).strip())
        if column is None:
            continue
        if column in renamed.values():
            problems.add(f"列 {CHINESE[column]} 出现了两次", f"column '{column}' is given twice", line=1, path=column)
        renamed[str(header)] = column
    for column in REQUIRED:
        if column not in renamed.values():
            zh_all, en_all = "、".join(CHINESE[c] for c in REQUIRED), ", ".join(REQUIRED)
            problems.add(
                f"缺少列 {CHINESE[column]}；题库必须有列：{zh_all}",
                f"missing column '{column}'; a bank needs the columns {en_all}",
                line=1,
                path=column,
            )
    problems.raise_if_any()
    frame = frame.rename(columns=renamed)
    if len(frame) > MAX_QUESTIONS:
        problems.add(f"题目超过 {MAX_QUESTIONS} 道（上限）", f"more than {MAX_QUESTIONS} questions (the limit)")
        problems.raise_if_any()
    seen: dict[str, int] = {}
    questions = []
    for record in frame.fillna("").to_dict("records"):
        cells = {c: str(record.get(c, "")).strip() for c in CHINESE}
        question = _check_row(int(record["row"]), cells, seen, problems)
        if question is not None:
            questions.append(question)
    if not frame.shape[0]:
        problems.add("题库没有题目", "the bank has no questions")
    problems.raise_if_any()
    bank_rubric(questions)  # the answer-key kind agrees with every row (a bug here, not the file's)
    return questions


def _check_row(
    row: int, cells: dict[str, str], seen: dict[str, int], problems: ProblemCollector
) -> BankQuestion | None:
    before = len(problems.problems)

    def bad(column: str, zh: str, en: str) -> None:
        problems.add(f"{CHINESE[column]}：{zh}", f"{column}: {en}", row=row, path=column)

    for column in REQUIRED:
        if not cells[column]:
            bad(column, "为空", "is empty")
    key = cells["key"]
    if key and not is_key(key):
        bad(
            "key",
            f"“{key}”只能含字母、数字、_ 和 -，且以字母开头",
            f"'{key}' may hold only ASCII letters, digits, '_' and '-', starting with a letter",
        )
    elif key in seen:
        bad("key", f"“{key}”与第 {seen[key]} 行重复", f"'{key}' repeats row {seen[key]}")
    elif key:
        seen[key] = row
    kind = TYPES.get(cells["type"].lower()) if cells["type"] else None
    if cells["type"] and kind is None:
        bad(
            "type",
            f"“{cells['type']}”无效；可用：单选、多选、判断、数值",
            f"'{cells['type']}' is not valid; types: single, multiple, true_false, numeric",
        )
    difficulty = DIFFICULTIES.get(cells["difficulty"].lower())
    if cells["difficulty"] and difficulty is None:
        bad(
            "difficulty",
            f"“{cells['difficulty']}”无效；可用：易、中、难",
            f"'{cells['difficulty']}' is not valid; difficulties: easy, medium, hard",
        )
    points = parse_decimal(cells["points"] or "1")
    if points is None or points <= 0:
        bad("points", f"“{cells['points']}”不是正数", f"'{cells['points']}' is not a positive number")
    zh_options = [o.strip() for o in cells["options"].split("|")] if cells["options"] else []
    en_options = [o.strip() for o in cells["options_en"].split("|")] if cells["options_en"] else []
    answer = cells["answer"]
    tolerance = partial = ""
    if kind in ("single", "multiple"):
        if not 2 <= len(zh_options) <= len(LETTERS) or any(not o for o in zh_options):
            bad(
                "options",
                f"选择题须有 2 到 {len(LETTERS)} 个非空选项，以 | 分隔",
                f"a choice question needs 2 to {len(LETTERS)} non-empty options separated by |",
            )
        if en_options and len(en_options) != len(zh_options):
            bad(
                "options_en",
                f"英文选项有 {len(en_options)} 个，中文选项有 {len(zh_options)} 个",
                f"{len(en_options)} English options for {len(zh_options)} Chinese ones",
            )
        allowed = LETTERS[: len(zh_options)]
        chosen = [c for c in answer.upper() if c not in " ,，、;/|"]
        if answer and (
            not chosen
            or any(c not in allowed for c in chosen)
            or len(set(chosen)) != len(chosen)
            or (kind == "single" and len(chosen) != 1)
        ):
            what = "一个字母" if kind == "single" else "若干不重复的字母"
            bad(
                "answer",
                f"“{answer}”须为 {allowed} 中的{what}",
                f"'{answer}' must be {'one letter' if kind == 'single' else 'distinct letters'} from {allowed}",
            )
        answer = "".join(sorted(set(chosen)))
        if cells["partial_points"]:
            part = parse_decimal(cells["partial_points"])
            if kind != "multiple" or part is None or part <= 0 or (points is not None and part >= points):
                bad(
                    "partial_points",
                    "只用于多选题，且须为小于分值的正数",
                    "only for a multiple choice, a positive number below its points",
                )
            partial = cells["partial_points"]
    elif kind == "true_false":
        said = read_bool(answer) if answer else None
        if answer and said is None:
            bad("answer", f"“{answer}”须为 对 或 错（true/false）", f"'{answer}' must be true or false (对/错)")
        answer = "true" if said else "false"
    elif kind == "numeric":
        if answer and parse_decimal(answer) is None:
            bad("answer", f"“{answer}”不是数字", f"'{answer}' is not a number")
        tolerance = cells["tolerance"] or "0"
        value = parse_decimal(tolerance)
        if value is None or value < 0:
            bad("tolerance", f"“{tolerance}”须为不小于 0 的数", f"'{tolerance}' must be a number of at least 0")
    if len(problems.problems) > before or kind is None or difficulty is None:
        return None
    return BankQuestion(
        key=key,
        type=kind,
        text={"zh": cells["question"], "en": cells["question_en"] or cells["question"]},
        options=[{"zh": zh, "en": en_options[i] if en_options else zh} for i, zh in enumerate(zh_options)]
        if kind in ("single", "multiple")
        else [],
        answer=answer,
        explanation={"zh": cells["explanation"], "en": cells["explanation_en"] or cells["explanation"]},
        topic=cells["topic"],
        difficulty=difficulty,
        points=cells["points"] or "1",
        tolerance=tolerance or "0",
        partial_points=partial,
    )


def bank_rubric(questions: list[BankQuestion]) -> Rubric:
    """The bank as an answer-key rubric (one criterion per question, by key), so grading and item
    analysis are the theory paper's own."""
    criteria: list[dict[str, Any]] = []
    for q in questions:
        criterion: dict[str, Any] = {
            "key": q.key,
            "title": {"zh": q.text["zh"][:200], "en": q.text["en"][:200]},
            "kind": "answer_key",
            "type": q.type,
            "answer": q.answer,
            "points": Decimal(q.points),
        }
        if q.type in ("single", "multiple"):
            criterion["options"] = LETTERS[: len(q.options)]
        if q.type == "numeric":
            criterion["tolerance"] = Decimal(q.tolerance)
        if q.partial_points:
            criterion |= {"partial": "subset", "partial_points": Decimal(q.partial_points)}
        criteria.append(criterion)
    data = {"key": "online_bank", "title": {"zh": "题库", "en": "Question bank"}, "criteria": criteria}
    if not criteria:
        raise InvalidInput([])
    return load_rubric_document(TomlDocument(file="bank", data=data, index=LineIndex("")))
