"""Cheap checks run before untrusted RDF or SPARQL reaches a parser.

pyoxigraph crashes the whole process on very deep nesting (≈4,000 levels of JSON-LD, ≈5,000
nested SPARQL groups) and expands RDF/XML internal entities without limit, so such input is
refused by a linear scan before any parser sees it (shared/RELIABILITY.md).
"""

from __future__ import annotations

import re

from kg.errors import ForbiddenQueryError, InputError

MAX_NESTING_DEPTH = 64

# Strings, IRIs and comments can hold brackets and keywords that mean nothing: skip them.
_TURTLE_OR_SPARQL_TOKENS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*|[\[\](){}]|[?$]\w+|[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*"
    r"|[A-Za-z_]\w*"
)
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_OPENERS = {"[": "]", "(": ")", "{": "}"}
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORBIDDEN_QUERY_KEYWORDS = {"SERVICE": "federated SERVICE calls are not allowed on this endpoint"}


def check_size(data: bytes | str, *, limit: int, what: str) -> None:
    if len(data) > limit:
        raise InputError(f"{what} is {len(data):,} long; the limit is {limit:,}")


def _check_depth(tokens: re.Pattern[str], text: str, *, what: str) -> list[str]:
    """Return the bare words seen outside strings, IRIs and comments; refuse deep nesting."""
    depth = 0
    words: list[str] = []
    for match in tokens.finditer(text):
        token = match.group()
        if token in _OPENERS:
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise InputError(
                    f"{what} nests brackets more than {MAX_NESTING_DEPTH} deep (line {line}); "
                    "flatten it"
                )
        elif token in ("]", ")", "}"):
            depth = max(depth - 1, 0)
        elif (token[0].isalpha() or token[0] == "_") and ":" not in token:
            words.append(token)
    return words


def check_rdf_document(text: str, *, syntax_name: str) -> None:
    """Refuse RDF input that would hurt the parser: DTDs in RDF/XML, very deep nesting."""
    if syntax_name == "rdfxml":
        if "<!DOCTYPE" in text or "<!ENTITY" in text:
            raise InputError("RDF/XML with a DOCTYPE or ENTITY declaration is refused; remove it")
    elif syntax_name == "jsonld":
        _check_depth(_JSON_TOKENS, text, what="the JSON-LD document")
    elif syntax_name in ("turtle", "trig"):
        _check_depth(_TURTLE_OR_SPARQL_TOKENS, text, what="the document")


def unescape_codepoints(text: str) -> str:
    """Apply SPARQL's `\\uXXXX` escapes, which the grammar resolves before tokenising."""
    return _CODEPOINT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def check_query(text: str, *, max_length: int) -> None:
    """Refuse a SPARQL query that is too long, too deep, or asks for a forbidden operation.

    >>> check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", max_length=1000)
    Traceback (most recent call last):
    ...
    kg.errors.ForbiddenQueryError: federated SERVICE calls are not allowed on this endpoint
    """
    check_size(text, limit=max_length, what="the query")
    words = _check_depth(_TURTLE_OR_SPARQL_TOKENS, unescape_codepoints(text), what="the query")
    for word in words:
        reason = _FORBIDDEN_QUERY_KEYWORDS.get(word.upper())
        if reason:
            raise ForbiddenQueryError(reason)
