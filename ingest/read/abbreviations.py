"""The abbreviations UN documents write with a full stop that ends no sentence, and the words they cite by number.

One list for every step that reads full stops and numbers: the normaliser (a number after
`No.` or `para.` is the text's, not a glued footnote marker), the paragraph finder and the
extractors (`Convention No. 169.` is no paragraph 169, `paragraph 13.` no paragraph 13, and
`Mr. Sadi` no sentence break). Entries are lower case, without their full stop.

>>> "para" in ABBREVIATIONS_BEFORE_NUMBERS, "mr" in ABBREVIATIONS_BEFORE_NUMBERS, "mr" in ABBREVIATIONS
(True, False, True)
"""

from __future__ import annotations

# Those that stand before a number, which then belongs to the text: `ILO Convention No. 169`,
# `para. 12`, `art. 5`, `pp. 3-4`, `vol. II`, `chap. IV`, `A/HRC/15/37/Add. 8`, `res. 16/21`.
ABBREVIATIONS_BEFORE_NUMBERS = frozenset(
    """no nos núm para paras subpara subparas art arts p pp vol vols chap ch sect fig add corr rev op res dec
    doc cf""".split()
)
# All of them: the above, and titles, Latin and company abbreviations (`Mr. Sadi`, `e.g.`, `Ltd.`).
ABBREVIATIONS = ABBREVIATIONS_BEFORE_NUMBERS | frozenset(
    "mr ms mrs dr st sr sra srta etc e.g i.e inc corp co ltd cit ibid approx vs al".split()
)
# Words that announce a number which is theirs, not a paragraph's: `paragraph 13`, `article 5`,
# `resolution 16/21`, `target 6.3`, `Convention 169`, `párrafo 8`.
REFERENCE_WORDS = frozenset(
    """article articles artículo paragraph paragraphs párrafo rule rules resolution resolutions
    decision decisions session sessions meeting meetings chapter section part annex item items page pages
    table figure footnote note goal goals target targets principle principles recommendation convention
    conventions protocol law act code decree amendment number""".split()
)
