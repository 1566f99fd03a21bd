"""The pure core imports no web, database or template package, and nothing outside itself."""

import ast
from pathlib import Path

from tests.helpers import ROOT

FORBIDDEN = {
    "litestar",
    "sqlalchemy",
    "alembic",
    "jinja2",
    "websockets",
    "uvicorn",
    "redis",
    "psycopg",
    "judges",
    "live",
    "results",
    "server",
    "typer",
    "rich",
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_scoring_core_imports_no_framework_or_outer_package():
    files = [p for p in (ROOT / "scoring").rglob("*.py") if "store" not in p.parts]
    assert files
    offenders = {str(p.relative_to(ROOT)): sorted(imported_roots(p) & FORBIDDEN) for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_results_does_not_import_the_server():
    for p in (ROOT / "results").rglob("*.py"):
        assert not imported_roots(p) & {"server", "judges", "live"}, p
