"""The layout every UN document shares: paragraph numbers, sentences, sub-items."""

from __future__ import annotations

from ingest.extract.layout import read_layout, split_sentences


def test_references_are_not_paragraph_numbers() -> None:
    text = (
        "12. The Committee recommends that the State party ratify ILO Convention No. 169. It refers to paragraph 13. "
        "It also urges it to apply article 5. The Committee further recommends consultation."
    )
    layout = read_layout(text)
    assert [block.number for block in layout.blocks] == ["12"]


def test_sentences_do_not_break_after_abbreviations() -> None:
    text = "The Committee recommends ratifying ILO Convention No. 169. Mr. Sadi agreed, see para. 5 above. It ended."
    spans = split_sentences(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == [
        "The Committee recommends ratifying ILO Convention No. 169.",
        "Mr. Sadi agreed, see para. 5 above.",
        "It ended.",
    ]
