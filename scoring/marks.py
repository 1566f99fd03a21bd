"""Marks in long form, read from CSV or XLSX and checked against a rubric.

A marks file has one mark a row: `entry, attempt, judge, criterion, value`. `attempt` may be
empty when a rubric has one attempt. A row with an empty judge is an official's value: a
parameter (a degree of difficulty, a referee's penalty) or an official criterion (a time, an
answer to a theory question). Every bad row is reported with its row number (the line in the
file, counting the header as row 1); when any row is bad nothing is computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scoring.codes import column_codes, distinct, has_repeats
from scoring.decimals import parse_decimal
from scoring.problems import InvalidInput, Problem, ProblemCollector
from scoring.rubrics.model import Rubric
from scoring.tables import LIMITS, TableLimits, numbered, read_table, text_categories

MARK_COLUMNS = ["entry", "attempt", "judge", "criterion", "value"]
#: The columns whose categories stay in the order their values first appear (the engine's groups
#: and judges' panels follow it); the others' categories may come in any order.
ORDERED = {"entry", "judge"}


@dataclass
class MarkTable:
    """Checked marks. `marks` has the text of each mark and `point`, a code into `point_values`:
    the points of each distinct (criterion, raw value), converted once; `points` gives each mark's
    points as Decimal. `parameters` has official values per attempt."""

    marks: pd.DataFrame
    parameters: pd.DataFrame
    source: str
    point_values: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    #: The marks of the rubric's part scored once per entry (`[entry]`), checked against it.
    entry: MarkTable | None = None

    def entries(self) -> list[str]:
        found = set(self.marks["entry"]) | set(self.parameters["entry"])
        return sorted(found | (set(self.entry.entries()) if self.entry is not None else set()))

    @cached_property
    def points(self) -> np.ndarray:
        """Each mark's points (Decimal), in the order of `marks`."""
        return self.point_values[self.marks["point"].to_numpy()]


def read_marks_frame(path: str | Path, limits: TableLimits = LIMITS) -> pd.DataFrame:
    """The marks file as text columns (categoricals: `text_categories`) with a `row` column; a
    missing column is an error."""
    return text_categories(check_mark_columns(read_table(path, limits), str(path)), MARK_COLUMNS)


def marks_table(rows: Iterable[Sequence[object]]) -> pd.DataFrame:
    """The long form from plain rows (entry, attempt, judge, criterion, value), as a marks
    file would give it: text columns (None is empty) and a `row` column counting from 2.
    Its columns are categoricals, as the readers give them (`text_categories`)."""
    text = [tuple("" if v is None else str(v) for v in row) for row in rows]
    if any(len(row) != len(MARK_COLUMNS) for row in text):
        raise ValueError(f"a mark row has {len(MARK_COLUMNS)} values: {', '.join(MARK_COLUMNS)}")
    return numbered(text_categories(pd.DataFrame(text, columns=MARK_COLUMNS, dtype=object), MARK_COLUMNS))


def check_mark_columns(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """The table with the columns of the long form (an empty attempt where it has none, and row
    numbers); a missing column is an error."""
    missing = [c for c in MARK_COLUMNS if c not in frame.columns and c != "attempt"]
    if missing:
        have = ", ".join(c for c in frame.columns if c != "row")
        raise InvalidInput(
            [
                Problem(
                    zh=f"缺少列：{', '.join(missing)}（现有列：{have}）",
                    en=f"missing columns: {', '.join(missing)} (columns found: {have}); "
                    f"a marks file needs {', '.join(MARK_COLUMNS)}",
                    file=source,
                    line=1,
                )
            ]
        )
    if "attempt" not in frame.columns:
        frame = frame.assign(attempt="")
    return numbered(frame)


def check_marks(
    frame: pd.DataFrame, rubric: Rubric, source: str, entries: set[str] | None = None, judges: set[str] | None = None
) -> MarkTable:
    """Check every row against the rubric (and the known entries and judges when given)."""
    if rubric.entry_part is not None:
        from scoring.marks_parts import check_parts  # it checks each part here, by this function

        return check_parts(frame, rubric, source, entries, judges)
    problems = ProblemCollector(source)
    frame = pd.DataFrame(
        {c: clean_text(frame[c], ordered=c in ORDERED) for c in MARK_COLUMNS} | {"row": frame["row"]},
        index=frame.index,
    )

    _check_attempts(frame, rubric, problems)
    no_entry = is_in(frame["entry"], {""})
    for (row,) in rows_where(frame, no_entry, ["row"]):
        problems.add("entry 为空", "entry is empty", row=int(row))
    if entries is not None:
        for row, entry in rows_where(frame, ~no_entry & ~is_in(frame["entry"], entries), ["row", "entry"]):
            problems.add(f"未知的参赛对象“{entry}”", f"unknown entry '{entry}'", row=int(row))
    official = is_in(frame["judge"], {""})
    if judges is not None:
        unknown = ~official & ~is_in(frame["judge"], judges)
        for row, judge in rows_where(frame, unknown, ["row", "judge"]):
            problems.add(f"未知的评委“{judge}”", f"unknown judge '{judge}'", row=int(row))

    criteria = {c.key: c for c in rubric.criteria()}
    panel_keys = {k for k, c in criteria.items() if not c.official}
    official_keys = {k for k, c in criteria.items() if c.official}
    param_keys = {p.key for p in rubric.parameters}
    is_param = official & is_in(frame["criterion"], param_keys)
    good_criterion = np.where(official, is_in(frame["criterion"], official_keys), is_in(frame["criterion"], panel_keys))
    for row, criterion, judge in rows_where(frame, ~good_criterion & ~is_param, ["row", "criterion", "judge"]):
        if judge and criterion in official_keys | param_keys:
            problems.add(
                f"“{criterion}”由裁判员给出，judge 应为空",
                f"'{criterion}' is given by an official; leave judge empty",
                row=int(row),
            )
        elif not judge and criterion in panel_keys:
            problems.add(
                f"评分项“{criterion}”需要填写 judge",
                f"criterion '{criterion}' is marked by judges; judge is empty",
                row=int(row),
            )
        else:
            allowed = ", ".join(sorted(panel_keys | official_keys | param_keys))
            problems.add(
                f"未知的评分项或参数“{criterion}”；可用：{allowed}",
                f"unknown criterion or parameter '{criterion}'; known: {allowed}",
                row=int(row),
            )

    marks = frame if good_criterion.all() else frame.loc[good_criterion].copy()
    codes, point_values = _convert_points(marks, criteria, problems)
    params = frame.iloc[np.flatnonzero(is_param)].copy()
    params["value"] = _convert_parameters(params, rubric, problems)
    _check_mark_repeats(marks, problems)
    _check_duplicates(params, ["entry", "attempt", "criterion"], problems)
    problems.raise_if_any()
    params = params.rename(columns={"criterion": "parameter"})
    columns = ["entry", "attempt", "judge", "criterion", "value"]
    return MarkTable(
        marks=pd.DataFrame({c: marks[c].array for c in columns} | {"point": codes, "row": marks["row"].to_numpy()}),
        parameters=params[["entry", "attempt", "parameter", "value", "row"]].reset_index(drop=True),
        source=source,
        point_values=point_values,
    )


def clean_text(column: pd.Series, ordered: bool = True) -> pd.Series:
    """Text with surrounding spaces removed, as a categorical whose categories are the cleaned
    values in the order they first appear (with ordered=False, a categorical already clean keeps
    its categories as they are): each distinct value is cleaned once, and later comparisons and
    look-ups work on integer codes. A categorical column (what the readers give,
    `scoring.tables.text_categories`) is cleaned on its categories and codes, never its rows'
    strings."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return _clean_categorical(column, ordered)
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return _recoded(column, codes, uniques)


def _cleaned(values: Any) -> np.ndarray:
    return np.array(
        [u.strip() if isinstance(u, str) else "" if pd.isna(u) else str(u).strip() for u in values], dtype=object
    )


def _recoded(column: pd.Series, codes: np.ndarray, uniques: Any) -> pd.Series:
    """The column from each row's code into `uniques` (distinct, in the order they first appear)."""
    recoded, categories = pd.factorize(_cleaned(uniques))
    return _categorical(column, recoded[codes] if len(codes) else np.array([], dtype=int), categories)


def _categorical(column: pd.Series, codes: np.ndarray, categories: Any) -> pd.Series:
    dtype = pd.CategoricalDtype(pd.Index(categories, dtype=object))
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype, validate=False), index=column.index)


def _clean_categorical(column: pd.Series, ordered: bool) -> pd.Series:
    """clean_text of a categorical, from its codes: as it is when its categories are clean text
    (for `ordered`, in the order they first appear and all used, as `text_categories` makes
    them) and no value is missing, else recoded from its distinct codes in the order they first
    appear."""
    codes = column.cat.codes.to_numpy()
    categories = column.cat.categories.to_numpy(dtype=object)
    as_given = _first_appearance(codes, len(categories)) if ordered else not len(codes) or codes.min() >= 0
    if as_given and (_cleaned(categories) == categories).all():
        return _categorical(column, codes, categories)
    order = pd.unique(codes)  # -1 (a missing value) is a distinct value too, cleaned to ""
    uniques = [None if k < 0 else categories[k] for k in order.tolist()]
    where = np.zeros(len(categories) + 1, dtype=np.int64)
    where[order + 1] = np.arange(len(order))
    return _recoded(column, where[codes.astype(np.int64) + 1], uniques)


def _first_appearance(codes: np.ndarray, count: int) -> bool:
    """Whether codes 0..count-1 all occur, each first after every smaller one (none is missing)."""
    if not len(codes):
        return count == 0
    highest = np.maximum.accumulate(codes)
    return bool(
        codes[0] == 0 and highest[-1] == count - 1 and codes.min() >= 0 and (codes[1:] <= highest[:-1] + 1).all()
    )


def rows_where(frame: pd.DataFrame, where: np.ndarray, columns: list[str]) -> Iterable[tuple]:
    """The values of `columns` in the rows where `where` holds, in order (usually none: then
    nothing of a million rows is looked at)."""
    rows = np.flatnonzero(where)
    return frame[columns].iloc[rows].itertuples(index=False) if len(rows) else []


def is_in(column: pd.Series, values: set[str]) -> np.ndarray:
    """Whether each row's value is one of `values`, decided once per distinct value."""
    if isinstance(column.dtype, pd.CategoricalDtype):  # its own small codes: no copy to int64
        codes, names = column.cat.codes.to_numpy(), column.cat.categories.to_numpy(dtype=object)
    else:
        codes, names = column_codes(column)
    hit = np.fromiter((name in values for name in names.tolist()), dtype=bool, count=len(names))
    if not hit.any():  # no value is one of them (the usual answer for problems): no row to look up
        return np.zeros(len(codes), dtype=bool)
    return np.ones(len(codes), dtype=bool) if hit.all() else hit[codes]


def _check_attempts(frame: pd.DataFrame, rubric: Rubric, problems: ProblemCollector) -> None:
    count = rubric.attempts.count
    empty = is_in(frame["attempt"], {""})
    if count > 1:
        for (row,) in rows_where(frame, empty, ["row"]):
            problems.add(
                f"本评分标准有 {count} 次试跳/试次，attempt 不能为空",
                f"the rubric has {count} attempts; attempt must be 1 to {count}",
                row=int(row),
            )
    codes, uniques = column_codes(frame["attempt"])  # each distinct attempt is read once
    text = pd.Series(["1" if u == "" else u for u in uniques], dtype=object)
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    wrong = np.isnan(numbers) | (numbers < 1) | (numbers > count) | (numbers != np.round(numbers))
    bad = wrong[codes] & ~empty if wrong.any() else np.zeros(len(codes), dtype=bool)
    for row, attempt in rows_where(frame, bad, ["row", "attempt"]):
        problems.add(
            f"attempt“{attempt}”无效；应为 1 到 {count}",
            f"attempt '{attempt}' is not valid; use 1 to {count}",
            row=int(row),
        )
    # int32, and point codes too: columns of different dtypes are not copied into one block
    frame["attempt"] = np.where(wrong, 1, numbers).astype(np.int32)[codes]


def _convert_points(marks: pd.DataFrame, criteria: dict, problems: ProblemCollector) -> tuple[np.ndarray, np.ndarray]:
    """Each mark's code into the points of the distinct (criterion, raw value) pairs, and those
    points: each pair is checked and converted once, whatever the number of marks."""
    value_codes, values = column_codes(marks["value"])
    criterion_codes, names = column_codes(marks["criterion"])
    width = max(len(values), 1)
    keys = criterion_codes * width  # one temporary, then in place
    keys += value_codes
    pairs, codes = distinct(keys, len(names) * width)
    converted = np.empty(len(pairs), dtype=object)
    converted[:] = [criteria[str(names[p // width])].kind.convert(values[p % width]) for p in pairs.tolist()]
    bad = np.fromiter((isinstance(v, Problem) for v in converted), dtype=bool, count=len(converted))
    if bad.any():
        rows_all = marks["row"].to_numpy()
        wrong = np.flatnonzero(bad[codes])
        by_criterion: dict[int, list[int]] = {}
        for i in wrong.tolist():
            by_criterion.setdefault(int(criterion_codes[i]), []).append(i)
        seen, first = np.unique(criterion_codes, return_index=True)  # by code: codes may skip some
        first_seen = dict(zip(seen.tolist(), first.tolist(), strict=True))
        for code in sorted(by_criterion, key=first_seen.__getitem__):  # criteria as they first appear
            key = names[code]
            for i in by_criterion[code]:
                why: Problem = converted[codes[i]]
                problems.add(f"{key}：{why.zh}", f"{key}: {why.en}", row=int(rows_all[i]))
        converted[bad] = None
    return np.asarray(codes).reshape(-1), converted


def _convert_parameters(params: pd.DataFrame, rubric: Rubric, problems: ProblemCollector) -> pd.Series:
    values: list[Decimal | None] = []
    for row, key, raw in params[["row", "criterion", "value"]].itertuples(index=False):
        spec = rubric.parameter(key)
        number = parse_decimal(raw)
        if spec is None:
            values.append(None)
            continue
        if number is None:
            problems.add(f"参数 {key}：“{raw}”不是数字", f"parameter {key}: '{raw}' is not a number", row=int(row))
        elif (spec.minimum is not None and number < spec.minimum) or (
            spec.maximum is not None and number > spec.maximum
        ):
            problems.add(
                f"参数 {key}：{raw} 超出范围 {spec.minimum}–{spec.maximum}",
                f"parameter {key}: {raw} is outside {spec.minimum} to {spec.maximum}",
                row=int(row),
            )
        values.append(number)
    return pd.Series(values, index=params.index, dtype=object)


def _check_mark_repeats(marks: pd.DataFrame, problems: ProblemCollector) -> None:
    """The same (entry, attempt, judge, criterion) twice: found on integer codes, then reported
    with every row by the frame's own grouping."""
    key = np.zeros(len(marks), dtype=np.int64)
    space = 1
    for column in ("entry", "attempt", "judge", "criterion"):
        values = marks[column]
        codes = values.cat.codes.to_numpy() if isinstance(values.dtype, pd.CategoricalDtype) else values.to_numpy()
        width = int(codes.max()) + 1 if len(codes) else 1
        if space > (1 << 62) // max(width, 1):
            _check_duplicates(marks, ["entry", "attempt", "judge", "criterion"], problems)
            return
        key *= width  # in place: no million-row temporaries
        key += codes
        space *= width
    if has_repeats(key, space):
        _check_duplicates(marks, ["entry", "attempt", "judge", "criterion"], problems)


def _check_duplicates(frame: pd.DataFrame, columns: list[str], problems: ProblemCollector) -> None:
    if len(frame) < 2:
        return
    dup = frame.duplicated(columns, keep=False)
    for _, group in frame.loc[dup].groupby(columns, sort=False):
        rows = ", ".join(str(r) for r in group["row"])
        first = group.iloc[0]
        problems.add(
            f"同一评分出现多次（行 {rows}）",
            f"the same mark is given more than once (rows {rows}): "
            f"entry {first['entry']}, attempt {first['attempt']}, judge '{first['judge']}', "
            f"criterion {first['criterion']}",
            row=int(group["row"].iloc[1]),
        )
