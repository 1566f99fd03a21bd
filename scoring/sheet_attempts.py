"""Score sheets of a rubric with several attempts (a diver's five dives, a drill's two timed
runs): marks keyed "attempt/criterion" ("2/award"), marked and submitted attempt by attempt.

The rules, applied by scoring/sheet_rules.py and scoring/store/sheets.py:
- every key names an attempt 1..count and a criterion judges mark; a plain criterion key is
  refused (the long form of scoring/marks.py needs the attempt), except a criterion of the
  rubric's part marked once per entry (`[entry]`: a skater's programme components), which is
  keyed by the criterion alone, as its rows in the long form have an empty attempt;
- a complete sheet (submit, correct, transcribe) holds attempts 1..k for some k >= 1, each with
  every criterion marked (vetoes only when called): contiguous from the first, never a gap;
- a judge may submit again a sheet already submitted when the submission only adds the next
  attempt(s) and leaves every earlier attempt's marks exactly as submitted. Earlier attempts
  change only through the chief judge's return or correction.
- the per-entry part comes after the attempts, all of it at once: a complete sheet holds every
  per-entry criterion or none, and holds it only with all the attempts (with "up to N", at least
  the rubric's `min`). Once submitted it closes the sheet for the judge: nothing is added after
  it. The lock waits for it (judges/locking.py).
The counted marks are the submitted attempts: a sheet's latest submitted version holds them.

Pure: no storage, no web. A rubric with one attempt never comes here.
"""

from __future__ import annotations

from dataclasses import replace

from scoring.problems import Problem
from scoring.rubrics.model import Criterion, Rubric


def split_attempt(key: str) -> tuple[int | None, str]:
    """The attempt and the criterion of a mark's key ("2/award" -> (2, "award")); the attempt is
    None when the key names none, or not as a plain whole number."""
    attempt, slash, criterion = key.partition("/")
    if not slash or not attempt.isascii() or not attempt.isdigit() or attempt != str(int(attempt)):
        return None, key
    return int(attempt), criterion


def mark_problem(criterion: Criterion | None, name: str, raw: str, path: str) -> Problem | None:
    """What is wrong with one mark of the criterion named `name` (None when it is valid), at `path`."""
    if criterion is None:
        return Problem(
            f"评分表中没有评分项“{name}”", f"'{name}' is not a criterion judges mark in this rubric", path=path
        )
    result = criterion.kind.convert(str(raw))
    return replace(result, path=path) if isinstance(result, Problem) else None


def attempts_in(marks: dict[str, str]) -> set[int]:
    """The attempts a sheet's marks touch."""
    return {a for a in (split_attempt(k)[0] for k in marks) if a is not None}


def check_attempt_marks(rubric: Rubric, marks: dict[str, str], complete: bool) -> list[Problem]:
    """Problems with the marks of a sheet of a rubric with attempts, each with its key as path."""
    count = rubric.attempts.count
    criteria = {c.key: c for c in rubric.criteria() if not c.official}
    once = entry_criteria(rubric)
    problems: list[Problem] = []
    for key, raw in marks.items():
        attempt, name = split_attempt(key)
        if attempt is None and key in once:
            problem = mark_problem(once[key], key, raw, key)
            if problem is not None:
                problems.append(problem)
            continue
        if attempt is None or not 1 <= attempt <= count:
            problems.append(
                Problem(
                    f"“{key}”须写作“次序/评分项”，次序为 1 到 {count}（如 1/{next(iter(criteria), 'x')}）",
                    f"'{key}' must be 'attempt/criterion' with an attempt from 1 to {count} "
                    f"(like 1/{next(iter(criteria), 'x')})",
                    path=key,
                )
            )
            continue
        problem = mark_problem(criteria.get(name), name, raw, key)
        if problem is not None:
            problems.append(problem)
    if complete:
        last = max(attempts_in(marks) | {1})
        for attempt in range(1, last + 1):
            for name, criterion in criteria.items():
                if f"{attempt}/{name}" not in marks and not criterion.is_veto:
                    problems.append(Problem("尚未评分", "not marked yet", path=f"{attempt}/{name}"))
        problems += _check_entry_part(rubric, marks, once)
    return problems


def entry_criteria(rubric: Rubric) -> dict[str, Criterion]:
    """The criteria judges mark once per entry (the `[entry]` part), by key; none without one."""
    part = rubric.entry_part
    return {} if part is None else {c.key: c for c in part.criteria() if not c.official}


def attempts_before_entry_part(rubric: Rubric) -> int:
    """How many attempts a sheet holds before its per-entry part may be submitted: all of them,
    or with "up to N" the rubric's `min`."""
    return rubric.attempts.fewest if rubric.attempts.variable else rubric.attempts.count


def has_entry_part(marks: dict[str, str]) -> bool:
    """Whether a sheet of a rubric with attempts holds per-entry marks (keys with no attempt)."""
    return any(split_attempt(key)[0] is None for key in marks)


def _check_entry_part(rubric: Rubric, marks: dict[str, str], once: dict[str, Criterion]) -> list[Problem]:
    """A complete sheet's per-entry part: all of it or none, and only after the attempts."""
    given = [key for key in marks if key in once]
    if not given:
        return []
    problems = [
        Problem(
            "尚未评分（按参赛对象评的部分须一次评完）",
            "not marked yet (the per-entry part is marked all at once)",
            path=key,
        )
        for key, criterion in once.items()
        if key not in marks and not criterion.is_veto
    ]
    needed, held = attempts_before_entry_part(rubric), max(attempts_in(marks), default=0)
    if held < needed:
        least = f"至少 {needed}" if rubric.attempts.variable else f"全部 {needed}"
        how = "at least" if rubric.attempts.variable else "all"
        problems.append(
            Problem(
                f"按参赛对象评的部分在各次之后评：须先评完{least}次（现为 {held} 次）",
                f"the per-entry part comes after the attempts: mark {how} {needed} attempts first ({held} so far)",
                path=given[0],
            )
        )
    return problems


def check_added_attempts(before: dict[str, str], after: dict[str, str]) -> list[Problem]:
    """Problems with a judge's submission on a sheet already submitted: it must add at least one
    attempt after the last one submitted, or the per-entry part, and leave every submitted
    attempt's marks as they are; after the per-entry part nothing is added."""
    done = max(attempts_in(before), default=0)
    if has_entry_part(before):
        return [
            Problem(
                "按参赛对象评的部分已提交，本评分表已评完；如需更正请找裁判长",
                "the per-entry part is submitted, so the sheet is complete; the chief judge corrects it",
                path=next(key for key in before if split_attempt(key)[0] is None),
            )
        ]
    problems: list[Problem] = []
    for key in sorted(set(before) | set(after)):
        attempt, _ = split_attempt(key)
        if attempt is not None and attempt <= done and before.get(key) != after.get(key):
            problems.append(
                Problem(
                    f"第 {attempt} 次已提交，不能再改；如需更正请找裁判长",
                    f"attempt {attempt} is submitted and cannot change here; the chief judge corrects it",
                    path=key,
                )
            )
    if not problems and max(attempts_in(after), default=0) <= done and not has_entry_part(after):
        problems.append(
            Problem(
                f"已提交到第 {done} 次；请评下一次（第 {done + 1} 次）后再提交",
                f"attempts up to {done} are submitted; mark the next one ({done + 1}) to submit again",
                path=f"{done + 1}/",
            )
        )
    return problems
