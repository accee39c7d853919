"""The one door to the store: only this module touches `pyoxigraph.Store`.

It owns the row cap and time limit of queries, SHACL validation before any write, and atomic
commits: a batch is either wholly in the store or not at all. It also owns both ends of the query
workers' checkpoints: `GraphStore` makes them, `open_checkpoint` opens one in a worker.

Importing this module must stay light: each query worker process (`python -m kg.query_workers`)
imports it for `open_checkpoint`, and a worker replaced after a timeout should answer at once.
So rdflib, pySHACL, pydantic-settings and PyYAML (≈ 1 s of imports, through kg.namespaces,
kg.formats, kg.results, kg.terms, kg.settings, kg.validation and kg.query_library) are imported
in the functions that use them, not here; tests/test_layers.py checks it.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox

from kg.errors import (
    ForbiddenQueryError,
    InputError,
    QuerySyntaxError,
    QueryTimeoutError,
    RdfSyntaxError,
    StoreUnavailableError,
    ValidationFailedError,
    Violation,
)
from kg.input_guard import check_query, check_rdf_document, check_size, check_update, dataset_clauses
from kg.query_workers import QueryEngineError, QueryWorkerPool, default_pool_size

if TYPE_CHECKING:  # heavy imports: see the module docstring
    from kg.formats import Format
    from kg.query_library import QueryLibrary
    from kg.results import QueryAnswer
    from kg.settings import Settings
    from kg.validation import ShapesValidator

# `graph_iri("staging") + "/"` spelt out, since kg.namespaces imports rdflib (a test checks they agree).
STAGING_PREFIX = "https://w3id.org/mwg/graph/staging/"
COMMIT_COUNT_FILE = "mwg-kg-commits.json"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
# How many result rows pass between two looks at the clock.
_DEADLINE_CHECK_EVERY = 256


@dataclass(frozen=True)
class LoadReport:
    graphs: tuple[str, ...]
    triples: int


@dataclass(frozen=True)
class UpdateReport:
    added: int
    removed: int
    graphs: tuple[str, ...]


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


class CommitCounter:
    """How many commits a store has had, under an identity of its own: what its dumps are stamped with.

    On disk the count lives in a small file in the store's folder, so it survives restarts (a
    dump made before one is still current after it) and goes with the store when the folder is
    copied or deleted. The file is written *before* each commit and the count in memory moves
    *after* it: a crash mid-commit leaves the file ahead of the data (one needless rebuild of the
    dump), and a reader never stamps older data with a newer count.
    """

    def __init__(self, path: Path | None):
        self._path = path
        state = self._read() if path else None
        self._identity = state["store"] if state else uuid.uuid4().hex
        self._count = state["commits"] if state else 0
        if path and not state:
            self._write(self._count)

    def _read(self) -> dict | None:
        try:
            state = json.loads(self._path.read_text(encoding="utf-8"))
            return {"store": str(state["store"]), "commits": int(state["commits"])}
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write(self, count: int) -> None:
        temporary = self._path.with_name(f".{self._path.name}.tmp")
        temporary.write_text(json.dumps({"store": self._identity, "commits": count}), encoding="utf-8")
        os.replace(temporary, self._path)

    @property
    def version(self) -> str:
        return f"{self._identity}:{self._count}"

    @contextmanager
    def commit(self) -> Iterator[None]:
        """Count one commit around the block that makes it (the caller holds the writer lock)."""
        if self._path:
            self._write(self._count + 1)
        yield
        self._count += 1


class GraphStore:
    """A pyoxigraph store with validation, limits and atomic writes."""

    def __init__(self, store: ox.Store, *, settings: Settings | None = None, path: Path | None = None):
        from kg.settings import get_settings

        self._store = store
        self._path = path
        self.settings = settings or get_settings()
        self._write_lock = threading.Lock()
        self._commits = CommitCounter(path / COMMIT_COUNT_FILE if path else None)
        self._validator: ShapesValidator | None = None
        self._workers: QueryWorkerPool | None = None
        self._drop_staging_graphs()

    @classmethod
    def open(cls, settings: Settings | None = None, *, query_workers: bool = False) -> GraphStore:
        """Open (or create) the on-disk store in `settings.data_dir`.

        With `query_workers` (the HTTP server), queries run in killable worker processes over
        checkpoints of the store, so the time limit stops any query; without it (the CLI, a
        trusted local user), they run in this process and the limit is checked as rows stream.
        """
        from kg.settings import get_settings

        settings = settings or get_settings()
        path = Path(settings.data_dir)
        try:
            path.mkdir(parents=True, exist_ok=True)
            store = cls(ox.Store(str(path)), settings=settings, path=path)
        except OSError as error:
            raise StoreUnavailableError(
                f"cannot open the store in {path}: {error}. Another mwg-kg process "
                "(a running `mwg-kg serve`?) may hold it; stop it or use its HTTP API."
            ) from None
        if query_workers:
            store.start_query_workers()
        return store

    def start_query_workers(self) -> None:
        """Evaluate queries from now on in `settings.max_concurrent_queries` killable processes.

        Only an on-disk store can: workers read its checkpoints. An in-memory store (tests,
        library use) keeps evaluating in-process: it cannot be shared with another process short
        of forking one that runs threads, which is unsafe, or copying the whole store per commit.
        """
        if self._path is None or self._workers is not None:
            return
        self._workers = QueryWorkerPool(
            checkpoint=self._checkpoint,
            snapshot_root=self._path.parent / f".{self._path.name}-query-snapshots",
            size=self.settings.max_concurrent_queries or default_pool_size(),
            queue_seconds=self.settings.query_queue_seconds,
        )

    def close(self) -> None:
        """Stop the query workers (if any), remove their checkpoints and let go of the store, whose
        folder another process (or a new `GraphStore`) may then open. Nothing can be asked after."""
        if self._workers is not None:
            self._workers.close()
            self._workers = None
        self._store = None

    def _checkpoint(self, path: str) -> None:
        """Make a checkpoint of the store in `path` (hard links, a few ms) for the query workers."""
        self._store.backup(path)

    @property
    def version(self) -> str:
        """Changes with every commit, and only then, across restarts: `<store id>:<commit count>`."""
        return self._commits.version

    @contextmanager
    def _commit(self) -> Iterator[None]:
        """Around the one store call that makes a commit; the caller holds the writer lock."""
        with self._commits.commit():
            yield
            self._store.flush()
        if self._workers is not None:
            self._workers.store_changed()

    @classmethod
    def in_memory(cls, settings: Settings | None = None) -> GraphStore:
        return cls(ox.Store(), settings=settings)

    # -- data folders -----------------------------------------------------------------------

    @property
    def queries(self) -> QueryLibrary:
        from kg.query_library import query_library

        return query_library(self.settings.queries_path)

    @property
    def validator(self) -> ShapesValidator:
        if self._validator is None:
            from kg.validation import ShapesValidator

            self._validator = ShapesValidator(self.settings.ontology_path)
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
        more were available. With query workers started (`open(query_workers=True)`), the query
        runs in a worker process that is killed at the time limit; otherwise the limit is checked
        as results stream, so a query that computes for long before its first result (ORDER BY,
        aggregates) is stopped only when that result comes.
        """
        check_query(text, max_length=self.settings.max_query_length)
        clauses = dataset_clauses(text)
        for clause, iri in clauses:
            if not self.has_graph(iri):
                raise ForbiddenQueryError(
                    f"{clause} <{iri}> names a graph that is not in this store; this endpoint never fetches "
                    "graphs from elsewhere (the service description lists the graphs it holds)"
                )
        # The union of all graphs is the default graph unless the query or the caller names one.
        union = default_graphs is None and not any(clause == "FROM" for clause, _ in clauses)
        row_cap = max_rows or self.settings.max_rows
        time_limit = timeout or self.settings.query_timeout
        if self._workers is not None:
            return self._query_in_worker(
                text, substitutions=substitutions, row_cap=row_cap, timeout=time_limit,
                default_graphs=default_graphs, named_graphs=named_graphs, union=union,
            )
        deadline = time.monotonic() + time_limit
        options: dict = {"substitutions": substitutions or None}
        if default_graphs is not None:
            options["default_graph"] = [ox.NamedNode(iri) for iri in default_graphs]
        elif union:
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

    def _query_in_worker(
        self, text: str, *, substitutions, row_cap: int, timeout: float, default_graphs, named_graphs, union: bool
    ) -> QueryAnswer:
        from kg.results import QueryAnswer

        request = {
            "query": text,
            "max_rows": row_cap,
            "substitutions": {variable.value: str(term) for variable, term in (substitutions or {}).items()},
            "default_graph": default_graphs,
            "named_graphs": named_graphs,
            "union": union,
        }
        reply = self._workers.run(request, timeout=timeout)
        header = reply.header
        if not header["ok"]:
            if header["kind"] == "syntax":
                raise QuerySyntaxError(f"the query does not parse: {header['message']}")
            if header["kind"] == "input":
                raise InputError(f"the query cannot run: {header['message']}")
            raise QueryEngineError(header["message"])
        if header["form"] == "ask":
            answer = QueryAnswer(form="ask", boolean=header["boolean"])
        elif header["form"] == "select":
            solutions = ox.parse_query_results(reply.payload, format=ox.QueryResultsFormat.TSV)
            variables = [variable.value for variable in solutions.variables]
            answer = QueryAnswer(form="select", variables=variables)
            answer.rows = [[solution[name] for name in variables] for solution in solutions]
        else:
            parsed = ox.parse(reply.payload, format=ox.RdfFormat.N_TRIPLES)
            answer = QueryAnswer(form="graph", triples=[ox.Triple(q.subject, q.predicate, q.object) for q in parsed])
        answer.truncated = header["truncated"]
        answer.elapsed_seconds = reply.elapsed_seconds
        return answer

    def _materialise(self, result, *, row_cap: int, deadline: float) -> QueryAnswer:
        from kg.results import QueryAnswer

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

    def export(self, output: BinaryIO, syntax: Format, *, graph: str | None = None) -> None:
        """Write the whole store, or one `graph`, in an RDF syntax.

        Dataset syntaxes (N-Quads, TriG) keep graph names, one graph's included; triple syntaxes
        get all graphs merged into one. JSON-LD is compacted with the project's context inline.
        """
        from kg.formats import write_rdf_triples
        from kg.namespaces import TURTLE_PREFIXES

        from_graph = ox.NamedNode(graph) if graph else None
        if syntax.oxigraph_format == ox.RdfFormat.JSON_LD or (graph is None and not syntax.holds_named_graphs):
            output.write(write_rdf_triples(self._triples(from_graph), syntax))
        elif graph is not None and syntax.holds_named_graphs:
            # `Store.dump` would write one graph's triples into the default graph.
            quads = self._store.quads_for_pattern(None, None, None, from_graph)
            ox.serialize(quads, output, format=syntax.oxigraph_format, prefixes=TURTLE_PREFIXES)
        else:
            self._store.dump(output, format=syntax.oxigraph_format, from_graph=from_graph, prefixes=TURTLE_PREFIXES)

    def _triples(self, graph: ox.NamedNode | None) -> Iterator[ox.Triple]:
        """Distinct triples of one graph, or of all graphs merged."""
        quads = self._store.quads_for_pattern(None, None, None, graph)
        return iter(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))

    # -- validating -------------------------------------------------------------------------

    def validate_store(self) -> list[Violation]:
        """Validate every triple of the store, all graphs merged."""
        from kg.terms import to_rdflib_graph

        return self.validator.violations(to_rdflib_graph(self._triples(None)))

    def validate_batch(self, quads: list[ox.Quad], *, merge_existing: bool = True) -> list[Violation]:
        """Validate new quads with the context their shapes need from the store.

        The types of the nodes the batch points to always come from the store (so a batch may
        cite `id:state/PER` without restating it). With `merge_existing`, what the store already
        says about the batch's own subjects is added too: the question is then "is the store
        valid after this load?"; without it, "is this file valid as it stands?".
        """
        from kg.terms import to_rdflib_graph, to_rdflib_term

        batch = to_rdflib_graph(quads)
        subjects = {quad.subject for quad in quads if isinstance(quad.subject, ox.NamedNode)}
        referenced = {quad.object for quad in quads if isinstance(quad.object, ox.NamedNode)} - subjects
        context = []
        if merge_existing:
            for subject in subjects:
                context.extend(self._store.quads_for_pattern(subject, None, None, None))
        for node in referenced:
            context.extend(self._store.quads_for_pattern(node, _RDF_TYPE, None, None))
        data = batch + to_rdflib_graph(context) if context else batch
        focus = {quad.subject for quad in quads}
        return self.validator.violations(data, focus_nodes=[to_rdflib_term(node) for node in focus])

    # -- writing ----------------------------------------------------------------------------

    def parse(self, data: bytes, *, syntax: Format, graph: str, base_iri: str | None = None) -> list[ox.Quad]:
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

    def load(self, data: bytes, *, syntax: Format, graph: str, base_iri: str | None = None) -> LoadReport:
        """Parse, validate, then add to the store in one atomic step; invalid data changes nothing."""
        quads = self.parse(data, syntax=syntax, graph=graph, base_iri=base_iri)
        return self.add_quads(quads)

    def load_file(self, path: Path, *, graph: str | None = None, syntax: Format | None = None) -> LoadReport:
        from kg.formats import syntax_of_path
        from kg.namespaces import graph_iri

        syntax = syntax or syntax_of_path(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror}") from None
        return self.load(
            data, syntax=syntax, graph=graph or graph_iri("file", path.stem), base_iri=path.resolve().as_uri()
        )

    def add_quads(self, quads: list[ox.Quad], *, validate: bool = True) -> LoadReport:
        """Add quads in one commit, validated first against the store they are added to."""
        with self._write_lock:
            if validate:
                violations = self.validate_batch(quads)
                if violations:
                    raise ValidationFailedError(violations)
            with self._commit():
                self._store.extend(quads)
        return _report(quads)

    def replace_graphs(self, quads: list[ox.Quad], *, validate: bool = True) -> LoadReport:
        """Make each graph named in `quads` hold exactly those quads, all graphs in one commit.

        One SPARQL update drops the old graphs and inserts the new quads, so a reader sees the old
        graphs or the new ones, never both and never neither. Validation runs under the writer
        lock, against the store the commit then changes.
        """
        if not quads:
            return _report(quads)
        replacement = replacement_update(quads)
        with self._write_lock:
            if validate:
                violations = self.validate_batch(quads, merge_existing=False)
                if violations:
                    raise ValidationFailedError(violations)
            with self._commit():
                self._store.update(replacement)
        return _report(quads)

    def update(self, text: str) -> UpdateReport:
        """Apply a SPARQL 1.1 Update in one commit if the store still conforms to the shapes after it.

        Under the writer lock, the update first runs on an in-memory copy of the store; the
        quads it added or removed are diffed out, and every node whose description changed (and
        every node pointing to a node that lost a type) is validated there with the shapes. Only
        then does the same text run on the store, in one transactional `update` call. The copy
        costs time in proportion to the store size (≈ 0.2 s per 30k triples).
        """
        check_update(text, max_length=self.settings.max_query_length)
        with self._write_lock:
            staging = ox.Store()
            staging.extend(self._store)
            try:
                staging.update(text)
            except SyntaxError as error:
                raise QuerySyntaxError(f"the update does not parse: {error.msg}") from None
            except (ValueError, RuntimeError, OSError) as error:
                raise InputError(f"the update cannot run: {error}") from None
            added = [quad for quad in staging if quad not in self._store]
            removed = [quad for quad in self._store if quad not in staging]
            violations = self._validate_changed_nodes(staging, added + removed, removed)
            if violations:
                raise ValidationFailedError(violations)
            if added or removed:
                with self._commit():
                    self._store.update(text)
        graphs = {quad.graph_name.value for quad in added + removed if isinstance(quad.graph_name, ox.NamedNode)}
        return UpdateReport(added=len(added), removed=len(removed), graphs=tuple(sorted(graphs)))

    def _validate_changed_nodes(
        self, staging: ox.Store, changed: list[ox.Quad], removed: list[ox.Quad]
    ) -> list[Violation]:
        from kg.terms import to_rdflib_graph, to_rdflib_term

        focus = {quad.subject for quad in changed}
        for quad in removed:
            if quad.predicate == _RDF_TYPE:
                focus.update(q.subject for q in staging.quads_for_pattern(None, None, quad.subject, None))
        focus = {node for node in focus if not isinstance(node, ox.Triple)}
        if not focus:
            return []
        description = [q for node in focus for q in staging.quads_for_pattern(node, None, None, None)]
        referenced = {q.object for q in description if isinstance(q.object, (ox.NamedNode, ox.BlankNode))} - focus
        context = [q for node in referenced for q in staging.quads_for_pattern(node, _RDF_TYPE, None, None)]
        data = to_rdflib_graph(description + context)
        return self.validator.violations(data, focus_nodes=[to_rdflib_term(node) for node in focus])

    def _drop_staging_graphs(self) -> None:
        """Remove hidden staging graphs: earlier versions of `replace_graphs` staged data in them,
        and an interrupted one may have left them in a store."""
        for graph in self._store.named_graphs():
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(STAGING_PREFIX):
                self._store.remove_graph(graph)


def open_checkpoint(path: str) -> ox.Store:
    """Open a checkpoint made by a `GraphStore` for the query workers, read-only.

    Called in the worker processes (see kg.query_workers), which is why this module keeps its
    imports light.
    """
    return ox.Store.read_only(path)


def sparql_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A term in SPARQL syntax: its N-Triples spelling, a triple term in `<<( … )>>`.

    >>> sparql_term(ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("1")))
    '<<( <http://e/s> <http://e/p> "1" )>>'
    """
    if isinstance(term, ox.Triple):
        return f"<<( {sparql_term(term.subject)} {sparql_term(term.predicate)} {sparql_term(term.object)} )>>"
    return str(term)


def replacement_update(quads: list[ox.Quad]) -> str:
    """One SPARQL update that makes each graph of `quads` hold exactly its quads.

    Terms come from pyoxigraph objects, which are valid RDF, so their N-Triples spelling is
    valid SPARQL; blank node labels keep their identity within the one `INSERT DATA`.
    """
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise InputError(f"a replaced graph must be named; this quad is in the default graph: {quad}")
        by_graph.setdefault(str(quad.graph_name), []).append(
            f"{sparql_term(quad.subject)} {sparql_term(quad.predicate)} {sparql_term(quad.object)} ."
        )
    drops = "".join(f"DROP SILENT GRAPH {graph} ;\n" for graph in sorted(by_graph))
    inserts = "\n".join(f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}" for graph, lines in by_graph.items())
    return f"{drops}INSERT DATA {{\n{inserts}\n}}"


def _report(quads: list[ox.Quad]) -> LoadReport:
    return LoadReport(graphs=tuple(sorted({q.graph_name.value for q in quads})), triples=len(quads))
