"""Special Procedures and treaty-body excerpts, end to end: symbol, author, addressed State."""

import pytest

from ingest.pipeline import extract_file
from ingest.records import DocumentError

SR_INDIGENOUS = "special-procedure/SR-indigenous-peoples"
EXPECTED = {
    "A_HRC_15_37_Add.8_SR_IP_Guatemala_Marlin_mine_2010_ES.txt": ("A/HRC/15/37/Add.8", SR_INDIGENOUS, "GTM", "es"),
    "A_HRC_27_52_Add.3_SR_IP_Peru_extractives_2014.txt": ("A/HRC/27/52/Add.3", SR_INDIGENOUS, "PER", "en"),
    "A_HRC_39_17_Add.3_SR_IP_Guatemala_visit_2018.txt": ("A/HRC/39/17/Add.3", SR_INDIGENOUS, "GTM", "en"),
}
# Excerpts that hold no recommendation section: a clear refusal, not a crash.
WITHOUT_RECOMMENDATIONS = [
    "A_HRC_37_8_UPR_WG_Peru_2017_header.txt",
    "E_C.12_ZAF_CO_1_CESCR_South_Africa_2018_header.txt",
    "A_HRC_38_48_Add.2_WG_BHR_Peru_2018_and_end-of-visit_statement_2017.txt",
]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_special_procedures_excerpts_give_cited_recommendations(shared_data, tools, name):
    symbol, author, state, language = EXPECTED[name]
    result = extract_file(shared_data / "un-docs/excerpts" / name, tools=tools)
    assert (result.info.symbol, result.info.author, result.info.language) == (symbol, author, language)
    assert result.recommendations
    for record in result.recommendations:
        assert record.addressed_states == [state] or "state" not in record.addressees
        assert result.document.text[record.start:record.end].strip()


def test_treaty_body_excerpts_name_their_committee_and_state(shared_data, tools):
    result = extract_file(shared_data / "un-docs/excerpts/CEDAW_and_misc_treaty_body_mining_excerpts.txt", tools=tools)
    assert result.info.author == "treaty-body/CEDAW"
    assert [r.addressed_states for r in result.recommendations] == [["MNG"]] * len(result.recommendations)
    guatemala = extract_file(shared_data / "un-docs/excerpts/Guatemala_treaty_bodies_and_SR_statements_excerpts.txt",
                             tools=tools)
    assert guatemala.info.author in {"treaty-body/CERD", "treaty-body/CESCR"}
    assert {tuple(r.addressed_states) for r in guatemala.recommendations} == {("GTM",)}


def test_marlin_recommendation_links_the_mine_company(shared_data, tools):
    result = extract_file(shared_data / "un-docs/excerpts/A_HRC_15_37_Add.8_SR_IP_Guatemala_Marlin_mine_2010_ES.txt",
                          tools=tools)
    assert "companies" in result.recommendations[0].addressees


@pytest.mark.parametrize("name", WITHOUT_RECOMMENDATIONS)
def test_excerpts_without_recommendations_are_refused_with_a_reason(shared_data, tools, name):
    with pytest.raises(DocumentError, match="recommendation"):
        extract_file(shared_data / "un-docs/excerpts" / name, tools=tools)
