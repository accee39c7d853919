"""Page furniture, defined once: what the normaliser drops and the UPR extractor blanks."""

from __future__ import annotations

import pytest

from ingest.read.furniture import blank_furniture, is_furniture
from ingest.read.normalise import normalise_text

FURNITURE = [
    "GE.12-18835",
    "GE.10-14563  (E)    070710",
    "GE.13-10161 (E) 210313 220313 *1310161*",
    "2 GE.25-02819",
    "*1218835*",
    "Please recycle",
    "Page 12",
    "- 12 -",
    "A/HRC/22/15",
    "12 A/HRC/22/15",
    "   A/HRC/43/15   ",
    "14",
]
TEXT = ["12. The Committee recommends consultation.", "A/HRC/22/15 recommends", "Goal 16", "(a) Adopt a law;"]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", TEXT)
def test_lines_of_text(line):
    assert not is_furniture(line)


def test_blanking_keeps_offsets_and_line_breaks():
    text = "116.1 Ratify the\n" + "\n".join(FURNITURE) + "\nConvention (Chile);\r\n" + "\n".join(TEXT)
    blanked = blank_furniture(text)
    assert len(blanked) == len(text) and blanked.count("\n") == text.count("\n") and "\r" in blanked
    assert blanked.split() == "116.1 Ratify the Convention (Chile);".split() + " ".join(TEXT).split()


def test_blanking_stays_between_its_bounds():
    text = "GE.12-18835\n116.1 Ratify\nGE.12-18835\n"
    assert blank_furniture(text, 12, len(text)) == "GE.12-18835\n116.1 Ratify\n" + " " * 11 + "\n"


def test_the_normaliser_drops_what_the_extractor_blanks():
    pages = ["A/HRC/22/15\n1. The Committee met in Geneva.", *("\n".join([line, "2. The text goes on."]) for line in FURNITURE)]
    text, _ = normalise_text("", pages=pages)
    assert text.split("\n") == ["A/HRC/22/15", "1. The Committee met in Geneva."] + ["2. The text goes on."] * len(FURNITURE)
