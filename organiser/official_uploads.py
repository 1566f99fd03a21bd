"""Officials' values uploaded for a round: a theory paper's answer sheets (the wide form, one row
per contestant with q01, q02, ... or the long form), or an official's values in the long form
`scoring compute` reads (rows with an empty judge, or no judge column: a time, a degree of
difficulty, a penalty).

The file is read with the bounded reader (scoring/tables.py: bytes, rows, columns, cell length
and time capped; a theory paper's wide form may have a column per question past the usual
cap), then checked row by row by the event's bound kind exactly as `scoring compute` would
check it (known entries, answers the key can grade, values on the rubric's grid); one problem
anywhere refuses the whole file, naming the file, row and column, and nothing is stored.

A file that passes becomes one new version of each entry whose values it changes
(scoring/store/official_values.py), in one transaction, and one audited upload record with its
number, file name, digest and reason. Entries the file leaves out, or gives the values they
already have, keep their version, so sending the same file twice stores it once. Replacing
stored values needs a reason (refused without one, naming the field `reason`); the earlier
versions stay. Judges' marks never come this way: a row with a judge is refused (they come from
the judges' sheets), and so is a quiz round (its log is the quiz master's).
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from organiser.competition_setup import Upload
from results.stored import stored_competition
from scoring.marks import check_mark_columns, check_marks
from scoring.problems import InvalidInput, Problem
from scoring.publication import check_sheet_write
from scoring.refusals import Conflict, NotFound
from scoring.store.models import Competition, Round
from scoring.store.official_values import current_values, record_upload, record_values, value_key
from scoring.store.rounds import event_entry_keys, round_context
from scoring.store.sheets import SERVER_ID_PREFIX

SUFFIXES = (".csv", ".xlsx")
REASON_CHARS = 500
PROBLEMS_LISTED = 200


def upload_official_values(db: Session, round_id: int, upload: Upload, actor: str, reason: str = "") -> dict[str, Any]:
    """Check the whole file, then store each changed entry's values; says what was stored."""
    name = (upload.filename or "values.csv")[:120]
    reason = reason.strip()[:REASON_CHARS]
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(
            [Problem(zh="文件须为 .csv 或 .xlsx", en="the file must be a .csv or .xlsx file", file=name)]
        )
    round_ = db.get(Round, round_id, with_for_update=True)  # uploads to one round queue up
    if round_ is None:
        raise NotFound("没有这个轮次", f"no round {round_id}")
    check_sheet_write(round_.publication)  # a locked, noticed or final round takes nothing new
    context = round_context(db, round_id)
    event = context.event
    if event.kind == "quiz":
        raise Conflict(
            "抢答赛的记录由主持人在答题控制台录入，不能上传",
            "a quiz round's answers are recorded by the quiz master on the quiz console, not uploaded",
        )
    competition = db.get(Competition, event.competition_id)
    assert competition is not None
    model = stored_competition(db, competition.key).event(event.key)
    assert model is not None and model.bound is not None
    bound = model.bound
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"values{suffix}"
        path.write_bytes(upload.content)
        try:
            table = bound.read_table(path)
        except InvalidInput as refused:  # name the file as uploaded, never the server's folder
            raise InvalidInput([_named(p, name) for p in refused.problems]) from None
    _refuse_repeated_columns(table, name)
    if "criterion" in table.columns and "judge" not in table.columns:
        table = table.assign(judge="")  # officials' values need no judge column
    _refuse_judges(table, name)
    entries = set(event_entry_keys(db, event))
    try:
        if bound.key == "theory":  # graded by the key: every answer must be gradable
            bound.score(table, entries, None, source=name)
            long = _long_form(table)
        else:  # officials' values on the rubric's grid (the judges' marks are not here to score with)
            assert bound.rubric is not None
            long = _long_form(check_mark_columns(table, name))
            check_marks(long.assign(judge="", row=long["row"].astype(int)), bound.rubric, name, entries)
    except InvalidInput as refused:  # in the file's order: the header first, then row by row
        raise InvalidInput(_listed(refused.problems, name)) from None
    sent = {
        str(entry): {value_key(a, c): v for a, c, v in rows[["attempt", "criterion", "value"]].itertuples(index=False)}
        for entry, rows in long.groupby("entry", sort=True)
    }
    stored = current_values(db, round_id)
    changed = {entry: values for entry, values in sent.items() if stored.get(entry) != values}
    if not reason and any(entry in stored for entry in changed):
        replaced = sorted(entry for entry in changed if entry in stored)
        shown = ", ".join(replaced[:10]) + (" ..." if len(replaced) > 10 else "")
        raise InvalidInput(
            [
                Problem(
                    zh=f"本文件会替换 {len(replaced)} 个参赛对象已上传的数值（{shown}）：请填写替换原因",
                    en=f"this file replaces the values already uploaded for {len(replaced)} entries ({shown}): "
                    "give the reason for replacing them",
                    file=name,
                    path="reason",
                )
            ]
        )
    answer: dict[str, Any] = {"round": round_id, "file": name, "entries": len(changed)}
    answer["unchanged"] = len(sent) - len(changed)
    if not changed:  # the same values again (a retry, a second click): nothing new to keep
        return answer | {"upload": None}
    digest = hashlib.sha256(upload.content).hexdigest()
    number = record_upload(
        db,
        round_id=round_id,
        file=name,
        digest=digest,
        changed=len(changed),
        unchanged=answer["unchanged"],
        reason=reason,
        author=actor,
    )
    for entry, values in changed.items():
        record_values(
            db,
            round_id=round_id,
            entry=entry,
            values=values,
            client_id=f"{SERVER_ID_PREFIX}upload/{number}/{digest[:32]}",
            author=actor,
            reason=reason or f"uploaded {name}",
        )
    return answer | {"upload": number}


def _named(problem: Problem, name: str) -> Problem:
    return replace(problem, file=name)


def _listed(problems: list[Problem], name: str) -> list[Problem]:
    """The problems in the file's order (the header, then row by row), each naming the file as
    uploaded; past PROBLEMS_LISTED, one line says how many more there are (a file of 200,000
    unknown entries must not make an answer of 200,000 lines)."""
    ordered = sorted(problems, key=lambda p: (p.row is not None, p.line or 0, p.row or 0))
    listed = [_named(p, name) for p in ordered[:PROBLEMS_LISTED]]
    more = len(ordered) - len(listed)
    if more:
        listed.append(
            Problem(
                zh=f"另有 {more} 个问题未列出；请先改正以上问题",
                en=f"and {more} more problems not listed; correct those above first",
                file=name,
            )
        )
    return listed


def _refuse_repeated_columns(table: pd.DataFrame, name: str) -> None:
    """A header naming one column twice is refused: which of the two would count is a guess."""
    repeated = sorted({str(c) for c in table.columns[table.columns.duplicated()]})
    if repeated:
        raise InvalidInput(
            [
                Problem(
                    zh=f"表头中列“{c}”出现了不止一次：每列只能出现一次",
                    en=f"the header names the column '{c}' more than once: each column may appear once",
                    file=name,
                    line=1,
                    path=c,
                )
                for c in repeated
            ]
        )


def _refuse_judges(table: pd.DataFrame, name: str) -> None:
    """Rows of the long form that name a judge are refused: judges' marks come from their sheets."""
    if "criterion" not in table.columns or "judge" not in table.columns:
        return
    judged = table[table["judge"].fillna("").astype(str).str.strip() != ""]
    if not judged.empty:
        rows = ", ".join(str(r) for r in judged.get("row", judged.index)[:10])
        raise InvalidInput(
            [
                Problem(
                    zh=f"第 {rows} 行有评委：评委的评分来自评分表，这里只上传官方数值（评委列留空）",
                    en=f"rows {rows} name a judge: judges' marks come from their sheets; upload officials' "
                    "values only (leave the judge column empty)",
                    file=name,
                    path="judge",
                )
            ]
        )


def _long_form(table: pd.DataFrame) -> pd.DataFrame:
    """The values as (row, entry, attempt, criterion, value) rows, from either form."""
    frame = table.fillna("").astype(str)
    if "criterion" not in frame.columns:  # wide answer sheets: a column per question
        wide = frame.drop(columns=["row"], errors="ignore")
        return wide.melt(id_vars=["entry"], var_name="criterion", value_name="value").assign(attempt="", row="")
    if "attempt" not in frame.columns:
        frame = frame.assign(attempt="")
    return frame.assign(row=frame["row"] if "row" in frame.columns else "")[
        ["row", "entry", "attempt", "criterion", "value"]
    ]
