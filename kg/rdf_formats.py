"""The RDF serialisations the store reads and writes, by name, file extension and media type."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat

from kg.errors import InputError


@dataclass(frozen=True)
class RdfSyntax:
    name: str
    oxigraph_format: RdfFormat
    extensions: tuple[str, ...]
    media_type: str

    @property
    def holds_named_graphs(self) -> bool:
        return self.oxigraph_format.supports_datasets


SYNTAXES: tuple[RdfSyntax, ...] = (
    RdfSyntax("turtle", RdfFormat.TURTLE, (".ttl", ".turtle"), "text/turtle"),
    RdfSyntax("ntriples", RdfFormat.N_TRIPLES, (".nt",), "application/n-triples"),
    RdfSyntax("nquads", RdfFormat.N_QUADS, (".nq",), "application/n-quads"),
    RdfSyntax("trig", RdfFormat.TRIG, (".trig",), "application/trig"),
    RdfSyntax("rdfxml", RdfFormat.RDF_XML, (".rdf", ".owl", ".xml"), "application/rdf+xml"),
    RdfSyntax("jsonld", RdfFormat.JSON_LD, (".jsonld", ".json"), "application/ld+json"),
)
_BY_NAME = {syntax.name: syntax for syntax in SYNTAXES}
_ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads",
            "n-quads": "nquads", "xml": "rdfxml", "rdf/xml": "rdfxml", "json-ld": "jsonld"}


def syntax_named(name: str) -> RdfSyntax:
    """Look up a syntax by name or common alias (`"ttl"`, `"n-quads"`, `"json-ld"`)."""
    key = name.strip().lower()
    syntax = _BY_NAME.get(_ALIASES.get(key, key))
    if syntax is None:
        raise InputError(f"unknown RDF format '{name}'; use one of: {', '.join(_BY_NAME)}")
    return syntax


def syntax_of_path(path: Path) -> RdfSyntax:
    """Guess the syntax from a file name: `states.ttl` -> turtle."""
    suffix = path.suffix.lower()
    for syntax in SYNTAXES:
        if suffix in syntax.extensions:
            return syntax
    known = ", ".join(ext for syntax in SYNTAXES for ext in syntax.extensions)
    raise InputError(
        f"cannot tell the RDF format of '{path.name}' from its extension; "
        f"use one of {known} or name the format with --format"
    )
