"""State names as UN documents write them -> ISO 3166-1 alpha-3."""

from __future__ import annotations

import csv

import pytest

from ingest.link.state_names import StateNames
from kg.reference_tables import read_table, split_values


@pytest.fixture(scope="module")
def names(reference_dir) -> StateNames:
    return StateNames.from_reference(reference_dir)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Peru", "PER"),
        ("PERU", "PER"),
        ("the Netherlands", "NLD"),
        ("The Netherlands", "NLD"),
        ("Netherlands (the)", "NLD"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("Côte d’Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Venezuela, Bolivarian Republic of", "VEN"),
        ("Bolivarian Republic of Venezuela", "VEN"),
        ("the Bolivarian Republic of Venezuela", "VEN"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Plurinational State of Bolivia", "BOL"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Iran(Islamic Republic of)", "IRN"),
        ("Iran, Islamic Republic of", "IRN"),
        ("Korea, Republic of", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Democratic People’s Republic of Korea", "PRK"),
        ("Democratic Republic of the Congo", "COD"),
        ("Democratic Republic of Congo", "COD"),
        ("Congo, Democratic Republic of the", "COD"),
        ("Congo", "COG"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("United Kingdom", "GBR"),
        ("United States of America", "USA"),
        ("Holy See", "VAT"),
        ("Holy See ", "VAT"),
        ("Libyan Arab Jamahiriya", "LBY"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
        ("Macedonia, the former Yugoslav Republic of", "MKD"),
        ("State of Palestine", "PSE"),
        ("Palestine", "PSE"),
        ("Russian Federation", "RUS"),
        ("Russia Federation", "RUS"),  # a slip in a long name
        ("Viet Nam", "VNM"),
        ("Timor Leste", "TLS"),
        ("Saint Vincent and the Grenadines", "VCT"),
        ("Trinidad and Tobago", "TTO"),
        ("Micronesia (Federated States of)", "FSM"),
        ("Swaziland", "SWZ"),
        ("Czech Republic", "CZE"),
        ("GBR", "GBR"),
    ],
)
def test_resolve_tricky_names(names, name, code):
    assert names.resolve(name) == code


@pytest.mark.parametrize(
    "name",
    ["", "  ", "ICCPR", "CAT", "OP-CAT", "ILO", "Korea", "Dominican", "Congolese", "Republic of Ireland", "Cuba, Peru"],
)
def test_resolve_refuses_what_is_not_one_state(names, name):
    # "Dominican" and "Congolese" name two States each; "Republic of Ireland" is one letter from
    # "Republic of Iceland", and a guess must not contradict the "Ireland" it names.
    assert names.resolve(name) is None


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("(Slovakia, Spain)", ["SVK", "ESP"]),
        ("(Venezuela (Bolivarian Republic of), Cuba and Iran (Islamic Republic of))", ["VEN", "CUB", "IRN"]),
        ("(Bolivia (Plurinational State of))", ["BOL"]),
        ("(China)1;", ["CHN"]),
        ("(Mexico; Egypt)", ["MEX", "EGY"]),
        ("(Slovenia, Mexico, United Kingdom and the Netherlands)", ["SVN", "MEX", "GBR", "NLD"]),
        ("(Bosnia and Herzegovina, Chile and Trinidad and Tobago)", ["BIH", "CHL", "TTO"]),
        ("(Venezuela, Bolivarian Republic of, Cuba)", ["VEN", "CUB"]),
        ("(Korea, Republic of)", ["KOR"]),
        ("(Iran(Islamic Republic of))", ["IRN"]),
        ("(Holy See );", ["VAT"]),
        ("Ecuador and Spain", ["ECU", "ESP"]),
        ("(Austria, Austria)", ["AUT"]),
    ],
)
def test_split_list(names, text, codes):
    assert names.split_list(text) == codes
    assert names.parse_list(text) == codes


def test_split_list_keeps_the_states_of_a_mixed_list(names):
    assert names.split_list("(ICCPR, Chile)") == ["CHL"]
    assert names.parse_list("(ICCPR, Chile)") is None
    assert names.split_list("(OP-CAT)") == []
    assert names.split_list("(Cuba and ICCPR; Peru)") == ["CUB", "PER"]
    assert names.parse_list("(OP-CAT)") is None


def test_every_state_of_the_reference_table_resolves_to_itself(names, reference_dir):
    for row in read_table(reference_dir / "states.csv"):
        spellings = [row["short_name"], row["formal_name"], f"the {row['formal_name']}", row["iso3"]]
        for spelling in spellings + split_values(row["other_names"]):
            assert names.resolve(spelling) == row["iso3"], spelling


def test_missing_table_says_where_it_was_looked_for(tmp_path):
    with pytest.raises(FileNotFoundError, match="states.csv"):
        StateNames.from_reference(tmp_path)


def test_unterm_names_resolve(names, shared_data):
    """The UN's own short and formal names (UNTERM) of the 193 Member States."""
    path = shared_data / "reference/countries/un_member_states_derived.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 193
    for row in rows:
        for column in ("unterm_english_short", "unterm_english_formal", "name_common"):
            if row[column]:
                assert names.resolve(row[column]) == row["iso_alpha3"], row[column]


def test_recommending_states_of_the_upr_gold_files_resolve(names, shared_data):
    """Every State name a third party wrote as a recommending State, 2008–2014, but its typos."""
    found, unresolved = set(), set()
    for path in sorted((shared_data / "upr/recommendations-by-year").glob("*data.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                found.add(row["From"])
                if not names.split_list(row["From"]):
                    unresolved.add(row["From"])
    assert len(found) == 181
    assert unresolved <= {"moratorium", "Argentina Chile"}  # not State names: cells of a broken row


def test_the_table_of_states_comes_from_the_ontology_folder_in_use(peru_renamed):
    names = StateNames.from_reference()
    assert (names.resolve("Tawantinsuyu"), names.resolve("Peru")) == ("PER", None)
    assert names.resolve("Republic of Peru") == "PER"  # the formal name was left as it is
