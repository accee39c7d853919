"""`/sparql`: a read-only SPARQL 1.1 query endpoint (GET, form POST, direct POST)."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import RdfFormat
from starlette.concurrency import run_in_threadpool

from kg.errors import InputError
from kg.results import QueryAnswer, to_csv, to_rdf, to_sparql_json, to_tsv

router = APIRouter()

# Media types a client may ask for, by answer form; the first is the default.
TABULAR_MEDIA_TYPES = {
    "application/sparql-results+json": to_sparql_json,
    "application/json": to_sparql_json,
    "text/csv": to_csv,
    "text/tab-separated-values": to_tsv,
}
GRAPH_MEDIA_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"


def choose_media_type(accept: str, offered: list[str]) -> str:
    """Pick the offered media type the `Accept` header prefers (q-values honoured)."""
    best, best_q = offered[0], -1.0
    for part in accept.split(","):
        media, *params = [piece.strip() for piece in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        candidates = offered if media in ("*/*", "") else [m for m in offered if m == media or (
            media.endswith("/*") and m.startswith(media[:-1]))]
        if candidates and q > best_q and q > 0:
            best, best_q = candidates[0], q
    return best


def render(answer: QueryAnswer, accept: str) -> Response:
    headers = {"X-MWG-Truncated": "true" if answer.truncated else "false"}
    if answer.form == "graph":
        media = choose_media_type(accept, list(GRAPH_MEDIA_TYPES))
        return Response(to_rdf(answer, GRAPH_MEDIA_TYPES[media]), media_type=media, headers=headers)
    media = choose_media_type(accept, list(TABULAR_MEDIA_TYPES))
    if media == "application/json":
        media = "application/sparql-results+json"
    return Response(TABULAR_MEDIA_TYPES[media](answer), media_type=media, headers=headers)


async def query_text(request: Request) -> str:
    """The query from the URL, a form body or a direct `application/sparql-query` body."""
    if request.method == "GET":
        text = request.query_params.get("query")
    else:
        limit = request.app.state.store.settings.max_query_length
        body = await request.body()
        if len(body) > 4 * limit:
            raise InputError(f"the request body is larger than {4 * limit:,} bytes")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == QUERY_TYPE:
            text = body.decode("utf-8", errors="replace")
        elif content_type == FORM_TYPE:
            text = (parse_qs(body.decode("utf-8", errors="replace")).get("query") or [None])[0]
        else:
            raise InputError(f"POST a query as {QUERY_TYPE} or as a {FORM_TYPE} form with a 'query' field")
    if not text:
        raise InputError("no query: pass it as the 'query' parameter")
    return text


@router.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 query (read-only)")
async def sparql(request: Request) -> Response:
    text = await query_text(request)
    store = request.app.state.store
    answer = await run_in_threadpool(store.query, text)
    return render(answer, request.headers.get("accept", ""))
