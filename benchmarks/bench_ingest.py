"""Ingest the 28 UPR reports of ../shared/data/upr/reports and print the figures; asserts nothing.

    make benchmark-ingest     # or: .venv/bin/python benchmarks/bench_ingest.py [FOLDER]

Prints documents, paragraphs and recommendations per second, SHACL/commit share and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from ingest.pipeline import IngestSummary, Toolkit, document_files, extract_file, ingest_file
from kg.initialise import initialise
from kg.settings import Settings
from kg.store import GraphStore

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "data" / "upr" / "reports"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    files = list(document_files([args.folder]))
    if not files:
        raise SystemExit(f"no documents under {args.folder}")

    tools = Toolkit()
    started = time.perf_counter()
    _ = (tools.linker, tools.names)  # built here so that the timings below leave them out
    print(f"build linker and names                 {time.perf_counter() - started:8.2f} s")

    started = time.perf_counter()
    paragraphs = recommendations = 0
    for path in files:
        result = extract_file(path, tools=tools)
        paragraphs += len(result.document.paragraphs)
        recommendations += len(result.recommendations)
    extract_seconds = time.perf_counter() - started
    print(f"extract {len(files)} documents (read, recognise, extract, link) {extract_seconds:8.2f} s   "
          f"{paragraphs / extract_seconds:,.0f} paragraphs/s, {recommendations / extract_seconds:,.0f} recommendations/s")

    store = GraphStore.in_memory(Settings())
    initialise(store)
    before = len(store)
    summary = IngestSummary()
    started = time.perf_counter()
    for path in files:
        ingest_file(store, path, tools=tools, summary=summary)
    ingest_seconds = time.perf_counter() - started
    print(f"ingest {summary.documents} documents (+ RDF, SHACL, commit)  {ingest_seconds:8.2f} s   "
          f"{summary.recommendations / ingest_seconds:,.0f} recommendations/s, "
          f"{(len(store) - before) / ingest_seconds:,.0f} triples/s, {len(store) - before:,} triples")
    print(f"recommendations {summary.recommendations:,}, responses {summary.responses:,}, "
          f"warnings {len(summary.warnings)}, failures {len(summary.failures)}")
    print(f"peak RSS                               {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MiB")


if __name__ == "__main__":
    main()
