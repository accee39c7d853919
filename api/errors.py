"""The one table from library errors to HTTP answers, and the one JSON error shape.

Every error answer looks like `{"error": {"type": ..., "message": ..., "violations": [...]}}`.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from kg.errors import (
    ForbiddenQueryError,
    InputError,
    KnowledgeGraphError,
    NotFoundError,
    QuerySyntaxError,
    QueryTimeoutError,
    RdfSyntaxError,
    StoreUnavailableError,
    ValidationFailedError,
)
from kg.input_guard import InputTooLargeError
from kg.query_workers import QueryCapacityError

# Most specific first: the first matching class decides the status.
STATUS_BY_ERROR: tuple[tuple[type[KnowledgeGraphError], int, str], ...] = (
    (ValidationFailedError, 422, "validation_failed"),
    (InputTooLargeError, 413, "too_large"),
    (QueryCapacityError, 429, "too_many_queries"),
    (QuerySyntaxError, 400, "query_syntax"),
    (ForbiddenQueryError, 400, "forbidden_query"),
    (RdfSyntaxError, 400, "rdf_syntax"),
    (InputError, 400, "bad_input"),
    (NotFoundError, 404, "not_found"),
    (QueryTimeoutError, 503, "query_timeout"),
    (StoreUnavailableError, 503, "store_unavailable"),
    (KnowledgeGraphError, 500, "internal"),
)


def error_body(kind: str, message: str, **extra) -> dict:
    return {"error": {"type": kind, "message": message, **extra}}


def error_response(error: KnowledgeGraphError) -> JSONResponse:
    for error_class, status, kind in STATUS_BY_ERROR:
        if isinstance(error, error_class):
            break
    extra = {}
    if isinstance(error, ValidationFailedError):
        extra["violations"] = [
            {"focus_node": v.focus_node, "path": v.path, "message": v.message, "shape": v.source_shape}
            for v in error.violations
        ]
    if isinstance(error, RdfSyntaxError) and error.line:
        extra.update(line=error.line, column=error.column)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, QueryCapacityError) else None
    return JSONResponse(error_body(kind, str(error), **extra), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    async def on_library_error(_: Request, error: KnowledgeGraphError) -> JSONResponse:
        return error_response(error)

    async def on_request_error(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        return JSONResponse(error_body("bad_request", problems), status_code=400)

    app.add_exception_handler(KnowledgeGraphError, on_library_error)
    app.add_exception_handler(RequestValidationError, on_request_error)
