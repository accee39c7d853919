"""Turn the names UN documents give States into ISO 3166-1 alpha-3 codes.

UN texts name a State in many ways: the UN short name (`Bolivia (Plurinational State of)`), the
formal name (`the Plurinational State of Bolivia`), an inverted form (`Venezuela, Bolivarian
Republic of`), an old name (`Libyan Arab Jamahiriya`), a common name (`Russia`), with or without
diacritics, a leading "the" or a stray space (`Iran(Islamic Republic of)`, `Holy See )`). The
table behind this is the project's own `ontology/reference/states.csv`; nothing is hard-coded here.

    >>> names = StateNames.from_reference()
    >>> names.resolve("Venezuela, Bolivarian Republic of")
    'VEN'
    >>> names.split_list("(Venezuela (Bolivarian Republic of), Cuba and Iran (Islamic Republic of))")
    ['VEN', 'CUB', 'IRN']
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from anyascii import anyascii

from kg.reference_tables import read_table, split_values
from kg.settings import get_settings

NAME_COLUMNS = ("short_name", "formal_name", "other_names")
CODE_COLUMNS = ("iso3", "iso2")
FUZZY_CUTOFF = 0.9  # "Russia Federation" -> Russian Federation; "Austria" never -> Australia (0.875)
FUZZY_MAX_EDIT = 2  # a slip, not a longer list: "Venezuela (…), Cuba" is no Venezuela
FUZZY_MIN_LENGTH = 10  # shorter names differ by too few letters to be guessed safely ("Dominican")
LIST_SEPARATORS = ",;"
AND = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
TRAILING_JUNK = re.compile(r"[\s\d*;.,:]+$")  # footnote markers and punctuation after a list: "(China)1;"


def normalise(name: str) -> str:
    """Fold a name to the form the index is keyed on.

    Lower case, ASCII (anyascii: `Côte d’Ivoire` -> `cote divoire`), no apostrophes or full stops,
    hyphens as spaces, no article "the" anywhere (`Republic of the Congo` -> `republic of congo`).
    """
    text = anyascii(name).lower().replace("&", " and ")
    text = re.sub(r"['`\".]", "", text)
    text = re.sub(r"[-_/]", " ", text)
    text = re.sub(r"\s*\(\s*", " (", text)
    text = re.sub(r"\s*\)", ")", text)
    text = re.sub(r"\bthe\b", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    return text.replace(" ()", "").replace("()", "").strip()


def variants(name: str) -> list[str]:
    """The normalised name and its uninverted forms.

    `venezuela (bolivarian republic of)` and `venezuela, bolivarian republic of` both also give
    `bolivarian republic of venezuela`; `netherlands (kingdom of)` gives `kingdom of netherlands`.
    """
    base = normalise(name)
    forms = [base]
    bracket = re.fullmatch(r"([^()]+) \(([^()]+)\)", base)
    if bracket:
        forms += [f"{bracket.group(2)} {bracket.group(1)}", bracket.group(1)]
    comma = re.fullmatch(r"([^,]+), ([^,]+)", base)
    if comma:
        forms.append(f"{comma.group(2)} {comma.group(1)}")
    return forms


def top_level_split(text: str, separators: str) -> list[str]:
    """Split on separators outside parentheses: `A (x, y), B` -> `["A (x, y)", " B"]`."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        if char in separators and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def strip_brackets(text: str) -> str:
    """`(Slovakia, Spain);` -> `Slovakia, Spain`; `(China)1;` -> `China`; a bare list stays as it is."""
    text = text.strip()
    if text.startswith("("):
        text = TRAILING_JUNK.sub("", text)
        if closing_bracket(text, 0) == len(text) - 1:
            return text[1:-1]
    return text.strip(" ;,.:")


def closing_bracket(text: str, opening: int, end: int | None = None) -> int:
    """Index of the `)` closing the `(` at `opening` (before `end`), or -1 when it is not closed."""
    depth = 0
    for index in range(opening, len(text) if end is None else end):
        depth += (text[index] == "(") - (text[index] == ")")
        if depth == 0:
            return index
    return -1


class StateNames:
    """An index of State names, built from the project's reference table of States."""

    def __init__(self, names: dict[str, str], codes: dict[str, str], ambiguous: set[str] = frozenset()):
        self._names = names  # normalised name -> ISO alpha-3
        self._codes = codes  # ISO alpha-3 or alpha-2, as written -> ISO alpha-3
        self._ambiguous = ambiguous  # names of two States, never guessed
        self._fuzzy_keys = [key for key in names if len(key) >= FUZZY_MIN_LENGTH]
        self._resolved: dict[str, str | None] = {}

    @classmethod
    def from_reference(cls, reference_dir: Path | None = None) -> StateNames:
        """Build the index from `states.csv` in `reference_dir` (default: the reference tables in use,
        `MWG_KG_ONTOLOGY_DIR` or those of the installation).

        A name shared by two States (`Congolese`, `Dominican`) is left out rather than guessed.
        """
        path = (reference_dir or get_settings().reference_path) / "states.csv"
        if not path.is_file():
            raise FileNotFoundError(f"no table of States at {path}: the reference data is missing")
        names: dict[str, str] = {}
        ambiguous: set[str] = set()
        codes: dict[str, str] = {}
        for row in read_table(path):
            code = row["iso3"]
            for column in CODE_COLUMNS:
                if row.get(column):
                    codes[row[column]] = code
            spellings = [row[column] for column in NAME_COLUMNS if row.get(column)]
            spellings += split_values(row.get("other_names", "")) + split_values(row.get("demonyms", ""))
            for spelling in spellings:
                for key in variants(spelling):
                    if names.get(key, code) != code:
                        ambiguous.add(key)
                    names[key] = code
        return cls({key: code for key, code in names.items() if key not in ambiguous}, codes, ambiguous)

    def resolve(self, name: str) -> str | None:
        """ISO alpha-3 of a State name, or None.

        Tolerates case, diacritics, a leading "the", "(the)", inverted names, ISO codes written in
        capitals, and a one-letter slip in a long name (`Russia Federation`).

        >>> names = StateNames.from_reference()
        >>> names.resolve("The former Yugoslav Republic of Macedonia")
        'MKD'
        """
        if name not in self._resolved:
            self._resolved[name] = self._lookup(name)
        return self._resolved[name]

    def _lookup(self, name: str) -> str | None:
        stripped = name.strip().strip(" ;,.:")
        if not stripped:
            return None
        if stripped in self._codes:
            return self._codes[stripped]
        for form in variants(stripped):
            if form in self._names:
                return self._names[form]
        return self._guess(normalise(stripped))

    def _guess(self, key: str) -> str | None:
        """The one State whose long name `key` misspells, else None.

        A guess never goes against a State the words name exactly: "Republic of Ireland" is one
        letter from "Republic of Iceland" but names Ireland, so no guess is made.
        """
        if len(key) < FUZZY_MIN_LENGTH or key in self._ambiguous:
            return None
        close = difflib.get_close_matches(key, self._fuzzy_keys, n=3, cutoff=FUZZY_CUTOFF)
        found = {self._names[match] for match in close if abs(len(match) - len(key)) <= FUZZY_MAX_EDIT}
        named = {self._names[word] for word in key.split() if word in self._names}
        if len(found) != 1 or not named <= found:
            return None
        return found.pop()

    def parse_list(self, text: str) -> list[str] | None:
        """The States of a list such as `(Slovakia, Spain)`, or None unless every name is a State.

        Lists separate names with commas, semicolons or "and"; a comma inside a name
        (`Venezuela, Bolivarian Republic of`) or an "and" (`Trinidad and Tobago`) is kept when it
        makes a State, and parentheses nest (`Bolivia (Plurinational State of)`).
        """
        pieces = [piece.strip() for piece in top_level_split(strip_brackets(text), LIST_SEPARATORS)]
        if not any(pieces):
            return None
        codes = self._partition(tuple(piece for piece in pieces if piece))
        if codes is None:
            return None
        return list(dict.fromkeys(codes))

    def split_list(self, text: str) -> list[str]:
        """ISO codes of the States in a list; names that are not States are left out.

        >>> StateNames.from_reference().split_list("(Slovakia, Spain)")
        ['SVK', 'ESP']
        """
        parsed = self.parse_list(text)
        if parsed is not None:
            return parsed
        found: list[str] = []
        for piece in top_level_split(strip_brackets(text), LIST_SEPARATORS):
            found += self._split_and(piece) or [code for part in AND.split(piece) if (code := self.resolve(part))]
        return list(dict.fromkeys(found))

    def _partition(self, pieces: tuple[str, ...]) -> list[str] | None:
        """Group consecutive comma-separated pieces so that every group is a State (or an "and" list)."""
        if not pieces:
            return []
        for size in range(len(pieces), 0, -1):
            head = self._split_and(", ".join(pieces[:size]))
            if head is None:
                continue
            rest = self._partition(pieces[size:])
            if rest is not None:
                return head + rest
        return None

    def _split_and(self, text: str) -> list[str] | None:
        """`Chile and Trinidad and Tobago` -> `['CHL', 'TTO']`: split on "and" only where needed."""
        code = self.resolve(text)
        if code:
            return [code]
        for match in AND.finditer(text):
            left = self.resolve(text[: match.start()])
            if left:
                right = self._split_and(text[match.end() :])
                if right is not None:
                    return [left, *right]
        return None
