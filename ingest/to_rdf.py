"""Turn an extraction into RDF quads: one named graph per document, provenance to the paragraph.

Every recommendation carries its document, paragraph number, character offsets (an
`oa:TextPositionSelector` over the normalised text), its text with a language tag, the versioned
rule that found it and a confidence where a rule guessed. Machine guesses (themes, SDG targets)
are asserted directly and also as `mwg:Suggestion`s holding the score and the rule, so that a
reviewer can accept or reject each one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ingest.records import ExtractionResult, RecommendationRecord, ResponseRecord, Scored
from kg import __version__
from kg.namespaces import DCTERMS, MWG, OA, PROV, RDF, SDG, graph_iri, instance_iri

XSD = "http://www.w3.org/2001/XMLSchema#"


def document_key(symbol: str | None, content_hash: str) -> str:
    """`A/HRC/22/15` -> `A-HRC-22-15`; a document without a symbol is keyed by its content."""
    if symbol:
        return re.sub(r"[^A-Za-z0-9.]+", "-", symbol).strip("-")
    return "sha256-" + content_hash.removeprefix("sha256:")[:16]


def paragraph_key(paragraph: str) -> str:
    """`116.113` stays; `25(a)` -> `25-a`, so recommendation IRIs need no escaping."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", paragraph).strip("-")


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def date_literal(value: str) -> ox.Literal:
    return typed(value, "date" if len(value) == 10 else "gYear")


def content_hash(path: Path) -> str:
    """The `mwg:contentHash` of a file: `sha256:` and the hex digest of its bytes."""
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Source:
    """Where a document came from, for its provenance."""

    content_hash: str
    file_name: str
    media_type: str


class DocumentGraph:
    """Collects the quads of one document's named graph."""

    def __init__(self, result: ExtractionResult, source: Source):
        self.result = result
        self.source = source
        self.key = document_key(result.info.symbol, source.content_hash)
        self.graph = ox.NamedNode(graph_iri("document", self.key))
        self.document = ox.NamedNode(instance_iri("document", self.key))
        self.activity = ox.NamedNode(instance_iri("ingest", self.key))
        self.quads: list[ox.Quad] = []

    @property
    def iri(self) -> str:
        return self.graph.value

    def add(self, subject: ox.NamedNode | ox.BlankNode, predicate: str, value) -> None:
        obj = ox.NamedNode(value) if isinstance(value, str) else value
        self.quads.append(ox.Quad(subject, ox.NamedNode(str(predicate)), obj, self.graph))

    def text(self, value: str) -> ox.Literal:
        return ox.Literal(value, language=self.result.info.language)

    def build(self, *, responses_to: dict[str, str] | None = None, started: datetime | None = None) -> list[ox.Quad]:
        """All quads; `responses_to` maps a response's paragraph to the IRI of its recommendation."""
        self._document()
        rules = {record.rule for record in self.result.recommendations} | {r.rule for r in self.result.responses}
        rules |= {guess.rule for r in self.result.recommendations for guess in (*r.themes, *r.sdg_targets)}
        used_keys: set[str] = set()
        for record in self.result.recommendations:
            self._recommendation(record, used_keys)
        for response in self.result.responses:
            target = (responses_to or {}).get(response.recommendation_paragraph)
            if target:
                self._response(response, target)
        self._activity(rules, started or datetime.now(timezone.utc))
        return self.quads

    def _document(self) -> None:
        info, doc = self.result.info, self.document
        self.add(doc, RDF.type, MWG.Document)
        if info.symbol:
            self.add(doc, MWG.symbol, ox.Literal(info.symbol))
        self.add(doc, MWG.documentKind, instance_iri("document-kind", info.kind))
        if info.date:
            self.add(doc, DCTERMS.date, date_literal(info.date))
        self.add(doc, DCTERMS.language, typed(info.language, "language"))
        if info.author:
            self.add(doc, DCTERMS.creator, instance_iri(*info.author.split("/", 1)))
        if info.state:
            self.add(doc, MWG.concernsState, instance_iri("state", info.state))
        if info.title:
            self.add(doc, DCTERMS.title, self.text(info.title))
        self.add(doc, MWG.contentHash, ox.Literal(self.source.content_hash))
        self.add(doc, DCTERMS.format, ox.Literal(self.source.media_type))
        self.add(doc, MWG.sourceFileName, ox.Literal(self.source.file_name))
        self.add(doc, PROV.wasGeneratedBy, self.activity)

    def recommendation_iri(self, paragraph: str, used_keys: set[str]) -> ox.NamedNode:
        key, suffix = paragraph_key(paragraph), 2
        unique = key
        while unique in used_keys:
            unique, suffix = f"{key}-{suffix}", suffix + 1
        used_keys.add(unique)
        return ox.NamedNode(instance_iri("recommendation", self.key, unique))

    def _recommendation(self, record: RecommendationRecord, used_keys: set[str]) -> None:
        info = self.result.info
        rec = self.recommendation_iri(record.paragraph, used_keys)
        self.add(rec, RDF.type, MWG.Recommendation)
        self.add(rec, MWG.text, self.text(record.text))
        self.add(rec, MWG.sourceDocument, self.document)
        self.add(rec, MWG.paragraph, ox.Literal(record.paragraph))
        if info.author:
            self.add(rec, MWG.issuedBy, instance_iri(*info.author.split("/", 1)))
        for state in record.recommending_states:
            self.add(rec, MWG.recommendingState, instance_iri("state", state))
        for state in record.addressed_states:
            self.add(rec, MWG.addressedTo, instance_iri("state", state))
        for group in record.addressees:
            self.add(rec, MWG.addresseeGroup, instance_iri("addressee-group", group))
        for instrument in record.instruments:
            self.add(rec, MWG.concernsInstrument, instance_iri("instrument", instrument))
        for company in record.companies:
            self.add(rec, MWG.mentions, instance_iri("company", company))
        for community in record.communities:
            self.add(rec, MWG.mentions, instance_iri("community", community))
        for theme in record.themes:
            self._suggest(rec, MWG.theme, instance_iri("theme", theme.key), theme)
        for target in record.sdg_targets:
            if "." in target.key:  # goal-level mentions ("SDG 6") have no target to point at
                self._suggest(rec, MWG.sdgTarget, str(SDG[target.key]), target)
        selector = ox.NamedNode(rec.value + "#selector")
        self.add(rec, OA.hasSelector, selector)
        self.add(selector, RDF.type, OA.TextPositionSelector)
        self.add(selector, OA.start, typed(str(record.start), "nonNegativeInteger"))
        self.add(selector, OA.end, typed(str(record.end), "nonNegativeInteger"))
        self.add(rec, MWG.extractionRule, ox.Literal(record.rule))
        if record.score is not None:
            self.add(rec, MWG.confidence, typed(f"{record.score:.3f}", "decimal"))
        self.add(rec, PROV.wasGeneratedBy, self.activity)
        if record.position and record.addressed_states:
            self._response(
                ResponseRecord(record.paragraph, record.position, record.addressed_states[0], record.rule),
                rec.value,
                key=rec.value.rsplit("/", 1)[-1],
            )

    def _suggest(self, subject: ox.NamedNode, predicate: str, value: str, guess: Scored) -> None:
        self.add(subject, predicate, value)
        local = str(predicate).rsplit("#", 1)[-1]
        suggestion = ox.NamedNode(f"{subject.value}#{local}-{paragraph_key(guess.key)}")
        self.add(suggestion, RDF.type, MWG.Suggestion)
        self.add(suggestion, RDF.subject, subject)
        self.add(suggestion, RDF.predicate, str(predicate))
        self.add(suggestion, RDF.object, value)
        self.add(suggestion, MWG.confidence, typed(f"{guess.score:.3f}", "decimal"))
        self.add(suggestion, MWG.extractionRule, ox.Literal(guess.rule))
        self.add(suggestion, PROV.wasGeneratedBy, self.activity)

    def _response(self, response: ResponseRecord, recommendation: str, *, key: str | None = None) -> None:
        """A State's position; `key` tells apart responses to recommendations sharing a number."""
        node = ox.NamedNode(instance_iri("response", self.key, key or paragraph_key(response.recommendation_paragraph)))
        self.add(node, RDF.type, MWG.Response)
        self.add(node, MWG.respondsTo, recommendation)
        self.add(node, MWG.position, instance_iri("upr-position", response.position))
        self.add(node, MWG.respondent, instance_iri("state", response.respondent))
        self.add(node, DCTERMS.source, self.document)
        if self.result.info.date:
            self.add(node, DCTERMS.date, date_literal(self.result.info.date))
        self.add(node, MWG.extractionRule, ox.Literal(response.rule))
        self.add(node, PROV.wasGeneratedBy, self.activity)

    def _activity(self, rules: set[str], started: datetime) -> None:
        activity = self.activity
        self.add(activity, RDF.type, MWG.IngestActivity)
        self.add(activity, PROV.startedAtTime, typed(started.isoformat(), "dateTime"))
        self.add(activity, PROV.endedAtTime, typed(datetime.now(timezone.utc).isoformat(), "dateTime"))
        self.add(activity, PROV.used, self.document)
        self.add(activity, MWG.softwareVersion, ox.Literal(__version__))
        for rule in sorted(rules):
            self.add(activity, MWG.extractionRule, ox.Literal(rule))

