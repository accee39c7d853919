"""The text layer of a PDF, read by pypdfium2 in a child process the caller can afford to lose.

A malicious or broken PDF can make a C library loop, eat memory or crash. The caller
(`extract_pages`) therefore runs `python -m ingest.read.pdf_text` with the document on stdin; the child
limits its own address space, CPU time and file writes (`resource.setrlimit`) before it touches the
data, and the caller kills it at a wall-clock deadline. The child answers one JSON object on stdout.

The child reads the typography that plain text loses, page by page:

- footnote markers: digits set smaller than their line and raised above its baseline
  (`implementation¹²` -> `implementation`, `2013–2022¹²` -> `2013–2022`) are dropped;
- footnote bodies: lines set smaller than the body text and lying below the page's lowest line of
  body text (`1 A/HRC/WG.6/48/SVN/1.`) are dropped, with the furniture beside them;
- a hyphen that pdfium found at a line end stays as U+FFFE, for `ingest.read.normalise` to judge.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

from ingest.records import DocumentError


DEFAULT_MEMORY_BYTES = 1_500_000_000
DEFAULT_MAX_PAGES = 3_000
DEFAULT_MAX_CHARS = 30_000_000

_SMALLER = 0.6  # points below the body size that mark a footnote line
_MARKER_SIZE = 0.8  # a marker is at most this share of its line's size ...
_MARKER_RISE = 0.12  # ... and raised by at least this share of it


@dataclass
class PdfPages:
    """What the child read: the text of each page, and what it left out."""

    pages: list[str]
    markers_removed: int = 0
    footnote_lines_removed: int = 0


def extract_pages(
    data: bytes,
    *,
    timeout: float = 60.0,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> PdfPages:
    """Run the child on `data` and return its pages, or raise `DocumentError` saying what went wrong."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    command = [
        sys.executable,
        "-P",
        "-m",
        "ingest.read.pdf_text",
        f"--memory={memory_bytes}",
        f"--cpu={max(1, int(timeout) + 1)}",
        f"--max-pages={max_pages}",
        f"--max-chars={max_chars}",
    ]
    try:
        completed = subprocess.run(
            command, input=data, capture_output=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        raise DocumentError(
            f"reading the PDF took longer than {timeout:g} s and was stopped; "
            "the file may be malformed or built to exhaust the reader"
        ) from None
    answer = _parse_answer(completed)
    if "error" in answer:
        raise DocumentError(answer["error"])
    return PdfPages(
        pages=answer["pages"],
        markers_removed=answer["markers_removed"],
        footnote_lines_removed=answer["footnote_lines_removed"],
    )


def _parse_answer(completed: subprocess.CompletedProcess) -> dict:
    """The child's JSON answer; a crash or a limit hit becomes a `DocumentError`."""
    try:
        return json.loads(completed.stdout)
    except ValueError:
        pass
    if completed.returncode < 0:
        reason = f"was killed by signal {-completed.returncode}"
    else:
        reason = f"exited with status {completed.returncode}"
    detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
    raise DocumentError(
        f"the PDF reader {reason} on this file (memory or CPU limit, or a damaged file)"
        + (f": {detail[0]}" if detail else "")
    )


# --------------------------------------------------------------------------------------------
# The child
# --------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """Entry point of the child: limits first, then the document from stdin, then JSON on stdout."""
    options = dict(arg.lstrip("-").split("=", 1) for arg in argv)
    _limit_resources(memory_bytes=int(options["memory"]), cpu_seconds=int(options["cpu"]))
    data = sys.stdin.buffer.read()
    try:
        answer = read_pdf(data, max_pages=int(options["max-pages"]), max_chars=int(options["max-chars"]))
    except DocumentError as error:
        answer = {"error": str(error)}
    except MemoryError:
        answer = {"error": "the PDF needs more memory than the reader is allowed; it may be a PDF bomb"}
    sys.stdout.write(json.dumps(answer))
    return 0


def _limit_resources(*, memory_bytes: int, cpu_seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def read_pdf(data: bytes, *, max_pages: int, max_chars: int) -> dict:
    """Open the PDF, refuse what cannot be read faithfully, and read every page's lines."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise DocumentError(
                "the PDF is encrypted (password-protected); save an unprotected copy and try again"
            ) from None
        raise DocumentError(f"the PDF cannot be opened: {error}") from None
    if not raw.FPDF_DocumentHasValidCrossReferenceTable(document.raw):
        raise DocumentError(
            "the PDF is damaged: its cross-reference table is broken, so there is no readable root "
            "object and any text recovered from it may be incomplete or mixed; obtain an intact copy"
        )
    page_count = len(document)
    if page_count == 0:
        raise DocumentError("the PDF has no pages")
    if page_count > max_pages:
        raise DocumentError(f"the PDF has {page_count} pages, more than the {max_pages} allowed")
    pages = [_read_page_lines(document[index]) for index in range(page_count)]
    if sum(len(line.chars) for page in pages for line in page) > max_chars:
        raise DocumentError(f"the PDF holds more than {max_chars} characters of text")
    body_size = _body_size(pages)
    texts, markers, footnotes = [], 0, 0
    for lines in pages:
        kept, dropped = _drop_footnote_block(lines, body_size)
        footnotes += dropped
        page_text, removed = _page_text(kept)
        markers += removed
        texts.append(page_text)
    return {
        "pages": texts,
        "markers_removed": markers,
        "footnote_lines_removed": footnotes,
    }


@dataclass
class _Line:
    """One line of a page: its characters with their effective font size and baseline."""

    chars: list[str] = field(default_factory=list)
    sizes: list[float] = field(default_factory=list)
    baselines: list[float] = field(default_factory=list)
    size: float = 0.0  # the size most of its visible characters are set in
    baseline: float = 0.0  # the median baseline of the characters in that size

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def settle(self) -> _Line:
        """Compute `size` and `baseline` once the characters are in."""
        visible = Counter(round(size * 2) / 2 for char, size in zip(self.chars, self.sizes) if not char.isspace())
        self.size = visible.most_common(1)[0][0] if visible else 0.0
        at_size = [y for y, s in zip(self.baselines, self.sizes) if abs(s - self.size) < 0.5]
        self.baseline = median(at_size) if at_size else 0.0
        return self


def _read_page_lines(page) -> list[_Line]:
    """The page's lines as pdfium orders them, with per-character size and baseline.

    The size is the font size times the vertical scale of the character's matrix: what a reader
    sees, in points, whether the PDF scales its fonts by size or by matrix.
    """
    import ctypes

    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    handle = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    lines, line = [], _Line()
    for index in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(handle, index)
        if code == 13:
            continue
        if code == 10:
            lines.append(line)
            line = _Line()
            continue
        size = raw.FPDFText_GetFontSize(handle, index)
        if raw.FPDFText_GetMatrix(handle, index, matrix):
            size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        raw.FPDFText_GetCharOrigin(handle, index, x, y)
        line.chars.append(_character(code))
        line.sizes.append(size)
        line.baselines.append(y.value)
    lines.append(line)
    return [line.settle() for line in lines if line.chars]


def _character(code: int) -> str:
    """The character pdfium reports; its code 2 (a hyphen it found at a line end) becomes U+FFFE."""
    if code == 2:
        return "\ufffe"
    return chr(code) if 0 <= code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"


def _body_size(pages: list[list[_Line]]) -> float:
    """The size most characters of the document are set in."""
    counts: Counter = Counter()
    for lines in pages:
        for line in lines:
            counts[line.size] += len(line.chars)
    counts.pop(0.0, None)
    return counts.most_common(1)[0][0] if counts else 0.0


def _drop_footnote_block(lines: list[_Line], body_size: float) -> tuple[list[_Line], int]:
    """Drop the smaller lines below the page's lowest line of body text (footnotes, footer).

    Only when that block starts with a footnote number or asterisk, so a small-print table or a
    title page's masthead is kept.
    """
    if body_size <= 0:
        return lines, 0
    body = [line.baseline for line in lines if abs(line.size - body_size) < _SMALLER]
    if not body:
        return lines, 0
    floor = min(body)
    below = [
        line for line in lines if line.size <= body_size - _SMALLER and line.baseline < floor - 1.0
    ]
    if not below:
        return lines, 0
    top = max(below, key=lambda line: line.baseline)
    first = top.text.lstrip()
    if not first[:1].isdigit() and not first.startswith("*"):
        return lines, 0
    dropped = {id(line) for line in below}
    return [line for line in lines if id(line) not in dropped], len(dropped)


def _page_text(lines: list[_Line]) -> tuple[str, int]:
    """The page's text, line by line, without the raised small digits of footnote markers."""
    out, removed = [], 0
    for line in lines:
        size, baseline = line.size, line.baseline
        chars = line.chars
        keep = [True] * len(chars)
        index = 0
        while index < len(chars):
            if _is_marker_char(line, index, size, baseline) and chars[index].isdigit():
                end = index
                while end < len(chars) and _is_marker_char(line, end, size, baseline):
                    end += 1
                # a raised run starting a line is a footnote number or an exponent, not a marker
                if any(not char.isspace() for char in chars[:index]):
                    for position in range(index, end):
                        keep[position] = False
                    removed += 1
                index = end
            else:
                index += 1
        out.append("".join(char for char, kept in zip(chars, keep) if kept))
    return "\n".join(out), removed


def _is_marker_char(line: _Line, index: int, size: float, baseline: float) -> bool:
    char = line.chars[index]
    if not (char.isdigit() or char in ",–-"):
        return False
    char_size = line.sizes[index]
    return 0 < char_size <= size * _MARKER_SIZE and line.baselines[index] - baseline >= size * _MARKER_RISE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
