import hashlib
import io
import threading
from collections import Counter

import pyoxigraph as ox
import pytest

from kg.errors import (
    ForbiddenQueryError,
    InputError,
    QuerySyntaxError,
    QueryTimeoutError,
    RdfSyntaxError,
    ValidationFailedError,
)
from kg.namespaces import graph_iri
from kg.formats import RDF_SYNTAXES, syntax_named
from kg.settings import Settings
from kg.store import STAGING_PREFIX, GraphStore
from tests.rdf_compare import dataset_difference, graph_difference, quads

PREFIXES = """
@prefix mwg: <https://w3id.org/mwg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""
COMPANY = PREFIXES + """
<https://w3id.org/mwg/id/company/test-mining-co> a mwg:Company ;
    skos:prefLabel "Test Mining Co"@en ;
    mwg:headquarteredIn <https://w3id.org/mwg/id/state/PER> .
"""
COMPANY_WITHOUT_NAME = PREFIXES + """
<https://w3id.org/mwg/id/company/nameless> a mwg:Company ;
    mwg:headquarteredIn <https://w3id.org/mwg/id/state/PER> .
"""
COMPANY_IN_A_NON_STATE = PREFIXES + """
<https://w3id.org/mwg/id/company/misplaced> a mwg:Company ;
    skos:prefLabel "Misplaced Co"@en ;
    mwg:headquarteredIn <https://w3id.org/mwg/id/instrument/ICESCR> .
"""
TEST_GRAPH = graph_iri("test", "companies")


def dump_hash(store: GraphStore) -> str:
    buffer = io.BytesIO()
    store.export(buffer, syntax_named("nquads"))
    return hashlib.sha256(b"".join(sorted(buffer.getvalue().splitlines()))).hexdigest()


@pytest.fixture
def store(reference_copy: GraphStore) -> GraphStore:
    """A private copy of the reference store, so writes do not leak between tests."""
    return reference_copy


def test_valid_data_is_loaded_into_its_named_graph(store):
    before = len(store)
    report = store.load(COMPANY.encode(), syntax=syntax_named("turtle"), graph=TEST_GRAPH)
    assert report.triples == 3
    assert report.graphs == (TEST_GRAPH,)
    assert len(store) == before + 3
    assert TEST_GRAPH in store.graph_names()


def test_invalid_data_is_refused_with_its_violations_and_changes_nothing(store):
    before = dump_hash(store)
    with pytest.raises(ValidationFailedError) as raised:
        store.load(COMPANY_WITHOUT_NAME.encode(), syntax=syntax_named("turtle"), graph=TEST_GRAPH)
    violations = raised.value.violations
    assert [v.focus_node for v in violations] == ["https://w3id.org/mwg/id/company/nameless"]
    assert violations[0].path == "http://www.w3.org/2004/02/skos/core#prefLabel"
    assert dump_hash(store) == before


def test_value_of_the_wrong_class_is_a_violation(store):
    with pytest.raises(ValidationFailedError) as raised:
        store.load(COMPANY_IN_A_NON_STATE.encode(), syntax=syntax_named("turtle"), graph=TEST_GRAPH)
    assert {v.path for v in raised.value.violations} == {"https://w3id.org/mwg/ontology#headquarteredIn"}


def test_a_batch_fails_whole_when_one_node_is_invalid(store):
    before = dump_hash(store)
    with pytest.raises(ValidationFailedError):
        store.load((COMPANY + COMPANY_WITHOUT_NAME.replace(PREFIXES, "")).encode(),
                   syntax=syntax_named("turtle"), graph=TEST_GRAPH)
    assert dump_hash(store) == before


def test_adding_a_name_to_an_existing_state_is_validated_with_what_the_store_knows(store):
    extra_name = PREFIXES + '<https://w3id.org/mwg/id/state/PER> skos:altLabel "Perú"@es .'
    report = store.load(extra_name.encode(), syntax=syntax_named("turtle"), graph=TEST_GRAPH)
    assert report.triples == 1


def test_malformed_turtle_gives_the_line_and_changes_nothing(store):
    before = dump_hash(store)
    broken = COMPANY + '<https://w3id.org/mwg/id/company/x> skos:prefLabel "unterminated .\n'
    with pytest.raises(RdfSyntaxError) as raised:
        store.load(broken.encode(), syntax=syntax_named("turtle"), graph=TEST_GRAPH)
    assert raised.value.line == COMPANY.count("\n") + 1
    assert "line" in str(raised.value)
    assert dump_hash(store) == before


def test_rdfxml_entity_bomb_is_refused(store):
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]><r>&a;</r>'
    with pytest.raises(InputError, match="DOCTYPE"):
        store.load(bomb, syntax=syntax_named("rdfxml"), graph=TEST_GRAPH)


def test_upload_larger_than_the_limit_is_refused():
    store = GraphStore.in_memory(Settings(max_upload_bytes=100))
    with pytest.raises(InputError, match="limit"):
        store.load(COMPANY.encode(), syntax=syntax_named("turtle"), graph=TEST_GRAPH)
    assert len(store) == 0


@pytest.mark.parametrize("syntax", RDF_SYNTAXES, ids=lambda s: s.name)
def test_every_rdf_syntax_loads_the_same_triples(store, syntax):
    data = ox.serialize(ox.parse(COMPANY.encode(), format=ox.RdfFormat.TURTLE), format=syntax.oxigraph_format)
    report = store.load(data, syntax=syntax, graph=TEST_GRAPH)
    assert report.triples == 3
    answer = store.query("SELECT ?name WHERE { GRAPH ?g { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?name } "
                         "FILTER(?g = <" + TEST_GRAPH + ">) }")
    assert [row[0].value for row in answer.rows] == ["Test Mining Co"]


def test_named_graphs_in_trig_keep_their_names(store):
    trig = PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n") + (
        "<https://w3id.org/mwg/graph/test/other> { " + COMPANY.replace(PREFIXES, "") + " }"
    )
    report = store.load(trig.encode(), syntax=syntax_named("trig"), graph=TEST_GRAPH)
    assert report.graphs == ("https://w3id.org/mwg/graph/test/other",)


def test_select_is_capped_and_says_it_was_truncated(reference_store):
    answer = reference_store.query("SELECT ?s WHERE { ?s ?p ?o }", max_rows=5)
    assert len(answer.rows) == 5
    assert answer.truncated
    small = reference_store.query("SELECT ?s WHERE { ?s a <https://w3id.org/mwg/ontology#State> }", max_rows=1000)
    assert len(small.rows) == 195
    assert not small.truncated


def test_a_streaming_query_is_stopped_at_its_time_limit(reference_store):
    with pytest.raises(QueryTimeoutError):
        reference_store.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", timeout=0.05, max_rows=10_000_000)


def test_bad_query_gives_the_parser_message(reference_store):
    with pytest.raises(QuerySyntaxError, match="does not parse"):
        reference_store.query("SELEC ?x WHERE { ?x ?y ?z }")


def test_updates_cannot_go_through_query(store):
    """On a private copy: were the guard to fail, the shared store would be emptied."""
    before = len(store)
    with pytest.raises(QuerySyntaxError):
        store.query("DELETE WHERE { ?s ?p ?o }")
    assert len(store) == before


def test_service_is_refused_before_the_engine_sees_it(reference_store):
    with pytest.raises(ForbiddenQueryError):
        reference_store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


def test_replace_graphs_swaps_whole_graphs_and_is_repeatable(empty_store):
    graph = ox.NamedNode(TEST_GRAPH)
    first = [ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal(str(n)),
                     graph) for n in range(3)]
    second = first[:1]
    empty_store.replace_graphs(first, validate=False)
    empty_store.replace_graphs(first, validate=False)
    assert len(empty_store) == 3
    empty_store.replace_graphs(second, validate=False)
    assert len(empty_store) == 1
    assert not [g for g in empty_store.graph_names() if g.startswith(STAGING_PREFIX)]


def test_a_reader_never_sees_both_versions_of_a_replaced_graph_or_neither(empty_store):
    graph, marker = ox.NamedNode(TEST_GRAPH), ox.NamedNode("http://example.org/version")

    def version(tag: str) -> list[ox.Quad]:
        return [ox.Quad(ox.NamedNode(f"http://example.org/{tag}/{n}"), marker, ox.Literal(tag), graph)
                for n in range(2_000)]

    empty_store.replace_graphs(version("old"), validate=False)
    seen: list[list[tuple[str, int]]] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            answer = empty_store.query(
                "SELECT ?tag (COUNT(*) AS ?n) WHERE { ?s <http://example.org/version> ?tag } GROUP BY ?tag")
            seen.append(sorted((row[0].value, int(row[1].value)) for row in answer.rows))

    reader = threading.Thread(target=poll)
    reader.start()
    for turn in range(12):
        empty_store.replace_graphs(version("new" if turn % 2 == 0 else "old"), validate=False)
    stop.set()
    reader.join()
    assert len(seen) > 12
    assert {tuple(state) for state in seen} <= {(("old", 2_000),), (("new", 2_000),)}


def test_export_round_trips_through_nquads_and_trig(reference_store):
    original = _nquads(reference_store)
    for name in ("nquads", "trig"):
        buffer = io.BytesIO()
        reference_store.export(buffer, syntax_named(name))
        copy = GraphStore.in_memory(reference_store.settings)
        copy.add_quads(list(ox.parse(buffer.getvalue(), format=syntax_named(name).oxigraph_format)), validate=False)
        assert dataset_difference(_nquads(copy), original, "nquads") == [], name


def test_turtle_export_merges_the_graphs(reference_store):
    buffer = io.BytesIO()
    reference_store.export(buffer, syntax_named("turtle"))
    merged = quads(buffer.getvalue(), "turtle")
    assert {quad[3] for quad in merged} == {""}  # one graph
    assert graph_difference(merged, quads(_nquads(reference_store), "nquads")) == []


def _nquads(store):
    buffer = io.BytesIO()
    store.export(buffer, syntax_named("nquads"))
    return buffer.getvalue()


def test_stats_count_triples_per_graph_and_instances_per_class(reference_store, reference_nquads):
    stats = reference_store.stats()
    graphs = {count.graph: count.triples for count in stats.graphs}
    assert stats.total_triples == len(reference_store)
    assert graphs[graph_iri("reference", "states")] > 195 * 8
    reference = list(ox.parse(reference_nquads, format=ox.RdfFormat.N_QUADS))
    assert graphs == Counter(quad.graph_name.value for quad in reference)
    classes = dict(stats.classes)
    assert classes["https://w3id.org/mwg/ontology#State"] == 195
    assert classes["http://metadata.un.org/sdg/ontology#Target"] == 169
    assert classes["https://w3id.org/mwg/ontology#TreatyAction"] > 2000
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    instances = Counter(cls.value for cls, _ in {(q.object, q.subject) for q in reference if q.predicate == rdf_type})
    assert classes == instances
