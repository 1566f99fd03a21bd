"""Paper score sheets typed in by the chief judge, in bulk: a CSV or XLSX in the marks format of
`scoring compute` (entry, attempt, judge, criterion, value; one mark a row). For a rubric with
attempts the attempt column says which (a sheet's marks are keyed "attempt/criterion").

This module reads the uploaded file and plans: it groups the rows into sheets (one per entry and judge), finds every
problem, each with its row number, and turns the sheets into `transcribe` writes based on the
sheets' current versions. It does not store: the API writes them in one transaction (all or
nothing), and the audit log keeps them as transcribed from paper. Each write's client id is
made from the file's digest, so sending the same file again is answered as a retry. In a
blind event the entry column holds the drawn codes, as on the printed sheets.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.marks import clean_text, read_marks_frame
from scoring.problems import InvalidInput, Problem
from scoring.rubrics.model import Rubric
from scoring.sheet_attempts import entry_criteria, split_attempt
from scoring.sheet_rules import OPEN, Actor, SheetAction, check_sheet_marks
from scoring.store.models import SheetVersion
from scoring.store.rounds import RoundContext
from scoring.store.sheet_writes import SheetWrite
from scoring.store.sheets import SERVER_ID_PREFIX, current_version, find_sheet

STATE_ZH = {"submitted": "已提交", "locked": "已锁定"}  # a Chinese line names a sheet's state in Chinese


def read_paper_file(name: str, content: bytes) -> pd.DataFrame:
    """The uploaded file as marks rows (text, with row numbers); a file that is not a CSV or
    XLSX table with the marks columns is refused, naming the file."""
    if Path(name).suffix.lower() not in (".csv", ".xlsx"):
        raise InvalidInput(
            [Problem(zh="评分文件须为 .csv 或 .xlsx", en="a marks file must be .csv or .xlsx", file=name)]
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"paper{Path(name).suffix.lower()}"  # never a path the sender chose
        path.write_bytes(content)
        try:
            return read_marks_frame(path)
        except InvalidInput as refused:
            raise InvalidInput([replace(p, file=name) for p in refused.problems]) from None
        except Exception as exc:  # not a readable table at all
            raise InvalidInput(
                [Problem(zh=f"文件无法读取：{exc}", en=f"the file cannot be read: {exc}", file=name)]
            ) from None


@dataclass
class PaperSheet:
    """One judge's paper sheet for one entry, as typed in."""

    shown: str  # the entry as printed: its key, or its code in a blind event
    entry: str  # the entry's key
    judge: str
    marks: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # mark key -> row in the file


def _mark_key(attempt: str, criterion: str, count: int, once: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The sheet's key of a row's mark: its criterion, or "attempt/criterion" for a rubric with
    attempts (attempt 1..count; a criterion of the part marked once per entry, `once`, has an
    empty attempt and is keyed alone); None when the attempt does not fit."""
    if count == 1 or (criterion in once and attempt == ""):
        return criterion if attempt in ("", "1") else None
    number, _ = split_attempt(f"{attempt}/")
    return f"{number}/{criterion}" if number is not None and 1 <= number <= count else None


def plan_transcription(
    frame: pd.DataFrame, rubric: Rubric, entries: dict[str, str], judges: list[str], source: str
) -> tuple[list[PaperSheet], list[Problem]]:
    """The sheets in the file and every problem with them. `entries` maps what the printed sheet
    shows (key or code) to the entry's key; `judges` are the keys of the round's panel."""
    problems: list[Problem] = []
    count = rubric.attempts.count
    once = set(entry_criteria(rubric))

    def bad(row: int, column: str, zh: str, en: str) -> None:
        problems.append(Problem(zh=zh, en=en, file=source, row=row, path=column))

    sheets: dict[tuple[str, str], PaperSheet] = {}
    columns = {name: clean_text(frame[name]) for name in ("entry", "attempt", "judge", "criterion", "value")}
    for i, row in enumerate(int(r) for r in frame["row"]):
        entry, attempt, judge, criterion, value = (columns[name].iloc[i] for name in columns)
        if not judge:
            bad(
                row,
                "judge",
                "评委为空的行是官员数值，不从纸质评分表录入",
                "a row with no judge is an official's value; paper score sheets hold judges' marks only",
            )
            continue
        if judge not in judges:
            bad(
                row,
                "judge",
                f"评委“{judge}”不在本轮次评审组（{', '.join(judges)}）",
                f"judge '{judge}' is not on this round's panel ({', '.join(judges)})",
            )
            continue
        if entry not in entries:
            bad(row, "entry", f"本轮次没有参赛对象或编码“{entry}”", f"no entry or code '{entry}' in this round")
            continue
        key = _mark_key(attempt, criterion, count, once)
        if key is None:
            bad(
                row,
                "attempt",
                f"attempt 须为 1 到 {count}（现为“{attempt}”）"
                if count > 1
                else f"纸质评分表每张只记一次，attempt 须为空或 1（现为“{attempt}”）",
                f"attempt must be 1 to {count}, not '{attempt}'"
                if count > 1
                else f"a paper sheet holds one attempt; attempt must be empty or 1, not '{attempt}'",
            )
            continue
        sheet = sheets.setdefault((entry, judge), PaperSheet(shown=entry, entry=entries[entry], judge=judge))
        if key in sheet.rows:
            bad(
                row,
                "criterion",
                f"与第 {sheet.rows[key]} 行重复（{entry} / {judge} / {key}）",
                f"repeats row {sheet.rows[key]} ({entry} / {judge} / {key})",
            )
            continue
        sheet.rows[key] = row
        sheet.marks[key] = value
    for sheet in sheets.values():
        first_row = min(sheet.rows.values())
        for problem in check_sheet_marks(rubric, sheet.marks, complete=True):
            criterion = problem.path or ""
            row = sheet.rows.get(criterion, first_row)
            found = rubric.criterion(criterion)  # named by its title in each language, not its key
            title = found.title if found is not None else {}
            where = f"{sheet.shown} / {sheet.judge} / "
            column = "criterion" if criterion not in sheet.rows else "value"
            zh, en = title.get("zh") or criterion, title.get("en") or criterion
            bad(row, column, f"{where}{zh}：{problem.zh}", f"{where}{en}: {problem.en}")
    if not sheets and not problems:
        problems.append(Problem(zh="文件中没有评分", en="the file holds no marks", file=source))
    return list(sheets.values()), problems


def transcription_writes(
    db: Session,
    context: RoundContext,
    sheets: list[PaperSheet],
    judge_ids: dict[str, int],
    problems: list[Problem],
    digest: str,
    source: str,
    author: str,
    address: str,
) -> list[SheetWrite]:
    """One `transcribe` write per paper sheet. A sheet already submitted or locked is a problem
    (added to `problems`): its marks are changed by a correction, not by typing it in again."""
    round_id = context.round.id
    writes = []
    for sheet in sheets:
        client_id = f"{SERVER_ID_PREFIX}paper/{digest}"  # scoped to this sheet: one per file and sheet
        row = find_sheet(db, round_id, sheet.entry, judge_ids[sheet.judge])
        earlier = (
            db.execute(
                select(SheetVersion).where(SheetVersion.sheet_id == row.id, SheetVersion.client_id == client_id)
            ).scalar_one_or_none()
            if row is not None
            else None
        )
        found = current_version(db, round_id, sheet.entry, judge_ids[sheet.judge])
        if earlier is not None:  # this file was typed in before: answered as a retry
            base = earlier.version - 1
        elif found is not None and found.state not in OPEN:
            base = found.version
            problems.append(
                Problem(
                    zh=f"{sheet.shown} / {sheet.judge} 的评分表已是“{STATE_ZH.get(found.state, found.state.value)}”"
                    f"（第 {found.version} 版），不能再录入；如需修改请用“更正”",
                    en=f"the sheet {sheet.shown} / {sheet.judge} is already {found.state.value} "
                    f"(version {found.version}); correct it instead of transcribing",
                    file=source,
                    row=min(sheet.rows.values()),
                )
            )
        else:
            base = found.version if found else 0
        writes.append(
            SheetWrite(
                round_id=round_id,
                entry_key=sheet.entry,
                judge_id=judge_ids[sheet.judge],
                rubric_version_id=context.rubric_version_id,
                action=SheetAction.TRANSCRIBE,
                actor=Actor.CHIEF,
                base_version=base,
                client_id=client_id,
                author=author,
                device="paper",
                marks=sheet.marks,
                reason=f"paper: {source}",
                address=address,
            )
        )
    return writes
