"""The query editor page at /sparql: served to browsers, local assets only, examples that run."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from kg.paths import bundled_dir

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
# What editor.js sends when it runs a query.
EDITOR_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
ANY_URL = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+")


class References(HTMLParser):
    """Every URL an HTML page makes the browser load or navigate to."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster", "data") and value:
                self.urls.append(value)


def editor_page(server: str) -> httpx.Response:
    return httpx.get(server + "/sparql", headers={"accept": BROWSER_ACCEPT})


def test_a_browser_gets_the_editor_page(server):
    page = editor_page(server)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "accept" in page.headers["vary"].lower()
    assert '<textarea id="query"' in page.text
    policy = page.headers["content-security-policy"]
    assert "connect-src 'self'" in policy and "default-src 'none'" in policy
    # Data clients still get data: curl's */* and an explicit RDF type get the service description.
    assert httpx.get(server + "/sparql").headers["content-type"].startswith("text/turtle")
    rdf_first = httpx.get(server + "/sparql", headers={"accept": "text/turtle, text/html;q=0.5"})
    assert rdf_first.headers["content-type"].startswith("text/turtle")


def test_the_page_loads_only_local_assets(server):
    page = editor_page(server)
    parser = References()
    parser.feed(page.text)
    assert parser.urls, "the page references its script and style sheet"
    served = {server + "/sparql": page.text}
    for url in parser.urls:
        absolute = urljoin(server + "/sparql", url)
        assert urlsplit(absolute).netloc == urlsplit(server).netloc, url
        asset = httpx.get(absolute)
        assert asset.status_code == 200, url
        served[absolute] = asset.text
    assert any(url.endswith(".js") for url in served) and any(url.endswith(".css") for url in served)
    for url, text in served.items():
        assert ANY_URL.findall(text) == [], f"{url} names another host"
    script = next(text for url, text in served.items() if url.endswith(".js"))
    # The script talks to this service only, by relative URLs.
    assert re.findall(r'const (?:ENDPOINT|QUERIES) = "([^"]+)"', script) == ["sparql", "queries"]


def test_every_example_query_runs_as_the_editor_runs_it(server):
    examples = httpx.get(server + "/queries").json()["queries"]
    assert len(examples) >= 5
    assert sorted(example["name"] for example in examples) == sorted(
        path.stem for path in bundled_dir("queries").glob("*.rq"))  # every query of queries/
    for example in examples:
        assert example["summary"], example["name"]
        response = httpx.post(server + "/sparql", data={"query": example["query"]},
                              headers={"accept": EDITOR_ACCEPT}, timeout=60)
        assert response.status_code == 200, (example["name"], response.text)
        assert response.headers["content-type"].split(";")[0] in (
            "application/sparql-results+json", "text/turtle")


def test_a_parameter_bound_by_the_editors_values_clause(server):
    """editor.js appends `VALUES ?name { term }` for a filled-in parameter."""
    example = next(q for q in httpx.get(server + "/queries").json()["queries"] if q["name"] == "state-treaties")
    query = example["query"] + '\nVALUES ?iso3 { "PER" }'
    rows = httpx.post(server + "/sparql", data={"query": query}).json()["results"]["bindings"]
    assert rows and {row["iso3"]["value"] for row in rows if "iso3" in row} <= {"PER"}


NODE_CHECK = r"""
const vm = require("vm"), fs = require("fs");
const context = {document: {addEventListener() {}, getElementById() { return null; }}};
vm.createContext(context);
vm.runInContext(fs.readFileSync(process.env.EDITOR_JS, "utf8"), context);
const term = vm.runInContext("sparqlTerm", context);
let refused = false;
try { term("http:/x/a b", "iri", ""); } catch (error) { refused = true; }
console.log(JSON.stringify([term('P"E\nR', "string", ""), term("2020-01-02", "date", "D"), term("12", "integer", ""),
                            refused]));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_editor_escapes_parameter_values():
    """The VALUES terms editor.js writes: quotes and newlines escaped, bad IRIs refused."""
    script = Path(__file__).resolve().parents[2] / "api" / "static" / "editor" / "editor.js"
    output = subprocess.run(["node", "-e", NODE_CHECK], capture_output=True, text=True, timeout=30,
                            env={"EDITOR_JS": str(script), "PATH": os.environ.get("PATH", "")})
    assert output.returncode == 0, output.stderr
    assert json.loads(output.stdout) == [r'"P\"E\nR"', '"2020-01-02"^^<D>', "12", True]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (`which chromium` found nothing)")
def test_the_page_runs_in_a_headless_browser(server, tmp_path):
    """Chromium with its own calls home turned off: only this server is contacted."""
    dom = subprocess.run(
        ["chromium", "--headless", "--disable-gpu", "--no-sandbox", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path}", "--virtual-time-budget=10000", "--dump-dom", server + "/sparql"],
        capture_output=True, text=True, timeout=60,
    ).stdout
    assert 'value="member-states"' in dom
