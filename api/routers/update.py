"""`/update`: SPARQL 1.1 Update over POST, off unless `MWG_KG_UPDATE_TOKEN` is set.

With a token configured, a request must carry `Authorization: Bearer <token>`; it is compared in
constant time and checked before the body is read, so an anonymous client cannot make the server
read (or buffer) anything. A token in the URL is refused: URLs end up in logs, which is also why
the access log is given URLs without their query strings.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.request_body import media_type_of, read_body
from kg.errors import InputError, OperationDisabledError, UnauthorisedError

router = APIRouter()

FORM_TYPE = "application/x-www-form-urlencoded"
UPDATE_TYPE = "application/sparql-update"
# Parameter names clients use to pass a token in a URL; any of them is refused.
URL_TOKEN_PARAMETERS = ("access_token", "token", "update_token", "auth", "key", "api_key")


def check_authorisation(request: Request, token: str) -> None:
    """Raise UnauthorisedError unless the request carries the right bearer token, in its header only."""
    if any(name in request.query_params for name in URL_TOKEN_PARAMETERS):
        raise UnauthorisedError("a token in the URL is refused (URLs are logged); "
                                "send it as 'Authorization: Bearer <token>'")
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented:
        raise UnauthorisedError("updates need 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(presented.strip().encode(), token.encode()):
        raise UnauthorisedError("the bearer token is not valid")


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
        raise OperationDisabledError(
            "SPARQL Update is off on this server; its operator enables it by setting MWG_KG_UPDATE_TOKEN")
    check_authorisation(request, settings.update_token.get_secret_value())
    body = await read_body(request, limit=settings.max_request_bytes)
    report = await run_in_threadpool(store.update, update_text(body, media_type_of(request)))
    return JSONResponse({"added": report.added, "removed": report.removed, "graphs": list(report.graphs)})
