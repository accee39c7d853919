"""Linked data: every IRI we mint dereferences here, in the format the client asks for.

- `/id/<kind>/<key…>` answers **303 See Other** to the document about the thing: to
  `/doc/<kind>/<key…>` for HTML, or to `/doc/<kind>/<key…>.ttl` (`.jsonld`, `.nt`, `.rdf`) for
  an RDF client, chosen by `Accept` (q-values honoured). The thing (a State) is not its
  document, hence the 303 (W3C, "Cool URIs for the Semantic Web", §4.3).
- `/doc/<kind>/<key…>` negotiates too (answering with `Content-Location` of the alternate it
  chose); an extension picks the format outright. Negotiated answers carry `Vary: Accept`.
- `/ontology` is the ontology document (terms like `…/ontology#State` land on its `#State`
  anchor); `/shapes` and `/graph/<name>` lead to the Graph Store Protocol answer for their graph.
- `/rdf-graphs?graph=<IRI>` is SPARQL 1.1 Graph Store Protocol GET (indirect identification).

The server's own URLs are made relative to the request's root, so it works behind any host.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from api.errors import error_body
from api.negotiation import MediaRange, parse_accept
from api.rdf_views import (
    GRAPH_BASE,
    ID_BASE,
    ONTOLOGY_BASE,
    describe,
    ontology_terms,
    resource_exists,
)
from kg.errors import InputError
from kg.namespaces import PREFIXES, graph_iri
from kg.rdf_formats import syntax_named
from kg.store import oxigraph_to_rdflib

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).resolve().parents[1] / "templates")


@dataclass(frozen=True)
class Format:
    """One representation a client may ask for; `media_types[0]` is the one we answer with."""

    name: str
    label: str
    extension: str
    media_types: tuple[str, ...]

    @property
    def media_type(self) -> str:
        return self.media_types[0]


HTML = Format("html", "Web page", ".html", ("text/html", "application/xhtml+xml"))
TURTLE = Format("turtle", "Turtle", ".ttl", ("text/turtle", "application/x-turtle"))
JSON_LD = Format("jsonld", "JSON-LD", ".jsonld", ("application/ld+json", "application/json"))
N_TRIPLES = Format("ntriples", "N-Triples", ".nt", ("application/n-triples", "text/plain"))
RDF_XML = Format("rdfxml", "RDF/XML", ".rdf", ("application/rdf+xml", "application/xml", "text/xml"))
TRIG = Format("trig", "TriG", ".trig", ("application/trig",))
# Server preference order: the first decides ties and answers `*/*` or no Accept at all.
DOCUMENT_FORMATS = (HTML, TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
RDF_FORMATS = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
GRAPH_STORE_FORMATS = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG)
BY_EXTENSION = {fmt.extension: fmt for fmt in DOCUMENT_FORMATS}
# `id:` would turn every instance IRI into `id:state\/PER`; full IRIs read better.
TURTLE_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "id"}


def _quality(fmt: Format, ranges: list[MediaRange]) -> float:
    """q of a format: the range that names one of its media types most specifically decides (so
    that `text/html;q=0, */*` refuses HTML even though `application/xhtml+xml` matches `*/*`)."""
    matches = [(r.specificity, r.q) for media_type in fmt.media_types for r in ranges if r.matches(media_type)]
    return max(matches, default=(-1, 0.0))[1]


def negotiate(accept: str | None, offered: tuple[Format, ...]) -> Format | None:
    """The offered format the client prefers most; ties go to the server's order. None: 406."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for fmt in offered:
        q = _quality(fmt, ranges)
        if q > best_q:
            best, best_q = fmt, q
    return best


def root_of(request: Request) -> str:
    """This server's path prefix (empty unless mounted under one)."""
    return request.scope.get("root_path", "").rstrip("/")


def not_acceptable(offered: tuple[Format, ...]) -> JSONResponse:
    types = ", ".join(fmt.media_type for fmt in offered)
    return JSONResponse(
        error_body("not_acceptable", f"no representation matches Accept; this resource is offered as {types}"),
        status_code=406, headers={"Vary": "Accept"},
    )


def asks_for_html(request: Request) -> bool:
    """Whether the client names HTML itself (a browser), rather than taking it through `*/*`."""
    ranges = parse_accept(request.headers.get("accept", ""))
    return any(f"{r.type}/{r.subtype}" in HTML.media_types and r.q > 0 for r in ranges)


def not_found(request: Request, message: str) -> Response:
    """404 as an HTML page for browsers, the JSON error shape for everyone else."""
    if asks_for_html(request):
        return templates.TemplateResponse(
            request, "not_found.html", {"message": message, "root": root_of(request)}, status_code=404,
            headers={"Vary": "Accept"},
        )
    return JSONResponse(error_body("not_found", message), status_code=404, headers={"Vary": "Accept"})


def serialize(triples, fmt: Format) -> bytes:
    """Triples in an RDF format; JSON-LD is compacted with the project's prefixes as `@context`."""
    if fmt is JSON_LD:
        return oxigraph_to_rdflib(triples).serialize(format="json-ld", context=PREFIXES, auto_compact=True).encode()
    syntax = syntax_named(fmt.name)
    prefixes = TURTLE_PREFIXES if fmt is TURTLE else None
    return ox.serialize(triples, format=syntax.oxigraph_format, prefixes=prefixes)


def alternates(root: str, path: str, formats: tuple[Format, ...]) -> list[dict]:
    return [
        {"label": fmt.label, "media_type": fmt.media_type,
         "href": f"{root}{path}{'' if fmt is HTML else fmt.extension}"}
        for fmt in formats
    ]


def link_header(links: list[dict]) -> str:
    return ", ".join(f'<{link["href"]}>; rel="alternate"; type="{link["media_type"]}"' for link in links)


# -- /id and /doc --------------------------------------------------------------------------

@router.get("/id/{path:path}", summary="Dereference an instance IRI: 303 to its document",
            response_class=Response, status_code=303)
async def dereference(request: Request, path: str) -> Response:
    fmt = negotiate(request.headers.get("accept"), DOCUMENT_FORMATS)
    iri = ID_BASE + path
    if not await run_in_threadpool(resource_exists, request.app.state.store, iri):
        return not_found(request, f"nothing in the graph is called <{iri}>")
    if fmt is None:
        return not_acceptable(DOCUMENT_FORMATS)
    location = f"{root_of(request)}/doc/{quote(path)}{'' if fmt is HTML else fmt.extension}"
    return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})


@router.get("/doc/{path:path}", summary="The document about an instance (HTML, Turtle, JSON-LD, N-Triples, RDF/XML)",
            response_class=Response)
async def document(request: Request, path: str) -> Response:
    store = request.app.state.store
    root = root_of(request)
    key, fmt, negotiated, view = path, None, False, None
    for extension, candidate in BY_EXTENSION.items():
        if path.endswith(extension):
            view = await run_in_threadpool(describe, store, ID_BASE + path[: -len(extension)], root=root)
            if view is not None:
                key, fmt = path[: -len(extension)], candidate
            break
    if view is None:
        view = await run_in_threadpool(describe, store, ID_BASE + path, root=root)
    if fmt is None:
        negotiated = True
        fmt = negotiate(request.headers.get("accept"), DOCUMENT_FORMATS)
    if view is None:
        return not_found(request, f"nothing in the graph is called <{ID_BASE + key}>")
    if fmt is None:
        return not_acceptable(DOCUMENT_FORMATS)
    links = alternates(root, f"/doc/{quote(key)}", DOCUMENT_FORMATS)
    headers = {"Link": link_header(links)}
    if negotiated:
        headers["Vary"] = "Accept"
        headers["Content-Location"] = f"{root}/doc/{quote(key)}{'' if fmt is HTML else fmt.extension}"
    if fmt is HTML:
        return templates.TemplateResponse(
            request, "resource.html",
            {"view": view, "alternates": links[1:], "root": root,
             "sparql_href": f"{root}/sparql?query=" + quote(f"DESCRIBE <{view.iri}>", safe="")},
            headers=headers,
        )
    return Response(serialize(view.triples, fmt), media_type=fmt.media_type, headers=headers)


# -- the ontology --------------------------------------------------------------------------

@router.get("/ontology", summary="The MWG ontology (HTML, Turtle, JSON-LD, N-Triples, RDF/XML)",
            response_class=Response)
async def ontology(request: Request) -> Response:
    fmt = negotiate(request.headers.get("accept"), DOCUMENT_FORMATS)
    if fmt is None:
        return not_acceptable(DOCUMENT_FORMATS)
    return await _ontology_answer(request, fmt, negotiated=True)


@router.get("/ontology.{extension}", summary="The MWG ontology in the format its extension names",
            response_class=Response)
async def ontology_file(request: Request, extension: str) -> Response:
    fmt = BY_EXTENSION.get("." + extension)
    if fmt is None:
        return not_found(request, f"no ontology document with the extension .{extension}")
    return await _ontology_answer(request, fmt, negotiated=False)


async def _ontology_answer(request: Request, fmt: Format, *, negotiated: bool) -> Response:
    store = request.app.state.store
    root = root_of(request)
    links = alternates(root, "/ontology", DOCUMENT_FORMATS)
    headers = {"Link": link_header(links)}
    if negotiated:
        headers["Vary"] = "Accept"
        headers["Content-Location"] = f"{root}/ontology{'' if fmt is HTML else fmt.extension}"
    if fmt is HTML:
        view = await run_in_threadpool(describe, store, ONTOLOGY_BASE, root=root)
        terms = await run_in_threadpool(ontology_terms, store, root=root)
        if view is None:
            return not_found(request, "the store holds no ontology; run `mwg-kg init`")
        sections = [
            ("Classes", [term for term in terms if term.kind == "Class"]),
            ("Relations", [term for term in terms if term.kind == "ObjectProperty"]),
            ("Facts", [term for term in terms if term.kind == "DatatypeProperty"]),
            ("Annotations", [term for term in terms if term.kind == "AnnotationProperty"]),
        ]
        return templates.TemplateResponse(
            request, "ontology.html",
            {"view": view, "sections": [s for s in sections if s[1]], "alternates": links[1:], "root": root},
            headers=headers,
        )
    if not store.has_graph(graph_iri("ontology")):
        return not_found(request, "the store holds no ontology; run `mwg-kg init`")
    body = await run_in_threadpool(graph_document, store, graph_iri("ontology"), fmt)
    return Response(body, media_type=fmt.media_type, headers=headers)


@router.get("/shapes", summary="The SHACL shapes: 303 to their named graph", response_class=Response,
            status_code=303)
async def shapes(request: Request) -> Response:
    return _to_graph_store(request, graph_iri("shapes"))


@router.get("/graph/{path:path}", summary="Dereference a named-graph IRI: 303 to its Graph Store Protocol answer",
            response_class=Response, status_code=303)
async def graph_iri_redirect(request: Request, path: str) -> Response:
    return _to_graph_store(request, GRAPH_BASE + path)


def _to_graph_store(request: Request, graph: str) -> Response:
    location = f"{root_of(request)}/rdf-graphs?graph={quote(graph, safe='')}"
    return RedirectResponse(location, status_code=303)


# -- SPARQL 1.1 Graph Store Protocol, GET only -----------------------------------------------

@router.get("/rdf-graphs", summary="SPARQL 1.1 Graph Store Protocol GET of one named graph",
            response_class=Response)
async def graph_store_get(request: Request, graph: str | None = Query(None, description="IRI of the named graph")) -> Response:
    if not graph:
        raise InputError("name the graph: /rdf-graphs?graph=<IRI> (the default graph is the union of all graphs; "
                         "download it from /dumps/mwg-kg.nq.gz)")
    fmt = negotiate(request.headers.get("accept"), GRAPH_STORE_FORMATS)
    store = request.app.state.store
    try:
        known = store.has_graph(graph)
    except ValueError:
        raise InputError(f"'{graph}' is not an IRI") from None
    if not known:
        return JSONResponse(error_body("not_found", f"no named graph <{graph}>"), status_code=404,
                            headers={"Vary": "Accept"})
    if fmt is None:
        return not_acceptable(GRAPH_STORE_FORMATS)
    body = await run_in_threadpool(graph_document, store, graph, fmt)
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


def graph_document(store, graph: str, fmt: Format) -> bytes:
    """One named graph, exported by the store; TriG names the graph (N-Triples lines are TriG)."""
    if fmt is JSON_LD:
        rdflib_graph = store.export_rdflib(graph=graph)
        return rdflib_graph.serialize(format="json-ld", context=PREFIXES, auto_compact=True).encode()
    output = io.BytesIO()
    store.export(output, syntax_named(N_TRIPLES.name if fmt is TRIG else fmt.name), graph=graph)
    if fmt is TRIG:
        return f"<{graph}> {{\n".encode() + output.getvalue() + b"}\n"
    return output.getvalue()

