"""The entity linker: unit cases, robustness, and evaluations on real UN documents."""

from __future__ import annotations

import re
import time

import pytest
import spacy

from ingest.link.gazetteers import THEME_LABEL, build_patterns, read_theme_hierarchy
from ingest.link.linking import (
    MAX_TEXT_CHARS,
    RULES_VERSION,
    SDG_MENTIONS_RULE,
    SDG_THEMES_RULE,
    SPANS_KEY,
    THEME_INFERENCE_RULE,
    THEME_SDG_TARGETS,
    EntityLinker,
    prepare_text,
)
from ingest.records import DocumentError
from kg.reference_tables import read_table

RECOMMENDATION = re.compile(r"^\d+\.\d+\.?\s+(?P<text>.*)\((?P<states>[^()]+)\)[;.]?\s*$")


@pytest.fixture(scope="module")
def linker(reference_dir, ontology_dir):
    return EntityLinker.from_reference(reference_dir, ontology_dir / "vocabularies.ttl")


def keys(scored):
    return [item.key for item in scored]


# -- States --------------------------------------------------------------------------------------


def test_tricky_state_names(linker):
    links = linker.link(
        "Venezuela (Bolivarian Republic of) and the Plurinational State of Bolivia welcomed "
        "Peruvian authorities and the Democratic Republic of the Congo."
    )
    assert links.states == ["VEN", "BOL", "PER", "COD"]


def test_codes_only_as_uppercase_tokens_in_running_text(linker):
    assert linker.link("Poverty fell by 5 per cent in 2012; per capita income rose.").states == []
    assert linker.link("Mentioned by PER, BOL and CHL.").states == ["PER", "BOL", "CHL"]
    assert linker.link("IV. CONCLUSIONS AND RECOMMENDATIONS; PER CENT").states == []
    assert linker.link("See E/C.12/ARG/CO/3 and A/HRC/WG.6/28/PER/1.").states == []


def test_common_nouns_and_languages_are_not_states(linker):
    assert linker.link("a turkey from china, in chad").states == []
    assert linker.link("Original: Spanish. English, French and Spanish only.").states == []
    assert linker.link("Spanish companies operate in Peru.").states == ["ESP", "PER"]
    assert linker.link("the inter-American human rights system and Latin American States").states == []


def test_longest_name_wins(linker):
    links = linker.link("Papua New Guinea ratified the American Convention on Human Rights.")
    assert links.states == ["PNG"]
    assert links.instruments == ["ACHR"]


# -- instruments and mechanisms ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ratify ILO Convention No. 169 (Norway);",
        "ratify Convention No. 169 of the International Labour Organization",
        "the International Labour Organization (ILO) Convention 169 concerning Indigenous and Tribal Peoples",
        "the Indigenous and Tribal Peoples Convention, 1989 (No. 169)",
        "ILO Convention No.169",
    ],
)
def test_ilo_convention_169(linker, text):
    assert linker.link(text).instruments == ["ILO-C169"]


def test_instrument_abbreviations(linker):
    links = linker.link("Ratify the OP-CAT and the ICESCR, and implement CEDAW and the UNDRIP.")
    assert links.instruments == ["OPCAT", "ICESCR", "CEDAW", "UNDRIP"]


def test_the_committee_alone_is_not_linked(linker):
    assert linker.link("The Committee recommends that the State party consult the Committee.").mechanisms == []
    links = linker.link(
        "The Committee on Economic, Social and Cultural Rights, the CEDAW Committee and the Special "
        "Rapporteur on the rights of indigenous peoples; the Committee on Elimination of Racial Discrimination."
    )
    assert links.mechanisms == [
        "treaty-body/CESCR",
        "treaty-body/CEDAW",
        "special-procedure/SR-indigenous-peoples",
        "treaty-body/CERD",
    ]
    assert links.instruments == []


def test_names_survive_line_breaks(linker):
    text = "the Committee on the Elimination of\n\nRacial   Discrimination and ILO Convention No.\n169"
    links = linker.link(text)
    assert links.mechanisms == ["treaty-body/CERD"]
    assert links.instruments == ["ILO-C169"]
    for label, key, start, end in links.entities:
        assert text[start:end].split()[0] in {"Committee", "ILO", "Racial", "Discrimination"}


# -- companies and communities -------------------------------------------------------------------


def test_companies_and_projects(linker):
    links = linker.link("Petroperú, the Marlin mine, Southern Peru Copper Corporation and Freeport-McMoRan.")
    assert links.companies == ["petroperu", "montana-exploradora", "southern-copper", "freeport-mcmoran"]
    assert ("COMPANY", "montana-exploradora", 15, 26) in links.entities


def test_peoples_with_typographic_apostrophes(linker):
    links = linker.link("The Maya Q\u2019eqchi\u2019 community of Sepoc and the Shipibo Konibo.")
    assert links.communities == ["maya-qeqchi", "sepoc", "shipibo-konibo"]


def test_generic_names_need_the_state_of_their_community(linker):
    assert linker.link("Consult herders before granting licences.").communities == []
    assert linker.link("Consult herders in Mongolia.").communities == ["mongolian-herders"]
    assert linker.link("Consult herders.", context_states=["MNG"]).communities == ["mongolian-herders"]


# -- themes and SDGs -----------------------------------------------------------------------------


def test_themes_explicit_and_inferred(linker):
    links = linker.link("Regulate mining companies operating on indigenous lands (Spain);")
    scores = {item.key: item.score for item in links.themes}
    assert scores["mining"] == scores["indigenous-peoples"] == scores["land"] == 1.0
    assert scores["extractives"] == 0.8
    assert {item.rule for item in links.themes if item.score < 1} == {THEME_INFERENCE_RULE}
    assert THEME_INFERENCE_RULE in links.rules
    inferred = linker.link("Consult the Awajún people on Glencore's plans.")
    assert inferred.communities == ["awajun"] and inferred.companies == ["glencore"]
    assert {(item.key, item.score) for item in inferred.themes} >= {("extractives", 0.6), ("indigenous-peoples", 0.6)}


def test_ilo_is_no_labour_theme(linker):
    ilo = linker.link("Ratify ILO Convention No. 169 of the International Labour Organization")
    assert "labour" not in keys(ilo.themes)
    assert "labour" in keys(linker.link("End child labour in mines.").themes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in line with Goal 16 and target 6.3", ["16", "6.3"]),
        ("SDG target 16.7", ["16.7"]),
        ("Sustainable Development Goals 6 and 16", ["6", "16"]),
        ("targets 6.3, 6.6 and 12.4 of the 2030 Agenda", ["6.3", "6.6", "12.4"]),
        ("SDG 13 and SDG5", ["13", "5"]),
        ("indicator 16.10.1 on killings of defenders", ["16.10"]),
        ("Millennium Development Goal 5 and MDG 2", []),
        ("target 6.9 and Goal 18", []),
    ],
)
def test_explicit_sdg_mentions(linker, text, expected):
    links = linker.link(text)
    explicit = [item for item in links.sdg_targets if item.rule == SDG_MENTIONS_RULE]
    assert keys(explicit) == expected
    assert all(item.score == 1.0 for item in explicit)
    assert (SDG_MENTIONS_RULE in links.rules) == bool(expected)


def test_sdg_targets_from_themes(linker):
    links = linker.link("Prevent water pollution from tailings and protect environmental defenders.")
    scores = {item.key: item.score for item in links.sdg_targets}
    assert scores["6.3"] == 0.5 and scores["16.10"] == 0.6 and scores["12.4"] == 0.3
    assert all(0.0 < score < 1.0 for score in scores.values())
    assert {item.rule for item in links.sdg_targets} == {SDG_THEMES_RULE}
    assert SDG_THEMES_RULE in links.rules


def test_theme_sdg_table_is_consistent(reference_dir, ontology_dir):
    targets = {row["target"] for row in read_table(reference_dir / "sdg_targets.csv")}
    hierarchy = read_theme_hierarchy(ontology_dir / "vocabularies.ttl")
    patterns = build_patterns(reference_dir, ontology_dir / "vocabularies.ttl")
    themes = {p["id"] for p in patterns if p["label"] == THEME_LABEL} | set(hierarchy.values())
    assert set(THEME_SDG_TARGETS) <= themes
    for pairs in THEME_SDG_TARGETS.values():
        assert all(target in targets and 0.3 <= score <= 0.6 for target, score in pairs)


# -- pipeline ------------------------------------------------------------------------------------


def test_gazetteer_finds_what_a_span_ruler_finds(linker):
    text = (
        "Peru, PER and the Plurinational State of Bolivia ratified ILO Convention No. 169 and the OP-CAT; "
        "the CEDAW Committee, Minera Yanacocha and the Maya Q'eqchi' discussed mining and FPIC."
    )
    nlp, _ = linker.pipeline("en")
    ruler_nlp = spacy.blank("en")
    ruler_nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "validate": False}).add_patterns(
        build_patterns(linker.reference_dir, linker.vocabularies_path)
    )

    def found(pipeline):
        doc = pipeline(prepare_text(text).text)
        return {(span.start, span.end, span.label_, span.id_) for span in doc.spans[SPANS_KEY]}

    assert found(nlp) == found(ruler_nlp)
    # Peru, PER, the Plurinational State of Bolivia and Bolivia; ILO Convention No. 169 and Convention No. 169,
    # OP-CAT and CAT, CEDAW and the CEDAW Committee; Minera Yanacocha and Yanacocha; Maya, Maya Q'eqchi',
    # Q'eqchi and Q'eqchi'; mining and FPIC: every name found, nested ones too, before the longest wins.
    assert len(found(nlp)) == 18


def test_other_languages(linker):
    spanish = linker.link("Aplicar el Convenio núm. 169 y la consulta previa en la mina Marlin.", language="es")
    assert spanish.instruments == ["ILO-C169"]
    assert spanish.companies == ["montana-exploradora"]
    assert "fpic" in keys(spanish.themes)
    french = linker.link("Ratifier la Convention (no 169) et consulter les Sámi.", language="fr")
    assert french.instruments == ["ILO-C169"]
    assert french.communities == ["sami"]


def test_bad_input_is_refused_with_a_reason(linker):
    with pytest.raises(DocumentError, match="not supported"):
        linker.link("Peru", language="de")
    with pytest.raises(DocumentError, match="paragraph by paragraph"):
        linker.link("a" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(DocumentError, match="takes text"):
        linker.link(b"Peru")


@pytest.mark.parametrize(
    "text",
    [
        ".,;:!?()" * 37_500,
        "'" * 300_000,
        "_" * 300_000,
        "' " * 150_000,
        ("a'" * 4 + "." * 8) * 18_750,
        "Peru" + "x" * 300_000 + " Peru",
    ],
)
def test_pathological_text_is_fast(linker, text):
    started = time.perf_counter()
    links = linker.link(text)
    assert time.perf_counter() - started < 5
    assert links.states in ([], ["PER"])


def test_prepared_text_keeps_offsets():
    text = "Peru\n\n  and\t" + "-" * 20 + "Chile" + "z" * 2500
    prepared = prepare_text(text)
    assert prepared.text.startswith("Peru and Chile")
    assert "  " not in prepared.text
    start = prepared.text.index("Chile")
    assert prepared.original_span(start, start + 5) == (text.index("Chile"), text.index("Chile") + 5)
    assert max(len(run) for run in prepared.text.split()) <= 1000
    assert len(RULES_VERSION) == len(set(RULES_VERSION)) == 4


# -- real documents ------------------------------------------------------------------------------


def test_peru_business_working_group_excerpt(linker, shared_data):
    path = shared_data / "un-docs/excerpts/A_HRC_38_48_Add.2_WG_BHR_Peru_2018_and_end-of-visit_statement_2017.txt"
    links = linker.link(path.read_text(encoding="utf-8"))
    assert {"minera-yanacocha", "mmg-las-bambas", "petroperu", "perupetro"} <= set(links.companies)
    assert links.states[0] == "PER"
    assert "special-procedure/WG-business" in links.mechanisms
    assert "UNGP" in links.instruments


def test_guatemala_marlin_excerpt_in_spanish(linker, shared_data):
    path = shared_data / "un-docs/excerpts/A_HRC_15_37_Add.8_SR_IP_Guatemala_Marlin_mine_2010_ES.txt"
    links = linker.link(path.read_text(encoding="utf-8"), language="es")
    assert links.companies == ["montana-exploradora"]
    assert {"sipacapa", "san-miguel-ixtahuacan"} <= set(links.communities)
    assert "special-procedure/SR-indigenous-peoples" in links.mechanisms
    assert "GTM" in links.states


def test_guatemala_marlin_and_goldcorp_in_english(linker, shared_data):
    path = shared_data / "un-docs/excerpts/Guatemala_treaty_bodies_and_SR_statements_excerpts.txt"
    links = linker.link(path.read_text(encoding="utf-8"))
    assert {"montana-exploradora", "goldcorp"} <= set(links.companies)
    assert {"maya", "xinka", "garifuna"} <= set(links.communities)


def test_mongolia_herders_in_context(linker, shared_data):
    path = shared_data / "un-docs/excerpts/CESCR_Mongolia_2014-2019_LOI_QPR_SR_mining.txt"
    paragraphs = [p for p in path.read_text(encoding="utf-8").splitlines() if re.search(r"\bherders\b", p)]
    assert paragraphs
    assert all(linker.link(p, context_states=["MNG"]).communities == ["mongolian-herders"] for p in paragraphs)


def upr_paragraphs(shared_data):
    paragraphs = []
    for path in sorted((shared_data / "upr/reports").glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        paragraphs += [line for line in lines if len(line) >= 20]
    return paragraphs


def test_upr_reports(linker, shared_data):
    paragraphs = upr_paragraphs(shared_data)
    started = time.perf_counter()
    links = [linker.link(paragraph) for paragraph in paragraphs]
    elapsed = time.perf_counter() - started
    print(f"\nUPR reports: {len(paragraphs)} paragraphs in {elapsed:.1f} s = {len(paragraphs) / elapsed:.0f} docs/s")

    recommendations = [
        (match, found) for paragraph, found in zip(paragraphs, links) if (match := RECOMMENDATION.match(paragraph))
    ]
    named = [bool(linker.link(match["states"]).states) for match, _ in recommendations]
    print(f"recommending States linked in {sum(named)} of {len(named)} recommendations")
    assert len(recommendations) == 2541  # lines of the 28 reports that read as a recommendation with its States
    assert sum(named) / len(named) > 0.98

    cites_c169 = re.compile(r"(ILO|Labour Organi[sz]ation).{0,40}169")
    c169 = [found for text, found in zip(paragraphs, links) if cites_c169.search(text)]
    linked = sum("ILO-C169" in found.instruments for found in c169)
    print(f"ILO Convention No. 169 linked in {linked} of {len(c169)} paragraphs")
    assert c169 and linked == len(c169)

    extractive = [found for text, found in zip(paragraphs, links) if re.search(r"\b(extractive|mining)\b", text)]
    tagged = sum("extractives" in keys(found.themes) for found in extractive)
    print(f"theme 'extractives' in {tagged} of {len(extractive)} paragraphs saying 'extractive' or 'mining'")
    assert tagged / len(extractive) > 0.9


def thematic_list(path):
    """Recommendations of an OHCHR thematic list with the SDG goals listed under each."""
    recommendations, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if match := re.match(r"^\d+\.\d+\s+(.*)$", line):
            current = {"text": match.group(1), "goals": set()}
            recommendations.append(current)
        elif (goal := re.match(r"^-\s*(\d{1,2})\s*-\s*[A-Z]", line)) and current is not None:
            current["goals"].add(goal.group(1))
    return recommendations


def test_sdg_goals_against_ohchr_thematic_lists(linker, shared_data):
    recommendations = [
        item for path in sorted((shared_data / "upr/slovenia").glob("*hematic*")) for item in thematic_list(path)
    ]
    with_goals = [item for item in recommendations if item["goals"]]
    true_positives = false_positives = false_negatives = 0
    for item in with_goals:
        predicted = {scored.key.split(".")[0] for scored in linker.link(item["text"]).sdg_targets}
        true_positives += len(predicted & item["goals"])
        false_positives += len(predicted - item["goals"])
        false_negatives += len(item["goals"] - predicted)
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / (true_positives + false_negatives)
    print(f"\nSDG goals vs OHCHR thematic lists ({len(with_goals)} recommendations): "
          f"precision {precision:.2f}, recall {recall:.2f}")
    assert len(with_goals) == 456  # the recommendations of the two lists that list SDG goals
    assert precision > 0.4
