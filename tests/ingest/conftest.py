"""Fixtures of the ingestion tests: the slow-to-build parts, built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.link.state_names import StateNames
from ingest.pipeline import Toolkit
from kg.settings import get_settings


@pytest.fixture(scope="session")
def tools() -> Toolkit:
    """The pipeline's State names and entity linker (spaCy pipelines), shared by every test."""
    return Toolkit()


@pytest.fixture(scope="session")
def names(tools: Toolkit) -> StateNames:
    """The index of State names of the bundled reference data."""
    return tools.names


@pytest.fixture
def peru_renamed(ontology_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """`MWG_KG_ONTOLOGY_DIR` pointing at a copy of the ontology folder whose table of States calls
    Peru "Tawantinsuyu" (and no longer "Peru"); the settings are read afresh on the way in and out."""
    copy = tmp_path / "ontology"
    shutil.copytree(ontology_dir, copy)
    states = copy / "reference" / "states.csv"
    row = "\nPER,PE,604,member,Peru,"
    text = states.read_text(encoding="utf-8")
    assert text.count(row) == 1
    states.write_text(text.replace(row, "\nPER,PE,604,member,Tawantinsuyu,"), encoding="utf-8")
    monkeypatch.setenv("MWG_KG_ONTOLOGY_DIR", str(copy))
    get_settings.cache_clear()
    yield copy
    get_settings.cache_clear()
