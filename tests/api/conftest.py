"""A real on-disk store made by the real CLI, and a real HTTP server over it."""

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
def initialised_data_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("store") / "data"
    result = Cli(data_dir).run("init")
    assert result.returncode == 0, result.stderr
    return data_dir


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


@pytest.fixture(scope="session")
def server(initialised_data_dir, tmp_path_factory) -> Iterator[str]:
    """`mwg-kg serve` on a copy of the initialised store; yields its base URL."""
    data_dir = tmp_path_factory.mktemp("served") / "data"
    shutil.copytree(initialised_data_dir, data_dir)
    port = free_port()
    env = {**os.environ, "MWG_KG_DATA_DIR": str(data_dir), "MWG_KG_MAX_ROWS": "500"}
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("the server did not start: " + process.stdout.read().decode())
    yield base
    process.terminate()
    process.wait(timeout=10)
