"""The ontology, its concept schemes, its SHACL shapes and the examples that exercise them.

Checks that every valid example conforms and every invalid one fails on (and only on) the shape its
header names, that every term is labelled and commented in English, that the terms match the term
contract (the term list of ontology/README.md, v0.2.0), that closed concept schemes and the shapes' `sh:in` lists agree,
and that the version is the same in mwg.ttl, its versionIRI and CHANGELOG.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from kg.validation import ShapesValidator
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS

from kg.namespaces import ID as ID_NAMESPACE
from kg.namespaces import MWG, MWGSH, OA, ORG, SCHEMA, SDGO
from kg.namespaces import ONTOLOGY_IRI as ONTOLOGY
from kg.paths import bundled_dir

ID = str(ID_NAMESPACE)
ONTOLOGY_IRI = URIRef(ONTOLOGY)
PREFIXES = {"mwgsh": str(MWGSH), "mwg": str(MWG)}

ONTOLOGY_DIR = bundled_dir("ontology")
VALID_EXAMPLES = sorted((ONTOLOGY_DIR / "examples" / "valid").glob("*.ttl"))
INVALID_EXAMPLES = sorted((ONTOLOGY_DIR / "examples" / "invalid").glob("*.ttl"))
TURTLE_FILES = [
    ONTOLOGY_DIR / "mwg.ttl",
    ONTOLOGY_DIR / "vocabularies.ttl",
    ONTOLOGY_DIR / "shapes.ttl",
    *VALID_EXAMPLES,
    *INVALID_EXAMPLES,
]

# Classes of the mwg: namespace that have no shape targeting them because they are abstract by
# design. None today: even a subclass that adds no constraint (mwg:Mine, mwg:Treaty, …) has its
# own, empty shape, so that a constraint specific to it has an obvious home.
ABSTRACT_CLASSES: frozenset[URIRef] = frozenset()

# Classes outside mwg: that shapes may target (the contract gives them a shape).
EXTERNAL_SHAPED_CLASSES = {FOAF.Person, OA.TextPositionSelector, SDGO.Goal, SDGO.Target, SDGO.Indicator}

# The term contract, v0.2.0: every class with the superclasses it must declare.
CONTRACT_CLASSES: dict[str, set[URIRef]] = {
    "State": {ORG.FormalOrganization, SCHEMA.Country},
    "Company": {ORG.FormalOrganization, SCHEMA.Corporation},
    "Community": {FOAF.Group, PROV.Agent},
    "IndigenousPeople": {MWG.Community},
    "ExtractiveProject": {PROV.Entity},
    "Mine": {MWG.ExtractiveProject},
    "Concession": {MWG.ExtractiveProject},
    "Mechanism": {ORG.Organization, PROV.Agent},
    "TreatyBody": {MWG.Mechanism},
    "SupervisoryBody": {MWG.Mechanism},
    "SpecialProcedure": {MWG.Mechanism},
    "MandateTenure": {ORG.Membership},
    "UniversalPeriodicReview": {MWG.Mechanism},
    "Instrument": {PROV.Entity, SCHEMA.Legislation},
    "Treaty": {MWG.Instrument},
    "OptionalProtocol": {MWG.Treaty},
    "ILOConvention": {MWG.Treaty},
    "RegionalAgreement": {MWG.Treaty},
    "Declaration": {MWG.Instrument},
    "SoftLawStandard": {MWG.Instrument},
    "Provision": set(),
    "Obligation": set(),
    "TreatyAction": {PROV.Activity},
    "Document": {FOAF.Document, PROV.Entity},
    "Recommendation": {PROV.Entity},
    "Response": {PROV.Entity},
    "ImplementationAssessment": {PROV.Entity},
    "Communication": {PROV.Entity},
    "CommunicationReply": {PROV.Entity},
    "Allegation": {PROV.Entity},
    "IngestActivity": {PROV.Activity},
    "Suggestion": {RDF.Statement},
}

CONTRACT_PROPERTIES = set(
    """
    formalName demonym isoAlpha2 isoAlpha3 m49Code unMembership headquarteredIn locatedIn placeName
    operator commodity abbreviation monitors monitoredBy establishedIn mandateType mandateCountry theme
    mandate holder startDate endDate adoptionDate entryIntoForce optionalProtocolTo articleNumber text
    bindsState arisesFrom obligationType state instrument actionKind actionDate hasReservations
    reservationText symbol documentKind concernsState sourceDocument paragraph issuedBy
    recommendingState addressedTo concernsInstrument sdgTarget cycle actionCategory respondsTo position
    respondent assesses implementationStatus assessor sentBy communicationReference communicationKind
    hasReply repliedBy allegedAgainst concernsProject affectedCommunity rightAffected
    addresseeGroup extractionRule confidence softwareVersion contentHash sourceFileName mentions
    """.split()
)

# The term contract's concept schemes and their keys. Open schemes may gain concepts (a test then
# fails here until the contract is updated too); closed schemes are also listed in shapes' sh:in.
CONTRACT_SCHEMES: dict[str, set[str]] = {
    "theme": set(
        """extractives mining oil-and-gas land water fpic environment climate human-rights-defenders
        indigenous-peoples business-and-human-rights labour health food housing consultation
        access-to-information access-to-justice women children displacement poverty development toxics
        assembly-and-association corruption-and-transparency""".split()
    ),
    "upr-position": {"supported", "noted", "partially-supported", "to-be-examined", "already-implemented"},
    "follow-up-grade": {"A", "B", "B1", "B2", "C", "D", "E"},
    "implementation-status": {"fully-implemented", "partially-implemented", "not-implemented"},
    "action-category": {"1", "2", "3", "4", "5"},
    "treaty-action-kind": {
        "signature", "consent-to-be-bound", "ratification", "accession", "succession", "acceptance",
        "approval", "withdrawal",
    },
    "document-kind": set(
        """upr-working-group-report upr-addendum upr-national-report upr-compilation
        upr-stakeholder-summary sp-country-visit-report sp-thematic-report concluding-observations
        list-of-issues general-comment follow-up-report communication-letter communication-reply
        other""".split()
    ),
    "mandate-type": {"thematic", "country"},
    "un-membership": {"member", "observer"},
    "commodity": set(
        """copper gold silver zinc lead iron-ore coal lithium nickel cobalt bauxite uranium tin oil
        natural-gas sand-and-gravel other-minerals""".split()
    ),
    "obligation-type": {"respect", "protect", "fulfil"},
    "communication-kind": {"allegation-letter", "urgent-appeal", "other-letter"},
    "addressee-group": {
        "state", "states", "companies", "indigenous-peoples", "international-community", "united-nations",
        "civil-society", "national-human-rights-institution",
    },
}
OPEN_SCHEMES = {"theme", "commodity"}

# Constraint components the invalid examples must exercise between them.
REQUIRED_COMPONENTS = {
    SH.DatatypeConstraintComponent,
    SH.MinCountConstraintComponent,
    SH.MaxCountConstraintComponent,
    SH.ClassConstraintComponent,
    SH.InConstraintComponent,
    SH.PatternConstraintComponent,
    SH.QualifiedMinCountConstraintComponent,
    SH.QualifiedMaxCountConstraintComponent,
    SH.OrConstraintComponent,
    SH.NodeConstraintComponent,
    SH.NotConstraintComponent,
    SH.LessThanConstraintComponent,
    SH.MaxInclusiveConstraintComponent,
}

SPARQL_TERMS = {SH.sparql, SH.SPARQLConstraint, SH.select, SH.ask, SH.SPARQLTarget}
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
TERM_TYPES = (OWL.Class, *PROPERTY_TYPES)


def read_header(path: Path) -> dict[str, str]:
    """Return the `# key: value` lines of a file's leading comment block (first occurrence wins)."""
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"#\s*([a-z]+):\s*(.+)$", line)
        if match:
            fields.setdefault(match[1], match[2].strip())
    return fields


def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    assert prefix in PREFIXES, f"unknown prefix in {curie!r}; use one of {sorted(PREFIXES)}"
    return URIRef(PREFIXES[prefix] + local)


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        value
        for value in graph.objects(subject, predicate)
        if isinstance(value, Literal) and value.language and value.language.lower().startswith("en")
    ]


def mwg_terms(graph: Graph, *types: URIRef) -> set[URIRef]:
    return {
        subject
        for kind in types
        for subject in graph.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and str(subject).startswith(str(MWG))
    }


def violations(results: Graph) -> list[BNode]:
    """Top-level violations of a report (pySHACL also adds the nested ones under sh:detail)."""
    return [
        result
        for result in results.objects(predicate=SH.result)
        if results.value(result, SH.resultSeverity) == SH.Violation
    ]


def owning_node_shape(shape, shapes: Graph):
    """Resolve a property shape to the node shape that holds it through sh:property."""
    owner = shapes.value(predicate=SH.property, object=shape)
    return owner if owner is not None else shape


def violated_node_shapes(results: Graph, shapes: Graph) -> set:
    return {owning_node_shape(results.value(r, SH.sourceShape), shapes) for r in violations(results)}


def curie(node) -> str:
    text = str(node)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


@pytest.fixture(scope="session")
def mwg_graph(ontology_dir: Path) -> Graph:
    return Graph().parse(ontology_dir / "mwg.ttl")


@pytest.fixture(scope="session")
def vocabularies(ontology_dir: Path) -> Graph:
    return Graph().parse(ontology_dir / "vocabularies.ttl")


@pytest.fixture(scope="session")
def validator(ontology_dir: Path) -> ShapesValidator:
    return ShapesValidator(ontology_dir)


@pytest.fixture(scope="session")
def shapes(validator: ShapesValidator) -> Graph:
    """The validator's own shapes graph: report results point at its blank-node property shapes."""
    return validator.shapes


@pytest.fixture(scope="session")
def validated(validator: ShapesValidator) -> Callable[[Path], tuple[bool, Graph, str]]:
    """Validate an example file once per session, as the store does (kg.validation)."""
    cache: dict[Path, tuple[bool, Graph, str]] = {}

    def run(path: Path) -> tuple[bool, Graph, str]:
        if path not in cache:
            conforms, report = validator.report(Graph().parse(path))
            cache[path] = (conforms, report, report.serialize(format="turtle"))
        return cache[path]

    return run


# --------------------------------------------------------------------------------------------
# Files and examples
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_turtle_file_parses(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 0, f"{path} parsed to an empty graph"


def test_there_are_examples_of_both_kinds() -> None:
    assert len(VALID_EXAMPLES) >= 8, f"only {len(VALID_EXAMPLES)} valid examples"
    assert len(INVALID_EXAMPLES) >= 12, f"only {len(INVALID_EXAMPLES)} invalid examples"


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda p: p.name)
def test_valid_example_conforms(path: Path, validated) -> None:
    assert read_header(path).get("example"), f"{path.name} must start with '# example: <what it shows>'"
    conforms, _, text = validated(path)
    assert conforms, f"{path.name} should conform:\n{text}"


@pytest.mark.parametrize("path", INVALID_EXAMPLES, ids=lambda p: p.name)
def test_invalid_example_fails_on_its_named_shape_only(path: Path, validated, shapes: Graph) -> None:
    header = read_header(path)
    assert header.get("shape") and header.get("violation"), (
        f"{path.name} needs '# shape: mwgsh:…' and '# violation: …' header lines"
    )
    named = expand(header["shape"])
    assert (named, RDF.type, SH.NodeShape) in shapes, (
        f"{path.name} names {header['shape']}, which is not a node shape"
    )
    conforms, results, text = validated(path)
    assert not conforms, f"{path.name} should not conform ({header['violation']})"
    violated = violated_node_shapes(results, shapes)
    assert named in violated, (
        f"{path.name} should violate {header['shape']}, "
        f"but violates {sorted(map(curie, violated))}:\n{text}"
    )
    assert violated == {named}, (
        f"{path.name} should violate only {header['shape']}; also violates "
        f"{sorted(map(curie, violated - {named}))}:\n{text}"
    )


def test_invalid_examples_exercise_every_kind_of_constraint(validated) -> None:
    seen = set()
    for path in INVALID_EXAMPLES:
        _, results, _ = validated(path)
        seen |= {results.value(r, SH.sourceConstraintComponent) for r in violations(results)}
    missing = REQUIRED_COMPONENTS - seen
    assert not missing, f"no invalid example fails on: {sorted(curie(c) for c in missing)}"


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda p: p.name)
def test_examples_use_only_declared_mwg_terms(path: Path, mwg_graph: Graph) -> None:
    declared = mwg_terms(mwg_graph, *TERM_TYPES)
    graph = Graph().parse(path)
    used = {p for p in graph.predicates() if str(p).startswith(str(MWG))}
    used |= {o for o in graph.objects(predicate=RDF.type) if str(o).startswith(str(MWG))}
    undeclared = sorted(map(curie, used - declared))
    assert not undeclared, f"{path.name} uses undeclared terms: {undeclared[:20]}"


# --------------------------------------------------------------------------------------------
# The ontology
# --------------------------------------------------------------------------------------------


def test_every_mwg_term_has_english_label_and_comment(mwg_graph: Graph) -> None:
    terms = mwg_terms(mwg_graph, *TERM_TYPES)
    missing = sorted(
        curie(term)
        for term in terms
        if not english(mwg_graph, term, RDFS.label) or not english(mwg_graph, term, RDFS.comment)
    )
    assert terms, "no mwg: terms found in mwg.ttl"
    assert not missing, f"terms without rdfs:label@en or rdfs:comment@en: {missing[:20]}"


def test_every_mwg_term_is_defined_by_the_ontology(mwg_graph: Graph) -> None:
    terms = mwg_terms(mwg_graph, *TERM_TYPES)
    missing = sorted(curie(t) for t in terms if (t, RDFS.isDefinedBy, ONTOLOGY_IRI) not in mwg_graph)
    assert not missing, f"terms without rdfs:isDefinedBy <{ONTOLOGY_IRI}>: {missing[:20]}"


def test_every_mwg_iri_used_in_the_ontology_is_declared(mwg_graph: Graph) -> None:
    declared = mwg_terms(mwg_graph, *TERM_TYPES)
    used = {node for triple in mwg_graph for node in triple if isinstance(node, URIRef) and node.startswith(str(MWG))}
    undeclared = sorted(map(curie, used - declared))
    assert not undeclared, f"mwg: IRIs used but not declared: {undeclared[:20]}"


def test_classes_match_the_contract(mwg_graph: Graph) -> None:
    declared = {curie(c).removeprefix("mwg:") for c in mwg_terms(mwg_graph, OWL.Class)}
    assert declared == set(CONTRACT_CLASSES), (
        f"missing: {sorted(set(CONTRACT_CLASSES) - declared)}; "
        f"not in contract: {sorted(declared - set(CONTRACT_CLASSES))}"
    )
    wrong = {
        name: sorted(curie(s) for s in supers - set(mwg_graph.objects(MWG[name], RDFS.subClassOf)))
        for name, supers in CONTRACT_CLASSES.items()
    }
    wrong = {name: missing for name, missing in wrong.items() if missing}
    assert not wrong, f"classes missing contract superclasses: {wrong}"


def test_properties_match_the_contract(mwg_graph: Graph) -> None:
    declared = {
        curie(p).removeprefix("mwg:")
        for p in mwg_terms(mwg_graph, *PROPERTY_TYPES)
    }
    assert declared == CONTRACT_PROPERTIES, (
        f"missing: {sorted(CONTRACT_PROPERTIES - declared)}; "
        f"not in contract: {sorted(declared - CONTRACT_PROPERTIES)}"
    )
    codes = [MWG.isoAlpha2, MWG.isoAlpha3, MWG.m49Code]
    not_notations = [curie(p) for p in codes if (p, RDFS.subPropertyOf, SKOS.notation) not in mwg_graph]
    assert not not_notations, f"code properties not declared ⊑ skos:notation: {not_notations}"


def test_no_term_is_both_object_and_datatype_property(mwg_graph: Graph) -> None:
    both = mwg_terms(mwg_graph, OWL.ObjectProperty) & mwg_terms(mwg_graph, OWL.DatatypeProperty)
    assert not both, f"declared as both object and datatype property: {sorted(map(curie, both))}"


def test_ignored_is_documented_as_a_derived_rule(mwg_graph: Graph) -> None:
    comment = " ".join(english(mwg_graph, MWG.Recommendation, RDFS.comment)).lower()
    signals = ["ignored", "noted", "next cycle", "repeated", "no reply", "design.md"]
    missing = [s for s in signals if s not in comment]
    assert not missing, f"mwg:Recommendation's comment does not document the 'ignored' rule: missing {missing}"


def test_deprecated_terms_keep_label_comment_and_say_so(mwg_graph: Graph) -> None:
    deprecated = [s for s in mwg_graph.subjects(OWL.deprecated, Literal(True)) if isinstance(s, URIRef)]
    undocumented = sorted(
        curie(term)
        for term in deprecated
        if not english(mwg_graph, term, RDFS.label)
        or not any("deprecated" in c.lower() for c in english(mwg_graph, term, RDFS.comment))
    )
    assert not undocumented, f"deprecated terms must keep their label and say why in rdfs:comment: {undocumented}"


def test_version_agrees_everywhere(mwg_graph: Graph, shapes: Graph, ontology_dir: Path) -> None:
    info = str(mwg_graph.value(ONTOLOGY_IRI, OWL.versionInfo))
    version_iri = str(mwg_graph.value(ONTOLOGY_IRI, OWL.versionIRI))
    assert re.fullmatch(r"\d+\.\d+\.\d+", info), f"owl:versionInfo {info!r} is not a semantic version"
    assert version_iri == f"{ONTOLOGY_IRI}/{info}", f"versionIRI {version_iri} does not end with {info}"
    changelog = (ontology_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    entries = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})", changelog, flags=re.M)
    assert entries, "CHANGELOG.md has no '## [x.y.z] - YYYY-MM-DD' entry"
    assert entries[0][0] == info, f"top CHANGELOG entry {entries[0][0]} != owl:versionInfo {info}"
    shapes_version = str(shapes.value(URIRef("https://w3id.org/mwg/shapes"), OWL.versionInfo))
    assert shapes_version == info, f"shapes.ttl version {shapes_version} != {info}"


def test_prior_version_is_an_earlier_changelog_entry(mwg_graph: Graph, ontology_dir: Path) -> None:
    info = str(mwg_graph.value(ONTOLOGY_IRI, OWL.versionInfo))
    priors = [str(p) for p in mwg_graph.objects(ONTOLOGY_IRI, OWL.priorVersion)]
    changelog = (ontology_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.M)
    if released[-1] == info:
        assert not priors, f"the first release {info} cannot have an owl:priorVersion: {priors}"
        return
    assert len(priors) == 1, f"owl:priorVersion should name exactly one earlier version IRI, found {priors}"
    prior = priors[0].removeprefix(f"{ONTOLOGY_IRI}/")
    assert prior in released[1:], (
        f"owl:priorVersion {priors[0]} is not an earlier CHANGELOG entry (entries: {released})"
    )
    older = tuple(map(int, prior.split("."))) < tuple(map(int, info.split(".")))
    assert older, f"owl:priorVersion {prior} is not older than {info}"


def test_ontology_metadata_is_complete(mwg_graph: Graph) -> None:
    required = [
        OWL.versionInfo, OWL.versionIRI, DCTERMS.title, DCTERMS.description, DCTERMS.created, DCTERMS.license,
    ]
    missing = [curie(p) for p in required if mwg_graph.value(ONTOLOGY_IRI, p) is None]
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in mwg_graph
    assert not missing, f"ontology header lacks {missing}"


# --------------------------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------------------------


def test_every_mwg_class_has_a_shape(mwg_graph: Graph, shapes: Graph) -> None:
    targeted = set(shapes.objects(predicate=SH.targetClass))
    unshaped = sorted(map(curie, mwg_terms(mwg_graph, OWL.Class) - targeted - ABSTRACT_CLASSES))
    assert not unshaped, f"classes with no shape targeting them: {unshaped}"


def test_shapes_target_known_classes(mwg_graph: Graph, shapes: Graph) -> None:
    known = mwg_terms(mwg_graph, OWL.Class) | EXTERNAL_SHAPED_CLASSES
    unknown = sorted(curie(c) for c in shapes.objects(predicate=SH.targetClass) if c not in known)
    assert not unknown, f"shapes target undeclared classes: {unknown}"
    for external in EXTERNAL_SHAPED_CLASSES:
        assert (None, SH.targetClass, external) in shapes, f"no shape targets {external}"


def test_shape_paths_use_declared_properties(mwg_graph: Graph, shapes: Graph) -> None:
    declared = mwg_terms(mwg_graph, *PROPERTY_TYPES)
    paths = {p for p in shapes.objects(predicate=SH.path) if str(p).startswith(str(MWG))}
    unknown = sorted(map(curie, paths - declared))
    assert not unknown, f"shapes check properties mwg.ttl does not declare: {unknown}"


def test_shape_classes_are_declared(mwg_graph: Graph, shapes: Graph) -> None:
    known = mwg_terms(mwg_graph, OWL.Class) | EXTERNAL_SHAPED_CLASSES | {SKOS.Concept, PROV.Agent}
    unknown = sorted(curie(c) for c in shapes.objects(predicate=SH["class"]) if c not in known)
    assert not unknown, f"sh:class names an unknown class: {unknown}"


def test_node_shapes_have_english_label_and_comment(shapes: Graph) -> None:
    node_shapes = [s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)]
    missing = sorted(
        curie(s)
        for s in node_shapes
        if not english(shapes, s, RDFS.label) or not english(shapes, s, RDFS.comment)
    )
    assert node_shapes, "no named node shapes in shapes.ttl"
    assert not missing, f"node shapes without rdfs:label@en or rdfs:comment@en: {missing}"


def test_property_shapes_have_name_and_message(shapes: Graph) -> None:
    unexplained = sorted(
        f"{curie(owner)} / {curie(shapes.value(prop, SH.path))}"
        for owner, prop in shapes.subject_objects(SH.property)
        if shapes.value(prop, SH.message) is None or shapes.value(prop, SH.name) is None
    )
    assert not unexplained, f"property shapes without sh:name or sh:message: {unexplained[:20]}"


def test_node_shapes_with_own_constraints_have_a_message(shapes: Graph) -> None:
    own = [SH["or"], SH["not"], SH["in"]]
    silent = sorted(
        curie(s)
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if any((s, c, None) in shapes for c in own) and shapes.value(s, SH.message) is None
    )
    assert not silent, f"node shapes with sh:or/sh:not/sh:in but no sh:message: {silent}"


def test_shapes_use_no_sparql(shapes: Graph, ontology_dir: Path) -> None:
    used = sorted(curie(t) for t in SPARQL_TERMS if (None, t, None) in shapes or (None, None, t) in shapes)
    assert not used, f"shapes.ttl uses SPARQL-based SHACL terms: {used}"
    assert "sh:sparql" not in (ontology_dir / "shapes.ttl").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Concept schemes
# --------------------------------------------------------------------------------------------


def concepts_of(vocabularies: Graph) -> list[URIRef]:
    return sorted(s for s in vocabularies.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef))


def test_schemes_and_concepts_match_the_contract(vocabularies: Graph) -> None:
    schemes = {
        str(s).removeprefix(f"{ID}scheme/") for s in vocabularies.subjects(RDF.type, SKOS.ConceptScheme)
    }
    assert schemes == set(CONTRACT_SCHEMES), (
        f"missing schemes: {sorted(set(CONTRACT_SCHEMES) - schemes)}; "
        f"extra: {sorted(schemes - set(CONTRACT_SCHEMES))}"
    )
    mismatched = {}
    for scheme, keys in CONTRACT_SCHEMES.items():
        found = {
            str(c).removeprefix(f"{ID}{scheme}/")
            for c in vocabularies.subjects(SKOS.inScheme, URIRef(f"{ID}scheme/{scheme}"))
        }
        if found != keys:
            mismatched[scheme] = {"missing": sorted(keys - found), "extra": sorted(found - keys)}
    assert not mismatched, f"concepts differ from the contract: {mismatched}"


def test_schemes_have_label_and_definition(vocabularies: Graph) -> None:
    schemes = list(vocabularies.subjects(RDF.type, SKOS.ConceptScheme))
    missing = sorted(
        str(s)
        for s in schemes
        if len(english(vocabularies, s, SKOS.prefLabel)) != 1 or not english(vocabularies, s, SKOS.definition)
    )
    assert not missing, f"schemes without one skos:prefLabel@en and a skos:definition@en: {missing}"


def test_concepts_are_complete(vocabularies: Graph) -> None:
    problems = []
    for concept in concepts_of(vocabularies):
        scheme = vocabularies.value(concept, SKOS.inScheme)
        key = str(concept).rsplit("/", 1)[-1]
        if len(english(vocabularies, concept, SKOS.prefLabel)) != 1:
            problems.append(f"{concept}: not exactly one skos:prefLabel@en")
        if scheme is None:
            problems.append(f"{concept}: no skos:inScheme")
            continue
        scheme_key = str(scheme).removeprefix(f"{ID}scheme/")
        if str(concept) != f"{ID}{scheme_key}/{key}":
            problems.append(f"{concept}: IRI is not id:{scheme_key}/<key>")
        if str(vocabularies.value(concept, SKOS.notation)) != key:
            problems.append(f"{concept}: skos:notation is not {key!r}")
        if not english(vocabularies, concept, SKOS.definition):
            problems.append(f"{concept}: no skos:definition@en")
        if (concept, RDF.type, OWL.NamedIndividual) not in vocabularies:
            problems.append(f"{concept}: not typed owl:NamedIndividual (pySHACL would not see it)")
    assert not problems, f"{len(problems)} problems: {problems[:20]}"


def test_concepts_sit_in_their_scheme_hierarchy(vocabularies: Graph) -> None:
    misplaced = []
    for concept in concepts_of(vocabularies):
        scheme = vocabularies.value(concept, SKOS.inScheme)
        top = (concept, SKOS.topConceptOf, scheme) in vocabularies
        broader = list(vocabularies.objects(concept, SKOS.broader))
        if top == bool(broader):
            misplaced.append(f"{concept}: needs either skos:topConceptOf its scheme or skos:broader (not both)")
        misplaced += [
            f"{concept}: broader {b} is in another scheme"
            for b in broader
            if vocabularies.value(b, SKOS.inScheme) != scheme
        ]
    assert not misplaced, f"{len(misplaced)} problems: {misplaced[:20]}"


def test_labels_are_distinct_within_each_concept(vocabularies: Graph) -> None:
    clashes = sorted(
        f"{concept}: {label}"
        for concept in concepts_of(vocabularies)
        for label in set(vocabularies.objects(concept, SKOS.prefLabel))
        & set(vocabularies.objects(concept, SKOS.altLabel))
    )
    assert not clashes, f"a label is both prefLabel and altLabel (SKOS S13): {clashes[:20]}"


def test_tagger_keywords_exist_for_every_theme(vocabularies: Graph) -> None:
    themes = vocabularies.subjects(SKOS.inScheme, URIRef(f"{ID}scheme/theme"))
    bare = sorted(str(t) for t in themes if not english(vocabularies, t, SKOS.altLabel))
    assert not bare, f"themes without skos:altLabel keywords for the tagger: {bare}"


def test_closed_scheme_lists_in_shapes_match_vocabularies(vocabularies: Graph, shapes: Graph) -> None:
    concept_scheme = {
        c: str(vocabularies.value(c, SKOS.inScheme)).removeprefix(f"{ID}scheme/") for c in concepts_of(vocabularies)
    }
    listed: dict[str, set[URIRef]] = {}
    problems = []
    for head in shapes.objects(predicate=SH["in"]):
        members = list(Collection(shapes, head))
        concept_members = [m for m in members if str(m).startswith(ID) and "/mechanism/" not in str(m)]
        for member in concept_members:
            if member not in concept_scheme:
                problems.append(f"sh:in lists {member}, which is not a concept in vocabularies.ttl")
                continue
            listed.setdefault(concept_scheme[member], set()).add(member)
        for scheme in {concept_scheme.get(m) for m in concept_members} - {None}:
            whole = {c for c, s in concept_scheme.items() if s == scheme}
            partial = whole - set(concept_members)
            if partial:
                problems.append(f"an sh:in list has part of scheme {scheme}; missing {sorted(map(str, partial))}")
    closed = set(CONTRACT_SCHEMES) - OPEN_SCHEMES
    problems += [f"closed scheme {s} is not listed in any sh:in" for s in sorted(closed - set(listed))]
    problems += [
        f"open scheme {s} should be checked by skos:inScheme, not sh:in" for s in sorted(OPEN_SCHEMES & set(listed))
    ]
    assert not problems, f"{len(problems)} problems: {problems[:20]}"
