"""Reading: a file in any supported format -> normalised text with numbered paragraphs -> what it is.

`readers` tells the format by content and decodes it (PDFs through the sandboxed child of
`pdf_text`); `normalise` removes page furniture (`furniture`), footnotes and hyphenation;
`paragraphs` finds the numbered paragraphs; `recognise` reads the symbol, kind, date, author,
State and language.
"""
