"""Read the project's reference tables (`ontology/reference/*.csv`).

The tables are facts written by the project (ISO codes, SDG numbering, treaty titles, treaty
actions). `kg.reference` turns them into RDF; tests check them against outside sources.
Multi-valued cells separate their values with `|`.
"""

from __future__ import annotations

import csv
from pathlib import Path

MULTI_VALUE_SEPARATOR = "|"


def read_table(path: Path) -> list[dict[str, str]]:
    """Return the rows of a UTF-8 CSV table as dicts with stripped values.

    >>> from kg.paths import bundled_dir
    >>> rows = read_table(bundled_dir("ontology") / "reference" / "states.csv")
    >>> rows[0]["iso3"]
    'AFG'
    """
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {key.strip(): (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def split_values(cell: str) -> list[str]:
    """Split a multi-valued cell.

    >>> split_values("UK| Britain |")
    ['UK', 'Britain']
    >>> split_values("")
    []
    """
    return [part.strip() for part in cell.split(MULTI_VALUE_SEPARATOR) if part.strip()]
