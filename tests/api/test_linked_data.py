"""Linked data over real HTTP: dereferencing, content negotiation, VoID, the dump, Graph Store GET."""

from __future__ import annotations

import gzip
import hashlib
from collections import Counter
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from tests.rdf_compare import dataset_difference, graph_difference

MWG = Namespace("https://w3id.org/mwg/ontology#")
VOID = Namespace("http://rdfs.org/ns/void#")
PER = URIRef("https://w3id.org/mwg/id/state/PER")
PER_ICESCR = URIRef("https://w3id.org/mwg/id/treaty-action/PER/ICESCR/ratification/1978-04-28")
STATES_GRAPH = "https://w3id.org/mwg/graph/reference/states"
ONTOLOGY_GRAPH = "https://w3id.org/mwg/graph/ontology"
RDF_TYPES = {
    "text/turtle": ("turtle", ".ttl"),
    "application/ld+json": ("json-ld", ".jsonld"),
    "application/n-triples": ("nt", ".nt"),
    "application/rdf+xml": ("xml", ".rdf"),
}


def parsed(response: httpx.Response, rdflib_format: str) -> Graph:
    return Graph().parse(data=response.content, format=rdflib_format)


def reference_quads(reference_nquads: bytes) -> list[ox.Quad]:
    return list(ox.parse(reference_nquads, format=ox.RdfFormat.N_QUADS))


def reference_graph(reference_nquads: bytes, name: str) -> list[ox.Quad]:
    """One named graph of the reference data, which the served store holds unchanged."""
    return [quad for quad in reference_quads(reference_nquads) if quad.graph_name == ox.NamedNode(name)]


def test_instance_iri_answers_303_to_its_html_document(server):
    response = httpx.get(server + "/id/state/PER", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/state/PER"
    assert "accept" in response.headers["vary"].lower()


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_each_rdf_format_is_negotiated_and_holds_the_resource(server, media_type):
    rdflib_format, extension = RDF_TYPES[media_type]
    redirect = httpx.get(server + "/id/state/PER", headers={"accept": media_type})
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/doc/state/PER" + extension
    response = httpx.get(server + "/id/state/PER", headers={"accept": media_type}, follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    graph = parsed(response, rdflib_format)
    assert (PER, RDF.type, MWG.State) in graph
    assert (PER, SKOS.prefLabel, Literal("Peru", lang="en")) in graph
    assert (PER, MWG.isoAlpha3, Literal("PER")) in graph
    assert (PER_ICESCR, MWG.state, PER) in graph  # an inverse link
    assert (MWG.isoAlpha3, None, None) in graph  # labels of the properties it uses
    as_ntriples = httpx.get(server + "/doc/state/PER.nt")
    assert graph_difference(graph, parsed(as_ntriples, "nt")) == []  # the same graph in every format


def test_q_values_decide(server):
    def location(accept: str) -> str:
        return httpx.get(server + "/id/state/PER", headers={"accept": accept}).headers["location"]

    assert location("text/turtle;q=0.5, application/ld+json;q=0.9") == "/doc/state/PER.jsonld"
    assert location("text/html;q=0, */*;q=0.1") == "/doc/state/PER.ttl"
    assert location("application/*;q=0.2, application/rdf+xml;q=0.3, text/turtle;q=0.25") == "/doc/state/PER.rdf"
    assert location("") == "/doc/state/PER"


def test_document_negotiates_with_content_location_and_vary(server):
    response = httpx.get(server + "/doc/state/PER", headers={"accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["content-location"] == "/doc/state/PER.nt"
    assert "accept" in response.headers["vary"].lower()
    assert (PER, MWG.isoAlpha2, Literal("PE")) in parsed(response, "nt")


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_extension_overrides_accept(server, media_type):
    rdflib_format, extension = RDF_TYPES[media_type]
    response = httpx.get(server + "/doc/state/PER" + extension, headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "accept" not in response.headers.get("vary", "").lower()
    assert (PER, RDF.type, MWG.State) in parsed(response, rdflib_format)
    negotiated = httpx.get(server + "/doc/state/PER", headers={"accept": media_type})
    assert graph_difference(parsed(response, rdflib_format), parsed(negotiated, rdflib_format)) == []


def test_html_page_is_labelled_and_shows_inverse_links(server):
    response = httpx.get(server + "/doc/state/PER", headers={"accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<title>Peru" in page and "<h1>Peru</h1>" in page
    assert '<a href="/ontology#State">State</a>' in page
    assert "ISO 3166-1 alpha-3 code" in page  # the ontology's label of mwg:isoAlpha3
    assert '<a href="/doc/un-membership/member">Member State</a>' in page
    assert "https://w3id.org/mwg/id/un-membership/member" not in page  # a label, not the IRI
    # inverse links: Peru's treaty actions, by their labels
    assert '<a href="/doc/treaty-action/PER/ICESCR/ratification/1978-04-28">' in page
    assert "PER ratification of ICESCR (1978-04-28)" in page
    assert "Linked from" in page
    # alternates and the way out to Wikidata
    for extension in (".ttl", ".jsonld", ".nt", ".rdf"):
        assert f'href="/doc/state/PER{extension}"' in page
    assert 'href="http://www.wikidata.org/entity/Q419" class="external"' in page


def test_html_page_of_a_treaty_action_links_back(server):
    page = httpx.get(server + "/doc/treaty-action/PER/ICESCR/ratification/1978-04-28",
                     headers={"accept": "text/html"}).text
    assert '<a href="/doc/state/PER">Peru</a>' in page
    assert 'href="/doc/instrument/ICESCR"' in page


def test_unknown_iri_is_404_json_or_html(server):
    response = httpx.get(server + "/id/state/XXX", headers={"accept": "text/turtle"})
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "not_found"
    browser = httpx.get(server + "/doc/state/XXX", headers={"accept": "text/html"})
    assert browser.status_code == 404 and "<h1>Not found</h1>" in browser.text


def test_nothing_acceptable_is_406(server):
    response = httpx.get(server + "/doc/state/PER", headers={"accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["error"]["type"] == "not_acceptable"


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_ontology_dereferences(server, media_type, reference_nquads):
    rdflib_format, extension = RDF_TYPES[media_type]
    negotiated = httpx.get(server + "/ontology", headers={"accept": media_type})
    assert negotiated.status_code == 200 and negotiated.headers["content-location"] == "/ontology" + extension
    graph = parsed(negotiated, rdflib_format)
    assert (MWG.State, RDF.type, OWL.Class) in graph
    assert (URIRef("https://w3id.org/mwg/ontology"), RDF.type, OWL.Ontology) in graph
    assert graph_difference(graph, reference_graph(reference_nquads, ONTOLOGY_GRAPH)) == []
    by_extension = httpx.get(server + "/ontology" + extension)
    assert graph_difference(parsed(by_extension, rdflib_format), graph) == []


def test_ontology_terms_have_anchors_on_the_html_page(server):
    page = httpx.get(server + "/ontology", headers={"accept": "text/html"}).text
    assert '<article id="State">' in page and '<article id="isoAlpha3">' in page
    assert "ISO 3166-1 alpha-3 code" in page


def void_graph(server: str) -> Graph:
    response = httpx.get(server + "/.well-known/void")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    return parsed(response, "turtle")


def test_void_describes_the_dataset(server, reference_nquads):
    graph = void_graph(server)
    dataset = URIRef("https://w3id.org/mwg/dataset")
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(server + "/sparql")
    assert graph.value(dataset, VOID.dataDump) == URIRef(server + "/dumps/mwg-kg.nq.gz")
    assert int(graph.value(dataset, VOID.triples)) == httpx.get(server + "/health").json()["triples"]
    subsets = {str(subset): int(graph.value(subset, VOID.triples)) for subset in graph.objects(dataset, VOID.subset)}
    assert STATES_GRAPH in subsets and ONTOLOGY_GRAPH in subsets
    assert subsets == Counter(quad.graph_name.value for quad in reference_quads(reference_nquads))
    assert sum(subsets.values()) == int(graph.value(dataset, VOID.triples))
    states = httpx.get(server + "/rdf-graphs", params={"graph": STATES_GRAPH}, headers={"accept": "application/n-triples"})
    assert subsets[STATES_GRAPH] == len(parsed(states, "nt"))
    vocabularies = set(map(str, graph.objects(dataset, VOID.vocabulary)))
    assert {"https://w3id.org/mwg/ontology#", "http://www.w3.org/2004/02/skos/core#"} <= vocabularies
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/")


def test_void_negotiates_json_ld(server):
    response = httpx.get(server + "/.well-known/void", headers={"accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert graph_difference(parsed(response, "json-ld"), void_graph(server)) == []


def test_dump_downloads_with_a_matching_checksum(server, reference_nquads):
    response = httpx.get(server + "/dumps/mwg-kg.nq.gz")
    assert response.status_code == 200
    checksum = httpx.get(server + "/dumps/mwg-kg.nq.gz.sha256").text
    assert checksum == f"{hashlib.sha256(response.content).hexdigest()}  mwg-kg.nq.gz\n"
    dataset = Dataset()
    dataset.parse(data=gzip.decompress(response.content), format="nquads")
    assert len(dataset) == httpx.get(server + "/health").json()["triples"]
    assert (PER, SKOS.prefLabel, Literal("Peru", lang="en"), URIRef(STATES_GRAPH)) in dataset
    assert dataset_difference(gzip.decompress(response.content), reference_nquads, "nquads") == []


GRAPH_STORE_TYPES = {**RDF_TYPES, "application/trig": ("trig", ".trig")}


@pytest.mark.parametrize("media_type", sorted(GRAPH_STORE_TYPES))
def test_graph_store_get_of_a_named_graph(server, media_type, reference_nquads):
    rdflib_format, _ = GRAPH_STORE_TYPES[media_type]
    response = httpx.get(server + "/rdf-graphs", params={"graph": STATES_GRAPH}, headers={"accept": media_type})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media_type)
    if media_type == "application/trig":
        dataset = Dataset()
        dataset.parse(data=response.content, format="trig")
        graph = dataset.graph(URIRef(STATES_GRAPH))
    else:
        graph = parsed(response, rdflib_format)
    assert (PER, SKOS.prefLabel, Literal("Peru", lang="en")) in graph
    assert len(list(graph.subjects(RDF.type, MWG.State))) == 195
    assert (PER_ICESCR, None, None) not in graph  # another graph's triples stay out
    assert graph_difference(graph, reference_graph(reference_nquads, STATES_GRAPH)) == []


def test_graph_store_errors(server):
    missing = httpx.get(server + "/rdf-graphs", params={"graph": "https://w3id.org/mwg/graph/none"})
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "not_found"
    unnamed = httpx.get(server + "/rdf-graphs")
    assert unnamed.status_code == 400 and unnamed.json()["error"]["type"] == "bad_input"


def test_graph_iri_dereferences_to_the_graph_store(server):
    response = httpx.get(server + "/graph/reference/states")
    assert response.status_code == 303
    assert response.headers["location"] == "/rdf-graphs?graph=" + quote(STATES_GRAPH, safe="")


def test_our_iris_map_to_this_server_and_others_link_out():
    from api.rdf_views import local_href

    assert local_href("https://w3id.org/mwg/id/state/PER", "/kg") == ("/kg/doc/state/PER", False)
    assert local_href("https://w3id.org/mwg/ontology#State", "") == ("/ontology#State", False)
    assert local_href("https://w3id.org/mwg/id/recommendation/A-HRC-22-15/1#selector", "") == (
        "/doc/recommendation/A-HRC-22-15/1#selector", False)
    assert local_href("http://metadata.un.org/sdg/6.1", "/kg") == ("http://metadata.un.org/sdg/6.1", True)
