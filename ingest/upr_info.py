"""Responses from UPR-Info-style CSV files, attached to recommendations already in the graph.

Those files carry no paragraph numbers, so a row is matched to a recommendation addressed to the
same State by its text, compared after folding case, punctuation and spacing.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ingest.records import ResponseRecord
from ingest.to_rdf import content_hash, typed
from kg import __version__
from kg.namespaces import DCTERMS, MWG, PROV, RDF, graph_iri, instance_iri
from kg.store import GraphStore

PREFIX_LENGTH = 120


def fold(text: str) -> str:
    """`Ratify  the ICESCR;` -> `ratify the icescr`: what two copies of one text share."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def recommendation_index(store: GraphStore, state: str) -> dict[str, str]:
    """Folded text (and its first 120 characters) -> recommendation IRI, for one addressed State."""
    index: dict[str, str] = {}
    for row in store.run_named("recommendations-to-state", {"iso3": state}, max_rows=1_000_000).records():
        folded = fold(row["text"].value)
        index.setdefault(folded, row["recommendation"].value)
        index.setdefault(folded[:PREFIX_LENGTH], row["recommendation"].value)
    return index


def upr_info_response_quads(store: GraphStore, path: Path, responses: list[ResponseRecord]) -> tuple[list[ox.Quad], int]:
    """Quads for the rows that match a recommendation, in the file's own named graph; and their count."""
    key = re.sub(r"[^A-Za-z0-9.]+", "-", path.stem)
    graph = ox.NamedNode(graph_iri("upr-info", key))
    activity = ox.NamedNode(instance_iri("ingest", "upr-info", key))
    quads: list[ox.Quad] = []

    def add(subject: ox.NamedNode, predicate, value) -> None:
        obj = ox.NamedNode(value) if isinstance(value, str) else value
        quads.append(ox.Quad(subject, ox.NamedNode(str(predicate)), obj, graph))

    indexes: dict[str, dict[str, str]] = {}
    matched = 0
    for response in responses:
        index = indexes.setdefault(response.respondent, recommendation_index(store, response.respondent))
        folded = fold(response.text or "")
        recommendation = index.get(folded) or index.get(folded[:PREFIX_LENGTH])
        if not recommendation:
            continue
        matched += 1
        digest = hashlib.sha256(f"{recommendation} {response.position}".encode()).hexdigest()[:16]
        node = ox.NamedNode(instance_iri("response", "upr-info", key, digest))
        add(node, RDF.type, MWG.Response)
        add(node, MWG.respondsTo, recommendation)
        add(node, MWG.position, instance_iri("upr-position", response.position))
        add(node, MWG.respondent, instance_iri("state", response.respondent))
        add(node, MWG.extractionRule, ox.Literal(response.rule))
        add(node, PROV.wasGeneratedBy, activity)
    source = ox.NamedNode(instance_iri("document", "upr-info", key))
    add(source, RDF.type, MWG.Document)
    add(source, MWG.documentKind, instance_iri("document-kind", "other"))
    add(source, DCTERMS.language, typed("en", "language"))
    add(source, DCTERMS.title, ox.Literal(f"UPR-Info-style responses ({path.name})", language="en"))
    add(source, MWG.contentHash, ox.Literal(content_hash(path)))
    add(source, DCTERMS.format, ox.Literal("text/csv"))
    add(source, MWG.sourceFileName, ox.Literal(path.name))
    for node in {quad.subject for quad in quads if quad.subject != activity and quad.subject != source}:
        add(node, DCTERMS.source, source)
    add(activity, RDF.type, MWG.IngestActivity)
    add(activity, PROV.startedAtTime, typed(datetime.now(timezone.utc).isoformat(), "dateTime"))
    add(activity, PROV.used, source)
    add(activity, MWG.softwareVersion, ox.Literal(__version__))
    add(activity, MWG.extractionRule, ox.Literal("mwg.responses.upr-info-csv.v1"))
    return quads, matched
