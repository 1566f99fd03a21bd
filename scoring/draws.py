"""Drawing lots (抽签) with recorded seeds, so any draw can be replayed and audited.

- order: the order of appearance, a shuffle of the entries sorted by key;
- stations: the order, dealt round the stations (1, 2, ..., k, 1, 2, ...);
- blind codes in two stages (二次加密): first each entry draws a check-in number (the first
  draw sets the order of the second); then, in check-in order, entries draw the codes that
  judges will see, from a pool shuffled by a second seed, drawn by another official.
Every function is pure: the same entries and seeds give the same result on any machine
(Python's random.Random with an integer seed is stable across versions for shuffle).
"""

from __future__ import annotations

import random
import secrets


def new_seed() -> int:
    return secrets.randbits(48)


def draw_order(entries: list[str], seed: int) -> list[str]:
    """The order of appearance: the sorted entries shuffled by a generator seeded with `seed`."""
    order = sorted(entries)
    random.Random(seed).shuffle(order)
    return order


def draw_stations(entries: list[str], seed: int, stations: int) -> dict[str, int]:
    """Station per entry: the drawn order dealt round `stations` stations."""
    if stations < 1:
        raise ValueError("at least one station")
    return {entry: i % stations + 1 for i, entry in enumerate(draw_order(entries, seed))}


def draw_checkin(entries: list[str], seed: int) -> dict[str, int]:
    """Stage one: a check-in number per entry (1..n)."""
    return {entry: i + 1 for i, entry in enumerate(draw_order(entries, seed))}


def code_pool(count: int, prefix: str) -> list[str]:
    width = max(2, len(str(count)))
    return [f"{prefix}{n:0{width}d}" for n in range(1, count + 1)]


def draw_codes(checkin: dict[str, int], seed: int, prefix: str = "") -> dict[str, str]:
    """Stage two: in check-in order, each entry takes the next code from a pool shuffled by `seed`."""
    pool = code_pool(len(checkin), prefix)
    random.Random(seed).shuffle(pool)
    in_order = sorted(checkin, key=lambda entry: checkin[entry])
    return dict(zip(in_order, pool, strict=True))
