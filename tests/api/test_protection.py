"""The public endpoint under attack: outbound requests, runaway queries, and the update token.

Everything runs against a real `mwg-kg serve` in its own process (so a crash is a failure, not a
dead test run), with a 2 s query limit, two query workers and an update token.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.api.conftest import (
    CARTESIAN,
    MAX_QUERY_LENGTH,
    MAX_REQUEST_BYTES,
    QUERY_LIMIT_SECONDS,
    TOKEN,
    Server,
)

STOP_MARGIN_SECONDS = 1.5
PERU = "https://w3id.org/mwg/id/state/PER"
TEST_GRAPH = "https://w3id.org/mwg/graph/test/update"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass
class Canary:
    """A listener on 127.0.0.1 that counts the connections it receives."""

    port: int
    connections: list[float] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    found = Canary(listener.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            found.connections.append(time.monotonic())
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield found
    stop.set()
    thread.join()
    listener.close()


def assert_alive(server: Server) -> None:
    assert server.process.poll() is None, "the server process died"
    assert httpx.get(server.base + "/health", timeout=5).status_code == 200


# -- no outbound connection ----------------------------------------------------------------


def test_the_canary_sees_what_pyoxigraph_would_do_without_the_guard(canary):
    """Control: the engine itself does call a SERVICE, and the canary notices (in a subprocess)."""
    before = len(canary.connections)
    script = textwrap.dedent(f"""
        import pyoxigraph
        try:
            list(pyoxigraph.Store().query("SELECT * WHERE {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}"))
        except Exception:
            pass
    """)
    subprocess.run([sys.executable, "-c", script], timeout=30, check=False)
    deadline = time.monotonic() + 5
    while len(canary.connections) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(canary.connections) > before
    canary.connections.clear()


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ sErViCe <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\U00000053ervice <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}/> {{ ?s ?p ?x }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}/> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ BIND(<{url}/> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}/> }} SERVICE SILENT ?e {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE<{url}/>{{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{\nSERVICE#comment\n<{url}/> {{ ?s ?p ?o }} }}",
        # Spellings that once slipped past the scan: a comment or string where the parser sees none,
        # and a keyword glued to a number.
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ex:a\\#b ?x }} SERVICE <{url}/> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ex:a\\'b ?x }} SERVICE <{url}/> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ?p """a\\"""" }} SERVICE <{url}/> {{ ?s ?p ?o }} FILTER("") }}',
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ?p 1e5SERVICE <{url}/> {{ ?s ?p ?o }} }} }}",
        f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"PREFIX c: <{url}/> SELECT * FROM c:data WHERE {{ ?s ?p ?o }}",
    ]


def hostile_updates(url: str) -> list[str]:
    return [
        f"LOAD <{url}/data.ttl>",
        f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <{TEST_GRAPH}>",
        f"load <{url}/data.ttl>",
        f"\\u004cOAD <{url}/data.ttl>",
        "LOAD <file:///etc/passwd>",
        f"INSERT {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}",
        f"DELETE {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <{url}/> {{ ?s ?p ?o }} }}",
        f"INSERT DATA {{ <{PERU}> <{SKOS}note> \"x\" }} ; LOAD <{url}/more.ttl>",
    ]


def test_no_query_or_update_makes_the_server_connect_out(guarded, canary):
    canary.connections.clear()
    for query in service_queries(canary.url):
        for send in (lambda: guarded.sparql(query),
                     lambda: httpx.get(guarded.base + "/sparql", params={"query": query}, timeout=30)):
            answer = send()
            assert answer.status_code == 400, (query, answer.text)
            assert answer.json()["error"]["type"] == "forbidden_query"
    for update in hostile_updates(canary.url):
        answer = guarded.update(update)
        assert answer.status_code == 400, (update, answer.text)
        assert "not allowed" in answer.json()["error"]["message"]
    # Naming an outside graph in USING or WITH reads the store only (no fetch): allowed, no change.
    for update in (f"DELETE {{ ?s ?p ?o }} USING <{canary.url}/g> WHERE {{ ?s ?p ?o }}",
                   f"WITH <{canary.url}/g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"):
        answer = guarded.update(update)
        assert answer.status_code == 200, (update, answer.text)
        assert answer.json() == {"added": 0, "removed": 0, "graphs": []}
    time.sleep(0.3)
    assert canary.connections == []
    assert_alive(guarded)


# -- runaway queries -----------------------------------------------------------------------


def timed_post(server: Server, query: str, results: dict, key: str) -> None:
    started = time.monotonic()
    answer = server.sparql(query)
    results[key] = (answer, time.monotonic() - started)


def test_a_runaway_query_is_stopped_at_the_limit_while_others_are_answered(guarded):
    results: dict = {}
    runaway = threading.Thread(target=timed_post, args=(guarded, CARTESIAN, results, "runaway"))
    runaway.start()
    time.sleep(0.5)
    timed_post(guarded, "ASK { ?s a <https://w3id.org/mwg/ontology#State> }", results, "simple")
    runaway.join()
    answer, stopped_after = results["runaway"]
    simple, simple_seconds = results["simple"]
    print(f"\ncartesian COUNT stopped after {stopped_after:.2f} s (limit {QUERY_LIMIT_SECONDS:g} s); "
          f"a simple query sent meanwhile took {simple_seconds * 1000:.0f} ms")
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"]["type"] == "query_timeout"
    assert "time limit" in answer.json()["error"]["message"]
    assert QUERY_LIMIT_SECONDS - 0.1 <= stopped_after <= QUERY_LIMIT_SECONDS + STOP_MARGIN_SECONDS
    assert simple.status_code == 200 and simple.json()["boolean"] is True
    assert simple_seconds < 1.0
    assert_alive(guarded)
    assert guarded.ask("ASK { ?s ?p ?o }") is True


def test_beyond_the_worker_cap_a_query_gets_429_with_retry_after(guarded):
    results: dict = {}
    runaways = [threading.Thread(target=timed_post, args=(guarded, CARTESIAN, results, f"runaway{i}"))
                for i in range(2)]
    for thread in runaways:
        thread.start()
    time.sleep(0.5)
    refused = guarded.sparql("ASK { ?s ?p ?o }")
    for thread in runaways:
        thread.join()
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"]["type"] == "too_many_queries"
    assert 1 <= int(refused.headers["Retry-After"]) <= QUERY_LIMIT_SECONDS
    assert [results[f"runaway{i}"][0].status_code for i in range(2)] == [503, 503]
    assert guarded.ask("ASK { ?s ?p ?o }") is True


def test_an_overlong_query_is_refused_by_size(guarded):
    padding = " " * MAX_QUERY_LENGTH
    answer = guarded.sparql("ASK { ?s ?p ?o }" + padding)
    assert answer.status_code == 413
    assert answer.json()["error"]["type"] == "too_large"


# -- updates -------------------------------------------------------------------------------


def test_updates_are_off_without_a_token(server):
    answer = httpx.post(server + "/update", content=b"INSERT DATA { <http://e/s> <http://e/p> 1 }",
                        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer x"})
    assert answer.status_code == 403
    assert "MWG_KG_UPDATE_TOKEN" in answer.json()["error"]["message"]


VALID_UPDATE = f'INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <{PERU}> <{SKOS}altLabel> "República del Perú (prueba)"@es }} }}'
ASK_VALID = f'ASK {{ <{PERU}> <{SKOS}altLabel> "República del Perú (prueba)"@es }}'


@pytest.mark.parametrize(
    "how",
    ["no token", "wrong token", "wrong scheme", "token in the URL", "token in the URL and the header"],
)
def test_an_update_without_the_right_bearer_token_is_401(guarded, how):
    before = guarded.triples()
    if how == "no token":
        answer = guarded.update(VALID_UPDATE, token=None)
    elif how == "wrong token":
        answer = guarded.update(VALID_UPDATE, token=TOKEN[:-1] + "X")
    elif how == "wrong scheme":
        answer = guarded.update(VALID_UPDATE, token=None, headers={"Authorization": f"Basic {TOKEN}"})
    elif how == "token in the URL":
        answer = guarded.update(VALID_UPDATE, token=None, params={"access_token": TOKEN})
    else:
        answer = guarded.update(VALID_UPDATE, params={"access_token": TOKEN})
    assert answer.status_code == 401
    assert answer.json()["error"]["type"] == "unauthorized"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert guarded.triples() == before


def test_401_comes_before_the_body_is_read(guarded):
    """Headers announcing 50 MB and no body: the answer comes at once, not after a read timeout."""
    host, port = guarded.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(
            b"POST /update HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-update\r\n"
            b"Content-Length: 50000000\r\n\r\nINSERT"
        )
        reply = connection.recv(4096)
    assert reply.startswith(b"HTTP/1.1 401")


def test_a_body_over_the_limit_is_413(guarded):
    text = f'INSERT DATA {{ <{PERU}> <{SKOS}note> "{"x" * MAX_REQUEST_BYTES}"@en }}'
    answer = guarded.update(text)
    assert answer.status_code == 413
    assert answer.json()["error"]["type"] == "too_large"


def test_a_valid_update_with_the_token_changes_the_data(guarded):
    assert guarded.ask(ASK_VALID) is False
    answer = guarded.update(VALID_UPDATE)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"added": 1, "removed": 0, "graphs": [TEST_GRAPH]}
    # The next query reads a fresh checkpoint of the store.
    assert guarded.ask(ASK_VALID) is True
    form = httpx.post(
        guarded.base + "/update",
        data={"update": f"DELETE DATA {{ GRAPH <{TEST_GRAPH}> {{ <{PERU}> <{SKOS}altLabel> "
                        '"República del Perú (prueba)"@es } }'},
        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60,
    )
    assert form.status_code == 200, form.text
    assert form.json()["removed"] == 1
    assert guarded.ask(ASK_VALID) is False


@pytest.mark.parametrize(
    "update",
    [
        # A State's other names need a language tag.
        f'INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <{PERU}> <{SKOS}altLabel> "no language" }} }}',
        # A State needs its one English name: deleting it would leave Peru invalid.
        f"DELETE {{ GRAPH ?g {{ <{PERU}> <{SKOS}prefLabel> ?name }} }} "
        f"WHERE {{ GRAPH ?g {{ <{PERU}> <{SKOS}prefLabel> ?name FILTER(lang(?name) = 'en') }} }}",
        # Valid first half, invalid second half: the whole update is refused.
        f"{VALID_UPDATE} ; INSERT DATA {{ <https://w3id.org/mwg/id/state/ZZZ> a <https://w3id.org/mwg/ontology#State> }}",
    ],
)
def test_an_update_that_breaks_the_shapes_is_422_and_changes_nothing(guarded, update):
    count_quads = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = guarded.sparql(count_quads).json()["results"]["bindings"]
    answer = guarded.update(update)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["violations"]
    assert guarded.sparql(count_quads).json()["results"]["bindings"] == before
    assert guarded.ask(f'ASK {{ <{PERU}> <{SKOS}prefLabel> "Peru"@en }}') is True
    assert guarded.ask("ASK { <https://w3id.org/mwg/id/state/ZZZ> ?p ?o }") is False
    assert guarded.ask(ASK_VALID) is False


def test_a_bad_update_is_400_with_the_parser_message(guarded):
    answer = guarded.update("INSERT DAT { <http://e/s> <http://e/p> 1 }")
    assert answer.status_code == 400
    assert answer.json()["error"]["type"] == "query_syntax"


def test_the_token_never_reaches_the_log(guarded):
    guarded.update(VALID_UPDATE, token=None, params={"access_token": TOKEN})
    httpx.get(guarded.base + "/health", params={"access_token": TOKEN}, timeout=5)
    time.sleep(0.3)
    log = guarded.log.read_text(errors="replace")
    assert '"POST /update HTTP/1.1" 401' in log  # the access log is on...
    assert TOKEN not in log  # ...and holds no token
    assert "access_token" not in log
