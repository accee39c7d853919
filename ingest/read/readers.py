"""Read a document (PDF, DOCX, HTML or plain text) into normalised text with numbered paragraphs.

The format is told by content, never by the file name: `%PDF-` at the start -> PDF; a zip holding
`word/document.xml` -> DOCX; markup that opens like HTML -> HTML; anything else that decodes as
text -> text. Each reader refuses what it cannot read faithfully with a `DocumentError` that says
why: a missing or empty file, binary data, a corrupt or encrypted PDF, a PDF without a text layer,
a zip bomb, HTML nested too deep.

PDFs are read in a child process with memory, CPU and wall-clock limits (`ingest.read.pdf_text`).
Text in any common encoding is decoded (`decode_text`), including classic Mac OS files (Mac Roman,
CR line ends).
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from charset_normalizer import from_bytes

from ingest.read.normalise import normalise_text
from ingest.read.paragraphs import segment
from ingest.read.pdf_text import extract_pages
from ingest.records import DocumentError, DocumentText


MAX_HTML_DEPTH = 256
MAX_ZIP_MEMBERS = 5_000
MAX_UNCOMPRESSED_BYTES = 300_000_000
MAX_COMPRESSION_RATIO = 200
MIN_TEXT_CHARS_PER_PAGE = 20

_BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file (.doc/.xls); save it as DOCX or PDF",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"\x7fELF": "an executable",
    b"{\\rtf": "an RTF document; save it as DOCX or PDF",
}


def read_document(path: Path, *, max_bytes: int = 50_000_000, timeout: float = 60.0) -> DocumentText:
    """Read the file at `path`, whatever its format, into a `DocumentText`; `DocumentError`, naming
    the file, when it cannot be read faithfully.

    >>> read_document(Path("reports/A_HRC_28_15.pdf"))
    Traceback (most recent call last):
    ...
    ingest.records.DocumentError: reports/A_HRC_28_15.pdf: no such file
    """
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"{path}: no such file", path=path)
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(f"{path.name}: the file is empty", path=path)
    if size > max_bytes:
        raise DocumentError(f"{path.name}: {size} bytes is more than the {max_bytes} allowed", path=path)
    data = path.read_bytes()
    try:
        return read_bytes(data, timeout=timeout)
    except DocumentError as error:
        raise DocumentError(f"{path.name}: {error}", path=path) from None


def read_bytes(data: bytes, *, timeout: float = 60.0) -> DocumentText:
    """Read a document held in memory, telling its format by content.

    >>> document = read_bytes(b"GE.12-18835\\n1. The Committee met.\\n2. It recommends consultation.\\n")
    >>> document.source_format, document.text, [p.number for p in document.paragraphs]
    ('text', '1. The Committee met.\\n2. It recommends consultation.', ['1', '2'])
    """
    source_format = detect_format(data)
    if source_format == "pdf":
        return _read_pdf(data, timeout=timeout)
    if source_format == "docx":
        return _read_docx(data)
    return read_text(data, source_format=source_format)


def read_text(data: bytes, *, source_format: str = "text") -> DocumentText:
    """Decode, normalise and segment text (`source_format="text"`) or HTML (`"html"`) bytes."""
    if source_format not in ("text", "html"):
        raise ValueError(f"read_text reads 'text' or 'html', not {source_format!r}")
    text, encoding = decode_text(data)
    warnings = [] if encoding in ("utf-8", "ascii") else [f"decoded as {encoding}"]
    if source_format == "html":
        text = html_to_text(text)
    return _document(text, source_format=source_format, warnings=warnings)


def detect_format(data: bytes) -> str:
    """`"pdf"`, `"docx"`, `"html"` or `"text"`, from the bytes; `DocumentError` for anything else."""
    if not data.strip():
        raise DocumentError("the document is empty")
    if data.lstrip(b"\x00\t\r\n\f ").startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if _zip_has(data, "word/document.xml"):
            return "docx"
        raise DocumentError("a zip archive that is not a Word (DOCX) document is not a supported format")
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise DocumentError(f"unsupported format: the data is {what}")
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and re.search(rb"<(?:html|head|body|p|div|table|h1)[\s>]", head)
    ):
        return "html"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        raise DocumentError("unsupported format: XML that is not HTML")
    return "text"


def _zip_has(data: bytes, name: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return name in archive.namelist()
    except zipfile.BadZipFile:
        raise DocumentError("the zip archive is damaged") from None


# --------------------------------------------------------------------------------------------
# Text decoding
# --------------------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_SINGLE_BYTE = ("cp1252", "mac_roman", "latin_1")
_PUNCTUATION = set("‘’‚“”„–—…•«»‹›§°€£¥·¡¿©®™†‡")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text in whatever common encoding it uses; return the text and the encoding's name.

    A BOM or valid UTF-8 decides at once. Otherwise each candidate (cp1252, Mac Roman, Latin-1 and
    charset_normalizer's guesses) is scored on how its non-ASCII characters sit among letters:
    `State’s` (Mac Roman read right) beats `StateÕs` (Mac Roman read as cp1252). Refuses binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff"), encoding
    try:
        return _check_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        guess = from_bytes(data[:65536]).best()
        if guess is None or not guess.encoding.startswith("utf_16"):
            raise DocumentError("unsupported format: the data is binary, not text")
        return _check_text(data.decode(guess.encoding, errors="replace")), guess.encoding
    candidates = list(_SINGLE_BYTE)
    candidates += [match.encoding for match in list(from_bytes(data[:200_000]))[:3] if match.encoding not in candidates]
    scored = []
    for order, encoding in enumerate(candidates):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((_plausibility(text), -order, encoding, text))
    if not scored:
        raise DocumentError("the text is in an encoding that could not be recognised")
    _, _, encoding, text = max(scored)
    return _check_text(text), encoding


def _plausibility(text: str) -> int:
    """Score a decoding: +1 for each non-ASCII character that fits its place, -2 for each that does not."""
    score = 0
    for match in re.finditer(r"[^\x00-\x7f]", text):
        index, char = match.start(), match.group()
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char in _PUNCTUATION or char == "\xa0":
            score += 1
        elif not char.isalpha():
            score -= 2  # a symbol or control in running text
        elif char.isupper() and before.isalpha() and before.islower():
            score -= 2  # a capital inside a word: `StateÕs`, `CafŽ`
        elif before.isalpha() or after.isalpha():
            score += 1  # a letter within a word; a letter standing alone counts for nothing
    return score


def _check_text(text: str) -> str:
    """Refuse decoded text that is mostly control characters: binary data in disguise."""
    sample = text[:100_000]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\r\f")
    if "\x00" in sample or controls > max(8, len(sample) // 100):
        raise DocumentError("unsupported format: the data is binary, not text")
    return text


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def _read_pdf(data: bytes, *, timeout: float) -> DocumentText:
    pdf = extract_pages(data, timeout=timeout)
    empty = [index + 1 for index, page in enumerate(pdf.pages) if len(page.strip()) < MIN_TEXT_CHARS_PER_PAGE]
    if len(empty) == len(pdf.pages):
        raise DocumentError(
            "the PDF has no text layer (a scan or images only); run OCR on it first and try again"
        )
    warnings = []
    if empty:
        warnings.append(f"pages without text (scanned?): {', '.join(map(str, empty))}")
    if pdf.markers_removed:
        warnings.append(f"removed {pdf.markers_removed} superscript footnote markers")
    if pdf.footnote_lines_removed:
        warnings.append(f"removed {pdf.footnote_lines_removed} footnote lines set in small print")
    return _document("\f".join(pdf.pages), source_format="pdf", warnings=warnings, pages=pdf.pages)


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------


def _read_docx(data: bytes) -> DocumentText:
    """Body paragraphs and table rows in order, with Word's automatic numbering written out."""
    _check_zip(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a broken package
        raise DocumentError(f"the DOCX document cannot be read: {error}") from None
    numbering = _Numbering(document)
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_docx_paragraph(block, document, numbering))
        elif tag == "tbl":
            lines.extend(_docx_table(block))
    return _document("\n".join(lines), source_format="docx", warnings=[])


def _check_zip(data: bytes) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before reading any member."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise DocumentError("the DOCX archive is damaged") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise DocumentError(f"the DOCX archive has {len(members)} members, more than {MAX_ZIP_MEMBERS}")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise DocumentError(
            f"the DOCX archive would expand to {total} bytes, more than {MAX_UNCOMPRESSED_BYTES}: "
            "refused as a possible zip bomb"
        )
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise DocumentError(
                f"the DOCX member {member.filename} is compressed {member.file_size // max(member.compress_size, 1)}"
                " times: refused as a possible zip bomb"
            )
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("word/document.xml") as handle:
        if b"<!DOCTYPE" in handle.read(4096).upper():
            raise DocumentError("the DOCX document declares a DOCTYPE, which is refused")


def _docx_paragraph(element, document, numbering: _Numbering) -> str:
    from docx.text.paragraph import Paragraph

    paragraph = Paragraph(element, document)
    label = numbering.label(paragraph)
    return f"{label} {paragraph.text}" if label else paragraph.text


def _docx_table(element) -> list[str]:
    """One line per row, cells separated by ` | `."""
    namespace = element.tag.split("}")[0] + "}"
    rows = []
    for row in element.iter(f"{namespace}tr"):
        cells = []
        for cell in row.iter(f"{namespace}tc"):
            cells.append(" ".join("".join(t.text or "" for t in p.iter(f"{namespace}t")) for p in cell.iter(f"{namespace}p")))
        rows.append(" | ".join(cell.strip() for cell in cells))
    return rows


def _letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def _roman(number: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        out += numeral * count
    return out


class _Numbering:
    """Word's automatic list numbers (`1.`, `(a)`, `116.1`), which python-docx does not render."""

    _FORMATS = {
        "decimal": str,
        "lowerLetter": _letters,
        "upperLetter": lambda n: _letters(n).upper(),
        "lowerRoman": lambda n: _roman(n).lower(),
        "upperRoman": _roman,
    }

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        w = root.nsmap.get("w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main")
        q = lambda name: f"{{{w}}}{name}"  # noqa: E731
        abstract = {}
        for node in root.iter(q("abstractNum")):
            levels = {}
            for level in node.iter(q("lvl")):
                fmt = level.find(q("numFmt"))
                text = level.find(q("lvlText"))
                start = level.find(q("start"))
                levels[int(level.get(q("ilvl")))] = (
                    fmt.get(q("val")) if fmt is not None else "decimal",
                    text.get(q("val")) if text is not None else "",
                    int(start.get(q("val"))) if start is not None else 1,
                )
            abstract[node.get(q("abstractNumId"))] = levels
        for node in root.iter(q("num")):
            reference = node.find(q("abstractNumId"))
            if reference is not None:
                self.levels[node.get(q("numId"))] = abstract.get(reference.get(q("val")), {})

    def label(self, paragraph) -> str:
        num_id, level = self._numbering_of(paragraph)
        levels = self.levels.get(num_id or "")
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        if fmt not in self._FORMATS:
            return ""
        label = text
        for index in range(level + 1):
            index_fmt, _, index_start = levels.get(index, ("decimal", "", 1))
            value = counters.get(index, index_start)
            label = label.replace(f"%{index + 1}", self._FORMATS.get(index_fmt, str)(value))
        return label

    @staticmethod
    def _numbering_of(paragraph) -> tuple[str | None, int]:
        """The numbering of the paragraph itself, or of its style (and the styles it is based on)."""
        properties = paragraph._p.pPr
        if properties is not None and properties.numPr is not None and properties.numPr.numId is not None:
            level = properties.numPr.ilvl
            return str(properties.numPr.numId.val), int(level.val) if level is not None else 0
        style = paragraph.style
        while style is not None:
            style_properties = style.element.pPr
            if style_properties is not None and style_properties.numPr is not None:
                numbering = style_properties.numPr
                if numbering.numId is not None:
                    level = numbering.ilvl
                    return str(numbering.numId.val), int(level.val) if level is not None else 0
            style = style.base_style
        return None, 0


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td th thead tfoot tr ul caption".split()
)
_SKIPPED_TAGS = frozenset("script style noscript template head svg math iframe object".split())
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SELF_CLOSING = {"p": {"p"}, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"},
                 "td": {"td", "th"}, "th": {"td", "th"}, "option": {"option"}, "body": {"head"}}


def html_to_text(markup: str, *, max_depth: int = MAX_HTML_DEPTH) -> str:
    """The visible text of an HTML page, one line per block element; refuses nesting deeper than `max_depth`."""
    parser = _TextParser(max_depth=max_depth)
    parser.feed(markup)
    parser.close()
    return parser.text()


class _TextParser(HTMLParser):
    """Streams text out of HTML (no tree is built) while counting open elements."""

    def __init__(self, *, max_depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.max_depth = max_depth
        self.stack: list[str] = []
        self.skipping = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SELF_CLOSING and self.stack and self.stack[-1] in _SELF_CLOSING[tag]:
            self._pop()
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in _VOID_TAGS:
            return
        self.stack.append(tag)
        if len(self.stack) > self.max_depth:
            raise DocumentError(f"the HTML is nested more than {self.max_depth} elements deep")
        if tag in _SKIPPED_TAGS:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag not in self.stack:
            return
        while self.stack and self._pop() != tag:
            pass

    def _pop(self) -> str:
        closed = self.stack.pop()
        if closed in _SKIPPED_TAGS:
            self.skipping -= 1
        return closed

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        return "\n".join(line.strip() for line in "".join(self.parts).split("\n"))


# --------------------------------------------------------------------------------------------


def _document(text: str, *, source_format: str, warnings: list[str], pages: list[str] | None = None) -> DocumentText:
    """Normalise and segment extracted text; refuse it when nothing readable is left."""
    normalised, notes = normalise_text(text, pages=pages)
    if not normalised.strip():
        raise DocumentError("the document holds no text")
    return DocumentText(
        text=normalised,
        source_format=source_format,
        paragraphs=segment(normalised),
        warnings=warnings + notes,
        page_count=len(pages) if pages is not None else None,
    )
