"""What a linked-data page shows: the graph about one resource, and how our IRIs map to URLs.

The triples come from named queries (`queries/resource-*.rq`), so each page can be reproduced at
`/sparql`. A resource's document holds its own triples, the parts it owns (blank nodes and its
`#` IRIs), the triples that point to it (capped by `MWG_KG_MAX_ROWS`), and the labels of every
IRI it mentions, so that a client needs no second request to show names.

Our IRIs keep their base (`https://w3id.org/mwg/`) in the data; only links on pages are turned
into paths of this server, relative to the request's root (`root` below), so the same code works
behind any host or path prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespaces import BASE, WIKIDATA
from kg.results import compact_iri
from kg.store import GraphStore

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
LABEL_PROPERTIES = (
    SKOS_PREF_LABEL,
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
    "http://purl.org/dc/terms/title",
)
ID_BASE = BASE + "id/"
ONTOLOGY_BASE = BASE + "ontology"
GRAPH_BASE = BASE + "graph/"
SHAPES_BASE = BASE + "shapes"

# Names, for readers, of the terms of other vocabularies the graph uses most; the store holds
# labels only for our own terms (from the ontology graph).
COMMON_TERM_LABELS = {
    RDF_TYPE: "type",
    SKOS_PREF_LABEL: "name",
    "http://www.w3.org/2004/02/skos/core#altLabel": "also known as",
    "http://www.w3.org/2004/02/skos/core#notation": "code",
    "http://www.w3.org/2004/02/skos/core#exactMatch": "same as",
    "http://www.w3.org/2004/02/skos/core#closeMatch": "close to",
    "http://www.w3.org/2004/02/skos/core#broader": "broader concept",
    "http://www.w3.org/2004/02/skos/core#narrower": "narrower concept",
    "http://www.w3.org/2004/02/skos/core#inScheme": "in list",
    "http://www.w3.org/2004/02/skos/core#topConceptOf": "top concept of",
    "http://www.w3.org/2004/02/skos/core#definition": "definition",
    "http://www.w3.org/2004/02/skos/core#note": "note",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2000/01/rdf-schema#comment": "description",
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": "kind of",
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy": "defined by",
    "http://purl.org/dc/terms/title": "title",
    "http://purl.org/dc/terms/description": "description",
    "http://purl.org/dc/terms/isPartOf": "part of",
    "http://xmlns.com/foaf/0.1/name": "name",
    "http://metadata.un.org/sdg/ontology#hasTarget": "has target",
    "http://metadata.un.org/sdg/ontology#isTargetOf": "target of",
    "http://metadata.un.org/sdg/ontology#hasIndicator": "has indicator",
    "http://metadata.un.org/sdg/ontology#isIndicatorOf": "indicator of",
}


@dataclass(frozen=True)
class Link:
    """An IRI as a page shows it: a label and where a click goes."""

    iri: str
    label: str
    href: str
    external: bool


@dataclass(frozen=True)
class Value:
    """One value of a property: a link, or a literal with its language or datatype."""

    text: str
    link: Link | None = None
    language: str | None = None


@dataclass
class PropertyValues:
    property: Link
    values: list[Value] = field(default_factory=list)


@dataclass
class ResourceView:
    """Everything the document of one resource holds, for HTML and for RDF alike."""

    iri: str
    label: str
    types: list[Link]
    properties: list[PropertyValues]
    inverse: list[tuple[Link, list[Link]]]
    triples: list[ox.Triple]
    inverse_truncated: bool


def local_href(iri: str, root: str) -> tuple[str, bool]:
    """Where a link to `iri` goes on this server, and whether it leaves the site.

    >>> local_href("https://w3id.org/mwg/id/state/PER", "")
    ('/doc/state/PER', False)
    >>> local_href("http://metadata.un.org/sdg/6", "")
    ('http://metadata.un.org/sdg/6', True)
    """
    if iri.startswith(ID_BASE):
        path, hash_mark, fragment = iri[len(ID_BASE):].partition("#")
        return f"{root}/doc/{quote(path, safe='/:@-._~!$&()*+,;=')}{hash_mark}{fragment}", False
    if iri == ONTOLOGY_BASE or iri.startswith(ONTOLOGY_BASE + "#"):
        return root + "/ontology" + iri[len(ONTOLOGY_BASE):], False
    if iri.startswith(GRAPH_BASE):
        return f"{root}/rdf-graphs?graph={quote(iri, safe='')}", False
    if iri == SHAPES_BASE or iri.startswith(SHAPES_BASE + "#"):
        return f"{root}/shapes", False
    return iri, True


def fallback_label(iri: str) -> str:
    """A readable name for an IRI without a label: `…/id/treaty-kind/x` -> `treaty kind x`."""
    if iri in COMMON_TERM_LABELS:
        return COMMON_TERM_LABELS[iri]
    if iri.startswith(ID_BASE):
        kind, _, key = iri[len(ID_BASE):].partition("/")
        return f"{kind.replace('-', ' ').capitalize()} {key}".strip()
    if iri.startswith(WIKIDATA):
        return "Wikidata " + iri[len(WIKIDATA):]
    compact = compact_iri(iri)
    if not compact.startswith("<"):
        return compact.split(":", 1)[1].split("#")[-1] or compact
    return iri


def make_link(iri: str, label: str | None, root: str) -> Link:
    href, external = local_href(iri, root)
    return Link(iri=iri, label=label or fallback_label(iri), href=href, external=external)


def _literal_label(term: ox.Literal | None) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def resource_exists(store: GraphStore, iri: str) -> bool:
    return bool(store.run_named("resource-exists", {"resource": iri}).rows)


def describe(store: GraphStore, iri: str, *, root: str = "") -> ResourceView | None:
    """The document of `iri`, or None when the graph does not mention it."""
    outgoing = store.run_named("resource-outgoing", {"resource": iri}).records()
    incoming_answer = store.run_named("resource-incoming", {"resource": iri})
    incoming = incoming_answer.records()
    if not outgoing and not incoming:
        return None
    parts = store.run_named("resource-parts", {"resource": iri}).records()
    subject = ox.NamedNode(iri)
    triples: dict[ox.Triple, None] = {}
    labels: dict[str, str] = {}

    by_property: dict[str, PropertyValues] = {}
    own_labels: dict[str, list[ox.Literal]] = {}
    types: dict[str, Link] = {}
    for row in outgoing:
        prop, value = row["property"], row["value"]
        triples[ox.Triple(subject, prop, value)] = None
        property_label = _literal_label(row.get("propertyLabel"))
        value_label = _literal_label(row.get("valueLabel"))
        if property_label:
            labels.setdefault(prop.value, property_label)
        if isinstance(value, ox.NamedNode) and value_label:
            labels.setdefault(value.value, value_label)
        if prop.value in LABEL_PROPERTIES and isinstance(value, ox.Literal):
            own_labels.setdefault(prop.value, []).append(value)
        if prop.value == RDF_TYPE and isinstance(value, ox.NamedNode):
            types[value.value] = make_link(value.value, value_label, root)
            continue
        group = by_property.setdefault(prop.value, PropertyValues(make_link(prop.value, property_label, root)))
        shown = _value(value, value_label, root)
        if shown not in group.values:
            group.values.append(shown)

    inverse_groups: dict[str, tuple[Link, dict[str, Link]]] = {}
    for row in incoming:
        prop, source = row["property"], row["subject"]
        triples[ox.Triple(source, prop, subject)] = None
        property_label = _literal_label(row.get("propertyLabel"))
        source_label = _literal_label(row.get("subjectLabel"))
        if property_label:
            labels.setdefault(prop.value, property_label)
        if isinstance(source, ox.NamedNode) and source_label:
            labels.setdefault(source.value, source_label)
        if not isinstance(source, ox.NamedNode):
            continue
        link, sources = inverse_groups.setdefault(prop.value, (make_link(prop.value, property_label, root), {}))
        sources.setdefault(source.value, make_link(source.value, source_label, root))

    for row in parts:
        triples[ox.Triple(row["part"], row["property"], row["value"])] = None
    for mentioned, label in labels.items():
        triples[ox.Triple(ox.NamedNode(mentioned), RDFS_LABEL, ox.Literal(label, language="en"))] = None

    properties = sorted(by_property.values(), key=lambda group: _property_rank(group.property))
    for group in properties:
        group.values.sort(key=lambda value: value.text.lower())
    inverse = [
        (link, sorted(sources.values(), key=lambda source: source.label.lower()))
        for link, sources in sorted(inverse_groups.values(), key=lambda item: item[0].label.lower())
    ]
    return ResourceView(
        iri=iri,
        label=_best_label(own_labels) or fallback_label(iri),
        types=sorted(types.values(), key=lambda link: link.label.lower()),
        properties=properties,
        inverse=inverse,
        triples=list(triples),
        inverse_truncated=incoming_answer.truncated,
    )


def _value(term, label: str | None, root: str) -> Value:
    if isinstance(term, ox.NamedNode):
        link = make_link(term.value, label, root)
        return Value(text=link.label, link=link)
    if isinstance(term, ox.Literal):
        return Value(text=term.value, language=term.language)
    return Value(text="(an unnamed node)")


def _property_rank(link: Link) -> tuple[int, str]:
    """Names first, then our own properties, then the others, each alphabetically."""
    if link.iri in LABEL_PROPERTIES:
        return 0, link.label.lower()
    return (1 if link.iri.startswith(ONTOLOGY_BASE) else 2), link.label.lower()


def _best_label(own: dict[str, list[ox.Literal]]) -> str | None:
    """The resource's own name: the first label property it has, English before other languages."""
    for prop in LABEL_PROPERTIES:
        literals = sorted(own.get(prop, []), key=lambda literal: {"en": 0, None: 1}.get(literal.language, 2))
        if literals:
            return literals[0].value
    return None


@dataclass
class OntologyTerm:
    link: Link
    kind: str
    comment: str
    parents: list[Link] = field(default_factory=list)
    domains: list[Link] = field(default_factory=list)
    ranges: list[Link] = field(default_factory=list)
    deprecated: bool = False

    @property
    def anchor(self) -> str:
        return self.link.iri.rpartition("#")[2]


def ontology_terms(store: GraphStore, *, root: str = "") -> list[OntologyTerm]:
    """The classes and properties of our ontology, for its human-readable page."""
    rows = store.run_named("ontology-terms").records()
    labels = {row["term"].value: row["label"].value for row in rows if "label" in row}
    terms: dict[str, OntologyTerm] = {}
    for row in rows:
        iri = row["term"].value
        term = terms.get(iri)
        if term is None:
            kind = row["kind"].value.rpartition("#")[2]
            term = terms[iri] = OntologyTerm(
                link=make_link(iri, labels.get(iri), root),
                kind=kind,
                comment=row["comment"].value if "comment" in row else "",
                deprecated="deprecated" in row and row["deprecated"].value == "true",
            )
        for key, target in (("parent", term.parents), ("domain", term.domains), ("range", term.ranges)):
            if key in row:
                link = make_link(row[key].value, labels.get(row[key].value), root)
                if link not in target:
                    target.append(link)
    return sorted(terms.values(), key=lambda term: term.link.label.lower())

