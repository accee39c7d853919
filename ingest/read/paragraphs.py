"""Find the numbered paragraphs of a UN document in its normalised text.

UN documents number their paragraphs `1.`, `2.`, …; UPR reports number recommendations under a
paragraph of the conclusions, either `116.113.` / `115.1` (from 2010) or as a list restarting at
`1.` inside the paragraph (2008–2009, cited as `83.1`); treaty bodies letter sub-items `(a)`,
`(b)` (cited as `25(a)`). A number opens a paragraph when it starts a line, or follows the end of a
sentence when line breaks were lost (`… compensation. 8. Slovenia stated …`), or follows a run-in
heading (`… Presentation by the State under review 5. The delegation …`) when it continues the
numbering exactly.

Numbers that merely look like openings (a year `2012.`, `Convention No. 169.`, `para. 12`,
`resolution 16/21`, an abbreviations list numbered before the text) are told apart by sequence:
candidates are chained by +1 steps, and the longest chains win.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ingest.read.abbreviations import ABBREVIATIONS, ABBREVIATIONS_BEFORE_NUMBERS, REFERENCE_WORDS
from ingest.records import Paragraph


_NUMBER = re.compile(r"(?<![\w./\-–])(\d{1,3})\.(?:(\d{1,3})(?:\.(?!\d))?)?(?=\s)")
_LETTER = re.compile(r"(?<![\w(])\(([a-z]{1,4})\)(?=\s)")
_SENTENCE_END = re.compile(r"(?:^|[^\w])(\w*)[.;:!?][\"'”’)\]*]*\s+$")
# What a number after these words belongs to: a reference, or (prepositions) the sentence going on.
_CITING_WORDS = ABBREVIATIONS_BEFORE_NUMBERS | REFERENCE_WORDS | frozenset("of and or to in on at by from".split())
_HEADING = re.compile(r"^(?:(?:[IVXL]{1,6}|[A-H])\.\s+[A-Z]|[A-Z][^.;:,]{0,99}$)")
_INLINE_HEADING = re.compile(r"(?<=[.;:]\s)(?:[IVX]{1,5})\.\s+(?=[A-Z][a-z])")
_ROMAN = frozenset("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv".split())


@dataclass
class _Candidate:
    start: int
    major: int
    minor: int | None
    line_initial: bool
    weak: bool = False  # mid-line after a word, not a sentence end: `… peoples 18. For decades`
    after_colon: bool = False  # `… enjoy the support of Brazil: 1. Continue …`

    @property
    def opens_list(self) -> bool:
        """Can this be the first item of a list (at a line start, or after a colon)?"""
        return self.line_initial or self.after_colon


@dataclass
class _Run:
    """A chain of paragraph numbers, with the lists restarting at 1 nested in its paragraphs."""

    tops: list[_Candidate] = field(default_factory=list)
    nested: list[tuple[int, _Candidate]] = field(default_factory=list)  # (parent number, item)
    nested_parent: int | None = None

    @property
    def last(self) -> int:
        return self.tops[-1].major

    def size(self) -> int:
        return len(self.tops) + len(self.nested)


def segment(text: str) -> list[Paragraph]:
    """The numbered paragraphs of `text`, in order, parents before their items.

    A paragraph's span runs from its number to the next paragraph of the same or a higher level,
    a heading, or the end of the text, so `25` contains `25(a)` and `116` contains `116.1`.

    >>> [p.number for p in segment("1. Intro.\\n2. The Committee recommends:\\n(a) Adopt a law;\\n(b) Consult.")]
    ['1', '2', '2(a)', '2(b)']
    """
    headings = _heading_starts(text)
    numbers = list(_number_candidates(text))
    tops, nested = _choose_runs([c for c in numbers if c.minor is None], headings)
    spans: list[tuple[str, int, int, int]] = []  # number, start, end, depth
    top_spans = _spans([(str(c.major), c.start) for c in tops], headings, len(text))
    spans += [(number, start, end, 0) for number, start, end in top_spans]
    items = nested + _sub_items([c for c in numbers if c.minor is not None], top_spans, headings)
    for parent, start, end in top_spans:
        children = sorted((start_, f"{parent}.{n}") for p, n, start_ in items if str(p) == parent and start <= start_ < end)
        child_spans = _spans([(number, s) for s, number in children], headings, end)
        spans += [(number, s, e, 1) for number, s, e in child_spans]
    spans += _letter_items(text, spans)
    spans.sort(key=lambda span: (span[1], span[3]))
    return [Paragraph(number, start, _trim_end(text, start, end)) for number, start, end, _ in spans]


def _number_candidates(text: str):
    """Numbers at a line start, or after a sentence end and before a capital (when breaks were lost)."""
    for match in _NUMBER.finditer(text):
        start = match.start()
        line_initial = not text[text.rfind("\n", 0, start) + 1 : start].strip()
        following = text[match.end() : match.end() + 4].split("\n", 1)[0].lstrip()[:1]
        if not following or following == "%" or (following.isdigit() and not line_initial):
            continue
        capital = following.isupper() or following in "“\"‘'(«¿¡"
        weak = False
        if not line_initial and not (capital and _after_sentence(text, start)):
            if not capital or not _after_heading_word(text, start):
                continue
            weak = True
        minor = int(match.group(2)) if match.group(2) else None
        after_colon = bool(re.search(r":\s+$", text[max(0, start - 3) : start]))
        yield _Candidate(start, int(match.group(1)), minor, line_initial, weak, after_colon)


def _after_sentence(text: str, start: int) -> bool:
    match = _SENTENCE_END.search(text[max(0, start - 40) : start])
    return bool(match) and match.group(1).lower() not in ABBREVIATIONS


def _after_heading_word(text: str, start: int) -> bool:
    """After a word that may end a run-in heading (`… indigenous peoples 18. For`), not one that
    takes a number (`article 8. The`, `resolution 16/21`, `para. 12`)."""
    match = re.search(r"([A-Za-z]+)\**\s+$", text[max(0, start - 40) : start])
    return bool(match) and match.group(1).lower() not in _CITING_WORDS


def _heading_starts(text: str) -> list[int]:
    """Where headings start: `II. Conclusions …`, `A. Presentation …`, short title lines, `Annex`."""
    starts, offset = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and _HEADING.match(stripped) and not _NUMBER.match(stripped):
            starts.append(offset)
        offset += len(line) + 1
    starts += [match.start() for match in _INLINE_HEADING.finditer(text)]
    return sorted(starts)


def _choose_runs(candidates: list[_Candidate], headings: list[int]) -> tuple[list[_Candidate], list[tuple[int, int, int]]]:
    """Chain the top-level candidates into runs, then keep the longest runs whose numbers do not clash."""
    runs: list[_Run] = []
    for candidate in candidates:
        fits = [(rank, -run.size(), -index, run) for index, run in enumerate(runs)
                if (rank := _fit(run, candidate, headings)) is not None]
        if fits:
            rank, _, _, run = min(fits, key=lambda fit: fit[:3])
            _extend(run, candidate, rank)
        elif not candidate.weak or candidate.major == 1:
            runs.append(_Run(tops=[candidate]))
    tops: list[_Candidate] = []
    nested: list[tuple[int, int, int]] = []
    for run in sorted(runs, key=lambda run: -run.size()):
        if run.size() == 1 and not run.tops[0].line_initial:
            continue  # a lone number inside a sentence
        if not _consistent(run.tops, tops):
            continue
        tops = sorted(tops + run.tops, key=lambda c: c.start)
        nested += [(parent, item.major, item.start) for parent, item in run.nested]
    return tops, nested


def _consistent(run: list[_Candidate], chosen: list[_Candidate]) -> bool:
    """Can `run` join the chosen paragraphs with numbers still rising through the text?"""
    starts = [c.start for c in chosen]
    for candidate in run:
        index = bisect.bisect_left(starts, candidate.start)
        if index and chosen[index - 1].major >= candidate.major:
            return False
        if index < len(chosen) and chosen[index].major <= candidate.major:
            return False
    return True


def _fit(run: _Run, candidate: _Candidate, headings: list[int]) -> int | None:
    """How well `candidate` continues `run`: 0 exactly, 1 as a nested list's first item, 2 after a
    gap. A weak candidate only ever continues a run exactly."""
    number = candidate.major
    if run.nested_parent is not None and number == run.nested[-1][1].major + 1:
        return 0
    if number == run.last + 1:
        return 0
    if candidate.weak:
        return None
    if (
        number == 1
        and run.nested_parent is None
        and candidate.opens_list
        and not _between(headings, run.tops[-1].start, candidate.start)
    ):
        return 1
    if run.last + 2 <= number <= run.last + 3 and candidate.line_initial:
        return 2
    return None


def _extend(run: _Run, candidate: _Candidate, rank: int) -> None:
    nested_next = run.nested_parent is not None and candidate.major == run.nested[-1][1].major + 1
    if rank == 1:
        run.nested_parent = run.last
        run.nested.append((run.last, candidate))
    elif rank == 0 and nested_next:
        run.nested.append((run.nested_parent, candidate))
    else:
        run.nested_parent = None
        run.tops.append(candidate)


def _between(starts: list[int], low: int, high: int) -> bool:
    index = bisect.bisect_right(starts, low)
    return index < len(starts) and starts[index] < high


def _sub_items(candidates: list[_Candidate], top_spans, headings) -> list[tuple[int, int, int]]:
    """UPR items `116.1`, `116.2`, …: chains rising by 1 (or 2, past a lost number) inside their
    paragraph (`116`), or anywhere when the paragraph itself is not in the text (an excerpt)."""
    present = {int(number): (start, end) for number, start, end in top_spans}
    by_parent: dict[int, list[list[_Candidate]]] = {}
    for candidate in candidates:
        span = present.get(candidate.major)
        if span and not span[0] < candidate.start < span[1]:
            continue
        chains = by_parent.setdefault(candidate.major, [])
        for chain in chains:
            if 1 <= candidate.minor - chain[-1].minor <= 2:
                chain.append(candidate)
                break
        else:
            chains.append([candidate])
    items = []
    for parent, chains in by_parent.items():
        taken: set[int] = set()
        for chain in sorted(chains, key=len, reverse=True):
            minors = {c.minor for c in chain}
            if minors & taken or not _enough(chain, parent_present=parent in present):
                continue
            taken |= minors
            items += [(parent, c.minor, c.start) for c in chain]
    return items


def _enough(chain: list[_Candidate], *, parent_present: bool) -> bool:
    """Two items under a paragraph of the text, or its lone first item opening a list; three
    items when the paragraph is missing (an excerpt)."""
    if parent_present:
        return len(chain) >= 2 or (chain[0].minor == 1 and chain[0].opens_list)
    return len(chain) >= 3


def _spans(openings: list[tuple[str, int]], headings: list[int], limit: int) -> list[tuple[str, int, int]]:
    """Each opening runs to the next opening, the next heading, or `limit`."""
    spans = []
    for index, (number, start) in enumerate(openings):
        end = openings[index + 1][1] if index + 1 < len(openings) else limit
        heading = bisect.bisect_right(headings, start)
        if heading < len(headings) and headings[heading] < end:
            end = headings[heading]
        spans.append((number, start, end))
    return spans


def _letter_items(text: str, spans: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
    """Lettered items `(a)`, `(b)`, … of the innermost numbered paragraph that holds them."""
    found: dict[tuple[str, int, int], list[tuple[int, int]]] = {}
    for match in _LETTER.finditer(text):
        start = match.start()
        line_initial = not text[text.rfind("\n", 0, start) + 1 : start].strip()
        if not line_initial and not re.search(r"[:;.]\s+$", text[max(0, start - 4) : start]):
            continue
        holders = [span for span in spans if span[1] < start < span[2]]
        if not holders:
            continue
        holder = max(holders, key=lambda span: (span[3], span[1]))
        found.setdefault((holder[0], holder[2], holder[3]), []).append((_letter_value(match.group(1)), start))
    items = []
    for (parent, parent_end, depth), letters in found.items():
        expected, chain = 1, []
        for value, start in letters:
            if value == expected or (value == expected + 1 and chain):
                chain.append((value, start))
                expected = value + 1
        openings = [(f"{parent}({_letter_name(value)})", start) for value, start in chain]
        items += [(number, s, e, depth + 1) for number, s, e in _spans(openings, [], parent_end)]
    return items


def _letter_value(letters: str) -> int:
    """`a` -> 1, `z` -> 26, `aa` -> 27; a Roman numeral other than i, v, x is 0 (not a letter)."""
    if len(letters) == 1:
        return ord(letters) - ord("a") + 1
    if len(set(letters)) == 1 and letters not in _ROMAN:
        return 26 * (len(letters) - 1) + ord(letters[0]) - ord("a") + 1
    return 0


def _letter_name(value: int) -> str:
    repeat, index = divmod(value - 1, 26)
    return chr(ord("a") + index) * (repeat + 1)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
