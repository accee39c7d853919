"""States' responses in UPR addenda: Slovenia's against OHCHR's thematic lists, and the layouts they do not show."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.extract.layout import collapse
from ingest.extract.upr_addendum import ADDENDUM_RULE, extract_addendum_responses
from ingest.link.state_names import StateNames
from ingest.read.readers import read_document
from ingest.records import DocumentError, DocumentInfo, DocumentText

SLOVENIA = "upr/slovenia"
# addendum -> (its symbol, the Working Group report it answers, OHCHR's thematic list of that cycle)
ADDENDA = {
    "A_HRC_43_15_Add.1_Slovenia_responses_2020.txt": (
        "A/HRC/43/15/Add.1",
        "A_HRC_43_15_UPR_WG_report_Slovenia_2019.txt",
        "UPR34_Slovenia_Thematic_list_of_Recommendations.txt",
    ),
    "A_HRC_59_15_Add.1_Slovenia_responses_2025.txt": (
        "A/HRC/59/15/Add.1",
        "A_HRC_59_15_UPR_WG_report_Slovenia_2025.txt",
        "upr48-slovenia-thematic-list-of-recommendations.txt",
    ),
}
GOLD_ENTRY = re.compile(r"^(\d+\.\d+) .*?\nSource of Position: (\S+).*?\n(Supported|Noted)\b", re.MULTILINE)


def examined(report: str) -> set[str]:
    """Numbers of the recommendations a Working Group report leaves to be examined (answered in Add.1)."""
    opening = re.search(r"^\s*(\d+)\.\s+The following recommendations will be examined", report, re.MULTILINE)
    paragraph = opening.group(1)
    return set(re.findall(rf"^\s*({paragraph}\.\d+)\s", report, re.MULTILINE))


def gold_positions(thematic_list: str) -> dict[str, str]:
    """OHCHR's position (supported / noted) of each recommendation, for those its list sources to the Add.1."""
    entries = GOLD_ENTRY.findall(thematic_list)
    return {number: position.lower() for number, source, position in entries if source.endswith("Add.1")}


@pytest.mark.parametrize("addendum", sorted(ADDENDA))
def test_slovenia_addenda_agree_with_the_thematic_lists(shared_data: Path, names: StateNames, addendum: str) -> None:
    symbol, report_name, list_name = ADDENDA[addendum]
    report, thematic_list = shared_data / SLOVENIA / report_name, shared_data / SLOVENIA / list_name
    text = (shared_data / SLOVENIA / addendum).read_text(encoding="utf-8")
    info = DocumentInfo(symbol, "upr-addendum", None, "mechanism/UPR", None)  # the State is read from the title
    responses = extract_addendum_responses(DocumentText(text=text, source_format="text"), info, names=names)
    found = {r.recommendation_paragraph: r for r in responses}
    expected = examined(report.read_text(encoding="utf-8"))
    gold = gold_positions(thematic_list.read_text(encoding="utf-8"))
    covered = [n for n in gold if n in found]
    agreeing = [n for n in covered if ("noted" if found[n].position == "noted" else "supported") == gold[n]]
    print(
        f"\n{addendum}: {len(responses)} responses {dict(Counter(r.position for r in responses))}; "
        f"cover {len(expected & set(found))}/{len(expected)} recommendations left to be examined in {report.name}; "
        f"agree with the thematic list on {len(agreeing)}/{len(covered)} (list sources {len(gold)} to the addendum; "
        f"not in the addendum: {sorted(set(gold) - set(found))})"
    )
    assert len(responses) == len(found)  # one response per recommendation
    assert expected <= set(found)
    assert set(found) <= expected | set(gold)
    assert len(agreeing) / len(covered) >= 0.95
    assert {r.respondent for r in responses} == {"SVN"}
    assert {r.recommendation_symbol for r in responses} == {symbol.removesuffix("/Add.1")}
    assert all(r.rule == ADDENDUM_RULE for r in responses)
    assert all(re.fullmatch(r"[\d.]+(?:\s*[-–]\s*[\d.]+)?", text[r.start : r.end]) for r in responses)  # the citation


def addendum(text: str, names: StateNames, *, state: str | None = "PER"):
    info = DocumentInfo("A/HRC/22/15/Add.1", "upr-addendum", None, "mechanism/UPR", state)
    responses = extract_addendum_responses(DocumentText(text, "text"), info, names=names)
    return {r.recommendation_paragraph: r.position for r in responses}


def test_prose_positions_ranges_and_cross_references(names: StateNames) -> None:
    text = """1. Peru has examined the recommendations 116.1 to 116.40.
2. Recommendations 116.12, 116.14 and 116.20 enjoy the support of Peru, which considers them already implemented.
3. Recommendations 116.5-116.9 do not enjoy the support of Peru. See also recommendation 116.12.
4. Peru accepts recommendation 116.30 in part: it supports the ratification but not the reservation.
5. Peru supports recommendations 116.31, 116.32 and 116.33. In 2012, 90.5 per cent of children were enrolled.
6. Peru rejects recommendation 116.40.
"""
    assert addendum(text, names) == {
        "116.12": "already-implemented", "116.14": "already-implemented", "116.20": "already-implemented",
        **{f"116.{n}": "noted" for n in range(5, 10)},
        "116.30": "partially-supported", "116.31": "supported", "116.32": "supported", "116.33": "supported",
        "116.40": "noted",
    }


def test_tables_and_short_positions(names: StateNames) -> None:
    text = """Recommendation | Position | Comments
116.1 | Accepted | The Government has ratified it.
116.2 | Noted | Not a priority.
116.3: Partially accepted. The first part is accepted.
116.4 Ratify the Convention (France) Rejected
"""
    assert addendum(text, names) == {
        "116.1": "supported", "116.2": "noted", "116.3": "partially-supported", "116.4": "noted",
    }


def test_comments_inherit_the_position_of_their_section(names: StateNames) -> None:
    text = """Noted recommendations
5. The Government takes note of recommendations 140.1-3, 140.22.
140.1-3
      Ratification of the Convention is not a priority.
140.82-85, 87
      Slovenia implements anti-trafficking measures that are supported by the Government.
"""
    numbers = ["140.1", "140.2", "140.3", "140.22", "140.82", "140.83", "140.84", "140.85", "140.87"]
    assert addendum(text, names) == dict.fromkeys(numbers, "noted")


def test_item_numbers_of_older_addenda(names: StateNames) -> None:
    text = """I. Accepted recommendations
3. The Government accepts the recommendations 1–3, 7, 9 – 10.
III. Noted recommendations
5. The Government notes recommendations 4, 5.
Rec. 7 We consider that this recommendation is implemented. Rec. 4 See recommendation 1.
"""
    assert addendum(text, names) == {"1": "supported", "2": "supported", "3": "supported", "7": "supported",
                                     "9": "supported", "10": "supported", "4": "noted", "5": "noted"}


def test_paragraphs_that_answer_the_recommendation_of_their_number(names: StateNames) -> None:
    text = """Slovenia welcomes the recommendations. Its answers are as follows:
1. Slovenia cannot, at this point in time, make a definitive statement.
2. Slovenia accepts the recommendation.
3., 4., Slovenia accepts these recommendations and refers, in the light of the
5., 6. decision of the Constitutional Court, to the Act on the "erased".
7. Slovenia does not accept this recommendation, as it is incomprehensible.
8. Slovenia accepts the recommendation and notes that it has already been implemented.
"""
    assert addendum(text, names) == {"2": "supported", "3": "supported", "4": "supported", "5": "supported",
                                     "6": "supported", "7": "noted", "8": "already-implemented"}


def test_a_number_both_supported_and_noted_is_partially_supported(names: StateNames) -> None:
    text = "3. Slovenia supports recommendations 122.1 and 122.2. 4. Slovenia notes recommendations 122.2 and 122.3."
    assert addendum(text, names) == {"122.1": "supported", "122.2": "partially-supported", "122.3": "noted"}


def test_an_addendum_without_a_state_is_refused(names: StateNames) -> None:
    with pytest.raises(DocumentError, match="which State"):
        addendum("3. The Government accepts recommendations 122.1 and 122.2.", names, state=None)


# older addenda, as PDFs: (file, symbol, the report paragraph listing the recommendations left to be examined)
OLDER_ADDENDA = [
    ("A_HRC_14_15_Add.1_views_on_recommendations_2010.pdf", "A/HRC/14/15/Add.1", "111"),
    ("A_HRC_28_15_Add.1_views_on_recommendations_2015.pdf", "A/HRC/28/15/Add.1", "115"),
]


@pytest.mark.parametrize(("name", "symbol", "paragraph"), OLDER_ADDENDA)
def test_older_addenda_cite_item_numbers(
    shared_data: Path, names: StateNames, name: str, symbol: str, paragraph: str
) -> None:
    document = read_document(shared_data / "upr/slovenia-pdfs" / name)
    info = DocumentInfo(symbol, "upr-addendum", None, "mechanism/UPR", "SVN")
    responses = extract_addendum_responses(document, info, names=names, report_paragraph=paragraph)
    positions = Counter("noted" if r.position == "noted" else "supported" for r in responses)
    stated = re.search(r"accepts (\d+) recommendations\. .{0,80}? notes (\d+) recommendations", collapse(document.text))
    print(f"\n{name}: {len(responses)} responses {dict(positions)}"
          + (f"; the addendum says {stated.group(1)} accepted, {stated.group(2)} noted" if stated else ""))
    assert all(r.recommendation_paragraph.startswith(paragraph + ".") for r in responses)
    if stated:  # 2015: "The Government of Slovenia accepts 142 recommendations. … notes 21 recommendations."
        assert positions == {"supported": int(stated.group(1)), "noted": int(stated.group(2))}
    else:  # 2010: one paragraph per recommendation, 97 in all; 84, 88 and 93 are refused
        # Paragraph 1 takes no position ("cannot … make a definitive statement"), and 15 answers
        # without saying "the recommendation" ("Slovenia agrees with the importance of …").
        answered = {f"{paragraph}.{n}" for n in range(1, 98)} - {f"{paragraph}.1", f"{paragraph}.15"}
        assert {r.recommendation_paragraph for r in responses} == answered and len(responses) == 95
        noted = {r.recommendation_paragraph for r in responses if r.position == "noted"}
        assert noted == {f"{paragraph}.{n}" for n in (84, 88, 93)}
