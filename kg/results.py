"""Query answers, and their serialisations as SPARQL 1.1 results (JSON, XML, CSV, TSV) and tables.

A `QueryAnswer` is materialised (bounded by the row cap) so that its `truncated` flag is known
before the first byte is sent.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Term = NamedNode | BlankNode | Literal | Triple


@dataclass
class QueryAnswer:
    """The answer to one query: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    form: TypingLiteral["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False
    elapsed_seconds: float = 0.0

    def records(self) -> list[dict[str, Term]]:
        """Rows as dicts without unbound variables."""
        return [
            {name: value for name, value in zip(self.variables, row) if value is not None}
            for row in self.rows
        ]


def term_to_json(term: Term) -> dict:
    """One RDF term in the SPARQL 1.1 JSON results format (with RDF-star triples)."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        encoded = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            encoded["datatype"] = term.datatype.value
        return encoded
    return {
        "type": "triple",
        "value": {
            "subject": term_to_json(term.subject),
            "predicate": term_to_json(term.predicate),
            "object": term_to_json(term.object),
        },
    }


def to_sparql_json(answer: QueryAnswer) -> str:
    """SPARQL 1.1 Query Results JSON; a top-level `truncated` tells when the row cap cut it."""
    if answer.form == "ask":
        return json.dumps({"head": {}, "boolean": answer.boolean})
    bindings = [
        {name: term_to_json(value) for name, value in zip(answer.variables, row) if value is not None}
        for row in answer.rows
    ]
    return json.dumps(
        {
            "head": {"vars": answer.variables},
            "results": {"bindings": bindings},
            "truncated": answer.truncated,
        },
        ensure_ascii=False,
    )


def _plain(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Triple):
        return str(term)
    return term.value


def _delimited(answer: QueryAnswer, *, dialect: str) -> str:
    buffer = io.StringIO()
    if answer.form == "ask":
        return "true\n" if answer.boolean else "false\n"
    if dialect == "csv":
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(answer.variables)
        writer.writerows([_plain(value) for value in row] for row in answer.rows)
    else:
        buffer.write("\t".join(f"?{name}" for name in answer.variables) + "\n")
        for row in answer.rows:
            buffer.write("\t".join("" if value is None else str(value) for value in row) + "\n")
    return buffer.getvalue()


def to_csv(answer: QueryAnswer) -> str:
    """SPARQL 1.1 CSV results: plain values, CRLF line ends."""
    return _delimited(answer, dialect="csv")


def to_tsv(answer: QueryAnswer) -> str:
    """SPARQL 1.1 TSV results: terms in N-Triples syntax."""
    return _delimited(answer, dialect="tsv")


def compact_iri(iri: str) -> str:
    """`https://w3id.org/mwg/id/state/PER` -> `id:state/PER` for people reading a table."""
    matches = [(name, ns) for name, ns in PREFIXES.items() if iri.startswith(ns) and len(iri) > len(ns)]
    if not matches:
        return f"<{iri}>"
    name, namespace = max(matches, key=lambda match: len(match[1]))
    return f"{name}:{iri[len(namespace):]}"


def _readable(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return compact_iri(term.value)
    if isinstance(term, Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return str(term)


def to_table(answer: QueryAnswer) -> str:
    """A SELECT or ASK answer as a fixed-width text table for a terminal, saying when rows were cut."""
    if answer.form == "ask":
        return "yes\n" if answer.boolean else "no\n"
    cells = [[_readable(value) for value in row] for row in answer.rows]
    widths = [
        max([len(name)] + [len(row[index]) for row in cells]) for index, name in enumerate(answer.variables)
    ]
    lines = ["  ".join(name.ljust(width) for name, width in zip(answer.variables, widths)).rstrip()]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    footer = f"({len(cells)} row{'s' if len(cells) != 1 else ''}"
    footer += ", truncated at the row cap)" if answer.truncated else ")"
    return "\n".join(lines + [footer]) + "\n"


SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
# Characters XML 1.0 cannot carry, even escaped; a literal holding one gets U+FFFD instead.
_NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return escape(_NOT_XML_CHARACTERS.sub("\ufffd", value))


def term_to_xml(term: Term) -> str:
    """One RDF term as a SPARQL Query Results XML element (RDF-star triples as `<triple>`)."""
    if isinstance(term, NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    return (
        f"<triple><subject>{term_to_xml(term.subject)}</subject>"
        f"<predicate>{term_to_xml(term.predicate)}</predicate>"
        f"<object>{term_to_xml(term.object)}</object></triple>"
    )


def to_sparql_xml(answer: QueryAnswer) -> str:
    """SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/).

    The format has no place for the row cap: the `X-MWG-Truncated` header says it.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sparql xmlns="{SPARQL_RESULTS_NS}">']
    if answer.form == "ask":
        lines += ["  <head/>", f"  <boolean>{'true' if answer.boolean else 'false'}</boolean>"]
    else:
        lines.append("  <head>")
        lines += [f"    <variable name={quoteattr(name)}/>" for name in answer.variables]
        lines += ["  </head>", "  <results>"]
        for row in answer.rows:
            bindings = "".join(
                f"<binding name={quoteattr(name)}>{term_to_xml(value)}</binding>"
                for name, value in zip(answer.variables, row)
                if value is not None
            )
            lines.append(f"    <result>{bindings}</result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"
