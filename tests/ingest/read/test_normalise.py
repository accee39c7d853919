"""Normalisation: page furniture, hyphenation, footnotes and line breaks, on rules and on real documents."""

from __future__ import annotations

import re

from ingest.read.normalise import clean_characters, normalise_text
from ingest.records import DocumentText
from tests.ingest.read.test_readers import slovenia_pdfs, upr_reports

JOB_NUMBER = re.compile(r"GE[.:]\s?\d{2}-\d")
LONE_NUMBER = re.compile(r"(?m)^\s*(?:Page\s+)?\d{1,3}\s*$")
GLUED_MARKER = re.compile(r"\b[a-z]{3,}\d{1,3}\b")


def normalised(raw: str, **options) -> str:
    return normalise_text(raw, **options)[0]


def test_job_numbers_barcodes_and_recycling_notes_go():
    raw = "GE.12-18835\n*1218835*\nGE.14-24579 (E) 150714 160714\n1. The text.\nPlease recycle\n2 GE.25-02819\n"
    assert normalised(raw) == "1. The text."


def test_running_heads_and_page_numbers_go_but_the_masthead_stays():
    pages = [
        "United Nations A/HRC/28/15\nGeneral Assembly Distr.: General\n10 December 2014\n"
        "1. The Working Group held its session and the review of the State was held on",
        "A/HRC/28/15\n2\n4 November 2014.\n2. The troika was selected.",
        "A/HRC/28/15\nPage 3\n3. Questions were transmitted.\nGE.14-23930 3",
    ]
    text, warnings = normalise_text("", pages=pages)
    assert text.splitlines()[0] == "United Nations A/HRC/28/15"
    assert text.count("A/HRC/28/15") == 1
    assert "was held on 4 November 2014." in text  # the paragraph runs across the page break
    assert not LONE_NUMBER.search(text)
    assert any("running heads" in warning for warning in warnings)


def test_a_lone_symbol_line_is_kept_once_as_the_masthead_of_unpaged_text():
    raw = " United Nations \n A/HRC/22/15 \n Distr.: General \n1. First paragraph.\nA/HRC/22/15\n2. Second paragraph.\n"
    assert normalised(raw).split("\n") == [
        "United Nations",
        "A/HRC/22/15",
        "Distr.: General",
        "1. First paragraph.",
        "2. Second paragraph.",
    ]


def test_words_hyphenated_at_line_ends_are_joined_but_compounds_keep_their_hyphen():
    raw = (
        "12. The State should regulate the extrac-\ntive industries, ensure follow-\nup with non-\n"
        "governmental organizations and awareness-\nraising of the awareness campaigns in the raising season.\n"
    )
    assert normalised(raw) == (
        "12. The State should regulate the extractive industries, ensure follow-up with "
        "non-governmental organizations and awareness-raising of the awareness campaigns in the raising season."
    )


def test_pdfium_hyphen_marks_are_judged_like_line_end_hyphens():
    assert normalised("5. The re\ufffeexamined extrac\x02tive plan was high\ufffequality.") == (
        "5. The re-examined extractive plan was high-quality."
    )


def test_footnote_markers_leave_the_text():
    raw = "5. It welcomed the implementation1. It noted the Act9 and progress.2 It recalled (CPED)3 rules.\n"
    assert normalised(raw) == "5. It welcomed the implementation. It noted the Act and progress. It recalled (CPED) rules."


def test_numbers_that_belong_to_the_text_stay():
    raw = "5. See Convention No.169, art.5, A/HRC/27/52/Add.3, resolution 16/21, para. 12 and 2.5 per cent in 2010.\n"
    assert normalised(raw) == raw.strip()


def test_footnote_bodies_go_with_their_markers():
    raw = (
        "4. Statements were made.1 Recommendations follow in section II.2\n"
        "1\nSee http://webtv.un.org.\n2 See the extranet of the Council.\n5. Next paragraph.\n"
    )
    assert normalised(raw) == "4. Statements were made. Recommendations follow in section II.\n5. Next paragraph."


def test_layout_lines_become_paragraphs_and_headings_stay_apart():
    raw = (
        "Human Rights Council\nTwenty-second session\nReport of the Working Group on the\nUniversal Periodic Review\n"
        "Introduction\n1. The Working Group on the Universal Periodic Review, established in accordance\n"
        "with Human Rights Council resolution 5/1, held its fourteenth session. The review of Peru\n"
        "was held on 1 November 2012.\nB. Interactive dialogue and responses by the State under review\n"
        "2. On 3 May 2012, the Human Rights Council selected the troika.\n"
    )
    assert normalised(raw).split("\n") == [
        "Human Rights Council",
        "Twenty-second session",
        "Report of the Working Group on the Universal Periodic Review",
        "Introduction",
        "1. The Working Group on the Universal Periodic Review, established in accordance with Human Rights "
        "Council resolution 5/1, held its fourteenth session. The review of Peru was held on 1 November 2012.",
        "B. Interactive dialogue and responses by the State under review",
        "2. On 3 May 2012, the Human Rights Council selected the troika.",
    ]


def test_a_bare_number_joins_its_text_and_blank_lines_after_every_line_carry_no_meaning():
    raw = "1.\n\nThe Working Group held its session\n\nin Geneva.\n\n2.\n\nThe troika was selected.\n"
    assert normalised(raw) == "1. The Working Group held its session in Geneva.\n2. The troika was selected."


def test_text_whose_line_breaks_were_lost_keeps_its_sentences_and_loses_inline_furniture():
    raw = "1. The text ends here. GE.12-18835 (E) *1218835* 2. The next paragraph. 3. The last one."
    assert normalised(raw) == "1. The text ends here. 2. The next paragraph. 3. The last one."


def test_characters_are_unified():
    assert clean_characters("a\u00a0b\u2011c\u00adde\ufb01n\r\nx\ry\u200b") == "a b-cdefin\nx\ny"


def test_no_furniture_is_left_in_any_shared_report_or_pdf(shared_data):
    documents: dict[str, DocumentText] = {}
    for folder in ("reports", "reports-raw", "slovenia"):
        documents.update({f"{folder}/{name}": doc for name, doc in upr_reports(shared_data, folder).items()})
    documents.update({f"pdf/{name}": doc for name, doc in slovenia_pdfs(shared_data).items() if isinstance(doc, DocumentText)})
    rows = []
    for name, document in documents.items():
        rows.append(
            (
                name,
                len(JOB_NUMBER.findall(document.text)),
                len(LONE_NUMBER.findall(document.text)),
                len(GLUED_MARKER.findall(document.text)),
            )
        )
    print(f"\n{'document':64} {'GE.':>4} {'lone#':>5} {'marker?':>7}")
    for row in rows:
        if any(row[1:]):
            print(f"{row[0]:64} {row[1]:4} {row[2]:5} {row[3]:7}")
    print(f"{len(rows)} documents; job numbers left: {sum(r[1] for r in rows)}; lone page numbers left: "
          f"{sum(r[2] for r in rows)}; glued digits left: {sum(r[3] for r in rows)}")
    assert len(rows) == 28 + 28 + 6 + 24
    assert sum(r[1] for r in rows) == 0
    assert sum(r[2] for r in rows) == 0


def test_superscript_markers_and_footnote_bodies_leave_the_pdfs(shared_data):
    pdfs = slovenia_pdfs(shared_data)
    compilation = pdfs["A_HRC_WG.6_34_SVN_2_compilation_2019.pdf"].text
    assert "the Paris Principles)." in compilation
    assert not re.search(r"Principles\)\.\d", compilation)
    report = pdfs["A_HRC_WG.6_20_SVN_1_national_report_2014.pdf"].text
    assert "National Programme for Youth 2013–2022," in report  # marker 12 was glued to the year
    wg_report = pdfs["A_HRC_59_15_working_group_report_2025.pdf"].text
    assert "paragraph 15 (a);" in wg_report and "(a);1" not in wg_report
    assert "\n1 A/HRC/WG.6/48/SVN/1." not in wg_report
