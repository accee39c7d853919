"""The one door to the store: only this module touches `pyoxigraph.Store`.

It owns the row cap and time limit of queries, SHACL validation before any write, and atomic
commits: a batch is either wholly in the store or not at all.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdflibLiteral
from rdflib.term import Node
from rdflib.namespace import RDF

from kg.errors import (
    InputError,
    QuerySyntaxError,
    QueryTimeoutError,
    RdfSyntaxError,
    StoreUnavailableError,
    ValidationFailedError,
    Violation,
)
from kg.input_guard import check_query, check_rdf_document, check_size
from kg.namespaces import PREFIXES, graph_iri
from kg.paths import bundled_dir
from kg.query_library import QueryLibrary, query_library
from kg.rdf_formats import RdfSyntax, syntax_of_path
from kg.results import QueryAnswer
from kg.settings import Settings, get_settings
from kg.validation import ShapesValidator

STAGING_PREFIX = graph_iri("staging") + "/"
_RDF_TYPE = ox.NamedNode(str(RDF.type))
# How many result rows pass between two looks at the clock.
_DEADLINE_CHECK_EVERY = 256


@dataclass(frozen=True)
class LoadReport:
    graphs: tuple[str, ...]
    triples: int


@dataclass(frozen=True)
class GraphCount:
    graph: str
    triples: int


@dataclass(frozen=True)
class StoreStats:
    graphs: list[GraphCount]
    classes: list[tuple[str, int]]

    @property
    def total_triples(self) -> int:
        return sum(count.triples for count in self.graphs)


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """The rdflib twin of a pyoxigraph term (blank node labels kept, so focus nodes match)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RdflibLiteral(term.value, lang=term.language)
        return RdflibLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise InputError("RDF-star quoted triples cannot be validated with SHACL")


def oxigraph_to_rdflib(quads: Iterable[ox.Quad | ox.Triple]) -> Graph:
    """Copy triples (graph names dropped) into an rdflib graph: pySHACL needs one."""
    graph = Graph()
    for quad in quads:
        graph.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
    return graph


class GraphStore:
    """A pyoxigraph store with validation, limits and atomic writes."""

    def __init__(self, store: ox.Store, *, settings: Settings | None = None):
        self._store = store
        self.settings = settings or get_settings()
        self._write_lock = threading.Lock()
        self._validator: ShapesValidator | None = None
        self._drop_staging_graphs()

    @classmethod
    def open(cls, settings: Settings | None = None) -> GraphStore:
        """Open (or create) the on-disk store in `settings.data_dir`."""
        settings = settings or get_settings()
        path = Path(settings.data_dir)
        try:
            path.mkdir(parents=True, exist_ok=True)
            return cls(ox.Store(str(path)), settings=settings)
        except OSError as error:
            raise StoreUnavailableError(
                f"cannot open the store in {path}: {error}. Another mwg-kg process "
                "(a running `mwg-kg serve`?) may hold it; stop it or use its HTTP API."
            ) from None

    @classmethod
    def in_memory(cls, settings: Settings | None = None) -> GraphStore:
        return cls(ox.Store(), settings=settings)

    # -- data folders -----------------------------------------------------------------------

    @property
    def ontology_dir(self) -> Path:
        return self.settings.ontology_dir or bundled_dir("ontology")

    @property
    def queries(self) -> QueryLibrary:
        return query_library(self.settings.queries_dir or bundled_dir("queries"))

    @property
    def validator(self) -> ShapesValidator:
        if self._validator is None:
            self._validator = ShapesValidator(self.ontology_dir)
        return self._validator

    # -- reading ----------------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        substitutions: dict[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
        max_rows: int | None = None,
        timeout: float | None = None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryAnswer:
        """Run a SPARQL query over the union of all graphs (unless graphs are named).

        The answer holds at most `max_rows` rows (settings.max_rows) and says `truncated` when
        more were available. The time limit is checked as results stream; a query that computes
        for long before its first result (ORDER BY, aggregates) is stopped only by a killable
        worker, which this class does not own.
        """
        check_query(text, max_length=self.settings.max_query_length)
        row_cap = max_rows or self.settings.max_rows
        deadline = time.monotonic() + (timeout or self.settings.query_timeout)
        options: dict = {"substitutions": substitutions or None}
        if default_graphs is not None:
            options["default_graph"] = [ox.NamedNode(iri) for iri in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
        started = time.monotonic()
        try:
            result = self._store.query(text, **options)
            answer = self._materialise(result, row_cap=row_cap, deadline=deadline)
        except SyntaxError as error:
            raise QuerySyntaxError(f"the query does not parse: {error.msg}") from None
        except (ValueError, RuntimeError) as error:
            raise InputError(f"the query cannot run: {error}") from None
        answer.elapsed_seconds = time.monotonic() - started
        return answer

    def _materialise(self, result, *, row_cap: int, deadline: float) -> QueryAnswer:
        if isinstance(result, ox.QueryBoolean):
            return QueryAnswer(form="ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [variable.value for variable in result.variables]
            answer = QueryAnswer(form="select", variables=variables)
            for solution in self._until_deadline(result, deadline):
                if len(answer.rows) == row_cap:
                    answer.truncated = True
                    break
                answer.rows.append([solution[name] for name in variables])
            return answer
        answer = QueryAnswer(form="graph")
        for triple in self._until_deadline(result, deadline):
            if len(answer.triples) == row_cap:
                answer.truncated = True
                break
            answer.triples.append(triple)
        return answer

    @staticmethod
    def _until_deadline(results: Iterable, deadline: float) -> Iterator:
        for count, item in enumerate(results, start=1):
            if count % _DEADLINE_CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise QueryTimeoutError("the query ran past its time limit and was stopped")
            yield item
        if time.monotonic() > deadline:
            raise QueryTimeoutError("the query ran past its time limit and was stopped")

    def run_named(self, name: str, arguments: dict[str, str] | None = None, **options) -> QueryAnswer:
        """Run a query from `queries/` with its parameters bound as typed terms."""
        named = self.queries[name]
        return self.query(named.text, substitutions=named.substitutions(arguments or {}), **options)

    def graph_names(self) -> list[str]:
        return sorted(graph.value for graph in self._store.named_graphs() if isinstance(graph, ox.NamedNode))

    def has_graph(self, iri: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(iri))

    def has_node(self, iri: str) -> bool:
        """Whether the store says anything about `iri` (as a subject, in any graph)."""
        return next(iter(self._store.quads_for_pattern(ox.NamedNode(iri), None, None, None)), None) is not None

    def __len__(self) -> int:
        return len(self._store)

    def stats(self) -> StoreStats:
        graphs = [
            GraphCount(graph=row["graph"].value, triples=int(row["triples"].value))
            for row in self.run_named("store-graphs").records()
        ]
        classes = [
            (row["class"].value, int(row["instances"].value))
            for row in self.run_named("store-classes").records()
        ]
        return StoreStats(graphs=graphs, classes=classes)

    def export(self, output: BinaryIO, syntax: RdfSyntax, *, graph: str | None = None) -> None:
        """Write the whole store, or one `graph`; a triple syntax gets all graphs merged into one."""
        if graph is None and not syntax.holds_named_graphs:
            merged = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in self._store)
            output.write(ox.serialize(merged, format=syntax.oxigraph_format, prefixes=PREFIXES))
            return
        from_graph = ox.NamedNode(graph) if graph else None
        self._store.dump(output, format=syntax.oxigraph_format, from_graph=from_graph)

    def export_rdflib(self, *, graph: str | None = None) -> Graph:
        """The store's triples (all graphs merged, or one graph) as an rdflib graph."""
        pattern_graph = ox.NamedNode(graph) if graph else None
        return oxigraph_to_rdflib(self._store.quads_for_pattern(None, None, None, pattern_graph))

    # -- validating -------------------------------------------------------------------------

    def validate_store(self) -> list[Violation]:
        """Validate every triple of the store, all graphs merged."""
        return self.validator.violations(self.export_rdflib())

    def validate_batch(self, quads: list[ox.Quad], *, merge_existing: bool = True) -> list[Violation]:
        """Validate new quads with the context their shapes need from the store.

        The types of the nodes the batch points to always come from the store (so a batch may
        cite `id:state/PER` without restating it). With `merge_existing`, what the store already
        says about the batch's own subjects is added too: the question is then "is the store
        valid after this load?"; without it, "is this file valid as it stands?".
        """
        batch = oxigraph_to_rdflib(quads)
        subjects = {quad.subject for quad in quads if isinstance(quad.subject, ox.NamedNode)}
        referenced = {quad.object for quad in quads if isinstance(quad.object, ox.NamedNode)} - subjects
        context = []
        if merge_existing:
            for subject in subjects:
                context.extend(self._store.quads_for_pattern(subject, None, None, None))
        for node in referenced:
            context.extend(self._store.quads_for_pattern(node, _RDF_TYPE, None, None))
        data = batch + oxigraph_to_rdflib(context) if context else batch
        focus = {quad.subject for quad in quads}
        return self.validator.violations(data, focus_nodes=[to_rdflib_term(node) for node in focus])

    # -- writing ----------------------------------------------------------------------------

    def parse(self, data: bytes, *, syntax: RdfSyntax, graph: str, base_iri: str | None = None) -> list[ox.Quad]:
        """Parse RDF into quads; triples land in `graph`, named graphs of TriG/N-Quads keep theirs."""
        check_size(data, limit=self.settings.max_upload_bytes, what="the RDF document")
        text = data.decode("utf-8", errors="replace")
        check_rdf_document(text, syntax_name=syntax.name)
        target = ox.NamedNode(graph)
        try:
            parsed = ox.parse(data, format=syntax.oxigraph_format, base_iri=base_iri, rename_blank_nodes=True)
            return [
                ox.Quad(item.subject, item.predicate, item.object, target)
                if isinstance(item, ox.Triple) or isinstance(item.graph_name, ox.DefaultGraph)
                else item
                for item in parsed
            ]
        except SyntaxError as error:
            raise RdfSyntaxError(
                f"the {syntax.name} document does not parse: {error.msg}",
                line=error.lineno,
                column=error.offset,
            ) from None
        except ValueError as error:
            raise RdfSyntaxError(f"the {syntax.name} document is not valid RDF: {error}") from None

    def load(self, data: bytes, *, syntax: RdfSyntax, graph: str, base_iri: str | None = None) -> LoadReport:
        """Parse, validate, then add to the store in one atomic step; invalid data changes nothing."""
        quads = self.parse(data, syntax=syntax, graph=graph, base_iri=base_iri)
        return self.add_quads(quads)

    def load_file(self, path: Path, *, graph: str | None = None, syntax: RdfSyntax | None = None) -> LoadReport:
        syntax = syntax or syntax_of_path(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror}") from None
        return self.load(
            data, syntax=syntax, graph=graph or graph_iri("file", path.stem), base_iri=path.resolve().as_uri()
        )

    def add_quads(self, quads: list[ox.Quad], *, validate: bool = True) -> LoadReport:
        if validate:
            violations = self.validate_batch(quads)
            if violations:
                raise ValidationFailedError(violations)
        with self._write_lock:
            self._store.extend(quads)
            self._store.flush()
        return _report(quads)

    def replace_graphs(self, quads: list[ox.Quad], *, validate: bool = True) -> LoadReport:
        """Make each graph named in `quads` hold exactly those quads, all graphs in one commit.

        The quads are staged in hidden graphs, then one SPARQL update moves them over the old
        graphs, so readers see either the old graphs or the new ones, never a mix.
        """
        if validate:
            violations = self.validate_batch(quads, merge_existing=False)
            if violations:
                raise ValidationFailedError(violations)
        targets = sorted({quad.graph_name.value for quad in quads})
        staging = {target: STAGING_PREFIX + uuid.uuid4().hex for target in targets}
        staged = [
            ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(staging[q.graph_name.value])) for q in quads
        ]
        # Graph IRIs come from pyoxigraph NamedNodes, which are validated IRIs.
        moves = " ; ".join(f"MOVE SILENT GRAPH <{staging[t]}> TO GRAPH <{t}>" for t in targets)
        with self._write_lock:
            self._store.extend(staged)
            self._store.update(moves)
            self._store.flush()
        return _report(quads)

    def _drop_staging_graphs(self) -> None:
        """Remove staging graphs an interrupted `replace_graphs` left behind."""
        for graph in self._store.named_graphs():
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(STAGING_PREFIX):
                self._store.remove_graph(graph)


def _report(quads: list[ox.Quad]) -> LoadReport:
    return LoadReport(graphs=tuple(sorted({q.graph_name.value for q in quads})), triples=len(quads))
