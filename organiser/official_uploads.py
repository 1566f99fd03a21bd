"""Officials' values uploaded for a round: a theory paper's answer sheets (the wide form, one row
per contestant with q01, q02, ... or the long form), or an official's values in the long form
`scoring compute` reads (rows with an empty judge: a time, a degree of difficulty, a penalty).

The file is read with the bounded reader, then checked row by row by the event's bound kind
exactly as `scoring compute` would check it (known entries, answers the key can grade, values
on the rubric's grid); one problem anywhere refuses the whole file, naming the file and row,
and nothing is stored. A file that passes becomes one new version of each entry's values
(scoring/store/official_values.py), in one transaction, with the file's digest as the client
id, so sending the same file twice stores it once. Judges' marks never come this way: a row
with a judge is refused (they come from the judges' sheets).
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
from scoring.marks import check_marks
from scoring.problems import InvalidInput, Problem
from scoring.refusals import Conflict
from scoring.store.models import Competition
from scoring.store.official_values import record_values
from scoring.store.rounds import event_entry_keys, round_context
from scoring.store.sheets import SERVER_ID_PREFIX

SUFFIXES = (".csv", ".xlsx")


def upload_official_values(db: Session, round_id: int, upload: Upload, actor: str) -> dict[str, Any]:
    """Check the whole file, then store each entry's values; says how many entries were stored."""
    name = (upload.filename or "values.csv")[:120]
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(
            [Problem(zh="文件须为 .csv 或 .xlsx", en="the file must be a .csv or .xlsx file", file=name)]
        )
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
    long = _long_form(table, name)
    entries = set(event_entry_keys(db, event))
    try:
        if bound.key == "theory":  # graded by the key: every answer must be gradable
            bound.score(table, entries, None, source=name)
        else:  # officials' values on the rubric's grid (the judges' marks are not here to score with)
            assert bound.rubric is not None
            check_marks(long.assign(judge="", row=long["row"].astype(int)), bound.rubric, name, entries)
    except InvalidInput as refused:
        raise InvalidInput([_named(p, name) for p in refused.problems]) from None
    digest = hashlib.sha256(upload.content).hexdigest()[:40]
    stored = 0
    for entry, rows in long.groupby("entry", sort=True):
        values = {
            (f"{a}/{c}" if a else c): v for a, c, v in rows[["attempt", "criterion", "value"]].itertuples(index=False)
        }
        row = record_values(
            db,
            round_id=round_id,
            entry=str(entry),
            values=values,
            client_id=f"{SERVER_ID_PREFIX}upload/{digest}",
            author=actor,
            reason=f"uploaded {name}",
        )
        stored += row.version >= 1
    return {"round": round_id, "entries": stored, "file": name}


def _named(problem: Problem, name: str) -> Problem:
    return replace(problem, file=name)


def _long_form(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """The values as (entry, attempt, criterion, value) rows; refuses rows with a judge."""
    frame = table.fillna("").astype(str)
    if "criterion" not in frame.columns:  # wide answer sheets: a column per question
        wide = frame.drop(columns=["row"], errors="ignore")
        return wide.melt(id_vars=["entry"], var_name="criterion", value_name="value").assign(attempt="", row="")
    if "judge" in frame.columns:
        judged = table[frame["judge"].str.strip() != ""]
        if not judged.empty:
            rows = ", ".join(str(r) for r in judged.get("row", judged.index)[:10])
            raise InvalidInput(
                [
                    Problem(
                        zh=f"第 {rows} 行有评委：评委的评分来自评分表，这里只上传官方数值（评委列留空）",
                        en=f"rows {rows} name a judge: judges' marks come from their sheets; upload officials' "
                        "values only (leave the judge column empty)",
                        file=name,
                    )
                ]
            )
    if "attempt" not in frame.columns:
        frame = frame.assign(attempt="")
    return frame.assign(row=frame["row"] if "row" in frame.columns else "")[
        ["row", "entry", "attempt", "criterion", "value"]
    ]
