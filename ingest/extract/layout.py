"""The layout every UN document shares: numbered paragraphs, headings, sub-items, sentences.

The extractors of treaty-body, Special Procedures and UPR addendum texts read their structure
with these helpers. They work on text whose line breaks were kept (PDF) or lost (HTML pages),
and treat an elision mark that ends a line (`[...]`, as in excerpts) as a gap the numbering does
not cross: text after a gap and before the next paragraph number belongs to a paragraph whose
number is unknown, labelled `"unnumbered"`.

>>> text = "4. The Committee is concerned.\\n5. It recommends that the State party:\\n(a) Adopt a law;\\n(b) Consult."
>>> [(block.label, [item.label for group in block.groups for item in group.items]) for block in read_layout(text).blocks]
[('4', []), ('5', ['(a)', '(b)'])]
>>> sentences = "See ILO Convention No. 169. Mr. Sadi agreed."
>>> [sentences[start:end] for start, end in split_sentences(sentences, 0, len(sentences))]
['See ILO Convention No. 169.', 'Mr. Sadi agreed.']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.read.abbreviations import ABBREVIATIONS, REFERENCE_WORDS
from ingest.records import RecommendationRecord

UNNUMBERED = "unnumbered"  # the paragraph label when the text does not show the number
NUMBER_GAP = 3  # an inline number may skip this many paragraphs (a number lost by the extraction)

UPPER = "A-ZÁÉÍÓÚÑÀÂÇÈÊÎÔÛÜ"
BULLETS = "•▪●◦\uf0b7"
GAP_LINE = re.compile(r"[ \t]*\[(?:\.\.\.|…)\][ \t]*$", re.MULTILINE)  # an elision mark that ends a line
# `25.` before a capital (on the same line or the next): `69.\nAs a result`, `5.The Committee`.
NUMBER = re.compile(
    rf"(?<![\w/.,:\-–])(\d{{1,3}})\.(?!\d)(?=[ \t]*(?:\n[ \t]*)?[\"“‘(¿¡{BULLETS}{UPPER}])"
)
SENTENCE_END_BEFORE = re.compile(r"[.!?…][\"”’)\]]*\d{0,3}\s+$")
ENUMERATED_HEADING = re.compile(r"^(?:[IVXLC]{1,5}|[A-H])\.\s*\S")
LEADER_DOTS = re.compile(r"\.{4,}|…{2,}|(?:\. ){4,}")
# Sub-item markers: `(a)` at the start of a line (after a bullet too), or inline after `:`/`;`.
LETTER_MARK = re.compile(
    rf"(?:(?<=\n)|\A)[ \t]*(?:[{BULLETS}][ \t]*)?\((?P<line>[a-z])\)"
    r"|(?<=[:;])[ \t]*(?:(?:and|or|y|o|et|ou)[ \t]+)?\((?P<inline>[a-z])\)"
    rf"|[{BULLETS}][ \t]*\((?P<bulleted>[a-z])\)"
)
BULLET_MARK = re.compile(rf"(?:(?<=\n)[ \t]*|(?<=\s))[{BULLETS}][ \t]*|(?<=\n)[ \t]*[-–—][ \t]+(?=[{UPPER}])")
ITEM_STOP = re.compile(r"[.;](?=[ \t]*\n[ \t]*\n)")  # an item ends where a paragraph break follows it
SENTENCE_BREAK = re.compile(
    rf"(?:[.!?…][\"”’)\]]*|(?<=[^\d\W])[.!?…][\"”’)\]]*\d{{1,3}})\s+"  # `word.12 Next`: a footnote
    rf"(?=[\"“‘(¿¡]?[{UPPER}]|\d{{1,3}}\.[ \t]*[{UPPER}])"
    r"|\n[ \t]*(?=(?:The|El|La|Le)\s+(?:Committee|Special\s+Rapporteur|Working\s+Group|Comité|Relator|Relatora"
    r"|Rapporteur|Rapporteuse|Grupo|Groupe)\b)"
)


@dataclass(frozen=True)
class Item:
    """A sub-item of a paragraph: `(a)` (lettered) or `(1)` (the n-th bullet), from after its marker."""

    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Group:
    """A stretch of a paragraph between headings: its lead-in, then the sub-items it lists."""

    start: int
    lead_end: int
    end: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Block:
    """A numbered paragraph (`number` "25"), or a stretch whose number the text does not show (None)."""

    number: str | None
    start: int
    end: int
    groups: tuple[Group, ...]

    @property
    def label(self) -> str:
        return self.number or UNNUMBERED


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Layout:
    """The structure of a text: its paragraphs (in order) and its heading lines."""

    blocks: tuple[Block, ...]
    headings: tuple[Heading, ...]


def collapse(text: str) -> str:
    """`Ensure\\n   effective  consultations` -> `Ensure effective consultations`."""
    return " ".join(text.split())


def split_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its line break."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def looks_like_heading(line: str) -> bool:
    """A short line that does not end a sentence: `Legal and institutional framework`, `B.Positive aspects`.

    Not a paragraph number, a sub-item, a bullet, a table-of-contents line or a sentence end.
    """
    if not line or len(line) > 90 or len(line.split()) > 12 or LEADER_DOTS.search(line):
        return False
    if line[-1] in ".,;:" or re.match(r"\d{1,3}\.|[(\[#\"“'‘]", line) or line[0] in BULLETS + "-–—":
        return False
    return line[0].isupper()


def opens_block(line: str) -> bool:
    """What may follow a heading: a capital, a paragraph number, a sub-item, a bullet, a quote."""
    return bool(line) and (line[0].isupper() or line[0].isdigit() or line[0] in "(\"“‘¿¡" + BULLETS)


def find_headings(text: str, *, strong: re.Pattern[str] | None = None) -> list[Heading]:
    """Heading lines: short lines between a finished sentence (or another heading) and a new block.

    An enumerated heading (`IX. Conclusions and recommendations`, `B.Positive aspects`) or one that
    `strong` matches needs only a proper line after it.
    """
    lines = [(start, end, text[start:end].strip()) for start, end in split_lines(text)]
    filled = [index for index, (_, _, line) in enumerate(lines) if line]
    headings: list[Heading] = []
    previous_heading = -1
    for position, index in enumerate(filled):
        start, end, line = lines[index]
        if not looks_like_heading(line):
            continue
        after = lines[filled[position + 1]][2] if position + 1 < len(filled) else ""
        if not opens_block(after):
            continue
        before = lines[filled[position - 1]][2] if position else ""
        anchored = ENUMERATED_HEADING.match(line) or (strong is not None and strong.match(line))
        if anchored or not before or before[-1] in ".;:!?)\"”’" or previous_heading == filled[position - 1]:
            offset = start + (len(text[start:end]) - len(text[start:end].lstrip()))
            headings.append(Heading(offset, offset + len(line), line))
            previous_heading = index
    return headings


def find_number_candidates(text: str) -> list[tuple[int, int, int, bool]]:
    """(number, marker start, text start, at line start) for each `25.` that may open a paragraph.

    It stands at the start of a line, after a sentence, or after a heading whose line break was lost;
    never after `No.`, `para.` or a word that announces a reference (`paragraph 13.`, `article 5.`).
    """
    found = []
    for match in NUMBER.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        at_line_start = not text[line_start : match.start()].strip()
        before = text[max(0, match.start() - 16) : match.start()]
        after_sentence = at_line_start or bool(SENTENCE_END_BEFORE.search(before))
        if not after_sentence and not looks_like_heading(read_words_before(text, match.start())[1]):
            continue
        word = re.search(r"([\w.]+)\.[\"”’)\]]*\d{0,3}\s*$", text[max(0, match.start() - 16) : match.start()])
        if word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        bare = re.search(r"(\w+)\s+$", text[max(0, match.start() - 24) : match.start()])
        if bare and bare.group(1).lower() in REFERENCE_WORDS:
            continue
        body = match.end()
        while body < len(text) and text[body] in " \t\n":
            body += 1
        found.append((int(match.group(1)), match.start(), body, at_line_start))
    return found


def find_paragraph_starts(text: str, gaps: list[int]) -> list[tuple[str | None, int, int]]:
    """Accepted paragraph openings, in order, as (number, marker start, text start); gaps give None.

    Numbers run upwards one by one. A number at the start of a line may jump ahead (the excerpt or
    extraction lost paragraphs) or restart at 1 (a new document); an inline number (after a sentence,
    or after a heading whose line break was lost: `To business enterprises 63. Companies …`) must
    follow its predecessor within `NUMBER_GAP`. After a gap the count starts afresh.
    """
    events = [(offset, "gap", None) for offset in gaps] + [(c[1], "number", c) for c in find_number_candidates(text)]
    starts: list[tuple[str | None, int, int]] = []
    previous: int | None = None
    for offset, kind, candidate in sorted(events, key=lambda event: event[0]):
        if kind == "gap":
            starts.append((None, offset, offset))
            previous = None
            continue
        number, marker, body, at_line_start = candidate
        if at_line_start:
            accepted = previous is None or number > previous or number == 1
        else:
            accepted = previous is None or previous < number <= previous + NUMBER_GAP
        if accepted:
            starts.append((str(number), marker, body))
            previous = number
    return starts


def find_letter_items(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Lettered markers in order, as (letter, marker start, text start); `(i)` after `(a)` is a sub-point."""
    items: list[tuple[str, int, int]] = []
    for match in LETTER_MARK.finditer(text, start, end):
        letter = match.group("line") or match.group("inline") or match.group("bulleted")
        previous = items[-1][0] if items else None
        if previous is None or letter == "a" or ord(letter) == ord(previous) + 1:
            body = match.end()
            while body < end and text[body] in " \t\n":
                body += 1
            items.append((letter, match.start(), body))
    return items


def find_bullets(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Bullets in order, numbered `1`, `2`, …: UN documents do not letter them."""
    items = []
    for count, match in enumerate(BULLET_MARK.finditer(text, start, end), start=1):
        items.append((str(count), match.start(), match.end()))
    return items


def make_group(text: str, start: int, end: int) -> Group:
    """The lead-in and sub-items of one stretch; an item ends at the next item or a paragraph break."""
    marks = find_letter_items(text, start, end) or find_bullets(text, start, end)
    items = []
    for index, (label, marker, body) in enumerate(marks):
        limit = marks[index + 1][1] if index + 1 < len(marks) else end
        stop = ITEM_STOP.search(text, body, limit)
        items.append(Item(f"({label})", body, stop.end() if stop else limit))
    lead_end = marks[0][1] if marks else end
    return Group(start, lead_end, end, tuple(items))


def make_groups(text: str, start: int, end: int, headings: list[Heading]) -> tuple[Group, ...]:
    """Split a paragraph at the headings inside it; the heading lines belong to no group."""
    cuts = [(heading.start, heading.end) for heading in headings if start <= heading.start and heading.end <= end]
    groups, cursor = [], start
    for cut_start, cut_end in cuts + [(end, end)]:
        if text[cursor:cut_start].strip():
            groups.append(make_group(text, cursor, cut_start))
        cursor = cut_end
    return tuple(groups)


def find_inline_headings(text: str, starts: list[tuple[str | None, int, int]]) -> list[Heading]:
    """Headings whose line breaks were lost: the words between a sentence and a paragraph number.

    `… without consent. To business enterprises 63. Companies …` -> `To business enterprises`.
    """
    headings = []
    for number, marker, _ in starts:
        if number is None or starts_line(text, marker):
            continue
        offset, candidate = read_words_before(text, marker)
        if candidate and looks_like_heading(candidate):
            headings.append(Heading(offset, offset + len(candidate), candidate))
    return headings


def read_words_before(text: str, offset: int) -> tuple[int, str]:
    """The words between the last sentence end (within 150 characters) and `offset`, with their start."""
    window_start = max(0, offset - 150)
    ends = list(re.finditer(r"[.!?:;…][\"”’)\]]*\d{0,3}\s+", text[window_start:offset]))
    if not ends and window_start > 0:
        return offset, ""
    start = window_start + ends[-1].end() if ends else window_start
    stripped = text[start:offset].strip()
    return start + len(text[start:offset]) - len(text[start:offset].lstrip()), stripped


def starts_line(text: str, offset: int) -> bool:
    """Whether only spaces stand between the previous line break and `offset`."""
    return not text[text.rfind("\n", 0, offset) + 1 : offset].strip()


def read_layout(text: str, *, strong_headings: re.Pattern[str] | None = None) -> Layout:
    """Paragraphs, their groups and sub-items, and the heading lines of a text."""
    gaps = [match.start() for match in GAP_LINE.finditer(text)]
    gap_ends = {match.start(): match.end() for match in GAP_LINE.finditer(text)}
    starts = find_paragraph_starts(text, gaps)
    headings = find_headings(text, strong=strong_headings) + find_inline_headings(text, starts)
    headings.sort(key=lambda heading: heading.start)
    if not starts or starts[0][1] > 0:
        starts.insert(0, (None, 0, 0))
    blocks = []
    for index, (number, marker, body) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(text)
        body = gap_ends.get(body, body) if number is None else body
        if body < end and text[body:end].strip():
            blocks.append(Block(number, body, end, make_groups(text, body, end, headings)))
    return Layout(tuple(blocks), tuple(headings))


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of `text[start:end]`, not broken after abbreviations (`No. 169`, `para. 5`, `Mr. Sadi`)."""
    spans, cursor = [], start
    for match in SENTENCE_BREAK.finditer(text, start, end):
        before = text[max(start, match.start() - 16) : match.start() + 1]
        word = re.search(r"([\w.]+)[.!?…][\"”’)\]]*\d{0,3}$", before)
        abbreviated = word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1)
        if match.group(0)[0] in ".!?…" and abbreviated:
            continue
        spans.append((cursor, match.start() + (1 if match.group(0)[0] != "\n" else 0)))
        cursor = match.end()
    spans.append((cursor, end))
    return [trim(text, s, e) for s, e in spans if text[s:e].strip()]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_recommending_run(
    text: str, start: int, end: int, recommends: Callable[[str], bool], *, skip_last: bool = False
) -> tuple[int, int] | None:
    """The span from the first to the last recommending sentence of `text[start:end]`, if any."""
    sentences = split_sentences(text, start, end)
    if skip_last:
        sentences = sentences[:-1]
    chosen = [span for span in sentences if recommends(text[span[0] : span[1]])]
    if not chosen:
        return None
    return chosen[0][0], chosen[-1][1]


def governs_items(text: str, group: Group, recommends: Callable[[str], bool]) -> bool:
    """Whether the lead-in's last sentence (the one that introduces the sub-items) recommends."""
    sentences = split_sentences(text, group.start, group.lead_end)
    return bool(sentences) and recommends(text[sentences[-1][0] : sentences[-1][1]])


def make_record(text: str, span: tuple[int, int], paragraph: str, **fields) -> RecommendationRecord:
    start, end = trim(text, *span)
    copies = {key: list(value) if isinstance(value, list) else value for key, value in fields.items()}
    return RecommendationRecord(paragraph=paragraph, text=collapse(text[start:end]), start=start, end=end, **copies)
