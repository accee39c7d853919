"""What an extractor is: the kinds of document it reads, and a method that reads one.

Each module of `ingest.extract` that reads a kind of UN document defines one class of this shape
(`Extractor`); `ingest.extract.EXTRACTORS` lists them, and the pipeline asks `extractor_for(kind)`
which one reads a recognised document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ingest.records import DocumentInfo, DocumentText, RecommendationRecord, ResponseRecord

if TYPE_CHECKING:
    from ingest.link.state_names import StateNames


class NameResolver(Protocol):
    """What an extractor needs to turn a State's name into its ISO alpha-3 code (`StateNames`)."""

    def resolve(self, name: str) -> str | None: ...


class Tools(Protocol):
    """The slow-to-build parts an extractor may use, built once per process (`ingest.pipeline.Toolkit`)."""

    @property
    def names(self) -> StateNames: ...


@dataclass
class Extraction:
    """What an extractor found in one document."""

    recommendations: list[RecommendationRecord] = field(default_factory=list)
    responses: list[ResponseRecord] = field(default_factory=list)


@runtime_checkable
class Extractor(Protocol):
    """Reads the documents of `kinds` (keys of the document-kind scheme, as `ingest.read.recognise`
    tells them: `"upr-working-group-report"`, `"concluding-observations"`, …)."""

    kinds: tuple[str, ...]

    def extract(self, document: DocumentText, info: DocumentInfo, tools: Tools) -> Extraction:
        """The recommendations (or responses) of `document`; `DocumentError` when it holds none it can read."""
        ...
