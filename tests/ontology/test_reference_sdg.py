"""Check the SDG reference tables (goals, targets, global indicators) against outside sources.

The project writes `ontology/reference/sdg_goals.csv`, `sdg_targets.csv` and `sdg_indicators.csv`
as facts. These tests compare them with:

- the UN SDG Knowledge Organization System (`reference/sdg/sdg.ttl`, SKOS Turtle): goal and target
  IRIs `http://metadata.un.org/sdg/1`, `…/sdg/1.1`, English `skos:prefLabel`, and the indicator IRIs
  it links to targets (`…/sdg/C010101` for 1.1.1, `…/sdg/C010a01` for 1.a.1);
- Open SDG's English translations (`reference/sdg/open-sdg-translations_en/global_*.yml`), keys
  such as `1-title`, `1-short`, `1-1-title`, `1-1-1-title`.

A structure test needs no outside data.

Both sources predate the 2025 comprehensive review of the indicator framework; the indicator table
holds the framework as refined up to then (A/RES/71/313, the 2020 comprehensive review and the
annual refinements). Where a source is outdated or has a slip, the exception is a named set below.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from kg.reference_tables import read_table

SDG = "http://metadata.un.org/sdg/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_PREF_LABEL = SKOS + "prefLabel"
SKOS_ALT_LABEL = SKOS + "altLabel"
SKOS_BROADER = SKOS + "broader"

GOAL_IRI = re.compile(r"^http://metadata\.un\.org/sdg/([0-9]+)$")
TARGET_IRI = re.compile(r"^http://metadata\.un\.org/sdg/([0-9]+)\.([0-9a-z]+)$")
# Indicator IRIs of the UN KOS: "C", goal in 2 digits, target in 2 characters zero-padded
# ("01", "10", "0a"), indicator in 2 digits.
INDICATOR_IRI = re.compile(r"^http://metadata\.un\.org/sdg/C([0-9]{2})([0-9a-z]{2})([0-9]{2})$")

GOAL_NOTATION = re.compile(r"^[1-9][0-9]?$")
TARGET_NOTATION = re.compile(r"^([1-9][0-9]?)\.([1-9][0-9]?|[a-z])$")
INDICATOR_NOTATION = re.compile(r"^([1-9][0-9]?\.(?:[1-9][0-9]?|[a-z]))\.([1-9][0-9]?)$")

# Targets per goal in A/RES/70/1 (numbered targets first, then lettered means of implementation).
TARGETS_PER_GOAL = {
    1: 7, 2: 8, 3: 13, 4: 10, 5: 9, 6: 8, 7: 5, 8: 12, 9: 8,
    10: 10, 11: 10, 12: 11, 13: 5, 14: 10, 15: 12, 16: 12, 17: 19,
}

# Indicators that the global indicator framework repeats under several targets: one indicator,
# one title, several notations.
REPEATED_INDICATORS = (
    frozenset({"1.5.1", "11.5.1", "13.1.1"}),
    frozenset({"1.5.2", "11.5.2"}),
    frozenset({"1.5.3", "11.b.1", "13.1.2"}),
    frozenset({"1.5.4", "11.b.2", "13.1.3"}),
    frozenset({"4.7.1", "12.8.1", "13.3.1"}),
    frozenset({"7.b.1", "12.a.1"}),
    frozenset({"8.4.1", "12.2.1"}),
    frozenset({"8.4.2", "12.2.2"}),
    frozenset({"10.3.1", "16.b.1"}),
    frozenset({"10.6.1", "16.8.1"}),
    frozenset({"15.7.1", "15.c.1"}),
    frozenset({"15.a.1", "15.b.1"}),
)

# The UN KOS gives a repeated indicator one IRI outside the notation pattern ("C20…"), linked from
# every target it serves. Each maps to the notations of the current framework it stands for.
KOS_REPEATED_INDICATOR_IRIS = {
    "C200202": {"8.4.1", "12.2.1"},
    "C200203": {"8.4.2", "12.2.2"},
    "C200204": {"10.3.1", "16.b.1"},
    "C200205": {"10.6.1", "16.8.1"},
    "C200206": {"15.7.1", "15.c.1"},
    "C200207": {"15.a.1", "15.b.1"},
    "C200303": {"1.5.1", "11.5.1", "13.1.1"},
    "C200304": {"1.5.3", "11.b.1", "13.1.2"},
    "C200305": {"1.5.4", "11.b.2", "13.1.3"},
}

# Indicator IRIs of the KOS (a snapshot of the 2017–2019 framework) whose notation the current
# framework no longer has: all deleted or renumbered by the 2020 comprehensive review
# (E/CN.3/2020/2, annex II).
KOS_OBSOLETE_INDICATOR_IRIS = {
    "C010a03",  # 1.a.3 grants and non-debt-creating inflows to poverty reduction: deleted
    "C020b02",  # 2.b.2 agricultural export subsidies: renumbered 2.b.1 (old 2.b.1 PSE deleted)
    "C080902",  # 8.9.2 jobs in sustainable tourism industries: deleted
    "C110c01",  # 11.c.1 financial support to LDCs for sustainable buildings: deleted
    "C130302",  # 13.3.2 capacity-building for adaptation and mitigation: deleted
    "C170602",  # 17.6.2 fixed Internet broadband: renumbered 17.6.1 (old 17.6.1 deleted)
}

# Open SDG's translation file keeps the keys of indicators the 2020 comprehensive review deleted or
# renumbered, so that national platforms still using them keep their titles. Not in the framework.
OPEN_SDG_LEGACY_INDICATORS = {"1.a.3", "8.9.2", "11.c.1", "13.3.2", "17.6.2"}
# Indicators of the current framework that this Open SDG snapshot has no title for.
OPEN_SDG_MISSING_INDICATORS = {
    "11.5.3",  # added by the 2020 comprehensive review: damage to critical infrastructure and
               # disruptions to basic services, split off from 11.5.2
}

# Open SDG titles that predate refinements of the framework adopted by the Statistical Commission
# after the 2020 comprehensive review; the tables hold the refined wording.
OPEN_SDG_OUTDATED_INDICATOR_TITLES = {
    "2.5.1",  # refined to "Number of (a) plant and (b) animal genetic resources …"
    "7.b.1",  # refined to "… in developing and developed countries (in watts per capita)"
    "12.a.1",  # repeats 7.b.1
    "12.7.1",  # replaced by "Degree of sustainable public procurement policies and action plan
               # implementation"
    "15.4.2",  # refined to "(a) Mountain Green Cover Index and (b) proportion of degraded
               # mountain land"
}
# Typographic slips of Open SDG's indicator titles: (wrong, right) replacements.
OPEN_SDG_TITLE_DEFECTS = {
    "4.2.1": ("24-59", "24–59"),  # a hyphen where the framework (and Open SDG elsewhere) has an
                                  # en dash in age ranges
    "14.b.1": ("regulatory/ policy", "regulatory/policy"),  # space left by a PDF line break
}

# Defects of the KOS's English labels, not of the official text: (wrong, right) replacements
# that turn the KOS label into the official text before comparing.
KOS_LABEL_DEFECTS = {
    "12.3": ("By 2030,halve", "By 2030, halve"),  # space lost after the comma
    "14.6": ("negotiation3", "negotiation"),  # footnote 3 of A/RES/70/1 glued to the last word
}

# The two sources render the same characters of the UN text with different glyphs (the KOS with
# U+2011 non-breaking hyphens, Open SDG with U+2010 hyphens and U+2019 apostrophes, both with
# curly double quotes). The project writes them as ASCII hyphen-minus, apostrophe and double
# quote; comparisons fold these glyphs, and nothing else (en dashes in ranges such as 15–49 stay).
TYPOGRAPHIC_VARIANTS = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
})

MAX_LISTED = 20


# --------------------------------------------------------------------------------------------
# helpers


def _norm(text: str) -> str:
    """Collapse runs of whitespace (line breaks included) to one space."""
    return " ".join(text.split())


def _fold(text: str) -> str:
    """Normalise whitespace and the typographic variants of hyphen, apostrophe and quotes."""
    return _norm(text).translate(TYPOGRAPHIC_VARIANTS)


def _listed(items) -> str:
    items = list(items)
    shown = items[:MAX_LISTED]
    more = f" … and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else ""
    return "\n  " + "\n  ".join(str(item) for item in shown) + more


def _target_sort_key(notation: str) -> tuple[int, int, str]:
    goal, _, target = notation.partition(".")
    return (int(goal), 0 if target.isdigit() else 1, target.zfill(2))


def _indicator_iri(notation: str) -> str:
    """`1.1.1` -> `…/sdg/C010101`; `1.a.1` -> `…/sdg/C010a01`; `8.10.1` -> `…/sdg/C081001`."""
    goal, target, indicator = notation.split(".")
    return f"{SDG}C{int(goal):02d}{target.zfill(2)}{int(indicator):02d}"


def _notation_of_indicator_iri(iri: str) -> str | None:
    match = INDICATOR_IRI.match(iri)
    if not match:
        return None
    goal, target, indicator = match.groups()
    return f"{int(goal)}.{target.lstrip('0') or '0'}.{int(indicator)}"


def read_open_sdg_yaml(path: Path) -> dict[str, str]:
    """Read a flat Open SDG translation file: `key: value` lines, values folded over indented
    continuation lines, optionally single- or double-quoted. Enough for these files; no PyYAML."""
    raw: dict[str, list[str]] = {}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            assert key is not None, f"{path.name}: continuation line before any key: {line!r}"
            raw[key].append(line.strip())
            continue
        key, sep, value = line.partition(":")
        assert sep, f"{path.name}: not a `key: value` line: {line!r}"
        key = key.strip()
        assert key not in raw, f"{path.name}: duplicate key {key}"
        raw[key] = [value.strip()]
    values = {}
    for key, parts in raw.items():
        value = " ".join(part for part in parts if part)
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1].replace("''", "'")
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        values[key] = value
    return values


def _open_sdg_titles(path: Path, suffix: str) -> dict[str, str]:
    """`{notation: folded text}` for the keys ending in `-<suffix>` (`1-1-title` -> `1.1`)."""
    return {
        key[: -len(suffix) - 1].replace("-", "."): _fold(value)
        for key, value in read_open_sdg_yaml(path).items()
        if key.endswith("-" + suffix)
    }


# --------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def goals(reference_dir: Path) -> list[dict[str, str]]:
    return read_table(reference_dir / "sdg_goals.csv")


@pytest.fixture(scope="module")
def targets(reference_dir: Path) -> list[dict[str, str]]:
    return read_table(reference_dir / "sdg_targets.csv")


@pytest.fixture(scope="module")
def indicators(reference_dir: Path) -> list[dict[str, str]]:
    return read_table(reference_dir / "sdg_indicators.csv")


@pytest.fixture(scope="module")
def sdg_dir(shared_data: Path) -> Path:
    path = shared_data / "reference" / "sdg"
    if not (path / "sdg.ttl").is_file():
        pytest.skip(f"UN SDG KOS not found at {path / 'sdg.ttl'}")
    return path


@pytest.fixture(scope="module")
def kos(sdg_dir: Path):
    rdflib = pytest.importorskip("rdflib")
    graph = rdflib.Graph()
    graph.parse(sdg_dir / "sdg.ttl", format="turtle")
    return graph


@pytest.fixture(scope="module")
def kos_labels(kos) -> dict[str, dict[str, str]]:
    """`{iri: {"pref": English prefLabel, "alt": English altLabel}}` for goals and targets."""
    from rdflib import Literal, URIRef

    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for prop, name in ((SKOS_PREF_LABEL, "pref"), (SKOS_ALT_LABEL, "alt")):
        for subject, label in kos.subject_objects(URIRef(prop)):
            iri = str(subject)
            if not (GOAL_IRI.match(iri) or TARGET_IRI.match(iri)):
                continue
            if isinstance(label, Literal) and label.language == "en":
                assert name not in labels[iri], f"{iri} has several English {name} labels"
                labels[iri][name] = _norm(str(label))
    return dict(labels)


@pytest.fixture(scope="module")
def kos_indicator_links(kos) -> set[tuple[str, str]]:
    """`(target IRI, indicator IRI)` for every link from a target to an indicator-like IRI."""
    links = set()
    for subject, _, obj in kos:
        subject, obj = str(subject), str(obj)
        if TARGET_IRI.match(subject) and obj.startswith(SDG + "C"):
            links.add((subject, obj))
    return links


# --------------------------------------------------------------------------------------------
# structure (no outside data)


def test_sdg_tables_structure(goals, targets, indicators):
    problems = []

    goal_numbers = [row["goal"] for row in goals]
    problems += [f"goal {g!r}: bad notation" for g in goal_numbers if not GOAL_NOTATION.match(g)]
    if sorted(goal_numbers, key=lambda g: int(g) if g.isdigit() else 0) != [
        str(n) for n in range(1, 18)
    ]:
        problems.append(f"goals are not exactly 1..17 once each: {goal_numbers}")
    problems += [f"goal {row['goal']}: empty title/short_title"
                 for row in goals if not row["title"] or not row["short_title"]]

    target_notations = [row["target"] for row in targets]
    problems += [f"target {t!r}: bad notation"
                 for t in target_notations if not TARGET_NOTATION.match(t)]
    problems += [f"target {t}: duplicate"
                 for t in sorted({t for t in target_notations if target_notations.count(t) > 1})]
    if len(targets) != 169:
        problems.append(f"{len(targets)} target rows, expected 169")
    by_goal: dict[int, list[str]] = defaultdict(list)
    for notation in target_notations:
        match = TARGET_NOTATION.match(notation)
        if match:
            by_goal[int(match.group(1))].append(match.group(2))
    problems += [f"target {t}: goal does not exist"
                 for t in target_notations
                 if TARGET_NOTATION.match(t) and t.split(".")[0] not in goal_numbers]
    for goal, count in TARGETS_PER_GOAL.items():
        parts = by_goal.get(goal, [])
        numbered = sorted(int(p) for p in parts if p.isdigit())
        lettered = sorted(p for p in parts if not p.isdigit())
        expected_letters = [chr(ord("a") + i) for i in range(len(lettered))]
        if len(parts) != count:
            problems.append(f"goal {goal}: {len(parts)} targets, expected {count}")
        if numbered != list(range(1, len(numbered) + 1)) or lettered != expected_letters:
            problems.append(f"goal {goal}: targets not numbered 1..n then a..: {parts}")
    problems += [f"target {row['target']}: empty title" for row in targets if not row["title"]]

    indicator_notations = [row["indicator"] for row in indicators]
    problems += [f"indicator {i!r}: bad notation"
                 for i in indicator_notations if not INDICATOR_NOTATION.match(i)]
    problems += [f"indicator {i}: duplicate" for i in
                 sorted({i for i in indicator_notations if indicator_notations.count(i) > 1})]
    problems += [f"indicator {i}: target does not exist" for i in indicator_notations
                 if INDICATOR_NOTATION.match(i)
                 and INDICATOR_NOTATION.match(i).group(1) not in target_notations]
    per_target: dict[str, list[int]] = defaultdict(list)
    for notation in indicator_notations:
        match = INDICATOR_NOTATION.match(notation)
        if match:
            per_target[match.group(1)].append(int(match.group(2)))
    problems += [f"target {t}: indicators not numbered 1..n: {sorted(ns)}"
                 for t, ns in per_target.items() if sorted(ns) != list(range(1, len(ns) + 1))]
    problems += [f"goal {g}: no indicator" for g in goal_numbers
                 if not any(t.split(".")[0] == g for t in per_target)]
    problems += [f"indicator {row['indicator']}: empty title"
                 for row in indicators if not row["title"]]

    for table, key in ((goals, "goal"), (targets, "target"), (indicators, "indicator")):
        for row in table:
            for column, value in row.items():
                if value != _norm(value):
                    problems.append(f"{key} {row[key]}: {column} has stray whitespace")
                if value != value.translate(TYPOGRAPHIC_VARIANTS):
                    problems.append(f"{key} {row[key]}: {column} has a typographic hyphen, "
                                    "apostrophe or quote (the tables use ASCII ones)")

    assert not problems, f"{len(problems)} structure problems:" + _listed(problems)


def test_repeated_indicators_share_one_title(indicators):
    title_of = {row["indicator"]: row["title"] for row in indicators}
    problems = []
    for group in REPEATED_INDICATORS:
        missing = sorted(group - title_of.keys(), key=str)
        if missing:
            problems.append(f"repeated indicator {sorted(group)}: missing {missing}")
            continue
        titles = {title_of[n] for n in group}
        if len(titles) != 1:
            problems.append(f"repeated indicator {sorted(group)}: {len(titles)} different titles")
    grouped = {n for group in REPEATED_INDICATORS for n in group}
    notations_of_title: dict[str, set[str]] = defaultdict(set)
    for notation, title in title_of.items():
        notations_of_title[title].add(notation)
    for title, notations in notations_of_title.items():
        if len(notations) > 1 and not any(notations <= group for group in REPEATED_INDICATORS):
            problems.append(f"same title under {sorted(notations)} but not a known repeated "
                            f"indicator: {title[:80]}")
    problems += [f"{n}: not repeated, but listed in REPEATED_INDICATORS"
                 for n in sorted(grouped & title_of.keys())
                 if len(notations_of_title[title_of[n]]) == 1]
    assert not problems, f"{len(problems)} problems with repeated indicators:" + _listed(problems)


# --------------------------------------------------------------------------------------------
# against the UN SDG KOS (sdg.ttl)


def test_goal_and_target_iris_match_kos(goals, targets, kos_labels, kos):
    ours = {SDG + row["goal"] for row in goals} | {SDG + row["target"] for row in targets}
    theirs = set(kos_labels)
    kos_goals = {iri for iri in theirs if GOAL_IRI.match(iri)}
    kos_targets = {iri for iri in theirs if TARGET_IRI.match(iri)}
    assert len(kos_goals) == 17 and len(kos_targets) == 169, (
        f"KOS has {len(kos_goals)} goals and {len(kos_targets)} targets with labels")
    assert not ours - theirs, "our goal/target IRIs absent from the KOS:" + _listed(
        sorted(ours - theirs))
    assert not theirs - ours, "KOS goal/target IRIs we lack:" + _listed(sorted(theirs - ours))

    from rdflib import URIRef

    wrong_broader = []
    for row in targets:
        broader = {str(o) for o in kos.objects(URIRef(SDG + row["target"]), URIRef(SKOS_BROADER))}
        expected = SDG + row["target"].split(".")[0]
        if broader != {expected}:
            wrong_broader.append(f"{row['target']}: KOS broader {sorted(broader)}")
    assert not wrong_broader, "targets whose KOS goal differs from the notation:" + _listed(
        wrong_broader)


def test_goal_titles_match_kos(goals, kos_labels):
    mismatches = []
    for row in goals:
        labels = kos_labels.get(SDG + row["goal"], {})
        if row["title"] != _fold(labels.get("pref", "")):
            mismatches.append(f"{row['goal']}: ours {row['title']!r} / KOS {labels.get('pref')!r}")
        if row["short_title"] != _fold(labels.get("alt", "")):
            mismatches.append(
                f"{row['goal']} short: ours {row['short_title']!r} / KOS {labels.get('alt')!r}")
    assert not mismatches, f"{len(mismatches)} goal titles differ from the KOS:" + _listed(
        mismatches)


def test_target_titles_match_kos(targets, kos_labels):
    mismatches = []
    for row in sorted(targets, key=lambda r: _target_sort_key(r["target"])):
        label = kos_labels.get(SDG + row["target"], {}).get("pref", "")
        if row["target"] in KOS_LABEL_DEFECTS:
            wrong, right = KOS_LABEL_DEFECTS[row["target"]]
            if wrong not in label:
                mismatches.append(f"{row['target']}: known KOS defect {wrong!r} no longer there")
            label = label.replace(wrong, right)
        if row["title"] != _fold(label):
            mismatches.append(f"{row['target']}:\n    ours {row['title']!r}\n    KOS  {label!r}")
    assert not mismatches, f"{len(mismatches)} target titles differ from the KOS:" + _listed(
        mismatches)


def test_kos_indicator_iris_are_covered_by_our_notations(indicators, targets, kos_indicator_links):
    ours = {row["indicator"] for row in indicators}
    our_iris = {_indicator_iri(n) for n in ours}
    problems = []

    unknown = sorted({ind for _, ind in kos_indicator_links
                      if not INDICATOR_IRI.match(ind)
                      and ind.removeprefix(SDG) not in KOS_REPEATED_INDICATOR_IRIS})
    problems += [f"{iri}: KOS indicator IRI of unknown form" for iri in unknown]

    # Indicator IRIs following the notation pattern (the "C20…" codes of repeated indicators fit
    # the regular expression too, with a goal 20 that does not exist: they are checked below).
    patterned = {ind for _, ind in kos_indicator_links
                 if INDICATOR_IRI.match(ind)
                 and ind.removeprefix(SDG) not in KOS_REPEATED_INDICATOR_IRIS}
    obsolete = {iri.removeprefix(SDG) for iri in patterned - our_iris}
    problems += [f"{iri} ({_notation_of_indicator_iri(SDG + iri)}): in the KOS, not in ours, "
                 "and not a known obsolete notation"
                 for iri in sorted(obsolete - KOS_OBSOLETE_INDICATOR_IRIS)]
    problems += [f"{iri}: listed as obsolete but absent from the KOS or present in ours"
                 for iri in sorted(KOS_OBSOLETE_INDICATOR_IRIS - obsolete)]
    for target_iri, ind in sorted(kos_indicator_links):
        if ind not in patterned:
            continue
        notation = _notation_of_indicator_iri(ind)
        if notation and notation.rsplit(".", 1)[0] != target_iri.removeprefix(SDG):
            problems.append(f"{ind} ({notation}) linked from target {target_iri}")

    # Repeated indicators: one KOS IRI linked from each target that repeats it.
    target_set = {row["target"] for row in targets}
    kos_targets_of: dict[str, set[str]] = defaultdict(set)
    for target_iri, ind in kos_indicator_links:
        kos_targets_of[ind.removeprefix(SDG)].add(target_iri.removeprefix(SDG))
    for code, notations in sorted(KOS_REPEATED_INDICATOR_IRIS.items()):
        problems += [f"{code}: stands for {n}, which we lack" for n in sorted(notations - ours)]
        expected_targets = {n.rsplit(".", 1)[0] for n in notations}
        problems += [f"{code}: stands for an indicator of target {t}, which we lack"
                     for t in sorted(expected_targets - target_set)]
        if kos_targets_of.get(code) != expected_targets:
            problems.append(f"{code}: KOS links it from {sorted(kos_targets_of.get(code, []))}, "
                            f"expected {sorted(expected_targets)}")

    assert not problems, f"{len(problems)} KOS indicator IRI problems:" + _listed(problems)


def test_repeated_indicators_carry_the_kos_code(indicators):
    ours: dict[str, set[str]] = defaultdict(set)
    for row in indicators:
        if row["kos_code"]:
            ours[row["kos_code"]].add(row["indicator"])
    assert dict(ours) == KOS_REPEATED_INDICATOR_IRIS


# --------------------------------------------------------------------------------------------
# against Open SDG's English translations


def test_open_sdg_reader_handles_folding_and_quotes(tmp_path):
    sample = tmp_path / "sample.yml"
    sample.write_text(
        "1-title: Plain value folded\n  over two lines\n"
        "2-title: 'Quoted: with a colon and it''s\n  folded too'\n"
        '3-title: "Double quoted"\n',
        encoding="utf-8",
    )
    assert read_open_sdg_yaml(sample) == {
        "1-title": "Plain value folded over two lines",
        "2-title": "Quoted: with a colon and it's folded too",
        "3-title": "Double quoted",
    }


def test_goal_titles_match_open_sdg(goals, sdg_dir):
    titles = _open_sdg_titles(sdg_dir / "open-sdg-translations_en" / "global_goals.yml", "title")
    shorts = _open_sdg_titles(sdg_dir / "open-sdg-translations_en" / "global_goals.yml", "short")
    assert set(titles) == {row["goal"] for row in goals}, "goal notations differ from Open SDG"
    mismatches = [f"{row['goal']}: ours {row['title']!r} / Open SDG {titles[row['goal']]!r}"
                  for row in goals if row["title"] != titles[row["goal"]]]
    mismatches += [f"{row['goal']} short: ours {row['short_title']!r} / Open SDG "
                   f"{shorts.get(row['goal'])!r}"
                   for row in goals if row["short_title"] != shorts.get(row["goal"])]
    assert not mismatches, f"{len(mismatches)} goal titles differ from Open SDG:" + _listed(
        mismatches)


def test_target_titles_match_open_sdg(targets, sdg_dir):
    titles = _open_sdg_titles(sdg_dir / "open-sdg-translations_en" / "global_targets.yml", "title")
    ours = {row["target"]: row["title"] for row in targets}
    assert not set(ours) ^ set(titles), "target notations differ from Open SDG:" + _listed(
        sorted(set(ours) ^ set(titles), key=_target_sort_key))
    mismatches = [f"{n}:\n    ours     {ours[n]!r}\n    Open SDG {titles[n]!r}"
                  for n in sorted(ours, key=_target_sort_key) if ours[n] != titles[n]]
    assert not mismatches, f"{len(mismatches)} target titles differ from Open SDG:" + _listed(
        mismatches)


def test_indicators_match_open_sdg(indicators, sdg_dir):
    titles = _open_sdg_titles(
        sdg_dir / "open-sdg-translations_en" / "global_indicators.yml", "title")
    ours = {row["indicator"]: row["title"] for row in indicators}

    def key(notation):
        target, _, number = notation.rpartition(".")
        return (_target_sort_key(target), int(number))

    only_ours = set(ours) - set(titles)
    only_theirs = set(titles) - set(ours)
    problems = [f"{n}: ours only, not a known gap of Open SDG"
                for n in sorted(only_ours - OPEN_SDG_MISSING_INDICATORS, key=key)]
    problems += [f"{n}: Open SDG only, not a known legacy key"
                 for n in sorted(only_theirs - OPEN_SDG_LEGACY_INDICATORS, key=key)]
    problems += [f"{n}: listed as missing from Open SDG, but Open SDG has it or we lack it"
                 for n in sorted(OPEN_SDG_MISSING_INDICATORS - only_ours, key=key)]
    problems += [f"{n}: listed as an Open SDG legacy key, but it is ours or Open SDG lacks it"
                 for n in sorted(OPEN_SDG_LEGACY_INDICATORS - only_theirs, key=key)]
    assert not problems, "indicator notations differ from Open SDG:" + _listed(problems)
    mismatches = []
    for n in sorted(set(ours) & set(titles), key=key):
        theirs = titles[n]
        if n in OPEN_SDG_TITLE_DEFECTS:
            wrong, right = OPEN_SDG_TITLE_DEFECTS[n]
            if wrong not in theirs:
                mismatches.append(f"{n}: known Open SDG defect {wrong!r} no longer there")
            theirs = theirs.replace(wrong, right)
        if n in OPEN_SDG_OUTDATED_INDICATOR_TITLES:
            if ours[n] == theirs:
                mismatches.append(f"{n}: listed as outdated in Open SDG, but the titles agree")
        elif ours[n] != theirs:
            mismatches.append(f"{n}:\n    ours     {ours[n]!r}\n    Open SDG {titles[n]!r}")
    assert not mismatches, f"{len(mismatches)} indicator titles differ from Open SDG:" + _listed(
        mismatches)
