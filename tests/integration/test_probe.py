"""The outside probe (bench/probe_server.py) runs against a server it starts and finds every
check held: the memory bomb, lock squatting, CSRF by a competition's key, text/plain and
cross-origin writes, and a copied cookie after sign-out."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT


def test_the_outside_probe_finds_every_break_closed():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "probe_server.py")], capture_output=True, text=True, timeout=300
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(lines) == 5 and all(line.startswith("held") for line in lines), done.stdout
