import csv
import io

import httpx
import pyoxigraph as ox

from tests.rdf_compare import graph_difference

PER = ox.NamedNode("https://w3id.org/mwg/id/state/PER")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
MEMBER_STATES = (
    "PREFIX mwg: <https://w3id.org/mwg/ontology#> SELECT ?s WHERE { "
    "?s mwg:unMembership <https://w3id.org/mwg/id/un-membership/member> }"
)


def test_health(server, reference_store):
    body = httpx.get(server + "/health").json()
    assert body["status"] == "ok" and body["triples"] == len(reference_store)


def test_sparql_get_lists_the_193_member_states(server):
    response = httpx.get(server + "/sparql", params={"query": MEMBER_STATES})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert len(response.json()["results"]["bindings"]) == 193


def test_sparql_post_form_and_direct(server):
    form = httpx.post(server + "/sparql", data={"query": MEMBER_STATES})
    direct = httpx.post(server + "/sparql", content=MEMBER_STATES,
                        headers={"content-type": "application/sparql-query"})
    assert form.json() == direct.json()
    assert len(form.json()["results"]["bindings"]) == 193


def test_sparql_csv_by_accept(server):
    response = httpx.get(server + "/sparql", params={"query": MEMBER_STATES},
                         headers={"accept": "text/csv;q=0.9, application/xml;q=0.1"})
    assert response.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(response.text)))) == 193


def test_row_cap_is_visible(server):
    response = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.json()["truncated"] is True
    assert len(response.json()["results"]["bindings"]) == 500
    assert response.headers["x-mwg-truncated"] == "true"


def test_construct_gives_turtle(server, reference_store):
    query = "CONSTRUCT WHERE { <https://w3id.org/mwg/id/state/PER> ?p ?o }"
    response = httpx.get(server + "/sparql", params={"query": query})
    assert response.headers["content-type"].startswith("text/turtle")
    answer = {(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE)}
    assert (PER, PREF_LABEL, ox.Literal("Peru", language="en")) in answer
    assert graph_difference(response.content, reference_store.query(query).triples, "turtle") == []


def test_errors_share_one_shape(server):
    cases = [
        httpx.get(server + "/sparql", params={"query": "SELEC ?x"}),
        httpx.post(server + "/sparql", data={"format": "json"}),
        httpx.get(server + "/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}),
        httpx.post(server + "/sparql", data={"query": "DROP ALL"}),
        httpx.post(server + "/sparql", content="x", headers={"content-type": "text/plain"}),
    ]
    for response in cases:
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert set(error) >= {"type", "message"} and error["message"]
    assert httpx.get(server + "/health").json()["status"] == "ok"
