"""Every format the service reads or writes, as data: one row per format, one registry.

A row names the format (the `format` parameter and `--format` take the name), its media types
(the first is the one an answer carries; the others only ask for it), its file extensions (the
first is the one links use), the pyoxigraph format that reads and writes it, the specification
and W3C format IRI a service description lists, and its writer. Routes offer tuples of these
rows; `api.negotiation` chooses among them. A new format is one row here.

>>> syntax_named("ttl").media_type
'text/turtle'
>>> syntax_of_path(Path("states.nq")).name
'nquads'
>>> [fmt.name for fmt in RESULTS_FORMATS]
['json', 'xml', 'csv', 'tsv']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import PREFIXES, TURTLE_PREFIXES
from kg.results import QueryAnswer, to_csv, to_sparql_json, to_sparql_xml, to_tsv
from kg.terms import to_rdflib_graph

FORMATS_NS = "http://www.w3.org/ns/formats/"

# A writer turns an answer into bytes; `context_url` is where compact JSON-LD finds its context
# (None: inline, so the document stands alone).
Writer = Callable[[QueryAnswer, "str | None"], bytes]


@dataclass(frozen=True)
class Format:
    """One serialisation: what it is called, how it is asked for, and how it is written."""

    name: str
    label: str
    media_types: tuple[str, ...]
    kind: TypingLiteral["results", "rdf", "page"]
    extensions: tuple[str, ...] = ()
    oxigraph_format: ox.RdfFormat | None = None
    spec: str | None = None
    format_iri: str | None = None
    writer: Writer | None = field(default=None, compare=False, repr=False)

    @property
    def media_type(self) -> str:
        """The media type answers in this format carry."""
        return self.media_types[0]

    @property
    def extension(self) -> str:
        return self.extensions[0] if self.extensions else ""

    @property
    def holds_named_graphs(self) -> bool:
        return bool(self.oxigraph_format and self.oxigraph_format.supports_datasets)

    def write(self, answer: QueryAnswer, *, context_url: str | None = None) -> bytes:
        if self.writer is None:
            raise InputError(f"{self.label} is not written from data")
        return self.writer(answer, context_url)


def jsonld_context() -> dict:
    """The project's JSON-LD context: one prefix per namespace of `kg.namespaces.PREFIXES`.

    It changes only when a namespace is added, so documents that reference it stay readable.
    """
    return {"@context": dict(PREFIXES)}


def to_jsonld(triples: Iterable[ox.Triple], *, context_url: str | None = None) -> bytes:
    """Compact JSON-LD with the project's prefixes, the context inline or referenced by URL.

    rdflib compacts with the context given as a dict, so nothing remote is ever fetched.
    """
    graph = to_rdflib_graph(triples)
    compacted = json.loads(graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True))
    if isinstance(compacted, list):
        compacted = {"@graph": compacted}
    context = context_url or compacted.get("@context", dict(PREFIXES))
    compacted.pop("@context", None)
    return json.dumps({"@context": context, **compacted}, ensure_ascii=False, indent=2).encode()


def write_rdf_triples(triples: Iterable[ox.Triple], fmt: Format, *, context_url: str | None = None) -> bytes:
    """Triples in an RDF format; dataset formats put them in the default graph."""
    if fmt.oxigraph_format == ox.RdfFormat.JSON_LD:
        return to_jsonld(triples, context_url=context_url)
    prefixes = TURTLE_PREFIXES if fmt.oxigraph_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return ox.serialize(triples, format=fmt.oxigraph_format, prefixes=prefixes) or b""


def _results(write_text: Callable[[QueryAnswer], str]) -> Writer:
    return lambda answer, _context_url: write_text(answer).encode()


def _rdf(name: str) -> Writer:
    return lambda answer, context_url: write_rdf_triples(answer.triples, FORMATS[name], context_url=context_url)


HTML = Format("html", "Web page", ("text/html", "application/xhtml+xml"), "page", (".html",))

# SELECT and ASK answers.
JSON = Format("json", "SPARQL JSON", ("application/sparql-results+json", "application/json"), "results",
              (".srj",), spec="https://www.w3.org/TR/sparql11-results-json/",
              format_iri=FORMATS_NS + "SPARQL_Results_JSON", writer=_results(to_sparql_json))
XML = Format("xml", "SPARQL XML", ("application/sparql-results+xml", "application/xml", "text/xml"), "results",
             (".srx",), spec="https://www.w3.org/TR/rdf-sparql-XMLres/",
             format_iri=FORMATS_NS + "SPARQL_Results_XML", writer=_results(to_sparql_xml))
CSV = Format("csv", "CSV", ("text/csv",), "results", (".csv",),
             spec="https://www.w3.org/TR/sparql11-results-csv-tsv/",
             format_iri=FORMATS_NS + "SPARQL_Results_CSV", writer=_results(to_csv))
TSV = Format("tsv", "TSV", ("text/tab-separated-values",), "results", (".tsv",),
             spec="https://www.w3.org/TR/sparql11-results-csv-tsv/",
             format_iri=FORMATS_NS + "SPARQL_Results_TSV", writer=_results(to_tsv))

# Graphs. N-Quads and TriG written from triples put them in the default graph.
TURTLE = Format("turtle", "Turtle", ("text/turtle", "application/x-turtle"), "rdf", (".ttl", ".turtle"),
                ox.RdfFormat.TURTLE, "https://www.w3.org/TR/rdf12-turtle/", FORMATS_NS + "Turtle", _rdf("turtle"))
NTRIPLES = Format("ntriples", "N-Triples", ("application/n-triples", "text/plain"), "rdf", (".nt",),
                  ox.RdfFormat.N_TRIPLES, "https://www.w3.org/TR/rdf12-n-triples/", FORMATS_NS + "N-Triples",
                  _rdf("ntriples"))
JSONLD = Format("jsonld", "JSON-LD", ("application/ld+json", "application/json"), "rdf", (".jsonld", ".json"),
                ox.RdfFormat.JSON_LD, "https://www.w3.org/TR/json-ld11/", FORMATS_NS + "JSON-LD", _rdf("jsonld"))
RDFXML = Format("rdfxml", "RDF/XML", ("application/rdf+xml", "application/xml", "text/xml"), "rdf",
                (".rdf", ".owl", ".xml"), ox.RdfFormat.RDF_XML, "https://www.w3.org/TR/rdf12-xml/",
                FORMATS_NS + "RDF_XML", _rdf("rdfxml"))
NQUADS = Format("nquads", "N-Quads", ("application/n-quads",), "rdf", (".nq",), ox.RdfFormat.N_QUADS,
                "https://www.w3.org/TR/rdf12-n-quads/", FORMATS_NS + "N-Quads", _rdf("nquads"))
TRIG = Format("trig", "TriG", ("application/trig",), "rdf", (".trig",), ox.RdfFormat.TRIG,
              "https://www.w3.org/TR/rdf12-trig/", FORMATS_NS + "TriG", _rdf("trig"))

FORMATS: dict[str, Format] = {
    fmt.name: fmt for fmt in (HTML, JSON, XML, CSV, TSV, TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)
}

# What each kind of answer is offered as, in the server's order of preference: the first row is
# the default and wins ties.
RESULTS_FORMATS = (JSON, XML, CSV, TSV)
GRAPH_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)
DOCUMENT_FORMATS = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)
DESCRIPTION_FORMATS = (TURTLE, JSONLD, NTRIPLES, RDFXML)
GRAPH_STORE_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG)
# What the store reads, in the order a file extension is looked up.
RDF_SYNTAXES = (TURTLE, NTRIPLES, NQUADS, TRIG, RDFXML, JSONLD)

_SYNTAX_ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads",
                   "n-quads": "nquads", "xml": "rdfxml", "rdf/xml": "rdfxml", "json-ld": "jsonld"}


def syntax_named(name: str) -> Format:
    """An RDF syntax by name or common alias (`"ttl"`, `"n-quads"`, `"json-ld"`)."""
    key = name.strip().lower()
    fmt = FORMATS.get(_SYNTAX_ALIASES.get(key, key))
    if fmt is None or fmt.kind != "rdf":
        raise InputError(f"unknown RDF format '{name}'; use one of: {', '.join(f.name for f in RDF_SYNTAXES)}")
    return fmt


def syntax_of_path(path: Path) -> Format:
    """Guess the syntax from a file name: `states.ttl` -> turtle."""
    suffix = path.suffix.lower()
    for fmt in RDF_SYNTAXES:
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join(ext for fmt in RDF_SYNTAXES for ext in fmt.extensions)
    raise InputError(
        f"cannot tell the RDF format of '{path.name}' from its extension; "
        f"use one of {known} or name the format with --format"
    )
