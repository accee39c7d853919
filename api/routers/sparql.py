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
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple
from starlette.concurrency import run_in_threadpool

from api.errors import error_body
from api.negotiation import (
    GRAPH_FORMATS,
    RESULTS_FORMATS,
    Format,
    by_name,
    choose,
    format_names,
    offered,
    prefers_html,
)
from kg import __version__
from kg.errors import InputError
from kg.query_library import XSD
from kg.results import QueryAnswer, jsonld_context, to_csv, to_jsonld, to_rdf, to_sparql_json, to_sparql_xml, to_tsv

router = APIRouter()

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
EDITOR_PAGE = Path(__file__).resolve().parents[1] / "static" / "editor" / "index.html"
# The editor talks to this server only; the browser enforces it.
EDITOR_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

RESULTS_WRITERS = {"json": to_sparql_json, "xml": to_sparql_xml, "csv": to_csv, "tsv": to_tsv}
RDF_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "rdfxml": RdfFormat.RDF_XML,
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
}

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


class NotAcceptable(Exception):
    """No format the client accepts fits the answer."""

    def __init__(self, formats: tuple[Format, ...]):
        super().__init__("none of the media types in Accept (or the format parameter) fits this answer")
        self.formats = formats


def not_acceptable(error: NotAcceptable) -> JSONResponse:
    media_types = offered(error.formats)
    message = f"{error}; offered: {', '.join(media_types)}"
    return JSONResponse(
        error_body("not_acceptable", message, offered=media_types,
                   formats=[fmt.name for fmt in error.formats]),
        status_code=406,
        headers={"Vary": "Accept"},
    )


def negotiate(formats: tuple[Format, ...], *, accept: str | None, format_name: str | None) -> Format:
    """The format asked for by the `format` parameter, else by `Accept`; NotAcceptable if none fits."""
    if format_name:
        chosen = by_name(formats, format_name)
    else:
        chosen = choose(formats, accept=accept)
    if chosen is None:
        raise NotAcceptable(formats)
    return chosen


def render(answer: QueryAnswer, fmt: Format, *, context_url: str) -> Response:
    headers = {"X-MWG-Truncated": "true" if answer.truncated else "false", "Vary": "Accept"}
    if fmt.name in RESULTS_WRITERS:
        body: str | bytes = RESULTS_WRITERS[fmt.name](answer)
    elif fmt.name == "jsonld":
        try:
            body = to_jsonld(answer, context_url=context_url)
        except ValueError as error:
            raise InputError(str(error)) from None
    else:
        body = to_rdf(answer, RDF_FORMATS[fmt.name])
    charset = "; charset=utf-8" if fmt.media_type.startswith("text/") else ""
    return Response(body, media_type=fmt.media_type + charset, headers=headers)


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
    limit = request.app.state.store.settings.max_query_length
    body = await request.body()
    if len(body) > 4 * limit:
        raise InputError(f"the request body is larger than {4 * limit:,} bytes")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
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
        Triple(service, sd("resultFormat"), NamedNode(fmt.format_iri)) for fmt in (*RESULTS_FORMATS, *GRAPH_FORMATS)
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
    try:
        params = await read_request(request)
        format_name = params.first("format")
        if format_name and format_name.strip().lower() not in format_names():
            raise InputError(f"unknown format '{format_name}'; use one of: {', '.join(format_names())}")
        if params.query is None and request.method == "GET":
            if not format_name and prefers_html(accept, over=(*RESULTS_FORMATS, *GRAPH_FORMATS)):
                return FileResponse(
                    EDITOR_PAGE,
                    media_type="text/html; charset=utf-8",
                    headers={"Vary": "Accept", "Content-Security-Policy": EDITOR_SECURITY_POLICY},
                )
            fmt = negotiate(GRAPH_FORMATS, accept=accept, format_name=format_name)
            return render(service_description(request), fmt, context_url=context_url(request))
        if not params.query:
            raise InputError("no query: pass it as the 'query' parameter")
        if not format_name and choose((*RESULTS_FORMATS, *GRAPH_FORMATS), accept=accept) is None:
            raise NotAcceptable((*RESULTS_FORMATS, *GRAPH_FORMATS))
        store = request.app.state.store
        answer = await run_in_threadpool(store.query, params.query, **dataset(params))
        formats = GRAPH_FORMATS if answer.form == "graph" else RESULTS_FORMATS
        fmt = negotiate(formats, accept=accept, format_name=format_name)
        return render(answer, fmt, context_url=context_url(request))
    except NotAcceptable as error:
        return not_acceptable(error)


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
