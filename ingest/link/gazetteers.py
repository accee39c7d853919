"""Gazetteers for the entity linker, generated from the reference tables and the theme vocabulary.

A gazetteer is data: a list of spaCy `span_ruler` token patterns, each with a `label` and an `id`
that is the ontology key of what it names, e.g.

    {"label": "STATE", "id": "PER", "pattern": [{"LOWER": "peru", "IS_LOWER": false}]}
    {"label": "STATE", "id": "PER", "pattern": [{"ORTH": "PER"}]}
    {"label": "INSTRUMENT", "id": "ILO-C169", "pattern": [{"ORTH": "ILO"}, {"LOWER": "convention"}, ...]}
    {"label": "MECHANISM", "id": "treaty-body/CESCR", "pattern": [{"LOWER": "committee"}, {"LOWER": "on"}, ...]}

Names match case-insensitively (`LOWER`), but a proper name must not be all lower case ("turkey",
"china" and "chad" stay common nouns); codes, acronyms and camel-cased tokens match exactly
(`ORTH`: "PER" but not "per cent", "OP-CAT", "BHP"); every "the" inside a name is optional, so
"Committee on Elimination of Racial Discrimination" finds CERD. Patterns are tokenised by the
tokenizer of the language they will run in (spaCy splits "d'Ivoire" and "OP-CAT" differently in
English and French). Each name also gets its spelling variants: without accents ("Petroperu"),
with a typographic apostrophe ("Q’eqchi’"), with a space for a hyphen ("Shipibo Konibo") and,
for instruments and bodies, without a leading "United Nations"/"UN".

A name that would point at two entities ("Congolese": COD and COG) is left out: a wrong link is
worse than none. An acronym that is the key of both an instrument and its treaty body ("CEDAW",
"CAT", "CRC", "CRPD") names the instrument; "CEDAW Committee" names the body. Themes are exempt:
the vocabulary lists a keyword under every concept it signals.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from kg.namespaces import ID
from kg.reference_tables import read_table, split_values
from kg.settings import get_settings

GAZETTEER_RULE = "mwg.linking.gazetteer.v1"
LANGUAGES = ("en", "es", "fr")
ENTITY_LABELS = ("STATE", "INSTRUMENT", "MECHANISM", "COMPANY", "COMMUNITY")
THEME_LABEL = "THEME"
# Phrases that hold a name but do not name the entity; they win the longest-match contest
# and are then dropped, e.g. the "American" of "inter-American" is not the United States.
NOT_ENTITY_LABEL = "NOT_ENTITY"
NOT_ENTITY_PHRASES = (
    "Inter-American",
    "Latin American",
    "South American",
    "Central American",
    "North American",
    "Pan-American",
    "American Convention",
    "American Declaration",
    "Niger Delta",
    "Lake Chad",
    "Congo Basin",
    "Gulf of Guinea",
    "New Guinea",
    "New Mexico",
)
# Likewise for themes: the "Labour" of the International Labour Organization is no labour right.
NOT_THEME_LABEL = "NOT_THEME"
NOT_THEME_PHRASES = (
    "International Labour Organization",
    "International Labour Organisation",
    "International Labour Office",
    "International Labour Conference",
)
# Usual short forms of bodies and mandates, which the tables (official titles) do not hold.
MECHANISM_SHORT_FORMS = {
    "mechanism/UPR": ("Universal Periodic Review", "UPR"),
    "treaty-body/CCPR": ("Human Rights Committee",),
    "supervisory-body/ILO-CEACR": ("CEACR", "ILO Committee of Experts"),
    "supervisory-body/EMRIP": ("Expert Mechanism on the Rights of Indigenous Peoples",),
    "supervisory-body/UNPFII": ("Permanent Forum on Indigenous Issues",),
    "supervisory-body/IACHR": ("Inter-American Commission",),
    "supervisory-body/IACtHR": ("Inter-American Court",),
    "supervisory-body/AFRICAN-COMMISSION": ("African Commission",),
    "special-procedure/SR-indigenous-peoples": (
        "Special Rapporteur on indigenous peoples",
        "Special Rapporteur on the situation of human rights and fundamental freedoms of indigenous people",
        "Special Rapporteur on the situation of human rights and fundamental freedoms of indigenous peoples",
        "Relator Especial sobre los derechos de los pueblos indígenas",
        "Relatora Especial sobre los derechos de los pueblos indígenas",
        "Relator Especial sobre la situación de los derechos humanos y las libertades fundamentales de los indígenas",
        "Rapporteur spécial sur les droits des peuples autochtones",
        "Rapporteuse spéciale sur les droits des peuples autochtones",
    ),
    "special-procedure/WG-business": (
        "Working Group on Business and Human Rights",
        "Working Group on the issue of human rights and transnational corporations",
        "Grupo de Trabajo sobre las empresas y los derechos humanos",
        "Groupe de travail sur les entreprises et les droits de l'homme",
    ),
    "special-procedure/SRSG-business": (
        "Special Representative of the Secretary-General on human rights and transnational corporations",
        "Special Representative of the Secretary-General on business and human rights",
    ),
    "special-procedure/SR-human-rights-defenders": ("Special Rapporteur on human rights defenders",),
    "special-procedure/SR-environment": (
        "Special Rapporteur on human rights and the environment",
        "Independent Expert on human rights and the environment",
    ),
    "special-procedure/SR-toxics": ("Special Rapporteur on toxics", "Special Rapporteur on toxics and human rights"),
    "special-procedure/SR-water": ("Special Rapporteur on the human right to safe drinking water and sanitation",),
    "special-procedure/SR-housing": ("Special Rapporteur on adequate housing",),
    "special-procedure/SR-health": ("Special Rapporteur on the right to health",),
    "special-procedure/SR-freedom-of-expression": (
        "Special Rapporteur on freedom of expression",
        "Special Rapporteur on freedom of opinion and expression",
    ),
    "special-procedure/SR-violence-against-women": ("Special Rapporteur on violence against women",),
    "special-procedure/SR-torture": ("Special Rapporteur on torture",),
    "special-procedure/SR-cultural-rights": ("Independent Expert in the field of cultural rights",),
}
MECHANISM_TABLES = (
    ("treaty_bodies.csv", "treaty-body"),
    ("other_bodies.csv", "supervisory-body"),
    ("special_procedures.csv", "special-procedure"),
)
# How UN texts in three languages cite an ILO convention by its number.
ILO_NUMBER_FORMS = (
    "ILO Convention No. {n}",
    "ILO Convention No.{n}",
    "ILO Convention (No. {n})",
    "Convention No. {n}",
    "Convention No.{n}",
    "Convention (No. {n})",
    "Convention {n}",
    "International Labour Organization Convention No. {n}",
    "International Labour Organisation Convention No. {n}",
    "Convention No. {n} of the International Labour Organization",
    "Convention No. {n} of the International Labour Organisation",
    "Convenio No. {n}",
    "Convenio núm. {n}",
    "Convenio {n}",
    "Convention no {n}",
    "Convention n° {n}",
    "Convention (no {n})",
    "Convention (n° {n})",
)
_UN_PREFIX = re.compile(r"^(United Nations|UN)\s+", re.IGNORECASE)
_HYPHEN_BETWEEN_LETTERS = re.compile(r"(?<=\w)-(?=\w)")
_MAX_KEY_SEGMENT = 6  # "ICESCR", "OP-CAT", "ILO-C169" are acronyms; "AFRICAN-COMMISSION" is not


@dataclass(frozen=True)
class Alias:
    """One way of writing an entity's name: `Alias("STATE", "PER", "Peruvian")`.

    `generic` names are common nouns ("herders", theme keywords): they may be all lower case.
    """

    label: str
    key: str
    text: str
    generic: bool = False


def default_reference_dir() -> Path:
    """The reference tables in use (`MWG_KG_ONTOLOGY_DIR`, else those of the installation)."""
    return get_settings().reference_path


def default_vocabularies_path() -> Path:
    """The SKOS vocabularies in use, beside the reference tables."""
    return get_settings().ontology_path / "vocabularies.ttl"


def build_patterns(
    reference_dir: Path | None = None,
    vocabularies_path: Path | None = None,
    *,
    language: str = "en",
) -> list[dict]:
    """Every span_ruler pattern of the reference data, tokenised for `language` ("en", "es", "fr")."""
    reference_dir = reference_dir or default_reference_dir()
    vocabularies_path = vocabularies_path or default_vocabularies_path()
    tokenizer = spacy.blank(language).tokenizer
    aliases = [
        *state_aliases(reference_dir),
        *instrument_aliases(reference_dir),
        *mechanism_aliases(reference_dir),
        *company_aliases(reference_dir),
        *community_aliases(reference_dir),
        *(Alias(NOT_ENTITY_LABEL, "", phrase, generic=True) for phrase in NOT_ENTITY_PHRASES),
    ]
    themes = [
        *theme_aliases(vocabularies_path, language),
        *(Alias(NOT_THEME_LABEL, "", phrase, generic=True) for phrase in NOT_THEME_PHRASES),
    ]
    patterns = unambiguous(pattern_for(alias, tokenizer) for alias in with_variants(aliases))
    return patterns + unique(pattern_for(alias, tokenizer) for alias in with_variants(themes))


def write_patterns_jsonl(
    path: Path,
    reference_dir: Path | None = None,
    vocabularies_path: Path | None = None,
    *,
    language: str = "en",
) -> int:
    """Save the gazetteer as JSONL (one pattern per line, the format `span_ruler` reads); return the count."""
    patterns = build_patterns(reference_dir, vocabularies_path, language=language)
    with Path(path).open("w", encoding="utf-8") as handle:
        for pattern in patterns:
            handle.write(json.dumps(pattern, ensure_ascii=False) + "\n")
    return len(patterns)


# -- names from the tables ---------------------------------------------------------------------


def state_aliases(reference_dir: Path) -> Iterator[Alias]:
    """Short, formal and other names, demonyms ("Peruvian") and ISO alpha-3 codes ("PER")."""
    for row in read_table(reference_dir / "states.csv"):
        names = [row["short_name"], row["formal_name"], *split_values(row["other_names"])]
        for name in (*names, *split_values(row["demonyms"]), row["iso3"]):
            if name:
                yield Alias("STATE", row["iso3"], name)


def instrument_aliases(reference_dir: Path) -> Iterator[Alias]:
    """Titles, keys that are acronyms, abbreviations, and the numbered forms of ILO conventions."""
    for row in read_table(reference_dir / "instruments.csv"):
        names = [row["title"], *split_values(row["abbreviations"])]
        if is_acronym(row["key"]):
            names.append(row["key"])
        names += ilo_number_forms(row["title"]) if row["kind"] == "ilo-convention" else []
        for name in names:
            yield from (Alias("INSTRUMENT", row["key"], text) for text in without_un_prefix(name))


def ilo_number_forms(title: str) -> list[str]:
    """`Indigenous and Tribal Peoples Convention, 1989 (No. 169)` -> "ILO Convention No. 169", …"""
    number = re.search(r"\(No\.\s*(\d+)\)", title)
    return [form.format(n=number.group(1)) for form in ILO_NUMBER_FORMS] if number else []


def mechanism_aliases(reference_dir: Path) -> Iterator[Alias]:
    """Names of treaty bodies, other bodies and mandates, keys that are acronyms, "<KEY> Committee",
    and the usual short forms. A body's acronym that is also an instrument's key is left to the
    instrument ("CEDAW"); "the Committee" or "the Special Rapporteur" alone name nothing."""
    instrument_keys = {row["key"] for row in read_table(reference_dir / "instruments.csv")}
    for table, kind in MECHANISM_TABLES:
        for row in read_table(reference_dir / table):
            key = f"{kind}/{row['key']}"
            names = [row["name"], *split_values(row.get("other_names", ""))]
            if is_acronym(row["key"]) and row["key"] not in instrument_keys:
                names.append(row["key"])
            if kind == "treaty-body":
                names.append(f"{row['key']} Committee")
            for name in names:
                yield from (Alias("MECHANISM", key, text) for text in without_un_prefix(name))
    for key, names in MECHANISM_SHORT_FORMS.items():
        for name in names:
            yield from (Alias("MECHANISM", key, text) for text in without_un_prefix(name))


def company_aliases(reference_dir: Path) -> Iterator[Alias]:
    """Company names, other names, and the mines and projects each operates ("mina Marlin")."""
    for row in read_table(reference_dir / "companies.csv"):
        for name in (row["name"], *split_values(row["other_names"]), *split_values(row["projects"])):
            yield Alias("COMPANY", row["key"], name)


def community_aliases(reference_dir: Path) -> Iterator[Alias]:
    """Names of peoples and communities; `generic_names` ("herders") may be lower case."""
    for row in read_table(reference_dir / "peoples.csv"):
        for name in (row["name"], *split_values(row["other_names"])):
            yield Alias("COMMUNITY", row["key"], name)
        for name in split_values(row["generic_names"]):
            yield Alias("COMMUNITY", row["key"], name, generic=True)


def theme_aliases(vocabularies_path: Path, language: str) -> Iterator[Alias]:
    """prefLabel and altLabel keywords of the theme scheme in `language` (acronyms in any)."""
    graph = read_vocabularies(vocabularies_path)
    for concept, key in theme_concepts(graph).items():
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, predicate):
                if isinstance(label, Literal) and (label.language in (None, language) or is_acronym(str(label))):
                    yield Alias(THEME_LABEL, key, str(label), generic=True)


def read_vocabularies(vocabularies_path: Path) -> Graph:
    return Graph().parse(vocabularies_path, format="turtle")


def theme_concepts(graph: Graph) -> dict[URIRef, str]:
    """Concepts of id:scheme/theme that are not deprecated, with their keys (skos:notation)."""
    concepts = {}
    for concept in graph.subjects(SKOS.inScheme, ID["scheme/theme"]):
        if (concept, OWL.deprecated, Literal(True)) not in graph:
            concepts[concept] = str(graph.value(concept, SKOS.notation))
    return concepts


def read_theme_hierarchy(vocabularies_path: Path | None = None) -> dict[str, str]:
    """Each narrower theme with its broader one: `{"mining": "extractives", "climate": "environment", …}`."""
    graph = read_vocabularies(vocabularies_path or default_vocabularies_path())
    concepts = theme_concepts(graph)
    return {
        key: concepts[broader]
        for concept, key in concepts.items()
        for broader in graph.objects(concept, SKOS.broader)
        if broader in concepts
    }


# -- spelling variants -------------------------------------------------------------------------


def without_un_prefix(name: str) -> list[str]:
    """`United Nations Permanent Forum on Indigenous Issues` -> also `Permanent Forum on Indigenous Issues`."""
    stripped = _UN_PREFIX.sub("", name)
    return [name] if stripped == name or not stripped else [name, stripped]


def spelling_variants(text: str) -> set[str]:
    """`Petroperú` -> {`Petroperú`, `Petroperu`}; `Q'eqchi'` -> {…, `Q’eqchi’`};
    `Shipibo-Konibo` -> {…, `Shipibo Konibo`}."""
    variants = {text, strip_accents(text)}
    variants |= {variant.replace("'", "\u2019") for variant in variants if "'" in variant}
    variants |= {_HYPHEN_BETWEEN_LETTERS.sub(" ", variant) for variant in variants}
    return variants


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def with_variants(aliases: Iterable[Alias]) -> Iterator[Alias]:
    for alias in aliases:
        for text in sorted(spelling_variants(alias.text)):
            yield Alias(alias.label, alias.key, text, alias.generic)


def is_acronym(text: str) -> bool:
    """"ICESCR", "OP-CAT", "ILO-C169", "FPIC" are; "AFRICAN-COMMISSION", "Peru" are not."""
    segments = text.split("-")
    return any(ch.isupper() for ch in text) and all(
        segment and len(segment) <= _MAX_KEY_SEGMENT and segment == segment.upper() for segment in segments
    )


# -- patterns ----------------------------------------------------------------------------------


def pattern_for(alias: Alias, tokenizer) -> dict:
    """The token pattern of one alias, e.g. `Plurinational State of Bolivia` ->
    [{"LOWER": "plurinational", "IS_LOWER": False}, {"LOWER": "state"}, {"LOWER": "of"}, {"LOWER": "bolivia"}]."""
    tokens = [token.text for token in tokenizer(alias.text) if not token.is_space]
    pattern = []
    for text in tokens:
        if is_exact_token(text) or not any(ch.isalpha() for ch in text):
            pattern.append({"ORTH": text})
        elif text.lower() == "the" and alias.label in ENTITY_LABELS:
            pattern.append({"LOWER": "the", "OP": "?"})
        else:
            pattern.append({"LOWER": text.lower()})
    first_word = next((i for i, item in enumerate(pattern) if "OP" not in item), 0)
    if not alias.generic and "LOWER" in pattern[first_word] and tokens[first_word][:1].isupper():
        pattern[first_word]["IS_LOWER"] = False
    return {"label": alias.label, "id": alias.key, "pattern": pattern}


def is_exact_token(text: str) -> bool:
    """Codes and acronyms ("PER", "OP", "BHP", "McMoRan") match as written; words do not."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and any(ch.isupper() for ch in letters[1:])


def pattern_key(pattern: dict) -> str:
    return json.dumps(pattern["pattern"], sort_keys=True, ensure_ascii=False)


def unique(patterns: Iterable[dict]) -> list[dict]:
    seen, kept = set(), []
    for pattern in patterns:
        identity = (pattern["label"], pattern["id"], pattern_key(pattern))
        if identity not in seen:
            seen.add(identity)
            kept.append(pattern)
    return kept


def unambiguous(patterns: Iterable[dict]) -> list[dict]:
    """Drop every pattern that would name two entities ("Congolese": COD and COG)."""
    patterns = unique(patterns)
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for pattern in patterns:
        owners[pattern_key(pattern)].add((pattern["label"], pattern["id"]))
    return [pattern for pattern in patterns if len(owners[pattern_key(pattern)]) == 1]
