import io

import pytest

from kg.formats import syntax_named
from kg.initialise import fingerprint, initialise, stored_fingerprint
from kg.reference import indicator_iri
from tests.rdf_compare import dataset_difference


def test_init_is_idempotent(reference_copy, reference_nquads):
    before = len(reference_copy)
    report = initialise(reference_copy)
    assert not report.changed
    assert len(reference_copy) == before
    forced = initialise(reference_copy, force=True)
    assert forced.changed
    assert len(reference_copy) == before
    # The session's store was made by the `mwg-kg init` command; in process, the same graphs.
    reloaded = io.BytesIO()
    reference_copy.export(reloaded, syntax_named("nquads"))
    assert dataset_difference(reloaded.getvalue(), reference_nquads, "nquads") == []


def test_the_store_records_the_version_it_was_built_from(reference_store):
    assert stored_fingerprint(reference_store) == fingerprint(reference_store.settings.ontology_path)


def test_there_are_193_member_states(reference_store):
    rows = reference_store.run_named("member-states").records()
    assert len(rows) == 193
    assert {row["iso3"].value for row in rows} >= {"PER", "GTM", "COD", "MNG", "ZAF", "PNG"}


def test_a_state_lists_the_treaties_it_is_party_to_with_dates(reference_store):
    rows = reference_store.run_named("state-treaties", {"iso3": "PER"}).records()
    by_treaty = {row["abbreviation"].value: row for row in rows}
    assert {"ICESCR", "ICCPR", "ICERD", "CEDAW", "CAT", "CRC", "ILO-C169", "CRPD"} <= set(by_treaty)
    assert by_treaty["ICESCR"]["date"].value.startswith("1978")
    assert by_treaty["ILO-C169"]["date"].value.startswith("1994")


def test_a_state_that_never_joined_a_treaty_does_not_list_it(reference_store):
    rows = reference_store.run_named("state-treaties", {"iso3": "USA"}).records()
    assert "ICESCR" not in {row["abbreviation"].value for row in rows}
    assert "ICCPR" in {row["abbreviation"].value for row in rows}


@pytest.mark.parametrize("notation, local", [("1.1.1", "C010101"), ("1.a.2", "C010a02"), ("17.19.2", "C171902")])
def test_indicator_iris_follow_the_un_pattern(notation, local):
    assert str(indicator_iri(notation)) == "http://metadata.un.org/sdg/" + local


def test_sdg_targets_hang_under_their_goals(reference_store):
    rows = reference_store.run_named("sdg-targets", {"goal": "6"}).records()
    assert [row["notation"].value for row in rows] == ["6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.a", "6.b"]
    assert rows[0]["target"].value == "http://metadata.un.org/sdg/6.1"


def test_the_whole_reference_data_conforms_to_the_shapes(reference_store):
    assert reference_store.validate_store() == []
