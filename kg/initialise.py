"""`mwg-kg init`: load the ontology, the shapes and the reference data into the store.

Idempotent: a fingerprint of the source files is kept in the system graph, and a store that
already holds this exact version is left alone (unless forced). Reloading replaces the graphs in
one commit, so nothing is ever duplicated.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.errors import ValidationFailedError
from kg.namespaces import DCTERMS, ONTOLOGY_IRI, graph_iri
from kg.reference import reference_quads
from kg.store import GraphStore
from kg.terms import to_rdflib_graph
from kg.validation import ONTOLOGY_FILES, SHAPES_FILE

ONTOLOGY_GRAPH = graph_iri("ontology")
SHAPES_GRAPH = graph_iri("shapes")
SYSTEM_GRAPH = graph_iri("system")


@dataclass(frozen=True)
class InitReport:
    fingerprint: str
    changed: bool
    triples: int


def source_files(ontology_dir: Path) -> list[Path]:
    return sorted(
        [ontology_dir / name for name in (*ONTOLOGY_FILES, SHAPES_FILE)]
        + list((ontology_dir / "reference").glob("*.csv"))
    )


def fingerprint(ontology_dir: Path) -> str:
    """A digest of every file `init` reads, and of this code's version."""
    digest = hashlib.sha256(__version__.encode())
    for path in source_files(ontology_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()


def stored_fingerprint(store: GraphStore) -> str | None:
    answer = store.run_named("store-fingerprint", default_graphs=[SYSTEM_GRAPH])
    records = answer.records()
    return records[0]["fingerprint"].value if records else None


def _turtle_quads(paths: list[Path], graph: str) -> list[ox.Quad]:
    target = ox.NamedNode(graph)
    return [
        ox.Quad(t.subject, t.predicate, t.object, target)
        for path in paths
        for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
    ]


def initialise(store: GraphStore, *, force: bool = False) -> InitReport:
    """Bring the store's ontology, shapes and reference graphs up to date with the source files."""
    ontology_dir = store.settings.ontology_path
    current = fingerprint(ontology_dir)
    if not force and stored_fingerprint(store) == current:
        return InitReport(fingerprint=current, changed=False, triples=len(store))
    reference = reference_quads(ontology_dir / "reference")
    violations = store.validator.violations(to_rdflib_graph(reference))
    if violations:
        raise ValidationFailedError(violations)
    system = ox.NamedNode(SYSTEM_GRAPH)
    stamp = [ox.Quad(ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode(str(DCTERMS.hasVersion)), ox.Literal(current), system)]
    store.replace_graphs(
        _turtle_quads([ontology_dir / name for name in ONTOLOGY_FILES], ONTOLOGY_GRAPH)
        + _turtle_quads([ontology_dir / SHAPES_FILE], SHAPES_GRAPH)
        + reference
        + stamp,
        validate=False,
    )
    return InitReport(fingerprint=current, changed=True, triples=len(store))

