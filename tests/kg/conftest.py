"""Stores for the kg tests: in memory, never mocked."""

from __future__ import annotations

import pytest

from kg.initialise import initialise
from kg.settings import Settings
from kg.store import GraphStore


@pytest.fixture(scope="session")
def reference_store() -> GraphStore:
    """An in-memory store holding the ontology and reference data (built once: SHACL is slow)."""
    store = GraphStore.in_memory(Settings())
    initialise(store)
    return store


@pytest.fixture
def empty_store() -> GraphStore:
    return GraphStore.in_memory(Settings())
