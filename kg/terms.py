"""The one bridge from pyoxigraph terms to rdflib terms.

The store and the query engine speak pyoxigraph; pySHACL and rdflib's JSON-LD compaction need
rdflib graphs. Blank node labels are kept, so that a SHACL focus node names the node it means.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdflibLiteral
from rdflib.term import Node

from kg.errors import InputError


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """The rdflib twin of a pyoxigraph term.

    >>> to_rdflib_term(ox.Literal("Perú", language="es"))
    rdflib.term.Literal('Perú', lang='es')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RdflibLiteral(term.value, lang=term.language)
        return RdflibLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise InputError("RDF-star quoted triples have no form outside pyoxigraph: ask for Turtle or N-Triples")


def to_rdflib_graph(statements: Iterable[ox.Quad | ox.Triple]) -> Graph:
    """Copy triples or quads (graph names dropped) into an rdflib graph."""
    graph = Graph()
    for statement in statements:
        graph.add((
            to_rdflib_term(statement.subject),
            to_rdflib_term(statement.predicate),
            to_rdflib_term(statement.object),
        ))
    return graph
