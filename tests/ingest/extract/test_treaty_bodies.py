"""Treaty-body recommendations: the excerpts in ../shared/data, and the layouts they do not show."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract.layout import UNNUMBERED, collapse
from ingest.extract.treaty_bodies import RULE, extract_treaty_body_recommendations
from ingest.records import DocumentInfo, DocumentText

EXCERPTS = "un-docs/excerpts"
# file -> (document info as the excerpt's header gives it, the paragraph of each recommendation it holds)
TREATY_BODY_EXCERPTS = {
    "CEDAW_and_misc_treaty_body_mining_excerpts.txt": (
        DocumentInfo(None, "concluding-observations", "2017-07-24", "treaty-body/CEDAW", None),
        ["43(c)"],
    ),
    "CESCR_Mongolia_2014-2019_LOI_QPR_SR_mining.txt": (
        DocumentInfo("E/C.12/MNG/Q/4", "list-of-issues", "2014-12-12", "treaty-body/CESCR", "MNG"),
        [],
    ),
    "E_C.12_ZAF_CO_1_CESCR_South_Africa_2018_header.txt": (
        DocumentInfo("E/C.12/ZAF/CO/1", "concluding-observations", "2018-11-29", "treaty-body/CESCR", "ZAF"),
        [],
    ),
    "Guatemala_treaty_bodies_and_SR_statements_excerpts.txt": (
        DocumentInfo("CERD/C/GTM/CO/14-15", "concluding-observations", "2015-05-11", "treaty-body/CERD", "GTM"),
        ["5", UNNUMBERED, "17", "18"],  # one recommendation follows a gap ([...]) that hid its number
    ),
    "A_HRC_37_8_UPR_WG_Peru_2017_header.txt": (
        DocumentInfo("A/HRC/37/8", "concluding-observations", None, "treaty-body/CESCR", "PER"),
        [],
    ),
}


def extract(text: str, state: str | None = "PER"):
    info = DocumentInfo("E/C.12/PER/CO/5", "concluding-observations", None, "treaty-body/CESCR", state)
    return extract_treaty_body_recommendations(DocumentText(text=text, source_format="text"), info)


@pytest.mark.parametrize("name", sorted(TREATY_BODY_EXCERPTS))
def test_excerpts_give_the_recommendations_they_hold(shared_data: Path, name: str) -> None:
    info, paragraphs = TREATY_BODY_EXCERPTS[name]
    text = (shared_data / EXCERPTS / name).read_text(encoding="utf-8")
    records = extract_treaty_body_recommendations(DocumentText(text=text, source_format="text"), info)
    print(f"{name}: {len(records)} recommendations, paragraphs {[r.paragraph for r in records]}")
    assert [r.paragraph for r in records] == paragraphs
    for record in records:
        assert record.rule == RULE
        assert record.addressees == ["state"]
        assert record.addressed_states == ([info.state] if info.state else [])
        assert record.text == collapse(text[record.start : record.end])
        assert (record.score is None) != record.paragraph.startswith(UNNUMBERED)


def test_guatemala_concerns_stay_out_and_mixed_paragraphs_keep_the_recommending_sentences(shared_data: Path) -> None:
    info = TREATY_BODY_EXCERPTS["Guatemala_treaty_bodies_and_SR_statements_excerpts.txt"][0]
    path = shared_data / EXCERPTS / "Guatemala_treaty_bodies_and_SR_statements_excerpts.txt"
    document = DocumentText(path.read_text(encoding="utf-8"), "text")
    records = {r.paragraph: r for r in extract_treaty_body_recommendations(document, info)}
    assert "8" not in records  # "The Committee continues to be concerned …"
    assert records["17"].text.startswith("Bearing in mind its general recommendation 23")
    assert "highly concerned" not in records["17"].text
    assert records["17"].text.endswith("identified and demarcated.")
    assert records["5"].text.startswith("The Committee recommends that the State party take the measures")
    assert "urges the State party to provide training" in records["5"].text


def test_cedaw_sub_item_under_a_recommending_lead_in(shared_data: Path) -> None:
    text = (shared_data / EXCERPTS / "CEDAW_and_misc_treaty_body_mining_excerpts.txt").read_text(encoding="utf-8")
    (record,) = extract(text, state=None)
    assert record.paragraph == "43(c)"
    assert record.text.startswith("Ensure effective consultations with women from affected communities")
    assert record.text.endswith("provide adequate compensation as necessary;")
    assert record.addressed_states == []


CONCLUDING_OBSERVATIONS = """C. Principal subjects of concern and recommendations
Mining and the rights of indigenous peoples
24. The Committee is concerned that mining concessions have been granted without consultation.
25. The Committee recommends that the State party:
(a) Ensure the free, prior and informed consent of the indigenous peoples concerned;
(b) Carry out independent environmental and social impact assessments;
(c) Provide adequate compensation to the communities affected.
Environment
26. The Committee is concerned at water pollution by mining. It urges the State party to adopt
standards on tailings dams, in accordance with ILO Convention No. 169. It also reiterates its previous
recommendation that the State party establish an independent oversight body (E/C.12/PER/CO/4, para. 12).
27. The State party should ensure that victims have access to effective remedies.
28. The Committee requests the State party to provide, in its next periodic report, information on the
cases brought by affected communities.
29. The Committee encourages the State party to ratify the Optional Protocol.
"""


def test_a_concluding_observations_layout() -> None:
    records = extract(CONCLUDING_OBSERVATIONS)
    by_paragraph = {r.paragraph: r for r in records}
    assert [r.paragraph for r in records] == ["25(a)", "25(b)", "25(c)", "26", "27", "29"]
    assert by_paragraph["25(a)"].text == (
        "Ensure the free, prior and informed consent of the indigenous peoples concerned;"
    )
    assert by_paragraph["26"].text.startswith("It urges the State party to adopt standards on tailings dams")
    assert by_paragraph["26"].text.endswith("(E/C.12/PER/CO/4, para. 12).")
    assert all(r.addressed_states == ["PER"] and r.score is None for r in records)


def test_lost_line_breaks_give_the_same_recommendations() -> None:
    flat = " ".join(CONCLUDING_OBSERVATIONS.split())
    kept = [(r.paragraph, r.text) for r in extract(CONCLUDING_OBSERVATIONS)]
    assert [(r.paragraph, r.text) for r in extract(flat)] == kept


def test_paragraph_numbers_on_their_own_line_and_without_space() -> None:
    text = (
        "69.\nThe Committee is concerned about evictions.\n70.\nThe Committee urges the State party to halt evictions."
        "\n71.The Committee recommends that the State party adopt a resettlement law."
    )
    assert [r.paragraph for r in extract(text)] == ["70", "71"]


def test_an_excerpt_gap_breaks_the_numbering() -> None:
    text = (
        "5. The Committee recommends that the State party adopt a law.\n[...]\n"
        "It also urges it to ensure access to land.\n9. The Committee is concerned about violence."
    )
    records = extract(text)
    assert [r.paragraph for r in records] == ["5", UNNUMBERED]
    assert records[1].score is not None and records[1].score < 1


@pytest.mark.parametrize("text", ["", "   \n\n", "[...]", "Concluding observations on the initial report of Chile *"])
def test_empty_and_header_only_texts_give_nothing(text: str) -> None:
    assert extract(text) == []
