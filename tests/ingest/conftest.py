"""Fixtures of the ingestion tests: the slow-to-build parts, built once per session."""

from __future__ import annotations

import pytest

from ingest.link.state_names import StateNames
from ingest.pipeline import Toolkit


@pytest.fixture(scope="session")
def tools() -> Toolkit:
    """The pipeline's State names and entity linker (spaCy pipelines), shared by every test."""
    return Toolkit()


@pytest.fixture(scope="session")
def names(tools: Toolkit) -> StateNames:
    """The index of State names of the bundled reference data."""
    return tools.names
