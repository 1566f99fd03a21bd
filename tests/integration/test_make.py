"""The Makefile on a newcomer's machine: the Python it is given and the virtualenv it finds
(issue 9, item 19)."""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

WHO = "import sys; print(sys.version.split()[0], sys.base_prefix)"


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
    )


def older_python() -> str:
    """A Python older than 3.11 that runs (this kind of machine has several under pyenv)."""
    candidates = [shutil.which(f"python3.{minor}") for minor in (10, 9, 8)]
    candidates += sorted(glob.glob("/root/.pyenv/versions/3.1[0]*/bin/python3"))
    candidates += sorted(glob.glob("/root/.pyenv/versions/3.[6-9]*/bin/python3"))
    candidates += [f"/usr/bin/python3.{minor}" for minor in (10, 9)]
    for candidate in candidates:
        if not candidate:
            continue
        found = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info < (3, 11))"], capture_output=True, text=True
        )
        if found.returncode == 0 and found.stdout.strip() == "True":
            return candidate
    pytest.skip("no Python older than 3.11 on this machine to try the Makefile's check with")


def identity(python: str | Path) -> str:
    return subprocess.run([str(python), "-c", WHO], capture_output=True, text=True, check=True).stdout.strip()


def test_make_refuses_a_python_older_than_3_11_and_makes_nothing(tmp_path):
    old = older_python()
    venv = tmp_path / "venv"
    result = make("test", f"PYTHON={old}", f"VENV={venv}")
    assert result.returncode != 0
    assert "需要 Python 3.11 或更新版本" in result.stderr and "Python 3.11+ is needed" in result.stderr, result.stderr
    assert "PYTHON=python3.11" in result.stderr
    assert not venv.exists()


def test_a_venv_made_by_another_python_is_rebuilt_not_reused(tmp_path):
    """The issue's trap: an old Python left a broken .venv that every later target reused."""
    old = older_python()
    venv = tmp_path / "venv"
    subprocess.run([old, "-m", "venv", "--without-pip", str(venv)], check=True)
    (venv / ".installed").touch()  # even a venv that claims to be installed
    python = sys.executable
    dry = make("-n", f"{venv}/.installed", f"PYTHON={python}", f"VENV={venv}")
    assert "-m pip install" in dry.stdout, dry.stdout  # forced: reinstalled
    rebuilt = make("venv", f"PYTHON={python}", f"VENV={venv}")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "rebuilding" in rebuilt.stdout
    assert identity(venv / "bin" / "python") == identity(python)
    assert not (venv / ".installed").exists()
    # made by the right Python and installed after the lock: nothing to do
    (venv / ".installed").touch()
    again = make("-n", f"{venv}/.installed", f"PYTHON={python}", f"VENV={venv}")
    assert "pip install" not in again.stdout, again.stdout


def test_make_leaves_alone_a_folder_that_is_not_a_virtualenv(tmp_path):
    folder = tmp_path / "not-a-venv"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me", encoding="utf-8")
    result = make("venv", f"PYTHON={sys.executable}", f"VENV={folder}")
    assert result.returncode != 0 and "not a virtualenv" in result.stderr
    assert (folder / "precious.txt").read_text(encoding="utf-8") == "keep me"
