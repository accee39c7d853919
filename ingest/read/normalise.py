"""Normalise the text of a UN document: one paragraph per line, without page furniture or footnotes.

Text extracted from UN PDFs (or typed from them) carries the printer's layout: job numbers
(`GE.12-18835`), barcodes (`*1418835*`), running heads repeating the symbol (`A/HRC/22/15`), page
numbers, "Please recycle", footnote markers glued to words (`implementation1.`), footnote bodies at
page bottoms, words hyphenated across lines (`extrac-` / `tive`) and paragraphs broken into lines.
`normalise_text` removes all of that and returns text whose lines are paragraphs, headings or list
items, so offsets and paragraph numbers can be read from it. It works on page-structured input
(`pages=`, or form feeds), on text whose lines are layout lines, and on text whose line breaks were
lost (then only what can be recognised inline is removed).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ingest.read.abbreviations import ABBREVIATIONS_BEFORE_NUMBERS
from ingest.read.furniture import LONE_NUMBER, is_page_number, is_printer_mark, is_running_head, strip_inline_furniture


HYPHEN_AT_BREAK = "\ufffe"  # pdfium's mark for a hyphen it found at a line end

_SPLIT_SYMBOL_END = re.compile(r"/(?:Add|Corr|Rev)\.$")

# Paragraph openings: `12.`, `116.113.`, `99.12`, `(a)`, `II.`, `A.`, bullets.
BLOCK_START = re.compile(
    r"^(?:\d{1,3}\.(?:\d{1,3}\.?)?(?=\s)|\(\s?[a-z]{1,4}\s?\)(?=\s)|[IVXL]{1,6}\.(?=\s)|[A-H]\.(?=\s)|[•▪◦‒–-](?=\s))"
)
_GLUED_OPENING = re.compile(r"^(\d{1,3}\.|[IVX]{1,5}\.|[A-H]\.)(?=[A-Z][a-z])")
_NUMBER_IN_PROSE = re.compile(r"^\d{1,3}\.\d*\.?\s+[a-z]")
_BARE_MARKER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?(?:\s?[–-]\s?\d{1,3})?|\(\s?[a-z]{1,4}\s?\)|[IVXL]{1,6}\.|[A-H]\.|\*|[•▪◦])$")
_OPEN_ENDING = re.compile(r"\b(?:of|the|and|or|to|in|on|for|with|by|a|an|its|their|from|at|as|de|la|el|del|y|et|des|du|le|les)$")
_DOT_LEADER = re.compile(r"(?:\.\s?){5,}|…{2,}")  # a table of contents entry
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]*]*$")

# Footnote markers that plain text leaves glued: `implementation1.`, `Act9 `, `available.2`, `(Netherlands)7;`.
_WORD_MARKER = re.compile(r"\b([A-Za-z][a-z]{2,})(\d{1,3})(?=[\s.,;:)\]”’\"]|$)")
_PUNCT_MARKER = re.compile(r"(?<=[A-Za-z)\]”’\"])([.,;:]|\))(\d{1,3})(?=[\s.,;:]|$)")
_SPACED_MARKER = re.compile(r"(?<=[A-Za-z)\]”’\"])([.,;:])\s(\d{1,3})$")  # layout text: `(b); 2`
_MARKERS = (_WORD_MARKER, _PUNCT_MARKER, _SPACED_MARKER)
_MONTHS = frozenset(
    """january february march april may june july august september october november december enero
    febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre janvier
    fevrier février mars avril mai juin juillet août aout septembre octobre novembre décembre""".split()
)

# Left parts that form real compounds at a line-end hyphen: `follow-` `up`, `non-` `governmental`.
HYPHEN_PREFIXES = frozenset(
    """non re co self well so mid anti pre post ex cross multi inter intra semi sub counter vice quasi
    pseudo extra ultra all half long short high low large small full part follow decision law policy
    state government human child gender age sex rights peace un over under out off on up
    socio ill e""".split()
)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_HYPHENATED = re.compile(r"[^\W\d_]+-[^\W\d_]+")


def normalise_text(raw: str, *, pages: list[str] | None = None) -> tuple[str, list[str]]:
    """Return the normalised text (one paragraph per line) and warnings about what was removed.

    `pages`, when given, is the document page by page (it replaces `raw`); otherwise form feeds in
    `raw` separate pages. Page structure lets running heads and footers be found at page edges.

    >>> normalise_text("GE.12-18835\\n12. The extrac-\\ntive sector1 grew.\\n3\\n")[0]
    '12. The extractive sector grew.'
    """
    source = pages if pages is not None else raw.split("\f")
    page_lines = [_split_lines(clean_characters(page)) for page in source]
    report = _Report()
    page_lines = _join_split_symbols(page_lines)
    page_lines = _remove_furniture(page_lines, report)
    page_lines = _remove_footnotes(page_lines, report)
    page_lines = _remove_lone_numbers(page_lines, report)
    lines = _flatten(page_lines)
    vocabulary = Vocabulary.of(line for line in lines if line)
    text = "\n".join(_unwrap(lines, vocabulary))
    text = _finish(text, vocabulary)
    return text, report.warnings()


def clean_characters(text: str) -> str:
    """Unify the characters PDF extraction varies: NFC, spaces, hyphens, ligatures, controls.

    `U+00AD` soft hyphens go; `U+2010`/`U+2011` become `-`; pdfium's `U+0002`/`U+FFFE` (a hyphen
    it found at a line end) become `U+FFFE` for `normalise_text` to judge; tabs and the many
    Unicode spaces become spaces; CR and CRLF become LF.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("[\ufb00-\ufb06]", lambda match: unicodedata.normalize("NFKC", match.group()), text)
    text = text.translate(_CHARACTER_MAP)
    return re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", "", text)


_CHARACTER_MAP = {
    0x00AD: None,
    0x200B: None,
    0x200C: None,
    0x200D: None,
    0x2060: None,
    0xFEFF: None,
    0x2010: "-",
    0x2011: "-",
    0x0002: HYPHEN_AT_BREAK,
    0x0009: " ",
    0x000B: " ",
    0x00A0: " ",
    0x1680: " ",
    0x202F: " ",
    0x205F: " ",
    0x3000: " ",
    0x2028: "\n",
    0x2029: "\n",
    **{code: " " for code in range(0x2000, 0x200B)},
}


@dataclass
class Vocabulary:
    """The document's own words, used as its dictionary when a hyphen meets a line end."""

    words: Counter = field(default_factory=Counter)
    hyphenated: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, lines) -> Vocabulary:
        """Count the words of `lines`, leaving out the halves of words broken at a line end."""
        vocabulary = cls()
        broken = False
        for line in lines:
            if broken:
                line = re.sub(r"^[^\W\d_]+", "", line)
            broken = line.endswith(("-", HYPHEN_AT_BREAK))
            line = re.sub(rf"[^\W\d_]*{HYPHEN_AT_BREAK}[^\W\d_]*|[^\W\d_]+-$", " ", line)
            vocabulary.words.update(word.lower() for word in _WORD.findall(line))
            vocabulary.hyphenated.update(word.lower() for word in _HYPHENATED.findall(line))
        return vocabulary

    def hyphen(self, left: str, right: str) -> str:
        """`"-"` when `left-right` is a compound, `""` when a word was split by hyphenation.

        The document decides first (does `extractive` or `follow-up` occur elsewhere in it?),
        then a list of compound prefixes (`non-`, `follow-`, `self-`), then whether both halves
        are words of the document; a fragment (`extrac`) is joined.
        """
        if not left or not right or not right[0].islower() or any(char.isupper() for char in left[1:]):
            return "-"
        joined, compound = (left + right).lower(), f"{left}-{right}".lower()
        if self.words[joined] and compound not in self.hyphenated:
            return ""
        if compound in self.hyphenated or left.lower() in HYPHEN_PREFIXES:
            return "-"
        if self.words[left.lower()] and self.words[right.lower()] and len(right) > 2:
            return "-"
        return ""


class _Report:
    """Counts of what normalisation removed, turned into warnings."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()

    def add(self, what: str, count: int = 1) -> None:
        self.counts[what] += count

    def warnings(self) -> list[str]:
        return [f"removed {count} {what}" for what, count in sorted(self.counts.items()) if count]


def _split_lines(page: str) -> list[str]:
    """Lines stripped, inner runs of spaces collapsed (layout text pads columns), and a space put
    back after a number or heading letter glued to its text (`1.The Committee` -> `1. The Committee`,
    as web copies of UN documents print them)."""
    lines = [re.sub(r" {2,}", " ", line).strip() for line in page.split("\n")]
    return [_GLUED_OPENING.sub(r"\1 ", line) for line in lines]


def _join_split_symbols(page_lines: list[list[str]]) -> list[list[str]]:
    """Rejoin a symbol whose number fell on its own line: `A/HRC/15/37/Add.` + `8`."""
    out = []
    for lines in page_lines:
        lines = list(lines)
        for index, line in enumerate(lines):
            if LONE_NUMBER.match(line):
                previous = next((j for j in range(index - 1, -1, -1) if lines[j]), None)
                if previous is not None and _SPLIT_SYMBOL_END.search(lines[previous]):
                    lines[previous] += line
                    lines[index] = ""
        out.append(lines)
    return out


def _remove_furniture(page_lines: list[list[str]], report: _Report) -> list[list[str]]:
    """Drop job numbers, barcodes, page numbers, running heads and repeated page-edge lines
    (`ingest.read.furniture` says what each is; here the place of a line on its page decides).

    A line holding only a UN symbol (with or without a page number) is a running head, except its
    first occurrence on the first page (or in the first lines of a text without pages): that is
    the masthead, which `ingest.read.recognise` reads.
    """
    repeated = _repeated_edge_lines(page_lines)
    masthead_kept = False
    out = []
    for page_number, lines in enumerate(page_lines):
        edges = _edge_indexes(lines)
        kept = []
        for index, line in enumerate(lines):
            if not line:
                kept.append(line)
                continue
            in_masthead = page_number == 0 and (len(page_lines) > 1 or index < 40)
            if is_page_number(line) and len(page_lines) > 1 and index in edges:
                report.add("page numbers")
                continue
            if is_printer_mark(line):
                report.add("lines of page furniture")
                continue
            if is_running_head(line):
                if in_masthead and not masthead_kept:
                    masthead_kept = True
                    kept.append(line)
                else:
                    report.add("running heads")
                continue
            if index in edges and _edge_key(line) in repeated:
                report.add("running heads")
                continue
            kept.append(line)
        out.append(kept)
    return out


def _edge_indexes(lines: list[str], depth: int = 3) -> set[int]:
    filled = [index for index, line in enumerate(lines) if line]
    return set(filled[:depth] + filled[-depth:])


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _repeated_edge_lines(page_lines: list[list[str]]) -> set[str]:
    """Lines (digits ignored) found at the top or bottom of at least half the pages (3 or more)."""
    if len(page_lines) < 3:
        return set()
    counts: Counter = Counter()
    for lines in page_lines:
        keys = {
            _edge_key(lines[index])
            for index in _edge_indexes(lines)
            if len(lines[index]) <= 80 and not BLOCK_START.match(lines[index] + " ")
        }
        counts.update(keys)
    threshold = max(3, len(page_lines) // 2)
    return {key for key, count in counts.items() if count >= threshold}


def find_markers(line: str) -> list[str]:
    """The footnote numbers glued to a line's words or punctuation (`Act9 ` -> `9`)."""
    return [match.group(2) for pattern in _MARKERS for match in pattern.finditer(line) if _is_marker(line, match)]


def strip_markers(line: str) -> tuple[str, int]:
    """Remove glued footnote numbers: `implementation1.` -> `implementation.`, `law.9 The` -> `law. The`,
    and, at a line end in layout text, `15 (b); 2` -> `15 (b);`."""
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        if _is_marker(match.string, match):
            count += 1
            return match.group(1)
        return match.group()

    for pattern in _MARKERS:
        line = pattern.sub(replace, line)
    return line, count


def _is_marker(line: str, match: re.Match) -> bool:
    """Not a number that belongs to the text: after an abbreviation that takes one (`No.1`,
    `para.2`, `art.5`), inside a symbol (`A/HRC/WG.6/7/L.6`, `E/C.12/2015/SR.26`), or after a
    month (`18 June6 July`, a lost dash)."""
    token = re.search(r"\S*$", line[: match.start()]).group()
    word = re.search(r"([A-Za-z]+)\W*$", token)
    if "/" in token or (word and word.group(1).lower() in ABBREVIATIONS_BEFORE_NUMBERS):
        return False
    return not (match.re is _WORD_MARKER and match.group(1).lower() in _MONTHS)


def _remove_footnotes(page_lines: list[list[str]], report: _Report) -> list[list[str]]:
    """Drop footnote bodies (numbered like markers seen before them) and strip the markers.

    A footnote body is a line `N text` or a lone `N` followed by its text, where `N` was seen as a
    glued marker earlier in the document. With page structure, the rest of the page after the
    first footnote body goes too (continuations, the footer), unless a numbered paragraph follows.
    """
    seen: set[str] = set()
    used: set[str] = set()
    paged = len(page_lines) > 1
    out = []
    for lines in page_lines:
        kept: list[str] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            number = _footnote_number(lines, index, seen, used)
            if number is None:
                seen.update(find_markers(line))
                kept.append(line)
                index += 1
                continue
            used.add(number)
            report.add("footnotes")
            end = index + (2 if LONE_NUMBER.match(line) else 1)
            if paged and not any(starts_block(rest) for rest in lines[end:] if rest):
                end = len(lines)
            index = end
        out.append(kept)
    markers = 0
    stripped = []
    for lines in out:
        new_lines = []
        for line in lines:
            line, count = strip_markers(line)
            markers += count
            new_lines.append(line)
        stripped.append(new_lines)
    report.add("footnote markers", markers)
    return stripped


def _footnote_number(lines: list[str], index: int, seen: set[str], used: set[str]) -> str | None:
    line = lines[index]
    match = re.match(r"^(\d{1,3})(?:\s+(?=\S)(.*))?$", line)
    if not match or match.group(1) not in seen or match.group(1) in used:
        return None
    if match.group(2) is None:
        following = next((rest for rest in lines[index + 1 :] if rest), "")
        return match.group(1) if following and not starts_block(following) else None
    return match.group(1)


def _remove_lone_numbers(page_lines: list[list[str]], report: _Report) -> list[list[str]]:
    """Drop the numbers left alone on a line once footnotes are gone: page numbers of unpaged text."""
    out = []
    for lines in page_lines:
        kept = [line for line in lines if not is_page_number(line)]
        report.add("page numbers", len(lines) - len(kept))
        out.append(kept)
    return out


def _flatten(page_lines: list[list[str]]) -> list[str]:
    """One list of lines; blank lines at page edges dropped so paragraphs run across pages."""
    lines: list[str] = []
    for page in page_lines:
        filled = [index for index, line in enumerate(page) if line]
        if filled:
            lines.extend(page[filled[0] : filled[-1] + 1])
    return lines


def _unwrap(lines: list[str], vocabulary: Vocabulary) -> list[str]:
    """Join layout lines into paragraphs.

    A bare number (`1.` alone on its line) always joins its text. A line break is kept before a
    paragraph opening (`12.`, `(a)`, `II.`), after a line ending a sentence short of the margin,
    and after a short line that does not end a sentence, unless the next line continues it in
    lower case or the line ends on a word that cannot end one (`of the`).
    Blank lines separate paragraphs, unless the text puts one after nearly every line (then they
    carry no meaning); table-of-contents entries (dot leaders) stay on their own lines.
    """
    width = _typical_width(lines)
    blank_matters = _blank_lines_matter(lines)
    blocks: list[str] = []
    current, previous, blank = "", "", False
    for line in lines:
        if not line:
            blank = True
            continue
        if not current:
            current, previous, blank = line, line, False
            continue
        if _continues(previous, line, blank=blank and blank_matters, width=width):
            current = _join(current, line, vocabulary)
        else:
            blocks.append(current)
            current = line
        previous, blank = line, False
    if current:
        blocks.append(current)
    return blocks


def _typical_width(lines: list[str]) -> int:
    """The width of a full line (90th percentile), at least 60 characters: no page is narrower."""
    lengths = sorted(len(line) for line in lines if len(line) >= 15)
    return max(60, lengths[int(len(lengths) * 0.9)] if lengths else 0)


def _blank_lines_matter(lines: list[str]) -> bool:
    transitions = blanks = 0
    for before, after in zip(lines, lines[1:]):
        if before:
            transitions += 1
            blanks += not after
    return transitions == 0 or blanks / transitions < 0.6


def _continues(previous: str, line: str, *, blank: bool, width: int) -> bool:
    if _BARE_MARKER.match(previous):
        return not starts_block(line)
    if blank or _DOT_LEADER.search(previous) or _DOT_LEADER.search(line):
        return False
    if starts_block(line):
        return False
    full = len(previous) >= 0.6 * width
    ends_sentence = bool(_TERMINAL.search(previous))
    if previous.endswith(("-", HYPHEN_AT_BREAK)) and line[:1].isalpha():
        return True
    if ends_sentence:
        return len(previous) >= 0.85 * width
    return full or line[:1].islower() or bool(_OPEN_ENDING.search(previous))


def starts_block(line: str) -> bool:
    """Does `line` open a paragraph, item or heading? (`2.5 per cent` at a line start does not.)"""
    return bool(BLOCK_START.match(line)) and not _NUMBER_IN_PROSE.match(line)


def _join(current: str, line: str, vocabulary: Vocabulary) -> str:
    """Append a line: hyphenated words rejoined or kept, dashes closed up, else one space."""
    if current.endswith(("-", HYPHEN_AT_BREAK)) and current[-2:-1].isalpha():
        left = re.search(r"([^\W\d_]+)\W?$", current).group(1)
        right = re.match(r"[^\W\d_]*", line).group()
        return current[:-1] + vocabulary.hyphen(left, right) + line
    if current.endswith(("–", "—", "/")) and line[:1].isdigit():
        return current + line
    return f"{current} {line}"


def _finish(text: str, vocabulary: Vocabulary) -> str:
    """Judge pdfium's in-line hyphen marks, drop inline furniture, tidy spaces."""
    text = re.sub(
        rf"([^\W\d_]*){HYPHEN_AT_BREAK}\s*([^\W\d_]*)",
        lambda match: match.group(1) + vocabulary.hyphen(match.group(1), match.group(2)) + match.group(2),
        text,
    )
    text = strip_inline_furniture(text)
    lines = [re.sub(r"\s{2,}", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
