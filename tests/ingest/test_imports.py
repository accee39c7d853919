"""Importing ingest changes no global state: no spaCy factory, logging filter or handler, warning filter."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: first what ingest's modules import at their top level from elsewhere,
# then ingest's own modules; what is global must look the same before and after the second step.
PROBE = """
import importlib, json, logging, sys, warnings
from spacy.language import Language

def state():
    loggers = [logging.getLogger()] + [logging.getLogger(name) for name in sorted(logging.root.manager.loggerDict)]
    return {
        "spacy factories": sorted(Language.factories),
        "logging": sorted([logger.name, len(logger.filters), len(logger.handlers), logger.level] for logger in loggers),
        "warnings": len(warnings.filters),
    }

for name in sys.argv[1].split(","):
    importlib.import_module(name)
before = state()
for name in sys.argv[2].split(","):
    importlib.import_module(name)
after = state()
new_loggers = {row[0] for row in after["logging"]} - {row[0] for row in before["logging"]}
after["logging"] = [row for row in after["logging"] if row[0] not in new_loggers or row[1:] != [0, 0, 0]]
print(json.dumps([before, after]))
"""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def outside_imports(path: Path) -> set[str]:
    """Modules from outside ingest that `path` imports at its top level."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name for name in names if name.split(".")[0] not in ("ingest", "__future__")}


def test_importing_ingest_installs_no_global_state():
    paths = sorted((ROOT / "ingest").rglob("*.py"))
    outside = sorted(set().union(*(outside_imports(path) for path in paths)))
    own = [module_name(path) for path in paths]
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(outside), ",".join(own)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    before, after = json.loads(probe.stdout)
    assert after == before
