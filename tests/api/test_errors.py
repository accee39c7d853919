"""The one error path, over real HTTP: every error kind, and every route, in JSON and in HTML.

A client that names HTML (a browser) gets an HTML page with the status as its title; anyone else
gets `{"error": {"type", "message", …}}`. Both carry `Vary: Accept`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from api.app import create_app
from kg.store import GraphStore
from tests.api.conftest import CARTESIAN, TOKEN, Server

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JSON_CLIENT = "application/json"
PERU = "https://w3id.org/mwg/id/state/PER"
BREAKS_THE_SHAPES = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    f"DELETE WHERE {{ GRAPH ?g {{ <{PERU}> skos:prefLabel ?name }} }}"
)


@dataclass(frozen=True)
class Servers:
    plain: str  # default settings: updates off
    guarded: Server  # an update token, two workers, a 2 s time limit, small bodies


Send = Callable[[Servers, str], httpx.Response]


@dataclass(frozen=True)
class Case:
    """A request (given the servers and an Accept header) that must fail with `status` and `type`."""

    status: int
    type: str
    send: Send
    modes: tuple[str, ...] = ("json", "html")


def get(path: str, *, accept: str | None = None, **params: str) -> Send:
    return lambda servers, client: httpx.get(servers.plain + path, params=params, headers={"Accept": accept or client})


def update(text: str, *, token: str | None, on: str) -> Send:
    def send(servers: Servers, accept: str) -> httpx.Response:
        headers = {"Accept": accept, "Content-Type": "application/sparql-update"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        base = servers.guarded.base if on == "guarded" else servers.plain
        return httpx.post(base + "/update", content=text.encode(), headers=headers, timeout=60)
    return send


CASES = {
    "400 query syntax": Case(400, "query_syntax", get("/sparql", query="SELEKT * WHERE {}")),
    "400 unknown format": Case(400, "bad_input", get("/sparql", query="ASK {}", format="png")),
    "400 graph store without a graph": Case(400, "bad_input", get("/rdf-graphs")),
    "401 no token": Case(401, "unauthorized", update("CLEAR ALL", token=None, on="guarded")),
    "403 updates off": Case(403, "updates_disabled", update("CLEAR ALL", token="anything", on="plain")),
    "404 unknown path": Case(404, "not_found", get("/nope")),
    "404 unknown resource": Case(404, "not_found", get("/doc/state/ZZZ")),  # no State has this code
    "404 unknown graph": Case(404, "not_found", get("/rdf-graphs", graph="https://w3id.org/mwg/graph/none")),
    "404 unknown editor file": Case(404, "not_found", get("/static/editor/none.js")),
    "405 DELETE /sparql": Case(405, "method_not_allowed",
                               lambda servers, accept: httpx.delete(servers.plain + "/sparql", headers={"Accept": accept})),
    # HTML is no answer to a query: a browser asking for it gets the 406 as a page.
    "406 nothing acceptable to a browser": Case(406, "not_acceptable", get("/sparql", accept="text/html", query="ASK {}"),
                                                modes=("html",)),
    "406 nothing acceptable": Case(406, "not_acceptable", get("/sparql", accept="image/png", query="ASK {}"),
                                   modes=("json",)),
    "413 query body too large": Case(413, "too_large", lambda servers, accept: httpx.post(
        servers.plain + "/sparql", content=b"x" * 400_001,
        headers={"Accept": accept, "Content-Type": "application/sparql-query"})),
    "413 update body too large": Case(413, "too_large", update("#" * 100_001, token=TOKEN, on="guarded")),
    "422 update breaks the shapes": Case(422, "validation_failed", update(BREAKS_THE_SHAPES, token=TOKEN, on="guarded")),
}
MODES = {"json": JSON_CLIENT, "html": BROWSER}


@pytest.fixture(scope="module")
def servers(server, guarded) -> Servers:
    return Servers(server, guarded)


def check_error(response: httpx.Response, *, status: int, kind: str, mode: str) -> None:
    assert response.status_code == status, response.text
    assert "Accept" in response.headers.get("vary", "")
    if mode == "html":
        assert response.headers["content-type"].startswith("text/html")
        assert re.search(r"<p class=\"kind\">Error " + str(status) + "</p>", response.text)
        assert re.search(r"<h1>[^<]+</h1>", response.text)
    else:
        assert response.headers["content-type"].startswith("application/json")
        error = response.json()["error"]
        assert error["type"] == kind and error["message"]


@pytest.mark.parametrize("name, mode", [(name, mode) for name, case in CASES.items() for mode in case.modes])
def test_every_error_kind_in_json_and_html(servers, name, mode):
    case = CASES[name]
    response = case.send(servers, MODES[mode])
    check_error(response, status=case.status, kind=case.type, mode=mode)


def test_error_details_survive_in_both_forms(servers):
    json_answer = CASES["422 update breaks the shapes"].send(servers, JSON_CLIENT).json()["error"]
    assert json_answer["violations"] and json_answer["violations"][0]["focus_node"] == PERU
    page = CASES["422 update breaks the shapes"].send(servers, BROWSER).text
    assert f"<code>{PERU}</code>" in page
    offered = CASES["406 nothing acceptable"].send(servers, JSON_CLIENT).json()["error"]["offered"]
    assert offered[0] == "application/sparql-results+json"
    not_allowed = CASES["405 DELETE /sparql"].send(servers, JSON_CLIENT)
    assert set(not_allowed.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    unauthorised = CASES["401 no token"].send(servers, BROWSER)
    assert unauthorised.headers["www-authenticate"].startswith("Bearer")


def test_busy_workers_and_the_time_limit_in_json_and_html(guarded):
    """Two runaway queries fill both workers (429 for the next), then hit the limit (503)."""
    runaways: dict[str, httpx.Response] = {}

    def run(mode: str) -> None:
        runaways[mode] = httpx.post(guarded.base + "/sparql", data={"query": CARTESIAN},
                                    headers={"Accept": MODES[mode]}, timeout=30)

    threads = [threading.Thread(target=run, args=(mode,)) for mode in MODES]
    for thread in threads:
        thread.start()
    threading.Event().wait(0.5)
    refused = {mode: httpx.post(guarded.base + "/sparql", data={"query": "ASK {}"},
                                headers={"Accept": accept}, timeout=30) for mode, accept in MODES.items()}
    for thread in threads:
        thread.join()
    for mode in MODES:
        check_error(refused[mode], status=429, kind="too_many_queries", mode=mode)
        assert int(refused[mode].headers["retry-after"]) >= 1
        check_error(runaways[mode], status=503, kind="query_timeout", mode=mode)


def route_paths() -> list[tuple[str, set[str]]]:
    app = create_app(store=GraphStore.in_memory())
    return sorted((path, {method.upper() for method in item}) for path, item in app.openapi()["paths"].items())


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("path, methods", route_paths(), ids=[path for path, _ in route_paths()])
def test_every_route_refuses_a_method_it_lacks_in_the_one_shape(server, path, methods, mode):
    method = next(m for m in ("PUT", "PATCH", "DELETE") if m not in methods)
    url = server + re.sub(r"\{path(:path)?\}", "state/PER", path)
    response = httpx.request(method, url, headers={"Accept": MODES[mode]})
    check_error(response, status=405, kind="method_not_allowed", mode=mode)
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= methods
