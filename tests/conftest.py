"""Fixtures shared by every test package.

The ontology and reference data are built and SHACL-validated once per session (`init` takes
seconds); every store a test gets is a copy loaded from that one N-Quads export.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kg.initialise import initialise
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


@pytest.fixture(scope="session")
def reference_nquads() -> bytes:
    """The ontology, shapes and reference data as N-Quads, from the one validated `init` of the session."""
    store = GraphStore.in_memory(Settings())
    initialise(store)
    buffer = io.BytesIO()
    store.export(buffer, NQUADS)
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
