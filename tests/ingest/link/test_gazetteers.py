"""The gazetteers generated from the reference tables and vocabularies, and the two tables this
module reads first of all: companies and peoples."""

from __future__ import annotations

import json
import re

import pytest
import spacy

from ingest.link.gazetteers import (
    ENTITY_LABELS,
    NOT_ENTITY_LABEL,
    NOT_THEME_LABEL,
    THEME_LABEL,
    build_patterns,
    default_reference_dir,
    default_vocabularies_path,
    is_acronym,
    read_theme_hierarchy,
    spelling_variants,
    state_aliases,
    write_patterns_jsonl,
)
from kg.reference_tables import read_table, split_values

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PEOPLE_KINDS = {"indigenous-people", "tribal-people", "community"}


@pytest.fixture(scope="module")
def patterns(reference_dir, ontology_dir):
    return build_patterns(reference_dir, ontology_dir / "vocabularies.ttl")


def patterns_of(patterns, label, key):
    return [pattern["pattern"] for pattern in patterns if pattern["label"] == label and pattern["id"] == key]


def test_patterns_load_into_a_span_ruler_and_carry_ontology_keys(patterns, reference_dir):
    nlp = spacy.blank("en")
    nlp.add_pipe("span_ruler", config={"validate": True}).add_patterns(patterns)
    labels = {pattern["label"] for pattern in patterns}
    assert labels == {*ENTITY_LABELS, THEME_LABEL, NOT_ENTITY_LABEL, NOT_THEME_LABEL}
    states = {row["iso3"] for row in read_table(reference_dir / "states.csv")}
    assert {p["id"] for p in patterns if p["label"] == "STATE"} == states
    companies = {row["key"] for row in read_table(reference_dir / "companies.csv")}
    assert {p["id"] for p in patterns if p["label"] == "COMPANY"} == companies
    assert {p["id"] for p in patterns if p["label"] == "MECHANISM"} >= {
        "treaty-body/CESCR",
        "special-procedure/SR-indigenous-peoples",
        "supervisory-body/ILO-CEACR",
        "mechanism/UPR",
    }


def test_codes_match_exactly_and_names_case_insensitively_but_capitalised(patterns):
    peru = patterns_of(patterns, "STATE", "PER")
    assert [{"ORTH": "PER"}] in peru
    assert [{"LOWER": "peruvian", "IS_LOWER": False}] in peru
    assert [{"LOWER": "peru", "IS_LOWER": False}] in peru
    assert [{"ORTH": "OP"}, {"ORTH": "-"}, {"ORTH": "CAT"}] in patterns_of(patterns, "INSTRUMENT", "OPCAT")
    assert [{"ORTH": "FPIC"}] in patterns_of(patterns, THEME_LABEL, "fpic")


def test_the_is_optional_inside_names(patterns):
    cerd = patterns_of(patterns, "MECHANISM", "treaty-body/CERD")
    assert [
        {"LOWER": "committee", "IS_LOWER": False},
        {"LOWER": "on"},
        {"LOWER": "the", "OP": "?"},
        {"LOWER": "elimination"},
        {"LOWER": "of"},
        {"LOWER": "racial"},
        {"LOWER": "discrimination"},
    ] in cerd


def test_ambiguous_names_are_left_out(patterns):
    congolese = [p for p in patterns if p["pattern"] == [{"LOWER": "congolese", "IS_LOWER": False}]]
    assert congolese == []
    cedaw = [(p["label"], p["id"]) for p in patterns if p["pattern"] == [{"ORTH": "CEDAW"}]]
    assert cedaw == [("INSTRUMENT", "CEDAW")]
    assert [{"ORTH": "CEDAW"}, {"LOWER": "committee"}] in patterns_of(patterns, "MECHANISM", "treaty-body/CEDAW")


def test_no_bare_committee_or_rapporteur_pattern(patterns):
    bare = [
        p
        for p in patterns
        if p["label"] in ENTITY_LABELS
        and [t.get("LOWER") for t in p["pattern"] if "OP" not in t] in (["committee"], ["special", "rapporteur"])
    ]
    assert bare == []


def test_ilo_conventions_get_their_numbered_forms(patterns):
    c169 = patterns_of(patterns, "INSTRUMENT", "ILO-C169")
    assert [{"ORTH": "ILO"}, {"LOWER": "convention"}, {"LOWER": "no"}, {"ORTH": "."}, {"ORTH": "169"}] in c169
    assert [{"LOWER": "convention", "IS_LOWER": False}, {"ORTH": "169"}] in c169


def test_spanish_and_french_patterns_use_their_own_tokenizer(reference_dir, ontology_dir):
    spanish = build_patterns(reference_dir, ontology_dir / "vocabularies.ttl", language="es")
    assert [{"ORTH": "OP-CAT"}] in patterns_of(spanish, "INSTRUMENT", "OPCAT")
    assert any(p["label"] == THEME_LABEL and p["id"] == "fpic" and p["pattern"][0] == {"LOWER": "consulta"}
               for p in spanish)


def test_spelling_variants():
    assert spelling_variants("Petroperú") == {"Petroperú", "Petroperu"}
    assert "Q\u2019eqchi\u2019" in spelling_variants("Q'eqchi'")
    assert "Shipibo Konibo" in spelling_variants("Shipibo-Konibo")
    assert is_acronym("OP-ICESCR") and is_acronym("ILO-C169") and not is_acronym("AFRICAN-COMMISSION")


def test_theme_hierarchy(ontology_dir):
    hierarchy = read_theme_hierarchy(ontology_dir / "vocabularies.ttl")
    assert hierarchy["mining"] == "extractives"
    assert hierarchy["fpic"] == "consultation"


def test_write_patterns_jsonl(tmp_path, reference_dir, ontology_dir, patterns):
    path = tmp_path / "gazetteer.jsonl"
    count = write_patterns_jsonl(path, reference_dir, ontology_dir / "vocabularies.ttl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert count == len(lines) == len(patterns)
    assert [json.loads(line) for line in lines] == patterns


def test_companies_table(reference_dir):
    rows = read_table(reference_dir / "companies.csv")
    states = {row["iso3"] for row in read_table(reference_dir / "states.csv")}
    assert list(rows[0]) == ["key", "name", "other_names", "projects", "country", "wikidata"]
    assert len({row["key"] for row in rows}) == len(rows)
    for row in rows:
        assert SLUG.match(row["key"]), row
        assert row["name"], row
        assert row["country"] == "" or row["country"] in states, row
        assert row["wikidata"] == "" or re.fullmatch(r"Q\d+", row["wikidata"]), row
    names = [
        name.lower()
        for row in rows
        for name in (row["name"], *split_values(row["other_names"]), *split_values(row["projects"]))
    ]
    assert len(names) == len(set(names))
    expected = {"minera-yanacocha", "mmg-las-bambas", "petroperu", "montana-exploradora", "goldcorp"}
    assert expected <= {row["key"] for row in rows}


def test_peoples_table(reference_dir):
    rows = read_table(reference_dir / "peoples.csv")
    states = {row["iso3"] for row in read_table(reference_dir / "states.csv")}
    assert list(rows[0]) == ["key", "name", "other_names", "generic_names", "kind", "countries"]
    assert len({row["key"] for row in rows}) == len(rows)
    for row in rows:
        assert SLUG.match(row["key"]), row
        assert row["kind"] in PEOPLE_KINDS, row
        assert split_values(row["countries"]) and set(split_values(row["countries"])) <= states, row
        assert all(name == name.lower() for name in split_values(row["generic_names"])), row
    names = [name.lower() for row in rows for name in (row["name"], *split_values(row["other_names"]))]
    assert len(names) == len(set(names))


def test_the_gazetteers_default_to_the_ontology_folder_in_use(peru_renamed):
    names = {alias.text for alias in state_aliases(default_reference_dir()) if alias.key == "PER"}
    assert "Tawantinsuyu" in names and "Peru" not in names
    assert default_vocabularies_path() == peru_renamed / "vocabularies.ttl"
