"""The registry of extractors: each kind of document read by exactly one `Extractor`."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ingest.extract import EXTRACTORS, Extraction, Extractor, extractor_for
from ingest.records import DocumentInfo, DocumentText

DOCUMENT_KINDS = URIRef("https://w3id.org/mwg/id/scheme/document-kind")


def test_each_kind_has_one_extractor_and_each_extractor_keeps_the_protocol():
    kinds = [kind for extractor in EXTRACTORS for kind in extractor.kinds]
    assert len(kinds) == len(set(kinds))
    assert all(isinstance(extractor, Extractor) for extractor in EXTRACTORS)
    assert all(extractor_for(kind) is extractor for extractor in EXTRACTORS for kind in extractor.kinds)


def test_the_kinds_are_keys_of_the_document_kind_scheme(ontology_dir):
    vocabularies = Graph().parse(ontology_dir / "vocabularies.ttl")
    keys = {str(concept).rsplit("/", 1)[1] for concept in vocabularies.subjects(SKOS.inScheme, DOCUMENT_KINDS)}
    assert {kind for extractor in EXTRACTORS for kind in extractor.kinds} <= keys


def test_kinds_without_recommendations_have_no_extractor():
    assert [extractor_for(kind) for kind in ("general-comment", "upr-national-report", "other")] == [None] * 3


def test_an_extractor_answers_with_its_records(tools):
    text = (
        "25. The Committee recommends that the State party:\n(a) Ensure free, prior and informed consent;\n"
        "(b) Carry out independent impact assessments."
    )
    info = DocumentInfo("E/C.12/PER/CO/5", "concluding-observations", None, "treaty-body/CESCR", "PER")
    found = extractor_for(info.kind).extract(DocumentText(text, "text"), info, tools)
    assert isinstance(found, Extraction) and found.responses == []
    assert [record.paragraph for record in found.recommendations] == ["25(a)", "25(b)"]
