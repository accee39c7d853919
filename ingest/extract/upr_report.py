"""Recommendations of a UPR Working Group report, with who made them and the State's position.

The section "Conclusions and/or recommendations" of a Working Group report holds numbered
paragraphs that group the recommendations by the position of the State under review:

    116. The recommendations formulated during the interactive dialogue/listed below enjoy the
    support of Peru:
    116.1. Consider ratifying the ILO Convention No. 189 (Philippines);
    116.2. Ratify the Kampala amendments … (Liechtenstein);
    117. The following recommendations will be examined by Peru, which will provide responses …

Older reports (2008–2011) number the items `1.`, `2.`, … under their paragraph (`52.` then `1.`),
sometimes with the number alone on its line, and often merge several recommendations into one
item, each with its own recommending States: `To ratify OP-CAT (Portugal); to abolish the death
penalty (United Kingdom); …`. Each such part becomes one record, all with the item's number.

The text may have kept or lost its line breaks, and may still hold page furniture (`GE.12-18835`,
a lone page number, the running symbol `A/HRC/43/15`) and footnotes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ingest.extract.base import Extraction, Tools
from ingest.extract.layout import starts_line
from ingest.link.state_names import StateNames, closing_bracket
from ingest.read.furniture import blank_furniture
from ingest.records import DocumentError, DocumentInfo, DocumentText, RecommendationRecord

RULE = "mwg.recommendations.upr.v1"
ITEM_GAP = 5  # a missing item number ("7." lost by the PDF extraction) is tolerated up to this gap
SCORE_RENUMBERED = 0.9  # the printed number had a wrong paragraph prefix ("85.75." in paragraph 86)
SCORE_PARTIAL_STATES = 0.8  # some names in the final parentheses are not States
SCORE_NO_STATES = 0.5  # no recommending State found: the boundaries are a guess

# The section heading, not its line in the table of contents (dot leaders, `116–120 15`) nor the
# closing "All conclusions and/or recommendations contained in …" nor "views on conclusions …".
HEADING = re.compile(
    r"(?<!all )(?<!on )\bconclusions\s+and/or\s+recommendations\b"
    r"(?![ \t]*(?:\.{2,}|…|\d+\s*[-–]|\d+\s+\d|contained|set out|reflect))",
    re.IGNORECASE,
)
HEADING_NUMBER = re.compile(r"(?<![\w.])[IVX]{1,4}\.[ \t]*$")
SECTION_END = re.compile(
    r"(?i:all\s+conclusions\s+and/or\s+recommendations)|^[ \t]*(?:III|IV)\.[ \t]+\S|^[ \t]*Annex\b"
    r"|Voluntary\s+pledges\s+and\s+commitments|VOLUNTARY\s+COMMITMENTS",
    re.MULTILINE,
)
# A paragraph or item number: `116.`, `116.113.`, `114.7`, `129.1.1`. A number with no dot at all
# (`12`, a page number or a footnote) is never a marker.
MARKER = re.compile(r"(?<![\w.,/()\-–])(\d{1,3}(?:\.\d{1,3}){0,2})(\.?)(?=[ \t\n\r\u00a0]|[A-Z“\"])")
ASTERISK_NOTE = re.compile(r"^[ \t]*\*+[ \t].*$", re.MULTILINE)  # `** Conclusions … have not been edited.`
FOOTNOTE_MARK = re.compile(r"(?<=[)”\"a-z])(\d{1,2})(?=[ \t]*[;.,:]|[ \t]*$)", re.MULTILINE)
NUMBERED_LINE = re.compile(r"[ \t]*\d{1,3}(?:\.\d{1,3}){0,2}\.?(?:\s|$)")
TRAILING_NUMBER = re.compile(r"(?<!\S)\d{1,3}\.\s*\Z")
STATES_CLOSE = re.compile(r"\)[\d*]{0,3}[ \t]*[;.,]?[ \t\n\r]*$")
AFTER_STATES = re.compile(r"[\d*]{0,3}[ \t]*")  # a footnote mark after the States: "(China)1;"
NEXT_PART = re.compile(r"and\s+[a-z]")  # "(Denmark) and continue to expand …": a second recommendation
INTRO_START = re.compile(
    r"\s*(?:In the course of|The (?:following|recommendations?|above|recommendation)\b|These recommendations"
    r"|Recommendations\b|All conclusions|[A-Z][\w’'(). -]{0,80}?\bconsiders? that)",
)
REFERENCE_IDS = re.compile(r"\b\d{1,3}\.\d{1,3}(?:\.\d{1,3})?\b")
REFERENCE_RANGE = re.compile(r"from\s+(\d{1,3})\.(\d{1,3})\.?\s+to\s+\1\.(\d{1,3})")
REFERENCE_NUMBERS = re.compile(
    r"recommendations?\s+(?:Nos?\.?|numbers?)\s*((?:\d{1,3}(?!\.?\d)\s*(?:,|and|&)\s*)*\d{1,3}(?!\.?\d))", re.I
)
STATE_AFTER_PHRASE = re.compile(
    r"(?:support of|examined by|made to)\s+(?:the\s+)?([A-Z][^,:;.\n]*?)"
    r"(?=\s*(?:[,:;.\n]|\band\b|\bwhich\b|\bbecause\b|$))"
)

# The position a grouping paragraph gives its recommendations, tried in this order: "did not enjoy
# the support" must win over "enjoy the support", "already implemented" over "enjoy the support".
POSITION_RULES = (
    ("partially-supported", re.compile(r"\bpartial(?:ly)?\b.{0,40}\bsupport|\bsupport\w*\s+in\s+part\b", re.I | re.S)),
    (
        "noted",
        re.compile(
            r"\b(?:did|do|does|could|can|will|would)\s*(?:not|n[’']t)\s+(?:enjoy|be\s+supported|be\s+accepted)\b"
            r"|\bnot\s+(?:supported|accepted)\b|\brejected\b|\b(?:were|was|are|is|be|been)\s+noted\b"
            r"|\bto(?:ok|ke|kes)\s+note\b",
            re.I,
        ),
    ),
    (
        "already-implemented",
        re.compile(r"\balready\s+(?:been\s+)?implemented\b|\bin\s+the\s+process\s+of\s+implementation\b", re.I),
    ),
    (
        "to-be-examined",
        re.compile(
            r"\bwill\s+be\s+(?:further\s+)?examined\b|\bwill\s+(?:further\s+)?examine\b"
            r"|\bresponses?\s+in\s+due\s+(?:time|course)\b"
            r"|\bwill\s+respond\b|\bwere\s+made\s+to\b|\bunder\s+consideration\b",
            re.I,
        ),
    ),
    ("supported", re.compile(r"\benjoy(?:s|ed)?\b.{0,30}\bsupport\b|\b(?:are|were)\s+accepted\b", re.I | re.S)),
)


@dataclass
class Item:
    """One numbered item: its number as the report should have printed it, and its span."""

    number: str
    marker_start: int = 0
    text_start: int = 0
    end: int = 0
    score: float | None = None


@dataclass
class Group:
    """A top-level paragraph of the section (`116.`) and the items under it."""

    number: int
    marker_start: int
    text_start: int
    intro_end: int = 0
    plain: bool | None = None  # items numbered `1.`, `2.` (older layout) rather than `116.1`
    items: list[Item] = field(default_factory=list)

    def add(self, item: Item, *, plain: bool, start: int, body: int) -> None:
        item.marker_start, item.text_start = start, body
        self.plain = plain
        self.items.append(item)


def extract_upr_recommendations(
    document: DocumentText, info: DocumentInfo, *, names: StateNames
) -> list[RecommendationRecord]:
    """Every recommendation of the report's "Conclusions and/or recommendations" section.

    One record per recommendation: an item `116.113.` gives one record; an older item that merges
    several recommendations (`… (Philippines); To continue … (Algeria);`) gives one per part, each
    with the item's number. Raises DocumentError when the section or its items cannot be found.
    """
    text = document.text
    start, end = find_section(text)
    masked = mask_furniture(text, start, end)
    groups = find_groups(masked, start, end, names)
    if not any(group.items for group in groups):
        raise DocumentError(
            "the 'Conclusions and/or recommendations' section holds no numbered recommendations "
            "(expected items such as '116.1.' or '1.' under a paragraph such as '116.')"
        )
    positions = group_positions(masked, groups)
    addressed = [info.state] if info.state else infer_state(masked, groups, names)
    records = []
    for group in groups:
        found = [record for item in group.items for record in split_item(masked, item, names)]
        if not any(record.recommending_states or positions.get(record.paragraph) for record in found):
            continue  # numbered paragraphs, but neither a position nor a recommending State: no recommendations
        for record in found:
            record.position = positions.get(record.paragraph)
            record.addressed_states = list(addressed)
        records += found
    if not records:
        raise DocumentError(
            "the 'Conclusions and/or recommendations' section holds no recommendations: no numbered item "
            "names a recommending State, and no paragraph states the position of the State under review"
        )
    return records


def find_section(text: str) -> tuple[int, int]:
    """Offsets of the section's body: after its heading, up to the closing "All conclusions …".

    The table of contents names the section too (`II. Conclusions and/or recommendations .... 116–120`);
    dot leaders and page numbers tell it apart, and the last heading wins.
    """
    headings = [match for match in HEADING.finditer(text) if stands_alone(text, match.start())]
    if not headings:
        raise DocumentError(
            "no 'Conclusions and/or recommendations' section found: is this a UPR Working Group report?"
        )
    start = headings[-1].end()
    closing = SECTION_END.search(text, start)
    end = closing.start() if closing else len(text)
    number = TRAILING_NUMBER.search(text, start, end)  # the closing paragraph's own number, "137."
    return start, number.start() if number else end


def stands_alone(text: str, index: int) -> bool:
    """Whether a heading at `index` is numbered (`II.`) or starts its line or sentence.

    `II. Conclusions and/or recommendations` is the heading, even where line breaks were lost;
    `the "Conclusions and/or recommendations" section` in a sentence is not.
    """
    line = text[text.rfind("\n", 0, index) + 1 : index]
    if HEADING_NUMBER.search(line):
        return True
    before = line.rstrip()
    return not before or before[-1] in ".:;)*”"


def mask_furniture(text: str, start: int, end: int) -> str:
    """The text with page furniture and footnote lines of the section blanked out, offsets kept.

    Blanks page furniture (`GE.12-18835 (E) 120712`, a page number, the running symbol `A/HRC/43/15`,
    as `ingest.read.furniture` tells them), asterisk notes (`** Conclusions and recommendations have
    not been edited.`) and footnotes whose number is used as a marker in the section (`(Canada)4;` …
    `4 The recommendation as read …`).
    A footnote that opens a quotation goes on over the next lines until the quotation closes, but
    never over a numbered line.
    """
    chars = list(blank_furniture(text, start, end))

    def blank(a: int, b: int) -> None:
        for index in range(a, b):
            if chars[index] not in "\r\n":
                chars[index] = " "

    for line in ASTERISK_NOTE.finditer(text, start, end):
        blank(line.start(), line.end())
    marks = set(FOOTNOTE_MARK.findall(text, start, end))
    if marks:
        footnote = re.compile(rf"^[ \t]*(?:{'|'.join(sorted(marks))})[ \t]+\S.*$", re.MULTILINE)
        for line in footnote.finditer(text, start, end):
            blank(line.start(), footnote_end(text, line, end))
    return "".join(chars)


def footnote_end(text: str, line: re.Match, end: int) -> int:
    """Where a footnote starting on `line` ends: its line, or the line closing the quotation it opens."""
    stop = line.end()
    quoted = line.group()
    while opens_quotation(quoted) and stop < end:
        following = text.find("\n", stop + 1, end)
        following = end if following < 0 else following
        next_line = text[stop + 1 : following]
        if NUMBERED_LINE.match(next_line):
            break
        quoted, stop = quoted + next_line, following
    return stop


def opens_quotation(text: str) -> bool:
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def closes_quotation(text: str) -> bool:
    return text.count("”") > text.count("“")


def after_colon(text: str, index: int) -> bool:
    return text[max(0, index - 80) : index].rstrip().endswith(":")


def after_states(text: str, index: int, names: StateNames) -> bool:
    """Whether the text before `index` ends with a parenthesised list of States: `… (Chile); `."""
    before = text[max(0, index - 400) : index]
    match = STATES_CLOSE.search(before)
    if not match:
        return False
    close = match.start()
    opening = opening_bracket(before, close)
    return opening >= 0 and names.parse_list(before[opening : close + 1]) is not None


def opening_bracket(text: str, closing: int, lower: int = 0) -> int:
    """Index of the `(` (at or after `lower`) that the `)` at `closing` closes, or -1."""
    depth = 0
    for index in range(closing, lower - 1, -1):
        depth += (text[index] == ")") - (text[index] == "(")
        if depth == 0:
            return index
    return -1


def find_groups(text: str, start: int, end: int, names: StateNames) -> list[Group]:
    """Walk the numbers of the section and keep those that continue a paragraph or item sequence.

    A paragraph number follows the previous one (`116.`, `117.`); an item number follows the
    previous item (`116.1`, `116.2` or `1.`, `2.`). Where a number could be read otherwise, it must
    stand at the start of a line or right after a closing list of States (or the paragraph's
    colon), so that `No. 7.` or `84.52` inside a sentence is never taken.
    """
    groups: list[Group] = []
    last_marker = start
    for match in MARKER.finditer(text, start, end):
        parts = tuple(int(part) for part in match.group(1).split("."))
        plain = len(parts) == 1
        if plain and not match.group(2):
            continue
        index, body = match.start(), match.end()
        strong = starts_line(text, index) or after_states(text, index, names)
        boundary = strong or after_colon(text, index)
        group = groups[-1] if groups else None
        item = next_item(group, parts, strong=strong) if group else None
        if plain and opens_paragraph(text, group, parts[0], body, boundary=boundary, item=item):
            groups.append(Group(parts[0], index, body))
        elif not plain and item is None and (group is None or parts[:2] == (group.number + 1, 1) and boundary):
            groups.append(paragraph_before(text, parts[0], last_marker, index))
            groups[-1].add(Item(match.group(1)), plain=False, start=index, body=body)
        elif item and (boundary or not plain or not group.items):
            group.add(item, plain=plain, start=index, body=body)
        elif strong and (home := displaced_home(groups, parts)):
            home.add(Item(match.group(1)), plain=False, start=index, body=body)
        else:
            continue
        last_marker = index
    close_spans(groups, end)
    return groups


def opens_paragraph(
    text: str, group: Group | None, number: int, body: int, *, boundary: bool, item: Item | None
) -> bool:
    """Whether `number.` starts the section's next paragraph rather than an item of the current one.

    The first paragraph of the section, or the one after `group`; when the number could also be the
    next item (`71.` after item 70 of paragraph 70), only a paragraph's opening words decide it:
    "The following recommendations …", "All conclusions …", "Bolivia considers that …".
    """
    intro = INTRO_START.match(text, body) is not None
    if group is None:
        return boundary or intro
    return number == group.number + 1 and (boundary or intro) and (item is None or intro)


def paragraph_before(text: str, number: int, lower: int, index: int) -> Group:
    """The paragraph `number.` whose first item `number.1` is at `index`; its number may be missing."""
    numbers = list(re.finditer(rf"(?<![\w.,/]){number}\.(?=\s)", text[:index]))
    found = numbers[-1] if numbers else None  # the last `number.` before the item
    if found is not None and found.start() >= lower:
        return Group(number, found.start(), found.end())
    return Group(number, index, index)


def displaced_home(groups: list[Group], parts: tuple[int, ...]) -> Group | None:
    """The earlier paragraph an item printed out of place belongs to, when it fills a hole in it.

    PDF text can put a block of items after the next paragraph's introduction: `115. The
    recommendations below did not enjoy …` then `114.2`, `114.3`, then `115.1`.
    """
    if len(parts) != 2:
        return None
    for group in groups[:-1]:
        numbers = {item.number for item in group.items}
        if group.number == parts[0] and group.plain is False and f"{parts[0]}.{parts[1]}" not in numbers:
            if any(int(number.split(".")[1]) > parts[1] for number in numbers):
                return group
    return None


def next_item(group: Group, parts: tuple[int, ...], *, strong: bool) -> Item | None:
    """The item `parts` would be if it continued `group`, or None.

    After `116.4` come `116.5` (or, when `strong`, `116.6` … as numbers get lost), `116.4.1` (a
    sub-item), and, when `strong`, `85.5` read as a misprint for `116.5`. In the older layout items
    are `1.`, `2.`, … and take the paragraph's number: `52.` then `1.` is item `52.1`.
    """
    plain = len(parts) == 1
    if group.plain is not None and group.plain != plain:
        return None
    last = [int(part) for part in group.items[-1].number.split(".")[1:]] if group.items else [0]
    levels = list(parts) if plain else list(parts[1:])
    gap = ITEM_GAP if strong else 1
    if not plain and parts[0] != group.number:
        if strong and len(levels) == 1 and levels[0] == last[0] + 1:
            return Item(f"{group.number}.{levels[0]}", score=SCORE_RENUMBERED)
        return None
    number = ".".join(str(level) for level in (group.number, *levels))
    if len(levels) == 1 and last[0] < levels[0] <= last[0] + gap:
        return Item(number)
    if len(levels) == 2 and levels[0] == last[0] and levels[1] == (last[1] + 1 if len(last) > 1 else 1):
        return Item(number)
    return None


def close_spans(groups: list[Group], end: int) -> None:
    """Each introduction and item ends where the next number in the text starts; items in number order."""
    starts = sorted({group.marker_start for group in groups} | {i.marker_start for g in groups for i in g.items})
    starts.append(end)

    def next_start(index: int) -> int:
        return starts[bisect.bisect_right(starts, index)]

    for group in groups:
        group.intro_end = next_start(group.marker_start)
        for item in group.items:
            item.end = next_start(item.marker_start)
        group.items.sort(key=lambda item: [int(part) for part in item.number.split(".")])


def classify(text: str) -> str | None:
    """The upr-position key a grouping paragraph states, or None.

    >>> classify("The following recommendations will be examined by Chile, which will provide responses in due time")
    'to-be-examined'
    >>> classify("The recommendations below did not enjoy the support of Sri Lanka")
    'noted'
    """
    for key, pattern in POSITION_RULES:
        if pattern.search(text):
            return key
    return None


def group_positions(text: str, groups: list[Group]) -> dict[str, str]:
    """Item number -> position: from each group's introduction, then from cross-references.

    A paragraph without items may re-position items of another paragraph: "Mongolia considers that
    recommendations nos. 84.5, 84.19 … have already been implemented" or, in older reports,
    "Bolivia considers that recommendations Nos. 1, 2, 3 … are already implemented" (items of the
    paragraph above), "The above recommendations from 126.1. to 126.15. cannot enjoy the support".
    """
    positions: dict[str, str] = {}
    known = {item.number for group in groups for item in group.items}
    previous: Group | None = None
    for group in groups:
        intro = " ".join(text[group.text_start : group.intro_end].split())
        position = classify(intro)
        if group.items:
            if position:
                positions.update((item.number, position) for item in group.items)
            previous = group
            continue
        if position:
            for number in referenced_items(intro, previous):
                if number in known:
                    positions[number] = position
    return positions


def referenced_items(text: str, previous: Group | None) -> list[str]:
    """Item numbers a paragraph refers to: `84.5`, `from 126.1. to 126.15.`, `Nos. 1, 2` (of `previous`)."""
    numbers = REFERENCE_IDS.findall(text)
    for match in REFERENCE_RANGE.finditer(text):
        numbers += [f"{match.group(1)}.{n}" for n in range(int(match.group(2)), int(match.group(3)) + 1)]
    if previous is not None:
        for match in REFERENCE_NUMBERS.finditer(text):
            numbers += [f"{previous.number}.{n}" for n in re.findall(r"\d{1,3}", match.group(1))]
    return numbers


def infer_state(text: str, groups: list[Group], names: StateNames) -> list[str]:
    """The State under review, read from the groups' introductions ("… enjoy the support of Ghana")."""
    for group in groups:
        for match in STATE_AFTER_PHRASE.finditer(text, group.text_start, group.intro_end):
            code = names.resolve(match.group(1))
            if code:
                return [code]
    return []


def split_item(text: str, item: Item, names: StateNames) -> list[RecommendationRecord]:
    """The recommendations of one item, each ending with its parenthesised recommending States.

    A list of States closes a recommendation when a `;`, `.`, "and" or the end of the item follows it
    (a footnote mark in between is skipped: `(China)1;`); consecutive lists are one attribution
    (`(France) (Lithuania);`). Text after the last attribution (a footnote, a State's comment) is
    dropped, and so is a later part that closes a quotation it never opened: the end of a footnote
    quoting the recommendation "as read out", carried over to the next page. An item with no list
    of States at all is kept whole, with a low score.
    """
    records: list[RecommendationRecord] = []
    cursor = index = item.text_start
    while (opening := text.find("(", index, item.end)) >= 0:
        close = closing_bracket(text, opening, item.end)
        if close < 0:
            break
        states, index = attribution(text, opening, close, item.end, names)
        if states:
            if cursor == item.text_start or not closes_quotation(text[cursor:opening]):
                records.append(make_record(text, item, cursor, opening, states, item.score))
            cursor = index
    if not records or text[cursor : item.end].strip():
        tail = final_attribution(text, item, cursor, names)
        if tail is not None:
            records.append(tail)
    return [record for record in records if record.text]


def attribution(text: str, opening: int, close: int, end: int, names: StateNames) -> tuple[list[str], int]:
    """The States of the lists from `opening` if they close a recommendation, and where to go on.

    `(Slovakia, Spain);`, `(Denmark) and continue …` and `(France) (Lithuania)` followed by the
    item's end close one; `(CAT)` or `(Austria, Belgium), signed by Chile in 1999 (Spain);` do not
    (no States, or the sentence goes on), and the search resumes after them.
    """
    states: list[str] = []
    while (codes := names.parse_list(text[opening : close + 1])) is not None:
        states += [code for code in codes if code not in states]
        following = text[AFTER_STATES.match(text, close + 1, end).end() : end].lstrip()
        position = end - len(following)
        if not following:
            return states, end
        if following[0] in ";.":
            return states, position + 1
        if NEXT_PART.match(following):
            return states, position
        if following[0] != "(" or (close := closing_bracket(text, position, end)) < 0:
            break
        opening = position
    return [], close + 1


def final_attribution(text: str, item: Item, cursor: int, names: StateNames) -> RecommendationRecord | None:
    """The last part of an item whose closing parentheses are only partly States, or hold none."""
    tail = text[cursor : item.end].rstrip().rstrip(";.,").rstrip()
    closing = cursor + len(tail) - 1
    if tail.endswith(")"):
        opening = opening_bracket(text, closing, cursor)
        codes = names.split_list(text[opening : closing + 1]) if opening >= 0 else []
        if codes:
            return make_record(text, item, cursor, opening, codes, min(item.score or 1.0, SCORE_PARTIAL_STATES))
    if cursor > item.text_start:
        return None
    return make_record(text, item, cursor, cursor + len(tail), [], SCORE_NO_STATES)


def make_record(
    text: str, item: Item, start: int, end: int, states: list[str], score: float | None
) -> RecommendationRecord:
    """A record for the text between `start` and `end`, trimmed of spaces and separators."""
    span = text[start:end]
    lead = len(span) - len(span.lstrip(" \t\r\n\u00a0;,."))
    trail = len(span.rstrip(" \t\r\n\u00a0;,:"))
    return RecommendationRecord(
        paragraph=item.number,
        text=" ".join(span[lead:trail].split()),
        start=start + lead,
        end=start + max(trail, lead),
        rule=RULE,
        recommending_states=states,
        addressees=["state"],
        score=score,
    )


class UprReportExtractor:
    """UPR Working Group reports: recommendations, who made them and the position of the State under review."""

    kinds = ("upr-working-group-report",)

    def extract(self, document: DocumentText, info: DocumentInfo, tools: Tools) -> Extraction:
        return Extraction(recommendations=extract_upr_recommendations(document, info, names=tools.names))
