"""Where each criterion's marks sit: per criterion, a matrix (groups x judges) of point codes.

The engine's pass gives each mark's group, judge, criterion and point code as integers. Where the
grid of every criterion x group x judge is small next to the number of marks (a full panel: each
judge marks every entry), one scatter places every mark and each criterion's matrix is a slice of
the grid; otherwise the marks are ordered by criterion once and each criterion's matrix is filled
from its own marks. Both give the same matrices. Also here: who sits on each group's panel (the
judges who marked anything for it). Nothing here reads a mark's value or knows a panel rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

NO_MARK = -1  # the point code of a cell without a mark
_DENSE_EXTRA = 1 << 20  # a grid this many cells larger than the marks is still filled whole


@dataclass
class Layout:
    """One criterion's marks: the judges of its panel (sorted by key; one unnamed column for an
    official's value or one judge's own mark), each group's point codes, and who should have
    marked each group. `codes` is the caller's to change."""

    n: int
    judges: list[str]
    codes: np.ndarray  # (n, judges) point codes, NO_MARK where there is none
    expected: np.ndarray  # (n, judges) bool

    def marks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows, columns and point codes of the marks present."""
        rows, columns = np.nonzero(self.codes >= 0)
        return rows, columns, self.codes[rows, columns]


class MarkGrid:
    """Every criterion's marks of one pass, ready to be laid out criterion by criterion.

    `single`: each group has at most one mark per criterion (a pass per judge), so every
    criterion is one column."""

    def __init__(
        self,
        n: int,
        group: np.ndarray,
        judge: np.ndarray,
        judge_names: np.ndarray,
        criterion: np.ndarray,
        criteria: int,
        point: np.ndarray,
        single: bool,
    ) -> None:
        self.n, self.group, self.judge, self.judge_names = n, group, judge, judge_names
        self.criterion, self.point, self.single = criterion, point, single
        self.width = 1 if single else max(len(judge_names), 1)
        cells = criteria * n * self.width
        self.grid: np.ndarray | None = None
        if cells <= 4 * len(group) + _DENSE_EXTRA:
            grid = np.full(cells, NO_MARK, dtype=np.int32 if point.max(initial=0) < 2**31 else np.int64)
            column = 0 if single else judge
            grid[(criterion * n + group) * self.width + column] = point
            self.grid = grid.reshape(criteria, n, self.width)
            return
        small = criterion.astype(np.int16) if criteria < 2**15 else criterion
        by_criterion = np.argsort(small, kind="stable")  # a radix sort for small codes
        sizes = np.bincount(criterion, minlength=criteria)
        ends = np.cumsum(sizes)
        self.marks_of = [by_criterion[end - size : end] for end, size in zip(ends, sizes, strict=True)]

    @cached_property
    def on_panel(self) -> np.ndarray:
        """(n, judges): whether the judge marked anything for the group (officials are no judges)."""
        names = np.asarray(self.judge_names, dtype=object)
        officials = np.flatnonzero(names == "")
        if self.grid is not None and not self.single:
            panel = np.asarray((self.grid >= 0).any(axis=0))
        else:
            panel = np.zeros((self.n, len(names)), dtype=bool)
            panel[self.group, self.judge] = True
        panel[:, officials] = False
        return panel

    def layout(self, criterion: int | None, one_column: bool) -> Layout:
        """The criterion's marks (criterion None: it has none); `one_column` for an official's
        value or a pass per judge: one unnamed column, every group expected."""
        n = self.n
        if one_column:
            codes = np.full((n, 1), NO_MARK, dtype=np.int64)
            if criterion is not None and self.grid is not None:
                codes[:, 0] = self.grid[criterion].max(axis=1)  # at most one mark a group
            elif criterion is not None:
                mine = self.marks_of[criterion]
                codes[self.group[mine], 0] = self.point[mine]
            return Layout(n, [""], codes, np.ones((n, 1), dtype=bool))
        if criterion is None:
            return Layout(n, [], np.full((n, 0), NO_MARK, dtype=np.int64), np.zeros((n, 0), dtype=bool))
        if self.grid is not None:
            cells = self.grid[criterion]
            used = np.flatnonzero((cells >= 0).any(axis=0))
        else:
            mine = self.marks_of[criterion]
            used = np.flatnonzero(np.bincount(self.judge[mine], minlength=len(self.judge_names)))
        names = np.asarray(self.judge_names, dtype=object)[used]
        by_name = np.argsort(names)
        columns = used[by_name]
        if self.grid is not None:
            codes = cells[:, columns]
        else:
            place = np.full(len(self.judge_names), -1, dtype=np.int64)
            place[columns] = np.arange(len(columns))
            codes = np.full((n, len(columns)), NO_MARK, dtype=np.int64)
            codes[self.group[mine], place[self.judge[mine]]] = self.point[mine]
        return Layout(n, [str(name) for name in names[by_name]], codes, self.on_panel[:, columns])

    @cached_property
    def panel_size(self) -> np.ndarray:
        """How many judges sit on each group's panel."""
        return self.on_panel.sum(axis=1)
