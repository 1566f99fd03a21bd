"""Integer codes for the keys of a mark table: distinct keys and repeats without sorting a million rows.

A key here is a small non-negative integer built from column codes (entry, attempt, judge,
criterion). Where the keys' range is small next to their number, a bitmap finds the distinct ones
in one pass; otherwise numpy sorts. Both give the same answer (np.unique's). Nothing here reads
text or knows what the keys mean.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_BITMAP_EXTRA = 1 << 20


def _small(keys: np.ndarray, space: int) -> bool:
    return space <= 4 * len(keys) + _BITMAP_EXTRA


def distinct(keys: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys (0 <= key < space) in ascending order, and each key's index among them,
    as np.unique(keys, return_inverse=True) gives them (the index may be int32)."""
    if not _small(keys, space):
        found, where = np.unique(keys, return_inverse=True)
        return found, np.asarray(where).reshape(-1)
    seen = np.zeros(space, dtype=bool)
    seen[keys] = True
    index = np.cumsum(seen, dtype=np.int32 if len(keys) < 2**31 else np.int64) - 1  # int32: half the memory
    return np.flatnonzero(seen), index[keys]


def has_repeats(keys: np.ndarray, space: int) -> bool:
    """Whether some key occurs more than once."""
    if not len(keys):
        return False
    if not _small(keys, space):
        ordered = np.sort(keys)
        return bool((ordered[1:] == ordered[:-1]).any())
    seen = np.zeros(space, dtype=bool)
    seen[keys] = True
    return int(np.count_nonzero(seen)) < len(keys)


def column_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each value's code and the values by code: a categorical's own codes, else factorized."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64), column.cat.categories.to_numpy(dtype=object)
    codes, names = pd.factorize(column)
    return codes.astype(np.int64), np.asarray(names, dtype=object)
