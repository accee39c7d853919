"""Special Procedures recommendations: the excerpts in ../shared/data, headed groups, Spanish, thematic reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract.layout import UNNUMBERED, collapse
from ingest.extract.special_procedures import RULE, extract_special_procedures_recommendations
from ingest.records import DocumentInfo, DocumentText

EXCERPTS = "un-docs/excerpts"
SR_IP = "special-procedure/SR-indigenous-peoples"
WG_BUSINESS = "special-procedure/WG-business"
# file -> (document info as the excerpt's header gives it, the paragraph of each recommendation it holds)
SPECIAL_PROCEDURES_EXCERPTS = {
    "A_HRC_15_37_Add.8_SR_IP_Guatemala_Marlin_mine_2010_ES.txt": (
        DocumentInfo("A/HRC/15/37/Add.8", "sp-country-visit-report", "2010-07-08", SR_IP, "GTM", language="es"),
        [UNNUMBERED],
    ),
    "A_HRC_27_52_Add.3_SR_IP_Peru_extractives_2014.txt": (
        DocumentInfo("A/HRC/27/52/Add.3", "sp-country-visit-report", "2014-07-03", SR_IP, "PER"),
        [f"{UNNUMBERED}({n})" for n in range(1, 5)],  # the four bullets of block 4 that the excerpt shows whole
    ),
    "A_HRC_39_17_Add.3_SR_IP_Guatemala_visit_2018.txt": (
        DocumentInfo("A/HRC/39/17/Add.3", "sp-country-visit-report", "2018-08-10", SR_IP, "GTM"),
        [f"{UNNUMBERED}({letter})" for letter in "cabcdab"],  # the sub-items of block 4, under three headings
    ),
    "A_HRC_38_48_Add.2_WG_BHR_Peru_2018_and_end-of-visit_statement_2017.txt": (
        DocumentInfo("A/HRC/38/48/Add.2", "sp-country-visit-report", "2018-05-09", WG_BUSINESS, "PER"), [],
    ),
    "SR_IP_and_other_thematic_reports_extractives_excerpts_2011-2019.txt": (
        DocumentInfo("A/HRC/18/35", "sp-thematic-report", "2011-07-11", SR_IP, None), [],
    ),
    "A_HRC_37_8_UPR_WG_Peru_2017_header.txt": (
        DocumentInfo("A/HRC/37/8", "sp-country-visit-report", None, SR_IP, "PER"), [],
    ),
    "E_C.12_ZAF_CO_1_CESCR_South_Africa_2018_header.txt": (
        DocumentInfo("E/C.12/ZAF/CO/1", "sp-country-visit-report", None, SR_IP, "ZAF"), [],
    ),
}


def read_excerpt(shared_data: Path, name: str):
    info = SPECIAL_PROCEDURES_EXCERPTS[name][0]
    text = (shared_data / EXCERPTS / name).read_text(encoding="utf-8")
    return text, extract_special_procedures_recommendations(DocumentText(text=text, source_format="text"), info)


@pytest.mark.parametrize("name", sorted(SPECIAL_PROCEDURES_EXCERPTS))
def test_excerpts_give_the_recommendations_they_hold(shared_data: Path, name: str) -> None:
    info, paragraphs = SPECIAL_PROCEDURES_EXCERPTS[name]
    text, records = read_excerpt(shared_data, name)
    print(f"{name}: {len(records)} recommendations {[(r.paragraph, r.addressees, r.score) for r in records]}")
    assert [r.paragraph for r in records] == paragraphs
    for record in records:
        assert record.rule == RULE
        assert record.text == collapse(text[record.start : record.end])
        assert record.addressed_states == ([info.state] if "state" in record.addressees else [])
        assert record.score is not None and record.score < 1  # no heading names the addressee in these excerpts


def test_marlin_in_spanish_addresses_the_government_and_companies(shared_data: Path) -> None:
    _, (record,) = read_excerpt(shared_data, "A_HRC_15_37_Add.8_SR_IP_Guatemala_Marlin_mine_2010_ES.txt")
    assert "insta al Gobierno y a otras partes interesadas, incluidas las empresas" in record.text
    assert record.addressees == ["state", "companies"]
    assert record.addressed_states == ["GTM"]
    assert record.paragraph == UNNUMBERED


def test_peru_conclusions_are_not_recommendations_but_the_bullets_are(shared_data: Path) -> None:
    _, records = read_excerpt(shared_data, "A_HRC_27_52_Add.3_SR_IP_Peru_extractives_2014.txt")
    assert [r.paragraph for r in records] == [f"{UNNUMBERED}({n})" for n in range(1, 5)]
    assert records[0].text.startswith("State institutions must: apply the Prior Consultation Act")
    assert all(r.addressees == ["state"] and r.addressed_states == ["PER"] for r in records)
    assert not any("devastating social and environmental impact" in r.text for r in records)  # para. 69


def test_guatemala_sub_items_under_thematic_headings(shared_data: Path) -> None:
    _, records = read_excerpt(shared_data, "A_HRC_39_17_Add.3_SR_IP_Guatemala_visit_2018.txt")
    assert [r.paragraph.removeprefix(UNNUMBERED) for r in records] == ["(c)", "(a)", "(b)", "(c)", "(d)", "(a)", "(b)"]
    assert records[1].text.startswith("Full implementation of the Peace Agreements should be resumed")
    assert not any("framework" == r.text.split()[-1] for r in records)  # headings are not glued to items
    worded = [r for r in records if r.text.startswith("All branches of the Government")]
    assert worded and worded[0].score > min(r.score for r in records)  # "the Government" named: a better guess


COUNTRY_REPORT = """Summary
The Special Rapporteur recommends that the Government consult indigenous peoples.
VIII. Situation of defenders
58. Defenders are attacked. The State should protect them.
IX. Conclusions and recommendations
A. Conclusions
60. Extractive projects continue to affect indigenous peoples without their consent.
B. Recommendations
Recommendations to the Government
61. The Special Rapporteur recommends that the Government:
(a) Adopt a law on consultation;
(b) Ensure that no concession is granted without consent.
62. Review the mining code with the participation of indigenous peoples.
To business enterprises
63. Carry out human rights due diligence before and during operations.
To indigenous peoples
64. Develop their own consultation protocols.
To the international community
65. Support the strengthening of national institutions.
To the United Nations
66. The country team should support dialogue.
To civil society
67. Document the impact of mining.
To the Ombudsman
68. Monitor consultations.
Annex
List of meetings
1. Ministry of Energy and Mines.
"""
HEADED = [
    ("61(a)", ["state"]), ("61(b)", ["state"]), ("62", ["state"]), ("63", ["companies"]),
    ("64", ["indigenous-peoples"]), ("65", ["international-community"]), ("66", ["united-nations"]),
    ("67", ["civil-society"]), ("68", ["national-human-rights-institution"]),
]


def extract(text: str, *, kind: str = "sp-country-visit-report", state: str | None = "PER", language: str = "en"):
    info = DocumentInfo("A/HRC/27/52/Add.3", kind, None, SR_IP, state, language=language)
    return extract_special_procedures_recommendations(DocumentText(text=text, source_format="text"), info)


def test_headed_groups_set_the_addressees() -> None:
    records = extract(COUNTRY_REPORT)
    assert [(r.paragraph, r.addressees) for r in records] == HEADED
    assert all(r.score is None for r in records)  # a heading said whom they address
    assert [r.paragraph for r in records if r.addressed_states == ["PER"]] == ["61(a)", "61(b)", "62"]


def test_lost_line_breaks_give_the_same_records() -> None:
    flat = " ".join(COUNTRY_REPORT.split())
    assert [(r.paragraph, r.addressees) for r in extract(flat)] == HEADED


def test_spanish_headings_and_verbs() -> None:
    text = """X. Conclusiones y recomendaciones
70. Los proyectos extractivos siguen afectando a los pueblos indígenas.
Recomendaciones al Gobierno
71. El Relator Especial recomienda al Gobierno que adopte una ley de consulta.
72. Suspender las licencias otorgadas sin consulta.
Recomendaciones a las empresas
73. Las empresas deberían respetar los derechos de los pueblos indígenas.
A los pueblos indígenas
74. Fortalecer sus instituciones representativas.
"""
    records = extract(text, state="GTM", language="es")
    assert [(r.paragraph, r.addressees, r.addressed_states) for r in records] == [
        ("71", ["state"], ["GTM"]),
        ("72", ["state"], ["GTM"]),
        ("73", ["companies"], []),
        ("74", ["indigenous-peoples"], []),
    ]


def test_spanish_without_a_section_reads_the_wording() -> None:
    text = (
        "1. El Relator Especial visitó el país.\n"
        "2. El Relator Especial recomienda a las empresas que respeten la consulta previa."
    )
    (record,) = extract(text, state="GTM", language="es")
    assert record.paragraph == "2"
    assert record.addressees == ["companies"]
    assert record.addressed_states == []
    assert record.score is not None and record.score < 1


def test_thematic_reports_address_states_in_general() -> None:
    text = """V. Conclusions
70. Extractive industries are a major challenge for indigenous peoples.
VI. Recommendations
71. States should ensure that indigenous peoples are consulted before any extractive project is approved.
72. Business enterprises should respect the rights of indigenous peoples.
73. Adopt legislation on free, prior and informed consent.
"""
    records = extract(text, kind="sp-thematic-report", state=None)
    assert [(r.paragraph, r.addressees, r.addressed_states) for r in records] == [
        ("71", ["states"], []), ("72", ["companies"], []), ("73", ["states"], []),
    ]
    assert [r.score for r in records] == [0.8, 0.8, 0.5]  # read from the wording; the last one assumed


def test_announced_bullets_are_recommendations() -> None:
    text = """IX. Conclusions and recommendations
71. Peru is making efforts to deal with the problems.
72. The Special Rapporteur wishes to put forward the following recommendations:
• The Government must consult indigenous peoples before granting concessions;
• Companies must respect the outcome of consultations.
"""
    records = extract(text)
    assert [(r.paragraph, r.addressees) for r in records] == [("72(1)", ["state"]), ("72(2)", ["companies"])]


@pytest.mark.parametrize(
    "text", ["", "\n\n", "[…]", "Report of the Special Rapporteur on the rights of indigenous peoples"]
)
def test_empty_and_header_only_texts_give_nothing(text: str) -> None:
    assert extract(text) == []
