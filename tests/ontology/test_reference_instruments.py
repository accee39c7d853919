"""Checks of the instrument and mechanism reference tables.

Tables: `instruments.csv`, `treaty_bodies.csv`, `other_bodies.csv`, `special_procedures.csv`,
`mandate_holders.csv` (formats in `ontology/reference/README.md`).

Structure tests need no outside data. The others compare the project's facts with files under
`../shared/data` (skipped when it is absent):
- `reference/treaties/core_treaties_and_instruments_reference.csv`, a hand-compiled list that is
  NOT authoritative: where it is wrong or where the project deliberately differs, the row is
  listed in a named exception set below, with the reason;
- `reference/special_procedures/sr_indigenous_peoples_thematic_reports_catalogue.csv` and
  `un-docs/specialprocedures_info.json`: the author and year of thematic reports, which the
  project's mandate-holder tenures must cover.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from kg.reference_tables import read_table, split_values

INSTRUMENT_KINDS = {
    "treaty",
    "optional-protocol",
    "ilo-convention",
    "regional-agreement",
    "declaration",
    "soft-law",
}
BINDING_KINDS = {"treaty", "optional-protocol", "ilo-convention", "regional-agreement"}

# The ontology's theme scheme (terms contract, `id:scheme/theme`).
THEMES = {
    "extractives", "mining", "oil-and-gas", "land", "water", "fpic", "environment", "climate",
    "human-rights-defenders", "indigenous-peoples", "business-and-human-rights", "labour",
    "health", "food", "housing", "consultation", "access-to-information", "access-to-justice",
    "women", "children", "displacement", "poverty", "development", "toxics",
    "assembly-and-association", "corruption-and-transparency",
}

# Keys other parts of the project rely on.
REQUIRED_INSTRUMENTS = {
    "ICERD", "ICCPR", "ICCPR-OP1", "ICCPR-OP2", "ICESCR", "OP-ICESCR", "CEDAW", "OP-CEDAW",
    "CAT", "OPCAT", "CRC", "OP-CRC-AC", "OP-CRC-SC", "OP-CRC-IC", "ICMW", "CPED", "CRPD",
    "OP-CRPD", "ILO-C169", "ESCAZU", "AARHUS", "UNDRIP", "UNGP",
}
TREATY_BODIES = {"CERD", "CESCR", "CCPR", "CEDAW", "CAT", "SPT", "CRC", "CMW", "CED", "CRPD"}
REQUIRED_OTHER_BODIES = {"ILO-CEACR", "ESCAZU-COP", "AARHUS-MOP", "AARHUS-ACCC", "EMRIP"}
REQUIRED_MANDATES = {
    "SR-indigenous-peoples", "SR-human-rights-defenders", "SR-environment", "SR-toxics",
    "SR-water", "SR-food", "SR-housing", "WG-business", "SRSG-business", "SR-extreme-poverty",
    "SR-development", "SR-assembly-association", "SR-health",
}

YEAR = re.compile(r"^\d{4}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO3 = re.compile(r"^[A-Z]{3}$")
QID = re.compile(r"^Q[1-9][0-9]*$")


# --------------------------------------------------------------------------- helpers


def _table(reference_dir: Path, name: str) -> list[dict[str, str]]:
    return read_table(reference_dir / name)


def _keyed(rows: list[dict[str, str]], key: str = "key") -> dict[str, dict[str, str]]:
    return {row[key]: row for row in rows}


def _year(value: str) -> int:
    return int(value[:4])


def _parse_date(value: str) -> date | int:
    """A `YYYY` year or a `YYYY-MM-DD` date; raises ValueError otherwise."""
    if YEAR.match(value):
        return int(value)
    if ISO_DATE.match(value):
        return date.fromisoformat(value)
    raise ValueError(value)


def _fold(text: str) -> str:
    """Case-, accent-, quote- and spacing-insensitive form of a name or title."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.casefold().split())


def _name_tokens(name: str) -> set[str]:
    folded = _fold(name).replace("-", " ").replace(".", " ").replace("'", " ")
    return set(folded.split())


def _same_person(a: str, b: str) -> bool:
    """"Nigel S. Rodley" ~ "Nigel Rodley"; "Catalina Devandas-Aguilar" ~ "Catalina Devandas Aguilar"."""
    ta, tb = _name_tokens(a), _name_tokens(b)
    return ta <= tb or tb <= ta


def _tenures(reference_dir: Path) -> dict[str, list[dict[str, str]]]:
    by_mandate: dict[str, list[dict[str, str]]] = {}
    for row in _table(reference_dir, "mandate_holders.csv"):
        by_mandate.setdefault(row["mandate"], []).append(row)
    return by_mandate


def _in_office(tenure: dict[str, str], year: int, current_year: int) -> bool:
    end = _year(tenure["end"]) if tenure["end"] else current_year
    return _year(tenure["start"]) <= year <= end


def _holder_covers(tenures: list[dict[str, str]], holder: str, year: int) -> bool:
    return any(
        _same_person(t["holder"], holder) and _in_office(t, year, date.today().year)
        for t in tenures
    )


def _first(items, n: int = 20) -> list:
    return sorted(items, key=str)[:n]


# --------------------------------------------------------------------------- structure


def test_instrument_keys_are_unique_and_required_keys_present(reference_dir: Path) -> None:
    keys = [row["key"] for row in _table(reference_dir, "instruments.csv")]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates, f"duplicate instrument keys: {_first(duplicates)}"
    missing = REQUIRED_INSTRUMENTS - set(keys)
    assert not missing, f"required instrument keys missing: {_first(missing)}"


def test_body_and_mandate_keys_are_unique_across_tables(reference_dir: Path) -> None:
    keys = [
        row["key"]
        for name in ("treaty_bodies.csv", "other_bodies.csv", "special_procedures.csv")
        for row in _table(reference_dir, name)
    ]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates, f"keys used twice among bodies and mandates: {_first(duplicates)}"


def test_the_ten_treaty_bodies(reference_dir: Path) -> None:
    rows = _table(reference_dir, "treaty_bodies.csv")
    assert {row["key"] for row in rows} == TREATY_BODIES, sorted(row["key"] for row in rows)
    bad = [row["key"] for row in rows if not row["name"] or not YEAR.match(row["established"])]
    assert not bad, f"treaty bodies without a name or a YYYY established year: {bad}"
    empty = [row["key"] for row in rows if not split_values(row["instruments"])]
    assert not empty, f"treaty bodies monitoring no instrument: {empty}"


def test_other_bodies_and_required_mandates_present(reference_dir: Path) -> None:
    other = _keyed(_table(reference_dir, "other_bodies.csv"))
    missing = REQUIRED_OTHER_BODIES - set(other)
    assert not missing, f"other bodies missing: {_first(missing)}"
    bad = [k for k, row in other.items() if not row["name"] or not YEAR.match(row["established"])]
    assert not bad, f"other bodies without a name or a YYYY established year: {bad}"
    mandates = {row["key"] for row in _table(reference_dir, "special_procedures.csv")}
    missing = REQUIRED_MANDATES - mandates
    assert not missing, f"special procedures missing: {_first(missing)}"


def test_instrument_kinds_titles_and_wikidata(reference_dir: Path) -> None:
    rows = _table(reference_dir, "instruments.csv")
    bad_kind = [row["key"] for row in rows if row["kind"] not in INSTRUMENT_KINDS]
    assert not bad_kind, f"unknown instrument kinds: {_first(bad_kind)}"
    no_title = [row["key"] for row in rows if not row["title"]]
    assert not no_title, f"instruments without a title: {no_title}"
    bad_qid = [row["key"] for row in rows if row["wikidata"] and not QID.match(row["wikidata"])]
    assert not bad_qid, f"malformed Wikidata QIDs: {bad_qid}"


def test_instrument_dates_parse_and_entry_into_force_follows_adoption(reference_dir: Path) -> None:
    problems = []
    for row in _table(reference_dir, "instruments.csv"):
        try:
            adopted = _parse_date(row["adopted"])
            in_force = _parse_date(row["entry_into_force"]) if row["entry_into_force"] else None
        except ValueError as exc:
            problems.append((row["key"], f"unparsable date {exc}"))
            continue
        if in_force is not None:
            if _year(row["entry_into_force"]) < _year(row["adopted"]) or (
                isinstance(adopted, date) and isinstance(in_force, date) and in_force < adopted
            ):
                problems.append((row["key"], "entry into force before adoption"))
    assert not problems, f"instrument date problems: {_first(problems)}"


def test_entry_into_force_only_for_binding_instruments(reference_dir: Path) -> None:
    rows = _table(reference_dir, "instruments.csv")
    soft_with_eif = [
        row["key"] for row in rows if row["kind"] not in BINDING_KINDS and row["entry_into_force"]
    ]
    assert not soft_with_eif, f"declarations/soft law with an entry into force: {soft_with_eif}"
    binding_without = [
        row["key"] for row in rows if row["kind"] in BINDING_KINDS and not row["entry_into_force"]
    ]
    assert not binding_without, f"binding instruments without entry into force: {binding_without}"


def test_parent_keys_resolve_for_optional_protocols_only(reference_dir: Path) -> None:
    instruments = _keyed(_table(reference_dir, "instruments.csv"))
    problems = []
    for key, row in instruments.items():
        if row["kind"] == "optional-protocol":
            parent = instruments.get(row["parent"])
            if parent is None or parent["kind"] != "treaty":
                problems.append((key, row["parent"] or "<no parent>"))
            elif _year(row["adopted"]) < _year(parent["adopted"]):
                problems.append((key, "adopted before its parent"))
        elif row["parent"]:
            problems.append((key, f"parent {row['parent']} on a {row['kind']}"))
    assert not problems, f"parent problems: {_first(problems)}"


def test_monitoring_body_keys_resolve(reference_dir: Path) -> None:
    bodies = {
        row["key"]
        for name in ("treaty_bodies.csv", "other_bodies.csv", "special_procedures.csv")
        for row in _table(reference_dir, name)
    }
    unresolved = [
        (row["key"], body)
        for row in _table(reference_dir, "instruments.csv")
        for body in split_values(row["monitoring_bodies"])
        if body not in bodies
    ]
    assert not unresolved, f"monitoring bodies not in any body table: {_first(unresolved)}"


@pytest.mark.parametrize("table", ["treaty_bodies.csv", "other_bodies.csv"])
def test_body_instruments_resolve_and_agree_with_monitoring_bodies(
    reference_dir: Path, table: str
) -> None:
    instruments = _keyed(_table(reference_dir, "instruments.csv"))
    bodies = _keyed(_table(reference_dir, table))
    unresolved = [
        (key, inst)
        for key, row in bodies.items()
        for inst in split_values(row["instruments"])
        if inst not in instruments
    ]
    assert not unresolved, f"{table}: instruments not in instruments.csv: {_first(unresolved)}"
    body_says = {
        (key, inst) for key, row in bodies.items() for inst in split_values(row["instruments"])
    }
    instrument_says = {
        (body, key)
        for key, row in instruments.items()
        for body in split_values(row["monitoring_bodies"])
        if body in bodies
    }
    assert body_says == instrument_says, (
        f"{table} and instruments.monitoring_bodies disagree: only in {table}: "
        f"{_first(body_says - instrument_says)}; only in instruments.csv: "
        f"{_first(instrument_says - body_says)}"
    )


def test_every_treaty_and_protocol_of_the_core_system_has_a_treaty_body(reference_dir: Path) -> None:
    core = REQUIRED_INSTRUMENTS & {
        row["key"]
        for row in _table(reference_dir, "instruments.csv")
        if row["kind"] in {"treaty", "optional-protocol"}
    }
    monitored = {
        inst
        for row in _table(reference_dir, "treaty_bodies.csv")
        for inst in split_values(row["instruments"])
    }
    assert core - monitored == set(), f"core instruments no treaty body monitors: {_first(core - monitored)}"


def test_special_procedures_types_countries_years_and_themes(reference_dir: Path) -> None:
    problems = []
    for row in _table(reference_dir, "special_procedures.csv"):
        key = row["key"]
        if not row["name"]:
            problems.append((key, "no name"))
        if row["mandate_type"] == "country":
            if not ISO3.match(row["country"]):
                problems.append((key, f"country mandate with country {row['country']!r}"))
        elif row["mandate_type"] == "thematic":
            if row["country"]:
                problems.append((key, f"thematic mandate with country {row['country']}"))
        else:
            problems.append((key, f"mandate_type {row['mandate_type']!r}"))
        if not YEAR.match(row["established"]):
            problems.append((key, f"established {row['established']!r}"))
        unknown = set(split_values(row["themes"])) - THEMES
        if unknown:
            problems.append((key, f"unknown themes {sorted(unknown)}"))
    assert not problems, f"special procedure problems: {_first(problems)}"


def test_mandate_holders_resolve_and_dates_are_ordered(reference_dir: Path) -> None:
    mandates = _keyed(_table(reference_dir, "special_procedures.csv"))
    problems = []
    seen = set()
    for row in _table(reference_dir, "mandate_holders.csv"):
        ident = (row["mandate"], row["holder"], row["start"])
        if ident in seen:
            problems.append((ident, "duplicate"))
        seen.add(ident)
        if row["mandate"] not in mandates:
            problems.append((ident, "unknown mandate"))
            continue
        if not row["holder"]:
            problems.append((ident, "no holder"))
        try:
            _parse_date(row["start"])
            if row["end"]:
                _parse_date(row["end"])
        except ValueError as exc:
            problems.append((ident, f"unparsable date {exc}"))
            continue
        if row["end"] and (
            _year(row["end"]) < _year(row["start"])
            or (len(row["end"]) == len(row["start"]) == 10 and row["end"] < row["start"])
        ):
            problems.append((ident, "ends before it starts"))
        if _year(row["start"]) < int(mandates[row["mandate"]]["established"]):
            problems.append((ident, "starts before the mandate was established"))
        if _year(row["start"]) > date.today().year:
            problems.append((ident, "starts in the future"))
    assert not problems, f"mandate holder problems: {_first(problems)}"


def test_tenures_of_a_mandate_do_not_overlap(reference_dir: Path) -> None:
    """Successive holders may share the changeover year, no more; at most one holder is current."""
    problems = []
    for mandate, tenures in _tenures(reference_dir).items():
        if mandate.startswith("WG-"):  # a working group has several members at once
            continue
        ordered = sorted(tenures, key=lambda t: t["start"])
        for before, after in zip(ordered, ordered[1:]):
            if not before["end"] or _year(before["end"]) > _year(after["start"]):
                problems.append((mandate, before["holder"], after["holder"]))
        current = [t["holder"] for t in tenures if not t["end"]]
        if len(current) > 1:
            problems.append((mandate, "several current holders", current))
    assert not problems, f"overlapping tenures: {_first(problems)}"


def test_country_mandates_name_existing_states(reference_dir: Path) -> None:
    states_file = reference_dir / "states.csv"
    states = {row["iso3"] for row in read_table(states_file)}
    unknown = [
        (row["key"], row["country"])
        for row in _table(reference_dir, "special_procedures.csv")
        if row["country"] and row["country"] not in states
    ]
    assert not unknown, f"country mandates on codes not in states.csv: {unknown}"


# --------------------------------------------------------------------------- shared data

CORE_REFERENCE = Path("reference/treaties/core_treaties_and_instruments_reference.csv")

# The shared list's own abbreviation -> the project's key.
SHARED_KEY = {"ILO C169": "ILO-C169", "Escazú Agreement": "ESCAZU", "UNGPs": "UNGP"}

SHARED_KIND = {
    "core treaty": "treaty",
    "optional protocol": "optional-protocol",
    "ILO convention": "ilo-convention",
    "regional treaty (LAC)": "regional-agreement",
    "declaration (non-binding)": "declaration",
    "soft-law framework (non-binding)": "soft-law",
}

# Rows whose title in the shared list is the short form of the project's full official title
# (the UNGPs' official title, A/HRC/17/31 annex, carries the subtitle "Implementing the United
# Nations 'Protect, Respect and Remedy' Framework").
TITLE_IS_SHORT_FORM = {"UNGP"}

# Aliases in the shared list that the project deliberately does not record as names of the
# instrument: (project key, alias) with the reason.
ALIASES_NOT_ADOPTED = {
    # The abbreviation of the treaty body, not of the treaty; as an alias it would send every
    # "CERD"/"CMW"/"CED" in a document to the instrument instead of the committee.
    ("ICERD", "CERD"),
    ("ICMW", "CMW"),
    ("CPED", "CED"),
    # The resolution by which the Human Rights Council endorsed the UNGPs, not a name of them.
    ("UNGP", "HRC resolution 17/4"),
    # Recorded as the document symbol "A/HRC/17/31"; ", annex" is a pinpoint, not a name.
    ("UNGP", "A/HRC/17/31, annex"),
}

# Extra names under which the shared list's free-text monitoring column names a body.
BODY_MENTIONS = {
    "ILO-CEACR": ["CEACR"],
    "ESCAZU-COP": ["Conference of the Parties"],
    "SR-indigenous-peoples": ["SR on the rights of indigenous peoples"],
    "WG-business": ["Working Group on business and human rights"],
}


def _shared_core(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / CORE_REFERENCE
    if not path.is_file():
        pytest.skip(f"{CORE_REFERENCE} not found")
    return read_table(path)


def _project_key(shared_row: dict[str, str]) -> str:
    return SHARED_KEY.get(shared_row["abbreviation"], shared_row["abbreviation"])


def _names_of(row: dict[str, str]) -> set[str]:
    return {_fold(n) for n in [row["key"], row["title"], *split_values(row["abbreviations"])]}


def test_shared_list_rows_all_have_a_project_instrument(reference_dir: Path, shared_data: Path) -> None:
    instruments = _keyed(_table(reference_dir, "instruments.csv"))
    missing = [r["abbreviation"] for r in _shared_core(shared_data) if _project_key(r) not in instruments]
    assert not missing, f"instruments in the shared list but not in instruments.csv: {missing}"


def test_titles_match_shared_list(reference_dir: Path, shared_data: Path) -> None:
    instruments = _keyed(_table(reference_dir, "instruments.csv"))
    mismatches, stale = [], []
    for shared in _shared_core(shared_data):
        key = _project_key(shared)
        ours, theirs = _fold(instruments[key]["title"]), _fold(shared["official_name"])
        if key in TITLE_IS_SHORT_FORM:
            if not ours.startswith(theirs):
                mismatches.append((key, instruments[key]["title"], shared["official_name"]))
            if ours == theirs:
                stale.append(key)
        elif ours != theirs:
            mismatches.append((key, instruments[key]["title"], shared["official_name"]))
    assert not mismatches, f"titles differ from the shared list: {_first(mismatches)}"
    assert not stale, f"TITLE_IS_SHORT_FORM entries no longer needed: {stale}"


def test_adoption_dates_match_shared_list(reference_dir: Path, shared_data: Path) -> None:
    instruments = _keyed(_table(reference_dir, "instruments.csv"))
    mismatches = [
        (_project_key(s), instruments[_project_key(s)]["adopted"], s["adopted"])
        for s in _shared_core(shared_data)
        if instruments[_project_key(s)]["adopted"] != s["adopted"]
    ]
    assert not mismatches, f"adoption dates differ (key, ours, shared): {_first(mismatches)}"


def test_entry_into_force_years_match_shared_list(reference_dir: Path, shared_data: Path) -> None:
    instruments = _keyed(_table(reference_dir, "instruments.csv"))
    mismatches = []
    for shared in _shared_core(shared_data):
        key = _project_key(shared)
        ours = instruments[key]["entry_into_force"][:4]
        if ours != shared["in_force_year"]:
            mismatches.append((key, ours, shared["in_force_year"]))
    assert not mismatches, f"entry-into-force years differ (key, ours, shared): {_first(mismatches)}"


def test_kinds_match_shared_list(reference_dir: Path, shared_data: Path) -> None:
    instruments = _keyed(_table(reference_dir, "instruments.csv"))
    mismatches = [
        (_project_key(s), instruments[_project_key(s)]["kind"], s["type"])
        for s in _shared_core(shared_data)
        if SHARED_KIND.get(s["type"]) != instruments[_project_key(s)]["kind"]
    ]
    assert not mismatches, f"kinds differ (key, ours, shared): {_first(mismatches)}"


def test_shared_abbreviations_and_aliases_are_covered(reference_dir: Path, shared_data: Path) -> None:
    instruments = _keyed(_table(reference_dir, "instruments.csv"))
    uncovered, stale = [], []
    for shared in _shared_core(shared_data):
        key = _project_key(shared)
        names = _names_of(instruments[key])
        aliases = [shared["abbreviation"], *(a.strip() for a in shared["aliases"].split(";"))]
        for alias in filter(None, aliases):
            covered = _fold(alias) in names
            if (key, alias) in ALIASES_NOT_ADOPTED:
                if covered:
                    stale.append((key, alias))
            elif not covered:
                uncovered.append((key, alias))
    assert not uncovered, f"shared aliases not among key/title/abbreviations: {_first(uncovered)}"
    assert not stale, f"ALIASES_NOT_ADOPTED entries that are in fact adopted: {stale}"


def test_monitoring_bodies_named_in_shared_list_are_recorded(
    reference_dir: Path, shared_data: Path
) -> None:
    instruments = _keyed(_table(reference_dir, "instruments.csv"))
    bodies = [
        row
        for name in ("treaty_bodies.csv", "other_bodies.csv", "special_procedures.csv")
        for row in _table(reference_dir, name)
    ]
    problems = []
    for shared in _shared_core(shared_data):
        key = _project_key(shared)
        text = shared["monitoring_body"]
        named = set()
        for body in bodies:
            if re.search(rf"(?<![\w-]){re.escape(body['key'])}(?![\w-])", text):
                named.add(body["key"])
            terms = [body["name"], *BODY_MENTIONS.get(body["key"], [])]
            if any(_fold(term) in _fold(text) for term in terms):
                named.add(body["key"])
        ours = set(split_values(instruments[key]["monitoring_bodies"]))
        if not named:
            problems.append((key, f"no known body in {text!r}"))
        elif not named <= ours:
            problems.append((key, sorted(named - ours)))
    assert not problems, f"monitoring bodies named in the shared list but not recorded: {_first(problems)}"


# SR on the rights of indigenous peoples: thematic reports catalogue.

SR_IP_CATALOGUE = Path("reference/special_procedures/sr_indigenous_peoples_thematic_reports_catalogue.csv")

# Reports the catalogue attributes to the wrong holder. Its holder column is filled "by year
# rule"; Albert K. Barume took up the mandate in January 2025 (José Francisco Calí Tzay having
# left it in 2024), and these two 2025 reports are Barume's first reports to the Council
# ("recognition of Indigenous Peoples") and to the General Assembly (lands and territories).
SR_IP_HOLDER_WRONG_IN_CATALOGUE = {"A/HRC/60/29", "A/80/181"}


def _sr_ip_catalogue(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / SR_IP_CATALOGUE
    if not path.is_file():
        pytest.skip(f"{SR_IP_CATALOGUE} not found")
    return read_table(path)


def test_sr_indigenous_peoples_title_matches_catalogue(reference_dir: Path, shared_data: Path) -> None:
    name = _keyed(_table(reference_dir, "special_procedures.csv"))["SR-indigenous-peoples"]["name"]
    titles = {row["mandate"] for row in _sr_ip_catalogue(shared_data)}
    assert {_fold(t) for t in titles} == {_fold(name)}, (name, sorted(titles))


def test_sr_indigenous_peoples_holders_cover_catalogue_reports(
    reference_dir: Path, shared_data: Path
) -> None:
    tenures = _tenures(reference_dir)["SR-indigenous-peoples"]
    uncovered, stale = [], []
    for report in _sr_ip_catalogue(shared_data):
        covered = _holder_covers(tenures, report["mandate_holder_by_year_rule"], int(report["year"]))
        if report["symbol"] in SR_IP_HOLDER_WRONG_IN_CATALOGUE:
            if covered:
                stale.append(report["symbol"])
        elif not covered:
            uncovered.append((report["symbol"], report["year"], report["mandate_holder_by_year_rule"]))
    assert not uncovered, f"reports whose holder/year no tenure covers: {_first(uncovered)}"
    assert not stale, f"SR_IP_HOLDER_WRONG_IN_CATALOGUE entries no longer needed: {stale}"


def test_sr_indigenous_peoples_catalogue_years_in_office_of_someone(
    reference_dir: Path, shared_data: Path
) -> None:
    """Every catalogue year falls within some holder's tenure (whoever wrote the report)."""
    tenures = _tenures(reference_dir)["SR-indigenous-peoples"]
    this_year = date.today().year
    gaps = sorted(
        {
            int(r["year"])
            for r in _sr_ip_catalogue(shared_data)
            if not any(_in_office(t, int(r["year"]), this_year) for t in tenures)
        }
    )
    assert not gaps, f"catalogue years with no SR on indigenous peoples in office: {gaps}"


# Special Procedures thematic report metadata (7 mandates).

SP_INFO = Path("un-docs/specialprocedures_info.json")

SP_INFO_MANDATE = {
    "SR Freedom of Expression": "SR-freedom-of-expression",
    "SR Health": "SR-health",
    "SR Torture": "SR-torture",
    "SR Education": "SR-education",
    "SR Freedom of Religion or Belief": "SR-freedom-of-religion",
    "SR Privacy": "SR-privacy",
    "SR Disability": "SR-disability",
}

# Records whose attribution is wrong in the file: E/CN.4/Sub.2/200/Rev.1 (1960) is Arcot
# Krishnaswami's Sub-Commission study of discrimination in religious rights and practices; it
# predates the mandate on religious intolerance (1986) and its first holder.
SP_INFO_WRONG = {"E/CN.4/Sub.2/200/Rev.1"}


def _sp_info(shared_data: Path) -> list[dict]:
    path = shared_data / SP_INFO
    if not path.is_file():
        pytest.skip(f"{SP_INFO} not found")
    return json.loads(path.read_text(encoding="utf-8"))


def test_sp_info_mandates_are_all_mapped(reference_dir: Path, shared_data: Path) -> None:
    committees = {record["Committee"] for record in _sp_info(shared_data)}
    assert committees == set(SP_INFO_MANDATE), sorted(committees ^ set(SP_INFO_MANDATE))
    mandates = {row["key"] for row in _table(reference_dir, "special_procedures.csv")}
    missing = set(SP_INFO_MANDATE.values()) - mandates
    assert not missing, f"mandates of specialprocedures_info.json missing: {sorted(missing)}"


def test_sp_info_holders_cover_report_years(reference_dir: Path, shared_data: Path) -> None:
    tenures = _tenures(reference_dir)
    uncovered, stale = [], []
    for record in _sp_info(shared_data):
        mandate = SP_INFO_MANDATE[record["Committee"]]
        covered = _holder_covers(
            tenures.get(mandate, []), record["Mandate holder"], int(record["Adoption Year"])
        )
        if record["Signature"] in SP_INFO_WRONG:
            if covered:
                stale.append(record["Signature"])
        elif not covered:
            uncovered.append(
                (mandate, record["Signature"], record["Adoption Year"], record["Mandate holder"])
            )
    assert not uncovered, f"reports whose holder/year no tenure covers ({len(uncovered)}): {_first(uncovered)}"
    assert not stale, f"SP_INFO_WRONG entries no longer needed: {stale}"


def test_sp_info_reports_postdate_mandate_establishment(reference_dir: Path, shared_data: Path) -> None:
    established = {
        row["key"]: int(row["established"]) for row in _table(reference_dir, "special_procedures.csv")
    }
    early = [
        (record["Signature"], record["Adoption Year"])
        for record in _sp_info(shared_data)
        if record["Signature"] not in SP_INFO_WRONG
        and int(record["Adoption Year"]) < established[SP_INFO_MANDATE[record["Committee"]]]
    ]
    assert not early, f"reports older than their mandate: {_first(early)}"


# ISO 3166 codes of country mandates.

COUNTRY_CODES = Path("reference/countries/datasets_country-codes/country-codes.csv")


def test_country_mandate_codes_are_iso_3166(reference_dir: Path, shared_data: Path) -> None:
    path = shared_data / COUNTRY_CODES
    if not path.is_file():
        pytest.skip(f"{COUNTRY_CODES} not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        iso3 = {row["ISO3166-1-Alpha-3"].strip() for row in csv.DictReader(handle)}
    unknown = [
        (row["key"], row["country"])
        for row in _table(reference_dir, "special_procedures.csv")
        if row["country"] and row["country"] not in iso3
    ]
    assert not unknown, f"country mandates on codes that are not ISO 3166 alpha-3: {unknown}"
