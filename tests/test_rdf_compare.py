"""The graph comparison the tests rely on: blank node labels and order never count, content does."""

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from tests.rdf_compare import dataset_difference, graph_difference, quads

SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] , [ sh:path ex:age ; sh:in ( 1 2 ) ] .
ex:T a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
"""


def relabelled(text: str, syntax: ox.RdfFormat) -> bytes:
    return ox.serialize(ox.parse(text.encode(), format=syntax, rename_blank_nodes=True), format=ox.RdfFormat.N_QUADS)


def test_blank_node_labels_and_syntax_do_not_count():
    renamed = relabelled(SHAPE, ox.RdfFormat.TURTLE)
    assert set(quads(renamed, "nquads")) != set(quads(SHAPE, "turtle"))  # the labels did change
    assert graph_difference(quads(SHAPE, "turtle"), quads(renamed, "nquads")) == []
    assert graph_difference(Graph().parse(data=SHAPE, format="turtle"), renamed, "nquads") == []


@pytest.mark.parametrize(
    "changed",
    [
        SHAPE.replace("sh:minCount 1 ] ,", "sh:minCount 2 ] ,"),  # a literal under a blank node
        SHAPE.replace("( 1 2 )", "( 2 1 )"),  # the order of a list
        SHAPE.replace("ex:T a sh:NodeShape ; sh:property [ sh:path ex:name",  # which shape a blank node hangs on
                      "ex:T a sh:NodeShape ; sh:property [ sh:path ex:age"),
        SHAPE.replace("ex:T a", "ex:U a"),  # a ground triple
    ],
)
def test_any_change_is_a_difference(changed):
    assert graph_difference(SHAPE, changed, "turtle") != []


def test_symmetric_blank_nodes_are_settled_by_rdflib():
    cycle = "_:a <http://e/p> _:b .\n_:b <http://e/p> _:a .\n"
    assert graph_difference(cycle, cycle.replace("_:a", "_:x").replace("_:b", "_:y"), "nt") == []
    assert graph_difference(cycle, "_:a <http://e/p> _:a .\n_:b <http://e/p> _:b .\n", "nt") != []


def test_datasets_compare_graph_by_graph():
    trig = ("<http://e/g1> { <http://e/s> <http://e/p> _:b . _:b <http://e/p> 1 . } "
            "<http://e/g2> { <http://e/s> <http://e/p> 2 . }")
    moved = "<http://e/g1> { <http://e/s> <http://e/p> _:b . _:b <http://e/p> 1 . <http://e/s> <http://e/p> 2 . }"
    parsed = Dataset()
    parsed.parse(data=trig, format="trig")
    assert dataset_difference(parsed, trig, "trig") == []
    assert dataset_difference(trig, moved, "trig") == [
        "graph <http://e/g1>: 1 triple(s) only on the right, e.g. ['(<NamedNode value=http://e/s>, "
        "<NamedNode value=http://e/p>, <Literal value=2 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>)']",
        "graph <http://e/g2> is only on the left",
    ]
    assert graph_difference(trig, moved, "trig") == []  # merged, the same triples
