"""The IRIs the project mints and the vocabularies it reuses.

Instance IRIs follow `https://w3id.org/mwg/id/<kind>/<key>` and named graphs
`https://w3id.org/mwg/graph/<name>`, so that a deployment behind the w3id redirect can
dereference them.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

BASE = "https://w3id.org/mwg/"
MWG = Namespace(BASE + "ontology#")
MWGSH = Namespace(BASE + "shapes#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

ONTOLOGY_IRI = BASE + "ontology"
SDG_SCHEME = "http://metadata.un.org/sdg"

PREFIXES: dict[str, str] = {
    "mwg": str(MWG),
    "mwgsh": str(MWGSH),
    "id": str(ID),
    "sdg": str(SDG),
    "sdgo": str(SDGO),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "oa": str(OA),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "wd": str(WIKIDATA),
    "void": str(VOID),
    "dcat": str(DCAT),
}
# Turtle and TriG leave instance IRIs whole: with `id:` they would read `id:state\/PER`.
TURTLE_PREFIXES: dict[str, str] = {name: iri for name, iri in PREFIXES.items() if name != "id"}


def instance_iri(kind: str, *keys: str) -> str:
    """IRI of an instance: `instance_iri("state", "PER")` -> `https://w3id.org/mwg/id/state/PER`."""
    return ID + "/".join((kind, *keys))


def graph_iri(*parts: str) -> str:
    """IRI of a named graph: `graph_iri("reference", "states")`."""
    return GRAPH + "/".join(parts)


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix, for queries typed by people."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
