"""Recognise what a UN document is: symbol, kind, date, author, State, language and title.

UN documents say what they are on their first page: the masthead (`United Nations A/HRC/22/15`,
`Distr.: General 4 January 2013`, `Original: English`), the body (`Human Rights Council`,
`Committee on Economic, Social and Cultural Rights`) and the title (`Report of the Working Group
on the Universal Periodic Review` + the State; `Concluding observations on the … report of
Guatemala`; `Report of the Special Rapporteur on the rights of indigenous peoples … on her visit to
Guatemala`). The symbol's shape also tells the kind (`…/WG.6/20/SVN/1` a national report, `…/CO/…`
concluding observations) and the author (`E/C.12` CESCR, `CERD/C` CERD).

States, treaty bodies and Special Procedures mandates are resolved against the project's
reference tables (`ontology/reference/*.csv`, or those under `MWG_KG_ONTOLOGY_DIR`); names are
matched accent- and case-insensitively. A file name may fill in the State and the year when the
text does not say them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii

from ingest.read.symbols import UN_SYMBOL
from ingest.records import DocumentInfo, DocumentText
from kg.reference_tables import read_table, split_values
from kg.settings import get_settings


UPR_KINDS = frozenset(
    {"upr-working-group-report", "upr-addendum", "upr-national-report", "upr-compilation", "upr-stakeholder-summary"}
)
TREATY_BODY_KINDS = frozenset({"concluding-observations", "list-of-issues", "general-comment", "follow-up-report"})
SP_KINDS = frozenset({"sp-country-visit-report", "sp-thematic-report"})
_STATE_KINDS = UPR_KINDS | SP_KINDS | (TREATY_BODY_KINDS - {"general-comment"})

# The series of treaty-body symbols and the committee keys (`treaty_bodies.csv`) they belong to.
TREATY_BODY_SERIES = {
    "E/C.12": "CESCR",
    "CERD/C": "CERD",
    "CEDAW/C": "CEDAW",
    "CCPR/C": "CCPR",
    "CAT/OP": "SPT",
    "CAT/C": "CAT",
    "CRC/C": "CRC",
    "CMW/C": "CMW",
    "CED/C": "CED",
    "CRPD/C": "CRPD",
}

_TITLE_ZONE = 3_000
_MONTHS = {
    **{name: number for number, name in enumerate(
        "january february march april may june july august september october november december".split(), 1)},
    **{name: number for number, name in enumerate(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(), 1)},
    **{name: number for number, name in enumerate(
        "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split(), 1)},
    "setiembre": 9,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:er|º)?\s+(?:de\s+)?({_MONTH})\s+(?:de\s+)?(\d{{4}})\b|\b({_MONTH})\s+(\d{{1,2}}),\s+(\d{{4}})\b"
)
_STOPWORDS = {
    "en": frozenset("the of and to is that for on with by as which its are was has have were".split()),
    "es": frozenset("el los las del y por con para una se al su sus como esta este entre".split()),
    "fr": frozenset("le les des du et pour dans une est sur aux par qui avec ces cette".split()),
}
_TITLE_OPENERS = re.compile(
    r"\b(?:report of|concluding observations|list of issues|general comment|general recommendation|"
    r"national report|compilation|summary of|summary prepared|views on|outcome of|decision adopted|"
    r"informe del?|observaciones finales|lista de cuestiones|rapport du|observations finales)\b",
    re.IGNORECASE,
)


def recognise(document: DocumentText, *, file_name: str | None = None) -> DocumentInfo:
    """Say what `document` is. The text wins; `file_name` only fills in the State and the year.

    >>> from ingest.read.readers import read_text
    >>> masthead = read_text(
    ...     b"United Nations A/HRC/22/15\\nGeneral Assembly Distr.: General\\n10 December 2012\\n"
    ...     b"Human Rights Council\\nReport of the Working Group on the Universal Periodic Review*\\nPeru\\n"
    ...     b"1. The Working Group held its fourteenth session, and the review of Peru was held at the 9th meeting."
    ... )
    >>> info = recognise(masthead)
    >>> info.symbol, info.kind, info.date, info.author, info.state, info.language
    ('A/HRC/22/15', 'upr-working-group-report', '2012-12-10', 'mechanism/UPR', 'PER', 'en')
    """
    text = document.text
    zone = _title_zone(document)
    folded = _fold(zone)
    reference = _reference()
    symbol = find_symbol(text)
    mandate = _find_mandate(folded, reference)
    title = find_title(zone, reference)
    kind = find_kind(symbol, folded, mandate=mandate, title=title)
    if kind == "other" and mandate:
        kind = "sp-thematic-report"
    if kind == "sp-thematic-report" and _is_visit(symbol, folded, reference):
        kind = "sp-country-visit-report"
    state = _find_state(text, folded, symbol, kind, reference)
    if state is None and file_name:
        state = state_from_file_name(file_name, reference)
    date = find_date(text)
    if date is None and file_name:
        year = re.search(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)", Path(file_name).stem)
        date = year.group(1) if year else None
    return DocumentInfo(
        symbol=symbol,
        kind=kind,
        date=date,
        author=_find_author(symbol, kind, folded, mandate, reference),
        state=state,
        language=find_language(text),
        title=title,
    )


# --------------------------------------------------------------------------------------------
# Symbol, date, language
# --------------------------------------------------------------------------------------------


def find_symbol(text: str) -> str | None:
    """The document's own symbol: the one in the masthead, not one it cites.

    Candidates in the first pages score for standing after "United Nations", before "Distr.",
    alone on a line or at the very start; they lose for standing in parentheses or after words
    that cite ("symbol", "see", "resolution", "issued under").
    """
    head = text[:6_000]
    scored = []
    for match in UN_SYMBOL.finditer(head):
        symbol = re.sub(r"\s+", "", match.group()).rstrip(".")
        if re.search(r"/(?:Add|Corr|Rev)$", symbol):
            continue
        before = head[max(0, match.start() - 60) : match.start()]
        after = head[match.end() : match.end() + 80]
        line_start = head.rfind("\n", 0, match.start()) + 1
        line_end = head.find("\n", match.end())
        line = head[line_start : line_end if line_end >= 0 else len(head)].strip()
        score = 0
        if re.search(r"(?:United Nations|Naciones Unidas|Nations Unies)\s*$", before, re.IGNORECASE):
            score += 3
        if re.search(r"\bDistr\b", after):
            score += 2
        if line == symbol:
            score += 2
        if match.start() < 200:
            score += 1
        if before.count("(") > before.count(")"):
            score -= 3
        if re.search(r"(?:symbol|see|resolution|decision|under|in|and|of|document|documents|report)\s*$", before, re.IGNORECASE):
            score -= 3
        scored.append((score, -match.start(), symbol))
    if not scored:
        return None
    score, _, symbol = max(scored)
    return symbol if score > 0 else None


def find_date(text: str) -> str | None:
    """The issue date after `Distr.` (`Distr.: General 4 January 2013`), else the adoption date
    (`At its 2345th meeting, held on 11 May 2015, it adopted …`), as ISO 8601."""
    head = _fold(text[:8_000]).lower()
    for match in re.finditer(r"\bdistr\b", head):
        date = _DATE.search(head, match.end(), match.end() + 400)
        if date:
            return _iso(date)
    for sentence in re.finditer(r"[^.\n]*\badopted\b[^.\n]*", head):
        date = _DATE.search(sentence.group())
        if date:
            return _iso(date)
    return None


def _iso(match: re.Match) -> str | None:
    if match.group(1):
        day, month, year = match.group(1), match.group(2), match.group(3)
    else:
        month, day, year = match.group(4), match.group(5), match.group(6)
    return f"{int(year):04d}-{_MONTHS[month]:02d}-{int(day):02d}"


def find_language(text: str) -> str:
    """`en`, `es` or `fr` by counts of their commonest words; `und` when none clearly leads."""
    words = Counter(re.findall(r"[a-zà-ÿ]+", text[:50_000].lower()))
    counts = {language: sum(words[word] for word in stopwords) for language, stopwords in _STOPWORDS.items()}
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    (best, first), (_, second) = ranked[0], ranked[1]
    return best if first >= 5 and first >= 1.5 * second else "und"


# --------------------------------------------------------------------------------------------
# Kind and author
# --------------------------------------------------------------------------------------------


def find_kind(symbol: str | None, folded_zone: str, *, mandate: str | None = None, title: str | None = None) -> str:
    """The document-kind key, from the symbol's shape first, then from the title's wording.

    `folded_zone` is the masthead and title area, folded (`_fold`); `title` the title, if found.
    """
    if title and re.search(r"\bfollow-up\b|\bseguimiento\b|\bsuivi\b", _fold(title)):
        return "follow-up-report"
    by_symbol = _kind_from_symbol(symbol, folded_zone) if symbol else None
    if by_symbol:
        return by_symbol
    zone = folded_zone
    upr = re.search(r"universal\s*periodic\s*review|examen periodico universal|examen periodique universel", zone)
    rules = (
        ("upr-addendum", upr and re.search(r"views on conclusions|opiniones sobre las conclusiones", zone)),
        ("other", upr and re.search(r"outcome of the universal periodic review|decision adopted", zone)),
        ("upr-working-group-report", re.search(r"report of the working group on the universal\s*periodic\s*review", zone)),
        ("upr-national-report", upr and re.search(r"national report submitted", zone)),
        ("upr-stakeholder-summary", upr and re.search(r"summary of stakeholders|submissions?\b.{0,40}stakeholders|paragraph 15 \(c\)", zone)),
        ("upr-compilation", upr and re.search(r"\bcompilation\b", zone)),
        ("upr-working-group-report", upr and re.search(r"conclusions and/or recommendations", zone)),
        ("concluding-observations", re.search(r"concluding observations|observaciones finales|observations finales", zone)),
        ("list-of-issues", re.search(r"list of issues|lista de cuestiones|liste de points", zone)),
        ("general-comment", re.search(r"general (?:comment|recommendation) no|observacion general|observation generale", zone)),
    )
    for kind, found in rules:
        if found:
            return kind
    if mandate or re.search(r"special rapporteur|independent expert|relator especial|rapporteur special", zone):
        return "sp-thematic-report"
    return "other"


def _kind_from_symbol(symbol: str, zone: str) -> str | None:
    """`A/HRC/WG.6/20/SVN/1` national report, `/2` compilation, `/3` stakeholders; `…/L.14` the
    Working Group's draft report; `…/CO/…` concluding observations; `/Q/`, `/QPR/` list of issues;
    `/GC/` general comment; `A/HRC/DEC/…` a Council decision."""
    upr = re.match(r"A/HRC/WG\.6/\d+/(?:[A-Z]{3}/([123])|L\.\d+)", symbol)
    if upr:
        return {"1": "upr-national-report", "2": "upr-compilation", "3": "upr-stakeholder-summary"}.get(
            upr.group(1) or "", "upr-working-group-report"
        )
    if symbol.startswith("A/HRC/DEC/"):
        return "other"
    if any(symbol.startswith(series + "/") for series in TREATY_BODY_SERIES):
        if "/CO/" in symbol:
            return "concluding-observations"
        if re.search(r"/(?:Q|QPR|LOIPR|LOI)/", symbol):
            return "list-of-issues"
        if re.search(r"/(?:GC|GR)/", symbol):
            return "general-comment"
        if "/FCO/" in symbol:
            return "follow-up-report"
    return None


def _find_author(symbol, kind, folded_zone, mandate, reference) -> str | None:
    """`mechanism/UPR`, `treaty-body/<key>`, `special-procedure/<key>` or `supervisory-body/<key>`."""
    if kind in UPR_KINDS or (kind == "other" and re.search(r"universal\s*periodic\s*review", folded_zone)):
        return "mechanism/UPR"
    if kind in TREATY_BODY_KINDS:
        body = _treaty_body(symbol, folded_zone, reference)
        return f"treaty-body/{body}" if body else None
    if mandate:
        return mandate
    return None


def _treaty_body(symbol, folded_zone, reference) -> str | None:
    """From the symbol's series, else a symbol the title zone cites, else the committee's name."""
    symbols = [symbol] if symbol else []
    symbols += [re.sub(r"\s+", "", m.group()) for m in UN_SYMBOL.finditer(folded_zone.upper())]
    for candidate in symbols:
        for series, key in TREATY_BODY_SERIES.items():
            if candidate.startswith(series + "/") and key in reference.treaty_bodies:
                return key
    found = [(folded_zone.find(name), key) for key, name in reference.treaty_bodies.items() if name in folded_zone]
    return min(found)[1] if found else None


def _find_mandate(folded_zone: str, reference) -> str | None:
    """The first Special Procedures mandate (or supervisory body) the title zone names.

    An exact title wins (`special rapporteur on the rights of indigenous peoples`); else the
    mandate whose title's words all occur in a `Special Rapporteur on …` phrase of the zone (older
    or longer titles).
    """
    folded_zone = " ".join(folded_zone.split())  # a title may run over several lines
    found = []
    for key, name in reference.mandates:
        position = folded_zone.find(name)
        if position >= 0:
            found.append((position, -len(name), key))
    if found:
        return min(found)[2]
    for phrase in re.finditer(r"(?:special rapporteur|independent expert|working group|expert mechanism)\b[^.*\n]{0,200}", folded_zone):
        words = _content_words(phrase.group())
        matches = [
            (-len(_content_words(name)), key)
            for key, name in reference.mandates
            if name.split()[0] == phrase.group().split()[0] and _content_words(name) <= words
        ]
        if matches:
            return min(matches)[1]
    return None


def _content_words(text: str) -> set[str]:
    stop = {"the", "of", "on", "and", "in", "to", "a", "an", "its", "for", "all", "other", "issue", "this", "that"}
    return {word.rstrip("s") for word in re.findall(r"[a-z]+", text) if word not in stop}


def _is_visit(symbol: str | None, folded_zone: str, reference) -> bool:
    """A country visit: the title says visit/mission to a State, or an addendum names a State."""
    if re.search(r"\b(?:visit|mission|visita|mision|visite)\s+(?:to|a|en|au)\b", folded_zone):
        return True
    return bool(symbol and "/Add." in symbol and reference.state_pattern.search(folded_zone))


# --------------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------------


def _find_state(text, folded_zone, symbol, kind, reference) -> str | None:
    """The State under review, visited or reporting: title cues, then the symbol's country code,
    then, for kinds that concern one State, the State the text names far more than any other."""
    names = reference.state_alternation
    cues = (
        rf"\b(?:visit|mission|visita|mision|visite)\s+(?:to|a|en|au)\s+(?:the\s+)?({names})",
        rf"universal\s*periodic\s*review\W+(?:the\s+)?({names})(?![a-z])",
        rf"\breview of (?:the\s+)?({names})",
        rf"\b(?:reports?|informes?|rapports?)\s+(?:of|de|du)\s+(?:the\s+)?({names})",
        rf"\b(?:compilation|submissions?|informacion)\s+(?:on|sobre)\s+(?:the\s+)?({names})",
        rf"(?m)^(?:the\s+)?({names})\W*$",
    )
    if kind in _STATE_KINDS or kind == "other":
        for cue in cues:
            match = re.search(cue, folded_zone)
            if match:
                return reference.state_by_name[match.group(1)]
    code = re.search(r"/([A-Z]{3})/", symbol or "")
    if code and code.group(1) in reference.iso3:
        return code.group(1)
    if kind in SP_KINDS:
        match = re.search(rf"\b(?:in|en|au)\s+(?:the\s+)?({names})", folded_zone)
        if match:
            return reference.state_by_name[match.group(1)]
    if kind in _STATE_KINDS:
        counts = Counter(reference.state_by_name[m.group(1)] for m in reference.state_pattern.finditer(_fold(text)))
        ranked = counts.most_common(2)
        if ranked and ranked[0][1] >= 5 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            return ranked[0][0]
    return None


def state_from_file_name(file_name: str, reference=None) -> str | None:
    """A State named in a file name: `peru2012.txt` -> PER, `CESCR_Mongolia_2014.txt` -> MNG,
    `democraticrepublicofthecongo2010.txt` -> COD (names squashed, longest first)."""
    reference = reference or _reference()
    stem = _fold(Path(file_name).stem)
    tokens = [token for token in re.split(r"[^a-z]+", stem) if token]
    for size in range(len(tokens), 0, -1):
        for start in range(len(tokens) - size + 1):
            squashed = "".join(tokens[start : start + size])
            if squashed in reference.state_by_squashed:
                return reference.state_by_squashed[squashed]
    return None


# --------------------------------------------------------------------------------------------
# Title
# --------------------------------------------------------------------------------------------


def find_title(zone: str, reference=None) -> str | None:
    """The title (`Report of the Working Group on the Universal Periodic Review`), its wrapped
    lines rejoined up to the asterisk or stop that ends it, with the State when the next line
    names only it (`…: Slovenia`)."""
    reference = reference or _reference()
    match = next((m for m in _TITLE_OPENERS.finditer(zone) if not _is_contents_line(zone, m.start())), None)
    if not match:
        return None
    lines = [line.strip() for line in zone[match.start() :].split("\n")]
    title, rest = lines[0], lines[1:]
    while rest and not re.search(r"[*.:;]$", title) and _continues_title(title, rest[0], reference):
        title = f"{title} {rest.pop(0)}"
    title = re.split(r"\s(?:Addendum|Summary|Note by the Secretariat|Adici[oó]n|Resumen)\b", title)[0]
    title, star, after = title.partition("*")
    state = reference.state_pattern.match(_fold(after.strip(" *")))
    if star and state:
        title = f"{title.strip()}: {after.strip(' *')[: state.end()]}"
    else:
        following = [line for line in rest[:3] if line and not line.startswith(("*", "."))][:1]
        if following and _is_state_line(following[0], reference):
            title = f"{title.strip()}: {following[0].strip(' *.')}"
    title = re.sub(r"\s+", " ", title).strip(" *")
    return title[:300] or None


def _continues_title(title: str, line: str, reference) -> bool:
    """A wrapped title goes on when it is long, ends on a little word, or the next line closes it."""
    folded = _fold(line)
    wraps = (
        len(title) >= 40
        or re.search(r"\b(?:of|the|and|on|in|for|to|with|by|a|an|its|de|la|el|los|las|del|y|en|sobre)$", title, re.I)
        or line[:1].islower()
        or line.endswith("*")
    )
    return (
        bool(line and wraps)
        and len(line.split()) <= 12
        and not re.match(r"(?:[IVX]+|[A-Z])\.\s", line)
        and not _is_state_line(line, reference)
        and not re.search(r"addendum|summary|note by|distr|united nations|adicion|resumen", folded)
    )


def _is_contents_line(zone: str, position: int) -> bool:
    """Is `position` on a table-of-contents line (dot leaders, or paragraph and page numbers)?"""
    start = zone.rfind("\n", 0, position) + 1
    end = zone.find("\n", position)
    line = zone[start : end if end >= 0 else len(zone)]
    return bool(re.search(r"\.{4,}|\d+\s*[-–]\s*\d+\s+\d+\s*$", line))


def _is_state_line(line: str, reference) -> bool:
    folded = _fold(line.strip(" *."))
    folded = folded[4:] if folded.startswith("the ") else folded
    return bool(reference.state_pattern.fullmatch(folded))


# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reference:
    iso3: frozenset[str]
    state_by_name: dict[str, str]  # folded name -> ISO alpha-3
    state_by_squashed: dict[str, str]  # name without spaces or punctuation -> ISO alpha-3
    state_alternation: str
    state_pattern: re.Pattern
    treaty_bodies: dict[str, str]  # key -> folded name
    mandates: list[tuple[str, str]]  # ("special-procedure/<key>" or "supervisory-body/<key>", a folded title)


def _reference() -> _Reference:
    """The reference tables in use (`MWG_KG_ONTOLOGY_DIR`, else those of the installation), read once."""
    return _read_reference(get_settings().reference_path)


@lru_cache(maxsize=4)
def _read_reference(reference_dir: Path) -> _Reference:
    state_by_name: dict[str, str] = {}
    for row in read_table(reference_dir / "states.csv"):
        names = [row["short_name"], row["formal_name"], *split_values(row["other_names"])]
        for name in names:
            folded = _fold(name)
            if len(folded) >= 4:
                state_by_name.setdefault(folded, row["iso3"])
    alternation = "|".join(re.escape(name) for name in sorted(state_by_name, key=len, reverse=True))
    mandates = [
        (f"special-procedure/{row['key']}", _fold(name))
        for row in read_table(reference_dir / "special_procedures.csv")
        for name in (row["name"], *split_values(row["other_names"]))
    ]
    mandates += [
        (f"supervisory-body/{row['key']}", _fold(row["name"])) for row in read_table(reference_dir / "other_bodies.csv")
    ]
    return _Reference(
        iso3=frozenset(row["iso3"] for row in read_table(reference_dir / "states.csv")),
        state_by_name=state_by_name,
        state_by_squashed={re.sub(r"[^a-z]", "", name): iso3 for name, iso3 in state_by_name.items()},
        state_alternation=alternation,
        state_pattern=re.compile(rf"(?<![a-z])({alternation})(?![a-z])"),
        treaty_bodies={row["key"]: _fold(row["name"]) for row in read_table(reference_dir / "treaty_bodies.csv")},
        mandates=mandates,
    )


def _fold(text: str) -> str:
    """Lower case ASCII, for matching names whatever their accents and capitals (`Perú` = `peru`)."""
    return anyascii(text).lower()


def _title_zone(document: DocumentText) -> str:
    """The text before the first numbered paragraph, at most 3,000 characters: masthead and title."""
    first = document.paragraphs[0].start if document.paragraphs else len(document.text)
    return document.text[: max(min(first, _TITLE_ZONE), min(600, len(document.text)))]
