"""UPR Working Group reports -> recommendations, recommending States and the State's position.

Small synthetic texts pin the rules; the evaluation compares the extraction of the 28 real
reports in `../shared/data/upr/reports` with the third party's parse of them in
`../shared/data/upr/recommendations-by-year`.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from anyascii import anyascii

from ingest.extract.upr_report import RULE, classify, extract_upr_recommendations
from ingest.link.state_names import StateNames
from ingest.read.readers import read_document
from ingest.read.recognise import recognise
from ingest.records import DocumentError, DocumentInfo, DocumentText
from kg.reference_tables import read_table, split_values

MIN_PRECISION = MIN_RECALL = MIN_STATE_F1 = 0.98
MIN_POSITION_ACCURACY = 0.95
GOLD_ID = re.compile(r"\s*(\d{1,3}(?:\.+\d{1,3})*)\.?(?:\s+(\d{1,3}\.\d{1,3})\b)?")
MIN_SIMILARITY = 0.6  # gold and extracted texts of one recommendation; below it they are different ones

# The gold file's decisions as upr-position keys. "implemented"/"implement" are the third party's
# names for "already implemented or in the process of implementation"; "unknown" says nothing and is
# left out of the position accuracy.
GOLD_POSITIONS = {
    "support": "supported",
    "consider": "to-be-examined",
    "reject": "noted",
    "noted": "noted",
    "implemented": "already-implemented",
    "implement": "already-implemented",
}


def upr_info(state: str | None = "PER") -> DocumentInfo:
    return DocumentInfo(symbol=None, kind="upr-working-group-report", date=None, author="mechanism/UPR", state=state)


def extract(text: str, names: StateNames, state: str | None = "PER"):
    return extract_upr_recommendations(DocumentText(text=text, source_format="text"), upr_info(state), names=names)


MODERN = """\
II. Conclusions and/or recommendations .................. 116-118 15
115. In conclusion, Peru thanked the delegations.
II. Conclusions and/or recommendations**
** Conclusions and recommendations have not been edited.
116. The recommendations formulated during the interactive dialogue/listed below enjoy the support of Peru:
116.1. Consider ratifying the ILO Convention No. 189 concerning Decent Work for Domestic Workers (Philippines);
116.2. Continue with the de facto moratorium on the death penalty (Argentina)2;
 2 The recommendation as read during the interactive dialogue: "Keep the moratorium (Argentina)".
116.3. Continue to advance in the regional equal opportunities plans (Venezuela (Bolivarian Republic of), Cuba and Iran (Islamic Republic of));
117. The following recommendations enjoy the support of Peru which considers that they are already implemented.
117.1. Ratify the Rome Statute of the International Criminal Court (Slovakia, Spain);
118. The following recommendations will be examined by Peru, which will provide responses in due time, but no later than the twenty-second session of the Human Rights Council:
118.1. Involve indigenous peoples in decisions on the extractive sector (Mexico); Ensure free, prior and informed consent (Bolivia (Plurinational State of)).
119. The recommendations below did not enjoy the support of Peru:
119.1. Abolish the death penalty (Holy See);
120. All conclusions and/or recommendations contained in the present report reflect the position of the submitting State(s) and/or the State under review.
Annex
Composition of the delegation
"""

ILO_189 = "Consider ratifying the ILO Convention No. 189 concerning Decent Work for Domestic Workers"
EXPECTED_MODERN = [
    ("116.1", ["PHL"], "supported"),
    ("116.2", ["ARG"], "supported"),
    ("116.3", ["VEN", "CUB", "IRN"], "supported"),
    ("117.1", ["SVK", "ESP"], "already-implemented"),
    ("118.1", ["MEX"], "to-be-examined"),
    ("118.1", ["BOL"], "to-be-examined"),
    ("119.1", ["VAT"], "noted"),
]


def summary(records) -> list[tuple[str, list[str], str | None]]:
    return [(record.paragraph, record.recommending_states, record.position) for record in records]


def test_modern_layout_with_line_breaks(names):
    records = extract(MODERN, names)
    assert summary(records) == EXPECTED_MODERN
    assert records[0].text == ILO_189
    assert records[1].text == "Continue with the de facto moratorium on the death penalty"
    assert records[5].text == "Ensure free, prior and informed consent"
    assert all(record.rule == RULE and record.addressed_states == ["PER"] for record in records)
    assert all(record.addressees == ["state"] and record.score is None for record in records)


def test_offsets_point_at_the_text(names):
    for record in extract(MODERN, names):
        assert " ".join(MODERN[record.start : record.end].split()) == record.text


def test_line_breaks_lost(names):
    one_line = " ".join(MODERN.split())
    records = extract(one_line, names)
    assert summary(records) == EXPECTED_MODERN
    assert records[1].text == "Continue with the de facto moratorium on the death penalty"


def test_page_break_inside_an_item(names):
    text = MODERN.replace(
        "116.1. Consider ratifying the ILO Convention No. 189 concerning",
        "116.1. Consider ratifying the ILO Convention No. 189\n\nGE.12-18835\n\n14\nA/HRC/22/15\n\nconcerning",
    )
    records = extract(text, names)
    assert summary(records) == EXPECTED_MODERN
    assert records[0].text == ILO_189


def test_current_layout_with_running_heads_and_consecutive_lists(names):
    text = """\
II. Conclusions and/or recommendations
    121. The recommendations formulated during the interactive dialogue/listed below
    have been examined by Slovenia and enjoy the support of Slovenia:
          121.1    Ratify the International Convention for the Protection of All Persons
          from Enforced Disappearance (France) (Lithuania);
          121.2     Complete the process of ratification of the Convention (Ukraine);
          Increase efforts towards ratification of the Convention (Slovakia);

22
                                                                                         A/HRC/43/15


      121.3 Ratify and implement the 2014 Protocol to the Forced Labour Convention, 1930
      (No. 29) (United Kingdom of
      Great Britain and Northern Ireland).
123. All conclusions and/or recommendations contained in the present report reflect the position of the submitting State(s).
"""
    records = extract(text, names, state="SVN")
    assert summary(records) == [
        ("121.1", ["FRA", "LTU"], "supported"),
        ("121.2", ["UKR"], "supported"),
        ("121.2", ["SVK"], "supported"),
        ("121.3", ["GBR"], "supported"),
    ]
    assert records[3].text == "Ratify and implement the 2014 Protocol to the Forced Labour Convention, 1930 (No. 29)"


def test_footnote_carried_over_a_page_is_not_a_recommendation(names):
    text = """\
II. Conclusions and/or recommendations
116. The recommendations formulated during the interactive dialogue/listed below enjoy the support of Peru:
116.1. Consider abolishing the death penalty (Greece);
 6 The recommendation as read during the interactive dialogue: “Continue to develop actions to guarantee welfare for all
116.2. Continue to develop actions to guarantee access to welfare to all the population (Ecuador)6;
the population” (Ecuador);
116.3. Ratify OP-CAT (Denmark);
117. All conclusions and/or recommendations contained in the present report reflect the position of the submitting State(s).
"""
    records = extract(text, names)
    assert [(record.paragraph, record.text) for record in records] == [
        ("116.1", "Consider abolishing the death penalty"),
        ("116.2", "Continue to develop actions to guarantee access to welfare to all the population"),
        ("116.3", "Ratify OP-CAT"),
    ]


def test_items_printed_out_of_place_join_their_paragraph(names):
    text = """\
II. Conclusions and/or recommendations
114. The following enjoy the support of Bolivia which considers that they are already implemented or in the process of implementation.
114.1 Incorporate the Rome Statute into national law (Mexico);
114.4 Enhance its cooperation with OHCHR (Kuwait);
115. The recommendations below did not enjoy the support of Bolivia and would thus be noted:
114.2 Pursue its cooperation with human rights mechanisms (Benin);
114.3 Cooperate with treaty bodies (Israel);
115.1 Provide a legislative framework for the eradication of child labour (Germany);
116. All conclusions and/or recommendations contained in the present report reflect the position of the submitting State(s).
"""
    records = extract(text, names, state="BOL")
    assert summary(records) == [
        ("114.1", ["MEX"], "already-implemented"),
        ("114.2", ["BEN"], "already-implemented"),
        ("114.3", ["ISR"], "already-implemented"),
        ("114.4", ["KWT"], "already-implemented"),
        ("115.1", ["DEU"], "noted"),
    ]


OLD = """\
II. CONCLUSIONS AND/OR RECOMMENDATIONS
52.
In the course of the discussion, the following recommendations were made to Canada:
1.\t
Ratify the Optional Protocol to ICESCR (Mexico; Egypt);
2.\t
Consider signing and ratifying OP.CAT (Brazil, Chile); accede to OP.CAT (Liechtenstein; Czech Republic);
ratify OP.CAT (Denmark, Trinidad and Tobago and the United Kingdom of Great Britain and Northern Ireland);
3.\t
Sign and ratify CPRD; (Azerbaijan);
4.
Continue to support media initiatives (United Kingdom). COMMENTS: The Government recognizes the right (article 2).
53. All conclusions and/or recommendations contained in this report reflect the position of the submitting State(s).
"""


def test_older_layout_numbers_items_under_their_paragraph(names):
    records = extract(OLD, names, state="CAN")
    assert summary(records) == [
        ("52.1", ["MEX", "EGY"], "to-be-examined"),
        ("52.2", ["BRA", "CHL"], "to-be-examined"),
        ("52.2", ["LIE", "CZE"], "to-be-examined"),
        ("52.2", ["DNK", "TTO", "GBR"], "to-be-examined"),
        ("52.3", ["AZE"], "to-be-examined"),
        ("52.4", ["GBR"], "to-be-examined"),
    ]
    assert [record.text for record in records][2:5] == ["accede to OP.CAT", "ratify OP.CAT", "Sign and ratify CPRD"]


def test_older_layout_on_one_line(names):
    records = extract(" ".join(OLD.split()), names, state="CAN")
    assert [record.paragraph for record in records] == ["52.1", "52.2", "52.2", "52.2", "52.3", "52.4"]


def test_cross_reference_and_examined_and_supported_layout(names):
    text = """\
II. Conclusions and/or recommendations
84. The recommendations formulated during the interactive dialogue have been examined by Mongolia and enjoy the support of Mongolia:
84.1. Ratify OP-CAT (Denmark);
85.2. Adopt a law on domestic violence (Sweden);
84.3. Continue its efforts to protect herders affected by mining (Viet Nam);
85.
Mongolia considers that recommendations nos. 84.1 and 84.3 above have already been implemented or are in the process of implementation.
86. All conclusions and/or recommendations contained in the present report reflect the position of the submitting State(s).
"""
    records = extract(text, names, state=None)
    assert summary(records) == [
        ("84.1", ["DNK"], "already-implemented"),
        ("84.2", ["SWE"], "supported"),
        ("84.3", ["VNM"], "already-implemented"),
    ]
    assert records[1].score == 0.9  # printed "85.2." inside paragraph 84
    assert records[0].addressed_states == ["MNG"]  # read from the paragraph when the caller does not know


def test_item_without_states_is_kept_with_a_low_score(names):
    text = MODERN.replace("(Slovakia, Spain);", "(ICC);")
    record = next(record for record in extract(text, names) if record.paragraph == "117.1")
    assert record.recommending_states == [] and record.score == 0.5
    assert record.text.startswith("Ratify the Rome Statute")


@pytest.mark.parametrize(
    ("intro", "position"),
    [
        ("The recommendations formulated during the interactive dialogue enjoy the support of Peru:", "supported"),
        ("The recommendations listed below have been examined by Mexico and enjoy the support of Mexico", "supported"),
        ("The following recommendations enjoy the support of Ghana, which considers that they are already implemented.",
         "already-implemented"),
        ("Mongolia considers that recommendations nos. 84.5 and 84.52 above are in the process of implementation.",
         "already-implemented"),
        ("The following recommendations will be examined by Chile which will respond in due time", "to-be-examined"),
        ("In the course of the discussion, the following recommendations were made to Peru:", "to-be-examined"),
        ("The recommendations below did not enjoy the support of Sri Lanka:", "noted"),
        ("The recommendations below did not enjoy the support of Bolivia and would thus be noted:", "noted"),
        ("The following recommendations were rejected by the State under review:", "noted"),
        ("The following recommendations enjoy the partial support of the State:", "partially-supported"),
        ("Colombia has submitted its views on recommendations noted in the report in paragraphs 19(a)", None),
    ],
)
def test_position_of_a_grouping_paragraph(intro, position):
    assert classify(intro) == position


def test_no_section_is_a_document_error(names):
    with pytest.raises(DocumentError, match="Conclusions and/or recommendations"):
        extract("1. Introduction\n2. The Working Group held its session.", names)
    with pytest.raises(DocumentError, match="Conclusions and/or recommendations"):
        extract('The "Conclusions and/or recommendations" section was not retrieved.\n1. Introduction\n', names)
    with pytest.raises(DocumentError, match="no numbered recommendations"):
        extract("II. Conclusions and/or recommendations\nNone were made.\n", names)
    with pytest.raises(DocumentError, match="holds no recommendations"):
        extract("II. Conclusions and/or recommendations\n1. The session was held.\n2. It closed.\n", names)


# --- Evaluation on the real reports -----------------------------------------------------------


@dataclass
class GoldRecommendation:
    paragraph: str
    text: str
    states: list[str] = field(default_factory=list)
    decisions: Counter = field(default_factory=Counter)


COUNTS = ("extracted", "gold", "matched", "state_tp", "state_fp", "state_fn", "positions", "positions_right")


@dataclass
class Tally:
    """Counts for one report or for all: recommendations, (recommendation, State) pairs, positions."""

    extracted: int = 0
    gold: int = 0
    matched: int = 0
    state_tp: int = 0
    state_fp: int = 0
    state_fn: int = 0
    positions: int = 0
    positions_right: int = 0
    similarity: list[float] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.similarity += other.similarity

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def state_f1(self) -> float:
        return 2 * self.state_tp / (2 * self.state_tp + self.state_fp + self.state_fn) if self.state_tp else 0.0

    @property
    def position_accuracy(self) -> float:
        return self.positions_right / self.positions if self.positions else 1.0

    def line(self, label: str) -> str:
        mean = sum(self.similarity) / len(self.similarity) if self.similarity else 0.0
        return (
            f"{label:34} extracted {self.extracted:4} gold {self.gold:4} matched {self.matched:4}  "
            f"P {self.precision:.3f} R {self.recall:.3f} state-F1 {self.state_f1:.3f} "
            f"position {self.position_accuracy:.3f} text-sim mean {mean:.3f} min {min(self.similarity, default=0):.2f}"
        )


def slug(name: str) -> str:
    return re.sub(r"[^a-z]", "", anyascii(name).lower())


def state_of_file(stem: str, names: StateNames, reference_dir: Path) -> str | None:
    """`democraticrepublicofthecongo2010` -> `COD`: the file name is a State's name without spaces."""
    country = re.sub(r"\d+$", "", stem)
    for row in read_table(reference_dir / "states.csv"):
        for name in [row["short_name"], row["formal_name"], *split_values(row["other_names"])]:
            if slug(name) == country:
                return names.resolve(name)
    return None


def gold_paragraph(match: re.Match, report_text: str) -> str:
    """The report's own number for a gold id.

    Known faults: the third party numbers the parts of a merged item with ids of its own, `135.4..1`
    (2012–2014 files) or `52.1.1` (2008–2009 files); both stand for the report's item `135.4` /
    `52.1`, and a three-level id is kept only when the report itself prints it. When its text starts
    with the report's own number (`134.92.1 134.93 Ensure …`, two items on one line), that number wins.
    """
    number = (match.group(2) or match.group(1)).split("..")[0].rstrip(".")
    parts = number.split(".")
    if len(parts) > 2 and not re.search(rf"(?<![\d.]){re.escape(number)}\b", report_text):
        number = ".".join(parts[:2])
    return number


def gold_states(names_in_rows: list[str], names: StateNames) -> list[str]:
    """The States of one gold recommendation, one row each.

    Known fault: a State name holding a comma ("Venezuela, Bolivarian Republic of") is sometimes
    split into two rows ("Venezuela" / "Bolivarian Republic of"): a row that names no State is joined
    to the row before it when the two make one name. A row naming two ("Ecuador and Spain") counts both.
    """
    rows: list[list[str]] = []
    previous = ""
    for name in names_in_rows:
        codes = names.split_list(name)
        joined = names.resolve(f"{previous}, {name}") if rows and not codes else None
        if joined:
            rows[-1] = [joined]
        else:
            rows.append(codes)
        previous = name
    return list(dict.fromkeys(code for codes in rows for code in codes))


def test_gold_rows_of_a_split_name_are_merged(names):
    assert gold_states(["Congo", "Democratic Republic of the", "Chile"], names) == ["COD", "CHL"]
    assert gold_states(["Venezuela", "Bolivarian Republic of"], names) == ["VEN"]
    assert gold_states(["Ecuador and Spain", "Peru"], names) == ["ECU", "ESP", "PER"]


def comparable(text: str) -> str:
    """Text for the similarity check: no number, no final parenthesised States, no footnote junk.

    Known fault: gold texts keep footnote junk after the States (`(China)1; );`); it goes with them.
    """
    text = re.sub(r"^\s*\d{1,3}(?:\.+\d{1,3})*\.?(?:\s+\d{1,3}\.\d{1,3}\b\.?)?", "", text)
    text = re.sub(r"(?:\((?:[^()]|\([^()]*\))*\)[\s\d;.,)]*)+$", "", text.strip())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", anyascii(text).lower()).split())


@functools.cache
def gold_rows(path: Path) -> dict[str, list[dict[str, str]]]:
    """The rows of one year's gold file, by State under review (`to`, folded to letters)."""
    by_state: dict[str, list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_state[slug(row["to"])].append(row)
    return by_state


def load_gold(path: Path, country: str, report_text: str, names: StateNames) -> list[GoldRecommendation]:
    """The gold recommendations of one report: rows grouped by id and text, one State per row.

    Two recommendations of one item can have the same words and differ only in their States
    (`ratify ICRMW (Bolivia); … ratify ICRMW (Bosnia and Herzegovina)`): rows are grouped on their
    whole text, States included.
    """
    rows: dict[tuple[str, str], GoldRecommendation] = {}
    states: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in gold_rows(path).get(country, []):
        match = GOLD_ID.match(row["text"])
        if not match:
            continue
        key = (gold_paragraph(match, report_text), " ".join(row["text"].split()))
        recommendation = rows.setdefault(key, GoldRecommendation(key[0], comparable(row["text"])))
        recommendation.decisions[row["decision"].strip()] += 1
        states[key].append(row["From"].strip())
    for key, recommendation in rows.items():
        recommendation.states = gold_states(states[key], names)
    return list(rows.values())


def similarity(a: str, b: str) -> float:
    """Share of words in common, in order (0–1)."""
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def compare(records, gold: list[GoldRecommendation]) -> tuple[Tally, list[str]]:
    """Match by paragraph number, then pair the parts of one item by text similarity."""
    tally = Tally(extracted=len(records), gold=len(gold))
    problems: list[str] = []
    ours = defaultdict(list)
    for record in records:
        ours[record.paragraph].append(record)
    theirs = defaultdict(list)
    for recommendation in gold:
        theirs[recommendation.paragraph].append(recommendation)
    for paragraph in sorted(set(ours) | set(theirs)):
        candidates = sorted(
            (
                (similarity(comparable(record.text), recommendation.text), i, j)
                for i, record in enumerate(ours[paragraph])
                for j, recommendation in enumerate(theirs[paragraph])
            ),
            reverse=True,
        )
        used_ours, used_theirs = set(), set()
        for score, i, j in candidates:
            if i in used_ours or j in used_theirs or score < MIN_SIMILARITY:
                continue
            used_ours.add(i)
            used_theirs.add(j)
            record, recommendation = ours[paragraph][i], theirs[paragraph][j]
            tally.matched += 1
            tally.similarity.append(score)
            found, expected = set(record.recommending_states), set(recommendation.states)
            tally.state_tp += len(found & expected)
            tally.state_fp += len(found - expected)
            tally.state_fn += len(expected - found)
            if found != expected:
                problems.append(f"{paragraph}: States {sorted(found)} != gold {sorted(expected)}")
            decision = recommendation.decisions.most_common(1)[0][0]
            if decision in GOLD_POSITIONS:
                tally.positions += 1
                tally.positions_right += record.position == GOLD_POSITIONS[decision]
                if record.position != GOLD_POSITIONS[decision]:
                    problems.append(f"{paragraph}: position {record.position} != gold {decision}")
        for i, record in enumerate(ours[paragraph]):
            if i not in used_ours:
                tally.state_fp += len(record.recommending_states)
                problems.append(f"{paragraph}: extra {record.text[:70]!r}")
        for j, recommendation in enumerate(theirs[paragraph]):
            if j not in used_theirs:
                tally.state_fn += len(recommendation.states)
                problems.append(f"{paragraph}: missed {recommendation.text[:70]!r}")
    return tally, problems


def load_report(path: Path, way: str, names: StateNames, reference_dir: Path) -> tuple[DocumentText, DocumentInfo]:
    """The report as plain text with an info built from its file name, or through the project's reader.

    "one-line" is the plain text with every run of spaces and line breaks made one space, as some
    converters give it: the extraction must not depend on line breaks.
    """
    state = state_of_file(path.stem, names, reference_dir)
    if way in ("text", "one-line"):
        text = path.read_text(encoding="utf-8")
        text = " ".join(text.split()) if way == "one-line" else text
        return DocumentText(text=text, source_format="text"), upr_info(state)
    document = read_document(path)
    info = recognise(document, file_name=path.name)
    assert info.kind == "upr-working-group-report", f"{path.name} recognised as {info.kind}"
    assert info.state == state, f"{path.name}: recognised State {info.state}, file name says {state}"
    return document, info


@pytest.mark.slow
@pytest.mark.parametrize("way", ["text", "one-line", "reader"])
def test_evaluation_on_real_reports(shared_data, names, reference_dir, way):
    reports = sorted((shared_data / "upr/reports").glob("*.txt"))
    assert len(reports) == 28
    overall = Tally()
    print(f"\nUPR recommendations ({way}): per report, then overall")
    for path in reports:
        year = re.search(r"(\d{4})$", path.stem).group(1)
        country = re.sub(r"\d+$", "", path.stem)
        document, info = load_report(path, way, names, reference_dir)
        records = extract_upr_recommendations(document, info, names=names)
        assert records and all(record.addressed_states == [info.state] for record in records)
        assert all(document.text[record.start : record.end].strip() for record in records)
        gold = load_gold(shared_data / f"upr/recommendations-by-year/{year}data.csv", country, document.text, names)
        if not gold:
            print(f"{path.stem:34} extracted {len(records):4} (no gold rows for this report)")
            continue
        tally, problems = compare(records, gold)
        overall.add(tally)
        print(tally.line(path.stem))
        for problem in problems[:8]:
            print(f"    {problem}")
    print(overall.line("OVERALL"))
    assert overall.precision >= MIN_PRECISION
    assert overall.recall >= MIN_RECALL
    assert overall.state_f1 >= MIN_STATE_F1
    assert overall.position_accuracy >= MIN_POSITION_ACCURACY
