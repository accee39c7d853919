"""`mwg-kg`: the command line of the MWG Knowledge Graph.

Exit codes: 0 success; 1 the data does not conform to the shapes; 2 any other error (bad
input, unreadable file, store in use). Scripts rely on the command and option spellings.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from kg.errors import KnowledgeGraphError, RdfSyntaxError, ValidationFailedError, Violation
from kg.initialise import initialise
from kg.namespaces import graph_iri
from kg.formats import FORMATS, RDF_SYNTAXES, RESULTS_FORMATS, TURTLE, syntax_named, syntax_of_path
from kg.results import compact_iri, to_table
from kg.settings import get_settings
from kg.store import GraphStore

EXIT_OK, EXIT_NONCONFORMING, EXIT_ERROR = 0, 1, 2
QUERY_FORMATS = ("table", *(fmt.name for fmt in RESULTS_FORMATS))
EXPORT_FORMATS = tuple(fmt.name for fmt in RDF_SYNTAXES)
EXTRACT_FIELDS = ("symbol", "kind", "paragraph", "text", "recommending_states", "addressed_states", "position",
                  "instruments", "sdg_targets", "themes", "companies", "communities", "start", "end")


def print_violations(violations: Sequence[Violation]) -> None:
    for violation in violations:
        path = compact_iri(violation.path) if violation.path else "(node)"
        print(f"{violation.severity}: {compact_iri(violation.focus_node)} {path}: {violation.message}")
    print(f"{len(violations)} violation(s)")


def command_init(args: argparse.Namespace) -> int:
    store = GraphStore.open()
    report = initialise(store, force=args.force)
    state = "loaded" if report.changed else "already up to date"
    print(f"store in {store.settings.data_dir}: ontology and reference data {state} ({report.triples:,} triples)")
    return EXIT_OK


def command_load(args: argparse.Namespace) -> int:
    store = GraphStore.open()
    syntax = syntax_named(args.format) if args.format else None
    batch = []
    for path in map(Path, args.files):
        file_syntax = syntax or syntax_of_path(path)
        graph = args.graph or graph_iri("file", path.stem)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise KnowledgeGraphError(f"cannot read {path}: {error.strerror}") from None
        try:
            batch += store.parse(data, syntax=file_syntax, graph=graph, base_iri=path.resolve().as_uri())
        except RdfSyntaxError as error:
            raise RdfSyntaxError(f"{path}: {error}", line=error.line, column=error.column) from None
    report = store.add_quads(batch)
    print(f"loaded {report.triples:,} triples into {', '.join(report.graphs)}")
    return EXIT_OK


def command_validate(args: argparse.Namespace) -> int:
    if args.files:
        settings = get_settings()
        store = GraphStore.open(settings) if Path(settings.data_dir).is_dir() else GraphStore.in_memory(settings)
        violations = []
        for path in map(Path, args.files):
            try:
                quads = store.parse(path.read_bytes(), syntax=syntax_of_path(path), graph=graph_iri("file", path.stem))
            except OSError as error:
                raise KnowledgeGraphError(f"cannot read {path}: {error.strerror}") from None
            except RdfSyntaxError as error:
                raise RdfSyntaxError(f"{path}: {error}", line=error.line, column=error.column) from None
            found = store.validate_batch(quads, merge_existing=False)
            print(f"{path}: {'conforms' if not found else f'{len(found)} violation(s)'}")
            violations += found
    else:
        violations = GraphStore.open().validate_store()
    if violations:
        print_violations(violations)
        return EXIT_NONCONFORMING
    print("conforms")
    return EXIT_OK


def command_query(args: argparse.Namespace) -> int:
    source = Path(args.query)
    text = source.read_text(encoding="utf-8") if len(args.query) < 4096 and source.is_file() else args.query
    answer = GraphStore.open().query(text)
    # A CONSTRUCT or DESCRIBE answer is a graph, whatever table format was asked for.
    if answer.form == "graph":
        output = TURTLE.write(answer).decode()
    else:
        output = to_table(answer) if args.format == "table" else FORMATS[args.format].write(answer).decode()
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    if answer.truncated:
        print(f"warning: the answer was cut at {get_settings().max_rows:,} rows (MWG_KG_MAX_ROWS)", file=sys.stderr)
    return EXIT_OK


def command_export(args: argparse.Namespace) -> int:
    store = GraphStore.open()
    syntax = syntax_named(args.format)
    if args.output:
        with open(args.output, "wb") as handle:
            store.export(handle, syntax)
    else:
        store.export(sys.stdout.buffer, syntax)
        sys.stdout.buffer.flush()
    return EXIT_OK


def command_stats(_: argparse.Namespace) -> int:
    stats = GraphStore.open().stats()
    print("triples per graph")
    for count in stats.graphs:
        print(f"  {count.triples:>10,}  {count.graph}")
    print(f"  {stats.total_triples:>10,}  (all graphs)")
    print("instances per class")
    for cls, instances in stats.classes:
        print(f"  {instances:>10,}  {compact_iri(cls)}")
    return EXIT_OK


def command_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from ingest.pipeline import IngestSummary, Toolkit, document_files, ingest_file

    store, tools, summary = GraphStore.open(), Toolkit(), IngestSummary()
    files = list(document_files(map(Path, args.paths)))
    for path in tqdm(files, desc="ingesting", unit="doc", file=sys.stderr, disable=not files):
        try:
            ingest_file(store, path, tools=tools, summary=summary)
        except KnowledgeGraphError as error:  # a refused document (DocumentError) or a store error
            summary.failures.append(str(error))
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for failure in summary.failures:
        print(f"failed: {failure}", file=sys.stderr)
    print(
        f"{summary.documents} document(s) ingested, {len(summary.failures)} failed; "
        f"{summary.recommendations} recommendation(s), {summary.responses} response(s), "
        f"{len(summary.warnings)} warning(s)"
    )
    return EXIT_ERROR if summary.failures or not files else EXIT_OK


def command_extract(args: argparse.Namespace) -> int:
    from ingest.pipeline import Toolkit, extract_file
    from ingest.records import extract_rows

    rows = extract_rows(extract_file(Path(args.file), tools=Toolkit()))  # a DocumentError goes to `main`
    if args.format == "jsonl":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=EXTRACT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: "|".join(value) if isinstance(value, list) else value for key, value in row.items()})
    return EXIT_OK


def command_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    settings = get_settings()
    app = create_app(settings=settings)
    uvicorn.run(app, host=args.host or settings.host, port=args.port or settings.port)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mwg-kg",
        description="MWG Knowledge Graph: states, treaties, UN recommendations and SDGs as linked data.",
        epilog="Settings come from MWG_KG_* environment variables (see the README).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="create the store and load the ontology and reference data")
    init.add_argument("--force", action="store_true", help="reload even if the store is up to date")
    init.set_defaults(run=command_init)

    load = commands.add_parser("load", help="validate RDF files and add them to the store, all or nothing")
    load.add_argument("files", nargs="+", metavar="FILE")
    load.add_argument("--graph", metavar="IRI", help="named graph to load into (default: one per file)")
    load.add_argument("--format", help="RDF syntax, when the file extension does not tell it")
    load.set_defaults(run=command_load)

    validate = commands.add_parser("validate", help="check files, or the whole store, against the shapes")
    validate.add_argument("files", nargs="*", metavar="FILE")
    validate.set_defaults(run=command_validate)

    query = commands.add_parser("query", help="run a SPARQL query (text or file)")
    query.add_argument("query", metavar="QUERY")
    query.add_argument("--format", choices=QUERY_FORMATS, default="table")
    query.set_defaults(run=command_query)

    export = commands.add_parser("export", help="write the whole store as RDF")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="nquads",
                        help="nquads and trig keep the named graphs; the others merge all graphs into one")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(run=command_export)

    stats = commands.add_parser("stats", help="triples per graph and instances per class")
    stats.set_defaults(run=command_stats)

    ingest = commands.add_parser("ingest", help="ingest UN documents (files or folders) into the store")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.set_defaults(run=command_ingest)

    extract = commands.add_parser("extract", help="print the recommendations of a document; no store needed")
    extract.add_argument("file", metavar="FILE")
    extract.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    extract.set_defaults(run=command_extract)

    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", help="address to listen on (default MWG_KG_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default MWG_KG_PORT)")
    serve.set_defaults(run=command_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ValidationFailedError as error:
        print(f"error: {error}", file=sys.stderr)
        print_violations(error.violations)
        return EXIT_NONCONFORMING
    except RdfSyntaxError as error:
        where = f" (line {error.line}, column {error.column})" if error.line else ""
        print(f"error: {error}{where}", file=sys.stderr)
        return EXIT_ERROR
    except KnowledgeGraphError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
