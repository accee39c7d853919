"""`/update`: SPARQL 1.1 Update over POST, off unless `MWG_KG_UPDATE_TOKEN` is set.

With a token configured, a request must carry `Authorization: Bearer <token>`; it is compared in
constant time and checked before the body is read, so an anonymous client cannot make the server
read (or buffer) anything. A token in the URL is refused: URLs end up in logs, which is also why
the access log is given URLs without their query strings.
"""

from __future__ import annotations

import hmac
import logging
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.errors import error_body
from kg.errors import InputError
from kg.input_guard import InputTooLargeError

router = APIRouter()

FORM_TYPE = "application/x-www-form-urlencoded"
UPDATE_TYPE = "application/sparql-update"
# Parameter names clients use to pass a token in a URL; any of them is refused.
URL_TOKEN_PARAMETERS = ("access_token", "token", "update_token", "auth", "key", "api_key")


class DropQueryStrings(logging.Filter):
    """Give uvicorn's access log the path without its query string (it may hold secrets)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            record.args = record.args[:2] + (record.args[2].split("?", 1)[0],) + record.args[3:]
        return True


ACCESS_LOG_FILTER = DropQueryStrings()
logging.getLogger("uvicorn.access").addFilter(ACCESS_LOG_FILTER)


def refusal(status: int, kind: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse(error_body(kind, message), status_code=status, headers=headers or None)


def authorisation_problem(request: Request, token: str) -> JSONResponse | None:
    """A 401 answer unless the request carries the right bearer token in its header only."""
    challenge = {"WWW-Authenticate": 'Bearer realm="mwg-kg update"'}
    if any(name in request.query_params for name in URL_TOKEN_PARAMETERS):
        return refusal(401, "unauthorized", "a token in the URL is refused (URLs are logged); "
                       "send it as 'Authorization: Bearer <token>'", **challenge)
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented:
        return refusal(401, "unauthorized", "updates need 'Authorization: Bearer <token>'", **challenge)
    if not hmac.compare_digest(presented.strip().encode(), token.encode()):
        return refusal(401, "unauthorized", "the bearer token is not valid", **challenge)
    return None


async def read_body(request: Request, *, limit: int) -> bytes:
    """The request body, refused as soon as it is known to exceed `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputTooLargeError(f"the request body is {int(declared):,} bytes; the limit is {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise InputTooLargeError(f"the request body is larger than the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def update_text(body: bytes, content_type: str) -> str:
    if content_type == UPDATE_TYPE:
        text = body.decode("utf-8", errors="replace")
    elif content_type == FORM_TYPE:
        text = (parse_qs(body.decode("utf-8", errors="replace")).get("update") or [""])[0]
    else:
        raise InputError(f"POST an update as {UPDATE_TYPE} or as a {FORM_TYPE} form with an 'update' field")
    if not text.strip():
        raise InputError("no update: send it as the body or the 'update' form field")
    return text


@router.post(
    "/update",
    summary="SPARQL 1.1 Update (needs the bearer token; off unless MWG_KG_UPDATE_TOKEN is set)",
    responses={401: {"description": "missing or wrong token"}, 403: {"description": "updates are off"}},
)
async def update(request: Request) -> JSONResponse:
    store = request.app.state.store
    settings = store.settings
    if settings.update_token is None or not settings.update_token.get_secret_value():
        return refusal(403, "updates_disabled",
                       "SPARQL Update is off on this server; its operator enables it by setting MWG_KG_UPDATE_TOKEN")
    problem = authorisation_problem(request, settings.update_token.get_secret_value())
    if problem is not None:
        return problem
    body = await read_body(request, limit=settings.max_request_bytes)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    report = await run_in_threadpool(store.update, update_text(body, content_type))
    return JSONResponse({"added": report.added, "removed": report.removed, "graphs": list(report.graphs)})
