"""Figures for the store: init, validated load, named queries, export. Prints a table; asserts nothing.

    make benchmark            # or: .venv/bin/python benchmarks/bench_store.py [--companies N]

Compare with ../shared/PERFORMANCE.md (the engine's own floor: pyoxigraph RocksDB load() ≈ 62k
triples/s at 0.1M; pySHACL ≈ 4 s for 10k triples).
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import tempfile
import time
from pathlib import Path

from kg.initialise import initialise
from kg.formats import syntax_named
from kg.settings import Settings
from kg.store import GraphStore

COMPANY = (
    '<https://w3id.org/mwg/id/company/bench-{n}> a <https://w3id.org/mwg/ontology#Company> ;\n'
    '  <http://www.w3.org/2004/02/skos/core#prefLabel> "Benchmark Mining {n}"@en ;\n'
    '  <https://w3id.org/mwg/ontology#headquarteredIn> <https://w3id.org/mwg/id/state/PER> .\n'
)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=2000, help="companies in the validated-load batch")
    parser.add_argument("--repeat", type=int, default=20, help="runs per query")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        store = GraphStore.open(Settings(data_dir=Path(folder) / "store"))
        seconds, report = timed(lambda: initialise(store))
        print(f"init (build, SHACL-validate, commit)   {seconds:8.2f} s   {report.triples:,} triples "
              f"({report.triples / seconds:,.0f} triples/s)")
        seconds, _ = timed(lambda: initialise(store))
        print(f"init again (up to date, no-op)         {seconds:8.3f} s")

        batch = "".join(COMPANY.format(n=n) for n in range(args.companies)).encode()
        seconds, loaded = timed(lambda: store.load(batch, syntax=syntax_named("turtle"),
                                                   graph="https://w3id.org/mwg/graph/bench"))
        print(f"load {loaded.triples:,} triples, validated          {seconds:8.2f} s   "
              f"({loaded.triples / seconds:,.0f} triples/s)")

        for name, arguments in (("member-states", {}), ("state-treaties", {"iso3": "PER"}),
                                ("instrument-parties", {"instrument": "ICESCR"}), ("store-classes", {})):
            store.run_named(name, arguments)
            runs = [timed(lambda: store.run_named(name, arguments))[0] * 1000 for _ in range(args.repeat)]
            rows = len(store.run_named(name, arguments).rows)
            print(f"query {name:<28} median {statistics.median(runs):7.2f} ms  "
                  f"(min {min(runs):.2f}, max {max(runs):.2f}, n={args.repeat}, {rows} rows)")

        seconds, _ = timed(lambda: store.export(io.BytesIO(), syntax_named("nquads")))
        print(f"export N-Quads                         {seconds:8.2f} s")
        seconds, violations = timed(store.validate_store)
        print(f"validate whole store                   {seconds:8.2f} s   {len(violations)} violations")
    print(f"peak RSS                               {peak_rss_mib():8.0f} MiB")


if __name__ == "__main__":
    main()
