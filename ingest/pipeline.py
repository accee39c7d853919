"""From a file to validated graph data: read, recognise, extract, link, build RDF, commit.

`extract_file` needs no store (it works on a fresh install: gazetteers come from the reference
tables); `ingest_file` commits one document's named graph in one step, replacing any earlier
version, after SHACL validation. A failed document leaves the store as it was.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from ingest.extract import extractor_for
from ingest.extract.upr_info_csv import UPR_INFO_HEADER, read_upr_info_csv
from ingest.link.linking import EntityLinker
from ingest.link.state_names import StateNames
from ingest.read.readers import read_document
from ingest.read.recognise import recognise
from ingest.records import DocumentError, ExtractionResult, RecommendationRecord
from ingest.to_rdf import DocumentGraph, Source, content_hash, document_key
from ingest.upr_info import upr_info_response_quads
from kg.errors import ValidationFailedError
from kg.namespaces import instance_iri
from kg.store import GraphStore

SUPPORTED_LANGUAGES = ("en", "es", "fr")
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".text")


class Toolkit:
    """The slow-to-build parts (spaCy pipeline, name tables), built once per process."""

    @cached_property
    def names(self) -> StateNames:
        return StateNames.from_reference()

    @cached_property
    def linker(self) -> EntityLinker:
        return EntityLinker.from_reference()


def extract_file(path: Path, *, tools: Toolkit) -> ExtractionResult:
    """Read and understand one document; raise DocumentError about the file if it cannot be."""
    try:
        return _extract(path, tools)
    except DocumentError as error:
        raise error.about(path) from None


def _extract(path: Path, tools: Toolkit) -> ExtractionResult:
    document = read_document(path)
    info = recognise(document, file_name=path.name)
    if info.language not in SUPPORTED_LANGUAGES:
        raise DocumentError(
            f"{path.name}: the document seems to be in neither English, Spanish nor French "
            f"(detected '{info.language}'); only those are supported"
        )
    extractor = extractor_for(info.kind)
    if extractor is None:
        raise DocumentError(f"{path.name}: a document of kind '{info.kind}' holds no recommendations to extract")
    found = extractor.extract(document, info, tools)
    result = ExtractionResult(
        info=info,
        document=document,
        recommendations=found.recommendations,
        responses=found.responses,
        warnings=list(document.warnings),
    )
    if not result.recommendations and not result.responses:
        raise DocumentError(f"{path.name}: no recommendations or responses found in this {info.kind}")
    for record in result.recommendations:
        link_record(record, result, tools.linker)
    return result


def link_record(record: RecommendationRecord, result: ExtractionResult, linker: EntityLinker) -> None:
    """Fill a recommendation's instruments, SDG targets, themes, companies and communities."""
    links = linker.link(record.text, language=result.info.language)
    record.instruments = links.instruments
    record.sdg_targets = links.sdg_targets
    record.themes = links.themes
    record.companies = links.companies
    record.communities = links.communities


@dataclass
class IngestSummary:
    documents: int = 0
    recommendations: int = 0
    responses: int = 0
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def document_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and the documents (and UPR-Info CSV files) under folders named, in order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (*DOCUMENT_SUFFIXES, ".csv"))
        else:
            yield path


def ingest_file(store: GraphStore, path: Path, *, tools: Toolkit, summary: IngestSummary) -> None:
    """Ingest one file into its own named graph, replacing an earlier version of it; raise
    DocumentError about the file if it is refused (the store is then left as it was)."""
    try:
        _ingest(store, path, tools=tools, summary=summary)
    except DocumentError as error:
        raise error.about(path) from None


def _ingest(store: GraphStore, path: Path, *, tools: Toolkit, summary: IngestSummary) -> None:
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        ingest_upr_info_csv(store, path, tools=tools, summary=summary)
        return
    started = datetime.now(timezone.utc)
    result = extract_file(path, tools=tools)
    source = Source(content_hash(path), path.name, mimetypes.guess_type(path.name)[0] or "text/plain")
    graph = DocumentGraph(result, source)
    missing_mechanism = result.info.author and not store.has_node(instance_iri(*result.info.author.split("/", 1)))
    if not result.info.author or missing_mechanism:
        raise DocumentError(f"{path.name}: cannot tell which UN mechanism issued it (found '{result.info.author}')")
    responses_to, unmatched = match_responses(store, result)
    quads = graph.build(responses_to=responses_to, started=started)
    try:
        store.replace_graphs(quads)
    except ValidationFailedError as error:
        details = "; ".join(str(v) for v in error.violations[:5])
        raise DocumentError(f"{path.name}: the extracted data does not conform to the shapes: {details}") from None
    summary.documents += 1
    summary.recommendations += len(result.recommendations)
    summary.responses += len(responses_to) + sum(1 for r in result.recommendations if r.position)
    summary.warnings += [f"{path.name}: {warning}" for warning in result.warnings + unmatched]


def match_responses(store: GraphStore, result: ExtractionResult) -> tuple[dict[str, str], list[str]]:
    """Map each response of an addendum to the recommendation it answers, if that is in the graph."""
    matched, unmatched = {}, []
    for response in result.responses:
        symbol = response.recommendation_symbol
        iri = instance_iri("recommendation", document_key(symbol, ""), response.recommendation_paragraph) if symbol else None
        if iri and store.has_node(iri):
            matched[response.recommendation_paragraph] = iri
        else:
            unmatched.append(
                f"recommendation {response.recommendation_paragraph} of {symbol or 'the report'} is not in the graph; "
                "ingest the Working Group report first"
            )
    return matched, unmatched


def ingest_upr_info_csv(store: GraphStore, path: Path, *, tools: Toolkit, summary: IngestSummary) -> None:
    """Record UPR-Info-style responses on recommendations already in the graph (matched by text)."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        if not handle.readline().startswith(UPR_INFO_HEADER):
            raise DocumentError(f"{path.name}: a CSV file must have the UPR-Info header ({UPR_INFO_HEADER},…)")
    responses = read_upr_info_csv(path, names=tools.names)
    quads, matched = upr_info_response_quads(store, path, responses)
    if not matched:
        raise DocumentError(f"{path.name}: none of its {len(responses)} rows matches a recommendation in the graph")
    store.replace_graphs(quads)
    summary.documents += 1
    summary.responses += matched
    if matched < len(responses):
        summary.warnings.append(f"{path.name}: {len(responses) - matched} rows match no recommendation in the graph")
