"""Stores for the kg tests: in memory, never mocked (the reference stores are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from kg.settings import Settings
from kg.store import GraphStore


@pytest.fixture
def empty_store() -> GraphStore:
    return GraphStore.in_memory(Settings())
