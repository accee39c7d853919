"""The layering of DESIGN.md §2: kg imports neither ingest nor api; ingest never imports api."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"kg": {"api", "ingest", "fastapi", "spacy"}, "ingest": {"api", "fastapi"}}


def imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upper_layers(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_top_level_modules(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_only_the_store_module_touches_pyoxigraph_store():
    users = [
        str(path.relative_to(ROOT))
        for package in ("kg", "api", "ingest")
        for path in (ROOT / package).rglob("*.py")
        if "Store(" in path.read_text(encoding="utf-8")
    ]
    assert users == ["kg/store.py"]
