"""Score sheets: one judge's marks for one entry, and the rules for changing them.

A sheet is a sequence of versions; each save, submit, return, correction or lock is a new
version. This module holds the pure rules: the states, which action may move a sheet from
which state and by whom, and the check of a sheet's marks against the rubric. Storing the
versions (append-only, idempotent, refusing stale writes) is scoring/store/sheets.py.

States and transitions:
    (new), draft, returned --save (judge)--> draft
    (new), draft, returned --submit (judge)--> submitted      every criterion must be marked
    submitted --submit (judge)--> submitted   a rubric with attempts only: the next attempt(s)
                                               added, earlier ones unchanged (scoring/sheet_attempts.py)
    submitted --return (chief judge, reason)--> returned
    submitted --correct (chief judge, reason)--> submitted    the marks change, audited
    (new), draft, returned --transcribe (chief judge)--> submitted   paper marks typed in
    submitted --lock (chief judge)--> locked                  no change after this...
    locked --return or correct (chief judge, reason)--> returned or submitted
                                 ...unless the organiser reopens the round (after an upheld
                                 appeal, or a correction after the final); the round's state
                                 decides whether a sheet may change at all (scoring/publication.py)
"""

from __future__ import annotations

from enum import StrEnum

from scoring.decimals import parse_decimal
from scoring.problems import Problem
from scoring.refusals import Refusal
from scoring.rubrics.model import Rubric
from scoring.sheet_attempts import check_attempt_marks, mark_problem


class SheetState(StrEnum):
    NEW = "new"  # no version yet
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    LOCKED = "locked"


class SheetAction(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    RETURN = "return"
    CORRECT = "correct"
    TRANSCRIBE = "transcribe"
    LOCK = "lock"


class Actor(StrEnum):
    JUDGE = "judge"
    CHIEF = "chief_judge"


OPEN = {SheetState.NEW, SheetState.DRAFT, SheetState.RETURNED}

TRANSITIONS: dict[SheetAction, tuple[Actor, set[SheetState], SheetState, bool]] = {
    # action: (who, from states, to state, reason required)
    SheetAction.SAVE: (Actor.JUDGE, OPEN, SheetState.DRAFT, False),
    SheetAction.SUBMIT: (Actor.JUDGE, OPEN, SheetState.SUBMITTED, False),
    SheetAction.RETURN: (Actor.CHIEF, {SheetState.SUBMITTED, SheetState.LOCKED}, SheetState.RETURNED, True),
    SheetAction.CORRECT: (Actor.CHIEF, {SheetState.SUBMITTED, SheetState.LOCKED}, SheetState.SUBMITTED, True),
    SheetAction.TRANSCRIBE: (Actor.CHIEF, OPEN, SheetState.SUBMITTED, False),
    SheetAction.LOCK: (Actor.CHIEF, {SheetState.SUBMITTED}, SheetState.LOCKED, False),
}

#: Actions that carry marks; the others keep the marks of the version before.
CHANGES_MARKS = {SheetAction.SAVE, SheetAction.SUBMIT, SheetAction.CORRECT, SheetAction.TRANSCRIBE}
#: Actions after which every criterion must be marked.
NEEDS_COMPLETE = {SheetAction.SUBMIT, SheetAction.CORRECT, SheetAction.TRANSCRIBE}


def counts_for_results(state: str, results_before_lock: bool = False) -> bool:
    """Whether a sheet in this state feeds results: locked sheets always; submitted ones only
    where the event says results may be shown before the chief judge locks the round."""
    return state == SheetState.LOCKED or (results_before_lock and state == SheetState.SUBMITTED)


class TransitionRefused(Refusal):
    """This actor may not take this action on a sheet in its present state."""

    kind = "sheet-rejected"
    status = 422


#: A rubric with attempts: a judge submits a submitted sheet again to add the next attempt.
ADDS_ATTEMPTS = {SheetAction.SUBMIT: {SheetState.SUBMITTED}}


def next_state(
    current: SheetState, action: SheetAction, actor: Actor, reason: str = "", attempts: int = 1
) -> SheetState:
    """The state after `action`, or TransitionRefused saying why not. With `attempts` above 1
    the rubric is marked attempt by attempt (ADDS_ATTEMPTS; the store checks what is added)."""
    who, sources, target, needs_reason = TRANSITIONS[action]
    if attempts > 1:
        sources = sources | ADDS_ATTEMPTS.get(action, set())
    if actor is not who:
        raise TransitionRefused(
            f"只有{'裁判长' if who is Actor.CHIEF else '评委'}可以执行“{action.value}”",
            f"only the {who.value.replace('_', ' ')} may {action.value} a sheet",
        )
    if current not in sources:
        allowed = ", ".join(sorted(s.value for s in sources))
        raise TransitionRefused(
            f"评分表状态为“{current.value}”，不能执行“{action.value}”（需为：{allowed}）",
            f"'{action.value}' is not allowed on a {current.value} sheet; the sheet must be {allowed}",
        )
    if needs_reason and not reason.strip():
        raise TransitionRefused("必须填写原因", f"{action.value} needs a reason")
    return target


def canonical_mark(raw: str) -> str:
    """A mark as it is stored: without surrounding spaces, a plus sign, or the sign of a zero
    (" 1 ", "+1" and "1" are one mark; "-0" is "0"). Anything that is not a plain ASCII number
    stays as typed and is checked (and refused) by its criterion's kind."""
    text = str(raw).strip()
    number = parse_decimal(text)
    if number is None:
        return text
    text = text.removeprefix("+")
    return text.removeprefix("-") if number == 0 else text


def check_sheet_marks(rubric: Rubric, marks: dict[str, str], complete: bool) -> list[Problem]:
    """Problems with a sheet's marks, each with the criterion's key as its path. A criterion
    left out is "not marked", which is not zero; a complete sheet marks every criterion a judge
    marks (vetoes are only marked when called). A rubric with attempts keys its marks
    "attempt/criterion" and has rules of its own (scoring/sheet_attempts.py)."""
    if rubric.attempts.count > 1:
        return check_attempt_marks(rubric, marks, complete)
    problems: list[Problem] = []
    criteria = {c.key: c for c in rubric.all_criteria() if not c.official}  # with a per-entry part's
    for key, raw in marks.items():
        problem = mark_problem(criteria.get(key), key, raw, key)
        if problem is not None:
            problems.append(problem)
    if complete:
        for key, criterion in criteria.items():
            if key not in marks and not criterion.is_veto:
                problems.append(Problem("尚未评分", "not marked yet", path=key))
    return problems
