"""Turn the reference tables (`ontology/reference/*.csv`) into RDF quads, one named graph per area.

The mapping follows the ontology (`ontology/mwg.ttl`); the tables' columns are described in
`ontology/reference/README.md`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import DCTERMS, FOAF, MWG, RDF, RDFS, SDG, SDG_SCHEME, SDGO, SKOS, WIKIDATA, XSD
from kg.namespaces import graph_iri, instance_iri
from kg.reference_tables import read_table, split_values

STATES_GRAPH = graph_iri("reference", "states")
SDG_GRAPH = graph_iri("reference", "sdg")
INSTRUMENTS_GRAPH = graph_iri("reference", "instruments")
MECHANISMS_GRAPH = graph_iri("reference", "mechanisms")
TREATY_ACTIONS_GRAPH = graph_iri("reference", "treaty-actions")
ACTORS_GRAPH = graph_iri("reference", "actors")
PEOPLE_CLASSES = {"indigenous-people": "IndigenousPeople", "tribal-people": "IndigenousPeople", "community": "Community"}

INSTRUMENT_CLASSES = {
    "treaty": "Treaty",
    "optional-protocol": "OptionalProtocol",
    "ilo-convention": "ILOConvention",
    "regional-agreement": "RegionalAgreement",
    "declaration": "Declaration",
    "soft-law": "SoftLawStandard",
}
UPR_IRI = instance_iri("mechanism", "UPR")


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(str(value))


def english(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def plain(text: str) -> ox.Literal:
    return ox.Literal(text)


def date_or_year(value: str) -> ox.Literal:
    """`2018-03-04` -> xsd:date, `2018` -> xsd:gYear; anything else is an error in the table."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return ox.Literal(value, datatype=iri(XSD.date))
    if re.fullmatch(r"\d{4}", value):
        return ox.Literal(value, datatype=iri(XSD.gYear))
    raise InputError(f"'{value}' is neither a date (YYYY-MM-DD) nor a year (YYYY)")


def year(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=iri(XSD.gYear))


def slug(text: str) -> str:
    """`José Francisco Calí Tzay` -> `jose-francisco-cali-tzay`, for IRI keys."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class QuadWriter:
    """Collects quads for one named graph with terse helpers."""

    def __init__(self, graph: str):
        self.graph = iri(graph)
        self.quads: list[ox.Quad] = []

    def add(self, subject: str, predicate: str, value: ox.NamedNode | ox.Literal | str) -> None:
        obj = iri(value) if isinstance(value, str) else value
        self.quads.append(ox.Quad(iri(subject), iri(predicate), obj, self.graph))

    def add_all(self, subject: str, predicate: str, values: list) -> None:
        for value in values:
            self.add(subject, predicate, value)


def state_quads(reference_dir: Path) -> Iterator[ox.Quad]:
    out = QuadWriter(STATES_GRAPH)
    for row in read_table(reference_dir / "states.csv"):
        state = instance_iri("state", row["iso3"])
        out.add(state, RDF.type, MWG.State)
        out.add(state, SKOS.prefLabel, english(row["short_name"]))
        if row["formal_name"]:
            out.add(state, MWG.formalName, english(row["formal_name"]))
        out.add_all(state, SKOS.altLabel, [english(name) for name in split_values(row["other_names"])])
        out.add_all(state, MWG.demonym, [english(name) for name in split_values(row["demonyms"])])
        out.add(state, MWG.isoAlpha2, plain(row["iso2"]))
        out.add(state, MWG.isoAlpha3, plain(row["iso3"]))
        out.add(state, MWG.m49Code, plain(row["m49"]))
        out.add(state, MWG.unMembership, instance_iri("un-membership", row["un_status"]))
        if row["wikidata"]:
            out.add(state, SKOS.exactMatch, WIKIDATA[row["wikidata"]])
    return iter(out.quads)


def indicator_iri(notation: str, kos_code: str = "") -> str:
    """The UN KOS IRI of an indicator: `1.1.1` -> `…/sdg/C010101`, `1.a.2` -> `…/sdg/C010a02`.

    An indicator repeated under several targets has one KOS code of its own (`C200303` for
    1.5.1 = 11.5.1 = 13.1.1), given in the table's `kos_code` column.
    """
    if kos_code:
        return SDG[kos_code]
    goal, target, number = notation.split(".")
    return SDG[f"C{int(goal):02d}{target.zfill(2)}{int(number):02d}"]


def sdg_quads(reference_dir: Path) -> Iterator[ox.Quad]:
    out = QuadWriter(SDG_GRAPH)
    out.add(SDG_SCHEME, RDF.type, SKOS.ConceptScheme)
    out.add(SDG_SCHEME, SKOS.prefLabel, english("Sustainable Development Goals"))

    def concept(subject: str, kind: str, notation: str, title: str) -> None:
        out.add(subject, RDF.type, SDGO[kind])
        out.add(subject, RDF.type, SKOS.Concept)
        out.add(subject, SKOS.prefLabel, english(title))
        out.add(subject, SKOS.notation, plain(notation))
        out.add(subject, SKOS.inScheme, SDG_SCHEME)

    for row in read_table(reference_dir / "sdg_goals.csv"):
        goal = SDG[row["goal"]]
        concept(goal, "Goal", row["goal"], row["title"])
        out.add(goal, SKOS.topConceptOf, SDG_SCHEME)
        if row["short_title"]:
            out.add(goal, SKOS.altLabel, english(row["short_title"]))
    for row in read_table(reference_dir / "sdg_targets.csv"):
        target, goal = SDG[row["target"]], SDG[row["target"].split(".")[0]]
        concept(target, "Target", row["target"], row["title"])
        out.add(target, SDGO.isTargetOf, goal)
        out.add(goal, SDGO.hasTarget, target)
        out.add(target, SKOS.broader, goal)
    for row in read_table(reference_dir / "sdg_indicators.csv"):
        indicator = indicator_iri(row["indicator"], row["kos_code"])
        target = SDG[row["indicator"].rsplit(".", 1)[0]]
        concept(indicator, "Indicator", row["indicator"], row["title"])
        out.add(indicator, SDGO.isIndicatorOf, target)
        out.add(target, SDGO.hasIndicator, indicator)
        out.add(indicator, SKOS.broader, target)
    return iter(out.quads)


def mechanism_directory(reference_dir: Path) -> dict[str, str]:
    """IRI of every monitoring body by its key, across the three mechanism tables."""
    directory = {}
    for table, kind in (
        ("treaty_bodies.csv", "treaty-body"),
        ("other_bodies.csv", "supervisory-body"),
        ("special_procedures.csv", "special-procedure"),
    ):
        for row in read_table(reference_dir / table):
            directory[row["key"]] = instance_iri(kind, row["key"])
    return directory


def _resolve(directory: dict[str, str], key: str, *, where: str) -> str:
    try:
        return directory[key]
    except KeyError:
        raise InputError(f"{where}: unknown key '{key}'") from None


def instrument_quads(reference_dir: Path) -> Iterator[ox.Quad]:
    out = QuadWriter(INSTRUMENTS_GRAPH)
    bodies = mechanism_directory(reference_dir)
    for row in read_table(reference_dir / "instruments.csv"):
        instrument = instance_iri("instrument", row["key"])
        out.add(instrument, RDF.type, MWG[INSTRUMENT_CLASSES[row["kind"]]])
        out.add(instrument, DCTERMS.title, english(row["title"]))
        out.add(instrument, MWG.abbreviation, plain(row["key"]))
        out.add_all(instrument, SKOS.altLabel, [english(name) for name in split_values(row["abbreviations"])])
        out.add(instrument, MWG.adoptionDate, date_or_year(row["adopted"]))
        if row["entry_into_force"]:
            out.add(instrument, MWG.entryIntoForce, date_or_year(row["entry_into_force"]))
        for key in split_values(row["monitoring_bodies"]):
            out.add(instrument, MWG.monitoredBy, _resolve(bodies, key, where=f"instrument {row['key']}"))
        if row["parent"]:
            out.add(instrument, MWG.optionalProtocolTo, instance_iri("instrument", row["parent"]))
        if row["wikidata"]:
            out.add(instrument, SKOS.exactMatch, WIKIDATA[row["wikidata"]])
    return iter(out.quads)


def mechanism_quads(reference_dir: Path) -> Iterator[ox.Quad]:
    out = QuadWriter(MECHANISMS_GRAPH)
    out.add(UPR_IRI, RDF.type, MWG.UniversalPeriodicReview)
    out.add(UPR_IRI, SKOS.prefLabel, english("Universal Periodic Review"))
    out.add(UPR_IRI, MWG.abbreviation, plain("UPR"))
    for table, kind, cls in (
        ("treaty_bodies.csv", "treaty-body", MWG.TreatyBody),
        ("other_bodies.csv", "supervisory-body", MWG.SupervisoryBody),
    ):
        for row in read_table(reference_dir / table):
            body = instance_iri(kind, row["key"])
            out.add(body, RDF.type, cls)
            out.add(body, SKOS.prefLabel, english(row["name"]))
            out.add(body, MWG.abbreviation, plain(row["key"]))
            if row["established"]:
                out.add(body, MWG.establishedIn, year(row["established"]))
            out.add_all(body, MWG.monitors, [instance_iri("instrument", k) for k in split_values(row["instruments"])])
    for row in read_table(reference_dir / "special_procedures.csv"):
        mandate = instance_iri("special-procedure", row["key"])
        out.add(mandate, RDF.type, MWG.SpecialProcedure)
        out.add(mandate, SKOS.prefLabel, english(row["name"]))
        out.add(mandate, MWG.mandateType, instance_iri("mandate-type", row["mandate_type"]))
        if row["country"]:
            out.add(mandate, MWG.mandateCountry, instance_iri("state", row["country"]))
        if row["established"]:
            out.add(mandate, MWG.establishedIn, year(row["established"]))
        out.add_all(mandate, MWG.theme, [instance_iri("theme", k) for k in split_values(row["themes"])])
    for row in read_table(reference_dir / "mandate_holders.csv"):
        person = instance_iri("person", slug(row["holder"]))
        tenure = instance_iri("mandate-tenure", row["mandate"], f"{slug(row['holder'])}-{row['start'][:4]}")
        out.add(person, RDF.type, FOAF.Person)
        out.add(person, FOAF.name, plain(row["holder"]))
        out.add(tenure, RDF.type, MWG.MandateTenure)
        out.add(tenure, RDFS.label, english(f"{row['holder']}, {row['start']}–{row['end']}".rstrip("–")))
        out.add(tenure, MWG.mandate, instance_iri("special-procedure", row["mandate"]))
        out.add(tenure, MWG.holder, person)
        out.add(tenure, MWG.startDate, date_or_year(row["start"]))
        if row["end"]:
            out.add(tenure, MWG.endDate, date_or_year(row["end"]))
    return iter(out.quads)


def treaty_action_quads(reference_dir: Path) -> Iterator[ox.Quad]:
    out = QuadWriter(TREATY_ACTIONS_GRAPH)
    for row in read_table(reference_dir / "treaty_actions.csv"):
        action = instance_iri("treaty-action", row["state"], row["instrument"], row["kind"], row["date"])
        out.add(action, RDF.type, MWG.TreatyAction)
        out.add(action, RDFS.label, english(f"{row['state']} {row['kind']} of {row['instrument']} ({row['date']})"))
        out.add(action, MWG.state, instance_iri("state", row["state"]))
        out.add(action, MWG.instrument, instance_iri("instrument", row["instrument"]))
        out.add(action, MWG.actionKind, instance_iri("treaty-action-kind", row["kind"]))
        out.add(action, MWG.actionDate, date_or_year(row["date"]))
        if row["reservations"] == "yes":
            out.add(action, MWG.hasReservations, ox.Literal("true", datatype=iri(XSD.boolean)))
        if row["note"]:
            out.add(action, SKOS.note, english(row["note"]))
    return iter(out.quads)


def actor_quads(reference_dir: Path) -> Iterator[ox.Quad]:
    """Companies and the peoples and communities named in UN documents on extractives."""
    out = QuadWriter(ACTORS_GRAPH)
    for row in read_table(reference_dir / "companies.csv"):
        company = instance_iri("company", row["key"])
        out.add(company, RDF.type, MWG.Company)
        out.add(company, SKOS.prefLabel, english(row["name"]))
        out.add_all(company, SKOS.altLabel, [english(name) for name in split_values(row["other_names"])])
        if row["country"]:
            out.add(company, MWG.headquarteredIn, instance_iri("state", row["country"]))
        if row["wikidata"]:
            out.add(company, SKOS.exactMatch, WIKIDATA[row["wikidata"]])
    for row in read_table(reference_dir / "peoples.csv"):
        people = instance_iri("community", row["key"])
        out.add(people, RDF.type, MWG[PEOPLE_CLASSES[row["kind"]]])
        out.add(people, SKOS.prefLabel, english(row["name"]))
        out.add_all(people, SKOS.altLabel, [english(name) for name in split_values(row["other_names"])])
        out.add_all(people, MWG.locatedIn, [instance_iri("state", iso3) for iso3 in split_values(row["countries"])])
    return iter(out.quads)


REFERENCE_BUILDERS: tuple[Callable[[Path], Iterator[ox.Quad]], ...] = (
    state_quads,
    sdg_quads,
    instrument_quads,
    mechanism_quads,
    treaty_action_quads,
    actor_quads,
)


def reference_quads(reference_dir: Path) -> list[ox.Quad]:
    """Every reference quad, each area in its own named graph."""
    return [quad for build in REFERENCE_BUILDERS for quad in build(reference_dir)]

