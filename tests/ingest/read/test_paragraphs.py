"""Paragraph segmentation: numbering rules, false starts, and the recommendations of real UPR reports."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ingest.read.paragraphs import segment
from tests.ingest.read.test_readers import slovenia_pdfs, upr_reports

WORKING_GROUP_PDFS = {
    "A_HRC_28_15_working_group_report_2014.pdf": {"115": 163},
    "A_HRC_43_15_working_group_report_2019.pdf": {"121": 58, "122": 157},
    "A_HRC_59_15_working_group_report_2025.pdf": {"140": 254},
    "A_HRC_WG.6_7_L.14_draft_working_group_report_2010.pdf": {"111": 97},
}


def numbers(text: str) -> list[str]:
    return [paragraph.number for paragraph in segment(text)]


def test_top_level_paragraphs_and_their_offsets():
    text = "Introduction\n1. The Working Group met.\n2. The troika was selected.\nAnnex\nComposition"
    paragraphs = segment(text)
    assert [p.number for p in paragraphs] == ["1", "2"]
    assert [text[p.start : p.end] for p in paragraphs] == ["1. The Working Group met.", "2. The troika was selected."]


def test_upr_recommendation_items_with_and_without_a_trailing_dot():
    text = (
        "116. The following recommendations enjoy the support of Peru:\n"
        "116.1. Consider ratifying ILO Convention No. 189 (Philippines);\n"
        "116.2. Ratify the Kampala amendments (Liechtenstein);\n"
        "117. The following recommendations will be examined:\n"
        "117.1 Involve indigenous peoples in the extractive sector (Mexico);\n"
        "117.2 Ensure consultation (Norway).\n"
    )
    paragraphs = segment(text)
    assert [p.number for p in paragraphs] == ["116", "116.1", "116.2", "117", "117.1", "117.2"]
    by_number = {p.number: text[p.start : p.end] for p in paragraphs}
    assert by_number["117.1"] == "117.1 Involve indigenous peoples in the extractive sector (Mexico);"
    assert by_number["116"].endswith("(Liechtenstein);")  # a paragraph holds its items


def test_lettered_items_take_their_paragraph_number():
    text = (
        "25. The Committee recommends that the State party:\n(a) Adopt a law on consultation;\n"
        "(b) Ensure that the (i) free, (ii) prior and informed consent of peoples is obtained;\n"
        "(c) Monitor mining.\n26. Next."
    )
    assert numbers(text) == ["25", "25(a)", "25(b)", "25(c)", "26"]


def test_numbers_inside_sentences_are_not_paragraphs():
    text = (
        "1. The review was held on 1 November 2012. It recalled resolution 16/21 and para. 12. "
        "Convention No. 169. The Act of 2010. 5 per cent.\n"
        "2. See paragraph 15 (a) of the annex; in 2013. 2.5 per cent was spent.\n"
        "3. Last."
    )
    assert numbers(text) == ["1", "2", "3"]


def test_numbers_are_found_when_line_breaks_were_lost():
    text = (
        "I. Summary 1. The Working Group met. 2. The troika was selected. II. Conclusions "
        "3. The recommendations below enjoy support: 3.1 Ratify ICRMW (Egypt); 3.2 Consult (Peru). "
        "4. The Committee recommends: (a) Adopt a law; (b) Consult. 5. End."
    )
    assert numbers(text) == ["1", "2", "3", "3.1", "3.2", "4", "4(a)", "4(b)", "5"]


def test_a_numbered_list_restarting_inside_a_paragraph_is_nested_in_it():
    text = (
        "82. Brazil replied.\n83. The recommendations below enjoy the support of Brazil:\n"
        "1. Continue efforts to reduce poverty (Belgium);\n2. Continue its commitment (Ghana);\n"
        "84. All conclusions reflect the position of the submitting States."
    )
    assert numbers(text) == ["82", "83", "83.1", "83.2", "84"]


def test_a_numbered_list_before_the_text_does_not_steal_its_numbers():
    text = (
        "LIST OF ABBREVIATIONS\n1. CEPOL European Police College\n2. EU European Union\n"
        "I. METHODOLOGY\n1. Slovenia launched the preparations.\n2. The report was drafted.\n3. It was adopted."
    )
    paragraphs = segment(text)
    assert [p.number for p in paragraphs] == ["1", "2", "3"]
    assert text[paragraphs[0].start :].startswith("1. Slovenia")


def test_an_excerpt_may_start_late_and_skip_paragraphs():
    text = "16. Mining activity is regulated.\n17. Safeguards apply.\n[...]\n69. As a result of extractive activities.\n70. It may be noted."
    assert numbers(text) == ["16", "17", "69", "70"]


def test_the_working_group_pdfs_hold_every_recommendation_in_order(shared_data):
    pdfs = slovenia_pdfs(shared_data)
    for name, expected in WORKING_GROUP_PDFS.items():
        found = [p.number for p in pdfs[name].paragraphs]
        tops = [int(n) for n in found if n.isdigit()]
        print(f"\n{name}: {len(tops)} paragraphs {tops[0]}–{tops[-1]}", end="")
        assert tops == list(range(1, tops[-1] + 1)), f"{name}: gaps in {tops}"
        for parent, count in expected.items():
            items = [n for n in found if n.startswith(parent + ".")]
            print(f"; {parent}.1–{parent}.{len(items)}", end="")
            assert items == [f"{parent}.{i}" for i in range(1, count + 1)]


def test_recommendation_numbers_of_the_upr_reports_match_the_parsed_dataset(shared_data):
    """Gold: the third-party recommendations-by-year tables keep each recommendation's number."""
    gold_dir = shared_data / "upr" / "recommendations-by-year"
    reports = upr_reports(shared_data)
    total = found_total = 0
    print(f"\n{'report':36} {'gold':>5} {'found':>5} {'paras':>5} {'gaps':>4}")
    for name, document in reports.items():
        country, year = re.match(r"([a-z]+)(\d{4})", name).groups()
        gold = _gold_numbers(gold_dir / f"{year}data.csv", country)
        found = {p.number for p in document.paragraphs}
        tops = [int(n) for n in found if n.isdigit()]
        gaps = sum(1 for n in range(1, max(tops) + 1) if n not in tops)
        total += len(gold)
        found_total += len(gold & found)
        print(f"{name:36} {len(gold):5} {len(gold & found):5} {len(tops):5} {gaps:4}")
        assert gaps <= 2, name
    recall = found_total / total
    print(f"recommendation numbers found: {found_total}/{total} = {recall:.4f}")
    assert recall >= 0.99


def _gold_numbers(path: Path, country: str) -> set[str]:
    if not path.exists():
        return set()
    with path.open(encoding="utf-8", errors="replace") as handle:
        rows = [row for row in csv.DictReader(handle) if re.sub(r"[^a-z]", "", row["to"].lower()) == country]
    return {m.group(1) for row in rows if (m := re.match(r"\s*(\d{1,3}\.\d{1,3})(?!\d)", row["text"]))}


def test_paragraph_numbers_survive_the_loss_of_line_breaks(shared_data):
    reports = upr_reports(shared_data)
    kept = lost = 0
    for name, document in reports.items():
        with_breaks = {p.number for p in document.paragraphs}
        without = {p.number for p in segment(document.text.replace("\n", " "))}
        kept += len(with_breaks)
        lost += len(with_breaks & without)
        assert without <= with_breaks | {str(n) for n in range(1, 200)}, name
    print(f"\nparagraph numbers found again with every line break removed: {lost}/{kept} = {lost / kept:.3f}")
    assert lost / kept >= 0.95
