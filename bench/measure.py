"""Timing and peak-memory measurement shared by the benchmark scripts (printed, never asserted).

Each line shows the best wall time and the best CPU time of this process: on a shared, loaded
machine the wall time also counts waiting for a core, the CPU time does not."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def measure(label: str, work: Callable[[], Any], repeat: int = 3) -> tuple[float, float, Any]:
    """Best wall time over `repeat` runs, and peak traced memory (MiB) of one run."""
    best = cpu = float("inf")
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = work()
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    tracemalloc.start()  # a second run, traced: tracing slows it, so its time is not used
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    mib = peak / 2**20
    print(f"  {label:<46} {best:8.3f} s   cpu {cpu:7.3f} s   peak {mib:8.1f} MiB")
    return best, mib, result
