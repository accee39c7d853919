"""Link the text of a recommendation (or any paragraph) to the graph: States, instruments,
mechanisms, companies, peoples and communities, themes and SDG targets.

The pipeline is rule-based, on `spacy.blank(language)`: a gazetteer component holding the
span_ruler patterns of `ingest.link.gazetteers` and a `Matcher` for SDG mentions. It needs no store
and no model, only the reference tables and the vocabularies shipped with the package, so it
works on a fresh install.
It never segments sentences (a sentencizer splits "ILO Convention No. 169" after "No.").

    >>> linker = EntityLinker.from_reference()
    >>> links = linker.link("Respect ILO Convention No. 169 in the mining sector (Peru);")
    >>> links.states, links.instruments, [t.key for t in links.themes]
    (['PER'], ['ILO-C169'], ['mining', 'extractives'])

Every guess carries the versioned rule that made it (`Links.rules`, `RULES_VERSION`).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ingest.link.gazetteers import (
    ENTITY_LABELS,
    GAZETTEER_RULE,
    LANGUAGES,
    NOT_ENTITY_LABEL,
    NOT_THEME_LABEL,
    THEME_LABEL,
    build_patterns,
    default_reference_dir,
    default_vocabularies_path,
    read_theme_hierarchy,
    strip_accents,
)
from ingest.records import DocumentError, Scored
from kg.reference_tables import read_table, split_values

SDG_MENTIONS_RULE = "mwg.linking.sdg-mentions.v1"
SDG_THEMES_RULE = "mwg.linking.sdg-themes.v1"
THEME_INFERENCE_RULE = "mwg.linking.theme-inference.v1"
RULES_VERSION = (GAZETTEER_RULE, SDG_MENTIONS_RULE, SDG_THEMES_RULE, THEME_INFERENCE_RULE)

MAX_TEXT_CHARS = 1_000_000  # default limit per call: link a document paragraph by paragraph
MAX_RUN_CHARS = 1_000  # runs without whitespace are broken at this length (tokenizer is quadratic)
MAX_PUNCTUATION_RUN = 8  # longer runs of punctuation carry no names and are read as a space
SPANS_KEY = "mwg"
GAZETTEER_FACTORY = "mwg_gazetteer"  # the spaCy factory of the gazetteer component

# Themes that signal SDG targets, with the score of the inference (`sdg-themes` rule). A target's
# score is this score times the theme's own score; an explicit mention always scores 1.0.
THEME_SDG_TARGETS: dict[str, tuple[tuple[str, float], ...]] = {
    "extractives": (("12.2", 0.4),),  # sustainable management of natural resources
    "mining": (("12.2", 0.4), ("12.4", 0.3)),  # … and of chemicals and wastes (tailings)
    "oil-and-gas": (("12.2", 0.4),),
    "land": (("1.4", 0.5), ("2.3", 0.3)),  # rights over land; access to land of small producers
    "water": (("6.1", 0.6), ("6.3", 0.5), ("6.6", 0.3)),  # drinking water; water quality; ecosystems
    "environment": (("15.1", 0.4), ("6.3", 0.3), ("12.4", 0.3)),
    "toxics": (("12.4", 0.6), ("3.9", 0.5), ("6.3", 0.4)),  # hazardous chemicals and pollution
    "climate": (("13.1", 0.5), ("13.2", 0.5)),
    "consultation": (("16.7", 0.6),),  # participatory decision-making
    "fpic": (("16.7", 0.5),),
    "human-rights-defenders": (("16.10", 0.6),),  # fundamental freedoms; indicator 16.10.1
    "access-to-information": (("16.10", 0.6),),
    "assembly-and-association": (("16.10", 0.5),),
    "access-to-justice": (("16.3", 0.6),),
    "corruption-and-transparency": (("16.5", 0.6), ("16.6", 0.4)),
    "indigenous-peoples": (("10.2", 0.4), ("2.3", 0.3), ("4.5", 0.3)),
    "business-and-human-rights": (("12.6", 0.5),),  # companies' sustainable practices and reporting
    "labour": (("8.8", 0.6), ("8.7", 0.4)),  # labour rights; forced and child labour
    "health": (("3.8", 0.4), ("3.9", 0.4)),
    "food": (("2.1", 0.5), ("2.3", 0.4)),
    "housing": (("11.1", 0.6),),
    "displacement": (("11.1", 0.3),),
    "women": (("5.1", 0.5), ("5.2", 0.3)),
    "children": (("16.2", 0.3),),  # violence against children
    "poverty": (("1.2", 0.5), ("1.3", 0.4), ("10.2", 0.3)),
}
# Scores of the `theme-inference` rule: a broader theme of a mentioned one (per level), and the
# themes that a company (extractives) or an indigenous or tribal people implies.
BROADER_THEME_SCORE = 0.8
COMPANY_THEME = ("extractives", 0.6)
PEOPLE_THEME = ("indigenous-peoples", 0.6)
PEOPLE_KINDS = {"indigenous-people", "tribal-people"}

_GOAL = r"(?:1[0-7]|[1-9])"
_TARGET = rf"{_GOAL}\.(?:1[0-9]|[1-9]|[a-d])"
_INDICATOR = re.compile(rf"^({_TARGET})\.\d{{1,2}}$")
_FUSED = re.compile(rf"^(?:SDG|ODS|ODD)s?({_GOAL})$")
# Words that every SDG mention holds: the matcher (slow regex predicates) runs only on texts with one.
_SDG_TRIGGER = re.compile(
    r"(?i)\b(?:target|indicator|goal|sdg|mdg|ods|odd|meta|indicador|objetivo|cible|indicateur|objectif)"
)
_SEPARATOR = re.compile(rf"(?:\s|(?:[^\w\s]|_){{{MAX_PUNCTUATION_RUN + 1},}})+")


def _number_list(head: list[dict], item: str) -> list[dict]:
    """A trigger, one number, and more numbers joined by commas or "and": "targets 6.3, 6.6 and 12.4"."""
    more = rf"^(?:,|and|or|&|y|o|et|ou|{item})$"
    return [*head, {"TEXT": {"REGEX": rf"^{item}$"}}, {"LOWER": {"REGEX": more}, "OP": "*"}]


def _words(*alternatives: str) -> dict:
    return {"LOWER": {"IN": list(alternatives)}}


# Matcher patterns of the `sdg-mentions` rule, by what they find.
SDG_MENTION_PATTERNS = {
    "target": [
        _number_list([_words("target", "targets", "meta", "metas", "cible", "cibles")], _TARGET),
    ],
    "indicator": [
        _number_list([_words("indicator", "indicators", "indicador", "indicadores", "indicateur", "indicateurs")],
                     rf"{_TARGET}\.\d{{1,2}}"),
    ],
    "goal": [
        _number_list([_words("sdg", "sdgs", "ods", "odd")], f"(?:{_TARGET}|{_GOAL})"),
        _number_list([_words("sustainable"), _words("development"), _words("goal", "goals")],
                     f"(?:{_TARGET}|{_GOAL})"),
        _number_list([_words("objetivo", "objetivos"), _words("de"), _words("desarrollo"), _words("sostenible")],
                     f"(?:{_TARGET}|{_GOAL})"),
        _number_list([_words("objectif", "objectifs"), _words("de"), _words("développement"), _words("durable")],
                     f"(?:{_TARGET}|{_GOAL})"),
        _number_list([{"ORTH": {"IN": ["Goal", "Goals"]}}], _GOAL),
        [{"TEXT": {"REGEX": r"^(?:SDG|ODS|ODD)s?(?:1[0-7]|[1-9])$"}}],
    ],
    # Millennium Development Goals are not SDGs: "Millennium Development Goal 5", "MDG 2".
    "mdg": [
        _number_list([_words("millennium"), _words("development"), _words("goal", "goals")], _GOAL),
        _number_list([_words("mdg", "mdgs")], _GOAL),
        [{"TEXT": {"REGEX": r"^MDGs?(?:1[0-7]|[1-9])$"}}],
    ],
}


@dataclass
class Links:
    """What a text names, by ontology key, with the spans that say so (`entities`: label, key,
    start, end — character offsets into the text given to `link`)."""

    states: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)
    themes: list[Scored] = field(default_factory=list)
    sdg_targets: list[Scored] = field(default_factory=list)
    entities: list[tuple[str, str, int, int]] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PreparedText:
    """Text the tokenizer can take at linear cost, with each character's offset in the original."""

    text: str
    offsets: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end - 1] + 1


def prepare_text(text: str) -> PreparedText:
    """Make whitespace single spaces (names survive line breaks), read runs of more than
    `MAX_PUNCTUATION_RUN` punctuation marks as a space, and break any run without whitespace every
    `MAX_RUN_CHARS` characters: spaCy's tokenizer is quadratic on such runs (RELIABILITY.md).

    >>> prepare_text("Committee on the\\n  Elimination").text
    'Committee on the Elimination'
    """
    pieces: list[str] = []
    offsets: list[int] = []

    def emit_run(start: int, end: int) -> None:
        for cut in range(start, end, MAX_RUN_CHARS):
            if cut > start:
                pieces.append(" ")
                offsets.append(cut)
            stop = min(cut + MAX_RUN_CHARS, end)
            pieces.append(text[cut:stop])
            offsets.extend(range(cut, stop))

    position = 0
    for separator in _SEPARATOR.finditer(text):
        emit_run(position, separator.start())
        pieces.append(" ")
        offsets.append(separator.start())
        position = separator.end()
    emit_run(position, len(text))
    return PreparedText("".join(pieces), offsets)


class EntityLinker:
    """The rule-based linker. Build it once (`from_reference`); each language's pipeline is made
    the first time `link` is asked for it."""

    def __init__(self, reference_dir: Path, vocabularies_path: Path, *, max_text_chars: int = MAX_TEXT_CHARS):
        self.reference_dir = reference_dir
        self.max_text_chars = max_text_chars
        self.vocabularies_path = vocabularies_path
        self.broader = read_theme_hierarchy(vocabularies_path)
        self.demonyms = demonyms_that_are_not_names(reference_dir)
        self.goals = {row["goal"] for row in read_table(reference_dir / "sdg_goals.csv")}
        self.targets = {row["target"] for row in read_table(reference_dir / "sdg_targets.csv")}
        peoples = read_table(reference_dir / "peoples.csv")
        self.people_kinds = {row["key"]: row["kind"] for row in peoples}
        self.people_countries = {row["key"]: set(split_values(row["countries"])) for row in peoples}
        self.generic_names = {
            row["key"]: {normalise_name(name) for name in split_values(row["generic_names"])} for row in peoples
        }
        self._pipelines: dict[str, tuple[spacy.Language, Matcher]] = {}

    @classmethod
    def from_reference(
        cls,
        reference_dir: Path | None = None,
        vocabularies_path: Path | None = None,
        *,
        max_text_chars: int = MAX_TEXT_CHARS,
    ) -> EntityLinker:
        """A linker over the reference tables and vocabularies (by default, those of the installation)."""
        linker = cls(
            reference_dir or default_reference_dir(),
            vocabularies_path or default_vocabularies_path(),
            max_text_chars=max_text_chars,
        )
        linker.pipeline("en")
        return linker

    def pipeline(self, language: str) -> tuple[spacy.Language, Matcher]:
        """The blank pipeline of `language` with the gazetteer, and its SDG mention matcher."""
        if language not in LANGUAGES:
            raise DocumentError(f"language '{language}' is not supported by the linker; use one of {LANGUAGES}")
        if language not in self._pipelines:
            nlp = spacy.blank(language)
            nlp.max_length = 2 * self.max_text_chars
            gazetteer = nlp.add_pipe(register_gazetteer())
            gazetteer.add_patterns(build_patterns(self.reference_dir, self.vocabularies_path, language=language))
            matcher = Matcher(nlp.vocab)
            for name, patterns in SDG_MENTION_PATTERNS.items():
                matcher.add(name, patterns, greedy="LONGEST")
            self._pipelines[language] = (nlp, matcher)
        return self._pipelines[language]

    def link(self, text: str, *, language: str = "en", context_states: Iterable[str] = ()) -> Links:
        """Link `text`. `context_states` (ISO alpha-3) are the States the surrounding document
        concerns: they let a generic name ("herders") link to the community of those States."""
        if not isinstance(text, str):
            raise DocumentError(f"the linker takes text, not {type(text).__name__}")
        if len(text) > self.max_text_chars:
            raise DocumentError(
                f"text of {len(text):,} characters is longer than the linker's limit of {self.max_text_chars:,}; "
                "link the document paragraph by paragraph"
            )
        nlp, matcher = self.pipeline(language)
        prepared = prepare_text(text)
        doc = nlp(prepared.text)
        spans = list(doc.spans[SPANS_KEY])
        entities = [span for span in resolve_entities(doc, spans) if not self.is_language_name(span)]
        mentioned = {span.id_ for span in entities if span.label_ == "STATE"} | set(context_states)
        entities = [span for span in entities if self.in_scope(span, mentioned)]
        theme_spans = resolve_themes(spans)
        sdg_spans = self.sdg_mentions(doc, matcher) if _SDG_TRIGGER.search(prepared.text) else []
        return self.assemble(prepared, entities, theme_spans, sdg_spans)

    # -- rules ---------------------------------------------------------------------------------

    def is_language_name(self, span: Span) -> bool:
        """`gazetteer` rule: a demonym names a State only as an adjective before a noun ("Peruvian
        authorities"); "Original: Spanish" and "English, French and Spanish only" name languages."""
        if span.label_ != "STATE" or normalise_name(span.text) not in self.demonyms:
            return False
        following = span.end
        while following < len(span.doc) and self.continues_a_list_of_demonyms(span.doc[following]):
            following += 1  # "Peruvian and Bolivian authorities"
        noun = span.doc[following] if following < len(span.doc) else None
        return noun is None or not noun.is_alpha or noun.is_stop

    def continues_a_list_of_demonyms(self, token: Token) -> bool:
        return token.text == "," or token.lower_ in ("and", "or") or token.lower_ in self.demonyms

    def in_scope(self, span: Span, states: set[str]) -> bool:
        """`gazetteer` rule: a generic name of a community ("herders") links only when the text or
        its context concerns one of the community's States ("herders" -> mongolian-herders with MNG)."""
        if span.label_ != "COMMUNITY" or normalise_name(span.text) not in self.generic_names.get(span.id_, set()):
            return True
        return bool(self.people_countries.get(span.id_, set()) & states)

    def sdg_mentions(self, doc: Doc, matcher: Matcher) -> list[tuple[str, Span]]:
        """`sdg-mentions` rule: explicit goals and targets, with the token that names each.

        "target 6.3", "SDG target 16.7", "targets 6.3 and 6.6" -> targets; "Sustainable Development
        Goal 6", "Goals 5 and 16", "SDG 13", "SDG13" -> goals ("SDG 6.3" is a target); "indicator
        16.10.1" -> target 16.10. "Millennium Development Goal 5" and "MDG 2" are not SDGs.
        """
        matches = [(doc.vocab.strings[match_id], doc[start:end]) for match_id, start, end in matcher(doc)]
        blocked = {i for name, span in matches if name == "mdg" for i in range(span.start, span.end)}
        found = []
        for name, span in sorted(matches, key=lambda item: item[1].start):
            if name == "mdg" or blocked & set(range(span.start, span.end)):
                continue
            for token in span:
                key = self.sdg_key(token.text)
                if key:
                    found.append((key, doc[token.i : token.i + 1]))
        return found

    def sdg_key(self, text: str) -> str | None:
        """"6" -> "6", "16.b" -> "16.b", "16.10.1" -> "16.10", "SDG13" -> "13"; unknown numbers -> None."""
        indicator, fused = _INDICATOR.match(text), _FUSED.match(text)
        key = indicator.group(1) if indicator else fused.group(1) if fused else text
        return key if key in self.goals or key in self.targets else None

    def infer_themes(self, explicit: list[str], companies: list[str], communities: list[str]) -> dict[str, float]:
        """`theme-inference` rule: the broader themes of mentioned ones ("mining" -> "extractives",
        0.8 per level); a company -> "extractives"; an indigenous or tribal people -> "indigenous-peoples"."""
        scores: dict[str, float] = {}

        def suggest(key: str, score: float) -> None:
            if key not in explicit and score > scores.get(key, 0.0):
                scores[key] = score

        if companies:
            suggest(*COMPANY_THEME)
        if any(self.people_kinds.get(key) in PEOPLE_KINDS for key in communities):
            suggest(*PEOPLE_THEME)
        for key in [*explicit, *list(scores)]:
            score = 1.0 if key in explicit else scores[key]
            while key in self.broader:
                key, score = self.broader[key], round(score * BROADER_THEME_SCORE, 2)
                suggest(key, score)
        return scores

    def infer_sdg_targets(self, themes: list[Scored]) -> dict[str, float]:
        """`sdg-themes` rule: the targets of `THEME_SDG_TARGETS`, scored by the table times the theme's score."""
        scores: dict[str, float] = {}
        for theme in themes:
            for target, score in THEME_SDG_TARGETS.get(theme.key, ()):
                if target in self.targets:
                    keep_highest(scores, target, round(score * theme.score, 2))
        return scores

    def assemble(
        self,
        prepared: PreparedText,
        entities: list[Span],
        theme_spans: list[Span],
        sdg_spans: list[tuple[str, Span]],
    ) -> Links:
        """Keys by kind in order of first mention, scored themes and targets, provenance and rules."""
        links = Links()
        by_label = {
            "STATE": links.states,
            "INSTRUMENT": links.instruments,
            "MECHANISM": links.mechanisms,
            "COMPANY": links.companies,
            "COMMUNITY": links.communities,
        }
        provenance = [(span.label_, span.id_, span) for span in [*entities, *theme_spans]]
        provenance += [("SDG", key, span) for key, span in sdg_spans]
        for span in entities:
            append_new(by_label[span.label_], span.id_)
        explicit_themes: list[str] = []
        for span in sorted(theme_spans, key=lambda span: span.start):
            append_new(explicit_themes, span.id_)
        inferred_themes = self.infer_themes(explicit_themes, links.companies, links.communities)
        links.themes = [Scored(key, 1.0, GAZETTEER_RULE) for key in explicit_themes]
        links.themes += ranked(inferred_themes, THEME_INFERENCE_RULE)

        explicit_sdgs: list[str] = []
        for key, _ in sdg_spans:
            append_new(explicit_sdgs, key)
        inferred_sdgs = {k: v for k, v in self.infer_sdg_targets(links.themes).items() if k not in explicit_sdgs}
        links.sdg_targets = [Scored(key, 1.0, SDG_MENTIONS_RULE) for key in explicit_sdgs]
        links.sdg_targets += ranked(inferred_sdgs, SDG_THEMES_RULE)

        offsets = {(label, key, *prepared.original_span(s.start_char, s.end_char)) for label, key, s in provenance}
        links.entities = sorted(offsets, key=lambda item: (item[2], item[3], item[0], item[1]))
        used = (
            (GAZETTEER_RULE, bool(entities or theme_spans)),
            (SDG_MENTIONS_RULE, bool(explicit_sdgs)),
            (SDG_THEMES_RULE, bool(inferred_sdgs)),
            (THEME_INFERENCE_RULE, bool(inferred_themes)),
        )
        links.rules = [rule for rule, fired in used if fired]
        return links


def register_gazetteer() -> str:
    """Register the gazetteer's factory with spaCy, once, when a pipeline first needs it (importing
    this module changes no registry), and return its name for `nlp.add_pipe`."""
    if not Language.has_factory(GAZETTEER_FACTORY):
        Language.factory(GAZETTEER_FACTORY, func=make_gazetteer)
    return GAZETTEER_FACTORY


def make_gazetteer(nlp: Language, name: str) -> GazetteerMatcher:
    return GazetteerMatcher(nlp.vocab)


class GazetteerMatcher:
    """Finds span_ruler token patterns as `span_ruler` does, into `doc.spans["mwg"]`, but at
    PhraseMatcher speed: spaCy's `Matcher` tries every pattern at every token, which with ~2,000
    patterns links only ~60 paragraphs a second.

    Each pattern is expanded into its concrete token sequences (an optional "the" present or
    absent), found case-insensitively by a `PhraseMatcher` on LOWER, and then checked against the
    pattern's own constraints (`ORTH`, `LOWER`, `IS_LOWER`), the only ones `build_patterns` writes.
    """

    CONSTRAINTS = {
        "ORTH": lambda token, value: token.text == value,
        "LOWER": lambda token, value: token.lower_ == value,
        "IS_LOWER": lambda token, value: token.is_lower == value,
    }

    def __init__(self, vocab):
        self.vocab = vocab
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.candidates: dict[str, list[tuple[str, str, tuple[dict, ...]]]] = defaultdict(list)

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        for pattern in patterns:
            for tokens in concrete_sequences(pattern["pattern"]):
                unknown = {name for token in tokens for name in token} - set(self.CONSTRAINTS)
                if unknown:
                    raise ValueError(f"pattern {pattern} uses {sorted(unknown)}, which the linker cannot check")
                words = [token.get("LOWER", token.get("ORTH", "")).lower() for token in tokens]
                key = "\x1f".join(words)
                if key not in self.candidates:
                    self.matcher.add(key, [Doc(self.vocab, words=words)])
                self.candidates[key].append((pattern["label"], pattern.get("id", ""), tuple(tokens)))

    def __call__(self, doc: Doc) -> Doc:
        spans = {}
        for match_id, start, end in self.matcher(doc):
            for label, key, constraints in self.candidates[self.vocab.strings[match_id]]:
                if all(self.satisfies(token, constraint) for token, constraint in zip(doc[start:end], constraints)):
                    spans[(start, end, label, key)] = Span(doc, start, end, label=label, span_id=key)
        doc.spans[SPANS_KEY] = sorted(spans.values(), key=lambda span: (span.start, span.end))
        return doc

    def satisfies(self, token: Token, constraint: dict) -> bool:
        return all(self.CONSTRAINTS[name](token, value) for name, value in constraint.items())


def concrete_sequences(pattern: list[dict]) -> Iterator[list[dict]]:
    """`[{"LOWER": "the", "OP": "?"}, {"LOWER": "gambia"}]` -> `[{"LOWER": "the"}, {"LOWER": "gambia"}]`
    and `[{"LOWER": "gambia"}]`."""
    optional = [i for i, token in enumerate(pattern) if token.get("OP") == "?"]
    for kept in itertools.product((True, False), repeat=len(optional)):
        dropped = {i for i, keep in zip(optional, kept) if not keep}
        tokens = [
            {name: value for name, value in token.items() if name != "OP"}
            for i, token in enumerate(pattern)
            if i not in dropped
        ]
        if tokens:
            yield tokens


def resolve_entities(doc: Doc, spans: list[Span]) -> list[Span]:
    """`gazetteer` rule: keep the longest of overlapping names ("Democratic Republic of the
    Congo" over "Congo", "American Convention on Human Rights" over "American"), then drop the
    phrases that are not entities ("inter-American") and codes out of place."""
    candidates = [span for span in spans if span.label_ in ENTITY_LABELS or span.label_ == NOT_ENTITY_LABEL]
    return [
        span
        for span in filter_spans(candidates)
        if span.label_ != NOT_ENTITY_LABEL and not is_code_out_of_place(doc, span)
    ]


def resolve_themes(spans: list[Span]) -> list[Span]:
    """`gazetteer` rule: every theme keyword counts ("child labour" is labour and children), except
    inside a phrase that only looks like one ("International Labour Organization")."""
    blocked = {i for span in spans if span.label_ == NOT_THEME_LABEL for i in range(span.start, span.end)}
    return [
        span for span in spans if span.label_ == THEME_LABEL and not blocked & set(range(span.start, span.end))
    ]


def is_code_out_of_place(doc: Doc, span: Span) -> bool:
    """A State's code or acronym ("PER", "AND", "UK") inside a run of capitals ("PER CENT",
    "CONCLUSIONS AND RECOMMENDATIONS") or inside a document symbol ("E/C.12/ARG/CO/3") is no State."""
    if span.label_ != "STATE" or len(span) != 1 or not span.text.isupper():
        return False
    neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(token.text == "/" or (token.is_alpha and token.is_upper and len(token) > 1) for token in neighbours)


def demonyms_that_are_not_names(reference_dir: Path) -> set[str]:
    """Demonyms of states.csv ("peruvian"), less those that are also names ("new zealand")."""
    rows = read_table(reference_dir / "states.csv")
    names = {
        normalise_name(name)
        for row in rows
        for name in (row["short_name"], row["formal_name"], *split_values(row["other_names"]))
    }
    return {normalise_name(demonym) for row in rows for demonym in split_values(row["demonyms"])} - names


def normalise_name(text: str) -> str:
    return " ".join(strip_accents(text).lower().split())


def append_new(items: list[str], key: str) -> None:
    if key not in items:
        items.append(key)


def keep_highest(scores: dict[str, float], key: str, score: float) -> None:
    if score > scores.get(key, 0.0):
        scores[key] = score


def ranked(scores: dict[str, float], rule: str) -> list[Scored]:
    """Highest score first, then by key, so the order is stable."""
    return [Scored(key, score, rule) for key, score in sorted(scores.items(), key=lambda item: (-item[1], item[0]))]
