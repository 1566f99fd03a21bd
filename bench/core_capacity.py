"""How much more work this machine's cores do together than one alone: K processes each running
the same pure-Python loop for the same wall-clock window, started at the same moment, against one
such process alone. Printed by bench/bench_writes.py beside "K processes / 1 process": whatever
the servers run, K processes cannot do more than this many times the work of one, so it is the
ceiling of that ratio on this machine (a virtual machine's cores may share a physical core, or
the host's other guests may take their time: then two busy cores do far less than twice one).

Measures the loop only: nothing of the project runs here. Nothing is asserted.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

#: the loop each process runs: counts its iterations until the window ends, starting at `start`
LOOP = """
import sys, time
start, seconds = float(sys.argv[1]), float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
end, done = start + seconds, 0
while time.time() < end:
    for _ in range(10_000):
        done += 1
print(done)
"""


def loops_at_once(processes: int, seconds: float) -> list[int]:
    """Each of `processes` loops' iterations in a window of `seconds`, all started together."""
    start = time.time() + 0.3  # after every process has started
    running = [
        subprocess.Popen([sys.executable, "-c", LOOP, str(start), str(seconds)], stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    return [int(p.communicate()[0]) for p in running]


@dataclass
class Capacity:
    processes: int
    ratios: list[float]  # each trial's work of K loops at once / one loop's alone
    alone: list[float]  # each trial's iterations a second of one loop alone (this core's speed)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    def line(self) -> str:
        shown = ", ".join(f"{r:.2f}" for r in self.ratios)
        return (
            f"  this machine's cores: {self.processes} busy loops at once do {self.ratio:.2f}x the work of one "
            f"(median of {shown}; bench/core_capacity.py): the most {self.processes} processes can reach here, "
            f"whatever they run; one loop alone {statistics.median(self.alone) / 1e6:.1f} M iterations/s "
            "(a core's speed, to compare runs on other machines)"
        )


def capacity(processes: int, trials: int = 3, seconds: float = 1.0) -> Capacity:
    """`trials` times, one loop alone then `processes` at once, each for `seconds`."""
    ratios, speeds = [], []
    for _ in range(trials):
        alone = loops_at_once(1, seconds)[0]
        together = sum(loops_at_once(processes, seconds))
        ratios.append(together / alone)
        speeds.append(alone / seconds)
    return Capacity(processes, ratios, speeds)


if __name__ == "__main__":
    print(capacity(int(sys.argv[1]) if len(sys.argv) > 1 else 2).line())
