"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.paths import bundled_dir

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


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
