"""Recognition of symbol, kind, date, author, State and language, on real UN documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.read.readers import read_text
from ingest.read.recognise import find_symbol, recognise, state_from_file_name
from ingest.records import DocumentInfo, DocumentText
from tests.ingest.read.test_readers import slovenia_pdfs, upr_reports

UPR = "mechanism/UPR"
SR_INDIGENOUS = "special-procedure/SR-indigenous-peoples"

# symbol, kind, date (Distr. date printed on the first page), read from each PDF's masthead.
SLOVENIA_PDFS = {
    "A_HRC_14_15_Add.1_views_on_recommendations_2010.pdf": ("A/HRC/14/15/Add.1", "upr-addendum", "2010-03-23"),
    "A_HRC_14_15_outcome_decision_2010.pdf": ("A/HRC/DEC/14/105", "other", "2010-06-23"),
    "A_HRC_28_15_Add.1_views_on_recommendations_2015.pdf": ("A/HRC/28/15/Add.1", "upr-addendum", "2015-03-04"),
    "A_HRC_28_15_outcome_decision_2015.pdf": ("A/HRC/DEC/28/111", "other", "2015-05-28"),
    "A_HRC_28_15_working_group_report_2014.pdf": ("A/HRC/28/15", "upr-working-group-report", "2014-12-10"),
    "A_HRC_43_15_Add.1_views_on_recommendations_2020.pdf": ("A/HRC/43/15/Add.1", "upr-addendum", "2020-02-19"),
    "A_HRC_43_15_outcome_decision_2020.pdf": ("A/HRC/DEC/43/112", "other", "2020-03-25"),
    "A_HRC_43_15_working_group_report_2019.pdf": ("A/HRC/43/15", "upr-working-group-report", "2019-12-19"),
    "A_HRC_59_15_Add.1_views_on_recommendations_2025.pdf": ("A/HRC/59/15/Add.1", "upr-addendum", "2025-04-08"),
    "A_HRC_59_15_outcome_decision_2025.pdf": ("A/HRC/DEC/59/112", "other", "2025-07-14"),
    "A_HRC_59_15_working_group_report_2025.pdf": ("A/HRC/59/15", "upr-working-group-report", "2025-03-24"),
    "A_HRC_WG.6_20_SVN_1_national_report_2014.pdf": ("A/HRC/WG.6/20/SVN/1", "upr-national-report", "2014-08-15"),
    "A_HRC_WG.6_20_SVN_2_compilation_2014.pdf": ("A/HRC/WG.6/20/SVN/2", "upr-compilation", "2014-08-18"),
    "A_HRC_WG.6_20_SVN_3_stakeholders_summary_2014.pdf": ("A/HRC/WG.6/20/SVN/3", "upr-stakeholder-summary", "2014-07-25"),
    "A_HRC_WG.6_34_SVN_1_national_report_2019.pdf": ("A/HRC/WG.6/34/SVN/1", "upr-national-report", "2019-08-06"),
    "A_HRC_WG.6_34_SVN_2_compilation_2019.pdf": ("A/HRC/WG.6/34/SVN/2", "upr-compilation", "2019-08-30"),
    "A_HRC_WG.6_34_SVN_3_stakeholders_summary_2019.pdf": ("A/HRC/WG.6/34/SVN/3", "upr-stakeholder-summary", "2019-08-14"),
    "A_HRC_WG.6_48_SVN_1_national_report_2024.pdf": ("A/HRC/WG.6/48/SVN/1", "upr-national-report", "2024-10-30"),
    "A_HRC_WG.6_48_SVN_2_compilation_2024.pdf": ("A/HRC/WG.6/48/SVN/2", "upr-compilation", "2024-11-07"),
    "A_HRC_WG.6_48_SVN_3_stakeholders_summary_2024.pdf": ("A/HRC/WG.6/48/SVN/3", "upr-stakeholder-summary", "2024-11-06"),
    # The file is the final A/HRC/14/15; its masthead notes it was "previously issued under document
    # symbol A/HRC/WG.6/7L.14".
    "A_HRC_WG.6_7_L.14_draft_working_group_report_2010.pdf": ("A/HRC/14/15", "upr-working-group-report", "2010-03-15"),
    "A_HRC_WG.6_7_SVN_1_national_report_2009.pdf": ("A/HRC/WG.6/7/SVN/1", "upr-national-report", "2009-11-03"),
    "A_HRC_WG.6_7_SVN_2_Corr.1_2009.pdf": ("A/HRC/WG.6/7/SVN/2/Corr.1", "upr-compilation", "2009-12-22"),
    "A_HRC_WG.6_7_SVN_3_stakeholders_summary_2009.pdf": ("A/HRC/WG.6/7/SVN/3", "upr-stakeholder-summary", "2009-11-12"),
}

# (file, block) -> what the file's header says of that block; a field left out is not stated there.
EXCERPTS = {
    ("A_HRC_15_37_Add.8_SR_IP_Guatemala_Marlin_mine_2010_ES.txt", 0): dict(
        symbol="A/HRC/15/37/Add.8", kind="sp-country-visit-report", date="2010-07-08", author=SR_INDIGENOUS,
        state="GTM", language="es",
    ),
    ("A_HRC_27_52_Add.3_SR_IP_Peru_extractives_2014.txt", 0): dict(
        symbol="A/HRC/27/52/Add.3", kind="sp-country-visit-report", date="2014-07-03", author=SR_INDIGENOUS,
        state="PER", language="en",
    ),
    ("A_HRC_37_8_UPR_WG_Peru_2017_header.txt", 0): dict(
        symbol="A/HRC/37/8", kind="upr-working-group-report", author=UPR, state="PER", language="en"
    ),
    ("A_HRC_38_48_Add.2_WG_BHR_Peru_2018_and_end-of-visit_statement_2017.txt", 0): dict(
        symbol="A/HRC/38/48/Add.2", kind="sp-country-visit-report", date="2018-05-09",
        author="special-procedure/WG-business", state="PER",
    ),
    ("A_HRC_39_17_Add.3_SR_IP_Guatemala_visit_2018.txt", 0): dict(
        symbol="A/HRC/39/17/Add.3", kind="sp-country-visit-report", date="2018-08-10", author=SR_INDIGENOUS,
        state="GTM",
    ),
    ("CEDAW_and_misc_treaty_body_mining_excerpts.txt", 0): dict(
        kind="concluding-observations", author="treaty-body/CEDAW", state=None
    ),
    ("CEDAW_and_misc_treaty_body_mining_excerpts.txt", 1): dict(
        kind="concluding-observations", author="treaty-body/CEDAW", state="MNG"
    ),
    ("CESCR_Mongolia_2014-2019_LOI_QPR_SR_mining.txt", 0): dict(
        kind="list-of-issues", date="2014-12-12", author="treaty-body/CESCR", state="MNG"
    ),
    ("CESCR_Mongolia_2014-2019_LOI_QPR_SR_mining.txt", 2): dict(
        kind="list-of-issues", date="2019-11-21", author="treaty-body/CESCR", state="MNG"
    ),
    ("E_C.12_ZAF_CO_1_CESCR_South_Africa_2018_header.txt", 0): dict(
        symbol="E/C.12/ZAF/CO/1", kind="concluding-observations", date="2018-11-29", author="treaty-body/CESCR",
        state="ZAF", language="en",
    ),
    ("Guatemala_treaty_bodies_and_SR_statements_excerpts.txt", 0): dict(
        kind="concluding-observations", date="2015-05-11", author="treaty-body/CERD", state="GTM"
    ),
    ("Guatemala_treaty_bodies_and_SR_statements_excerpts.txt", 1): dict(
        symbol="E/C.12/GTM/CO/4", kind="concluding-observations", date="2022-11-11", author="treaty-body/CESCR",
        state="GTM",
    ),
    ("Guatemala_treaty_bodies_and_SR_statements_excerpts.txt", 2): dict(
        symbol="CERD/C/GTM/CO/11", kind="concluding-observations", author="treaty-body/CERD", state="GTM"
    ),
    ("SR_IP_and_other_thematic_reports_extractives_excerpts_2011-2019.txt", 0): dict(
        symbol="A/HRC/18/35", kind="sp-thematic-report", date="2011-07-11", author=SR_INDIGENOUS, state=None
    ),
}


def excerpt_blocks(path: Path) -> list[str]:
    """The blocks of an excerpt file: its `#` header dropped, split at the `## [...]` lines."""
    return re.split(r"(?m)^## \[.*$", path.read_text(encoding="utf-8"))[1:]


def print_table(rows: list[tuple[str, DocumentInfo]]) -> None:
    print(f"\n{'document':52} {'symbol':26} {'kind':25} {'date':10} {'author':40} state lang")
    for name, info in rows:
        print(
            f"{name[:52]:52} {str(info.symbol):26} {info.kind:25} {str(info.date):10} {str(info.author):40} "
            f"{str(info.state):5} {info.language}"
        )


def test_every_slovenia_pdf_is_recognised(shared_data):
    pdfs = slovenia_pdfs(shared_data)
    rows, wrong = [], []
    for name, (symbol, kind, date) in SLOVENIA_PDFS.items():
        info = recognise(pdfs[name])
        rows.append((name, info))
        expected = (symbol, kind, date, UPR, "SVN", "en")
        if (info.symbol, info.kind, info.date, info.author, info.state, info.language) != expected:
            wrong.append((name, info))
    print_table(rows)
    assert not wrong
    assert recognise(pdfs["A_HRC_28_15_working_group_report_2014.pdf"]).title == (
        "Report of the Working Group on the Universal Periodic Review: Slovenia"
    )


def test_excerpts_are_recognised_as_their_headers_say(shared_data):
    folder = shared_data / "un-docs" / "excerpts"
    rows, fields, matched = [], 0, 0
    for (file_name, block), expected in EXCERPTS.items():
        document = read_text(excerpt_blocks(folder / file_name)[block].encode("utf-8"))
        info = recognise(document, file_name=file_name)
        rows.append((f"{file_name}#{block}", info))
        for field, value in expected.items():
            fields += 1
            matched += getattr(info, field) == value
            assert getattr(info, field) == value, (file_name, block, field, getattr(info, field))
    print_table(rows)
    print(f"fields right: {matched}/{fields}")


def test_upr_reports_are_recognised_from_their_text_alone(shared_data):
    reports = upr_reports(shared_data)
    rows = [(name, recognise(document)) for name, document in reports.items()]
    print_table(rows)
    for name, info in rows:
        assert info.kind == "upr-working-group-report", name
        assert info.author == UPR, name
        assert info.state == state_from_file_name(name), name
        assert info.date and info.date[:4] in {name[-8:-4], str(int(name[-8:-4]) - 1)}, name
        assert info.language == "en", name
    with_symbol = [info for _, info in rows if info.symbol]
    print(f"symbols printed and found: {len(with_symbol)}/{len(rows)}")
    assert all(re.fullmatch(r"A/HRC/\d+/\d+", info.symbol) for info in with_symbol)
    assert len(with_symbol) == 17  # the other 11 texts print no symbol on their first pages


def test_the_file_name_fills_in_the_state_and_year_but_the_text_wins():
    document = read_text(b"Report of the Working Group on the Universal Periodic Review\n1. The review was held.\n")
    info = recognise(document, file_name="peru2012.txt")
    assert (info.symbol, info.state, info.date) == (None, "PER", "2012")
    named = read_text(b"Concluding observations on the initial report of Ghana\n1. The Committee considered it.\n")
    assert recognise(named, file_name="peru2012.txt").state == "GHA"
    assert state_from_file_name("democraticrepublicofthecongo2010.txt") == "COD"
    assert state_from_file_name("CESCR_Mongolia_2014-2019_LOI.txt") == "MNG"


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("United Nations A/HRC/22/15\nGeneral Assembly Distr.: General", "A/HRC/22/15"),
        ("* Previously issued under document symbol A/HRC/WG.6/7L.14.\nUnited Nations A/HRC/14/15\nDistr.: General", "A/HRC/14/15"),
        ("E/C.12/ARG/CO/3\nEconomic and Social Council Distr.: General", "E/C.12/ARG/CO/3"),
        ("CEDAW/C/GUA/CO/7\nDistr.: General\n2 March 2009", "CEDAW/C/GUA/CO/7"),
        ("Naciones Unidas A/HRC/15/37/Add.8\nAsamblea General Distr. general", "A/HRC/15/37/Add.8"),
        ("1. The Committee considered the report (CERD/C/GTM/14-15) at its meetings.", None),
    ],
)
def test_the_masthead_symbol_is_told_from_cited_ones(text, symbol):
    assert find_symbol(text) == symbol


def test_treaty_body_symbols_tell_kind_and_author():
    cases = {
        "E/C.12/ARG/CO/3": ("concluding-observations", "treaty-body/CESCR", "ARG"),
        "CERD/C/64/CO/9": ("concluding-observations", "treaty-body/CERD", None),
        "E/C.12/GC/24": ("general-comment", "treaty-body/CESCR", None),
        "CCPR/C/PER/Q/6": ("list-of-issues", "treaty-body/CCPR", "PER"),
        "CRC/C/COL/CO/4-5": ("concluding-observations", "treaty-body/CRC", "COL"),
    }
    for symbol, (kind, author, state) in cases.items():
        document = read_text(f"United Nations {symbol}\nDistr.: General 4 January 2013\nOriginal: English\n".encode())
        info = recognise(document)
        assert (info.symbol, info.kind, info.author, info.state, info.date) == (symbol, kind, author, state, "2013-01-04")


def test_state_names_resolve_in_their_common_forms():
    for phrase, iso3 in {
        "Concluding observations on the combined reports of the Plurinational State of Bolivia": "BOL",
        "Concluding observations on the report of Bolivia (Plurinational State of)": "BOL",
        "Report of the Special Rapporteur on the rights of indigenous peoples on her visit to Guatemala": "GTM",
        "Concluding observations on the report of the Democratic Republic of the Congo": "COD",
        "Concluding observations on the report of Côte d’Ivoire": "CIV",
    }.items():
        assert recognise(read_text(f"{phrase}\n1. The text.\n".encode())).state == iso3, phrase


def test_languages_are_told_apart():
    english = "The Committee recommends that the State party ensure that the rights of indigenous peoples are respected. " * 3
    spanish = "El Comité recomienda que el Estado parte garantice los derechos de los pueblos indígenas y que se consulte. " * 3
    french = "Le Comité recommande que l'État partie garantisse les droits des peuples autochtones et qu'il consulte. " * 3
    russian = "Комитет рекомендует государству-участнику обеспечить права коренных народов. " * 3
    languages = [recognise(read_text(text.encode())).language for text in (english, spanish, french, russian)]
    assert languages == ["en", "es", "fr", "und"]


def test_an_empty_text_zone_still_gives_an_answer():
    info = recognise(DocumentText(text="A note.", source_format="text"))
    assert (info.symbol, info.kind, info.state, info.language) == (None, "other", None, "und")


def test_recognition_reads_the_reference_tables_in_use(peru_renamed):
    masthead = read_text(
        b"United Nations A/HRC/22/15\nGeneral Assembly Distr.: General\n10 December 2012\n"
        b"Human Rights Council\nReport of the Working Group on the Universal Periodic Review*\nTawantinsuyu\n"
        b"1. The Working Group held its fourteenth session, and the review of the State was held at the 9th meeting."
    )
    assert recognise(masthead).state == "PER"
    assert state_from_file_name("tawantinsuyu2012.txt") == "PER"
    assert state_from_file_name("peru2012.txt") is None
