"""`/sparql`: the SPARQL 1.1 Protocol (query operation), its service description and editor page.

- query by GET, form POST or direct POST (https://www.w3.org/TR/sparql11-protocol/#query-operation),
  with `default-graph-uri` / `named-graph-uri` (they override the query's FROM / FROM NAMED);
- the answer's format by `Accept` (q-values) or a `format` parameter (`api.negotiation`);
- GET without a query: the query editor for a browser, else the service description
  (https://www.w3.org/TR/sparql11-service-description/);
- `/context.jsonld`: the JSON-LD context that compact JSON-LD answers reference;
- `/queries`: the named example queries of `queries/`, for the editor.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from starlette.concurrency import run_in_threadpool

from api.negotiation import negotiate, prefers_html
from api.request_body import media_type_of, read_body
from kg import __version__
from kg.errors import InputError
from kg.formats import GRAPH_FORMATS, RESULTS_FORMATS, Format, jsonld_context
from kg.query_library import XSD
from kg.results import QueryAnswer

router = APIRouter()

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
EDITOR_PAGE = Path(__file__).resolve().parents[1] / "static" / "editor" / "index.html"
# The editor talks to this server only; the browser enforces it.
EDITOR_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ANSWER_FORMATS = (*RESULTS_FORMATS, *GRAPH_FORMATS)
# Percent-encoding in a form can triple a query's length.
FORM_OVERHEAD = 4

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def answer_response(answer: QueryAnswer, fmt: Format, *, context_url: str) -> Response:
    headers = {"X-MWG-Truncated": "true" if answer.truncated else "false", "Vary": "Accept"}
    return Response(fmt.write(answer, context_url=context_url), media_type=fmt.media_type, headers=headers)


class ProtocolRequest:
    """The parameters of one protocol request, wherever the protocol puts them."""

    def __init__(self, query: str | None, fields: list[tuple[str, str]]):
        self.query = query
        self.fields = fields

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.fields if key == name]

    def first(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None


async def read_request(request: Request) -> ProtocolRequest:
    """Query and parameters from the URL (GET, direct POST) or the form body (form POST)."""
    url_fields = list(request.query_params.multi_items())
    if request.method == "GET":
        return ProtocolRequest(request.query_params.get("query"), url_fields)
    body = await read_body(request, limit=FORM_OVERHEAD * request.app.state.store.settings.max_query_length)
    content_type = media_type_of(request)
    text = body.decode("utf-8", errors="replace")
    if content_type == QUERY_TYPE:
        return ProtocolRequest(text, url_fields)
    if content_type == FORM_TYPE:
        form_fields = parse_qsl(text, keep_blank_values=True)
        if any(key == "update" for key, _ in form_fields):
            raise InputError("updates are not accepted at /sparql")
        query = next((value for key, value in form_fields if key == "query"), None)
        return ProtocolRequest(query, form_fields + url_fields)
    raise InputError(f"POST a query as {QUERY_TYPE} or as a {FORM_TYPE} form with a 'query' field")


def graph_iris(values: list[str], *, parameter: str) -> list[str]:
    for value in values:
        try:
            NamedNode(value)
        except ValueError:
            raise InputError(f"{parameter} '{value}' is not an absolute IRI") from None
    return values


def dataset(params: ProtocolRequest) -> dict:
    """The RDF dataset the protocol parameters ask for (none: the union of all graphs)."""
    defaults = graph_iris(params.all("default-graph-uri"), parameter="default-graph-uri")
    named = graph_iris(params.all("named-graph-uri"), parameter="named-graph-uri")
    if not defaults and not named:
        return {}
    return {"default_graphs": defaults, "named_graphs": named}


def service_description(request: Request) -> QueryAnswer:
    """The SPARQL 1.1 Service Description of this endpoint, as triples."""
    service = BlankNode()
    data_set = BlankNode()
    default_graph = BlankNode()

    def sd(name: str) -> NamedNode:
        return NamedNode(SD + name)

    endpoint = NamedNode(str(request.url_for("sparql")))
    triples = [
        Triple(service, RDF_TYPE, sd("Service")),
        Triple(service, sd("endpoint"), endpoint),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("defaultEntailmentRegime"), NamedNode("http://www.w3.org/ns/entailment/Simple")),
        Triple(service, NamedNode("http://purl.org/dc/terms/title"), Literal("MWG Knowledge Graph", language="en")),
        Triple(service, NamedNode("http://www.w3.org/2002/07/owl#versionInfo"), Literal(__version__)),
        Triple(service, sd("defaultDataset"), data_set),
        Triple(data_set, RDF_TYPE, sd("Dataset")),
        Triple(data_set, sd("defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, sd("Graph")),
    ]
    triples += [
        Triple(service, sd("resultFormat"), NamedNode(fmt.format_iri)) for fmt in ANSWER_FORMATS
    ]
    for name in request.app.state.store.graph_names():
        named_graph = BlankNode()
        triples += [
            Triple(data_set, sd("namedGraph"), named_graph),
            Triple(named_graph, RDF_TYPE, sd("NamedGraph")),
            Triple(named_graph, sd("name"), NamedNode(name)),
        ]
    return QueryAnswer(form="graph", triples=triples)


def context_url(request: Request) -> str:
    return str(request.url_for("jsonld_context"))


async def sparql(request: Request) -> Response:
    accept = request.headers.get("accept")
    params = await read_request(request)
    format_name = params.first("format")
    if format_name and format_name.strip().lower() not in {fmt.name for fmt in ANSWER_FORMATS}:
        raise InputError(f"unknown format '{format_name}'; use one of: {', '.join(f.name for f in ANSWER_FORMATS)}")
    if params.query is None and request.method == "GET":
        if not format_name and prefers_html(accept, over=ANSWER_FORMATS):
            return FileResponse(
                EDITOR_PAGE,
                media_type="text/html; charset=utf-8",
                headers={"Vary": "Accept", "Content-Security-Policy": EDITOR_SECURITY_POLICY},
            )
        fmt = negotiate(GRAPH_FORMATS, accept=accept, format_name=format_name)
        return answer_response(service_description(request), fmt, context_url=context_url(request))
    if not params.query:
        raise InputError("no query: pass it as the 'query' parameter")
    if not format_name:
        # Refuse before evaluating when nothing at all would fit.
        negotiate(ANSWER_FORMATS, accept=accept)
    store = request.app.state.store
    answer = await run_in_threadpool(store.query, params.query, **dataset(params))
    fmt = negotiate(GRAPH_FORMATS if answer.form == "graph" else RESULTS_FORMATS, accept=accept, format_name=format_name)
    return answer_response(answer, fmt, context_url=context_url(request))


# One route per method, so that each has its own OpenAPI operation; `url_for("sparql")` is the GET.
router.add_api_route("/sparql", sparql, methods=["GET"], name="sparql",
                     summary="SPARQL 1.1 query; without a query: the editor page or the service description")
router.add_api_route("/sparql", sparql, methods=["POST"], name="sparql_post",
                     summary="SPARQL 1.1 query by form or direct POST")


@router.get("/context.jsonld", name="jsonld_context", summary="The JSON-LD context of compact JSON-LD answers")
def context() -> Response:
    return JSONResponse(jsonld_context(), media_type="application/ld+json")


@router.get("/queries", summary="The named example queries (name, summary, parameters, SPARQL text)")
def queries(request: Request) -> dict:
    library = request.app.state.store.queries
    return {
        "queries": [
            {
                "name": query.name,
                "summary": query.summary,
                "description": query.description,
                "parameters": [
                    {"name": p.name, "type": p.type, "description": p.description, "required": p.required,
                     "datatype": XSD + p.type if p.type in ("integer", "date") else None}
                    for p in query.parameters
                ],
                "query": query.text,
            }
            for query in library.queries.values()
        ]
    }
