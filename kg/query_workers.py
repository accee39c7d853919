"""Killable query workers: SPARQL runs in child processes that are SIGKILLed at their deadline.

pyoxigraph cannot cancel a query in-process: a cartesian `COUNT(*)` or a big `ORDER BY` burns a
core until it ends, whatever the caller does. So the process that owns the read-write store (the
API server) does not evaluate public queries itself; it hands each one to a worker process that
reads a checkpoint of the store (hard links, a few milliseconds) opened read-only. Both ends of
a checkpoint belong to `kg.store`, the one module that touches pyoxigraph's `Store`: the owner
passes the pool a `checkpoint(path)` callable, and the worker opens it with
`kg.store.open_checkpoint`. After every write the owner bumps a generation counter and the next query gets a fresh
checkpoint, so readers see each commit whole or not at all.

At most `size` queries run at once (one per worker); a query that finds every worker busy waits
`queue_seconds`, then is refused with `QueryCapacityError` (HTTP 429 with `Retry-After`). A query
still running at its deadline has its worker killed and replaced, and gets `QueryTimeoutError`.

Wire format (pipes, each message a 4-byte big-endian length then the bytes): the owner sends
one JSON request; the worker answers a JSON header, then a payload: SPARQL 1.1 TSV results for
SELECT (at most `max_rows` rows; terms in N-Triples syntax), N-Triples for CONSTRUCT/DESCRIBE,
nothing for ASK. The owner rebuilds a `QueryAnswer` with pyoxigraph's own parsers.

This module runs as the worker (`python -m kg.query_workers`) and imports nothing heavier than
pyoxigraph there: `kg.store` defers its heavy imports (rdflib, pySHACL, pydantic) for this.
"""

from __future__ import annotations

import json
import math
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KnowledgeGraphError, QueryTimeoutError

_LENGTH = struct.Struct(">I")
_PR_SET_PDEATHSIG = 1


class QueryCapacityError(KnowledgeGraphError):
    """Every query worker is busy; the caller should retry after `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class QueryEngineError(KnowledgeGraphError):
    """A query worker died without answering (not the caller's fault, not a timeout)."""


# -- the worker side -------------------------------------------------------------------------


def parse_term(ntriples: str):
    """An IRI or literal from its N-Triples spelling (how substitutions cross the pipe)."""
    quad = next(iter(ox.parse(f"<urn:s> <urn:p> {ntriples} .", format=ox.RdfFormat.N_TRIPLES)))
    return quad.object


def evaluate(store, request: dict) -> tuple[dict, bytes]:
    """Run one request on `store` (a checkpoint from `kg.store.open_checkpoint`): the reply header
    and payload the owner turns into an answer."""
    options: dict = {}
    if request.get("substitutions"):
        options["substitutions"] = {
            ox.Variable(name): parse_term(term) for name, term in request["substitutions"].items()
        }
    if request.get("default_graph") is not None:
        options["default_graph"] = [ox.NamedNode(iri) for iri in request["default_graph"]]
    elif request.get("union", True):
        options["use_default_graph_as_union"] = True
    if request.get("named_graphs") is not None:
        options["named_graphs"] = [ox.NamedNode(iri) for iri in request["named_graphs"]]
    row_cap = request["max_rows"]
    try:
        result = store.query(request["query"], **options)
        if isinstance(result, ox.QueryBoolean):
            return {"ok": True, "form": "ask", "boolean": bool(result), "truncated": False}, b""
        truncated = False
        if isinstance(result, ox.QuerySolutions):
            # SPARQL TSV: terms in N-Triples syntax, which pyoxigraph writes (and reads) natively.
            lines = ["\t".join(str(variable) for variable in result.variables)]
            for solution in result:
                if len(lines) > row_cap:
                    truncated = True
                    break
                lines.append("\t".join("" if value is None else str(value) for value in solution))
            payload = ("\n".join(lines) + "\n").encode()
            return {"ok": True, "form": "select", "truncated": truncated}, payload
        triples = []
        for triple in result:
            if len(triples) == row_cap:
                truncated = True
                break
            triples.append(triple)
        payload = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return {"ok": True, "form": "graph", "truncated": truncated}, payload
    except SyntaxError as error:
        return {"ok": False, "kind": "syntax", "message": str(error.msg)}, b""
    except (ValueError, RuntimeError, OSError) as error:
        return {"ok": False, "kind": "input", "message": str(error)}, b""


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this worker when the owner dies, so no runaway query outlives it."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(0)


def _read_message(stream) -> bytes | None:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    return stream.read(length)


def _write_message(stream, data: bytes) -> None:
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)


def worker_main(parent: int) -> None:
    """Serve requests from standard input until it closes; answers go to the original stdout."""
    _die_with_parent(parent)
    # Here, not at the top: kg.store imports this module (for the pool).
    from kg.store import open_checkpoint

    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not corrupt the reply stream
    requests = os.fdopen(0, "rb")
    store, opened = None, None
    while (message := _read_message(requests)) is not None:
        request = json.loads(message)
        if request["snapshot"] != opened:
            store, opened = None, None
            try:
                store, opened = open_checkpoint(request["snapshot"]), request["snapshot"]
            except OSError as error:
                failure = {"ok": False, "kind": "engine", "message": f"cannot open the snapshot: {error}"}
        header, payload = evaluate(store, request) if store is not None else (failure, b"")
        _write_message(replies, json.dumps(header).encode())
        _write_message(replies, payload)
        replies.flush()


# -- the owner side ---------------------------------------------------------------------------


@dataclass
class _Worker:
    process: subprocess.Popen
    snapshot: str | None = None
    deadline: float = 0.0

    @classmethod
    def spawn(cls) -> _Worker:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg.query_workers", str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
        )
        return cls(process)

    def send(self, data: bytes) -> None:
        _write_message(self.process.stdin, data)
        self.process.stdin.flush()

    def receive(self, deadline: float) -> bytes | None:
        """One message, or None when the deadline passes first; EOFError if the worker died."""
        header = self._read_exactly(_LENGTH.size, deadline)
        if header is None:
            return None
        return self._read_exactly(_LENGTH.unpack(header)[0], deadline)

    def _read_exactly(self, count: int, deadline: float) -> bytes | None:
        descriptor = self.process.stdout.fileno()
        chunks, remaining = [], count
        while remaining:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([descriptor], [], [], wait)[0]:
                return None
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        try:
            self.process.kill()
        except ProcessLookupError:
            pass
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


@dataclass
class WorkerReply:
    header: dict
    payload: bytes = b""
    elapsed_seconds: float = 0.0


@dataclass
class QueryWorkerPool:
    """`size` worker processes over checkpoints kept in `snapshot_root`; `checkpoint(path)` makes one
    of the store at `path` (hard links; the store's owner supplies it)."""

    checkpoint: Callable[[str], None]
    snapshot_root: Path
    size: int
    queue_seconds: float = 1.0
    _idle: list[_Worker] = field(default_factory=list)
    _busy: list[_Worker] = field(default_factory=list)
    _generation: int = 0
    _snapshot: tuple[int, str] | None = None
    _condition: threading.Condition = field(default_factory=threading.Condition)
    _closed: bool = False
    # Linux sends the parent-death signal when the *thread* that started a child ends, and the
    # server's threadpool retires idle threads: every worker is started from this one thread.
    _spawner: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-worker-spawner")
    )

    def __post_init__(self) -> None:
        shutil.rmtree(self.snapshot_root, ignore_errors=True)
        self.snapshot_root.mkdir(parents=True)
        self._idle = [self._spawn() for _ in range(self.size)]

    def _spawn(self) -> _Worker:
        return self._spawner.submit(_Worker.spawn).result()

    # -- snapshots --------------------------------------------------------------------------

    def store_changed(self) -> None:
        """Call after every commit: the next query reads a fresh checkpoint."""
        with self._condition:
            self._generation += 1

    def _current_snapshot(self, worker: _Worker) -> str:
        """The newest checkpoint, made now if a commit happened since the last; `worker` will read it."""
        with self._condition:
            generation = self._generation
            if self._snapshot and self._snapshot[0] == generation:
                worker.snapshot = self._snapshot[1]
                return worker.snapshot
            # Backed up after reading the generation, so it holds at least that commit.
            path = self.snapshot_root / f"generation-{generation}-{time.monotonic_ns()}"
            self.checkpoint(str(path))
            self._snapshot = (generation, str(path))
            worker.snapshot = str(path)
            self._remove_unused_snapshots()
            return worker.snapshot

    def _remove_unused_snapshots(self) -> None:
        keep = {self._snapshot[1]} | {worker.snapshot for worker in self._busy}
        for path in self.snapshot_root.iterdir():
            if str(path) not in keep:
                shutil.rmtree(path, ignore_errors=True)

    # -- running ----------------------------------------------------------------------------

    def _acquire(self) -> _Worker:
        give_up = time.monotonic() + self.queue_seconds
        with self._condition:
            while not self._idle:
                wait = give_up - time.monotonic()
                if self._closed:
                    raise QueryEngineError("the query workers are shut down")
                if wait <= 0:
                    soonest = min((worker.deadline for worker in self._busy), default=time.monotonic() + 1)
                    retry_after = max(1, math.ceil(soonest - time.monotonic()))
                    raise QueryCapacityError(
                        f"all {self.size} query workers are busy; retry in {retry_after} s",
                        retry_after=retry_after,
                    )
                self._condition.wait(wait)
            worker = self._idle.pop()
            self._busy.append(worker)
            return worker

    def _release(self, worker: _Worker, *, replace: bool) -> None:
        """Give `worker` back; a worker that timed out or died is killed and replaced."""
        if replace:
            worker.kill()
        with self._condition:
            self._busy.remove(worker)
            if self._closed:
                worker.kill()
            else:
                self._idle.append(self._spawn() if replace else worker)
            self._condition.notify()

    def run(self, request: dict, *, timeout: float) -> WorkerReply:
        """Evaluate `request` in a worker; QueryTimeoutError when it runs past `timeout` seconds."""
        worker = self._acquire()
        try:
            snapshot = self._current_snapshot(worker)
        except OSError as error:
            self._release(worker, replace=False)
            raise QueryEngineError(f"cannot make a checkpoint of the store for the query: {error}") from None
        started = time.monotonic()
        worker.deadline = started + timeout
        try:
            worker.send(json.dumps({**request, "snapshot": snapshot}).encode())
            header = worker.receive(worker.deadline)
            payload = worker.receive(worker.deadline) if header is not None else None
        except (EOFError, BrokenPipeError, OSError):
            code = worker.process.poll()
            self._release(worker, replace=True)
            raise QueryEngineError(f"the query engine stopped unexpectedly (exit status {code})") from None
        if header is None or payload is None:
            self._release(worker, replace=True)
            raise QueryTimeoutError(
                f"the query ran past its time limit of {timeout:g} s and was stopped; "
                "narrow it (a LIMIT, more specific patterns) and try again"
            )
        self._release(worker, replace=False)
        return WorkerReply(json.loads(header), payload, time.monotonic() - started)

    def close(self) -> None:
        with self._condition:
            self._closed = True
            workers, self._idle = self._idle + self._busy, []
            self._condition.notify_all()
        for worker in workers:
            worker.kill()
        self._spawner.shutdown(wait=True)
        shutil.rmtree(self.snapshot_root, ignore_errors=True)


def default_pool_size() -> int:
    return os.cpu_count() or 1


if __name__ == "__main__":
    worker_main(int(sys.argv[1]))
