"""Recommendations of Special Procedures reports: country visits and thematic reports.

A Special Rapporteur or Working Group puts its recommendations in a closing section, "Conclusions
and recommendations" or "Recommendations" ("Conclusiones y recomendaciones", "Recommandations"),
often grouped under sub-headings that say whom they address:

    IX. Conclusions and recommendations
    69. As a result of extractive activities … (a conclusion: no record)
    72. … the Special Rapporteur wishes to put forward the following recommendations: …
    B. Recommendations to the Government          -> addressees ["state"]
    80. Adopt …                                   -> record "80"
    To business enterprises                       -> addressees ["companies"]
    (a) Carry out human rights due diligence …    -> record "81(a)"

Inside the section every numbered paragraph, sub-item and bullet after the first recommendations
heading (or after a paragraph announcing "the following recommendations") is a recommendation;
before that, only sentences that recommend in words ("The Special Rapporteur urges …", "… should …").
Without such a section (an excerpt, a summary) only explicit recommending sentences and sub-items that
recommend count, with a lower score. Where no heading names the addressee it is inferred from the
wording ("the Government must …" -> state; "insta al Gobierno y … las empresas" -> state, companies),
else it is the State visited (or, in thematic reports, States in general), with a score below 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.extract.base import Extraction, Tools
from ingest.extract.layout import (
    Block,
    Group,
    Heading,
    Layout,
    collapse,
    find_recommending_run,
    governs_items,
    make_record,
    read_layout,
    split_sentences,
)
from ingest.extract.wording import explicitly_recommends
from ingest.records import DocumentInfo, DocumentText, RecommendationRecord

RULE = "mwg.recommendations.special-procedures.v1"
SCORE_WORDING = 0.8  # the addressee was read from the recommendation's own words
SCORE_DEFAULT = 0.5  # nothing names the addressee: the State visited (or States) is assumed
SCORE_NO_SECTION = 0.7  # no recommendations section: the recommendation was picked by its wording alone
SCORE_UNNUMBERED = 0.6  # the paragraph number is not in the text

SECTION_WORDS = (
    r"(?:(?:Conclusions?|Conclusiones|Observations\s+finales)\s+(?:and(?:/or)?|y|et)\s+)?"
    r"(?:Recommendations?|Recomendaciones|Recommandations)\b"
)
ENUMERATOR = r"(?:(?:[IVXLC]{1,5}|[A-Z]|\d{1,2})\.?\s*)?"
SECTION_HEADING = re.compile(rf"^{ENUMERATOR}{SECTION_WORDS}", re.IGNORECASE)
ADDRESSEE_HEADING = re.compile(
    rf"^{ENUMERATOR}(?:.*?\b(?:Recommendations?|Recomendaciones|Recommandations)\s+"
    r"(?:addressed\s+|dirigidas\s+|adressées\s+)?)?"
    r"(?:to|al|a\s+la|a\s+los|a\s+las|a|au|aux|à\s+la|à\s+l['’]|à)\s+(?P<who>.+)$",
    re.IGNORECASE,
)
TOP_HEADING = re.compile(r"^(?:[IVXLC]{1,5}\.\s*\S|(?:Annex|Annexes|Anexo|Anexos|Appendix)\b)")
ANNOUNCEMENT = re.compile(
    r"following\s+recommendations|recommendations\s+(?:below|as\s+follows)|makes?\s+the\s+following"
    r"|siguientes\s+recomendaciones|recomendaciones\s+siguientes|recommandations\s+suivantes",
    re.IGNORECASE,
)
MODAL = re.compile(
    r"\b(?:should|must|ought\s+to|shall)\b"
    r"|\bit\s+is\s+(?:also\s+|therefore\s+)?"
    r"(?:essential|necessary|imperative|important|crucial|urgent|vital|advisable)\b"
    r"|\b(?:debería|deberían|debe|deben|deberá|deberán)\b"
    r"|\bes\s+(?:también\s+)?(?:necesario|esencial|imprescindible|fundamental|urgente|importante)\b"
    r"|\b(?:devrait|devraient|doit|doivent)\b|\bil\s+(?:est|serait)\s+(?:nécessaire|essentiel|impératif|important)\b",
    re.IGNORECASE,
)
# Addressee groups and the words that name them, most specific first ("United Nations" before "State").
ADDRESSEE_WORDS = (
    ("national-human-rights-institution", r"national\s+human\s+rights\s+(?:institution|commission)s?"
     r"|Ombuds(?:man|person)"
     r"|Human\s+Rights\s+Commission|Defensoría|Defensor\s+del\s+Pueblo|Procurad(?:or|uría)\s+de\s+(?:los\s+)?Derechos"
     r"\s+Humanos|institution\s+nationale"),
    ("united-nations", r"United\s+Nations|UN\s+agencies|OHCHR|Naciones\s+Unidas|Nations\s+Unies"),
    ("international-community", r"international\s+community|donors?|international\s+financial\s+institutions"
     r"|comunidad\s+internacional|communauté\s+internationale"),
    ("companies", r"compan(?:y|ies)|business(?:es)?|enterprises?|corporations?|corporate\s+actors|private\s+sector"
     r"|investors?|industry|empresas?|compañías|sector\s+privado|entreprises?|sociétés"),
    ("indigenous-peoples", r"indigenous\s+(?:peoples?|communities|organizations|authorities)|pueblos\s+indígenas"
     r"|comunidades\s+indígenas|peuples\s+autochtones"),
    ("civil-society", r"civil\s+society|non-governmental\s+organizations|NGOs|sociedad\s+civil|société\s+civile"),
    ("states", r"States|Estados|États"),
    ("state", r"Government|State|authorities|Congress|Parliament|Legislature|judiciary|Ministr(?:y|ies)"
     r"|public\s+(?:institutions|authorities|officials|polic(?:y|ies))|official\s+polic(?:y|ies)|Gobierno|Estado"
     r"|autoridades|Congreso|Gouvernement|État|autorités"),
)
ADDRESSEE_PATTERNS = tuple((group, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for group, words in ADDRESSEE_WORDS)
OBJECT_AFTER_VERB = re.compile(
    r"\b(?:recommends?|urges?|calls?\s+(?:up)?on|encourages?|invites?|requests?|exhorts?|appeals?\s+to"
    r"|recomienda(?:n)?|insta(?:n)?|exhorta(?:n)?|alienta(?:n)?|pide(?:n)?|solicita(?:n)?|invita(?:n)?"
    r"|recommande(?:nt)?|exhorte(?:nt)?|engage(?:nt)?|prie(?:nt)?|encourage(?:nt)?)\b(?P<object>.{0,160})",
    re.IGNORECASE,
)
OBJECT_END = re.compile(r"\b(?:to|que|de)\s+\w+|\ba\s+\w+(?:ar|er|ir)\b|\bà\s+\w+(?:er|ir|re)\b|[.;:]")


def find_named_groups(words: str) -> list[str]:
    """Addressee groups named in a phrase, in the order named: `the Government and business enterprises`
    -> state, companies. The most specific words are read first (`United Nations` is not a State)."""
    found = []
    for group, pattern in ADDRESSEE_PATTERNS:
        first = pattern.search(words)
        if first:
            found.append((first.start(), group))
            words = pattern.sub(lambda match: " " * len(match.group(0)), words)
    return [group for _, group in sorted(found)]


def read_heading_addressees(heading: str) -> list[str]:
    """`Recommendations to the Government` -> ["state"]; `A las empresas` -> ["companies"]; else []."""
    match = ADDRESSEE_HEADING.match(heading)
    return find_named_groups(match.group("who")) if match else []


def read_worded_addressees(text: str) -> list[str]:
    """Whom a recommendation's words address: the object of `urges …`/`insta …`, the subject of `… should`."""
    found: list[str] = []
    for match in OBJECT_AFTER_VERB.finditer(text):
        phrase = match.group("object")
        end = OBJECT_END.search(phrase, 1)
        found += find_named_groups(phrase[: end.start()] if end else phrase)
    for match in MODAL.finditer(text):
        clause_start = max(text.rfind(mark, 0, match.start()) for mark in ".;:,(•")
        found += find_named_groups(text[clause_start + 1 : match.start()])
    return list(dict.fromkeys(found))


def recommends_in_report(sentence: str) -> bool:
    """A recommending sentence in a report: an explicit verb, or a modal (`should`, `must`, `debería`)."""
    return explicitly_recommends(sentence) or bool(MODAL.search(collapse(sentence)))


def find_section_start(headings: list[Heading]) -> int | None:
    """Offset of the first recommendations heading, or None."""
    offsets = [heading.start for heading in headings if SECTION_HEADING.match(heading.text)]
    return min(offsets) if offsets else None


def find_section_end(text: str, start: int, headings: list[Heading], blocks: tuple[Block, ...]) -> int:
    """Where the section ends: the next top-level heading that is not about recommendations, an annex,
    or a paragraph number lower than one already seen in the section (another document follows)."""
    end = len(text)
    for heading in headings:
        if heading.start > start and TOP_HEADING.match(heading.text) and not SECTION_HEADING.match(heading.text):
            end = heading.start
            break
    highest = 0
    for block in blocks:
        if start <= block.start < end and block.number:
            if int(block.number) < highest:
                return min(end, block.start)
            highest = int(block.number)
    return end


class Addressing:
    """Decides the addressees of each recommendation and the score that goes with them."""

    def __init__(self, info: DocumentInfo, headings: list[Heading], *, base_score: float | None):
        self.thematic = info.kind == "sp-thematic-report" or info.state is None
        self.state = info.state
        self.headed = [(heading.start, read_heading_addressees(heading.text)) for heading in headings]
        self.base_score = base_score

    def fields(self, span_start: int, text: str, *, numbered: bool, lead_in: str = "") -> dict:
        headed = [groups for offset, groups in self.headed if offset < span_start and groups]
        if headed:
            groups, score = headed[-1], None
        else:
            groups = read_worded_addressees(text) or read_worded_addressees(lead_in)
            score = SCORE_WORDING if groups else SCORE_DEFAULT
            groups = groups or ["states" if self.thematic else "state"]
        if self.thematic:
            groups = list(dict.fromkeys("states" if group == "state" else group for group in groups))
        scores = [s for s in (score, self.base_score, None if numbered else SCORE_UNNUMBERED) if s is not None]
        states = [self.state] if self.state and "state" in groups else []
        score = min(scores) if scores else None
        return {"rule": RULE, "addressees": groups, "addressed_states": states, "score": score}


def announces(text: str, group: Group) -> bool:
    """`… the Special Rapporteur wishes to put forward the following recommendations …`."""
    return bool(ANNOUNCEMENT.search(collapse(text[group.start : group.lead_end])))


def read_lead_in(text: str, group: Group) -> str:
    sentences = split_sentences(text, group.start, group.lead_end)
    return text[sentences[-1][0] : sentences[-1][1]] if sentences else ""


def extract_group(
    text: str,
    block: Block,
    group: Group,
    addressing: Addressing,
    *,
    wholesale: bool,
    runs: Callable[[str], bool],
    items: Callable[[str], bool],
) -> list[RecommendationRecord]:
    """Records of one group.

    `wholesale`: every sub-item, and a numbered paragraph's own text unless it only announces the
    recommendations, counts. Otherwise `runs` tells which lead-in sentences recommend and `items`
    which sub-items do.
    """
    records = []
    governed = bool(group.items) and (wholesale or announces(text, group) or governs_items(text, group, runs))
    lead_in = read_lead_in(text, group)
    if group.items:
        run = find_recommending_run(text, group.start, group.lead_end, explicitly_recommends, skip_last=governed)
    elif wholesale and block.number and not announces(text, group):
        run = (group.start, group.lead_end)
    else:
        run = find_recommending_run(text, group.start, group.lead_end, runs)
    if run:
        fields = addressing.fields(run[0], text[run[0] : run[1]], numbered=bool(block.number))
        records.append(make_record(text, run, block.label, **fields))
    for item in group.items:
        if governed or find_recommending_run(text, item.start, item.end, items):
            worded = text[item.start : item.end]
            fields = addressing.fields(item.start, worded, numbered=bool(block.number), lead_in=lead_in)
            records.append(make_record(text, (item.start, item.end), block.label + item.label, **fields))
    return records


def extract_without_section(text: str, layout: Layout, info: DocumentInfo) -> list[RecommendationRecord]:
    """An excerpt or a summary: sentences that recommend in so many words, and sub-items that recommend."""
    addressing = Addressing(info, list(layout.headings), base_score=SCORE_NO_SECTION)
    records = []
    for block in layout.blocks:
        for group in block.groups:
            records += extract_group(
                text, block, group, addressing, wholesale=False, runs=explicitly_recommends, items=recommends_in_report
            )
    return records


def extract_in_section(text: str, layout: Layout, info: DocumentInfo, start: int) -> list[RecommendationRecord]:
    """The recommendations section: wording decides until recommendations are announced, then all count."""
    end = find_section_end(text, start, list(layout.headings), layout.blocks)
    inside = [heading for heading in layout.headings if start <= heading.start < end]
    addressing = Addressing(info, inside, base_score=None)
    opening = [h.start for h in inside if SECTION_HEADING.match(h.text) and not re.search(r"conclu", h.text, re.I)]
    opening += [h.start for h in inside if read_heading_addressees(h.text)]
    started_at = min(opening) if opening else None
    records: list[RecommendationRecord] = []
    for block in layout.blocks:
        for group in (group for group in block.groups if start <= group.start < end):
            wholesale = started_at is not None and group.start > started_at
            records += extract_group(
                text,
                block,
                group,
                addressing,
                wholesale=wholesale,
                runs=recommends_in_report,
                items=recommends_in_report,
            )
            if started_at is None and announces(text, group):
                started_at = group.start
    return records


def extract_special_procedures_recommendations(
    document: DocumentText, info: DocumentInfo
) -> list[RecommendationRecord]:
    """Recommendations of a Special Procedures report, with their addressees.

    Country reports address `info.state` unless a heading or the wording says otherwise; thematic
    reports (kind `sp-thematic-report`, or no State) address States in general (`["states"]`, no
    addressed State). English, Spanish and French headings and phrasing are read.
    """
    layout = read_layout(document.text, strong_headings=SECTION_HEADING)
    start = find_section_start(list(layout.headings))
    if start is None:
        return extract_without_section(document.text, layout, info)
    return extract_in_section(document.text, layout, info, start)


class SpecialProceduresExtractor:
    """Country-visit and thematic reports of Special Rapporteurs, Independent Experts and Working Groups."""

    kinds = ("sp-country-visit-report", "sp-thematic-report")

    def extract(self, document: DocumentText, info: DocumentInfo, tools: Tools) -> Extraction:
        return Extraction(recommendations=extract_special_procedures_recommendations(document, info))
