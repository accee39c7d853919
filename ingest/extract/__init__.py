"""Extraction: one module per kind of UN document, each turning its text into records.

| module | reads |
|---|---|
| `upr_report` | UPR Working Group reports: recommendations, recommending States, positions |
| `upr_addendum` | the State's responses in the addendum to its Working Group report |
| `treaty_bodies` | concluding observations, lists of issues, follow-up reports |
| `special_procedures` | Special Procedures country-visit and thematic reports |

Each of them defines a class with the document kinds it reads and an `extract(document, info,
tools)` method (the `Extractor` protocol of `base`), listed in `EXTRACTORS` below: reading a new
kind of document means adding one module here and one line to that list. `layout` (paragraphs,
headings, sub-items, sentences) and `wording` (how UN bodies phrase a recommendation) are shared
by the extractors; `upr_info_csv` reads UPR-Info-style CSV files of responses, which are tables
rather than documents and are taken by their suffix, not by a recognised kind.

>>> extractor_for("concluding-observations").kinds
('concluding-observations', 'list-of-issues', 'follow-up-report')
>>> extractor_for("general-comment") is None
True
"""

from __future__ import annotations

from ingest.extract.base import Extraction, Extractor, Tools
from ingest.extract.special_procedures import SpecialProceduresExtractor
from ingest.extract.treaty_bodies import TreatyBodyExtractor
from ingest.extract.upr_addendum import UprAddendumExtractor
from ingest.extract.upr_report import UprReportExtractor

EXTRACTORS: tuple[Extractor, ...] = (
    UprReportExtractor(),
    UprAddendumExtractor(),
    TreatyBodyExtractor(),
    SpecialProceduresExtractor(),
)

__all__ = ["EXTRACTORS", "Extraction", "Extractor", "Tools", "extractor_for"]


def extractor_for(kind: str) -> Extractor | None:
    """The extractor that reads documents of `kind` (a document-kind key), or None if none does."""
    for extractor in EXTRACTORS:
        if kind in extractor.kinds:
            return extractor
    return None
