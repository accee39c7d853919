"""UN document symbols: `A/HRC/22/15`, `E/C.12/ARG/CO/3`, `CERD/C/GTM/CO/14-15`.

A symbol names a document on its masthead (`ingest.read.recognise` reads it there), repeats on
every page as the running head (`ingest.read.furniture`), and is how one document cites another.

>>> UN_SYMBOL.search("see the report (A/HRC/27/52/Add.3), para. 5").group()
'A/HRC/27/52/Add.3'
>>> UN_SYMBOL.search("Human Rights Council, A/HRC/WG.6/7/L.14") is not None
True
"""

from __future__ import annotations

import re

# A UN document symbol: `A/HRC/22/15`, `A/HRC/27/52/Add.3`, `A/HRC/WG.6/7/L.14`, `E/C.12/ARG/CO/3`,
# `CERD/C/GTM/CO/14-15`, `CEDAW/C/GUA/CO/7`, `A/HRC/DEC/43/112`, `E/C.12/GC/24`, `A/73/176`.
SYMBOL_SEGMENT = r"(?:(?:Add|Corr|Rev)\.\s?\d+|[A-Z0-9][A-Za-z0-9]*(?:[.\-][A-Za-z0-9]+)*)"
UN_SYMBOL = re.compile(
    r"(?<![\w/])(?:A|E|S|CCPR|CERD|CEDAW|CAT|CRC|CMW|CED|CRPD|HRI|SPT)(?:/" + SYMBOL_SEGMENT + r"){2,}"
)
