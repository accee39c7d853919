"""Content negotiation for the SPARQL endpoint: media-type tables as data, and `Accept` parsing.

Each format the endpoint writes is one row: the media type it answers with, the other media
types that ask for it, the name the `format` parameter takes, the W3C format IRI a service
description lists, and the specification that defines it. Choosing is RFC 9110 §12.5.1: the most
specific matching range gives a type its q-value, the highest q wins, and a tie goes to the
order of the table (its first row is the default).

>>> choose(RESULTS_FORMATS, accept="text/csv;q=0.5, application/sparql-results+xml").name
'xml'
>>> choose(GRAPH_FORMATS, accept="application/json") is None
False
>>> choose(RESULTS_FORMATS, accept="image/png") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

FORMATS_NS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """One serialisation the endpoint writes."""

    name: str
    media_type: str
    spec: str
    format_iri: str
    also_accepted: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.also_accepted)


# SELECT and ASK answers. The first row is the default.
RESULTS_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "https://www.w3.org/TR/sparql11-results-json/",
           FORMATS_NS + "SPARQL_Results_JSON", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "https://www.w3.org/TR/rdf-sparql-XMLres/",
           FORMATS_NS + "SPARQL_Results_XML", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "https://www.w3.org/TR/sparql11-results-csv-tsv/",
           FORMATS_NS + "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", "https://www.w3.org/TR/sparql11-results-csv-tsv/",
           FORMATS_NS + "SPARQL_Results_TSV"),
)

# CONSTRUCT and DESCRIBE answers, and the service description. The first row is the default.
# N-Quads and TriG put the triples of a CONSTRUCT in the default graph.
GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", "https://www.w3.org/TR/rdf12-turtle/", FORMATS_NS + "Turtle",
           ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", "https://www.w3.org/TR/rdf12-n-triples/",
           FORMATS_NS + "N-Triples"),
    Format("jsonld", "application/ld+json", "https://www.w3.org/TR/json-ld11/", FORMATS_NS + "JSON-LD",
           ("application/json",)),
    Format("rdfxml", "application/rdf+xml", "https://www.w3.org/TR/rdf12-xml/", FORMATS_NS + "RDF_XML",
           ("application/xml", "text/xml")),
    Format("nquads", "application/n-quads", "https://www.w3.org/TR/rdf12-n-quads/", FORMATS_NS + "N-Quads"),
    Format("trig", "application/trig", "https://www.w3.org/TR/rdf12-trig/", FORMATS_NS + "TriG"),
)

HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class MediaRange:
    """One element of an `Accept` header: `type/subtype;q=0.5`."""

    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an `Accept` header; an absent or empty header accepts anything.

    Malformed elements are skipped and a malformed q-value counts as 0 (not acceptable).

    >>> parse_accept("text/csv;q=0.5, */*;q=0.1")
    [MediaRange(type='text', subtype='csv', q=0.5), MediaRange(type='*', subtype='*', q=0.1)]
    """
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for element in header.split(","):
        media, *params = [piece.strip() for piece in element.split(";")]
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def quality(media_type: str, ranges: list[MediaRange]) -> float:
    """The q-value the most specific matching range gives `media_type` (0 when none matches)."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: r.specificity).q


def choose(formats: tuple[Format, ...], *, accept: str | None) -> Format | None:
    """The format the client prefers among `formats`, or None when none is acceptable."""
    ranges = parse_accept(accept)
    exact = [r for r in ranges if r.specificity == 2]
    best, best_q = None, 0.0
    for fmt in formats:
        # Other names of a format count only when named in full: `text/*` means CSV, not text/xml.
        q = max([quality(fmt.media_type, ranges)] + [quality(alias, exact) for alias in fmt.also_accepted])
        if q > best_q:
            best, best_q = fmt, q
    return best


def prefers_html(accept: str | None, *, over: tuple[Format, ...]) -> bool:
    """Whether the client names HTML explicitly and ranks it at least as high as any of `over`.

    Wildcards do not count for HTML: `curl` (`*/*`) gets data, a browser gets the page.
    """
    ranges = parse_accept(accept)
    html_q = max(
        (r.q for r in ranges if r.specificity == 2 and f"{r.type}/{r.subtype}" in HTML_MEDIA_TYPES),
        default=0.0,
    )
    if html_q == 0:
        return False
    data_q = max(
        (r.q for r in ranges if r.specificity == 2 for fmt in over if r.matches(fmt.media_type)),
        default=0.0,
    )
    return html_q >= data_q


def by_name(formats: tuple[Format, ...], name: str) -> Format | None:
    key = name.strip().lower()
    return next((fmt for fmt in formats if fmt.name == key), None)


def format_names() -> list[str]:
    return [fmt.name for fmt in (*RESULTS_FORMATS, *GRAPH_FORMATS)]


def offered(formats: tuple[Format, ...]) -> list[str]:
    return [fmt.media_type for fmt in formats]
