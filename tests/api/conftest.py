"""A real on-disk store, and real HTTP servers over copies of it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest


# The guarded server's settings, which tests check answers against.
TOKEN = "s3cret-update-token-Zq81"
QUERY_LIMIT_SECONDS = 2.0
MAX_REQUEST_BYTES = 100_000
MAX_QUERY_LENGTH = 20_000
# Runs far past any time limit on the reference data.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class Cli:
    data_dir: Path

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "MWG_KG_DATA_DIR": str(self.data_dir)}
        return subprocess.run(
            [sys.executable, "-m", "api.cli", *args], env=env, input=stdin, capture_output=True, text=True,
            timeout=600,
        )


@pytest.fixture(scope="session")
def initialised_data_dir(session_init) -> Path:
    """An on-disk store as `mwg-kg init` leaves it: the session's own (tests/conftest.py), copied
    by every test that uses it, so never written to."""
    return session_init.data_dir


@pytest.fixture
def cli(initialised_data_dir, tmp_path) -> Cli:
    """The CLI on a private copy of an initialised store."""
    copy = tmp_path / "data"
    shutil.copytree(initialised_data_dir, copy)
    return Cli(copy)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A real `mwg-kg serve` process; its output goes to `log`."""

    base: str
    log: Path
    process: subprocess.Popen

    def sparql(self, query: str, **kwargs) -> httpx.Response:
        return httpx.post(self.base + "/sparql", data={"query": query}, timeout=30, **kwargs)

    def update(self, text: str, *, token: str | None = TOKEN, headers: dict | None = None, **kwargs) -> httpx.Response:
        headers = {"Content-Type": "application/sparql-update", **(headers or {})}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.post(self.base + "/update", content=text.encode(), headers=headers, timeout=60, **kwargs)

    def ask(self, query: str) -> bool:
        answer = self.sparql(query, headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200, answer.text
        return answer.json()["boolean"]

    def triples(self) -> int:
        return httpx.get(self.base + "/health", timeout=10).json()["triples"]


def start_server(initialised_data_dir: Path, folder: Path, settings: dict[str, str]) -> Iterator[Server]:
    """`mwg-kg serve` on a copy of the initialised store, with `MWG_KG_*` settings; stopped after."""
    data_dir = folder / "data"
    shutil.copytree(initialised_data_dir, data_dir)
    log = folder / "server.log"
    port = free_port()
    env = {**os.environ, "MWG_KG_DATA_DIR": str(data_dir), **settings}
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", log, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(server.base + "/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("the server did not start: " + log.read_text())
    yield server
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def server(initialised_data_dir, tmp_path_factory) -> Iterator[str]:
    """`mwg-kg serve` on a copy of the initialised store, with default settings; yields its base URL."""
    for started in start_server(initialised_data_dir, tmp_path_factory.mktemp("served"), {"MWG_KG_MAX_ROWS": "500"}):
        yield started.base


@pytest.fixture(scope="session")
def guarded(initialised_data_dir, tmp_path_factory) -> Iterator[Server]:
    """`mwg-kg serve` with a 2 s query limit, 2 workers, an update token and small size limits."""
    yield from start_server(initialised_data_dir, tmp_path_factory.mktemp("guarded"), {
        "MWG_KG_QUERY_TIMEOUT": str(QUERY_LIMIT_SECONDS),
        "MWG_KG_MAX_CONCURRENT_QUERIES": "2",
        "MWG_KG_QUERY_QUEUE_SECONDS": "0.3",
        "MWG_KG_UPDATE_TOKEN": TOKEN,
        "MWG_KG_MAX_REQUEST_BYTES": str(MAX_REQUEST_BYTES),
        "MWG_KG_MAX_QUERY_LENGTH": str(MAX_QUERY_LENGTH),
    })
