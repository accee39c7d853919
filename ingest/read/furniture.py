"""Page furniture: what the printer puts on the pages of a UN document that is not its text.

Job numbers (`GE.12-18835 (E) 120712`), barcodes (`*1218835*`, or a line set in a barcode font),
the recycling note, page numbers (`12`, `Page 12`, `- 12 -`) and running heads repeating the
document's symbol (`A/HRC/22/15`, `12 A/HRC/22/15`). This module says once what furniture is.
`ingest.read.normalise` drops it from a document page by page, where the position of a line
also counts (the first symbol is the masthead, not a running head; a lone number is a page number
at a page's edge). `blank_furniture` blanks it in text whose offsets must not move and whose pages
are lost (`ingest.extract.upr_report` reads text that may not have been normalised):

>>> blank_furniture("116.1 Ratify the\\nGE.12-18835 (E) 120712\\n14\\nA/HRC/22/15\\nConvention").split("\\n")
['116.1 Ratify the', '                      ', '  ', '           ', 'Convention']
>>> strip_inline_furniture("the Convention. GE.12-18835 *1218835*")
'the Convention.'
"""

from __future__ import annotations

import re

from ingest.read.symbols import UN_SYMBOL

JOB_NUMBER = r"GE[.:]\s?\d{2}-\d{0,6}(?:\s?\([A-Z]\))?(?:\s+\d{6}){0,2}"
PAGE_NUMBER = r"(?:(?:Page|Página|page)\s+)?\d{1,3}"
# Lines that are furniture wherever they stand.
PRINTER_MARK_LINE = re.compile(
    rf"""^(?:
        (?:\d{{1,3}}\s+)?{JOB_NUMBER}(?:\s+\d{{1,3}})?      # GE.14-24579 (E) / 2 GE.25-02819 / GE.25-02819 3
      | \*\d{{5,9}}\*                                      # *1424579* (barcode)
      | Please\s+recycle\W*                                # recycling note
      | (?:Page|Página)\s+\d{{1,3}}                          # Page 12
      | -\s?\d{{1,3}}\s?-                                  # - 12 -
    )$""",
    re.VERBOSE,
)
INLINE_FURNITURE = re.compile(rf"\s*(?:{JOB_NUMBER}(?=\s|$)|\*\d{{7}}\*|Please\s+recycle\s*[\u2672\u267b]?)")
RUNNING_HEAD = re.compile(rf"^(?:\d{{1,3}}\s+)?({UN_SYMBOL.pattern})(?:\s+{PAGE_NUMBER})?$")
LONE_NUMBER = re.compile(r"^(\d{1,3})$")
_LINE = re.compile(r"[^\n]*")


def is_printer_mark(line: str) -> bool:
    """A job number, barcode, recycling note or `Page 12` line: furniture wherever it stands."""
    return bool(PRINTER_MARK_LINE.match(line)) or is_barcode(line)


def is_barcode(line: str) -> bool:
    """A line set in a barcode font: private-use glyphs (and asterisks) only."""
    visible = [char for char in line if not char.isspace()]
    return bool(visible) and all("\ue000" <= char <= "\uf8ff" or char == "*" for char in visible) and any(
        char != "*" for char in visible
    )


def is_running_head(line: str) -> bool:
    """A line holding only a UN symbol, with or without a page number (`12 A/HRC/22/15`)."""
    return bool(RUNNING_HEAD.match(line))


def is_page_number(line: str) -> bool:
    """A number alone on its line (`14`)."""
    return bool(LONE_NUMBER.match(line))


def is_furniture(line: str) -> bool:
    """Any furniture line, judged without its page: printer marks, running heads, page numbers.

    Spacing does not matter (`GE.10-14563  (E)    070710` as layout text pads it), nor does a job
    number or barcode beside the line's other furniture.
    """
    line = " ".join(line.split())
    if not line:
        return False
    if is_printer_mark(line) or is_running_head(line) or is_page_number(line):
        return True
    return not strip_inline_furniture(line).strip()


def strip_inline_furniture(text: str) -> str:
    """Remove job numbers, 7-digit barcodes and recycling notes standing inside a line."""
    return INLINE_FURNITURE.sub("", text)


def blank_furniture(text: str, start: int = 0, end: int | None = None) -> str:
    """The text with each furniture line between `start` and `end` turned into spaces.

    Offsets and line breaks stay where they were, so spans found in the result point into `text`.
    """
    end = len(text) if end is None else end
    chars = list(text)
    for line in _LINE.finditer(text, start, end):
        if is_furniture(line.group()):
            for index in range(line.start(), line.end()):
                if chars[index] != "\r":
                    chars[index] = " "
    return "".join(chars)
