"""The whole ingestion path on real UN documents, into a real (in-memory) store."""

from __future__ import annotations

import hashlib
import io
import shutil

import pytest

from ingest.pipeline import IngestSummary, document_files, extract_file, ingest_file
from ingest.records import DocumentError, extract_rows
from kg.errors import KnowledgeGraphError
from kg.formats import syntax_named
from kg.store import GraphStore

EXTRACT_KEYS = {"symbol", "kind", "paragraph", "text", "recommending_states", "addressed_states", "position",
                "instruments", "sdg_targets", "themes", "companies", "communities", "start", "end"}


@pytest.fixture
def store(reference_copy: GraphStore) -> GraphStore:
    """Every test here writes: each gets its own copy of the session's initialised reference data."""
    return reference_copy


def dump_hash(store: GraphStore) -> str:
    buffer = io.BytesIO()
    store.export(buffer, syntax_named("nquads"))
    return hashlib.sha256(b"".join(sorted(buffer.getvalue().splitlines()))).hexdigest()


def test_extract_gives_the_documented_keys(shared_data, tools):
    result = extract_file(shared_data / "upr/reports/peru2012.txt", tools=tools)
    rows = extract_rows(result)
    # The report numbers 129 items, 116.1 to 119.9; item 119.1 merges seven recommendations, each with its State.
    assert len({row["paragraph"] for row in rows}) == 129
    assert len(rows) == 135
    assert set(rows[0]) == EXTRACT_KEYS
    assert all(row["addressed_states"] == ["PER"] for row in rows)
    assert all(row["recommending_states"] for row in rows)
    text = result.document.text
    assert all(text[row["start"]:row["end"]].strip() for row in rows)


def test_ingest_a_report_then_again_changes_nothing(shared_data, store, tools):
    path = shared_data / "upr/reports/peru2012.txt"
    summary = IngestSummary()
    ingest_file(store, path, tools=tools, summary=summary)
    assert summary.documents == 1 and summary.recommendations == 135
    after_first = len(store)
    ingest_file(store, path, tools=tools, summary=IngestSummary())
    assert len(store) == after_first
    rows = store.run_named("recommendations-to-state", {"iso3": "PER"}).records()
    assert len(rows) == summary.recommendations


def test_ingesting_a_folder_twice_keeps_the_triple_count(shared_data, store, tools, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("mongolia2011.txt", "guatemala2008.txt", "zambia2012.txt"):
        shutil.copy(shared_data / "upr/reports" / name, folder / name)
    counts = []
    for _ in range(2):
        summary = IngestSummary()
        for path in document_files([folder]):
            ingest_file(store, path, tools=tools, summary=summary)
        assert summary.documents == 3 and not summary.failures
        counts.append(len(store))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("content, suffix, message", [
    (b"", ".txt", "empty"),
    (b"\x00\x01\x02\x03" * 100, ".bin", "format"),
    ("Die Bundesregierung wird gebeten, die Rechte der indigenen Völker zu achten und die Umwelt zu "
     "schützen. Der Ausschuss empfiehlt, dass der Vertragsstaat die Gesetze ändert und die Bergbau"
     "projekte überprüft, die in den Gebieten der Gemeinschaften liegen.".encode(), ".txt", "neither English"),
    (b"Minutes of the meeting. The working group met in the morning and discussed the agenda for the "
     b"coming year. The members agreed on the dates of the next sessions and on the budget of the "
     b"secretariat. The chair thanked the participants for their work and closed the meeting.\n",
     ".txt", "recommendations"),
])
def test_bad_documents_get_a_clear_error_and_change_nothing(store, tools, tmp_path, content, suffix, message):
    path = tmp_path / f"document{suffix}"
    path.write_bytes(content)
    before = dump_hash(store)
    with pytest.raises(DocumentError, match=message) as raised:
        ingest_file(store, path, tools=tools, summary=IngestSummary())
    assert path.name in str(raised.value) or str(path) in str(raised.value)
    assert isinstance(raised.value, KnowledgeGraphError)
    assert raised.value.path == path
    assert dump_hash(store) == before


GENERAL_COMMENT = """United Nations E/C.12/GC/24
Economic and Social Council Distr.: General
10 August 2017
Committee on Economic, Social and Cultural Rights
General comment No. 24 (2017) on State obligations under the International Covenant on Economic, Social and \
Cultural Rights in the context of business activities
1. The Committee has noted the increasing impact of business activities on the enjoyment of the rights that the \
Covenant sets out, and the State party has the duty to protect them.
2. The present general comment clarifies the duties of States parties to the Covenant in such situations.
"""


def test_a_kind_of_document_no_extractor_reads_is_refused(tools, tmp_path):
    path = tmp_path / "E_C.12_GC_24.txt"
    path.write_text(GENERAL_COMMENT, encoding="utf-8")
    with pytest.raises(DocumentError) as raised:
        extract_file(path, tools=tools)
    assert str(raised.value) == (
        "E_C.12_GC_24.txt: a document of kind 'general-comment' holds no recommendations to extract"
    )
    assert raised.value.path == path


def test_corrupt_pdf_is_refused_and_the_batch_goes_on(shared_data, store, tools, tmp_path):
    corrupt = shared_data / "upr/slovenia-pdfs/corrupt_unreadable_2009.pdf"
    good = shared_data / "upr/reports/ghana2012.txt"
    summary = IngestSummary()
    for path in (corrupt, good):
        try:
            ingest_file(store, path, tools=tools, summary=summary)
        except DocumentError as error:
            assert error.path == corrupt
            summary.failures.append(str(error))
    assert len(summary.failures) == 1 and "corrupt_unreadable_2009.pdf" in summary.failures[0]
    assert summary.documents == 1


def test_addendum_responses_attach_to_the_report_recommendations(shared_data, store, tools):
    folder = shared_data / "upr/slovenia"
    summary = IngestSummary()
    ingest_file(store, folder / "A_HRC_43_15_UPR_WG_report_Slovenia_2019.txt", tools=tools, summary=summary)
    ingest_file(store, folder / "A_HRC_43_15_Add.1_Slovenia_responses_2020.txt", tools=tools, summary=summary)
    answer = store.query(
        "PREFIX mwg: <https://w3id.org/mwg/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
        "SELECT (COUNT(*) AS ?n) WHERE { "
        "?r mwg:respondsTo ?rec ; dct:source <https://w3id.org/mwg/id/document/A-HRC-43-15-Add.1> }"
    )
    # The report leaves 157 recommendations (122.1 to 122.157) to be examined; the addendum answers each.
    assert int(answer.rows[0][0].value) == 157


def test_upr_info_responses_match_recommendations_by_text(shared_data, store, tools):
    summary = IngestSummary()
    ingest_file(store, shared_data / "upr/reports/peru2012.txt", tools=tools, summary=summary)
    from_report = summary.responses
    ingest_file(store, shared_data / "upr/upr-info/14-17.csv", tools=tools, summary=summary)
    peru_rows = sum(1 for line in (shared_data / "upr/upr-info/14-17.csv").open(encoding="utf-8") if line.startswith("Peru,"))
    matched = summary.responses - from_report
    print(f"UPR-Info rows for Peru matched to recommendations: {matched}/{peru_rows}")
    # Five rows do not read as the report does: two spell "Defensora del Pueblo", one is cut short
    # ("Ensure that the new legislation of"), and item 119.3 is split into two rows.
    assert (matched, peru_rows) == (131, 136)
