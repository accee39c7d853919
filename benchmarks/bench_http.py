"""HTTP throughput and latency of `/sparql` against `oxigraph serve`, on the same data and query.

Both servers get the initialised store: `mwg-kg serve` reads it directly, `oxigraph serve` gets it
exported as N-Quads and loaded with `oxigraph load` (its queries see the union of the graphs, as
ours do). A small load generator (threads, one keep-alive httpx client each) sends the same GET
SELECT to both, N requests at concurrency C after a warm-up, and prints requests per second,
p50/p99 latency and the ratio. The client runs on the same machine as the servers, so on a small
machine it takes CPU from them: compare the two rows with each other, not with other machines.

    python benchmarks/bench_http.py                       # a fresh store made with `mwg-kg init`
    python benchmarks/bench_http.py --requests 5000 --concurrency 16 --data-dir data/store

`--data-dir` is copied first; stop any `mwg-kg serve` that holds it (RocksDB lets one process in).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_QUERY = ROOT / "queries" / "member-states.rq"
ACCEPT = "application/sparql-results+json"


@dataclass
class Figures:
    server: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    failures: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def query_text(path: Path) -> str:
    """The query without its `#+` header lines (what `/queries` serves)."""
    return "\n".join(line for line in path.read_text().splitlines() if not line.startswith("#+"))


def run(*command: str, env: dict | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")


def oxigraph_cli() -> str:
    found = shutil.which("oxigraph", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if not found:
        sys.exit("the `oxigraph` command is missing: install the test extra (PyPI package oxigraph)")
    return found


def wait_until_up(url: str, process: subprocess.Popen, *, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server behind {url} exited with code {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit(f"{url} did not come up within {seconds:.0f} s")


def rows(url: str, query: str) -> int:
    response = httpx.get(url, params={"query": query}, headers={"accept": ACCEPT}, timeout=60)
    response.raise_for_status()
    return len(response.json()["results"]["bindings"])


def load(name: str, url: str, query: str, *, requests: int, concurrency: int) -> Figures:
    """Send `requests` GETs from `concurrency` threads, each with its own keep-alive client."""
    remaining = [requests]
    lock = threading.Lock()
    latencies: list[float] = []
    failures = [0]
    params = {"query": query}

    def worker() -> None:
        own: list[float] = []
        bad = 0
        with httpx.Client(headers={"accept": ACCEPT}, timeout=60) as client:
            while True:
                with lock:
                    if remaining[0] == 0:
                        break
                    remaining[0] -= 1
                started = time.perf_counter()
                try:
                    response = client.get(url, params=params)
                    response.read()
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                own.append((time.perf_counter() - started) * 1000)
                bad += not ok
        with lock:
            latencies.extend(own)
            failures[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Figures(name, requests, time.perf_counter() - started, latencies, failures[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="measured requests per server (default 2000)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured requests first (default 200)")
    parser.add_argument("--query", type=Path, default=DEFAULT_QUERY, help="a .rq file (default member-states)")
    parser.add_argument("--data-dir", type=Path, help="an initialised store to copy (default: a fresh `init`)")
    args = parser.parse_args()

    oxigraph = oxigraph_cli()
    query = query_text(args.query)
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="bench-http-") as scratch:
        work = Path(scratch)
        store = work / "store"
        env = {**os.environ, "MWG_KG_DATA_DIR": str(store)}
        if args.data_dir:
            shutil.copytree(args.data_dir, store)
        else:
            print("initialising a store …", flush=True)
            run(sys.executable, "-m", "api.cli", "init", env=env)
        dump = work / "store.nq"
        run(sys.executable, "-m", "api.cli", "export", "--format", "nquads", "-o", str(dump), env=env)
        run(oxigraph, "load", "--location", str(work / "oxigraph"), "--file", str(dump))
        quads = sum(1 for _ in dump.open("rb"))

        ours_port, theirs_port = free_port(), free_port()
        try:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(ours_port)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))
            processes.append(subprocess.Popen(
                [oxigraph, "serve", "--location", str(work / "oxigraph"), "--bind", f"127.0.0.1:{theirs_port}",
                 "--union-default-graph"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))
            ours = f"http://127.0.0.1:{ours_port}/sparql"
            theirs = f"http://127.0.0.1:{theirs_port}/query"
            wait_until_up(f"http://127.0.0.1:{ours_port}/health", processes[0])
            wait_until_up(f"http://127.0.0.1:{theirs_port}/", processes[1])

            ours_rows, theirs_rows = rows(ours, query), rows(theirs, query)
            if ours_rows != theirs_rows:
                sys.exit(f"the servers disagree: /sparql gives {ours_rows} rows, oxigraph {theirs_rows}")
            print(f"data: {quads:,} quads; query {args.query.name}: {ours_rows} rows; "
                  f"{args.requests} requests at concurrency {args.concurrency} after {args.warmup} warm-up; "
                  f"{os.cpu_count()} CPU cores shared by client and server; "
                  f"load average before: {os.getloadavg()[0]:.1f}", flush=True)

            results = []
            for name, url in (("mwg-kg serve /sparql", ours), ("oxigraph serve /query", theirs)):
                load(name, url, query, requests=args.warmup, concurrency=args.concurrency)
                results.append(load(name, url, query, requests=args.requests, concurrency=args.concurrency))
        finally:
            for process in processes:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

    print("\n| server | req/s | p50 ms | p99 ms | mean ms | failed |\n|---|---|---|---|---|---|")
    for figures in results:
        print(f"| {figures.server} | {figures.per_second:,.0f} | {figures.percentile(50):.2f} | "
              f"{figures.percentile(99):.2f} | {statistics.fmean(figures.latencies_ms):.2f} | {figures.failures} |")
    ours_figures, theirs_figures = results
    print(f"\nratio oxigraph / mwg-kg: throughput {theirs_figures.per_second / ours_figures.per_second:.2f}×, "
          f"p50 {ours_figures.percentile(50) / theirs_figures.percentile(50):.2f}× lower, "
          f"p99 {ours_figures.percentile(99) / theirs_figures.percentile(99):.2f}× lower")
    return 1 if any(figures.failures for figures in results) else 0


if __name__ == "__main__":
    sys.exit(main())
