"""The SPARQL 1.1 Protocol at /sparql, over HTTP against the real server.

Every answer is parsed back (rdflib for RDF; the results formats with their own readers) and
the formats are compared with each other, never with a fixed text.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from tests.rdf_compare import graph_difference

MWG = "https://w3id.org/mwg/ontology#"
PER = "https://w3id.org/mwg/id/state/PER"
STATES_GRAPH = "https://w3id.org/mwg/graph/reference/states"
SDG_GRAPH = "https://w3id.org/mwg/graph/reference/sdg"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"

MEMBER_STATES = f"""PREFIX mwg: <{MWG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?state ?iso3 ?name ?formalName WHERE {{
  ?state mwg:unMembership <https://w3id.org/mwg/id/un-membership/member> ; mwg:isoAlpha3 ?iso3 ;
         skos:prefLabel ?name FILTER(LANG(?name) = "en")
  OPTIONAL {{ ?state mwg:formalName ?formalName FILTER(LANG(?formalName) = "en" && CONTAINS(?formalName, "Republic")) }}
}} ORDER BY ?iso3"""
# Peru and its treaty actions: language-tagged, typed and plain literals, and a blank node each.
CONSTRUCT_PER = f"""PREFIX mwg: <{MWG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ ?s ?p ?o . ?action rdfs:seeAlso [ rdfs:label ?label ] }} WHERE {{
  {{ BIND(<{PER}> AS ?s) ?s ?p ?o }}
  UNION {{ ?s mwg:state <{PER}> ; ?p ?o }}
  UNION {{ ?action mwg:state <{PER}> ; rdfs:label ?label }}
}}"""
ASK_PER = f"ASK {{ <{PER}> ?p ?o }}"

RESULTS_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
RDF_MEDIA = {
    "turtle": ("text/turtle", "turtle"),
    "ntriples": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
    "nquads": ("application/n-quads", "nquads"),
    "trig": ("application/trig", "trig"),
}


def get(server: str, query: str | None = None, *, accept: str | None = None, **params) -> httpx.Response:
    headers = {"accept": accept} if accept is not None else {}
    if query is not None:
        params["query"] = query
    return httpx.get(server + "/sparql", params=params, headers=headers, timeout=30)


# -- readers for the results formats -----------------------------------------------------------


def nt_term(term: dict) -> str:
    """A SPARQL JSON term in N-Triples syntax, as TSV writes it."""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    literal = json.dumps(term["value"], ensure_ascii=False)
    if "xml:lang" in term:
        return f"{literal}@{term['xml:lang']}"
    if term.get("datatype", XSD_STRING) != XSD_STRING:
        return f"{literal}^^<{term['datatype']}>"
    return literal


def rows_from_json(text: str) -> tuple[list[str], list[dict]]:
    body = json.loads(text)
    return body["head"]["vars"], body["results"]["bindings"]


def rows_from_xml(text: str) -> tuple[list[str], list[dict]]:
    root = ET.fromstring(text)
    variables = [v.get("name") for v in root.find(f"{RESULTS_NS}head")]
    rows = []
    for result in root.find(f"{RESULTS_NS}results"):
        row = {}
        for binding in result:
            (value,) = list(binding)
            kind = value.tag.removeprefix(RESULTS_NS)
            term = {"type": kind if kind != "bnode" else "bnode", "value": value.text or ""}
            lang = value.get("{http://www.w3.org/XML/1998/namespace}lang")
            if lang:
                term["xml:lang"] = lang
            if value.get("datatype"):
                term["datatype"] = value.get("datatype")
            row[binding.get("name")] = term
        rows.append(row)
    return variables, rows


def test_select_answers_agree_across_json_xml_csv_and_tsv(server, reference_store):
    answers = {name: get(server, MEMBER_STATES, format=name) for name in RESULTS_MEDIA}
    for name, response in answers.items():
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(RESULTS_MEDIA[name])
        assert response.headers["x-mwg-truncated"] == "false"

    variables, rows = rows_from_json(answers["json"].text)
    assert variables == ["state", "iso3", "name", "formalName"] and len(rows) == 193
    assert rows_from_xml(answers["xml"].text) == (variables, rows)

    csv_rows = list(csv.reader(io.StringIO(answers["csv"].text)))
    assert csv_rows[0] == variables
    assert csv_rows[1:] == [[row[v]["value"] if v in row else "" for v in variables] for row in rows]

    tsv_lines = answers["tsv"].text.rstrip("\n").split("\n")
    assert tsv_lines[0].split("\t") == [f"?{v}" for v in variables]
    assert [line.split("\t") for line in tsv_lines[1:]] == [
        [nt_term(row[v]) if v in row else "" for v in variables] for row in rows
    ]
    # An unbound OPTIONAL stays unbound in every format.
    assert 0 < sum("formalName" not in row for row in rows) < 193
    # ...and the answer is the store's.
    expected = reference_store.query(MEMBER_STATES).rows
    assert [row["iso3"]["value"] for row in rows] == [row[1].value for row in expected]
    assert [row.get("formalName", {}).get("value") for row in rows] == [
        row[3].value if row[3] is not None else None for row in expected]


def test_ask_in_every_results_format(server):
    for query, expected in ((ASK_PER, True), (ASK_PER.replace("PER", "XXX"), False)):
        assert get(server, query).json()["boolean"] is expected
        root = ET.fromstring(get(server, query, format="xml").text)
        assert root.find(f"{RESULTS_NS}boolean").text == str(expected).lower()
        assert get(server, query, format="csv").text.strip() == str(expected).lower()
        assert get(server, query, format="tsv").text.strip() == str(expected).lower()


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_get_form_post_and_direct_post_give_the_same_answer(server, fmt):
    accept = RESULTS_MEDIA[fmt]
    by_get = get(server, MEMBER_STATES, accept=accept)
    by_form = httpx.post(server + "/sparql", data={"query": MEMBER_STATES}, headers={"accept": accept})
    by_direct = httpx.post(server + "/sparql", content=MEMBER_STATES.encode(),
                           headers={"content-type": "application/sparql-query; charset=utf-8", "accept": accept})
    assert by_get.status_code == by_form.status_code == by_direct.status_code == 200
    assert by_get.text == by_form.text == by_direct.text
    assert by_get.headers["content-type"].startswith(accept)


def parse_rdf(server: str, response: httpx.Response, rdflib_format: str) -> Graph:
    """Parse an RDF answer; JSON-LD's context reference is replaced by the published context."""
    if rdflib_format == "json-ld":
        document = response.json()
        assert document["@context"] == server + "/context.jsonld"
        document["@context"] = httpx.get(server + "/context.jsonld").json()["@context"]
        return Graph().parse(data=json.dumps(document), format="json-ld")
    if rdflib_format in ("nquads", "trig"):
        dataset = Dataset()
        dataset.parse(data=response.text, format=rdflib_format)
        named = [g for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier and len(g)]
        assert named == [], "a CONSTRUCT answer belongs in the default graph"
        graph = Graph()
        for triple in dataset.default_graph:
            graph.add(triple)
        return graph
    return Graph().parse(data=response.text, format=rdflib_format)


@pytest.mark.parametrize("query", [CONSTRUCT_PER, f"DESCRIBE <{PER}> ?action WHERE {{ ?action <{MWG}state> <{PER}> }}"],
                         ids=["construct", "describe"])
def test_graph_answers_are_the_same_graph_in_every_rdf_format(server, query, reference_store):
    graphs = {}
    for name, (media_type, rdflib_format) in RDF_MEDIA.items():
        by_accept = get(server, query, accept=media_type)
        by_parameter = get(server, query, format=name)
        for response in (by_accept, by_parameter):
            assert response.status_code == 200, response.text
            assert response.headers["content-type"].startswith(media_type)
        graphs[name] = parse_rdf(server, by_accept, rdflib_format)
        assert isomorphic(parse_rdf(server, by_parameter, rdflib_format), graphs[name])
    reference = graphs["turtle"]
    assert (URIRef(PER), URIRef(MWG + "isoAlpha3"), Literal("PER")) in reference
    assert any(isinstance(o, Literal) and o.language == "en" for o in reference.objects())
    assert any(isinstance(o, Literal) and o.datatype for o in reference.objects())
    assert len(reference) > 100
    assert graph_difference(reference, reference_store.query(query).triples) == []  # the store's answer
    for name, graph in graphs.items():
        assert isomorphic(graph, reference), name


def test_jsonld_is_compact_with_the_published_context(server):
    response = get(server, CONSTRUCT_PER, accept="application/ld+json")
    document = response.json()
    assert document["@context"] == server + "/context.jsonld"
    assert "mwg:isoAlpha3" in document or any("mwg:isoAlpha3" in node for node in document.get("@graph", []))
    context = httpx.get(server + "/context.jsonld")
    assert context.status_code == 200
    assert context.headers["content-type"].startswith("application/ld+json")
    assert context.json()["@context"]["mwg"] == MWG


def test_protocol_dataset_parameters_choose_the_graphs(server, reference_nquads):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"

    def value(response: httpx.Response) -> str:
        assert response.status_code == 200, response.text
        return response.json()["results"]["bindings"][0]["n"]["value"]

    union = int(value(get(server, count)))
    states = int(value(get(server, count, **{"default-graph-uri": STATES_GRAPH})))
    both = int(value(get(server, count, **{"default-graph-uri": [STATES_GRAPH, SDG_GRAPH]})))
    assert 0 < states < both < union
    reference = list(ox.parse(reference_nquads, format=ox.RdfFormat.N_QUADS))
    triples = {graph: {(q.subject, q.predicate, q.object) for q in reference if graph in (None, q.graph_name.value)}
               for graph in (None, STATES_GRAPH, SDG_GRAPH)}
    assert (states, both, union) == (
        len(triples[STATES_GRAPH]), len(triples[STATES_GRAPH] | triples[SDG_GRAPH]), len(triples[None]))
    # A FROM in the query is overridden by the protocol's dataset.
    overridden = get(server, f"SELECT (COUNT(*) AS ?n) FROM <{SDG_GRAPH}> WHERE {{ ?s ?p ?o }}",
                     **{"default-graph-uri": STATES_GRAPH})
    assert int(value(overridden)) == states

    form = httpx.post(server + "/sparql", data={"query": count, "default-graph-uri": STATES_GRAPH})
    direct = httpx.post(server + "/sparql", params={"default-graph-uri": STATES_GRAPH}, content=count,
                        headers={"content-type": "application/sparql-query"})
    assert int(value(form)) == int(value(direct)) == states

    named = get(server, graphs, **{"named-graph-uri": [STATES_GRAPH, SDG_GRAPH]}).json()
    assert sorted(row["g"]["value"] for row in named["results"]["bindings"]) == sorted([STATES_GRAPH, SDG_GRAPH])
    # Only named graphs given: the default graph is empty.
    assert int(value(get(server, count, **{"named-graph-uri": STATES_GRAPH}))) == 0

    bad = get(server, count, **{"default-graph-uri": "not an iri"})
    assert bad.status_code == 400 and "default-graph-uri" in bad.json()["error"]["message"]


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        (MEMBER_STATES, "text/csv;q=0.2, application/sparql-results+xml;q=0.8", "application/sparql-results+xml"),
        (MEMBER_STATES, "application/json", "application/sparql-results+json"),
        (MEMBER_STATES, "text/*", "text/csv"),
        (MEMBER_STATES, "text/*;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        (MEMBER_STATES, "", "application/sparql-results+json"),
        (MEMBER_STATES, "text/turtle, */*;q=0.1", "application/sparql-results+json"),
        (CONSTRUCT_PER, "*/*", "text/turtle"),
        (CONSTRUCT_PER, "application/*;q=0.5, text/turtle;q=0.1", "application/n-triples"),
        (CONSTRUCT_PER, "application/json", "application/ld+json"),
        (CONSTRUCT_PER, "text/turtle;q=0, application/rdf+xml;q=0.3, application/n-quads;q=0.2",
         "application/rdf+xml"),
        (CONSTRUCT_PER, "text/csv, application/trig;q=0.1", "application/trig"),
    ],
)
def test_accept_with_q_values_picks_the_format(server, query, accept, expected):
    response = get(server, query, accept=accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected
    assert "accept" in response.headers["vary"].lower()


def test_format_parameter_overrides_accept(server):
    response = get(server, MEMBER_STATES, accept="application/sparql-results+json", format="tsv")
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    form = httpx.post(server + "/sparql", data={"query": CONSTRUCT_PER, "format": "ntriples"})
    assert form.headers["content-type"].startswith("application/n-triples")


def assert_error(response: httpx.Response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["type"] == kind and error["message"]
    return error


def test_bad_query_is_400_with_the_parsers_message(server):
    error = assert_error(get(server, "SELECT ?x WHERE { ?x ?y }"), 400, "query_syntax")
    assert "does not parse" in error["message"] and "1:" in error["message"]
    direct = httpx.post(server + "/sparql", content="SELEC *", headers={"content-type": "application/sparql-query"})
    assert_error(direct, 400, "query_syntax")


def test_nothing_acceptable_is_406_listing_the_offered_types(server):
    error = assert_error(get(server, MEMBER_STATES, accept="image/png"), 406, "not_acceptable")
    assert "application/sparql-results+json" in error["offered"] and "text/turtle" in error["offered"]
    assert "application/sparql-results+json" in error["message"]
    # A results format for a graph answer, and a graph format for a table.
    error = assert_error(get(server, CONSTRUCT_PER, format="csv"), 406, "not_acceptable")
    assert error["offered"][0] == "text/turtle" and "text/csv" not in error["offered"]
    error = assert_error(get(server, MEMBER_STATES, accept="text/turtle"), 406, "not_acceptable")
    assert error["offered"][0] == "application/sparql-results+json"
    assert_error(get(server, MEMBER_STATES, accept="text/csv;q=0"), 406, "not_acceptable")
    assert_error(get(server, MEMBER_STATES, format="yaml"), 400, "bad_input")


def test_truncation_is_visible_in_every_results_format(server):
    everything = "SELECT * WHERE { ?s ?p ?o }"
    assert get(server, everything).json()["truncated"] is True
    for name in ("xml", "csv", "tsv"):
        assert get(server, everything, format=name).headers["x-mwg-truncated"] == "true"
    graph = get(server, "CONSTRUCT WHERE { ?s ?p ?o }", format="ntriples")
    assert graph.headers["x-mwg-truncated"] == "true"
    assert len(Graph().parse(data=graph.text, format="nt")) == 500


def test_cors_lets_any_origin_read_without_credentials(server):
    simple = get(server, ASK_PER, accept="application/sparql-results+json")
    assert "access-control-allow-origin" not in simple.headers
    response = httpx.get(server + "/sparql", params={"query": ASK_PER}, headers={"origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert "x-mwg-truncated" in response.headers["access-control-expose-headers"].lower()
    error = httpx.get(server + "/sparql", params={"query": "SELEC"}, headers={"origin": "https://example.org"})
    assert error.status_code == 400 and error.headers["access-control-allow-origin"] == "*"

    preflight = httpx.options(server + "/sparql", headers={
        "origin": "https://example.org",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, accept",
    })
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers
    refused = httpx.options(server + "/sparql", headers={
        "origin": "https://example.org", "access-control-request-method": "DELETE"})
    assert refused.status_code == 400


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [(None, "turtle"), ("*/*", "turtle"), ("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
     ("application/rdf+xml", "xml"), ("application/n-triples", "nt")],
)
def test_service_description_without_a_query(server, accept, rdflib_format):
    response = get(server, accept=accept)
    assert response.status_code == 200, response.text
    graph = parse_rdf(server, response, rdflib_format)
    (service,) = graph.subjects(RDF.type, SD.Service)
    assert graph.value(service, SD.endpoint) == URIRef(server + "/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert {FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_XML, FORMATS.SPARQL_Results_CSV,
            FORMATS.SPARQL_Results_TSV, FORMATS.Turtle, FORMATS["JSON-LD"], FORMATS.RDF_XML} <= formats
    names = {graph.value(g, SD.name) for g in graph.objects(None, SD.namedGraph)}
    assert URIRef(STATES_GRAPH) in names


def test_service_description_refuses_a_results_only_accept(server):
    assert_error(get(server, accept="application/sparql-results+json"), 406, "not_acceptable")
    assert_error(httpx.post(server + "/sparql", data={"format": "json"}), 400, "bad_input")
    assert_error(get(server, ""), 400, "bad_input")


def test_queries_lists_the_named_queries(server):
    body = httpx.get(server + "/queries").json()
    by_name = {query["name"]: query for query in body["queries"]}
    member_states = by_name["member-states"]
    assert member_states["summary"].startswith("The 193 UN Member States")
    assert "#+" not in member_states["query"]
    answer = httpx.post(server + "/sparql", data={"query": member_states["query"]}).json()
    assert len(answer["results"]["bindings"]) == 193
    (iso3,) = by_name["state-treaties"]["parameters"]
    assert iso3["name"] == "iso3" and iso3["type"] == "string"
