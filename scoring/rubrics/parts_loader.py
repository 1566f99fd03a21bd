"""Reading a rubric's two parts: how many attempts it has (`attempts`), and what it scores once
per entry (`[entry]`).

`attempts = { count = 5 }` demands five attempts of every entry, as it always has. `attempts =
{ up_to = 13, min = 11, missing = "skip" }` lets an entry make from `min` (default 1) to 13, and
says what an attempt it did not make means: "zero" (it scores 0), "skip" (it is not counted) or
"error" (it must be made, which is `count`). An `[entry]` table holds parameters, sections and
criteria marked once per entry and a formula that combines them with `attempts`, the entry's
attempts combined. Both are checked here, every problem with its field; scoring is elsewhere
(scoring/rubrics/attempts.py, entry_parts.py). Called by loader.py only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoring.document import Fields
from scoring.rubrics.formula import FormulaError, compile_formula
from scoring.rubrics.model import ATTEMPT_COMBINES, ATTEMPT_MISSING, Attempts, Rubric

if TYPE_CHECKING:
    from scoring.rubrics.loader import _RubricReader

#: The name a per-entry formula reads for the entry's attempts combined.
ATTEMPTS_NAME = "attempts"
#: The most attempts a rubric may have (a shooting qualification has 60 shots): the engine lists
#: each entry's attempts not made, so the number is bounded.
MAX_ATTEMPTS = 1000


def _at_most(f: Fields, key: str, value: int) -> int:
    if value > MAX_ATTEMPTS:
        f.error_at(key, f"最多 {MAX_ATTEMPTS} 次", f"at most {MAX_ATTEMPTS} attempts")
        return MAX_ATTEMPTS
    return value


def read_attempts(top: Fields, lower_is_better: bool) -> Attempts:
    """The `attempts` table, or one attempt when there is none."""
    f = top.table_of("attempts")
    if f is None:
        return Attempts()
    combine = f.str("combine", "sum", choices=ATTEMPT_COMBINES)
    best_n = f.int("n", 1, minimum=1)
    if f.has("count") == f.has("up_to"):
        f.error_at(
            "count",
            "须给出 count（每个参赛对象都做满的次数）或 up_to（最多的次数）之一",
            "give one of count (every entry makes that many attempts) or up_to (at most that many)",
        )
    if f.has("count"):
        count = _at_most(f, "count", f.int("count", 1, minimum=1))
        for extra in ("min", "missing"):
            if f.has(extra):
                f.error_at(
                    extra,
                    f"{extra} 只能与 up_to 一起使用（count 表示每次都必须完成）",
                    f"{extra} goes with up_to (count means every attempt must be made)",
                )
        attempts = Attempts(count=count, combine=combine, best_n=best_n)
    else:
        attempts = _up_to(f, combine, best_n, lower_is_better)
    if combine == "best_n" and best_n > attempts.count:
        f.error_at("n", "n 不能大于试次数 count", "n cannot exceed the number of attempts")
    f.finish()
    return attempts


def _up_to(f: Fields, combine: str, best_n: int, lower_is_better: bool) -> Attempts:
    count = _at_most(f, "up_to", f.int("up_to", 1, minimum=1))
    listed = ", ".join(ATTEMPT_MISSING)
    if not f.has("missing"):
        f.error_at(
            "missing",
            f"up_to 须说明未完成的试次如何计：missing = {listed}",
            f'with up_to, say what an attempt not made means: missing = "zero", "skip" or "error" ({listed})',
        )
    missing = f.str("missing", "error", choices=ATTEMPT_MISSING)
    least = f.int("min", count if missing == "error" else 1, minimum=1)
    if least > count:
        f.error_at("min", "min 不能大于 up_to", "min cannot exceed up_to")
        least = count
    if missing == "error" and least != count:
        f.error_at(
            "min",
            'missing = "error" 表示每次都必须完成，min 须等于 up_to（或改用 "zero"/"skip"）',
            'missing = "error" means every attempt must be made: min must equal up_to (or use "zero" or "skip")',
        )
    if missing == "zero" and lower_is_better:
        f.error_at(
            "missing",
            '低分者胜时未完成的试次不能记 0 分（0 会是最好成绩）；请用 "skip" 或 "error"',
            'where lower is better an attempt not made cannot score 0 (it would be the best); use "skip" or "error"',
        )
    if combine == "best_n" and missing == "skip" and least < best_n:
        f.error_at(
            "min",
            f"取最好 {best_n} 次且未完成的不计时，min 至少为 {best_n}",
            f"with the best {best_n} counted and attempts not made skipped, min must be at least {best_n}",
        )
    return Attempts(count=count, combine=combine, best_n=best_n, least=least, missing=missing)


def read_entry_part(reader: _RubricReader, top: Fields, rubric: Rubric) -> Rubric | None:
    """The `[entry]` table as a rubric of one attempt, or None when there is none. Its keys
    share one namespace with the attempts' (a marks row names a criterion by its key alone)."""
    f = top.table_of("entry")
    if f is None:
        return None
    parameters = [reader.parameter(p) for p in f.tables("parameters")]
    part = Rubric(
        key=rubric.key,
        title=rubric.title,
        children=reader.children(f),
        lower_is_better=rubric.lower_is_better,
        parameters=parameters,
        attempt_rounding=rubric.total_rounding,  # the entry's score is its total: rounded once, here
        file=rubric.file,
    )
    if not part.children:
        f.error_at("criteria", "[entry] 至少需要一个评分项", "[entry] needs at least one criterion or section")
    if rubric.panel_on == "total":
        top.error_at(
            "entry",
            'panel_on = "total" 时不能有按参赛对象评的部分 [entry]',
            'a rubric with panel_on = "total" cannot have an [entry] part',
        )
    if ATTEMPTS_NAME in reader.keys:
        reader.keys[ATTEMPTS_NAME].error_at(
            "key",
            f"有 [entry] 时“{ATTEMPTS_NAME}”是各次合计的名称，不能作标识",
            f"with an [entry] part, '{ATTEMPTS_NAME}' names the attempts combined and cannot be a key",
        )
    names = {c.key for c in part.criteria()} | {s.key for s in part.sections()} | {p.key for p in parameters}
    names |= {ATTEMPTS_NAME, "total"}
    text = f.str("formula", f"{ATTEMPTS_NAME} + total")
    try:
        part.formula = compile_formula(text, names)
    except FormulaError as exc:
        f.error_at("formula", exc.zh, exc.en)
    f.finish()
    return part
