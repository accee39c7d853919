"""Cheap checks run before untrusted RDF or SPARQL reaches a parser.

pyoxigraph crashes the whole process on very deep nesting (≈4,000 levels of JSON-LD, ≈5,000
nested SPARQL groups) and expands RDF/XML internal entities without limit, so such input is
refused by a linear scan before any parser sees it (shared/RELIABILITY.md).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from kg.errors import ForbiddenQueryError, InputError

MAX_NESTING_DEPTH = 64

# Strings, IRIs, comments, variables and prefixed names can hold brackets and keywords that mean
# nothing: they are skipped, each tokenised as the SPARQL/Turtle grammar does (escaped quotes in
# long strings; `\#`, `\'` and the other escapes a local name may hold), so that no comment or
# string can start, for this scan, where the parser sees none.
_LOCAL_NAME = r"(?:[\w.:%-]|\\[_~.\-!$&'()*+,;=/?#@%])*"
_TURTLE_OR_SPARQL_TOKENS = re.compile(
    r'"""(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*"""'
    r"|'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''"
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*|[\[\](){}]|[?$]\w+"
    r"|[A-Za-z_][\w.-]*:" + _LOCAL_NAME + r"|:" + _LOCAL_NAME
    + r"|[A-Za-z_]\w*"
)
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_OPENERS = {"[": "]", "(": ")", "{": "}"}
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORBIDDEN_QUERY_KEYWORDS = {"SERVICE": "federated SERVICE calls are not allowed on this endpoint"}
_FORBIDDEN_UPDATE_KEYWORDS = {
    "SERVICE": "federated SERVICE calls are not allowed in updates",
    "LOAD": "LOAD is not allowed: this server never fetches documents; send the triples with INSERT DATA",
    # The update is run twice (on a staging copy, then for real): its result must not change.
    "RAND": "RAND() is not allowed in updates: the validated result must be the one committed",
    "UUID": "UUID() is not allowed in updates: the validated result must be the one committed",
    "STRUUID": "STRUUID() is not allowed in updates: the validated result must be the one committed",
}


class InputTooLargeError(InputError):
    """A query, update or request body is larger than its limit."""


def check_size(data: bytes | str, *, limit: int, what: str) -> None:
    if len(data) > limit:
        raise InputTooLargeError(f"{what} is {len(data):,} long; the limit is {limit:,}")


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
    _refuse_keywords(words, _FORBIDDEN_QUERY_KEYWORDS)


def _refuse_keywords(words: list[str], forbidden: dict[str, str]) -> None:
    """Refuse any bare word that holds a forbidden keyword.

    A word that merely *contains* one counts: the parser splits `1e5SERVICE` into a number and
    the keyword, where a scan for letters sees one word. No SPARQL keyword contains another's
    forbidden one, so nothing legitimate is lost.
    """
    for word in words:
        upper = word.upper()
        for keyword, reason in forbidden.items():
            if keyword in upper:
                raise ForbiddenQueryError(reason)


def check_update(text: str, *, max_length: int) -> None:
    """Refuse a SPARQL update that is too long, too deep, fetches (LOAD, SERVICE) or is not repeatable.

    >>> check_update("LOAD <http://127.0.0.1:9/x.ttl>", max_length=1000)
    Traceback (most recent call last):
    ...
    kg.errors.ForbiddenQueryError: LOAD is not allowed: this server never fetches documents; send the triples with INSERT DATA
    """
    check_size(text, limit=max_length, what="the update")
    words = _check_depth(_TURTLE_OR_SPARQL_TOKENS, unescape_codepoints(text), what="the update")
    _refuse_keywords(words, _FORBIDDEN_UPDATE_KEYWORDS)


def dataset_clauses(text: str) -> list[tuple[str, str]]:
    """The `FROM` and `FROM NAMED` clauses of a query, with prefixed names and BASE resolved.

    >>> dataset_clauses("PREFIX g: <https://w3id.org/mwg/graph/> SELECT * FROM g:system "
    ...                 "FROM NAMED <http://e/x> WHERE { ?s ?p ?o }")
    [('FROM', 'https://w3id.org/mwg/graph/system'), ('FROM NAMED', 'http://e/x')]
    """
    tokens = [match.group() for match in _TURTLE_OR_SPARQL_TOKENS.finditer(unescape_codepoints(text))]
    tokens = [token for token in tokens if not token.startswith("#")]
    prefixes: dict[str, str] = {}
    base = ""
    found = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        keyword = token.upper()
        if keyword == "BASE" and following.startswith("<"):
            base = urljoin(base, following[1:-1])
        elif keyword == "PREFIX" and index + 2 < len(tokens) and tokens[index + 2].startswith("<"):
            prefixes[following.rstrip(":")] = urljoin(base, tokens[index + 2][1:-1])
        elif keyword == "FROM":
            clause = "FROM"
            if following.upper() == "NAMED":
                clause, following = "FROM NAMED", tokens[index + 2] if index + 2 < len(tokens) else ""
            if following.startswith("<") and following.endswith(">"):
                found.append((clause, urljoin(base, following[1:-1])))
            elif ":" in following:
                prefix, _, local = following.partition(":")
                found.append((clause, prefixes.get(prefix, "") + local))
    return found
