"""SHACL validation of data against the project's shapes (pySHACL, core constraints only).

Validation is run on a batch with only the context its shapes need (the ontology for class
hierarchy, the store's existing triples about the batch's subjects and the types of the nodes it
points to), never on the whole store: pySHACL is the slowest part of a load (DESIGN.md §6).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from kg.errors import Violation

ONTOLOGY_FILES = ("mwg.ttl", "vocabularies.ttl")
SHAPES_FILE = "shapes.ttl"
# What the shapes read from the ontology: the class hierarchy (`sh:class`, `sh:targetClass`), the
# types of the SKOS concepts and the schemes they are in (`sh:node` on themes and commodities).
# pySHACL copies the ontology into every data graph it checks, which cost ≈ 0.15 s a call with
# the labels and comments too.
ONTOLOGY_PREDICATES = (RDF.type, RDFS.subClassOf, SKOS.inScheme)


def read_turtle_files(paths: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


class ShapesValidator:
    """Validates rdflib graphs against `ontology/shapes.ttl`, with `mwg.ttl` as ontology."""

    def __init__(self, ontology_dir: Path):
        ontology = read_turtle_files(ontology_dir / name for name in ONTOLOGY_FILES)
        self.ontology = Graph()
        for predicate in ONTOLOGY_PREDICATES:
            for triple in ontology.triples((None, predicate, None)):
                self.ontology.add(triple)
        self.shapes = read_turtle_files([ontology_dir / SHAPES_FILE])

    def report(self, data: Graph) -> tuple[bool, Graph]:
        """pySHACL's verdict and report graph; the ontology's class hierarchy and its named
        individuals (the SKOS concepts, typed and in their schemes) are mixed into a copy of
        `data`, with no other inference."""
        conforms, report, _ = validate(
            data,
            shacl_graph=self.shapes,
            ont_graph=self.ontology,
            inference="none",
            do_owl_imports=False,
            advanced=False,
            allow_warnings=False,
        )
        return bool(conforms), report

    def violations(self, data: Graph, *, focus_nodes: Iterable[Node] | None = None) -> list[Violation]:
        """Return the violations of `data`; with `focus_nodes`, only those about these nodes.

        The filter is applied to the report rather than through pySHACL's `focus_nodes`, which
        cannot name blank nodes: a batch's blank nodes (selectors, nested events) are checked too.
        """
        conforms, report = self.report(data)
        found = [] if conforms else violations_in_report(report)
        if focus_nodes is None:
            return found
        wanted = {str(node) for node in focus_nodes}
        return [violation for violation in found if violation.focus_node in wanted]


def violations_in_report(report: Graph) -> list[Violation]:
    """Turn a SHACL validation report into `Violation`s, sorted by focus node then path."""
    found = []
    for result in report.subjects(SH.resultSeverity, None):
        def value_of(predicate: URIRef) -> str | None:
            value = report.value(result, predicate)
            return None if value is None else str(value)

        severity = value_of(SH.resultSeverity) or str(SH.Violation)
        found.append(
            Violation(
                focus_node=value_of(SH.focusNode) or "",
                path=value_of(SH.resultPath),
                message=value_of(SH.resultMessage) or "does not conform",
                severity=severity.rsplit("#", 1)[-1],
                source_shape=value_of(SH.sourceShape),
                value=value_of(SH.value),
            )
        )
    return sorted(found, key=lambda v: (v.focus_node, v.path or "", v.message))
