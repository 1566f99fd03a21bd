"""The Makefile on a newcomer's machine: the Python it is given, the virtualenv it finds, the
versions it installs, and the settings the README documents (issue 9, items 19 and 20)."""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.helpers import ROOT

LOCK = ROOT / "requirements-lock.txt"
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
    assert f"-m pip install --quiet -r {LOCK.name}" in dry.stdout, dry.stdout  # forced: reinstalled
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


def test_make_installs_the_locked_versions_then_the_project_without_dependencies(tmp_path):
    dry = make("-n", "test", f"VENV={tmp_path / 'venv'}").stdout
    install = [line for line in dry.splitlines() if "pip install" in line]
    assert install == [
        f"{tmp_path}/venv/bin/python -m pip install --quiet -r requirements-lock.txt",
        f"{tmp_path}/venv/bin/python -m pip install --quiet --no-deps -e .",
    ], dry
    assert f"{tmp_path}/venv/bin/python -m pip check" in dry
    # a change to the lock reinstalls
    assert re.search(r"^\$\(STAMP\): pyproject\.toml \$\(LOCK\)", (ROOT / "Makefile").read_text(), re.M)


def _locked() -> dict[str, tuple[str, Marker | None]]:
    pins: dict[str, tuple[str, Marker | None]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith((" ", "#")):
            continue
        requirement, _, marker = line.partition(";")
        name, equals, version = requirement.strip().partition("==")
        assert equals, f"not pinned exactly: {line}"
        pins[canonicalize_name(name)] = (version.strip(), Marker(marker) if marker.strip() else None)
    return pins


def test_the_lock_pins_every_requirement_of_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _locked()
    for line in project["dependencies"] + project["optional-dependencies"]["dev"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in {LOCK.name}: run make lock"
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (
            f"{LOCK.name} pins {name}=={pins[name][0]}, outside {requirement}: run make lock"
        )


def test_the_packages_the_tests_run_with_are_the_locked_ones():
    """`make test` installs from the lock, so the tests run with the versions that passed."""
    wrong = {}
    for name, (version, marker) in _locked().items():
        if marker is not None and not marker.evaluate():
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong[name] = (version, None)
            continue
        if Version(installed) != Version(version):
            wrong[name] = (version, installed)
    assert wrong == {}, f"(locked, installed): {wrong}; run make (it reinstalls from the lock)"


# -- the settings table --------------------------------------------------------------------------


def _readme_settings() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Settings · 设置", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)`", section, re.M))


def test_every_setting_read_anywhere_is_in_the_readme_table():
    read: set[str] = set()
    pattern = re.compile(r"""(?:environ\.get|environ\[|getenv)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")
    sources = [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and "build" not in p.parts]
    for path in sources + [ROOT / ".ci" / "run"]:
        read |= set(pattern.findall(path.read_text(encoding="utf-8")))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    read |= set(re.findall(r"^([A-Z_]+) \?=", makefile, re.M))  # what `make NAME=...` takes
    read |= {"SCORING_SECRET_KEY", "SCORING_SECURE_COOKIES", "SCORING_DATABASE_URL", "SCORING_REDIS_URL"}
    read |= {"SCORING_DATA_DIR", "SCORING_TEST_POSTGRES_URL", "PYTEST_ARGS", "PORT", "make clean"}
    documented = _readme_settings()
    assert read - documented == set(), f"settings missing from the README's table: {sorted(read - documented)}"
    assert "CI" in documented and "PYTHON" in documented


def test_ci_still_runs_the_readmes_test_command():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test\b", run, re.M)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^make (\w+)", readme.split("```sh", 1)[1].split("```", 1)[0], re.M)
    assert commands == ["demo", "test"]
