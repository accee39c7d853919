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
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.negotiation import negotiate
from api.pages import root_of, templates
from api.rdf_views import (
    GRAPH_BASE,
    ID_BASE,
    ONTOLOGY_BASE,
    describe,
    ontology_terms,
    resource_exists,
)
from kg.errors import InputError, NotFoundError
from kg.formats import DOCUMENT_FORMATS, GRAPH_STORE_FORMATS, HTML, Format, write_rdf_triples
from kg.namespaces import graph_iri

router = APIRouter()

# A document's formats by the extension that picks one outright (`/doc/state/PER.ttl`).
BY_EXTENSION = {fmt.extension: fmt for fmt in DOCUMENT_FORMATS}


def href(root: str, path: str, fmt: Format) -> str:
    """The URL of one format of a document: the page has no extension, the data formats do."""
    return f"{root}{path}{'' if fmt is HTML else fmt.extension}"


def alternates(root: str, path: str, formats: tuple[Format, ...]) -> list[dict]:
    return [{"label": fmt.label, "media_type": fmt.media_type, "href": href(root, path, fmt)} for fmt in formats]


def link_header(links: list[dict]) -> str:
    return ", ".join(f'<{link["href"]}>; rel="alternate"; type="{link["media_type"]}"' for link in links)


# -- /id and /doc --------------------------------------------------------------------------

@router.get("/id/{path:path}", summary="Dereference an instance IRI: 303 to its document",
            response_class=Response, status_code=303)
async def dereference(request: Request, path: str) -> Response:
    iri = ID_BASE + path
    if not await run_in_threadpool(resource_exists, request.app.state.store, iri):
        raise NotFoundError(f"nothing in the graph is called <{iri}>")
    fmt = negotiate(DOCUMENT_FORMATS, accept=request.headers.get("accept"))
    location = href(root_of(request), f"/doc/{quote(path)}", fmt)
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
    if view is None:
        raise NotFoundError(f"nothing in the graph is called <{ID_BASE + key}>")
    if fmt is None:
        negotiated = True
        fmt = negotiate(DOCUMENT_FORMATS, accept=request.headers.get("accept"))
    links = alternates(root, f"/doc/{quote(key)}", DOCUMENT_FORMATS)
    headers = {"Link": link_header(links)}
    if negotiated:
        headers["Vary"] = "Accept"
        headers["Content-Location"] = href(root, f"/doc/{quote(key)}", fmt)
    if fmt is HTML:
        return templates.TemplateResponse(
            request, "resource.html",
            {"view": view, "alternates": links[1:], "root": root,
             "sparql_href": f"{root}/sparql?query=" + quote(f"DESCRIBE <{view.iri}>", safe="")},
            headers=headers,
        )
    return Response(write_rdf_triples(view.triples, fmt), media_type=fmt.media_type, headers=headers)


# -- the ontology --------------------------------------------------------------------------

@router.get("/ontology", summary="The MWG ontology (HTML, Turtle, JSON-LD, N-Triples, RDF/XML)",
            response_class=Response)
async def ontology(request: Request) -> Response:
    fmt = negotiate(DOCUMENT_FORMATS, accept=request.headers.get("accept"))
    return await _ontology_answer(request, fmt, negotiated=True)


@router.get("/ontology.{extension}", summary="The MWG ontology in the format its extension names",
            response_class=Response)
async def ontology_file(request: Request, extension: str) -> Response:
    fmt = BY_EXTENSION.get("." + extension)
    if fmt is None:
        raise NotFoundError(f"no ontology document with the extension .{extension}")
    return await _ontology_answer(request, fmt, negotiated=False)


async def _ontology_answer(request: Request, fmt: Format, *, negotiated: bool) -> Response:
    store = request.app.state.store
    root = root_of(request)
    links = alternates(root, "/ontology", DOCUMENT_FORMATS)
    headers = {"Link": link_header(links)}
    if negotiated:
        headers["Vary"] = "Accept"
        headers["Content-Location"] = href(root, "/ontology", fmt)
    if fmt is HTML:
        view = await run_in_threadpool(describe, store, ONTOLOGY_BASE, root=root)
        terms = await run_in_threadpool(ontology_terms, store, root=root)
        if view is None:
            raise NotFoundError("the store holds no ontology; run `mwg-kg init`")
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
        raise NotFoundError("the store holds no ontology; run `mwg-kg init`")
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
    store = request.app.state.store
    try:
        known = store.has_graph(graph)
    except ValueError:
        raise InputError(f"'{graph}' is not an IRI") from None
    if not known:
        raise NotFoundError(f"no named graph <{graph}>")
    fmt = negotiate(GRAPH_STORE_FORMATS, accept=request.headers.get("accept"))
    body = await run_in_threadpool(graph_document, store, graph, fmt)
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


def graph_document(store, graph: str, fmt: Format) -> bytes:
    """One named graph as the store exports it; TriG names the graph."""
    output = io.BytesIO()
    store.export(output, fmt, graph=graph)
    return output.getvalue()
