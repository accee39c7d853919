"""The layering of DESIGN.md §2: kg imports neither ingest nor api; ingest never imports api; only
kg/store.py touches pyoxigraph's `Store`."""

import ast
import subprocess
import sys
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


def pyoxigraph_store_uses(source: str) -> list[str]:
    """Every place `source` reaches pyoxigraph's `Store` class, as `line N: spelling`.

    Read from the syntax tree, so strings and comments do not count and every spelling does:
    `from pyoxigraph import Store` (or `*`, or from the inner `pyoxigraph.pyoxigraph`),
    `pyoxigraph.Store`, `ox.Store.read_only(...)`, any alias of the module (`import pyoxigraph as
    x`, `y = x`) and `getattr(x, "Store")`.
    """
    tree = ast.parse(source)
    modules: set[str] = set()  # names bound to pyoxigraph (or its inner module)
    uses: list[str] = []

    def is_pyoxigraph(name: str | None) -> bool:
        return name is not None and (name == "pyoxigraph" or name.startswith("pyoxigraph."))

    def is_module(node: ast.AST | None) -> bool:
        """`ox`, `pyoxigraph`, `ox.pyoxigraph`: an expression naming the module."""
        if isinstance(node, ast.Attribute) and node.attr == "pyoxigraph":
            return is_module(node.value)
        return isinstance(node, ast.Name) and node.id in modules

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if is_pyoxigraph(alias.name):
                    modules.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and is_pyoxigraph(node.module):
            for alias in node.names:
                if alias.name in ("Store", "*"):
                    uses.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                elif alias.name == "pyoxigraph":
                    modules.add(alias.asname or alias.name)
    # Plain aliases of the module (`db = ox`), followed until no new name appears.
    assignments = [node for node in ast.walk(tree) if isinstance(node, ast.Assign | ast.AnnAssign)]
    while True:
        aliases = {
            target.id
            for node in assignments
            if is_module(node.value)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        }
        if aliases <= modules:
            break
        modules |= aliases
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "Store" and is_module(node.value):
            uses.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and len(node.args) >= 2 and is_module(node.args[0])
              and isinstance(node.args[1], ast.Constant) and node.args[1].value == "Store"):
            uses.append(f"line {node.lineno}: {ast.unparse(node)}")
    return sorted(set(uses))


@pytest.mark.parametrize(
    "source",
    [
        "from pyoxigraph import Store",
        "from pyoxigraph import Quad, Store as S",
        "from pyoxigraph import *",
        "from pyoxigraph.pyoxigraph import Store",
        "import pyoxigraph\npyoxigraph.Store()",
        "import pyoxigraph as ox\nox.Store()",
        "import pyoxigraph as ox\ndef f(path):\n    return ox.Store.read_only(path)",
        "import pyoxigraph as x\nx.Store",
        "import pyoxigraph as x\ndef f(s: x.Store): ...",
        "import pyoxigraph as x\ny = x\nz = y\nz.Store(None)",
        "import pyoxigraph.pyoxigraph as inner\ninner.Store",
        "from pyoxigraph import pyoxigraph as inner\ninner.Store",
        "import pyoxigraph\npyoxigraph.pyoxigraph.Store",
        "import pyoxigraph as ox\ncls = getattr(ox, 'Store')",
        "def f():\n    import pyoxigraph as late\n    return late.Store()",
    ],
)
def test_the_store_check_catches_every_spelling(source):
    assert len(pyoxigraph_store_uses(source)) == 1, source


@pytest.mark.parametrize(
    "source",
    [
        "import pyoxigraph as ox\nox.Quad, ox.NamedNode, ox.parse",
        "from pyoxigraph import Literal, NamedNode",
        "# ox.Store() in a comment\ntext = 'pyoxigraph.Store and from pyoxigraph import Store'",
        "class Store: ...\nStore()",
        "import other as ox\nox.Store()",
        "from kg.store import GraphStore\nGraphStore.open()",
        "import pyoxigraph as ox\nnode = ox.NamedNode\nnode.Store",
    ],
)
def test_the_store_check_leaves_everything_else_alone(source):
    assert pyoxigraph_store_uses(source) == []


def test_only_the_store_module_touches_pyoxigraph_store():
    users = {
        str(path.relative_to(ROOT)): pyoxigraph_store_uses(path.read_text(encoding="utf-8"))
        for package in ("kg", "api", "ingest")
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {path: uses for path, uses in users.items() if uses and path != "kg/store.py"} == {}
    assert users["kg/store.py"]  # the check does see the one module that may


HEAVY_FOR_A_WORKER = ("rdflib", "pyshacl", "pydantic", "pydantic_settings", "yaml", "fastapi", "spacy")


def test_a_query_worker_imports_nothing_heavier_than_pyoxigraph():
    """A worker (`python -m kg.query_workers`) opens its checkpoints through kg.store, which must
    therefore import light: a worker replaced after a timeout should answer at once."""
    script = (
        "import sys\n"
        "import kg.query_workers\n"
        "from kg.store import open_checkpoint\n"
        f"print(sorted(set({HEAVY_FOR_A_WORKER!r}) & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_store_module_spells_the_staging_prefix_as_the_namespaces_do():
    from kg.namespaces import graph_iri
    from kg.store import STAGING_PREFIX

    assert STAGING_PREFIX == graph_iri("staging") + "/"
