"""Queries in killable worker processes over checkpoints of an on-disk store (no mocks)."""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest

from kg.errors import ForbiddenQueryError, InputError, QuerySyntaxError, QueryTimeoutError
from kg.query_workers import QueryCapacityError
from kg.settings import Settings
from kg.store import GraphStore

EX = "http://example.org/"
GRAPH = ox.NamedNode(EX + "graph")
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def quad(subject, predicate, value, graph=GRAPH) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + subject), ox.NamedNode(EX + predicate), value, graph)


def sample_quads() -> list[ox.Quad]:
    quads = [quad(f"s{i}", "value", ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
             for i in range(300)]
    quads += [
        quad("peru", "name", ox.Literal("Perú", language="es")),
        quad("peru", "name", ox.Literal('a "quoted"\nline')),
        quad("peru", "note", ox.BlankNode("b1")),
        quad("peru", "link", ox.NamedNode(EX + "s1"), ox.NamedNode(EX + "other")),
    ]
    return quads


def open_store(tmp_path, **settings) -> GraphStore:
    store = GraphStore.open(Settings(data_dir=tmp_path / "store", **settings), query_workers=True)
    store.add_quads(sample_quads(), validate=False)
    return store


@pytest.fixture
def stores(tmp_path):
    """The same data in a store with workers and in an in-memory one, to compare answers."""
    with_workers = open_store(tmp_path, max_concurrent_queries=2)
    in_process = GraphStore.in_memory(Settings())
    in_process.add_quads(sample_quads(), validate=False)
    yield with_workers, in_process
    with_workers.close()


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?s ?o ?missing WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?missing } } ORDER BY ?s ?o",
        "SELECT ?o WHERE { <http://example.org/peru> ?p ?o } ORDER BY ?o",
        "ASK { <http://example.org/peru> ?p ?o }",
        "ASK { <http://example.org/nobody> ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?s = <http://example.org/peru>) }",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    ],
)
def test_a_worker_gives_the_same_answer_as_the_engine_in_process(stores, text):
    with_workers, in_process = stores
    isolated, direct = with_workers.query(text), in_process.query(text)
    assert isolated.form == direct.form
    assert (isolated.variables, isolated.rows, isolated.boolean) == (direct.variables, direct.rows, direct.boolean)
    assert sorted(map(str, isolated.triples)) == sorted(map(str, direct.triples))
    assert isolated.truncated is direct.truncated is False


def test_row_cap_substitutions_and_graph_options_cross_the_pipe(stores):
    with_workers, _ = stores
    capped = with_workers.query("SELECT ?s WHERE { ?s ?p ?o }", max_rows=7)
    assert len(capped.rows) == 7 and capped.truncated
    graph_capped = with_workers.query("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=5)
    assert len(graph_capped.triples) == 5 and graph_capped.truncated
    bound = with_workers.query(
        "SELECT ?s ?o WHERE { ?s <http://example.org/name> ?o }",
        substitutions={ox.Variable("s"): ox.NamedNode(EX + "peru")},
    )
    assert {row[1] for row in bound.rows} == {ox.Literal("Perú", language="es"), ox.Literal('a "quoted"\nline')}
    only_other = with_workers.query("SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[EX + "other"])
    assert only_other.rows == [[ox.NamedNode(EX + "peru")]]


def test_a_runaway_query_is_killed_at_its_deadline_and_the_worker_replaced(tmp_path):
    store = open_store(tmp_path, max_concurrent_queries=1)
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match="time limit"):
            store.query(CARTESIAN, timeout=1.0)
        stopped = time.monotonic() - started
        print(f"runaway query stopped after {stopped:.2f} s (limit 1 s)")
        assert 1.0 <= stopped < 2.0
        # The only worker was killed: a replacement answers the next query.
        assert store.query("ASK { ?s ?p ?o }").boolean is True
    finally:
        store.close()


def test_a_replacement_worker_outlives_the_thread_whose_query_timed_out(tmp_path):
    """Linux kills a child when the thread that started it ends (parent-death signal):
    replacements must not be started by the short-lived request thread."""
    store = open_store(tmp_path, max_concurrent_queries=1)
    try:
        def timed_out_request() -> None:
            with pytest.raises(QueryTimeoutError):
                store.query(CARTESIAN, timeout=0.5)
            time.sleep(1.0)  # long enough for a replacement to have armed its parent-death signal

        request = threading.Thread(target=timed_out_request)
        request.start()
        request.join()
        time.sleep(0.5)
        assert store.query("ASK { ?s ?p ?o }").boolean is True
    finally:
        store.close()


def test_beyond_the_cap_a_query_is_refused_with_a_retry_hint(tmp_path):
    store = open_store(tmp_path, max_concurrent_queries=1, query_queue_seconds=0.2)
    runaway = threading.Thread(target=lambda: pytest.raises(QueryTimeoutError, store.query, CARTESIAN, timeout=2))
    try:
        store.query("ASK { ?s ?p ?o }")  # the worker is up
        runaway.start()
        time.sleep(0.3)
        with pytest.raises(QueryCapacityError) as refused:
            store.query("ASK { ?s ?p ?o }")
        assert 1 <= refused.value.retry_after <= 2
        runaway.join()
        assert store.query("ASK { ?s ?p ?o }").boolean is True
    finally:
        runaway.join()
        store.close()


def test_each_commit_is_seen_by_the_next_query_and_old_checkpoints_go(stores, tmp_path):
    with_workers, _ = stores
    ask = "ASK { <http://example.org/new> ?p ?o }"
    assert with_workers.query(ask).boolean is False
    with_workers.add_quads([quad("new", "value", ox.Literal("1"))], validate=False)
    assert with_workers.query(ask).boolean is True
    with_workers.replace_graphs([quad("only", "value", ox.Literal("1"))], validate=False)
    assert with_workers.query(ask).boolean is False
    snapshots = list((tmp_path / ".store-query-snapshots").iterdir())
    assert len(snapshots) == 1


def test_errors_from_a_worker_keep_their_kind(stores):
    with_workers, _ = stores
    with pytest.raises(QuerySyntaxError, match="does not parse"):
        with_workers.query("SELEC ?x WHERE { ?x ?y ?z }")
    with pytest.raises(InputError):
        with_workers.query("DELETE WHERE { ?s ?p ?o }")
    assert with_workers.query("ASK { ?s ?p ?o }").boolean is True


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX x: <http://127.0.0.1:9/> SELECT * FROM x:g WHERE { ?s ?p ?o }",
        "BASE <http://127.0.0.1:9/> SELECT * FROM <g> WHERE { ?s ?p ?o }",
        "SELECT * \\u0046ROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
    ],
)
def test_from_a_graph_outside_the_store_is_refused(stores, text):
    for store in stores:
        with pytest.raises(ForbiddenQueryError, match="not in this store"):
            store.query(text)


def test_from_a_graph_of_the_store_is_allowed(stores):
    for store in stores:
        answer = store.query("SELECT ?s FROM <http://example.org/other> WHERE { ?s ?p ?o }")
        assert answer.rows == [[ox.NamedNode(EX + "peru")]]


def test_workers_die_with_the_store_closed(tmp_path):
    store = open_store(tmp_path, max_concurrent_queries=2)
    store.query("ASK { ?s ?p ?o }")
    processes = [worker.process for worker in store._workers._idle]
    store.close()
    assert all(process.poll() is not None for process in processes)
    assert not (tmp_path / ".store-query-snapshots").exists()
