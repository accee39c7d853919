"""Compare RDF as graphs, never as text (DESIGN.md §5): blank node labels and order do not count.

Two graphs are isomorphic when their ground triples are the same set and the triples that touch
blank nodes are isomorphic; a blank node mapping leaves ground triples alone, so checking the two
parts apart is exact. For the blank node part, colour refinement (each blank node hashed with its
neighbourhood, round after round) usually tells every blank node apart: the bijection it implies
is then checked triple by triple. Only when it cannot (symmetric structures) does the answer come
from `rdflib.compare.isomorphic`, which takes ≈ 10 s on the 1,272 blank node triples of the SHACL
shapes. Datasets compare graph by graph.

`dataset_difference` and `graph_difference` answer a list of differences, empty when the two
sides are the same, so `assert graph_difference(a, b) == []` shows what differs when it fails.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, Dataset

DEFAULT_GRAPH = ""
SHOWN = 5
OXIGRAPH_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
}


def _term(term):
    """A pyoxigraph term from an rdflib or pyoxigraph one (pyoxigraph's are fast to hash and compare)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    return term


@lru_cache(maxsize=None)
def _graph_name(name) -> str:
    if name is None or isinstance(name, ox.DefaultGraph):
        return DEFAULT_GRAPH
    if isinstance(name, Graph):
        name = name.identifier
    value = name.value if isinstance(name, ox.NamedNode | ox.BlankNode) else str(name)
    return DEFAULT_GRAPH if value == str(DATASET_DEFAULT_GRAPH_ID) else value


def _parsed(source, syntax: str | None):
    """Text parsed with pyoxigraph; any other source as a list (read once), rdflib graphs untouched."""
    if isinstance(source, str | bytes):
        data = source.encode() if isinstance(source, str) else source
        return list(ox.parse(data, format=OXIGRAPH_FORMATS[syntax]))
    return source if isinstance(source, Graph) else list(source)


def _same_terms(left, right, *, merged: bool) -> bool:
    """Whether two pyoxigraph sources hold the very same quads (or triples), labels included: the
    common case, settled without building any tuple in Python."""
    if isinstance(left, Graph) or isinstance(right, Graph):
        return False
    if not all(isinstance(item, ox.Quad | ox.Triple) for side in (left, right) for item in side):
        return False
    if merged or any(isinstance(item, ox.Triple) for side in (left, right) for item in side):
        return {(q.subject, q.predicate, q.object) for q in left} == {(q.subject, q.predicate, q.object) for q in right}
    return set(left) == set(right)


def quads(source, syntax: str | None = None) -> list[tuple]:
    """(subject, predicate, object, graph name) in pyoxigraph terms, the default graph named "".

    `source` is RDF text or bytes in `syntax` (parsed with pyoxigraph), an rdflib Dataset or
    Graph, pyoxigraph quads or triples, or what this function answered.
    """
    if isinstance(source, str | bytes):
        data = source.encode() if isinstance(source, str) else source
        source = ox.parse(data, format=OXIGRAPH_FORMATS[syntax])
    if isinstance(source, Dataset):
        return [(_term(s), _term(p), _term(o), _graph_name(g)) for s, p, o, g in source.quads()]
    if isinstance(source, Graph):
        return [(_term(s), _term(p), _term(o), DEFAULT_GRAPH) for s, p, o in source]
    source = list(source)
    if all(isinstance(item, tuple) and len(item) == 4 for item in source):
        return source
    return [
        (item.subject, item.predicate, item.object,
         _graph_name(item.graph_name) if isinstance(item, ox.Quad) else DEFAULT_GRAPH)
        for item in source
    ]


def _colours(sides: list[set[tuple]]) -> list[dict[ox.BlankNode, str]]:
    """The blank nodes of each side, coloured by refinement run in step on all sides.

    Isomorphic graphs get the same multiset of colours: a colour only depends on structure.
    """
    colours = [{node: "" for triple in side for node in (triple[0], triple[2]) if isinstance(node, ox.BlankNode)}
               for side in sides]
    distinct = 1
    while True:
        refined = []
        for side, colour in zip(sides, colours):
            neighbourhood = defaultdict(list)
            for s, p, o in side:
                if isinstance(s, ox.BlankNode):
                    neighbourhood[s].append(("out", str(p), colour[o] if isinstance(o, ox.BlankNode) else str(o)))
                if isinstance(o, ox.BlankNode):
                    neighbourhood[o].append(("in", str(p), colour[s] if isinstance(s, ox.BlankNode) else str(s)))
            refined.append({
                node: hashlib.sha1(repr((colour[node], sorted(neighbourhood[node]))).encode()).hexdigest()
                for node in colour
            })
        colours = refined
        now = max(len(set(colour.values())) for colour in colours)
        if now == distinct:
            return colours
        distinct = now


def _blank_isomorphic(left: set[tuple], right: set[tuple]) -> bool:
    left_colours, right_colours = _colours([left, right])
    if Counter(left_colours.values()) != Counter(right_colours.values()):
        return False
    if len(set(left_colours.values())) == len(left_colours):
        node_of_colour = {colour: node for node, colour in right_colours.items()}
        mapping = {node: node_of_colour[colour] for node, colour in left_colours.items()}
        if {(mapping.get(s, s), p, mapping.get(o, o)) for s, p, o in left} == right:
            return True
    return isomorphic(_rdflib_graph(left), _rdflib_graph(right))


def _rdflib_graph(triples: Iterable[tuple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(tuple(_rdflib_term(term) for term in triple))
    return graph


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return Literal(term.value, lang=term.language, datatype=None if term.language else term.datatype.value)


def _triple_difference(left: Iterable[tuple], right: Iterable[tuple], where: str) -> list[str]:
    left, right = set(left), set(right)

    def blank(triple) -> bool:
        return isinstance(triple[0], ox.BlankNode) or isinstance(triple[2], ox.BlankNode)

    differences = []
    only_left = sorted(str(t) for t in left - right if not blank(t))
    only_right = sorted(str(t) for t in right - left if not blank(t))
    if only_left:
        differences.append(f"{where}: {len(only_left)} triple(s) only on the left, e.g. {only_left[:SHOWN]}")
    if only_right:
        differences.append(f"{where}: {len(only_right)} triple(s) only on the right, e.g. {only_right[:SHOWN]}")
    left_blank, right_blank = set(filter(blank, left)), set(filter(blank, right))
    if (left_blank or right_blank) and not _blank_isomorphic(left_blank, right_blank):
        differences.append(
            f"{where}: the triples with blank nodes differ ({len(left_blank)} left, {len(right_blank)} right)"
        )
    return differences


def dataset_difference(left, right, syntax: str | None = None) -> list[str]:
    """How two datasets differ, graph by graph (empty when every graph is isomorphic)."""
    left, right = _parsed(left, syntax), _parsed(right, syntax)
    if _same_terms(left, right, merged=False):
        return []
    sides = [quads(left), quads(right)]
    if set(sides[0]) == set(sides[1]):  # the same quads, blank node labels included
        return []
    by_graph: dict[str, tuple[list, list]] = {}
    for side, found in enumerate(sides):
        for s, p, o, g in found:
            by_graph.setdefault(g, ([], []))[side].append((s, p, o))
    differences = []
    for name, (left_triples, right_triples) in sorted(by_graph.items()):
        where = f"graph <{name}>" if name else "the default graph"
        if not left_triples or not right_triples:
            differences.append(f"{where} is only on the {'right' if not left_triples else 'left'}")
        else:
            differences += _triple_difference(left_triples, right_triples, where)
    return differences


def graph_difference(left, right, syntax: str | None = None) -> list[str]:
    """How two graphs differ, every graph name dropped (all graphs of a dataset merged)."""
    left, right = _parsed(left, syntax), _parsed(right, syntax)
    if _same_terms(left, right, merged=True):
        return []
    return _triple_difference([q[:3] for q in quads(left)], [q[:3] for q in quads(right)], "the merged graph")
