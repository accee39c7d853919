"""How UN bodies word a recommendation, in English, Spanish and French.

"The Committee recommends that …", "It also urges …", "calls upon", "reiterates its previous
recommendation", "el Relator Especial … insta al Gobierno", "le Comité engage l'État partie". The
treaty-body and Special Procedures extractors both count a sentence worded so as recommending;
a request for information or a report only is procedure, not a recommendation.

>>> explicitly_recommends("The Committee recommends that the State party adopt a mining code.")
True
>>> explicitly_recommends("The Committee requests the State party to provide information on the cases.")
False
"""

from __future__ import annotations

import re

from ingest.extract.layout import collapse

# Who recommends: the body, its members, or a pronoun standing for it.
RECOMMENDERS = (
    r"(?:the\s+|this\s+)?(?:Committee|Subcommittee|Special\s+Rapporteur|Rapporteur|Working\s+Group|Expert\s+Mechanism"
    r"|Independent\s+Expert|Special\s+Representative|mandate[\s-]holders?|experts?)|it|he|she|we|they"
    r"|(?:el|la)\s+(?:Comité|Subcomité|Relator(?:a)?\s+Especial|Grupo\s+de\s+Trabajo|Experta?\s+Independiente"
    r"|Experto\s+Independiente|Mecanismo\s+de\s+Expertos)"
    r"|(?:le|la)\s+(?:Comité|Sous-Comité|Rapporteu(?:r|se)\s+spéciale?|Groupe\s+de\s+travail"
    r"|Experte?\s+indépendante?)"
    r"|il|elle"
)
STRONG_VERBS = (
    r"recommends?|urges?|calls?\s+(?:up)?on|encourages?|exhorts?|appeals?\s+to"
    r"|reiterates?\s+(?:its|his|her|their|our)\s+(?:previous\s+|earlier\s+|former\s+|prior\s+)?recommendations?"
    r"|recomienda(?:n)?|insta(?:n)?|exhorta(?:n)?|alienta(?:n)?|hace(?:n)?\s+un\s+llamamiento"
    r"|reitera(?:n)?\s+sus?\s+(?:anteriores?\s+)?recomendaci(?:ón|ones)"
    r"|recommande(?:nt)?|exhorte(?:nt)?|engage(?:nt)?|encourage(?:nt)?|réitère(?:nt)?\s+sa\s+recommandation"
)
REQUEST_VERBS = r"requests?|invites?|pide(?:n)?|solicita(?:n)?|invita(?:n)?|prie(?:nt)?|demande(?:nt)?|invite(?:nt)?"
EXPLICIT = re.compile(
    rf"\b(?:{RECOMMENDERS})\b(?:\s*,[^,.;]{{0,200}},)?(?:\s+\w+){{0,3}}?\s+(?:{STRONG_VERBS}|{REQUEST_VERBS})\b"
    rf"|\b(?:{RECOMMENDERS})\b[^.;]{{0,250}}?\s(?:and|y|e|et)\s+(?:\w+\s+)?(?:{STRONG_VERBS})\b"
    r"|\bit\s+is\s+(?:also\s+|further\s+)?recommended\b|\bse\s+recomienda\b"
    r"|\bis\s+(?:urged|encouraged|invited|called\s+upon)\s+to\b",
    re.IGNORECASE,
)
REQUEST_ONLY = re.compile(rf"\b(?:{REQUEST_VERBS}|is\s+requested\s+to)\b", re.IGNORECASE)
STRONG_ONLY = re.compile(rf"\b(?:{STRONG_VERBS}|should|must|debería|debe|devrait|doit)\b", re.IGNORECASE)
INFORMATION_REQUEST = re.compile(
    r"\b(?:provide|submit|include|furnish|supply|report|proporcion\w*|present\w*|incluy\w*|fournir|soumettre)\b"
    r"[^.]{0,80}?\b(?:information|report|data|details|replies|información|informe|datos|renseignements|rapport)\b",
    re.IGNORECASE,
)


def explicitly_recommends(sentence: str) -> bool:
    """`The Committee recommends that …`, `It also urges …`, `el Relator Especial … insta al Gobierno`.

    A request that only asks for information or a report (`requests the State party to provide
    information …`) is procedure, not a recommendation.
    """
    sentence = collapse(sentence)
    if not EXPLICIT.search(sentence):
        return False
    if REQUEST_ONLY.search(sentence) and not STRONG_ONLY.search(sentence):
        return not INFORMATION_REQUEST.search(sentence)
    return True
