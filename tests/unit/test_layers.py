"""The layers hold: import-linter checks the contracts in pyproject.toml over the whole tree,
and a wrong import planted in a copy of the tree breaks them (so the check can fail)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.helpers import ROOT

PACKAGES = [
    "scoring",
    "results",
    "web",
    "organiser",
    "judges",
    "quiz",
    "public",
    "live",
    "server",
    "nominations",
    "works",
    "online",
]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__", "templates"))
    return tree


def test_the_core_outside_its_store_never_imports_the_store():
    graph = grimp.build_graph("scoring")
    store = {m for m in graph.modules if m == "scoring.store" or m.startswith("scoring.store.")}
    offenders = {
        importer: sorted(graph.find_modules_directly_imported_by(importer) & store)
        for importer in graph.modules - store
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert "scoring.store.sheets" in store and "scoring.rubrics.engine" in graph.modules  # the graph is real


def test_the_tree_keeps_every_layer_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        ("organiser/service.py", "import judges.seats", "Areas never import each other"),
        ("web/pages.py", "import organiser.service", "Inward only"),
        ("scoring/rubrics/engine.py", "import sqlalchemy", "The core is pure"),
        ("scoring/store/sheets.py", "import results.standings", "Inward only"),
        ("results/standings.py", "import web.i18n", "Inward only"),
        ("works/unit_pages.py", "import organiser.service", "Areas never import each other"),
    ],
)
def test_a_planted_wrong_import_breaks_its_contract(tmp_path, module, planted, contract):
    tree = copy_of_the_tree(tmp_path)
    path = tree / module
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("from __future__ import annotations\n", f"from __future__ import annotations\n\n{planted}\n", 1)
    )
    assert planted in path.read_text(encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if "BROKEN" in line or contract in line]
    assert any(contract in line for line in broken), result.stdout
