"""States' responses to UPR recommendations in the addendum to the Working Group report.

The addendum (`…/Add.1`, "Views on conclusions and/or recommendations, voluntary commitments and
replies presented by the State under review") answers the recommendations the State left to be
examined, in tables or in prose. Current addenda cite the report's numbers:

    Accepted recommendations
    3. The Government accepts the following recommendations 122.1, 122.12, 122.17-18, …
    Accepted recommendations that Slovenia considers already implemented or in the process …
    4. The Government accepts the following recommendations 122.11, 122.14-16, …
    122.14– 15   Slovenia considers these recommendations implemented. …   (a comment: no new position)
    Noted recommendations
    5. For the time being, the Government notes recommendations 122.2-10, 122.13, …
    116.5: Rejected.   /   116.5 | Accepted | …   /   Recommendations 116.12 and 116.20 enjoy the support of …

Older ones cite only the item number within the report's paragraph (`accepts the recommendations
1–5, 14–16`, `Rec. 18 We consider …`), or answer each recommendation in the paragraph of the same
number (`2. Slovenia accepts the recommendation.`, `5., 6., 7. … accepts these recommendations.`);
those numbers are returned bare ("18"), or as "115.18" when the caller names the report paragraph.

Each number cited (ranges expanded: `122.17-18`, `116.5-116.9`, `140.82-85, 87`) takes the position
of the statement that cites it; a number that opens a sentence (a comment's or a table row's head)
takes a position printed right after it, else that of the statement before; a cross-reference
("See recommendation 122.72") takes none. A number both supported and noted is partially supported.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ingest.extract.base import Extraction, NameResolver, Tools
from ingest.extract.layout import collapse, split_sentences, starts_line
from ingest.records import DocumentError, DocumentInfo, DocumentText, ResponseRecord

ADDENDUM_RULE = "mwg.responses.upr-addendum.v1"
MIN_PREFIX = 20  # recommendation paragraphs of a Working Group report are numbered well past 20
MAX_RANGE = 150  # a range wider than this is a misreading, not a list of recommendations

# Position cues, most specific first: negation before support, part before whole.
POSITION_CUES = (
    ("partially-supported", r"partially\s+(?:accept|support)\w*|(?:accept|support)\w*\s+(?:in\s+part|partially)"
     r"|partly\s+(?:accept|support)\w*|in\s+part\b"),
    ("noted", r"takes?\s+note|took\s+note|\bnotes?\s+(?:the\s+)?(?:following\s+|these\s+|this\s+)?recommendations?\b"
     r"|\bnoted\b(?!\s+that)|do(?:es)?\s+not\s+(?:accept|support|enjoy)|did\s+not\s+enjoy"
     r"|not\s+(?:accepted|supported)|cannot\s+(?:accept|support)|unable\s+to\s+(?:accept|support)|\breject\w*"),
    ("already-implemented", r"already\s+(?:been\s+)?implemented|in\s+the\s+process\s+of\s+(?:being\s+)?implement\w*"),
    ("supported", r"\b(?:accepts|accepted|supports|supported|agrees?)\b|enjoys?\s+the\s+support|\baccept\b"),
    ("to-be-examined", r"will\s+be\s+examined|under\s+consideration|\bpending\b"),
)
CUE_PATTERNS = tuple((key, re.compile(words, re.IGNORECASE)) for key, words in POSITION_CUES)
SUPPORTING = {"supported", "already-implemented", "partially-supported"}
# `122.17`, `122.17-18`, `116.5-116.9`, `122.62-\n66`, `122.14– 15`.
REFERENCE = re.compile(
    r"(?<![\w./])(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)(?:\s*[-–—]\s*(?:(\d{1,3})\.)?(\d{1,3})(?![\d.]\d))?"
)
# After a reference: `, 87` or ` and 87` continues the same paragraph (`140.82-85, 87`).
BARE_CONTINUATION = re.compile(r"\s*(?:,|and|&)\s*(\d{1,3})(?![\d]|\.\d)(?!\s*(?:per\s+cent|%|years?))")
RUN_SEPARATOR = re.compile(r"[ \t\n,.;&]*(?:\band\b[ \t\n]*)?")  # between numbers of one run: no word but "and"
# Item numbers after the word: `recommendations 1–5, 14–16, 20`, `Rec. 18`, `Recs. 94-103`.
BARE_LIST = re.compile(
    r"\b(?:recommendations?|recs?\.)[ \t]*(?:Nos?\.[ \t]*)?"
    r"(?P<list>\d{1,3}(?:\s*[-–—]\s*\d{1,3})?(?:\s*(?:,|and|&)\s*\d{1,3}(?:\s*[-–—]\s*\d{1,3})?)*)(?![\d.]\d)",
    re.IGNORECASE,
)
BARE_ITEM = re.compile(r"(\d{1,3})(?:\s*[-–—]\s*(\d{1,3}))?")
# Paragraph numbers that may answer the recommendations of the same numbers: `2.`, `5., 6., 7.,`.
NUMBER_LIST = re.compile(r"(?<![\w./,])\d{1,3}\.(?:[ \t]*,[ \t]*\d{1,3}\.)*(?![\d])[ \t]*,?")
DEMONSTRATIVE = re.compile(r"\b(?:the|this|these|those|both|such)\s+recommendations?\b", re.IGNORECASE)
SHORT_CLAUSE_WORDS = 8  # `116.5 do not enjoy the support of Peru`: a position, not a comment
CROSS_REFERENCE = re.compile(
    r"\b(?:see|cf\.?|in\s+line\s+with|as\s+in|refer\w*\s+to|mentioned\s+in|under)\s+(?:also\s+)?(?:the\s+)?"
    r"(?:recommendations?|paras?\.?|paragraphs?)?\s*$",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r"[:;]|(?<![\w./])\d{1,3}\.\d{1,3}\b")  # what follows a run up to here still qualifies it
BLANK_LINE = re.compile(r"\n[ \t]*\n")
TABLE_POSITION = re.compile(
    r"\b(?:accepted|supported|noted|rejected|partially|already\s+implemented|not\s+accepted)\b", re.IGNORECASE
)
TITLE_STATE = re.compile(r"Universal\s+Periodic\s+Review\W*\s+(?P<name>[^\n]+?)\s*\n\s*Addendum", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    """A recommendation number cited in the addendum, where it is, and the position given to it."""

    paragraph: str
    start: int
    end: int
    position: str
    explicit: bool  # stated for this number, not inherited from the statement before a comment


def read_position(text: str) -> str | None:
    """The position a phrase states: `The Government accepts …` -> supported; `notes` -> noted."""
    flat = collapse(text)
    found = [key for key, pattern in CUE_PATTERNS if pattern.search(flat)]
    if "already-implemented" in found and "noted" not in found:
        return "already-implemented"
    return found[0] if found else None


@dataclass(frozen=True)
class Run:
    """Recommendation numbers cited one after another (`122.1, 122.12, 122.17-18,\n122.22`)."""

    numbers: tuple[tuple[str, int, int], ...]  # (number, start, end of the reference that cites it)
    start: int
    end: int


def expand(first: int, last: int) -> range:
    """`17-18` -> 17, 18; a range wider than MAX_RANGE or backwards is a misreading: its first number."""
    return range(first, (last if first <= last <= first + MAX_RANGE else first) + 1)


def find_prefixed_runs(text: str) -> list[Run]:
    """Runs of numbers such as `122.17`, ranges expanded; a blank line or any word but "and" ends a run."""
    runs: list[tuple[list[tuple[str, int, int]], int, int]] = []
    for match in REFERENCE.finditer(text):
        prefix, first = int(match.group(1)), int(match.group(2))
        if prefix < MIN_PREFIX or (match.group(3) and int(match.group(3)) != prefix):
            continue
        span = expand(first, int(match.group(4)) if match.group(4) else first)
        numbers = [(f"{prefix}.{n}", match.start(), match.end()) for n in span]
        stop, last = match.end(), span[-1]
        for more in iter(lambda: BARE_CONTINUATION.match(text, stop), None):
            if int(more.group(1)) <= last:
                break
            last = int(more.group(1))
            numbers.append((f"{prefix}.{last}", more.start(1), more.end(1)))
            stop = more.end()
        between = text[runs[-1][2] : match.start()] if runs else None
        if between is not None and RUN_SEPARATOR.fullmatch(between) and not BLANK_LINE.search(between):
            runs[-1][0].extend(numbers)
            runs[-1] = (runs[-1][0], runs[-1][1], stop)
        else:
            runs.append((numbers, match.start(), stop))
    return [Run(tuple(numbers), start, end) for numbers, start, end in runs]


def find_bare_runs(text: str) -> list[Run]:
    """Item numbers named after the word: `recommendations 1–5, 14`, `Rec. 18` (the run starts at the word)."""
    runs = []
    for match in BARE_LIST.finditer(text):
        numbers = []
        for item in BARE_ITEM.finditer(text, match.start("list"), match.end("list")):
            first = int(item.group(1))
            numbers += [(str(n), item.start(), item.end()) for n in expand(first, int(item.group(2) or first))]
        runs.append(Run(tuple(numbers), match.start(), match.end()))
    return runs


def find_line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def read_opening_position(text: str, run: Run) -> str | None:
    """The position printed after numbers that open a sentence: `116.5: Noted`, `116.5 | Accepted | …`,
    `116.4 Ratify … (France) Rejected` (a table row), `Recommendations 5-9 do not enjoy the support …`."""
    rest = text[run.end : find_line_end(text, run.end)]
    first_words = re.match(r"[\s:|–—-]*(\w+(?:[ \t]+\w+){0,2})", rest)
    last_words = re.search(r"(\w+(?:[ \t]+\w+)?)\W*$", rest) if len(rest) <= 200 else None
    for words in (first_words, last_words):
        if words and TABLE_POSITION.match(words.group(1)):
            return read_position(words.group(1))
    clause = re.match(r"[^.;\n]*", text[run.end :]).group(0)
    return read_position(clause) if len(clause.split()) <= SHORT_CLAUSE_WORDS else None


def cite_runs(text: str, runs: list[Run]) -> list[Citation]:
    """Positions of the numbers in `runs`, read from the statements around them, in document order.

    A run after a statement (`The Government accepts the following recommendations …`) takes the
    statement's position, which also becomes the position of the comments that follow; a run that
    opens a sentence takes a position printed right after it, else that of the last statement.
    """
    sentences = split_sentences(text, 0, len(text))
    run_starts = [run.start for run in runs]
    events = [(start, "sentence", (start, end)) for start, end in sentences] + [(r.start, "run", r) for r in runs]
    events.sort(key=lambda event: event[0])  # stable: a sentence comes before a run that opens it
    citations: list[Citation] = []
    current: str | None = None
    sentence, boundary = (0, len(text)), 0
    for _, kind, value in events:
        if kind == "sentence":
            sentence, boundary = value, value[0]
            following = bisect.bisect_left(run_starts, value[0])
            has_runs = following < len(runs) and runs[following].start < value[1]
            stated = read_position(text[value[0] : value[1]])
            if stated and not has_runs and len(text[value[0] : value[1]].split()) <= 15:
                current = stated  # a heading such as "Noted recommendations"
            continue
        run = value
        lead = text[boundary : run.start]
        boundary = run.end
        if not lead.strip() or re.search(r"[.!?]\s*$", lead):
            position = read_opening_position(text, run)
            if position or current:
                citations += [Citation(n, s, e, position or current, bool(position)) for n, s, e in run.numbers]
            continue
        if CROSS_REFERENCE.search(lead):
            continue
        clause = CLAUSE_END.search(text, run.end, sentence[1])
        stated = read_position(lead + " " + text[run.end : clause.start() if clause else sentence[1]])
        if stated:
            if current == "already-implemented" and stated == "supported":
                stated = "already-implemented"
            current = stated
            citations += [Citation(n, s, e, stated, True) for n, s, e in run.numbers]
    return citations


def find_numbered_answers(text: str) -> list[Citation]:
    """`2. Slovenia accepts the recommendation.`, `5., 6. … accepts these recommendations.`: the
    paragraph's numbers are the recommendations it answers, when its first sentence states a
    position on "the/this/these recommendation(s)" and cites no number itself.

    A list of numbers that opens no sentence (`… the\n83., 85., 86. decision by …`, `43., 44.` on
    a line of its own) is the numbers column of that answer wrapped onto the next line: it shares
    the answer's position.
    """
    citations: list[Citation] = []
    position = None
    for match in NUMBER_LIST.finditer(text):
        after = text[match.end() : match.end() + 2]
        opens = bool(after) and after.lstrip(" \t")[:1].isupper() and (
            starts_line(text, match.start()) or re.search(r"[.!?]\s+$", text[max(0, match.start() - 4) : match.start()])
        )
        if opens:
            spans = split_sentences(text, match.end(), min(len(text), match.end() + 600))
            first = text[spans[0][0] : spans[0][1]] if spans else ""
            position = read_position(first) if DEMONSTRATIVE.search(first) and not BARE_LIST.search(first) else None
        elif match.group(0).count(".") < 2:
            continue
        if position:
            for number in re.finditer(r"\d{1,3}", match.group(0)):
                start = match.start() + number.start()
                citations.append(Citation(number.group(0), start, start + len(number.group(0)), position, True))
    return citations


def find_citations(text: str) -> list[Citation]:
    """Every recommendation number cited, with its position: the report's numbers (`122.17`) when
    the addendum uses them, else the item numbers of the older layouts."""
    prefixed = cite_runs(text, find_prefixed_runs(text))
    return prefixed or cite_runs(text, find_bare_runs(text)) + find_numbered_answers(text)


def merge_positions(citations: list[Citation]) -> dict[str, tuple[str, Citation]]:
    """One position per number: stated ones over inherited; support and noting together -> partial."""
    merged: dict[str, tuple[str, Citation]] = {}
    for number in dict.fromkeys(c.paragraph for c in citations):
        own = [c for c in citations if c.paragraph == number]
        chosen = [c for c in own if c.explicit] or own
        positions = {c.position for c in chosen}
        if positions & SUPPORTING and "noted" in positions:
            position = "partially-supported"
        elif "already-implemented" in positions:
            position = "already-implemented"
        else:
            position = chosen[0].position
        merged[number] = (position, chosen[0])
    return merged


def find_respondent(document: DocumentText, info: DocumentInfo, names: NameResolver) -> str:
    """`info.state`, or the State named in the title (`Universal Periodic Review* / Slovenia / Addendum`)."""
    if info.state:
        return info.state
    title = TITLE_STATE.search(document.text[:5000])
    state = names.resolve(title.group("name").strip(" *")) if title else None
    if not state:
        raise DocumentError(
            "cannot tell which State under review answers in this addendum: the document info names no State "
            "and the title does not either"
        )
    return state


def derive_report_symbol(symbol: str | None) -> str | None:
    """`A/HRC/43/15/Add.1` (or `…/Add.1/Corr.1`) -> `A/HRC/43/15`: the report whose recommendations
    the addendum answers.

    >>> derive_report_symbol("A/HRC/22/15/Add.1/Corr.1"), derive_report_symbol("A/HRC/22/15")
    ('A/HRC/22/15', None)
    """
    if symbol and "/Add." in symbol:
        return symbol.split("/Add.")[0]
    return None


def extract_addendum_responses(
    document: DocumentText, info: DocumentInfo, *, names: NameResolver, report_paragraph: str | None = None
) -> list[ResponseRecord]:
    """The State's position on each recommendation its UPR addendum cites, in order of first citation.

    Positions: supported, already-implemented (a kind of support), partially-supported, noted
    (also "rejected", "does not enjoy the support"). `start`/`end` locate the citation that decided.
    An older addendum cites item numbers only ("18"); `report_paragraph` ("115", the report's
    paragraph listing the recommendations left to be examined) turns them into "115.18".
    """
    respondent = find_respondent(document, info, names)
    symbol = derive_report_symbol(info.symbol)
    responses = []
    for number, (position, citation) in merge_positions(find_citations(document.text)).items():
        if report_paragraph and "." not in number:
            number = f"{report_paragraph}.{number}"
        responses.append(
            ResponseRecord(
                recommendation_paragraph=number,
                position=position,
                respondent=respondent,
                rule=ADDENDUM_RULE,
                recommendation_symbol=symbol,
                start=citation.start,
                end=citation.end,
            )
        )
    return responses


class UprAddendumExtractor:
    """The State's responses in the addendum (`…/Add.1`) to its UPR Working Group report."""

    kinds = ("upr-addendum",)

    def extract(self, document: DocumentText, info: DocumentInfo, tools: Tools) -> Extraction:
        return Extraction(responses=extract_addendum_responses(document, info, names=tools.names))
