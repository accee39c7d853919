"""The records ingestion passes between its steps: text -> document facts -> recommendations.

Offsets (`start`, `end`) are character offsets into `DocumentText.text`, the normalised text, so a
citation can always be shown in context. Keys of states are ISO 3166-1 alpha-3 codes; keys of
instruments, mechanisms, themes and positions are the keys of the reference tables and SKOS
vocabularies (`ICESCR`, `treaty-body/CESCR`, `mining`, `supported`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.errors import InputError


class DocumentError(InputError):
    """A document cannot be ingested (unreadable, empty, unknown format, no recommendations, …).

    The message says what is wrong and, where it helps, what to do; nothing is written. `path` is
    the file it concerns, once known (the message then names it too). A kind of `InputError`, so a
    caller catches it with every other error of the project as a `KnowledgeGraphError`.

    >>> error = DocumentError("the file is empty").about(Path("reports/peru2012.txt"))
    >>> str(error), error.path
    ('peru2012.txt: the file is empty', PosixPath('reports/peru2012.txt'))
    """

    def __init__(self, message: str, *, path: Path | None = None):
        super().__init__(message)
        self.path = path

    def about(self, path: Path) -> DocumentError:
        """This error as one about the file at `path`: its message names the file, `.path` is set."""
        message = str(self) if path.name in str(self) else f"{path.name}: {self}"
        return DocumentError(message, path=path)


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph of a UN document (`"12"`, `"116.113"`, `"25(a)"`), by its offsets."""

    number: str
    start: int
    end: int


@dataclass
class DocumentText:
    """The normalised text of a document: furniture removed, hyphenation joined, footnote markers out."""

    text: str
    source_format: str  # "pdf", "docx", "html", "text"
    paragraphs: list[Paragraph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    page_count: int | None = None


@dataclass
class DocumentInfo:
    """What a document is: its UN symbol, kind, date, author, the State it concerns, language."""

    symbol: str | None
    kind: str  # a key of the document-kind scheme: "upr-working-group-report", "concluding-observations", …
    date: str | None  # ISO 8601 date (YYYY-MM-DD), or None when the document does not say
    author: str | None  # "mechanism/UPR", "treaty-body/CESCR", "special-procedure/SR-indigenous-peoples"
    state: str | None  # ISO alpha-3 of the State under review, visited or addressed
    language: str = "en"  # ISO 639-1
    title: str | None = None


@dataclass
class Scored:
    """A machine guess with its score (1.0 for an explicit mention, lower for a rule's inference)."""

    key: str
    score: float
    rule: str = ""  # the versioned rule that made the guess, e.g. "mwg.linking.sdg-themes.v1"


@dataclass
class RecommendationRecord:
    paragraph: str  # "116.113", "25(a)", "80"
    text: str  # the recommendation's own text, without the paragraph number
    start: int
    end: int
    rule: str  # the versioned rule that found it, e.g. "mwg.recommendations.upr.v1"
    recommending_states: list[str] = field(default_factory=list)  # ISO alpha-3 (UPR)
    addressed_states: list[str] = field(default_factory=list)  # ISO alpha-3
    addressees: list[str] = field(default_factory=list)  # "state", "companies", "indigenous-peoples", …
    position: str | None = None  # upr-position key, when the report groups recommendations
    score: float | None = None  # set when a rule guessed the boundaries or the addressee
    instruments: list[str] = field(default_factory=list)
    sdg_targets: list[Scored] = field(default_factory=list)
    themes: list[Scored] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)


@dataclass
class ResponseRecord:
    """A State's position on a recommendation, from its UPR addendum or a UPR-Info-style file."""

    recommendation_paragraph: str  # the paragraph number the response cites, "116.113"
    position: str  # upr-position key
    respondent: str  # ISO alpha-3
    rule: str
    text: str | None = None  # the recommendation text when the source repeats it (to match by text)
    recommendation_symbol: str | None = None  # symbol of the report holding the recommendation
    start: int | None = None
    end: int | None = None
    recommending_state: str | None = None  # ISO alpha-3 of the recommending State (UPR-Info `From`)
    action_category: int | None = None  # UPR Info's action category, 1 (minimal) to 5 (specific action)
    issues: list[str] = field(default_factory=list)  # UPR Info's issue labels, as written


@dataclass
class ExtractionResult:
    info: DocumentInfo
    document: DocumentText
    recommendations: list[RecommendationRecord] = field(default_factory=list)
    responses: list[ResponseRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def extract_rows(result: ExtractionResult) -> list[dict]:
    """One flat record per recommendation, the shape `mwg-kg extract` prints (JSONL or CSV)."""
    rows = []
    for record in result.recommendations:
        row = asdict(record)
        rows.append(
            {
                "symbol": result.info.symbol,
                "kind": result.info.kind,
                "paragraph": record.paragraph,
                "text": record.text,
                "recommending_states": record.recommending_states,
                "addressed_states": record.addressed_states,
                "position": record.position,
                "instruments": record.instruments,
                "sdg_targets": [item["key"] for item in row["sdg_targets"]],
                "themes": [item["key"] for item in row["themes"]],
                "companies": record.companies,
                "communities": record.communities,
                "start": record.start,
                "end": record.end,
            }
        )
    return rows
