"""The one error path: routers raise, this table answers.

Library errors (`kg.errors` and the few raised next to the code that detects them), Starlette's
own (unknown path, method not allowed) and request validation errors all become one shape:
`{"error": {"type": ..., "message": ..., <extras>}}` with `violations` (SHACL), `line`/`column`
(syntax) or `offered`/`formats` (406) where they apply. A client that names HTML at least as
high as any data type (a browser) gets the same error as an HTML page instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.negotiation import prefers_html
from api.pages import root_of, templates
from kg.errors import (
    ForbiddenQueryError,
    InputError,
    KnowledgeGraphError,
    NotAcceptableError,
    NotFoundError,
    OperationDisabledError,
    QuerySyntaxError,
    QueryTimeoutError,
    RdfSyntaxError,
    StoreUnavailableError,
    UnauthorisedError,
    ValidationFailedError,
)
from kg.formats import FORMATS, HTML
from kg.input_guard import InputTooLargeError
from kg.query_workers import QueryCapacityError

logger = logging.getLogger(__name__)

# Every format but HTML: a client naming one of these higher than HTML gets JSON errors.
DATA_FORMATS = tuple(fmt for fmt in FORMATS.values() if fmt is not HTML)


@dataclass(frozen=True)
class ErrorKind:
    status: int
    type: str
    title: str


# Most specific first: the first matching class decides.
ERROR_KINDS: tuple[tuple[type[Exception], ErrorKind], ...] = (
    (ValidationFailedError, ErrorKind(422, "validation_failed", "The data does not conform to the shapes")),
    (InputTooLargeError, ErrorKind(413, "too_large", "Too large")),
    (QueryCapacityError, ErrorKind(429, "too_many_queries", "Too many queries")),
    (QuerySyntaxError, ErrorKind(400, "query_syntax", "The query does not parse")),
    (ForbiddenQueryError, ErrorKind(400, "forbidden_query", "Query refused")),
    (RdfSyntaxError, ErrorKind(400, "rdf_syntax", "The RDF does not parse")),
    (InputError, ErrorKind(400, "bad_input", "Bad request")),
    (RequestValidationError, ErrorKind(400, "bad_request", "Bad request")),
    (UnauthorisedError, ErrorKind(401, "unauthorized", "Not authorised")),
    (OperationDisabledError, ErrorKind(403, "updates_disabled", "Switched off")),
    (NotFoundError, ErrorKind(404, "not_found", "Not found")),
    (NotAcceptableError, ErrorKind(406, "not_acceptable", "Not available in the format asked for")),
    (QueryTimeoutError, ErrorKind(503, "query_timeout", "The query took too long")),
    (StoreUnavailableError, ErrorKind(503, "store_unavailable", "The store is unavailable")),
    (KnowledgeGraphError, ErrorKind(500, "internal", "Internal error")),
)
# Starlette's own errors, by status.
HTTP_KINDS = {
    404: ErrorKind(404, "not_found", "Not found"),
    405: ErrorKind(405, "method_not_allowed", "Method not allowed"),
}
INTERNAL = ErrorKind(500, "internal", "Internal error")


def kind_of(error: Exception) -> ErrorKind:
    if isinstance(error, StarletteHTTPException):
        return HTTP_KINDS.get(error.status_code, ErrorKind(error.status_code, "http_error", "Error"))
    return next((kind for error_class, kind in ERROR_KINDS if isinstance(error, error_class)), INTERNAL)


def message_of(request: Request, error: Exception) -> str:
    if isinstance(error, RequestValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    if isinstance(error, StarletteHTTPException):
        if error.status_code == 404:
            return f"nothing is served at {request.url.path}; the API is described at /docs"
        if error.status_code == 405:
            return f"{request.method} is not allowed on {request.url.path}; use {allowed_methods(request)}"
        return str(error.detail)
    if not isinstance(error, KnowledgeGraphError):
        return "the server failed to answer; the failure is logged"
    return str(error)


def extras_of(error: Exception) -> dict:
    if isinstance(error, ValidationFailedError):
        return {"violations": [
            {"focus_node": v.focus_node, "path": v.path, "message": v.message, "shape": v.source_shape}
            for v in error.violations
        ]}
    if isinstance(error, RdfSyntaxError) and error.line:
        return {"line": error.line, "column": error.column}
    if isinstance(error, NotAcceptableError):
        return {"offered": error.media_types, "formats": error.names}
    return {}


def allowed_methods(request: Request) -> str:
    """Every method some route of this path takes (Starlette's 405 names only the first route's)."""
    allowed = [
        method for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in request.app.router.routes)
    ]
    return ", ".join(allowed)


def headers_of(request: Request, error: Exception) -> dict[str, str]:
    headers = {"Vary": "Accept"}
    if isinstance(error, StarletteHTTPException) and error.headers:
        headers.update(error.headers)
        if error.status_code == 405:
            headers["Allow"] = allowed_methods(request)
    if isinstance(error, QueryCapacityError):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, UnauthorisedError):
        headers["WWW-Authenticate"] = 'Bearer realm="mwg-kg update"'
    return headers


def error_body(kind: str, message: str, **extra) -> dict:
    return {"error": {"type": kind, "message": message, **extra}}


def error_response(request: Request, error: Exception) -> Response:
    """The answer to `error`: an HTML page for a browser, the JSON shape for anything else."""
    kind = kind_of(error)
    if kind.status >= 500 and not isinstance(error, (QueryTimeoutError, StoreUnavailableError)):
        logger.error("%s %s failed", request.method, request.url.path, exc_info=error)
    message, extras, headers = message_of(request, error), extras_of(error), headers_of(request, error)
    if prefers_html(request.headers.get("accept"), over=DATA_FORMATS):
        context = {"status": kind.status, "title": kind.title, "message": message,
                   "violations": extras.get("violations", []), "root": root_of(request)}
        return templates.TemplateResponse(request, "error.html", context, status_code=kind.status, headers=headers)
    return JSONResponse(error_body(kind.type, message, **extras), status_code=kind.status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    async def answer(request: Request, error: Exception) -> Response:
        return error_response(request, error)

    for error_class in (KnowledgeGraphError, RequestValidationError, StarletteHTTPException, Exception):
        app.add_exception_handler(error_class, answer)
