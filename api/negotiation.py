"""Content negotiation: which of the formats a route offers (`kg.formats`) the client gets.

Choosing is RFC 9110 §12.5.1: the most specific range matching a format's media type gives it
its q-value, the highest q wins, and a tie goes to the route's order (its first format is the
default). A format's other media types (`application/json` for SPARQL JSON) count only when a
client names them in full, so `text/*` means CSV, not `text/xml`.

>>> from kg.formats import DOCUMENT_FORMATS, GRAPH_FORMATS, RESULTS_FORMATS
>>> negotiate(RESULTS_FORMATS, accept="text/csv;q=0.5, application/sparql-results+xml").name
'xml'
>>> negotiate(GRAPH_FORMATS, accept="application/json").name
'jsonld'
>>> negotiate(DOCUMENT_FORMATS, accept="*/*").name
'html'
>>> negotiate(RESULTS_FORMATS, accept="image/png")
Traceback (most recent call last):
...
kg.errors.NotAcceptableError: none of the media types in Accept (or the format parameter) fits this answer; offered: application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.errors import NotAcceptableError
from kg.formats import HTML, Format


@dataclass(frozen=True)
class MediaRange:
    """One element of an `Accept` header: `type/subtype;q=0.5`."""

    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    @property
    def media_type(self) -> str:
        return f"{self.type}/{self.subtype}"

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


def format_quality(fmt: Format, ranges: list[MediaRange]) -> float:
    """How much the client wants `fmt`: its media type by any range, its other types by name only."""
    exact = [r for r in ranges if r.specificity == 2]
    return max([quality(fmt.media_type, ranges)] + [quality(other, exact) for other in fmt.media_types[1:]])


def negotiate(offered: Sequence[Format], *, accept: str | None, format_name: str | None = None) -> Format:
    """The format asked for by name (a `format` parameter, an extension) or else by `Accept`.

    Raises NotAcceptableError, listing what is offered, when no offered format fits.
    """
    if format_name:
        key = format_name.strip().lower()
        chosen = next((fmt for fmt in offered if fmt.name == key), None)
    else:
        ranges = parse_accept(accept)
        chosen, best_q = None, 0.0
        for fmt in offered:
            q = format_quality(fmt, ranges)
            if q > best_q:
                chosen, best_q = fmt, q
    if chosen is None:
        raise NotAcceptableError(media_types=[fmt.media_type for fmt in offered],
                                 names=[fmt.name for fmt in offered])
    return chosen


def prefers_html(accept: str | None, *, over: Sequence[Format] = ()) -> bool:
    """Whether the client names HTML itself, at least as high as any of `over` it names.

    Wildcards do not count: `curl` (`*/*`) gets data or the JSON error shape, a browser (which
    names `text/html`) gets the page.

    >>> prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    True
    >>> prefers_html("*/*")
    False
    """
    ranges = [r for r in parse_accept(accept) if r.specificity == 2]
    html_q = max((r.q for r in ranges if r.media_type in HTML.media_types), default=0.0)
    if html_q == 0:
        return False
    data_q = max((r.q for r in ranges for fmt in over if r.matches(fmt.media_type)), default=0.0)
    return html_q >= data_q
