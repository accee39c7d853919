"""Checks of `ontology/reference/states.csv` (UN Member States and observer States).

The structural test needs nothing outside the project. The others compare the project's facts with
the country lists under `../shared/data/reference/countries` (skipped when that folder is absent):
`un_member_states_derived.csv` (the 193 Member States), `datasets_country-codes/country-codes.csv`
(ISO 3166, UN M49, UNTERM names, Wikidata) and `mledoze_countries/countries.csv` (ISO codes, UN
membership, common names).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from kg.reference_tables import read_table, split_values

COLUMNS = [
    "iso3",
    "iso2",
    "m49",
    "un_status",
    "short_name",
    "formal_name",
    "other_names",
    "demonyms",
    "wikidata",
]
OBSERVERS = {"VAT", "PSE"}  # Holy See, State of Palestine: the two non-member observer States
QID = re.compile(r"^Q[1-9][0-9]*$")

# UNTERM names the shared snapshots lack: Côte d'Ivoire and Türkiye have no UNTERM row there.
KNOWN_UNTERM_GAPS = {"CIV", "TUR"}
# Short names UNTERM changed after the snapshots were taken: since 2023 UNTERM and the UN list of
# Member States write "Netherlands (Kingdom of the)"; the snapshots still have "Netherlands (the)".
OUTDATED_UNTERM_SHORT = {"NLD": "Netherlands (the)"}
# mledoze_countries marks the Holy See as a UN member (unMember = 1); it is a non-member observer State.
MLEDOZE_WRONG_MEMBERSHIP = {"VAT"}


def first(items, n: int = 20) -> list:
    return sorted(items)[:n]


@pytest.fixture(scope="module")
def states(reference_dir: Path) -> list[dict[str, str]]:
    return read_table(reference_dir / "states.csv")


@pytest.fixture(scope="module")
def by_iso3(states: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["iso3"]: row for row in states}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def countries_dir(shared_data: Path) -> Path:
    folder = shared_data / "reference" / "countries"
    if not folder.is_dir():
        pytest.skip(f"country reference lists not found at {folder}")
    return folder


@pytest.fixture(scope="module")
def un_members(countries_dir: Path) -> dict[str, dict[str, str]]:
    rows = _read_csv(countries_dir / "un_member_states_derived.csv")
    return {row["iso_alpha3"]: row for row in rows}


@pytest.fixture(scope="module")
def country_codes(countries_dir: Path) -> dict[str, dict[str, str]]:
    rows = _read_csv(countries_dir / "datasets_country-codes" / "country-codes.csv")
    return {row["ISO3166-1-Alpha-3"]: row for row in rows if row["ISO3166-1-Alpha-3"]}


@pytest.fixture(scope="module")
def mledoze(countries_dir: Path) -> dict[str, dict[str, str]]:
    rows = _read_csv(countries_dir / "mledoze_countries" / "countries.csv")
    return {row["cca3"]: row for row in rows if row["cca3"]}


def _unterm_short(name: str) -> str:
    """UNTERM short name as the UN lists write it: no " *" (non-member mark), no trailing " (the)"."""
    name = name.removesuffix("*").strip()
    return name.removesuffix("(the)").strip()


def _unterm_formal(name: str) -> str:
    """UNTERM formal name without the non-member mark and without a leading "the "."""
    name = name.removesuffix("*").strip()
    return name[4:] if name.lower().startswith("the ") else name


def _same_name(ours: str, theirs: str) -> bool:
    """Equal, allowing only the case of the first letter to differ."""
    return ours == theirs or (ours[:1].lower() == theirs[:1].lower() and ours[1:] == theirs[1:])


# --- structure (no outside data) -----------------------------------------------------------------


def test_states_table_structure(reference_dir: Path, states: list[dict[str, str]]) -> None:
    with (reference_dir / "states.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == COLUMNS, f"columns {header} != {COLUMNS}"

    patterns = {"iso3": r"^[A-Z]{3}$", "iso2": r"^[A-Z]{2}$", "m49": r"^[0-9]{3}$"}
    bad = [
        f"{row['iso3'] or '?'}:{col}={row[col]!r}"
        for row in states
        for col, pattern in patterns.items()
        if not re.match(pattern, row[col])
    ]
    assert not bad, f"{len(bad)} malformed codes: {first(bad)}"

    bad_status = [row["iso3"] for row in states if row["un_status"] not in {"member", "observer"}]
    assert not bad_status, f"un_status not member/observer: {first(bad_status)}"

    members = [row["iso3"] for row in states if row["un_status"] == "member"]
    observers = {row["iso3"] for row in states if row["un_status"] == "observer"}
    assert len(members) == 193, f"{len(members)} members, expected 193"
    assert observers == OBSERVERS, f"observers {sorted(observers)} != {sorted(OBSERVERS)}"
    assert len(states) == 195, f"{len(states)} rows, expected 195"

    for col in ("iso3", "iso2", "m49", "short_name"):
        values = [row[col] for row in states]
        dupes = {v for v in values if values.count(v) > 1}
        assert not dupes, f"repeated {col}: {first(dupes)}"

    iso3s = [row["iso3"] for row in states]
    assert iso3s == sorted(iso3s), "rows are not sorted by iso3"

    empty = [
        f"{row['iso3']}:{col}"
        for row in states
        for col in ("short_name", "formal_name", "demonyms")
        if not row[col]
    ]
    assert not empty, f"empty required cells: {first(empty)}"

    leading_the = [row["iso3"] for row in states if row["formal_name"].lower().startswith("the ")]
    assert not leading_the, f"formal_name starts with 'the': {first(leading_the)}"

    repeated_short = [
        row["iso3"] for row in states if row["short_name"] in split_values(row["other_names"])
    ]
    assert not repeated_short, f"other_names repeat the short name: {first(repeated_short)}"

    repeated_alt = [
        row["iso3"]
        for row in states
        if len(split_values(row["other_names"])) != len(set(split_values(row["other_names"])))
        or len(split_values(row["demonyms"])) != len(set(split_values(row["demonyms"])))
    ]
    assert not repeated_alt, f"a value repeats inside other_names or demonyms: {first(repeated_alt)}"


def test_wikidata_cells_are_qids_and_unique(states: list[dict[str, str]]) -> None:
    bad = [
        f"{row['iso3']}={row['wikidata']!r}"
        for row in states
        if row["wikidata"] and not QID.match(row["wikidata"])
    ]
    assert not bad, f"wikidata cells that are not QIDs: {first(bad)}"
    qids = [row["wikidata"] for row in states if row["wikidata"]]
    dupes = {q for q in qids if qids.count(q) > 1}
    assert not dupes, f"QIDs used by more than one state: {first(dupes)}"


def test_alternative_names_are_unambiguous(states: list[dict[str, str]]) -> None:
    """A name (short, formal or other) must point at one State only, or entity linking breaks."""
    owners: dict[str, set[str]] = {}
    for row in states:
        names = {row["short_name"], row["formal_name"], *split_values(row["other_names"])}
        for name in names:
            owners.setdefault(name.casefold(), set()).add(row["iso3"])
    clashes = {name: sorted(iso3s) for name, iso3s in owners.items() if len(iso3s) > 1}
    assert not clashes, f"names shared by several states: {sorted(clashes.items())[:20]}"


# --- against the shared reference lists ----------------------------------------------------------


def test_member_set_equals_un_member_states(
    states: list[dict[str, str]], un_members: dict[str, dict[str, str]]
) -> None:
    assert len(un_members) == 193, f"reference lists {len(un_members)} members"
    ours = {row["iso3"] for row in states if row["un_status"] == "member"}
    missing = set(un_members) - ours
    extra = ours - set(un_members)
    assert not missing and not extra, f"missing members: {first(missing)}; not members: {first(extra)}"
    assert not (OBSERVERS & set(un_members)), "an observer State is listed as a member"


def test_codes_agree_with_un_member_states(
    by_iso3: dict[str, dict[str, str]], un_members: dict[str, dict[str, str]]
) -> None:
    mismatches = []
    for iso3, ref in un_members.items():
        ours = (by_iso3[iso3]["iso2"], by_iso3[iso3]["m49"]) if iso3 in by_iso3 else None
        theirs = (ref["iso_alpha2"], ref["iso_numeric"].zfill(3))
        if ours is not None and ours != theirs:
            mismatches.append(f"{iso3}: ours {ours} ref {theirs}")
    assert not mismatches, f"{len(mismatches)} code mismatches: {first(mismatches)}"


def test_codes_agree_with_country_codes(
    states: list[dict[str, str]], country_codes: dict[str, dict[str, str]]
) -> None:
    absent = [row["iso3"] for row in states if row["iso3"] not in country_codes]
    assert not absent, f"states absent from country-codes.csv: {first(absent)}"
    mismatches = []
    for row in states:
        ref = country_codes[row["iso3"]]
        theirs = (ref["ISO3166-1-Alpha-2"], ref["ISO3166-1-numeric"].zfill(3), ref["M49"].zfill(3))
        ours = (row["iso2"], row["m49"], row["m49"])
        if ours != theirs:
            mismatches.append(f"{row['iso3']}: ours {ours} ref {theirs}")
    assert not mismatches, f"{len(mismatches)} mismatches (iso2, ISO numeric, M49): {first(mismatches)}"


def test_codes_and_membership_agree_with_mledoze(
    states: list[dict[str, str]], mledoze: dict[str, dict[str, str]]
) -> None:
    absent = [row["iso3"] for row in states if row["iso3"] not in mledoze]
    assert not absent, f"states absent from mledoze countries.csv: {first(absent)}"
    mismatches = []
    for row in states:
        ref = mledoze[row["iso3"]]
        theirs = (ref["cca2"], ref["ccn3"].zfill(3))
        if (row["iso2"], row["m49"]) != theirs:
            mismatches.append(f"{row['iso3']}: ours {(row['iso2'], row['m49'])} ref {theirs}")
    assert not mismatches, f"{len(mismatches)} code mismatches: {first(mismatches)}"
    ref_members = {iso3 for iso3, row in mledoze.items() if row["unMember"] in {"1", "True", "true"}}
    ref_members -= MLEDOZE_WRONG_MEMBERSHIP
    ours = {row["iso3"] for row in states if row["un_status"] == "member"}
    assert ours == ref_members, (
        f"members only here: {first(ours - ref_members)}; only in mledoze: {first(ref_members - ours)}"
    )


def _reference_names(
    iso3: str, un_members: dict[str, dict[str, str]], country_codes: dict[str, dict[str, str]]
) -> list[tuple[str, str, str]]:
    """(source, UNTERM short, UNTERM formal) pairs the references give for one State."""
    pairs = []
    if iso3 in un_members:
        row = un_members[iso3]
        pairs.append(("un_member_states_derived", row["unterm_english_short"], row["unterm_english_formal"]))
    if iso3 in country_codes:
        row = country_codes[iso3]
        pairs.append(("country-codes", row["UNTERM English Short"], row["UNTERM English Formal"]))
    return pairs


def test_short_names_equal_unterm(
    states: list[dict[str, str]],
    un_members: dict[str, dict[str, str]],
    country_codes: dict[str, dict[str, str]],
) -> None:
    mismatches, lacking = [], set()
    for row in states:
        for source, short, _ in _reference_names(row["iso3"], un_members, country_codes):
            if not short:
                lacking.add(row["iso3"])
                continue
            if OUTDATED_UNTERM_SHORT.get(row["iso3"]) == short:
                continue
            if row["short_name"] != _unterm_short(short):
                mismatches.append(f"{row['iso3']}: {row['short_name']!r} != {source} {short!r}")
    assert not mismatches, f"{len(mismatches)} short-name mismatches: {first(mismatches)}"
    assert lacking <= KNOWN_UNTERM_GAPS, f"references lack UNTERM names for {first(lacking - KNOWN_UNTERM_GAPS)}"


def test_formal_names_equal_unterm(
    states: list[dict[str, str]],
    un_members: dict[str, dict[str, str]],
    country_codes: dict[str, dict[str, str]],
) -> None:
    mismatches, lacking = [], set()
    for row in states:
        for source, _, formal in _reference_names(row["iso3"], un_members, country_codes):
            if not formal:
                lacking.add(row["iso3"])
                continue
            if not _same_name(row["formal_name"], _unterm_formal(formal)):
                mismatches.append(f"{row['iso3']}: {row['formal_name']!r} != {source} {formal!r}")
    assert not mismatches, f"{len(mismatches)} formal-name mismatches: {first(mismatches)}"
    assert lacking <= KNOWN_UNTERM_GAPS, f"references lack UNTERM names for {first(lacking - KNOWN_UNTERM_GAPS)}"


def test_wikidata_agrees_with_country_codes(
    states: list[dict[str, str]], country_codes: dict[str, dict[str, str]]
) -> None:
    mismatches = []
    for row in states:
        ref = country_codes.get(row["iso3"], {}).get("wikidata_id", "")
        theirs = ref.rstrip("/").rsplit("/", 1)[-1]
        if row["wikidata"] and theirs and row["wikidata"] != theirs:
            mismatches.append(f"{row['iso3']}: ours {row['wikidata']} ref {theirs}")
    assert not mismatches, f"{len(mismatches)} QID mismatches: {first(mismatches)}"


def test_common_names_are_known(
    states: list[dict[str, str]], mledoze: dict[str, dict[str, str]]
) -> None:
    """The everyday English name (mledoze `name.common`) is among the State's names, so linkers find it."""
    unknown = []
    for row in states:
        common = mledoze.get(row["iso3"], {}).get("name.common", "")
        names = {n.casefold() for n in (row["short_name"], row["formal_name"], *split_values(row["other_names"]))}
        if common and common.casefold() not in names:
            unknown.append(f"{row['iso3']}: {common!r}")
    assert not unknown, f"{len(unknown)} common names missing from short/formal/other names: {first(unknown)}"
