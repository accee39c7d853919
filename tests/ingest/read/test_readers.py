"""Readers: each format, each refusal, the PDF child's limits, and the shared UN documents."""

from __future__ import annotations

import io
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest

from ingest.read.pdf_text import extract_pages
from ingest.read.readers import decode_text, detect_format, html_to_text, read_document, read_text
from ingest.records import DocumentError, DocumentText

CORRUPT_PDF = "corrupt_unreadable_2009.pdf"


@lru_cache(maxsize=None)
def read_folder(folder: Path, pattern: str) -> dict[str, DocumentText | DocumentError]:
    """Every file of `folder` matching `pattern`, read once per test session, PDFs in parallel.

    Shared by the other test modules of `tests/ingest` so the PDFs are extracted once.
    """
    paths = sorted(folder.glob(pattern))

    def read(path: Path) -> DocumentText | DocumentError:
        try:
            return read_document(path)
        except DocumentError as error:
            return error

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip((path.name for path in paths), pool.map(read, paths)))


def slovenia_pdfs(shared_data: Path) -> dict[str, DocumentText | DocumentError]:
    return read_folder(shared_data / "upr" / "slovenia-pdfs", "*.pdf")


def upr_reports(shared_data: Path, folder: str = "reports") -> dict[str, DocumentText | DocumentError]:
    return read_folder(shared_data / "upr" / folder, "*.txt")


def encrypted_pdf() -> bytes:
    """A one-page PDF under the standard security handler whose user password is not empty."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"00" * 32 + b"> /U <" + b"11" * 32 + b"> /P -4 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    identifier = b"<0123456789abcdef0123456789abcdef>"
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [%s %s] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, identifier, identifier, xref
    )
    return bytes(out)


def blank_pdf(pages: int = 2) -> bytes:
    """A PDF of blank pages: what a scan looks like to a text reader."""
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------


def test_every_slovenia_pdf_is_read_page_by_page(shared_data):
    documents = slovenia_pdfs(shared_data)
    print(f"\n{'file':58} {'pages':>5} {'chars':>7} {'paras':>5}  warnings")
    for name, document in documents.items():
        if name == CORRUPT_PDF:
            continue
        assert isinstance(document, DocumentText), f"{name}: {document}"
        print(f"{name:58} {document.page_count:5} {len(document.text):7} {len(document.paragraphs):5}  {document.warnings}")
        assert document.source_format == "pdf"
        assert document.page_count == len(pdfium.PdfDocument(shared_data / "upr/slovenia-pdfs" / name))
        assert len(document.text) > 1_000
    assert len(documents) == 25


def test_the_corrupt_pdf_is_refused_with_a_clear_message(shared_data):
    error = slovenia_pdfs(shared_data)[CORRUPT_PDF]
    assert isinstance(error, DocumentError)
    assert CORRUPT_PDF in str(error)
    assert "no readable root object" in str(error)


def test_an_encrypted_pdf_is_refused(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf())
    with pytest.raises(DocumentError, match="encrypted"):
        read_document(path)


def test_a_pdf_without_a_text_layer_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(blank_pdf())
    with pytest.raises(DocumentError, match="no text layer"):
        read_document(path)


def test_the_pdf_child_is_stopped_at_its_deadline(shared_data):
    data = (shared_data / "upr" / "slovenia-pdfs" / "A_HRC_59_15_working_group_report_2025.pdf").read_bytes()
    with pytest.raises(DocumentError, match="longer than"):
        extract_pages(data, timeout=0.05)


def test_the_pdf_child_runs_under_a_memory_limit(shared_data):
    data = (shared_data / "upr" / "slovenia-pdfs" / "A_HRC_59_15_working_group_report_2025.pdf").read_bytes()
    with pytest.raises(DocumentError, match="PDF reader"):
        extract_pages(data, memory_bytes=25_000_000)


# --- DOCX ----------------------------------------------------------------------------------


def test_a_docx_is_read_with_its_numbering_and_tables(tmp_path):
    document = docx.Document()
    document.add_heading("Concluding observations on the fourth periodic report of Guatemala", 1)
    document.add_paragraph("1. The Committee considered the fourth periodic report of Guatemala.")
    document.add_paragraph("2. The Committee recommends that the State party:")
    document.add_paragraph("Consult indigenous peoples before granting mining licences;", style="List Number")
    document.add_paragraph("Suspend licences granted without consultation.", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Treaty", "Ratified"
    table.cell(1, 0).text, table.cell(1, 1).text = "ICESCR", "1988"
    path = tmp_path / "co.docx"
    document.save(path)

    read = read_document(path)
    assert read.source_format == "docx"
    assert "1. Consult indigenous peoples" in read.text  # Word's automatic number written out
    assert "ICESCR | 1988" in read.text
    assert [p.number for p in read.paragraphs] == ["1", "2", "2.1", "2.2"]


def test_a_docx_zip_bomb_is_refused_before_it_is_expanded(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/padding.bin", b"\0" * 20_000_000)
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 100_000
    with pytest.raises(DocumentError, match="zip bomb"):
        read_document(path)


# --- HTML ----------------------------------------------------------------------------------


def test_html_is_read_as_blocks_without_scripts():
    page = b"""<!DOCTYPE html><html><head><title>CO</title><script>var x = '9. no';</script></head>
    <body><h1>Concluding observations on the initial report of South Africa</h1>
    <p>1. The Committee considered the initial report.</p>
    <p>2. The Committee recommends that the State party:</p>
    <ul><li>(a) Adopt a law on mining&nbsp;consultation;</li><li>(b) Ensure remedies.</li></ul>
    </body></html>"""
    assert detect_format(page) == "html"
    read = read_text(page, source_format="html")
    assert "var x" not in read.text
    assert "(a) Adopt a law on mining consultation;" in read.text
    assert [p.number for p in read.paragraphs] == ["1", "2", "2(a)", "2(b)"]


def test_deeply_nested_html_is_refused(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 5_000 + "x" + "</div>" * 5_000 + "</body></html>")
    with pytest.raises(DocumentError, match="nested"):
        read_document(path)


def test_unclosed_html_elements_do_not_count_as_depth():
    assert html_to_text("<html><body>" + "<p>para" * 1_000 + "</body></html>").count("para") == 1_000


# --- Text ----------------------------------------------------------------------------------


def test_mac_roman_files_with_cr_line_ends_read_as_their_utf8_versions(shared_data):
    raw, utf8 = upr_reports(shared_data, "reports-raw"), upr_reports(shared_data, "reports")
    same_text = sum(raw[name].text == utf8[name].text for name in utf8)
    same_numbers = sum(
        [p.number for p in raw[name].paragraphs] == [p.number for p in utf8[name].paragraphs] for name in utf8
    )
    print(f"\nMac Roman/CR vs UTF-8: identical text {same_text}/{len(utf8)}, same paragraph numbers {same_numbers}/{len(utf8)}")
    assert set(raw) == set(utf8) and len(utf8) == 28
    assert same_numbers == len(utf8)
    assert same_text == len(utf8)
    peru = raw["peru2012.txt"]
    assert "Henry José Ávila Herrera" in peru.text
    assert "the State’s commitment" in peru.text
    assert any("mac_roman" in warning for warning in peru.warnings)


def test_common_encodings_are_decoded():
    sample = "Concluding observations: the State’s “consultation” with the Ngäbe – Perú, Côte d’Ivoire."
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1252", "mac_roman"):
        text, _ = decode_text(sample.encode(encoding))
        assert text == sample, encoding


def test_line_ends_do_not_matter():
    lines = ["1. The Committee welcomes the report.", "2. The Committee recommends:", "(a) Consult;"]
    read = {end: read_text(end.join(lines).encode()).text for end in ("\n", "\r\n", "\r")}
    assert read["\n"] == read["\r\n"] == read["\r"] == "\n".join(lines)


# --- Refusals ------------------------------------------------------------------------------


def test_missing_empty_binary_and_unknown_files_are_refused(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "absent.pdf")
    cases = {
        "empty.txt": (b"", "empty"),
        "blank.txt": (b" \n\t\n", "empty"),
        "random.bin": (bytes(range(256)) * 64, "binary"),
        "image.txt": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "PNG"),
        "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old Microsoft Office"),
        "data.xml": (b"<?xml version='1.0'?><root><a>1</a></root>", "XML"),
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as writer:
        writer.writestr("notes.txt", "not a Word document")
    cases["archive.docx"] = (archive.getvalue(), "not a Word")
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DocumentError, match=message):
            read_document(path)


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("1. A paragraph.\n" * 100)
    with pytest.raises(DocumentError, match="more than the 100 allowed"):
        read_document(path, max_bytes=100)
