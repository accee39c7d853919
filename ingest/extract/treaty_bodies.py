"""Recommendations of the treaty bodies: concluding observations, lists of issues, follow-up reports.

A treaty body recommends in set phrases: "The Committee recommends that the State party …",
"urges the State party", "calls upon the State party", "reiterates its previous recommendation",
"encourages the State party", and in the Human Rights Committee's style "The State party should …".
Each numbered paragraph that recommends gives one record (`"25"`); when it lists lettered sub-items
under a recommending lead-in (`recommends that the State party: (a) …; (b) …`) each sub-item gives
one (`"25(a)"`, `"25(b)"`). Concern paragraphs ("The Committee is concerned …") give nothing; a
paragraph that holds both gives the span from its first to its last recommending sentence. The
paragraphs, sub-items and sentences are read by `ingest.extract.layout`, the set phrases by
`ingest.extract.wording`.
"""

from __future__ import annotations

import re

from ingest.extract.base import Extraction, Tools
from ingest.extract.layout import collapse, find_recommending_run, governs_items, make_record, read_layout
from ingest.extract.wording import INFORMATION_REQUEST, explicitly_recommends
from ingest.records import DocumentInfo, DocumentText, RecommendationRecord

RULE = "mwg.recommendations.treaty-body.v1"
SCORE_UNNUMBERED = 0.6  # the recommendation is real but its paragraph number is not in the text

STATE_PARTY_SHOULD = re.compile(
    r"\b(?:the\s+State\s+party|it|the\s+Government|el\s+Estado\s+parte|l['’]État\s+partie)\s+(?:\w+\s+){0,2}?"
    r"(?:should|must|is\s+requested\s+to|debería|debe|devrait|doit)\b",
    re.IGNORECASE,
)


def treaty_body_recommends(sentence: str) -> bool:
    """A recommending sentence of a treaty body: an explicit verb, or `The State party should …`."""
    if explicitly_recommends(sentence):
        return True
    flat = collapse(sentence)
    return bool(STATE_PARTY_SHOULD.search(flat)) and not (
        re.search(r"\bis\s+requested\s+to\b", flat, re.IGNORECASE) and INFORMATION_REQUEST.search(flat)
    )


def extract_treaty_body_recommendations(document: DocumentText, info: DocumentInfo) -> list[RecommendationRecord]:
    """Recommendations of concluding observations, lists of issues and follow-up reports.

    `25. The Committee recommends that the State party: (a) …; (b) …` gives `25(a)` and `25(b)`;
    `17. The Committee is concerned … The Committee calls upon the State party to …` gives `17`
    holding the recommending sentences only. Every record is addressed to `info.state`.
    """
    text = document.text
    states = [info.state] if info.state else []
    records: list[RecommendationRecord] = []
    for block in read_layout(text).blocks:
        score = None if block.number else SCORE_UNNUMBERED
        fields = {"rule": RULE, "addressed_states": states, "addressees": ["state"], "score": score}
        for group in block.groups:
            governed = bool(group.items) and governs_items(text, group, treaty_body_recommends)
            run = find_recommending_run(text, group.start, group.lead_end, treaty_body_recommends, skip_last=governed)
            if run:
                records.append(make_record(text, run, block.label, **fields))
            for item in group.items:
                if governed or find_recommending_run(text, item.start, item.end, treaty_body_recommends):
                    records.append(make_record(text, (item.start, item.end), block.label + item.label, **fields))
    return records


class TreatyBodyExtractor:
    """Concluding observations, lists of issues and follow-up reports of the treaty bodies."""

    kinds = ("concluding-observations", "list-of-issues", "follow-up-report")

    def extract(self, document: DocumentText, info: DocumentInfo, tools: Tools) -> Extraction:
        return Extraction(recommendations=extract_treaty_body_recommendations(document, info))
