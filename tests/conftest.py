"""Fixtures shared by every test package.

The ontology and reference data are built and SHACL-validated once per session, by the real
`mwg-kg init` on an empty folder (it takes seconds); every store a test gets is a copy of that
folder or is loaded from its one N-Quads export.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.paths import bundled_dir
from kg.formats import syntax_named
from kg.settings import Settings
from kg.store import GraphStore

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
NQUADS = syntax_named("nquads")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data` beside the checkout; tests that need it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"outside reference data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def ontology_dir() -> Path:
    return bundled_dir("ontology")


@pytest.fixture(scope="session")
def reference_dir(ontology_dir: Path) -> Path:
    return ontology_dir / "reference"


@dataclass(frozen=True)
class InitRun:
    """The session's one `mwg-kg init` on an empty folder: the folder and what the command said."""

    data_dir: Path
    result: subprocess.CompletedProcess


@pytest.fixture(scope="session")
def session_init(tmp_path_factory) -> InitRun:
    """The real command, in its own process; its folder is never written to (tests copy it)."""
    data_dir = tmp_path_factory.mktemp("initialised") / "data"
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "init"], env={**os.environ, "MWG_KG_DATA_DIR": str(data_dir)},
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return InitRun(data_dir, result)


@pytest.fixture(scope="session")
def reference_nquads(session_init: InitRun, tmp_path_factory) -> bytes:
    """The ontology, shapes and reference data as N-Quads, exported from the session's `init`."""
    store = GraphStore.open(Settings(data_dir=session_init.data_dir))
    try:
        buffer = io.BytesIO()
        store.export(buffer, NQUADS)
    finally:
        store.close()
    return buffer.getvalue()


def store_from_nquads(nquads: bytes, settings: Settings | None = None) -> GraphStore:
    """A new in-memory store holding `nquads` (already validated, so not validated again)."""
    store = GraphStore.in_memory(settings or Settings())
    store.add_quads(store.parse(nquads, syntax=NQUADS, graph="urn:x-unused:default"), validate=False)
    return store


@pytest.fixture(scope="session")
def reference_store(reference_nquads: bytes) -> GraphStore:
    """The reference data, shared by the whole session: read it, never write to it."""
    return store_from_nquads(reference_nquads)


@pytest.fixture
def reference_copy(reference_nquads: bytes) -> GraphStore:
    """A private copy of the reference data, for a test that writes."""
    return store_from_nquads(reference_nquads)
